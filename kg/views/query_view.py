"""``kg view``: draw the answer of a SPARQL query as a graph page.

- CONSTRUCT / DESCRIBE: the triples it returns, their entities (with class, label and facts taken
  from the built graph) and the evidence of each edge.
- SELECT: the entities it returns — IRIs, or labels that name entities (the saved queries return
  labels) — and the built graph's edges among them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.query import QueryError

DEFAULT_OUT = Path("output/query.html")


@dataclass
class QueryView:
    path: Path
    nodes: int
    edges: int

    def summary(self) -> str:
        return f"wrote {self.path} ({self.nodes} nodes, {self.edges} edges)"


def query_subgraph(graph, sparql: str):
    """The networkx graph (see :func:`kg.views.model.to_networkx`) of a query's answer over ``graph``."""
    from rdflib import Literal, URIRef

    from kg.views.model import to_networkx

    from kg.query import PROJECT_PREFIXES, _rdflib_error

    try:
        result = graph.query(sparql, initNs=PROJECT_PREFIXES)
    except Exception as exc:  # rdflib raises pyparsing errors and others for bad SPARQL
        raise QueryError(_rdflib_error(sparql, exc)) from None
    full = to_networkx(graph)
    keep: set[str] = set()
    edges: set[tuple[str, str, str]] = set()
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        for s, p, o in result.graph:
            for term in (s, o):
                if isinstance(term, URIRef) and str(term) in full:
                    keep.add(str(term))
            if str(s) in full and str(o) in full:
                edges.add((str(s), str(o), str(p).rsplit("#", 1)[-1]))
        sub = full.subgraph(keep).copy()
        for s, o, key in list(sub.edges(keys=True)):
            if (s, o, key) not in edges:
                sub.remove_edge(s, o, key)
    elif result.type == "SELECT":
        by_label: dict[str, list[str]] = {}
        for node, data in full.nodes(data=True):
            by_label.setdefault(data["label"], []).append(node)
        for row in result:
            for term in row:
                if isinstance(term, URIRef) and str(term) in full:
                    keep.add(str(term))
                elif isinstance(term, Literal):
                    keep.update(by_label.get(str(term), ()))
        sub = full.subgraph(keep).copy()
    else:
        raise QueryError("an ASK query answers yes or no; `kg view` draws SELECT, CONSTRUCT or DESCRIBE results")
    sub.graph.update(full.graph)
    return sub


def check_drawable(sub) -> None:
    """Refuse to draw an answer with nothing to draw: no entities (a COUNT, labels naming nothing), or
    entities without one edge among them (a list of values is a table: ``kg query``)."""
    if sub.number_of_nodes() == 0:
        raise QueryError("the answer names no entity of the graph, nothing to draw (a COUNT or values? "
                         "print it with `kg query`)")
    if sub.number_of_edges() == 0 and sub.number_of_nodes() > 1:
        raise QueryError(f"the answer's {sub.number_of_nodes()} entities have no edge among them, so the drawing "
                         "would be scattered dots; print it with `kg query`, or select the entities they link to")


def view_query(query: str, graph_path: Path = Path("output/graph.ttl"), out: Path = DEFAULT_OUT, *,
               title: str | None = None) -> QueryView:
    """Run ``query`` (a saved query's name, a .rq file or SPARQL text) over the Turtle graph at
    ``graph_path`` and draw its answer to ``out``."""
    from rdflib import Graph

    from kg.query import resolve_query
    from kg.views.pyvis_view import write_nx_view

    graph_path = Path(graph_path)
    if not graph_path.is_file():
        raise QueryError(f"{graph_path}: no graph file (run `kg build` first)")
    sparql = resolve_query(query)
    try:
        graph = Graph().parse(graph_path, format="turtle")
    except Exception as exc:
        raise QueryError(f"{graph_path}: not a readable Turtle file ({type(exc).__name__}: {exc})") from None
    sub = query_subgraph(graph, sparql)
    check_drawable(sub)
    name = title or (query if len(query) <= 40 and "\n" not in query else "查询结果")
    path = write_nx_view(sub, Path(out), title=f"{name} · 查询视图", home=None)
    return QueryView(path, sub.number_of_nodes(), sub.number_of_edges())
