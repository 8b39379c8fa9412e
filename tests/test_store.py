"""The build's store (kg.store) holds the graph kg.rdf.build_graph makes, report by report."""

from __future__ import annotations

import pytest
from extract_fixtures import project_extraction


def _merging_reports():
    """Three reports of which two fold a project (labels, altLabels) and disagree on its status."""
    return [
        project_extraction("jia-2023", "甲县", 2023, [("幸福大道全线", "Completed", 2022), ("实训基地二期", "Planned", 2023)]),
        project_extraction("jia-2022", "甲县", 2022, [("幸福大道", "Underway", 2021), ("实训基地", "Planned", 2022)]),
        project_extraction("jia-2024", "甲县", 2024, [("幸福大道", "Underway", 2024), ("实训基地", "Completed", 2024)]),
        project_extraction("yi-2023", "乙县", 2023, [("幸福大道全线", "Planned", 2023)]),
    ]


def _parts(store):
    from rdflib import Graph

    return [(ex.document.name, set(Graph().parse(data=b"".join(store.report_lines(i)), format="nt")))
            for i, ex in enumerate(store.reports)]


@pytest.mark.parametrize("merge_lines", [2_500_000, 40])
def test_store_holds_the_merged_graph_report_by_report(merge_lines, monkeypatch):
    """Same report graphs (disjoint, same triples each), merges and counts as build_graph, also when
    the reports are merged through run files (a small line budget)."""
    import kg.store
    from kg.build import class_counts
    from kg.rdf import build_graph
    from kg.store import build_store

    monkeypatch.setattr(kg.store, "MERGE_LINES", merge_lines)
    graph = build_graph(_merging_reports())
    store = build_store(_merging_reports())
    assert store.merges == graph.merges and store.merges
    assert [(n, p) for n, p in _parts(store)] == [(ex.document.name, set(g)) for ex, g in graph.parts]
    assert len(store) == len(graph)
    assert store.classes == class_counts(graph)
    lines = list(store.ntriples())
    assert lines == sorted(set(lines)) and len(lines) == len(graph)
    assert len(kg.store._batches(store._counts, merge_lines)) == (1 if merge_lines > len(lines) else len(store._counts))


@pytest.mark.parametrize("counts, budget, groups", [
    ([10, 10, 10, 10], 25, [(0, 2), (2, 4)]),
    ([30, 5, 5], 25, [(0, 1), (1, 3)]),  # a report larger than the budget is a batch alone
    ([1, 2], 10, [(0, 2)]),
    ([], 10, []),
])
def test_merge_batches_stay_within_the_line_budget(counts, budget, groups):
    from kg.store import _batches

    assert [(r.start, r.stop) for r in _batches(counts, budget)] == groups


def test_lines_with_colliding_hashes_are_compared_as_bytes(monkeypatch):
    """The reports are made disjoint by comparing the lines whose hashes several reports share: with
    a hash under which most lines collide, the parts are still exactly build_graph's."""
    import numpy

    import kg.store
    from kg.rdf import build_graph
    from kg.store import build_store

    monkeypatch.setattr(kg.store, "_line_hashes", lambda lines: numpy.array([len(line) % 7 for line in lines],
                                                                          dtype=numpy.int64))
    graph = build_graph(_merging_reports())
    store = build_store(_merging_reports())
    assert [(n, p) for n, p in _parts(store)] == [(ex.document.name, set(g)) for ex, g in graph.parts]
    assert len(store) == len(graph)


def test_exporters_write_the_same_bytes_from_a_store_and_from_build_graph(tmp_path):
    from kg.exporters.rdf import write_nquads, write_ntriples, write_trig, write_turtle
    from kg.rdf import build_graph
    from kg.store import build_store

    reports = _merging_reports()
    for write in (write_turtle, write_ntriples, write_trig, write_nquads):
        a = write(build_store(reports), tmp_path / f"a.{write.__name__}", reports).read_bytes()
        b = write(build_graph(reports), tmp_path / f"b.{write.__name__}", reports).read_bytes()
        assert a == b, write.__name__


def test_store_graph_reads_like_rdflib():
    """The views' reads of the store (StoreGraph) give what the same reads of build_graph give."""
    from rdflib import RDF, RDFS

    from kg.rdf import GWR, build_graph
    from kg.store import build_store

    graph = build_graph(_merging_reports())
    view = build_store(_merging_reports()).graph()
    assert len(view) == len(graph)
    assert set(view) == set(graph)
    assert set(view.subjects(RDF.type, GWR.Project)) == set(graph.subjects(RDF.type, GWR.Project))
    for project in graph.subjects(RDF.type, GWR.Project):
        assert view.value(project, RDFS.label) == graph.value(project, RDFS.label)
        assert sorted(view.objects(project, GWR.mention)) == sorted(graph.objects(project, GWR.mention))
    assert view.value(None, RDFS.label, graph.value(next(iter(graph.subjects(RDF.type, GWR.Report))), RDFS.label)) \
        is not None
    rows = view.query("PREFIX gwr: <https://w3id.org/gwr/ontology#> SELECT ?p ?s WHERE { ?p gwr:projectStatus ?s }")
    assert sorted(rows) == sorted((p, s) for p, s in graph.subject_objects(GWR.projectStatus))


def test_store_graph_on_disk_reads_as_in_memory(tmp_path):
    """A StoreGraph over a pyoxigraph store on disk answers as one in memory, and its triples come
    report by report in the order of a whole-graph read."""
    from rdflib import RDF

    from kg.rdf import GWR
    from kg.store import build_store

    store = build_store(_merging_reports())
    disk = store.graph(tmp_path / "ox")
    assert store._oxigraph is None  # the on-disk store is the caller's, never cached
    memory = store.graph()
    assert list(disk) == list(memory) == memory.triples((None, None, None))
    assert disk.triples((None, RDF.type, GWR.Project)) == memory.triples((None, RDF.type, GWR.Project))
    sparql = "PREFIX gwr: <https://w3id.org/gwr/ontology#> SELECT ?p ?s WHERE { ?p gwr:projectStatus ?s }"
    assert disk.query(sparql) == memory.query(sparql)



def test_indexed_graph_answers_as_the_store_graph():
    """IndexedGraph (the graph read into memory once, for a district's pages) gives every read the
    answer StoreGraph gives, in the same order, for patterns with none to all of their terms bound."""
    from itertools import product

    from kg.store import IndexedGraph, build_store

    store = build_store(_merging_reports())
    slow, fast = store.graph(), IndexedGraph(store)
    triples = list(slow)
    assert list(fast) == triples and len(fast) == len(slow) and len(triples) > 50
    for s, p, o in triples[::7]:
        for mask in product((False, True), repeat=3):
            pattern = tuple(t if keep else None for t, keep in zip((s, p, o), mask))
            assert fast.triples(pattern) == slow.triples(pattern), pattern
        assert fast.value(s, p) == slow.value(s, p) and (s, p, o) in fast
    sparql = "PREFIX gwr: <https://w3id.org/gwr/ontology#> SELECT ?p ?s WHERE { ?p gwr:projectStatus ?s }"
    assert fast.query(sparql) == slow.query(sparql)

def test_views_from_a_store_on_disk_are_the_same_bytes(tmp_path, monkeypatch):
    """Above kg.store.ON_DISK_ABOVE triples the views read a store on disk in the staging folder: the
    pages are the same bytes, and the store's folder is not left in the output."""
    import kg.store
    from kg.build import write_outputs
    from kg.store import build_store

    reports = _merging_reports()
    memory = write_outputs(build_store(reports), reports, tmp_path / "memory", views=True)
    monkeypatch.setattr(kg.store, "ON_DISK_ABOVE", 0)
    disk = write_outputs(build_store(reports), reports, tmp_path / "disk", views=True)
    assert [p.relative_to(tmp_path / "disk") for p in disk] == [p.relative_to(tmp_path / "memory") for p in memory]
    assert any(p.name == "index.html" for p in disk)
    for a, b in zip(memory, disk):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert not list((tmp_path / "disk").glob(".oxigraph-*"))
    assert sorted(p.name for p in (tmp_path / "disk").iterdir()) == sorted(p.name for p in (tmp_path / "memory").iterdir())


def test_store_of_reports_mapped_beforehand_is_the_same():
    """build_store given the reports' map_one (as kg build's workers make it beside each extraction;
    None for a report to map here, as a cache hit) stores the same lines, merges and counts."""
    import pickle

    from kg.store import build_store, map_one

    reports = _merging_reports()
    whole = build_store(reports)
    mapped = [map_one(ex) for ex in reports]
    assert pickle.loads(pickle.dumps(mapped[0])) == mapped[0]  # sent back from worker processes
    mapped[2] = None
    store = build_store(list(reversed(reports)), mapped=list(reversed(mapped)))
    assert [ex.document.name for ex in store.reports] == [ex.document.name for ex in whole.reports]
    assert list(store.ntriples()) == list(whole.ntriples())
    assert (store.merges, store.classes, len(store)) == (whole.merges, whole.classes, len(whole))
    given = [map_one(ex) for ex in reports]
    build_store(reports, mapped=given)
    assert given == []  # emptied: the caller would otherwise keep every report's lines to the end
    with pytest.raises(ValueError):
        build_store(reports, mapped=[None])


@pytest.mark.parametrize("threads", [1, 2])
def test_the_zlib_threads_keep_the_order_of_the_items(threads):
    """The readers' helper threads (_make_disjoint, _sorted_batch): results in item order, whichever
    thread finishes first."""
    import time
    import zlib

    from kg.store import _ZlibThread

    blobs = [zlib.compress(b"%d\n" % i * (i + 1)) for i in range(20)]

    def slow_on_even(blob: bytes) -> bytes:
        data = zlib.decompress(blob)
        if len(data) % 2 == 0:
            time.sleep(0.005)
        return data

    with _ZlibThread(threads=threads) as thread:
        assert list(thread.ahead(slow_on_even, blobs)) == [b"%d\n" % i * (i + 1) for i in range(20)]


def test_a_report_keeps_its_lines_apart_and_gives_up_those_an_earlier_report_holds(seed_build):
    """After the disjoint pass a report's lines are its two sets of lines without the ones it gave up
    (kg.store._Joined): read, they are sorted, each held once in the whole store, and the store's
    counts are the lines read."""
    from kg.store import _Joined, build_store

    store = build_store(seed_build.reports)
    read = [store.report_lines(i) for i in range(len(store.reports))]
    assert all(isinstance(blob, _Joined) for blob in store._blobs)
    assert all(lines == sorted(lines) for lines in read)
    every = [line for lines in read for line in lines]
    assert len(every) == len(set(every)) == len(store)
    assert [len(lines) for lines in read] == store._counts
    assert any(blob.held for blob in store._blobs)  # the seeds share a province, awards, indicators


def test_line_hashes_are_the_same_in_every_process():
    """The workers hash each report's lines for the disjoint pass: their hashes must be the client's
    (Python's own hash of bytes is salted per process)."""
    import os
    import subprocess
    import sys

    from kg.store import _line_hashes

    lines = [b"<a> <b> <c> .\n", "<a> <b> \"县\"@zh .\n".encode("utf-8"), b""]
    code = "import sys; from kg.store import _line_hashes; sys.stdout.write(_line_hashes(%r).tobytes().hex())" % lines
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        assert out == _line_hashes(lines).tobytes().hex()
    assert len(set(_line_hashes(lines).tolist())) == 3


def _functional_store(reports: list[list[bytes]], plan_years: list[int]):
    """A store holding only FUNCTIONAL lines (one list a report), as build_store has it before the
    functional merge."""
    import zlib
    from types import SimpleNamespace

    import numpy

    from kg.store import ReportStore, _functional_keys, _line_hashes

    store = ReportStore([])
    store.reports = [SimpleNamespace(meta=SimpleNamespace(plan_year=y)) for y in plan_years]
    lines = [sorted(set(r)) for r in reports]
    store._extra = [zlib.compress(b"".join(r), 1) for r in lines]
    store._extra_counts = [len(r) for r in lines]
    store._hashes = [_line_hashes(r) for r in lines]
    store._subjects = [_functional_keys(r) for r in lines]
    assert all(isinstance(a, numpy.ndarray) for a, _ in store._subjects)
    return store


def test_the_functional_merge_reads_only_the_nodes_it_could_change(monkeypatch):
    """Nodes one report names once are left out of the merge; the result is the merge of every node:
    a node two reports label differently, one report's node with two labels, with an altLabel equal
    to its label, with two statuses; and nodes no merge changes."""
    import zlib

    import kg.store
    from kg.store import _functional_keys, _merge_functional_lines

    label = b"<http://www.w3.org/2000/01/rdf-schema#label>"
    alt = b"<http://www.w3.org/2004/02/skos/core#altLabel>"
    status = b"<https://w3id.org/gwr/ontology#projectStatus>"

    def line(s, p, o):
        return b"<%s> %s %s .\n" % (s, p, o)

    reports = [
        [line(b"shared", label, b'"A"'), line(b"two-labels", label, b'"B"'), line(b"two-labels", label, b'"C"'),
         line(b"alt-is-label", label, b'"D"'), line(b"alt-is-label", alt, b'"D"'), line(b"plain", label, b'"E"'),
         line(b"plain", alt, b'"F"')],
        [line(b"shared", label, b'"G"'), line(b"two-statuses", status, b'"x"'), line(b"two-statuses", status, b'"y"'),
         line(b"alone", label, b'"H"')],
        [line(b"shared", alt, b'"A"'), line(b"shared", status, b'"z"')],
    ]

    def merged(every_node: bool) -> list:
        if every_node:
            monkeypatch.setattr(kg.store, "_functional_keys", lambda lines: (_functional_keys(lines)[0],) * 2)
        store = _functional_store(reports, [2024, 2025, 2023])
        _merge_functional_lines(store, None)
        monkeypatch.undo()
        return [zlib.decompress(blob) for blob in store._extra]

    assert merged(False) == merged(True)
    assert merged(False) != [b"".join(sorted(r)) for r in reports]  # the merge changed something
    _, local = _functional_keys(reports[0])
    assert len(local) == 2  # two-labels, alt-is-label


def test_triple_set_builds_its_predicate_index_late_and_answers_as_if_kept_all_along():
    """kg.rdf.TripleSet makes its predicate index on the first question that needs it (the mapping of a
    report asks none): after any sequence of adds, removes and questions its answers, in their order,
    are those of a set whose index was kept from the start, and the triples are rdflib's."""
    import random

    from rdflib import Graph, Literal, URIRef

    from kg.rdf import TripleSet

    rng = random.Random(14)
    nodes = [URIRef(f"https://example.org/n{i}") for i in range(6)]
    props = [URIRef(f"https://example.org/p{i}") for i in range(3)]
    values = nodes[:3] + [Literal(i) for i in range(3)] + [Literal("甲", lang="zh")]
    for _ in range(60):
        late, early, reference = TripleSet(), TripleSet(), Graph()
        early._index()  # kept from the start
        lazy_until_asked = True
        for _ in range(rng.randrange(1, 40)):
            op = rng.random()
            s, p, o = rng.choice(nodes), rng.choice(props), rng.choice(values)
            if op < 0.6:
                for graph in (late, early, reference):
                    graph.add((s, p, o))
            elif op < 0.75:
                pattern = (rng.choice([s, None]), p, rng.choice([o, None]))
                for graph in (late, early, reference):
                    graph.remove(pattern)
                lazy_until_asked = False
            else:
                pattern = (None, p, rng.choice([o, None]))
                assert list(late.triples(pattern)) == list(early.triples(pattern))
                assert set(late.triples(pattern)) == set(reference.triples(pattern))
                lazy_until_asked = False
            if lazy_until_asked:
                assert late._pos is None  # adds alone never build it
        assert list(late) == list(early) and set(late) == set(reference) and len(late) == len(reference)
        for p in props:
            assert list(late.subject_objects(p)) == list(early.subject_objects(p))
