"""A file that is not a work report fails alone, named, and creates no district (its file name never
becomes a district's label); naming the district with --district builds it."""

from __future__ import annotations

import shutil

import pytest

from conftest import SEEDS

pytestmark = pytest.mark.slow


def test_notes_among_the_seeds_fail_alone_and_make_no_district(tmp_path):
    from rdflib import RDF, RDFS, Graph, Namespace

    from kg.build import build

    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("shilong-2024.txt", "zhanhe-2024.txt"):
        shutil.copy(SEEDS / name, inputs / name)
    (inputs / "notes.md").write_text("# Notes\n\nBring the slides to the meeting on Monday.\n", encoding="utf-8")
    result = build([inputs], tmp_path / "out", views=False, cache=False, progress=False)
    assert [(f.path.endswith("notes.md"), f.reason.split(":")[0]) for f in result.failures] == [(True, "not a work report")]
    assert "no district, no 各位代表, no headings" in result.failures[0].reason
    assert len(result.reports) == 2
    gwr = Namespace("https://w3id.org/gwr/ontology#")
    g = Graph().parse(tmp_path / "out" / "graph.ttl")
    labels = sorted(str(g.value(d, RDFS.label)) for d in g.subjects(RDF.type, gwr.District))
    assert labels == ["湛河区", "石龙区"]


def test_an_explicit_district_builds_a_text_that_does_not_name_it(tmp_path):
    from kg.build import build
    from kg.readers import ReadConfig

    text = "2024年，我们扎实推进重点项目建设，城南大道建成通车。\n"
    (tmp_path / "speech.txt").write_text(text, encoding="utf-8")
    plain = build([tmp_path / "speech.txt"], tmp_path / "a", views=False, cache=False, progress=False)
    assert plain.failures and not plain.reports
    named = build([tmp_path / "speech.txt"], tmp_path / "b", views=False, cache=False, progress=False,
                  config=ReadConfig(district="石龙区"))
    assert not named.failures and named.reports[0].meta.district == "石龙区"
    assert named.reports[0].meta.city == "平顶山市"
