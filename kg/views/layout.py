"""Positions computed once in Python, so the page draws at once with physics off.

A force layout of every node costs O(n²) per iteration; here only the graph's core is laid out by
force (networkx's Fruchterman-Reingold), and leaves (nodes with one neighbour: most projects,
awards and observations) are placed on rings around their neighbour. Positions are rounded
integers, so the same graph gives the same page byte for byte.
"""

from __future__ import annotations

import math
from collections import defaultdict

#: pixels between two neighbours in the core layout, and between leaves on a ring
SPACING = 150.0
LEAF_GAP = 38.0


def layout(g, *, seed: int = 7) -> dict[str, tuple[int, int]]:
    """node → (x, y) in vis-network pixels for a networkx graph (directions and multi-edges ignored)."""
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes()))
    simple.add_edges_from((a, b) for a, b in g.edges() if a != b)
    leaves: dict[str, list[str]] = defaultdict(list)
    for node in sorted(simple.nodes()):
        if simple.degree(node) == 1:
            (parent,) = simple.neighbors(node)
            if simple.degree(parent) > 1:  # two joined leaves stay in the core as a pair
                leaves[parent].append(node)
    placed_leaves = {leaf for kids in leaves.values() for leaf in kids}
    core = simple.subgraph(n for n in simple.nodes() if n not in placed_leaves).copy()

    # the ring of leaves around a node makes it heavier: give it room in the core layout
    radius = {n: _ring_radius(len(leaves.get(n, ()))) for n in core.nodes()}
    pos: dict[str, tuple[float, float]] = {}
    if len(core):
        n = len(core)
        scale = SPACING * math.sqrt(n) + 2 * max(radius.values(), default=0.0)
        raw = nx.spring_layout(core, seed=seed, iterations=60 if n < 600 else 35, scale=1.0) if n > 1 else \
            {next(iter(core.nodes())): (0.0, 0.0)}
        pos = {k: (float(v[0]) * scale, float(v[1]) * scale) for k, v in raw.items()}

    for parent, kids in leaves.items():
        px, py = pos[parent]
        # rings: first ring holds as many as fit at LEAF_GAP spacing, further rings further out
        r, placed = _ring_radius(0), 0
        while placed < len(kids):
            capacity = max(6, int(2 * math.pi * r / LEAF_GAP))
            ring = kids[placed:placed + capacity]
            offset = 0.5 * (len(pos) % 7) / 7  # rotate rings a little so neighbours' rings do not align
            for i, kid in enumerate(ring):
                angle = 2 * math.pi * (i + offset) / len(ring)
                pos[kid] = (px + r * math.cos(angle), py + r * math.sin(angle))
            placed += len(ring)
            r += LEAF_GAP * 1.4
    return {k: (int(round(x)), int(round(y))) for k, (x, y) in sorted(pos.items())}


def _ring_radius(n_leaves: int) -> float:
    if n_leaves == 0:
        return 90.0
    r, left = 90.0, n_leaves
    while True:
        capacity = max(6, int(2 * math.pi * r / LEAF_GAP))
        left -= capacity
        if left <= 0:
            return r
        r += LEAF_GAP * 1.4
