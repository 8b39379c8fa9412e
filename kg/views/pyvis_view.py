"""Interactive HTML views drawn with pyvis, laid out by networkx, fully offline.

Entities become nodes (coloured and shaped by class, sized by degree), object properties become
labelled edges; provenance statements and evidence appear in tooltips. Report text is data: labels
and tooltips are escaped before they reach the page.
"""

from __future__ import annotations

import html
from pathlib import Path

from kg.fsutil import write_text_atomic

CLASS_STYLE = {
    "District": ("#d62728", "star"),
    "Project": ("#1f77b4", "dot"),
    "MonetaryAmount": ("#2ca02c", "diamond"),
    "Award": ("#ff7f0e", "triangle"),
    "Enterprise": ("#9467bd", "dot"),
    "Organization": ("#8c564b", "dot"),
    "Village": ("#bcbd22", "dot"),
    "Community": ("#17becf", "dot"),
    "School": ("#e377c2", "dot"),
    "GovernmentUnit": ("#7f7f7f", "dot"),
    "Person": ("#aec7e8", "dot"),
    "Product": ("#98df8a", "dot"),
    "Indicator": ("#ffbb78", "square"),
    "IndicatorObservation": ("#c5b0d5", "square"),
    "Report": ("#c49c94", "box"),
    "City": ("#f7b6d2", "ellipse"),
    "Province": ("#dbdb8d", "ellipse"),
}
EDGE_LABELS = {
    "undertakes": "承担", "invests": "投资", "receivesAward": "获奖", "hasObservation": "指标",
    "indicator": "指标项", "about": "关于", "inCity": "所属市", "inProvince": "所属省", "deliveredBy": "报告人",
    "locatedIn": "位于",
}


def to_networkx(graph):
    """A networkx MultiDiGraph of the RDF graph's entities and their object properties."""
    import networkx as nx
    from rdflib import RDF, RDFS, URIRef

    from kg.rdf import GWR

    g = nx.MultiDiGraph()
    gwr = str(GWR)
    evidence = {}
    for st in graph.subjects(RDF.type, RDF.Statement):
        s, p, o = graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object)
        evidence[(s, p, o)] = str(graph.value(st, GWR.evidence) or "")
    for s, cls in graph.subject_objects(RDF.type):
        if not str(cls).startswith(gwr):
            continue
        label = graph.value(s, RDFS.label)
        g.add_node(str(s), label=str(label) if label else str(s).rsplit("/", 1)[-1], cls=str(cls)[len(gwr):])
    for s, p, o in graph:
        if isinstance(o, URIRef) and str(p).startswith(gwr) and str(s) in g and str(o) in g:
            name = str(p)[len(gwr):]
            g.add_edge(str(s), str(o), key=name, label=name, evidence=evidence.get((s, p, o), ""))
    return g


def write_view(graph, path: Path, *, title: str = "gwr-kg") -> Path:
    """Draw ``graph`` to a self-contained HTML page at ``path``."""
    import networkx as nx
    from pyvis.network import Network

    g = to_networkx(graph)
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line", heading="")
    pos = nx.spring_layout(nx.Graph(g), seed=7, k=None, iterations=50) if len(g) else {}
    degree = dict(g.degree())
    for node, data in sorted(g.nodes(data=True)):
        color, shape = CLASS_STYLE.get(data["cls"], ("#999999", "dot"))
        x, y = pos.get(node, (0.0, 0.0))
        net.add_node(node, label=html.escape(data["label"]), title=html.escape(f"{data['cls']}: {data['label']}"),
                     color=color, shape=shape, size=10 + 3 * min(degree.get(node, 0), 20),
                     x=float(x) * 1000, y=float(y) * 1000, group=data["cls"])
    for s, o, data in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], e[2]["label"])):
        tip = EDGE_LABELS.get(data["label"], data["label"])
        if data["evidence"]:
            tip += "\n" + data["evidence"]
        net.add_edge(s, o, label=EDGE_LABELS.get(data["label"], data["label"]), title=html.escape(tip))
    net.toggle_physics(False)
    page = net.generate_html(notebook=False)
    page = page.replace("<head>", f"<head>\n<meta charset=\"utf-8\">\n<title>{html.escape(title)}</title>", 1)
    write_text_atomic(path, page)
    return path
