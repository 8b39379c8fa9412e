"""The graph's public contract (../shared/CONTRACT.md): every competency query answers on the seed graph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sparql_helpers import canonical

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
CONTRACT = ROOT.parent / "shared" / "CONTRACT.md"
CONTRACT_QUERIES = ["undertakes", "invests", "awards", "indicators", "reports", "provenance"]
GWR = "https://w3id.org/gwr/ontology#"


def _strip(sparql: str) -> str:
    """Query text without comments, PREFIX lines, ORDER BY/LIMIT and whitespace, for comparison."""
    lines = [re.sub(r"#.*$", "", line) for line in sparql.splitlines()]
    text = " ".join(line for line in lines if not line.strip().upper().startswith("PREFIX"))
    text = re.split(r"\bORDER\s+BY\b|\bLIMIT\b", text, flags=re.I)[0]
    return re.sub(r"\s+", "", text)


def _contract_selects() -> list[str]:
    """The contract's queries, in order: each numbered comment (# 1. …) opens one."""
    text = CONTRACT.read_text(encoding="utf-8")
    block = text.split("```sparql", 1)[1].split("```", 1)[0]
    parts = re.split(r"^# \d+\.", block, flags=re.M)[1:]
    return [part[part.index("SELECT"):] for part in parts]


@pytest.mark.skipif(not CONTRACT.is_file(), reason="../shared/CONTRACT.md not beside the repo")
def test_saved_queries_are_the_contract_queries():
    selects = _contract_selects()
    assert len(selects) == len(CONTRACT_QUERIES)
    for name, select in zip(CONTRACT_QUERIES, selects):
        saved = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
        assert _strip(select) in _strip(saved), f"queries/{name}.rq differs from the contract's query"


@pytest.fixture(scope="module")
def oxigraph_store(seed_build):
    import pyoxigraph as ox

    store = ox.Store()
    with (seed_build.out / "graph.ttl").open("rb") as fh:
        store.bulk_load(fh, ox.RdfFormat.TURTLE)
    return store


def _rows_oxigraph(store, sparql):
    solutions = store.query(sparql)
    names = [v.value for v in solutions.variables]
    return sorted(tuple(canonical(None if s[n] is None else s[n].value) for n in names) for s in solutions)


def _rows_rdflib(graph, sparql):
    result = graph.query(sparql)
    return sorted(tuple(canonical(None if row[v] is None else str(row[v])) for v in result.vars) for row in result)


@pytest.mark.parametrize("name", CONTRACT_QUERIES)
def test_contract_query_answers_the_same_in_rdflib_and_oxigraph(name, seed_graph, oxigraph_store):
    sparql = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    ox_rows = _rows_oxigraph(oxigraph_store, sparql)
    assert ox_rows, f"{name}: no rows on the seed graph"
    assert ox_rows == _rows_rdflib(seed_graph, sparql)


def test_report_query_has_every_field_for_every_seed(oxigraph_store):
    rows = _rows_oxigraph(oxigraph_store, (QUERIES / "reports.rq").read_text(encoding="utf-8"))
    assert len(rows) == len(list((ROOT / "seeds").glob("*.txt")))
    for row in rows:
        assert all(v is not None for v in row), row


def test_every_asserted_relation_has_a_provenance_statement(seed_graph):
    from rdflib import RDF, URIRef
    from rdflib.namespace import PROV

    stated = set()
    for st in seed_graph.subjects(RDF.type, RDF.Statement):
        triple = (seed_graph.value(st, RDF.subject), seed_graph.value(st, RDF.predicate), seed_graph.value(st, RDF.object))
        report = seed_graph.value(st, PROV.wasDerivedFrom)
        assert (report, RDF.type, URIRef(GWR + "Report")) in seed_graph
        assert seed_graph.value(st, URIRef(GWR + "evidence")) is not None
        stated.add(triple)
    for prop in ("undertakes", "invests", "receivesAward"):
        triples = set(seed_graph.triples((None, URIRef(GWR + prop), None)))
        assert triples, f"no gwr:{prop} triples"
        assert triples <= stated, f"gwr:{prop} triples without a statement: {list(triples - stated)[:3]}"


def test_every_observation_carries_its_own_provenance(seed_graph):
    from rdflib import RDF, URIRef
    from rdflib.namespace import PROV

    observations = list(seed_graph.subjects(RDF.type, URIRef(GWR + "IndicatorObservation")))
    assert observations
    for obs in observations:
        assert seed_graph.value(obs, PROV.wasDerivedFrom) is not None
        assert seed_graph.value(obs, URIRef(GWR + "evidence")) is not None


def test_indicator_labels_are_the_contract_names(seed_graph):
    from rdflib import RDF, RDFS, URIRef

    names = {"地区生产总值", "规模以上工业增加值", "规模以上工业总产值", "固定资产投资", "社会消费品零售总额",
             "一般公共预算收入", "地方一般公共预算收入", "居民人均可支配收入", "城镇居民人均可支配收入",
             "农村居民人均可支配收入", "进出口总额", "工业投资"}
    labels = {str(seed_graph.value(i, RDFS.label)) for i in seed_graph.subjects(RDF.type, URIRef(GWR + "Indicator"))}
    assert labels and labels <= names
