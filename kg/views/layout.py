"""Positions computed once in Python, so the page draws at once with physics off.

A force layout of every node costs O(n²) per iteration; here only the graph's core is laid out by
force (networkx's Fruchterman-Reingold), and leaves (nodes with one neighbour: most projects,
awards and observations) are placed on rings around their neighbour. Then the nodes whose labels
the page draws at its opening zoom (``labelled``: districts, awards, the best-connected nodes) are
pushed apart until their label boxes no longer overlap at the zoom that fits the drawing into a
typical window, and the drawing is centred on (0, 0). Positions are rounded integers, so the same
graph gives the same page byte for byte.
"""

from __future__ import annotations

import math
from collections import defaultdict

#: pixels between two neighbours in the core layout, and between leaves on a ring
SPACING = 150.0
LEAF_GAP = 44.0
#: the canvas area (pixels) the page fits the drawing into at its opening zoom, about
VIEWPORT = (820.0, 700.0)
#: on-screen label font (px) and line height the page draws; see assets/view.js (LABEL_PX)
LABEL_PX, LABEL_LINE = 13.0, 18.0


def label_width(text: str, px: float = LABEL_PX) -> float:
    """Approximate on-screen width of a label: wide (CJK) characters 1 em, others 0.6 em."""
    import unicodedata

    return sum(px if unicodedata.east_asian_width(ch) in "WF" else 0.6 * px for ch in text) + 6


def layout(g, *, seed: int = 7, labelled: dict[str, str] | None = None,
           sizes: dict[str, float] | None = None, fixed: frozenset = frozenset()) -> dict[str, tuple[int, int]]:
    """node → (x, y) in vis-network pixels for a networkx graph (directions and multi-edges ignored).

    ``labelled``: node → label text drawn at the opening zoom (their boxes are kept apart);
    ``sizes``: node → drawn radius (the label sits under the node); ``fixed``: labelled nodes that others
    move away from (the districts).
    """
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
    # nodes with no edge at all: a spring layout flings them far out; they go in rows under the drawing
    alone = [n for n in sorted(simple.nodes()) if simple.degree(n) == 0]
    # the core's nodes in sorted order: a subgraph view lists them in the order of a set (by string hash,
    # which changes from one process to the next) and the spring layout's start depends on that order
    core = nx.Graph()
    core.add_nodes_from(n for n in sorted(simple.nodes()) if n not in placed_leaves and n not in alone)
    core.add_edges_from((a, b) for a, b in simple.edges() if a in core and b in core)

    # the ring of leaves around a node makes it heavier: give it room in the core layout
    radius = {n: _ring_radius(len(leaves.get(n, ()))) for n in core.nodes()}
    pos: dict[str, tuple[float, float]] = {}
    if len(core):
        n = len(core)
        scale = 0.6 * SPACING * math.sqrt(n) + 1.2 * max(radius.values(), default=0.0)
        raw = nx.spring_layout(core, seed=seed, iterations=60 if n < 600 else 35, scale=1.0) if n > 1 else \
            {next(iter(core.nodes())): (0.0, 0.0)}
        pos = {k: (float(v[0]) * scale, float(v[1]) * scale) for k, v in raw.items()}

    named = labelled or {}
    for parent, kids in leaves.items():
        px, py = pos[parent]
        # rings: first ring holds as many as fit at LEAF_GAP spacing, further rings further out; leaves
        # whose labels are drawn at first sight (awards) go on rings of their own, outside the others
        plain = [k for k in kids if k not in named]
        shown = [k for k in kids if k in named]
        r, placed = _ring_radius(0), 0
        kids = plain + shown
        while placed < len(kids):
            capacity = max(6, int(2 * math.pi * r / LEAF_GAP))
            if placed < len(plain):
                ring = kids[placed:min(placed + capacity, len(plain))]
            else:
                if placed == len(plain) and plain:
                    r += LEAF_GAP  # a clear gap between the plain rings and the labelled ones
                capacity = max(4, int(2 * math.pi * r / (LEAF_GAP * 2.5)))
                ring = kids[placed:placed + capacity]
            offset = 0.5 * (len(pos) % 7) / 7  # rotate rings a little so neighbours' rings do not align
            for i, kid in enumerate(ring):
                angle = 2 * math.pi * (i + offset) / len(ring)
                pos[kid] = (px + r * math.cos(angle), py + r * math.sin(angle))
            placed += len(ring)
            r += LEAF_GAP * 1.4
    if alone:
        xs, ys = [x for x, _ in pos.values()] or [0.0], [y for _, y in pos.values()] or [0.0]
        per_row = max(1, int((max(xs) - min(xs)) // SPACING) + 1) if pos else max(1, int(math.sqrt(len(alone))))
        for i, node in enumerate(alone):
            pos[node] = (min(xs) + SPACING * (i % per_row), max(ys) + SPACING * (1 + i // per_row))
    if labelled:
        pos = _separate_labels(pos, labelled, sizes or {}, fixed)
    if pos:
        xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        pos = {k: (x - cx, y - cy) for k, (x, y) in pos.items()}
    return {k: (int(round(x)), int(round(y))) for k, (x, y) in sorted(pos.items())}


def opening_scale(pos: dict[str, tuple[float, float]]) -> float:
    """The zoom at which the page's fit() shows the whole drawing in :data:`VIEWPORT` (at most 1)."""
    if not pos:
        return 1.0
    xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
    width, height = max(xs) - min(xs) + 80, max(ys) - min(ys) + 80
    return min(1.0, VIEWPORT[0] / width, VIEWPORT[1] / height)


def _separate_labels(pos: dict[str, tuple[float, float]], labelled: dict[str, str],
                     sizes: dict[str, float], fixed: frozenset = frozenset(), rounds: int = 4, passes: int = 40) -> dict[str, tuple[float, float]]:
    """Move labelled nodes apart until their label boxes (at the opening zoom) do not overlap.

    A label box is the label's on-screen size divided by the zoom, under the node. Each pass moves
    every overlapping pair apart along the axis where they overlap least (half each; a district
    stays where it is when paired with another kind). The zoom changes as the drawing grows, so it is
    estimated again each round.
    """
    pos = dict(pos)
    nodes = sorted(n for n in labelled if n in pos)
    pad = 8.0
    for _ in range(rounds):
        scale = opening_scale(pos)
        box = {n: ((label_width(labelled[n], LABEL_PX + 2 if n in fixed else LABEL_PX) + pad) / scale,
                   (LABEL_LINE + pad) / scale) for n in nodes}
        moved_any = False
        for _ in range(passes):
            moved = False
            centre = {n: (pos[n][0], pos[n][1] + sizes.get(n, 10.0) + box[n][1] / 2) for n in nodes}
            for i, a in enumerate(nodes):
                for b in nodes[i + 1:]:
                    dx = centre[b][0] - centre[a][0]
                    dy = centre[b][1] - centre[a][1]
                    ox = (box[a][0] + box[b][0]) / 2 - abs(dx)
                    oy = (box[a][1] + box[b][1]) / 2 - abs(dy)
                    if ox <= 0 or oy <= 0:
                        continue
                    moved = True
                    if oy <= ox:
                        shift = (0.0, (oy + 0.5) * (1 if dy >= 0 else -1))
                    else:
                        shift = ((ox + 0.5) * (1 if dx >= 0 else -1), 0.0)
                    wa, wb = ((0.0, 1.0) if a in fixed and b not in fixed else
                              (1.0, 0.0) if b in fixed and a not in fixed else (0.5, 0.5))
                    pos[a] = (pos[a][0] - shift[0] * wa, pos[a][1] - shift[1] * wa)
                    pos[b] = (pos[b][0] + shift[0] * wb, pos[b][1] + shift[1] * wb)
                    centre[a] = (pos[a][0], pos[a][1] + sizes.get(a, 10.0) + box[a][1] / 2)
                    centre[b] = (pos[b][0], pos[b][1] + sizes.get(b, 10.0) + box[b][1] / 2)
            moved_any |= moved
            if not moved:
                break
        if not moved_any:
            break
    return pos


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


# --- large graphs: a cheap skeleton ----------------------------------------------------------------

#: Above this many nodes the whole-graph page is laid out from a skeleton (:func:`skeleton_layout`): each
#: district laid out alone, the districts placed on a grid; below it, :func:`layout` of the whole graph.
SKELETON_ABOVE = 1500
#: Above this many districts (or nodes) ``graph.html`` is an overview linking the district pages: a
#: drawing of the whole graph is a grey disc at the zoom that shows it, and too heavy for a browser.
OVERVIEW_DISTRICTS = 150
OVERVIEW_NODES = 30_000


def wants_overview(districts: int, nodes: int) -> bool:
    """True when ``graph.html`` of a graph of so many districts and nodes should be the overview page,
    not a drawing of the graph."""
    return districts > OVERVIEW_DISTRICTS or nodes > OVERVIEW_NODES


def home_district(node: str, data: dict) -> str:
    """The district whose block a node is drawn in: a district's own, else the first of its districts
    by IRI ("" for nodes of no district)."""
    if data.get("cls") == "District":
        return node
    districts = data.get("districts") or ()
    return min(districts) if districts else ""


def skeleton_layout(g, *, seed: int = 7, labelled: dict[str, str] | None = None,
                    sizes: dict[str, float] | None = None, fixed: frozenset = frozenset(),
                    blocks: dict[str, dict[str, tuple[int, int]]] | None = None) -> dict[str, tuple[int, int]]:
    """node → (x, y) like :func:`layout`, in time linear in the graph: each district's nodes (a node
    several districts mention goes with the first) are laid out alone, and the district blocks are
    placed on rows in the order of their province, city and name (the district-level skeleton:
    neighbours in the administrative tree are drawn side by side). Edges between blocks (a shared
    province, city or award) are drawn across.

    ``blocks``: district IRI → the positions of its page (a superset of its nodes here), drawn as they are
    there when they place every node of the district's block; else the block is laid out by :func:`layout`."""
    labelled = labelled or {}
    sizes = sizes or {}
    blocks = blocks or {}
    groups: dict[str, list[str]] = defaultdict(list)
    for node, data in g.nodes(data=True):
        groups[home_district(node, data)].append(node)

    def order(key: str) -> tuple:
        if not key or key not in g:
            return ("", "", "", key)
        parents = {g.nodes[n].get("cls"): g.nodes[n].get("label", n)
                   for n in sorted(set(g.successors(key)) | set(g.predecessors(key))) if n in g} if g.is_directed() \
            else {g.nodes[n].get("cls"): g.nodes[n].get("label", n) for n in sorted(g.neighbors(key))}
        return (parents.get("Province", ""), parents.get("City", ""), g.nodes[key].get("label", key), key)

    placed = []
    for key in sorted(groups, key=order):
        nodes = sorted(groups[key])
        drawn = blocks.get(key, {})
        if all(n in drawn for n in nodes):  # as on the district's page
            pos = {n: drawn[n] for n in nodes}
        else:
            pos = layout(g.subgraph(nodes), seed=seed, labelled={n: labelled[n] for n in nodes if n in labelled},
                         sizes={n: sizes[n] for n in nodes if n in sizes},
                         fixed=frozenset(n for n in nodes if n in fixed))
        xs = [x for x, _ in pos.values()] or [0]
        ys = [y for _, y in pos.values()] or [0]
        label_room = max((label_width(labelled[n]) for n in nodes if n in labelled), default=0.0)
        width = max(xs) - min(xs) + label_room + SPACING
        height = max(ys) - min(ys) + 2 * LABEL_LINE + SPACING
        placed.append((pos, min(xs), min(ys), width, height))

    # shelf packing: rows about as wide as the drawing is tall
    area = sum(w * h for _, _, _, w, h in placed)
    row_width = max([math.sqrt(area) * 1.2] + [w for _, _, _, w, _ in placed])
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for pos, x0, y0, width, height in placed:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in pos.items():
            out[node] = (x + (px - x0) + SPACING / 2, y + (py - y0) + SPACING / 2)
        x += width
        row_height = max(row_height, height)
    if out:
        xs, ys = [p[0] for p in out.values()], [p[1] for p in out.values()]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        out = {k: (px - cx, py - cy) for k, (px, py) in out.items()}
    return {k: (int(round(px)), int(round(py))) for k, (px, py) in sorted(out.items())}
