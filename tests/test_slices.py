"""District pages and the index are drawn district by district (kg.store.district_slices): each slice
holds its district's reports and the context they name, and the slices' summaries add up to the whole
graph's, so the index is the same as one drawn from the whole graph."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def seed_store(seed_build):
    from kg.store import build_store

    return build_store(seed_build.reports)


def _whole_and_slices(store):
    from kg.store import district_slices

    return store.graph(), list(district_slices(store))  # the slices do not read the whole graph


def test_each_district_is_one_slice_of_its_own_reports(seed_store):
    from rdflib import RDF

    from kg.rdf import GWR

    whole, slices = _whole_and_slices(seed_store)
    districts = sorted(str(d) for d in whole.subjects(RDF.type, GWR.District))
    assert [s.districts for s in slices] == [[d] for d in districts]
    for piece in slices:
        reports = {str(r) for r in piece.graph.subjects(RDF.type, GWR.Report)}
        assert reports and all(str(whole.value(r, GWR.about)) == piece.districts[0] for r in
                               piece.graph.subjects(RDF.type, GWR.Report))
    # the slices' own lines are the whole graph's, each in exactly one slice
    own = [line for piece in slices for line in piece.own]
    assert sorted(own) == list(seed_store.ntriples())


def _clone_store(seed_build):
    """The seeds and three clones: a district of two reports and one more district, both in the first
    seed's city (so they share a city, a province, awards and indicators with it)."""
    import dataclasses

    from kg.store import build_store

    seeds = seed_build.reports
    city, province = seeds[0].meta.city, seeds[0].meta.province
    clones = []
    for n, (ex, district) in enumerate([(seeds[0], "甲县"), (seeds[1], "甲县"), (seeds[0], "青山区")]):
        name = f"{ex.document.name}-clone{n}"
        meta = dataclasses.replace(ex.meta, district=district, division_code=None, city=city, province=province)
        clones.append(dataclasses.replace(ex, meta=meta,
                                          document=dataclasses.replace(ex.document, name=name, path=f"{name}.txt")))
    return build_store(list(seeds) + clones)


def test_a_slices_context_is_what_the_whole_graph_holds_about_the_nodes_it_names(seed_build):
    """The context comes from the reports' lines (only the nodes several districts hold or name), yet
    it is what lookups in the whole graph give: every triple of another district's reports about a
    node the slice's triples name, then about the nodes that context names — here also for a district
    of two reports and for districts that share a city and awards with another."""
    import pyoxigraph as ox

    from kg.iri import DATA
    from kg.store import _STATEMENT, district_slices

    store = _clone_store(seed_build)
    source = store.graph()._store
    slices = list(district_slices(store))
    assert len(slices) == len(seed_build.reports) + 2
    assert sorted(len(p.graph.report_store.reports) for p in slices)[-1] == 3
    total = 0
    for piece in slices:
        part = piece.graph.report_store
        context = ox.NamedNode(part.part_graph(len(part.reports) - 1))
        got = {(q.subject, q.predicate, q.object) for q in part._oxigraph.quads_for_pattern(None, None, None, context)}
        own = {(q.subject, q.predicate, q.object) for q in part._oxigraph if q.graph_name != context}
        named = {t.value for triple in own for t in (triple[0], triple[2])
                 if isinstance(t, ox.NamedNode) and t.value.startswith(DATA)}
        expected, seen = set(), set()
        while named:
            iri = named.pop()
            seen.add(iri)
            if iri.startswith(_STATEMENT.decode()):
                continue
            for q in source.quads_for_pattern(ox.NamedNode(iri), None, None, None):
                triple = (q.subject, q.predicate, q.object)
                if triple not in own and triple not in expected:
                    expected.add(triple)
                    if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(DATA):
                        named |= {q.object.value} - seen
        assert got == expected, piece.districts
        assert part._counts[-1] == len(got)
        total += len(got)
    assert total > 100  # the seeds and their clones share cities, awards and indicators


def test_a_slice_carries_the_context_its_triples_name(seed_store):
    """A node a district's reports name but whose label or type another report holds (a shared city,
    award or indicator) has them in the slice, and nothing is in a slice twice."""
    from rdflib import RDF, RDFS, URIRef

    from kg.rdf import GWR

    whole, slices = _whole_and_slices(seed_store)
    shared = 0
    for piece in slices:
        triples = list(piece.graph)
        assert len(triples) == len(set(triples))
        for node in {o for _, _, o in triples if isinstance(o, URIRef) and str(o).startswith(str(GWR)[:-9] + "id/")}:
            assert piece.graph.value(node, RDFS.label) == whole.value(node, RDFS.label), node
            assert set(piece.graph.objects(node, RDF.type)) == set(whole.objects(node, RDF.type)), node
        lines = {f"<{s}> <{p}> <{o}> .\n".encode("utf-8") for s, p, o in triples if isinstance(o, URIRef)}
        shared += len(lines - piece.own)
    assert shared  # the seeds share cities, awards and indicators across districts


def test_the_slices_summaries_add_up_to_the_whole_graphs(seed_store):
    from kg.views.model import to_networkx
    from kg.views.site import Summary, summarize

    whole, slices = _whole_and_slices(seed_store)
    expected = summarize(whole, to_networkx(whole))
    total = Summary()
    for piece in slices:
        total.add(summarize(piece.graph, to_networkx(piece.graph), piece.own))
    assert (total.nodes, total.edges, total.classes) == (expected.nodes, expected.edges, expected.classes)
    assert total.nodes > 100 and total.edges > 100
    assert (total.award_levels, total.award_recipients) == (expected.award_levels, expected.award_recipients)
    assert total.investments == expected.investments and total.growth == expected.growth
    assert total.years == expected.years
    key = lambda row: (row["district"], row["report"])  # noqa: E731
    assert sorted(total.reports, key=key) == sorted(expected.reports, key=key)


@pytest.mark.parametrize("corpus", ["seeds", "clones"])
def test_the_union_of_the_slices_graphs_is_the_whole_graphs(seed_build, corpus):
    """The whole-graph page is drawn from the district slices' networkx graphs put together
    (NetworkxUnion): node by node and edge by edge, with every attribute, it is the networkx graph of
    the whole graph, also where districts share a city, awards and indicators and where a district
    has two reports."""
    from kg.store import IndexedGraph, build_store, district_slices
    from kg.views.model import NetworkxUnion, to_networkx

    store = build_store(seed_build.reports) if corpus == "seeds" else _clone_store(seed_build)
    union = NetworkxUnion()
    parts = [to_networkx(piece.graph) for piece in district_slices(store)]
    for part in parts:
        union.add(part)
    got, expected = union.graph(), to_networkx(IndexedGraph(store))
    assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(got.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))
    assert vars(got.graph["reports"]) == vars(expected.graph["reports"])
    assert got.graph["district_labels"] == expected.graph["district_labels"]
    # several slices name a node: their attributes were put together, not taken from one of them
    shared = [n for n in expected if sum(n in part for part in parts) > 1]
    assert any(len(expected.nodes[n]["districts"]) > 1 for n in shared)
    assert any(expected.nodes[n]["reports"] != part.nodes[n]["reports"] for n in shared for part in parts if n in part)


def test_the_whole_graph_page_places_the_district_pages_layouts(seed_store, tmp_path, monkeypatch):
    """A whole-graph page laid out from its skeleton reuses the district pages' layouts: no district is
    laid out twice, and each district's nodes keep the places they have on its page, shifted together."""
    from kg.views import layout as layout_module
    from kg.views import pyvis_view
    from kg.views.site import write_site_pages

    monkeypatch.setattr(layout_module, "SKELETON_ABOVE", 0)  # the seeds' graph drawn from its skeleton
    calls = []
    real_layout = layout_module.layout
    monkeypatch.setattr(layout_module, "layout", lambda g, **kw: calls.append(g) or real_layout(g, **kw))
    pages = []
    real_page_layout = pyvis_view.page_layout
    monkeypatch.setattr(pyvis_view, "page_layout",
                        lambda g, *a: pages.append((g, real_page_layout(g, *a))) or pages[-1][1])
    write_site_pages(seed_store, tmp_path, graph_page=True)
    district_pages, (whole, drawn) = pages[:-1], pages[-1]
    assert len(district_pages) == 5 and len(calls) == 5  # the district pages' layouts, none for the whole
    for g, pos in district_pages:
        (district,) = [n for n in g if g.nodes[n]["cls"] == "District"]
        home = [n for n in whole if layout_module.home_district(n, whole.nodes[n]) == district]
        assert len(home) > 50
        dx, dy = drawn[home[0]][0] - pos[home[0]][0], drawn[home[0]][1] - pos[home[0]][1]
        # the same shift for all (a pixel apart at most: positions are rounded after the shift)
        assert all(abs(drawn[n][0] - pos[n][0] - dx) <= 1 and abs(drawn[n][1] - pos[n][1] - dy) <= 1 for n in home)
    assert len(set(drawn.values())) == len(drawn)


def test_the_whole_drawing_is_dropped_once_the_graph_needs_the_overview(seed_store, tmp_path, monkeypatch):
    """Past the overview's size (here 2 districts) the slices' graphs and the district layouts are no
    longer kept: memory holds one district at a time again."""
    from kg.views import layout as layout_module
    from kg.views import site

    monkeypatch.setattr(layout_module, "OVERVIEW_DISTRICTS", 2)
    kept = []
    real_add = site._WholeDrawing.add

    def add(self, g, districts, nodes):
        real_add(self, g, districts, nodes)
        kept.append((districts, self.union is not None, len(self.layouts) if self.layouts is not None else None))

    monkeypatch.setattr(site._WholeDrawing, "add", add)
    site.write_site_pages(seed_store, tmp_path, graph_page=True)
    assert kept == [(1, True, 1), (2, True, 2), (3, False, None), (4, False, None), (5, False, None)]
    assert "views/" in (tmp_path / "graph.html").read_text(encoding="utf-8")  # the overview


def test_a_district_page_shows_what_its_own_reports_say(seed_build):
    """A district page lists its own reports and a node it shares with other districts (a city, an
    award) carries its own reports' evidence: a page's size does not grow with the corpus. The
    whole-graph page lists every report."""
    import json

    def reports(page):
        return json.loads(re.search(r'"reports":(\[[^]]*\])', page.read_text(encoding="utf-8")).group(1))

    assert len(reports(seed_build.out / "graph.html")) == 5
    pages = sorted((seed_build.out / "views").glob("*.html"))
    assert len(pages) == 5
    for page in pages:
        own = reports(page)
        assert len(own) == 1, page.name
        mentioned = set(re.findall(r"([\u4e00-\u9fff]{1,6}区\d{4}年政府工作报告)", page.read_text(encoding="utf-8")))
        assert mentioned == set(own), page.name


def test_a_build_of_too_many_districts_for_one_page_writes_an_overview(tmp_path, monkeypatch):
    from pathlib import Path

    from kg.build import build
    from kg.views import layout

    monkeypatch.setattr(layout, "OVERVIEW_DISTRICTS", 2)
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    result = build([seeds], tmp_path / "out", progress=False, cache=None)
    assert result.ok
    page = (tmp_path / "out" / "graph.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(views/[^"]+)"', page)
    assert len(links) == 5 and all((tmp_path / "out" / link).is_file() for link in links)
    assert any("overview" in note for note in result.notes)



def test_district_graphs_do_not_outlive_their_pages(seed_store, tmp_path):
    """kg build writes with the garbage collector paused; a district's networkx graphs hold reference
    cycles, so the pages are drawn with it on over what they make: none of them stays in memory."""
    import gc

    import networkx as nx

    from kg.views.site import write_site_pages

    def graphs() -> int:
        return sum(1 for o in gc.get_objects() if isinstance(o, nx.Graph))

    gc.collect()
    before = graphs()
    gc.disable()
    try:
        written = write_site_pages(seed_store, tmp_path)
        assert len([p for p in written if p.parent.name == "views"]) == 5
        assert graphs() == before
        assert not gc.isenabled()  # paused again, as the caller had it
    finally:
        gc.enable()


def _collections(write) -> list[int]:
    """The generations of the collections run while ``write()`` runs with the collector paused (as kg
    build writes)."""
    import gc

    seen: list[int] = []

    def record(phase, info):
        if phase == "start":
            seen.append(info["generation"])

    gc.collect()
    gc.disable()
    gc.callbacks.append(record)
    try:
        write()
    finally:
        gc.callbacks.remove(record)
        gc.enable()
    return seen


def test_each_district_is_collected_once_in_the_youngest_generation(seed_store, tmp_path):
    """The objects a district's page leaves (its view, its part of the sums) survive into an older
    generation that no collection of the loop walks again: one collection of the youngest generation
    after each slice, one full collection at the end. (With the collector on during the loop, a full
    collection every few districts walked what every district drawn before had left: a district's cost
    grew with the districts drawn before it.) Whether the caller had the collector on or paused, it is
    so again afterwards."""
    import gc

    from kg.views.site import write_site_pages

    assert _collections(lambda: write_site_pages(seed_store, tmp_path / "a")) == [0] * 5 + [2]
    assert gc.isenabled()
    write_site_pages(seed_store, tmp_path / "b")  # the collector on
    assert gc.isenabled()
    assert sorted(p.name for p in (tmp_path / "a").rglob("*")) == sorted(p.name for p in (tmp_path / "b").rglob("*"))


def test_the_pages_of_a_whole_graph_slice_are_collected_between_pages(seed_store, tmp_path):
    """A plain graph is one slice of everything, all of its district pages drawn from one networkx
    graph: what a page makes is collected before the next page, not when the slice ends, so the
    graphs a page copies (its part of the graph) do not pile up with the pages."""
    import gc

    import networkx as nx
    from rdflib import Graph

    import kg.views.site as site

    plain = Graph()
    for triple in seed_store.graph():
        plain.add(triple)
    alive: list[int] = []
    draw = site.district_page

    def counted(*args, **kwargs):
        alive.append(sum(1 for o in gc.get_objects() if isinstance(o, nx.Graph)))
        return draw(*args, **kwargs)

    site.district_page = counted
    try:
        seen = _collections(lambda: site.write_site_pages(plain, tmp_path))
    finally:
        site.district_page = draw
    assert len(alive) == 5 and len(set(alive)) == 1, alive  # each page starts with the slice's graph alone
    assert seen == [0] * 5 + [2]  # between the five pages, after the slice, and at the end


def test_district_pages_sweep_their_folder_once_not_once_per_page(seed_store, tmp_path, monkeypatch):
    """Each atomic write sweeps the stale temporary files beside its file, which lists the folder: done
    for every district page, the n-th page listed n - 1 pages (at 10,000 districts, 7 ms a page). The
    views folder is listed once for the sweep (and once for stale pages), however many districts;
    a killed writer's leftover there is still removed, a live writer's is kept."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from kg.views.site import write_site_pages

    views = tmp_path / "views"
    views.mkdir()
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    leftover = views / f".000000.html.{done.pid}.k1ll3d00.tmp"  # its writer is dead
    leftover.write_text("half a page", encoding="utf-8")
    live = views / f".000001.html.{os.getpid()}.l1ve0000.tmp"  # this process is alive
    live.write_text("half a page", encoding="utf-8")
    listed = []
    scandir = os.scandir

    def counting(path="."):
        listed.append(Path(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", counting)
    written = write_site_pages(seed_store, tmp_path)
    monkeypatch.undo()
    assert len([p for p in written if p.parent == views]) == 5
    assert listed.count(views) == 2
    assert not leftover.exists() and live.exists()


def test_a_slice_gets_context_its_district_also_holds_and_context_only_its_context_names():
    """Two kinds of context a district's lines alone do not point at in other reports: a node another
    district holds triples about too (an award one report labels and another gives an altLabel), and a
    node only the context names (the province of a city, held and named by another district's report
    only). Both come into the slices, and nothing else: not a triple of the slice's own either, though
    a store writes some literals anew (7.0 as a decimal is 7)."""
    from types import SimpleNamespace

    import pyoxigraph as ox
    from rdflib import RDFS, SKOS, XSD, Graph, Literal, URIRef

    from kg.iri import DATA
    from kg.rdf import GWR
    from kg.store import ReportStore, district_slices

    a, b, award, city, province = (URIRef(f"{DATA}{k}") for k in
                                   ("district/a", "district/b", "award/x", "city/c", "province/p"))
    first, second = Graph(), Graph()
    for s, p, o in [(URIRef(f"{DATA}report/a"), GWR.about, a), (a, RDFS.label, Literal("甲县")),
                    (a, GWR.receivesAward, award), (award, RDFS.label, Literal("先进县")), (a, GWR.inCity, city),
                    (award, RDFS.comment, Literal("7.0", datatype=XSD.decimal)),  # a store reads it back as 7
                    (city, GWR.inProvince, province), (province, RDFS.label, Literal("某省"))]:
        first.add((s, p, o))
    for s, p, o in [(URIRef(f"{DATA}report/b"), GWR.about, b), (b, RDFS.label, Literal("青山区")),
                    (b, GWR.receivesAward, award), (award, SKOS.altLabel, Literal("先进区县")), (b, GWR.inCity, city)]:
        second.add((s, p, o))
    store = ReportStore([(SimpleNamespace(document=SimpleNamespace(name=name)), g)
                         for name, g in (("a-2024", first), ("b-2024", second))])

    def context(piece) -> set:
        part = piece.graph.report_store
        graph = ox.NamedNode(part.part_graph(len(part.reports) - 1))
        return {(q.subject.value, q.predicate.value, q.object.value)
                for q in part._oxigraph.quads_for_pattern(None, None, None, graph)}

    got = {piece.districts[0]: context(piece) for piece in district_slices(store)}
    assert got == {
        str(a): {(str(award), str(SKOS.altLabel), "先进区县")},
        str(b): {(str(award), str(RDFS.label), "先进县"), (str(award), str(RDFS.comment), "7"),
                 (str(city), str(GWR.inProvince), str(province)),
                 (str(province), str(RDFS.label), "某省")}}
