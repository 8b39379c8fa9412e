"""Exports: every format round-trips through rdflib and pyoxigraph, quad formats hold one graph per
report, and every format is byte-identical across runs (and across Python hash seeds)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ["ttl", "trig", "nt", "nq", "jsonld"]
TRIPLE_FORMATS = {"ttl": ("turtle", "TURTLE"), "nt": ("nt", "N_TRIPLES"), "jsonld": ("json-ld", "JSON_LD")}
QUAD_FORMATS = {"trig": ("trig", "TRIG"), "nq": ("nquads", "N_QUADS")}
GRAPH_PREFIX = "https://w3id.org/gwr/id/graph/"
ONTOLOGY_GRAPH = "https://w3id.org/gwr/ontology"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def _canonical(triples):
    """An rdflib graph of the triples, decimals in canonical lexical form (Turtle writes 3E7 as 30000000.0)."""
    from rdflib import Graph, Literal, URIRef

    graph = Graph()
    for s, p, o in triples:
        if isinstance(o, Literal) and o.datatype == URIRef(XSD_DECIMAL):
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=o.datatype)
        graph.add((s, p, o))
    return graph


def _isomorphic(a, b) -> bool:
    from rdflib.compare import isomorphic

    return isomorphic(_canonical(a), _canonical(b))


def _from_oxigraph(term):
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":  # RDF 1.1: a simple literal
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _oxigraph_quads(path: Path, fmt: str) -> dict[str, list]:
    """graph name ('' for the default graph) → rdflib triples, parsed by pyoxigraph."""
    import pyoxigraph as ox

    out: dict[str, list] = {}
    for quad in ox.parse(path=str(path), format=getattr(ox.RdfFormat, fmt)):
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        out.setdefault(name, []).append(tuple(_from_oxigraph(t) for t in (quad.subject, quad.predicate, quad.object)))
    return out


def _rdflib_quads(path: Path, fmt: str) -> dict[str, list]:
    from rdflib import Dataset
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    ds = Dataset()
    ds.parse(path, format=fmt)
    out = {}
    for g in ds.graphs():
        name = "" if g.identifier == DATASET_DEFAULT_GRAPH_ID else str(g.identifier)
        if len(g):
            out[name] = list(g)
    return out


@pytest.fixture(scope="module")
def merged(seed_build):
    from kg.rdf import build_graph

    return build_graph(seed_build.reports)


@pytest.fixture(scope="module")
def exports(seed_build, merged, tmp_path_factory):
    from kg.build import write_outputs

    out = tmp_path_factory.mktemp("exports")
    written = write_outputs(merged, seed_build.reports, out, formats=FORMATS, views=False)
    assert [p.name for p in written] == [f"graph.{f}" for f in FORMATS]
    return out


@pytest.mark.parametrize("fmt", sorted(TRIPLE_FORMATS))
@pytest.mark.parametrize("parser", ["rdflib", "pyoxigraph"])
def test_triple_formats_round_trip(fmt, parser, exports, merged):
    from rdflib import Graph

    rdflib_fmt, ox_fmt = TRIPLE_FORMATS[fmt]
    path = exports / f"graph.{fmt}"
    if parser == "rdflib":
        parsed = list(Graph().parse(path, format=rdflib_fmt))
    else:
        quads = _oxigraph_quads(path, ox_fmt)
        assert list(quads) == [""], "a triple format must hold only the default graph"
        parsed = quads[""]
    assert len(parsed) == len(merged)
    assert _isomorphic(parsed, merged)


@pytest.mark.parametrize("fmt", sorted(QUAD_FORMATS))
@pytest.mark.parametrize("parser", ["rdflib", "pyoxigraph"])
def test_quad_formats_round_trip_graph_by_graph(fmt, parser, exports, merged, seed_build):
    from kg.exporters.rdf import dataset

    rdflib_fmt, ox_fmt = QUAD_FORMATS[fmt]
    path = exports / f"graph.{fmt}"
    parsed = _rdflib_quads(path, rdflib_fmt) if parser == "rdflib" else _oxigraph_quads(path, ox_fmt)
    default, graphs = dataset(merged, seed_build.reports)
    expected = {ng.iri: list(ng.graph) for ng in graphs}
    assert sorted(parsed) == sorted(["", *expected])
    for iri, triples in expected.items():
        assert _isomorphic(parsed[iri], triples), f"{fmt}: graph {iri} differs after the round trip"
    assert _isomorphic(parsed[""], list(default))


def test_report_graphs_are_disjoint_and_their_union_is_the_turtle_graph(exports, merged, seed_build):
    parsed = _rdflib_quads(exports / "graph.trig", "trig")
    report_graphs = {k: v for k, v in parsed.items() if k.startswith(GRAPH_PREFIX)}
    assert len(report_graphs) == len(seed_build.reports)
    assert ONTOLOGY_GRAPH in parsed and len(parsed[ONTOLOGY_GRAPH]) > 100
    union = [t for triples in report_graphs.values() for t in triples]
    assert len(union) == len(set(union)) == len(merged)
    assert _isomorphic(union, merged)


def test_each_report_graph_holds_its_report_and_is_described_in_the_default_graph(exports, seed_build):
    from rdflib import RDF, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, PROV

    from kg import __version__
    from kg.iri import mint

    GWR = Namespace("https://w3id.org/gwr/ontology#")
    parsed = _rdflib_quads(exports / "graph.trig", "trig")
    default = set(parsed[""])
    for ex in seed_build.reports:
        graph, report = URIRef(mint("graph", ex.document.name)), URIRef(mint("report", ex.document.name))
        triples = set(parsed[str(graph)])
        assert (report, RDF.type, GWR.Report) in triples
        assert (report, GWR.contentHash, Literal(ex.document.raw_sha256)) in triples
        assert all(t[0] != report for g, ts in parsed.items() if g not in ("", str(graph)) for t in ts), \
            "a report's own facts belong to its graph only"
        assert (graph, PROV.wasDerivedFrom, report) in default
        assert (graph, DCTERMS.source, Literal(Path(ex.document.path).name)) in default
        assert (graph, DCTERMS.creator, Literal(f"gwr-kg {__version__}")) in default
        assert not any(p == PROV.generatedAtTime for s, p, o in default), "no timestamp unless SOURCE_DATE_EPOCH"


def test_every_export_is_byte_identical_whatever_the_insertion_order(exports, merged, seed_build, tmp_path):
    from kg.build import write_outputs
    from kg.rdf import new_graph

    shuffled = new_graph()
    for triple in sorted(merged, reverse=True):
        shuffled.add(triple)
    write_outputs(shuffled, list(reversed(seed_build.reports)), tmp_path, formats=FORMATS, views=False)
    for fmt in FORMATS:
        assert (tmp_path / f"graph.{fmt}").read_bytes() == (exports / f"graph.{fmt}").read_bytes(), fmt


EXPORT_SCRIPT = """
import pickle, sys
from pathlib import Path
from kg.build import write_outputs
from kg.rdf import build_graph
reports = pickle.loads(Path(sys.argv[1]).read_bytes())
write_outputs(build_graph(reports), reports, Path(sys.argv[2]), formats=sys.argv[3].split(","), views=False)
"""


@pytest.mark.slow
def test_every_export_is_byte_identical_across_processes_and_hash_seeds(seed_build, exports, tmp_path):
    """Same extractions, two fresh interpreters with different hash seeds: the same bytes in every format."""
    data = tmp_path / "reports.pickle"
    data.write_bytes(pickle.dumps(seed_build.reports))
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        subprocess.run([sys.executable, "-c", EXPORT_SCRIPT, str(data), str(tmp_path / seed), ",".join(FORMATS)],
                       check=True, cwd=ROOT, env=env, timeout=300)
    for fmt in FORMATS:
        one, two = (tmp_path / "1" / f"graph.{fmt}").read_bytes(), (tmp_path / "2" / f"graph.{fmt}").read_bytes()
        assert one == two, f"graph.{fmt} differs between runs"
        assert one == (exports / f"graph.{fmt}").read_bytes(), f"graph.{fmt} differs from the in-process export"


def test_source_date_epoch_sets_the_build_time_and_keeps_output_stable(merged, seed_build, tmp_path, monkeypatch):
    from rdflib import XSD, Literal
    from rdflib.namespace import PROV

    from kg.exporters.rdf import write_trig

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_trig(merged, tmp_path / "a.trig", seed_build.reports)
    write_trig(merged, tmp_path / "b.trig", seed_build.reports)
    assert (tmp_path / "a.trig").read_bytes() == (tmp_path / "b.trig").read_bytes()
    default = _rdflib_quads(tmp_path / "a.trig", "trig")[""]
    times = {o for s, p, o in default if p == PROV.generatedAtTime}
    assert times == {Literal("2023-11-14T22:13:20Z", datatype=XSD.dateTime)}

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH='yesterday'"):
        write_trig(merged, tmp_path / "c.trig", seed_build.reports)
    assert not (tmp_path / "c.trig").exists()


def test_quad_formats_need_the_reports(merged, tmp_path):
    """A built graph knows its report graphs (one pass to RDF per report); a plain graph read back from
    Turtle does not, and the quad formats say what they need."""
    from rdflib import Graph

    from kg.exporters.rdf import report_graphs, write_nquads

    assert sum(len(ng.graph) for ng in report_graphs(merged)) == len(merged)
    plain = Graph()
    for triple in merged:
        plain.add(triple)
    with pytest.raises(ValueError, match="need the reports"):
        write_nquads(plain, tmp_path / "g.nq")


def test_formats_and_aliases_are_registered():
    from kg.registry import EXPORTERS, UnknownPartError

    for alias, name in [("turtle", "ttl"), ("TriG".lower(), "trig"), ("n-triples", "nt"), ("ntriples", "nt"),
                        ("n-quads", "nq"), ("nquads", "nq"), ("json-ld", "jsonld")]:
        assert EXPORTERS.canonical(alias) == name
        assert callable(EXPORTERS.get(alias))
    with pytest.raises(UnknownPartError, match="known exporters: jsonld, nq, nt, trig, ttl"):
        EXPORTERS.canonical("rdfxml")


def test_build_cli_rejects_an_unknown_format_before_reading(tmp_path, capsys):
    from kg.cli import main

    code = main(["build", str(ROOT / "seeds"), "--out", str(tmp_path), "--format", "ttl,xml", "--no-views", "-q"])
    assert code == 1
    err = capsys.readouterr().err
    assert "unknown exporter 'xml'" in err and "trig" in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("fmt, formatters", [("ttl", 1), ("ttl", 2), ("ttl", 3), ("trig", 1)])
def test_turtle_and_trig_formatted_in_child_processes_are_the_same_bytes(seed_build, tmp_path, monkeypatch, fmt,
                                                                          formatters):
    """Large graphs are formatted by pyoxigraph in child processes fed through pipes: Turtle in chunks
    cut between subjects, shared by several children; TriG streamed to one. Same bytes."""
    import kg.exporters.rdf as rdf
    from kg.store import build_store

    store = build_store(seed_build.reports)
    write = rdf.write_turtle if fmt == "ttl" else rdf.write_trig
    here = write(store, tmp_path / f"here.{fmt}", seed_build.reports).read_bytes()
    monkeypatch.setattr(rdf, "PIPED_FROM", 0)
    monkeypatch.setattr(rdf, "CHUNK_LINES", 500)  # the seeds' 9,000 lines in some 18 chunks
    monkeypatch.setattr(rdf, "_formatters", lambda: formatters)
    chunks = list(rdf._subject_chunks(store.ntriples_blocks(), rdf.CHUNK_LINES))
    assert len(chunks) > 10 and b"".join(chunks) == b"".join(store.ntriples())
    piped = write(store, tmp_path / f"piped.{fmt}", seed_build.reports).read_bytes()
    assert piped == here and len(here) > 100_000


def test_chunks_end_where_a_subject_does():
    from kg.exporters.rdf import _subject_chunks

    lines = [b"<a> <p> 1 .\n", b"<a> <q> 2 .\n", b"<ab> <p> 3 .\n", b"<b> <p> 4 .\n", b"<b> <q> 5 .\n"]
    assert list(_subject_chunks([lines], 1)) == [b"".join(lines[:2]), lines[2], b"".join(lines[3:])]
    assert list(_subject_chunks([lines], 10)) == [b"".join(lines)]
    assert list(_subject_chunks([], 1)) == list(_subject_chunks([[]], 1)) == []
    # the lines given in lists cut anywhere (a subject going on from one list into the next): the same chunks
    for size in range(1, 6):
        whole = list(_subject_chunks([lines], size))
        for cut in range(len(lines) + 1):
            for second in range(cut, len(lines) + 1):
                assert list(_subject_chunks([lines[:cut], lines[cut:second], lines[second:]], size)) == whole


@pytest.mark.parametrize("fmt, formatters", [("ttl", 2), ("ttl", 1), ("trig", 1)])
def test_a_failing_formatting_process_names_the_file_and_leaves_no_file(tmp_path, monkeypatch, fmt, formatters):
    import kg.exporters.rdf as rdf

    monkeypatch.setattr(rdf, "PIPED_FROM", 0)
    monkeypatch.setattr(rdf, "CHUNK_LINES", 1)
    monkeypatch.setattr(rdf, "_formatters", lambda: formatters)
    target = tmp_path / f"graph.{fmt}"
    lines = [b"<a> <b> <c> .\n", b"<d> <b> not-a-term .\n", b"<e> <b> <c> .\n"]
    with pytest.raises(RuntimeError, match=rf"graph\.{fmt}.*formatting process.*exit status 1"):
        rdf._write_pretty(target, [lines], fmt, size=1)
    assert not target.exists() and not list(tmp_path.iterdir())


@pytest.mark.parametrize("fmt, children", [("ttl", 2), ("trig", 1)])
def test_a_failing_merge_stops_the_formatting_processes_and_is_raised(tmp_path, monkeypatch, fmt, children):
    """An error in the lines fed to the children (a run file that cannot be written, say) is the one
    raised; no child is left running."""
    import kg.exporters.rdf as rdf

    monkeypatch.setattr(rdf, "CHUNK_LINES", 1)
    monkeypatch.setattr(rdf, "_formatters", lambda: 2)
    started = []
    formatter = rdf._formatter
    monkeypatch.setattr(rdf, "_formatter", lambda *a: started.append(formatter(*a)) or started[-1])

    def blocks():
        yield [b"<a> <b> <c> .\n", b"<d> <b> <c> .\n"]
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        rdf._write_pretty(tmp_path / f"graph.{fmt}", blocks(), fmt, size=rdf.PIPED_FROM)
    assert len(started) == children and all(child.poll() is not None for child in started)
    assert not list(tmp_path.iterdir())
