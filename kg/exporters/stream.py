"""Streaming N-Triples / N-Quads writers for large graphs.

rdflib's ``graph.serialize(format=...)`` without a destination builds the whole document in memory
and returns it, so writing a big graph held three copies at once (the extractions, the graph, the
serialized bytes). These writers format one triple at a time into an atomically replaced file
(kg.fsutil.atomic_open): memory stays at the graph itself, whatever its size.

Order: the graph's own iteration order, which for rdflib's default store is the order triples were
added, so the same input gives the same bytes (pass ``sort=True`` for lexically sorted lines, which
holds the lines in memory once more). Terms are written with rdflib's own N-Triples escaping.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from kg.fsutil import atomic_open

_BATCH = 10_000  # lines per write call


def _nt_term(term) -> str:
    from rdflib.plugins.serializers.nt import _quoteLiteral
    from rdflib.term import Literal

    if isinstance(term, Literal):
        return _quoteLiteral(term)
    return term.n3()


def _lines(triples: Iterable, graph_term: Optional[str] = None) -> Iterable[str]:
    tail = f" {graph_term} .\n" if graph_term else " .\n"
    for s, p, o in triples:
        yield f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)}{tail}"


def _write(path: Path, lines: Iterable[str], sort: bool) -> int:
    count = 0
    if sort:
        lines = sorted(lines)
    with atomic_open(path, "w") as fh:
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            if len(batch) >= _BATCH:
                fh.write("".join(batch))
                count += len(batch)
                batch.clear()
        fh.write("".join(batch))
        count += len(batch)
    return count


def write_ntriples_stream(graph, path: Path | str, *, sort: bool = False) -> Path:
    """Write ``graph`` (an rdflib Graph, or any iterable of (s, p, o) rdflib terms) as N-Triples."""
    path = Path(path)
    _write(path, _lines(iter(graph)), sort)
    return path


def write_nquads_stream(graphs: Iterable, path: Path | str, *, sort: bool = False) -> Path:
    """Write ``(graph_iri, triples)`` pairs as N-Quads: each triple in the named graph ``graph_iri``
    (a URIRef or an IRI string). ``graphs`` may be a generator, so that one report's graph at a time
    is built, written and dropped (e.g. ``((iri(ex), report_graph(ex)) for ex in extractions)``)."""
    from rdflib import URIRef

    def lines():
        for name, triples in graphs:
            yield from _lines(iter(triples), URIRef(str(name)).n3())

    path = Path(path)
    _write(path, lines(), sort)
    return path
