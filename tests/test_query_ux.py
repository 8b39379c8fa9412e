"""`kg query` for a person typing at a terminal: project prefixes without PREFIX lines on every engine,
one readable line for a syntax error, labels or prefixed names in tables, numbers as numbers."""

from __future__ import annotations

import json

import pytest

from kg.cli import main

ENGINES = ["oxigraph", "rdflib"]


@pytest.fixture(scope="module")
def graph(seed_build):
    return str(seed_build.out / "graph.ttl")


@pytest.mark.parametrize("engine", ENGINES)
def test_project_prefixes_need_no_prefix_lines(graph, engine, capsys):
    assert main(["query", "SELECT ?d WHERE { ?d a gwr:District }", "--graph", graph, "--engine", engine]) == 0
    out = capsys.readouterr().out
    assert "(5 rows)" in out and "石龙区" in out  # the district's label, not its IRI
    assert "https://" not in out
    text = ("SELECT ?x WHERE { ?x a skos:Concept, gwr:ProjectStatus ; rdfs:label ?l . "
            "FILTER(datatype(?l) != xsd:string || true) }")
    assert main(["query", text, "--graph", graph, "--engine", engine]) == 0


def test_remote_queries_get_the_prefix_lines_they_use():
    from kg.query import with_prefix_lines

    text = with_prefix_lines('SELECT ?d WHERE { ?d a gwr:District ; rdfs:label "a:b" }')
    assert text.splitlines()[:2] == ["PREFIX gwr: <https://w3id.org/gwr/ontology#>",
                                     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"]
    assert with_prefix_lines("PREFIX gwr: <x#> SELECT * { ?s a gwr:A }").startswith("PREFIX gwr: <x#>")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text, where, hint", [
    ("SELECT ?d WHERE { ?d a foo:District }", "line 1, column", "unknown prefix foo:"),
    ("SELECT ?d WHERE { ?d a gwr:District", "line 1, column", "unbalanced braces"),
    ("SELECT ?d WHERE {\n  ?d a gwr:District .\n  FILTER(?d = }", "line 3, column", ""),
])
def test_a_syntax_error_is_one_line_with_position_and_hint(graph, engine, text, where, hint, capsys):
    assert main(["query", text, "--graph", graph, "--engine", engine]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert captured.out == ""
    assert len(err.splitlines()) == 1 and len(err) < 300, err
    assert err.startswith("kg query: error: SPARQL syntax error at " + where), err
    assert hint in err and "Traceback" not in err and "\\u{" not in err


def test_tables_show_labels_and_prefixed_names_never_full_iris(graph, capsys):
    for name in ("undertakes", "awards", "invests", "indicators", "projects-by-status", "provenance"):
        assert main(["query", name, "--graph", graph]) == 0
        out = capsys.readouterr().out
        assert "https://w3id.org" not in out and "http://" not in out, name
    assert main(["query", "undertakes", "--graph", graph]) == 0
    assert "gwr:Completed" in capsys.readouterr().out
    assert main(["query", "provenance", "--graph", graph]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["s", "p", "o", "report", "sentence"]
    assert "gwr:receivesAward" in lines[2] and "年政府工作报告" in lines[2] and "id/report/" not in lines[2]


@pytest.mark.parametrize("engine", ENGINES)
def test_json_and_csv_give_numbers_as_numbers(graph, engine, capsys):
    assert main(["query", "largest-investments", "--graph", graph, "--format", "json", "--engine", engine]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(isinstance(r["yuan"], int) for r in rows)
    assert rows[0]["kind"].startswith("https://w3id.org/gwr/ontology#")  # data keeps full IRIs
    assert main(["query", "indicators", "--graph", graph, "--format", "json", "--engine", engine]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(isinstance(r["pct"], float) for r in rows) and all(isinstance(r["year"], int) for r in rows)
    assert main(["query", "largest-investments", "--graph", graph, "--format", "csv", "--engine", engine]) == 0
    first = capsys.readouterr().out.splitlines()[1].split(",")
    assert first[2].isdigit()
