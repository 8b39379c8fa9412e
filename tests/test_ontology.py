"""The ontology (ontology/gwr.ttl), the SHACL shapes (ontology/shapes.ttl) and the saved queries
(queries/*.rq) agree with each other and with docs/MODEL.md."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.plugins.sparql import prepareQuery

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "gwr.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
QUERIES = ROOT / "queries"
MODEL = ROOT / "docs" / "MODEL.md"
CONTRACT = ROOT.parent / "shared" / "CONTRACT.md"

GWR_NS = "https://w3id.org/gwr/ontology#"
GWR = Namespace(GWR_NS)
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # not rdflib's XSD: pytest's collection trips its warnings
ID = Namespace("https://w3id.org/gwr/id/")

CONTRACT_QUERIES = ("undertakes", "invests", "awards", "indicators", "reports", "provenance")
ANALYST_QUERIES = ("largest-investments", "awards-per-district", "targets-vs-actuals",
                   "projects-by-status", "enterprise-awards")


@lru_cache(maxsize=None)
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@lru_cache(maxsize=None)
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def defined_terms() -> set[URIRef]:
    """gwr: terms the ontology declares as a class, property or individual."""
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual}
    g = ontology()
    return {s for s, _, o in g.triples((None, RDF.type, None))
            if o in kinds and isinstance(s, URIRef) and str(s).startswith(GWR_NS)}


# parsing -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [ONTOLOGY, SHAPES], ids=lambda p: p.name)
def test_parses_with_rdflib_and_oxigraph(path: Path):
    g = Graph().parse(path, format="turtle")
    assert len(g) > 50
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(g)
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(g)


def test_ontology_header():
    g = ontology()
    onto = URIRef("https://w3id.org/gwr/ontology")
    assert (onto, RDF.type, OWL.Ontology) in g
    assert g.value(onto, OWL.versionInfo) == Literal("0.1.0")
    assert g.value(onto, DCTERMS.license) is not None
    assert {t.language for t in g.objects(onto, DCTERMS.title)} >= {"en"}


# documentation of every term -----------------------------------------------------------------

def test_every_term_has_zh_en_labels_and_comment():
    g = ontology()
    terms = defined_terms()
    assert len(terms) > 40
    problems = []
    for term in sorted(terms):
        langs = [lbl.language for lbl in g.objects(term, RDFS.label)]
        if langs.count("zh") != 1 or langs.count("en") != 1:
            problems.append(f"{term}: labels {langs}")
        if g.value(term, RDFS.comment) is None:
            problems.append(f"{term}: no rdfs:comment")
    assert not problems, "\n".join(problems)


def test_every_gwr_subject_is_declared():
    g = ontology()
    subjects = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(GWR_NS)}
    assert subjects <= defined_terms(), subjects - defined_terms()


def test_model_terms_are_defined():
    used = set(re.findall(r"gwr:([A-Za-z][A-Za-z0-9]*)", MODEL.read_text(encoding="utf-8")))
    assert len(used) > 40
    missing = sorted(t for t in used if GWR[t] not in defined_terms())
    assert not missing, f"used in docs/MODEL.md but not defined in gwr.ttl: {missing}"


def test_individuals_belong_to_their_enumeration():
    g = ontology()
    enums = {
        GWR.ProjectStatus: {GWR.Planned, GWR.Underway, GWR.Completed, GWR.Signed},
        GWR.InvestmentKind: {GWR.TotalInvestment, GWR.CompletedInvestment, GWR.Funding, GWR.OtherAmount},
        GWR.ObservationKind: {GWR.Actual, GWR.Target},
    }
    for cls, members in enums.items():
        assert set(g.subjects(RDF.type, cls)) == members
        for m in members:
            assert (m, RDF.type, OWL.NamedIndividual) in g
        one_of = g.value(cls, OWL.oneOf)
        assert set(g.items(one_of)) == members


def test_shapes_only_use_defined_gwr_terms():
    used = {o for t in shapes() for o in t if isinstance(o, URIRef) and str(o).startswith(GWR_NS)}
    assert used <= defined_terms(), used - defined_terms()


# queries -------------------------------------------------------------------------------------

def test_query_files_present():
    names = {p.stem for p in QUERIES.glob("*.rq")}
    assert set(CONTRACT_QUERIES) | set(ANALYST_QUERIES) <= names


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.stem)
def test_query_parses_and_has_title(path: Path):
    text = path.read_text(encoding="utf-8")
    first = text.lstrip("\n").splitlines()[0]
    assert first.startswith("# ") and len(first) > 5, "first line must be a '# title' comment"
    prepareQuery(text)
    ox.Store().query(text)  # the engine `kg query` uses; raises SyntaxError on a bad query


def _collapse(text: str) -> str:
    text = re.sub(r"#[^\n]*", "", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not CONTRACT.is_file(), reason="shared/CONTRACT.md not available")
@pytest.mark.parametrize("name", CONTRACT_QUERIES)
def test_contract_query_text_unchanged(name: str):
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    select = text[text.index("SELECT"):]
    select = re.split(r"\n(?:ORDER BY|LIMIT)", select)[0]
    assert _collapse(select) in _collapse(CONTRACT.read_text(encoding="utf-8"))


# shapes on a hand-made graph -----------------------------------------------------------------

def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def integer(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def decimal(v: str) -> Literal:
    return Literal(Decimal(v), datatype=XSD.decimal)


REPORT = ID["report/0000000000000001"]
DISTRICT = ID["district/410404"]
PROJECT = ID["project/0000000000000002"]
AMOUNT = ID["amount/0000000000000003"]
ENTERPRISE = ID["org/0000000000000004"]
AWARD = ID["award/0000000000000005"]
INDICATOR = ID["indicator/0000000000000006"]
OBSERVATION = ID["obs/0000000000000007"]


def sample_graph() -> Graph:
    """One report as docs/MODEL.md describes it."""
    g = Graph()
    add = g.add
    city, province, person = ID["city/410400"], ID["province/410000"], ID["person/0000000000000008"]
    add((REPORT, RDF.type, GWR.Report))
    add((REPORT, RDFS.label, zh("石龙区2024年政府工作报告")))
    add((REPORT, GWR.about, DISTRICT))
    add((REPORT, GWR.deliveredBy, person))
    add((REPORT, DCTERMS.date, Literal("2024-01-17", datatype=XSD.date)))
    add((REPORT, GWR.reviewYear, integer(2023)))
    add((REPORT, GWR.planYear, integer(2024)))
    add((REPORT, DCTERMS.source, Literal("shilong-2024.txt")))
    add((REPORT, GWR.contentHash, Literal("ab" * 32)))
    for node, cls, label in ((DISTRICT, GWR.District, "石龙区"), (city, GWR.City, "平顶山市"),
                             (province, GWR.Province, "河南省"), (person, GWR.Person, "李明")):
        add((node, RDF.type, cls))
        add((node, RDFS.label, zh(label)))
    add((DISTRICT, GWR.divisionCode, Literal("410404")))
    add((DISTRICT, GWR.inCity, city))
    add((DISTRICT, GWR.inProvince, province))
    add((city, GWR.inProvince, province))
    add((person, GWR.position, zh("区长")))

    add((PROJECT, RDF.type, GWR.Project))
    add((PROJECT, RDFS.label, zh("神马焦炉气综合利用")))
    add((PROJECT, SKOS.altLabel, zh("神马焦炉气综合利用项目")))
    add((PROJECT, GWR.projectStatus, GWR.Completed))
    add((PROJECT, GWR.statusYear, integer(2023)))
    add((AMOUNT, RDF.type, GWR.MonetaryAmount))
    add((AMOUNT, RDFS.label, zh("3000万元")))
    add((AMOUNT, GWR.amount, decimal("30000000")))
    add((AMOUNT, GWR.amountInYuan, decimal("30000000")))
    add((AMOUNT, GWR.currency, Literal("CNY")))
    add((AMOUNT, GWR.investmentKind, GWR.TotalInvestment))
    add((AMOUNT, GWR.amountText, Literal("3000万元")))

    add((ENTERPRISE, RDF.type, GWR.Enterprise))
    add((ENTERPRISE, RDFS.label, zh("东方碳素")))
    add((ENTERPRISE, GWR.locatedIn, DISTRICT))
    add((AWARD, RDF.type, GWR.Award))
    add((AWARD, RDFS.label, zh("国家级绿色工厂")))

    sentence = "总投资3000万元的神马焦炉气综合利用项目建成投产，东方碳素获评国家级绿色工厂。"
    for n, (s, p, o) in enumerate(((DISTRICT, GWR.undertakes, PROJECT), (PROJECT, GWR.invests, AMOUNT),
                                   (ENTERPRISE, GWR.receivesAward, AWARD))):
        add((s, p, o))
        st = ID[f"stmt/000000000000001{n}"]
        add((st, RDF.type, RDF.Statement))
        add((st, RDF.subject, s))
        add((st, RDF.predicate, p))
        add((st, RDF.object, o))
        add((st, PROV.wasDerivedFrom, REPORT))
        add((st, GWR.evidence, zh(sentence)))
        add((st, GWR.charStart, integer(120)))
        add((st, GWR.charEnd, integer(120 + len(sentence))))
        add((st, GWR.year, integer(2023)))

    add((INDICATOR, RDF.type, GWR.Indicator))
    add((INDICATOR, RDFS.label, zh("地区生产总值")))
    add((DISTRICT, GWR.hasObservation, OBSERVATION))
    add((OBSERVATION, RDF.type, GWR.IndicatorObservation))
    add((OBSERVATION, RDFS.label, zh("石龙区2023年地区生产总值（实际）")))
    add((OBSERVATION, GWR.indicator, INDICATOR))
    add((OBSERVATION, GWR.year, integer(2023)))
    add((OBSERVATION, GWR.observationKind, GWR.Actual))
    add((OBSERVATION, GWR.growthPercent, decimal("4.2")))
    add((OBSERVATION, GWR.amountInYuan, decimal("25641000000")))
    add((OBSERVATION, PROV.wasDerivedFrom, REPORT))
    add((OBSERVATION, GWR.evidence, zh("全区地区生产总值完成256.41亿元，增长4.2%。")))
    add((OBSERVATION, GWR.charStart, integer(40)))
    add((OBSERVATION, GWR.charEnd, integer(62)))
    return g


def run_shacl(data: Graph) -> tuple[bool, Graph, str]:
    return validate(data, shacl_graph=shapes(), ont_graph=ontology(), inference="rdfs",
                    abort_on_first=False, allow_warnings=False, meta_shacl=False, advanced=True)


def test_sample_graph_conforms():
    conforms, _, text = run_shacl(sample_graph())
    assert conforms, text


def test_contract_queries_answer_on_sample_graph():
    g = sample_graph()
    store = ox.Store()
    store.load(g.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    rows = {}
    for name in CONTRACT_QUERIES + ANALYST_QUERIES:
        text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
        rows[name] = list(store.query(text))
        assert len(list(g.query(text))) == len(rows[name]), name  # rdflib agrees with Oxigraph
    assert [r["status"] for r in rows["undertakes"]] == [ox.NamedNode(str(GWR.Completed))]
    assert len(rows["invests"]) == 1 and len(rows["awards"]) == 1
    assert len(rows["indicators"]) == 1 and len(rows["reports"]) == 1
    assert len(rows["provenance"]) == 3
    assert rows["awards-per-district"][0]["awards"].value == "1"
    assert rows["enterprise-awards"][0]["enterprise"].value == "东方碳素"


def broken_graph() -> Graph:
    g = sample_graph()
    g.add((PROJECT, RDFS.label, zh("神马焦炉气综合利用项目")))  # a second label
    g.remove((OBSERVATION, GWR.year, None))  # observation without year
    bad = ID["stmt/0000000000000099"]  # statement with a predicate outside the contract
    g.add((DISTRICT, GWR.locatedIn, DISTRICT))
    for p, o in ((RDF.type, RDF.Statement), (RDF.subject, DISTRICT), (RDF.predicate, GWR.locatedIn),
                 (RDF.object, DISTRICT), (PROV.wasDerivedFrom, REPORT), (GWR.evidence, zh("……")),
                 (GWR.charStart, integer(0)), (GWR.charEnd, integer(2))):
        g.add((bad, p, o))
    return g


def test_broken_graph_does_not_conform():
    conforms, results, text = run_shacl(broken_graph())
    assert not conforms
    sh = Namespace("http://www.w3.org/ns/shacl#")
    focus = {results.value(r, sh.focusNode) for r in results.subjects(RDF.type, sh.ValidationResult)}
    assert {PROJECT, OBSERVATION, ID["stmt/0000000000000099"]} <= focus
    for node in (PROJECT, OBSERVATION, ID["stmt/0000000000000099"]):
        assert str(node) in text
    assert "Project without exactly one Chinese (@zh) label" in text
    assert "without exactly one gwr:year" in text
    assert "Statement predicate must be" in text


@pytest.mark.parametrize("mutate, message", [
    (lambda g: g.remove((ID["stmt/0000000000000010"], None, None)), "without an rdf:Statement"),
    (lambda g: g.remove((DISTRICT, GWR.undertakes, PROJECT)), "describes a triple that is not in the graph"),
    (lambda g: g.set((INDICATOR, RDFS.label, zh("GDP"))), "twelve"),
    (lambda g: g.set((AMOUNT, GWR.currency, Literal("USD"))), "currency is not CNY"),
    (lambda g: (g.remove((OBSERVATION, GWR.growthPercent, None)),
                g.remove((OBSERVATION, GWR.amountInYuan, None))), "without a value"),
    (lambda g: g.set((PROJECT, GWR.projectStatus, GWR.Actual)), "Project status must be"),
    (lambda g: g.add((REPORT, GWR.about, ID["district/410402"])), "exactly one gwr:District"),
    (lambda g: (g.remove((ENTERPRISE, RDF.type, None)), g.add((ENTERPRISE, RDF.type, SKOS.Concept))),
     "Award recipient is not typed"),
], ids=["missing-statement", "dangling-statement", "indicator-name", "currency", "no-value", "status",
        "two-districts", "untyped-recipient"])
def test_single_defects_are_reported(mutate, message):
    g = sample_graph()
    mutate(g)
    conforms, _, text = run_shacl(g)
    assert not conforms
    assert message in text, text


def test_enterprise_is_checked_as_organization():
    g = sample_graph()
    g.remove((ENTERPRISE, RDFS.label, None))
    conforms, _, text = run_shacl(g)
    assert not conforms and "Organization or product without" in text and str(ENTERPRISE) in text
