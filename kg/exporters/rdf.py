"""RDF serializations of a built graph, written atomically and deterministically.

Every exporter has the same interface, ``(graph, path, extractions=()) -> Path``: ``graph`` is the merged
rdflib graph of every report (what ``kg build`` writes as Turtle), ``extractions`` the reports it was
built from (the quad formats need them to put each report's facts in its own named graph).

Triple formats (the merged graph): ``ttl`` (Turtle), ``nt`` (N-Triples), ``jsonld`` (JSON-LD).
Quad formats (a dataset): ``trig`` and ``nq`` (N-Quads). Their named graphs are

- one per report, IRI ``kg.iri.mint("graph", <report file stem>)``: the triples of the merged graph the
  report states; a triple several reports state (an indicator's type and label, a province) lives in the
  graph of the first of them by file name, so the graphs are disjoint and their union is exactly the
  Turtle graph;
- the ontology (``ontology/gwr.ttl``), IRI ``https://w3id.org/gwr/ontology``, when the file exists;

and the default graph describes each named graph: ``prov:wasDerivedFrom`` its report,
``dcterms:source`` the report's file name (``gwr:contentHash`` on the report gives the file's SHA-256),
``dcterms:creator`` the gwr-kg version, and ``prov:generatedAtTime`` only when the environment variable
``SOURCE_DATE_EPOCH`` is set (reproducible-builds convention), so two builds stay byte-identical.

Same input, same bytes, in every format: Turtle is sorted by rdflib, N-Triples/N-Quads lines are
sorted, JSON-LD nodes and values are sorted and keys too, the TriG is assembled graph by graph in IRI
order, and the ontology's blank nodes get canonical labels (rdflib.compare).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional, Sequence

from kg.fsutil import write_bytes_atomic, write_text_atomic

from kg.defaults import ontology_file  # noqa: E402

ONTOLOGY_FILE = ontology_file()
ONTOLOGY_GRAPH = "https://w3id.org/gwr/ontology"


def graph_iri(report_name: str) -> str:
    """The named graph holding one report's facts (deterministic: from the report file's stem)."""
    from kg.iri import mint

    return mint("graph", report_name)


def build_time() -> Optional[datetime]:
    """The build time from ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC), or None when it is not set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        return datetime.fromtimestamp(int(raw), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"SOURCE_DATE_EPOCH={raw!r}: not a whole number of seconds since 1970") from None


# triple formats --------------------------------------------------------------------------------------

def write_turtle(graph, path: Path, extractions: Sequence = ()) -> Path:
    """Turtle, deterministic: rdflib sorts subjects, predicates and objects; IRIs are minted, no blank nodes."""
    write_bytes_atomic(path, graph.serialize(format="turtle", encoding="utf-8"))
    return path


def _sorted_lines(data: str) -> str:
    lines = sorted({line for line in data.split("\n") if line.strip()})
    return "\n".join(lines) + "\n" if lines else ""


def write_ntriples(graph, path: Path, extractions: Sequence = ()) -> Path:
    """N-Triples (UTF-8), one triple a line, lines sorted; formatted a triple at a time
    (kg.exporters.stream), so only the lines are held besides the graph, not a whole document too."""
    from kg.exporters.stream import write_ntriples_stream

    return write_ntriples_stream(graph, path, sort=True)


def _sort_value(value):
    """Sort JSON-LD structures deep: lists by their canonical JSON text, dicts by key (at dump time)."""
    if isinstance(value, dict):
        return {k: _sort_value(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sort_value(v) for v in value]
        if all(not isinstance(v, dict) or "@list" not in v for v in items):
            items.sort(key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return items
    return value


def jsonld_text(graph) -> str:
    """JSON-LD (compacted with the project's prefixes, kg.rdf.PREFIXES), nodes sorted by @id, keys sorted."""
    from kg.rdf import PREFIXES

    context = {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    if isinstance(data, dict) and "@graph" not in data and "@id" in data:  # a single node
        data = {"@context": data.pop("@context", context), "@graph": [data]}
    data = _sort_value(data)
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        data["@graph"].sort(key=lambda node: (str(node.get("@id", "")), json.dumps(node, sort_keys=True,
                                                                                     ensure_ascii=False)))
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def write_jsonld(graph, path: Path, extractions: Sequence = ()) -> Path:
    """JSON-LD of the merged graph (no named graphs; use trig or nq for those)."""
    write_text_atomic(path, jsonld_text(graph))
    return path


# quad formats ----------------------------------------------------------------------------------------

@dataclass
class NamedGraph:
    iri: str
    graph: object  # rdflib.Graph
    source: str  # what it was made from (a report file name, ontology/gwr.ttl)
    derived_from: Optional[str] = None  # the report IRI


def ontology_graph(path: Path = ONTOLOGY_FILE):
    """The ontology as an rdflib graph with canonical blank-node labels (byte-stable serializations)."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    source = Graph().parse(path, format="turtle")
    graph = Graph()
    for prefix, ns in source.namespaces():
        graph.bind(prefix, ns, override=True, replace=True)
    for triple in to_canonical_graph(source):
        graph.add(triple)
    return graph


def report_graphs(graph, extractions: Sequence = ()) -> list[NamedGraph]:
    """One named graph per report, straight from the build (:class:`kg.rdf.MergedGraph` keeps each
    report's own graph: disjoint, their union the merged graph), in report order. A plain graph is
    rebuilt from ``extractions``."""
    from kg.iri import mint

    parts = getattr(graph, "parts", None)
    if parts is None:
        if not extractions:
            raise ValueError("TriG and N-Quads need the reports the graph was built from (kg build passes them)")
        from kg.rdf import build_graph

        parts = build_graph(extractions).parts
    out = []
    for ex, part in parts:
        doc = ex.document
        out.append(NamedGraph(graph_iri(doc.name), part, doc.name + Path(doc.path).suffix, mint("report", doc.name)))
    return out


def named_graphs(graph, extractions: Sequence, *, ontology: Optional[Path] = ONTOLOGY_FILE) -> list[NamedGraph]:
    """The dataset's named graphs: one per report, then the ontology (when its file exists)."""
    graphs = report_graphs(graph, extractions)
    if ontology is not None:
        if not Path(ontology).is_file():
            raise FileNotFoundError(f"{ontology}: the ontology file is missing (the TriG/N-Quads ontology graph)")
        graphs.append(NamedGraph(ONTOLOGY_GRAPH, ontology_graph(Path(ontology)), "ontology/gwr.ttl"))
    return graphs


def description(graphs: Sequence[NamedGraph], when: Optional[datetime] = None):
    """The default graph: one description per named graph (provenance, source file, gwr-kg version)."""
    from rdflib import XSD, Literal, URIRef
    from rdflib.namespace import DCTERMS, PROV

    from kg.rdf import GENERATOR, new_graph

    g = new_graph()
    for ng in graphs:
        node = URIRef(ng.iri)
        if ng.derived_from:
            g.add((node, PROV.wasDerivedFrom, URIRef(ng.derived_from)))
        g.add((node, DCTERMS.source, Literal(ng.source)))
        g.add((node, DCTERMS.creator, Literal(GENERATOR)))
        if when is not None:
            g.add((node, PROV.generatedAtTime,
                   Literal(when.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)))
    return g


def dataset(graph, extractions: Sequence, *, ontology: Optional[Path] = ONTOLOGY_FILE, when=None):
    """(default graph, named graphs) of the quad exports; ``when`` defaults to :func:`build_time`."""
    graphs = named_graphs(graph, extractions, ontology=ontology)
    return description(graphs, build_time() if when is None else when), graphs


def _turtle_body(graph) -> tuple[list[str], str]:
    """A graph's Turtle split into its @prefix lines and its statements."""
    text = graph.serialize(format="turtle", encoding="utf-8").decode("utf-8")
    prefixes, body = [], []
    for line in text.split("\n"):
        (prefixes if line.startswith("@prefix ") else body).append(line)
    return prefixes, "\n".join(body).strip("\n")


def trig_text(default, graphs: Sequence[NamedGraph]) -> str:
    """TriG: the prefixes, the default graph, then each named graph in IRI order (Turtle blocks)."""
    prefixes: set[str] = set()
    blocks = []
    p, body = _turtle_body(default)
    prefixes.update(p)
    if body:
        blocks.append(body)
    for ng in sorted(graphs, key=lambda ng: ng.iri):
        p, body = _turtle_body(ng.graph)
        prefixes.update(p)
        # Not indented: a multi-line (triple-quoted) literal must keep its lines exactly.
        blocks.append(f"<{ng.iri}> {{\n{body}\n}}")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n\n".join(blocks) + "\n"


def nquads_text(default, graphs: Sequence[NamedGraph]) -> str:
    """N-Quads: every triple of the default graph and of each named graph, lines sorted."""
    # split("\n"), not splitlines(): N-Triples ends lines with \n only, and literals may hold \u2028 etc.
    lines = set(_sorted_lines(default.serialize(format="nt", encoding="utf-8").decode("utf-8")).split("\n")) - {""}
    for ng in graphs:
        for line in ng.graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n"):
            line = line.rstrip()
            if line.endswith(" ."):
                lines.add(f"{line[:-2]} <{ng.iri}> .")
    return "\n".join(sorted(lines)) + "\n"


def write_trig(graph, path: Path, extractions: Sequence = ()) -> Path:
    """TriG: one named graph per report and one for the ontology, described in the default graph."""
    write_text_atomic(path, trig_text(*dataset(graph, extractions)))
    return path


def write_nquads(graph, path: Path, extractions: Sequence = ()) -> Path:
    """N-Quads: the same dataset as the TriG export, one quad a line, lines sorted."""
    write_text_atomic(path, nquads_text(*dataset(graph, extractions)))
    return path
