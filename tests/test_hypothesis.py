"""Property tests: any text survives the pipeline, and any name is data.

- arbitrary Unicode text (mixed with pieces of real reports, so the extractors have something to bite
  on) goes through normalization and extraction without raising, and the graph built from it
  serializes to Turtle that rdflib and pyoxigraph both parse back to the same graph;
- any text in an entity name (quotes, backslashes, ``<>``, newlines, control characters, emoji,
  500-character runs) yields valid IRIs (minted from hashes: ASCII only) and literals that every
  registered exporter writes so that they parse back equal.

The spaCy pipeline is built once per process (kg.nlp.get_nlp); examples are kept to a moderate count
so the suite stays fast.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.model import (AwardMention, Document, Evidence, Extraction, IndicatorMention, InvestmentMention, Meta,
                      ProjectMention)
from kg.normalize import normalize, normalize_name

ROOT = Path(__file__).resolve().parent.parent
SEED_LINES = sorted({line.strip() for p in sorted((ROOT / "seeds").glob("*.txt"))
                     for line in p.read_text(encoding="utf-8").splitlines() if 4 <= len(line.strip()) <= 400})
TEMPLATES = ["各位代表：", "一、2023年工作回顾", "二、2024年重点工作安排", "（一）", "实施", "项目", "工程", "建成投产",
             "总投资", "亿元", "万元", "获评", "荣获", "全国文明城市", "称号", "增长", "%", "。", "，", "\n", "\r\n",
             "**", "#", "<sub>", "</sub>", "[1]", "— 3 —", "“", "”", "《", "》", "\\", "\"", "<>", "\u3000",
             "\ufeff", "\u200b", "\x00", "😀", "𠀀", "Ｆｕｌｌ", "互联网十", "等3个项目", "我代表区人民政府"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

pieces = st.one_of(
    st.sampled_from(SEED_LINES),
    st.sampled_from(TEMPLATES),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
)
report_texts = st.lists(pieces, max_size=25).map("".join)


@pytest.fixture(scope="module")
def pipeline(nlp):
    return nlp


def _document(text: str, name: str = "hypo-report") -> Document:
    return Document(path=f"{name}.txt", name=name, text=normalize(text), raw_sha256="0" * 64)


def _turtle(graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


_NUMERIC = {"http://www.w3.org/2001/XMLSchema#" + t for t in ("decimal", "integer", "double", "float")}


def _literal_key(lexical: str, language: str | None, datatype: str | None) -> tuple:
    """A literal compared by value for numbers (Turtle writes 150000000 as 150000000.0), else exactly."""
    if datatype in _NUMERIC:
        return ("number", Decimal(lexical))
    if language:  # RDF 1.1: a language-tagged string is an rdf:langString, a plain one an xsd:string
        return ("literal", lexical, language.lower())
    return ("literal", lexical, datatype or "http://www.w3.org/2001/XMLSchema#string")


def _rdflib_triples(graph) -> set[tuple]:
    from rdflib import Literal

    def key(t):
        if isinstance(t, Literal):
            return _literal_key(str(t), t.language, str(t.datatype) if t.datatype else None)
        return ("iri", str(t))

    return {tuple(key(t) for t in triple) for triple in graph}


def _oxigraph_triples(quads) -> set[tuple]:
    import pyoxigraph as ox

    def key(t):
        if isinstance(t, ox.Literal):
            return _literal_key(t.value, t.language, t.datatype.value if t.datatype else None)
        return ("iri", t.value)

    return {(key(q.subject), key(q.predicate), key(q.object)) for q in quads}


def _check_parses(data: bytes, rdflib_format: str, oxigraph_format: str | None, expected) -> None:
    """The bytes parse in rdflib, and in pyoxigraph, back to the triples of ``expected``."""
    from rdflib import Graph

    want = _rdflib_triples(expected)
    assert _rdflib_triples(Graph().parse(data=data, format=rdflib_format)) == want
    if oxigraph_format:
        import pyoxigraph as ox

        assert _oxigraph_triples(ox.parse(io.BytesIO(data), format=getattr(ox.RdfFormat, oxigraph_format))) == want


@SETTINGS
@given(text=st.text(max_size=300))
def test_normalize_never_raises(text):
    normalized = normalize(text)
    assert isinstance(normalized, str)
    assert "\r" not in normalized and "\ufeff" not in normalized


#: What reports are written in: CJK, ASCII, CJK and full-width punctuation, white space.
report_alphabet = st.characters(min_codepoint=0x09, max_codepoint=0x7E) | st.characters(
    min_codepoint=0x3000, max_codepoint=0x303F) | st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF) | \
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E) | st.sampled_from("“”‘’—…·《》（）【】%‰")


@SETTINGS
@given(text=st.lists(st.sampled_from(SEED_LINES) | st.sampled_from(TEMPLATES) | st.text(report_alphabet, max_size=30),
                     max_size=12).map("".join))
def test_normalize_is_idempotent_on_report_text(text):
    once = normalize(text)
    assert normalize(once) == once


def test_normalize_is_idempotent_with_combining_marks():
    once = normalize("\u00af \u1037")
    assert normalize(once) == once


@SETTINGS
@given(text=report_texts)
def test_any_text_extracts_and_its_graph_parses_in_rdflib_and_oxigraph(pipeline, text):
    """Any text either extracts to a graph that parses, or is refused as naming no district (one line)."""
    from kg.pipeline import NotAReportError, extract
    from kg.rdf import build_graph

    try:
        extraction = extract(_document(text))
    except NotAReportError as exc:
        assert "\n" not in str(exc) and ("not a work report" in str(exc) or "no district found" in str(exc))
        return
    graph = build_graph([extraction])
    _check_parses(_turtle(graph), "turtle", "TURTLE", graph)


# names are data ---------------------------------------------------------------------------------------

NASTY = ['"', "'", '"""', "\\", "\\u0022", "<>", "<script>alert(1)</script>", "\n", "\r", "\t", "\x00", "\x7f", "\x08",
         "😀", "👨‍👩‍👧", "\u202e", "\ufeff", "a" * 500, "项" * 500, "@en", "^^xsd:string", "_:b0", "?x", "#", "%20",
         " ", "", "http://example.org/x y", "\u2028", "\U0010fffd"]
names = st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=60),
                  st.lists(st.sampled_from(NASTY), min_size=1, max_size=4).map("".join))
#: Names with something left once whitespace and quote marks are dropped (kg.normalize.normalize_name).
real_names = names.filter(lambda n: normalize_name(n) != "")


def _extraction(name_list: list[str]) -> Extraction:
    a, b, c, d = (name_list * 4)[:4]
    ev = Evidence(sentence=f"证据{a}{b}", start=0, end=5)
    doc = Document(path=f"{c}.txt", name=c or "x", text="各位代表：", raw_sha256="f" * 64)
    meta = Meta(district=a, city=b, province=c, speaker=d, speaker_title=a + b, date="2024-01-15",
                review_year=2023, plan_year=2024)
    return Extraction(document=doc, meta=meta, facts=dict(
        projects=[ProjectMention(name=b, surface=f"{b}项目", status="Underway", year=2024, explicit=True, evidence=ev)],
        investments=[InvestmentMention(project=b, amount=Decimal("150000000"), currency="CNY", kind="TotalInvestment",
                                       text=f"{d}亿元", evidence=ev)],
        awards=[AwardMention(recipient=c, recipient_type="Enterprise", award=d, year=2023, evidence=ev),
                AwardMention(recipient=a, recipient_type="District", award=b, year=2023, evidence=ev)],
        indicators=[IndicatorMention(indicator="地区生产总值", year=2023, kind="Actual",
                                     growth_percent=Decimal("5.2"), amount_yuan=None, evidence=ev)],
    ))


EXPORT_FORMATS = {  # exporter name → (rdflib parser, pyoxigraph format)
    "ttl": ("turtle", "TURTLE"), "nt": ("nt", "N_TRIPLES"), "trig": ("trig", "TRIG"), "nq": ("nquads", "N_QUADS"),
    "jsonld": ("json-ld", None),
}


@SETTINGS
@given(name_list=st.lists(real_names, min_size=1, max_size=4))
def test_any_entity_name_gives_ascii_iris_and_literals_that_parse_back(tmp_path_factory, name_list):
    from rdflib import URIRef

    from kg.rdf import build_graph
    from kg.registry import EXPORTERS

    extraction = _extraction(name_list)
    graph = build_graph([extraction])
    for term in {t for triple in graph for t in triple}:
        if isinstance(term, URIRef):
            assert str(term).isascii() and not re.search(r'[\s<>"{}|\\^`]', str(term)), term
    a, b = (name_list * 2)[:2]
    evidence = {str(o) for o in graph.objects() if str(o).startswith("证据")}
    assert evidence == {f"证据{a}{b}"}  # text kept exactly, whatever it holds
    _check_parses(_turtle(graph), "turtle", "TURTLE", graph)
    out = tmp_path_factory.mktemp("export")
    want = _rdflib_triples(graph)
    for name in EXPORTERS.names():
        if name not in EXPORT_FORMATS:
            continue
        target = out / f"graph.{name}"
        EXPORTERS.get(name)(graph, target, [extraction])
        rdflib_format, ox_format = EXPORT_FORMATS[name]
        if name in ("trig", "nq"):  # datasets: the graph plus one named graph per report
            from rdflib import Dataset

            import pyoxigraph as ox

            ds = Dataset()
            ds.parse(target, format=rdflib_format)
            assert _rdflib_triples({(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}) >= want
            assert _oxigraph_triples(ox.parse(path=str(target), format=getattr(ox.RdfFormat, ox_format))) >= want
        else:
            _check_parses(target.read_bytes(), rdflib_format, ox_format, graph)


EMPTY_NAMES = ["", " ", "\n", "\t\r\n", "\u3000", '"', "“”", "《》"]


@pytest.mark.parametrize("name", EMPTY_NAMES, ids=repr)
def test_a_name_that_normalizes_to_nothing_still_maps(name):
    from kg.rdf import build_graph

    graph = build_graph([_extraction([name, "乙", "丙", "丁"])])
    _check_parses(_turtle(graph), "turtle", "TURTLE", graph)


@pytest.mark.parametrize("fmt, separator", [(fmt, sep) for fmt in ("nt", "nq", "trig")
                                            for sep in ("\x0c", "\u2028", "\n")], ids=repr)
def test_line_separators_inside_names_survive_line_based_exports(tmp_path, fmt, separator):
    from rdflib import Dataset, Graph

    from kg.rdf import build_graph
    from kg.registry import EXPORTERS

    extraction = _extraction([f"甲{separator}乙", "丙", "丁", "戊"])
    graph = build_graph([extraction])
    target = tmp_path / f"graph.{fmt}"
    EXPORTERS.get(fmt)(graph, target, [extraction])
    rdflib_format, _ = EXPORT_FORMATS[fmt]
    if fmt == "nt":
        back = _rdflib_triples(Graph().parse(target, format=rdflib_format))
    else:
        ds = Dataset()
        ds.parse(target, format=rdflib_format)
        back = _rdflib_triples({(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))})
    assert back >= _rdflib_triples(graph)
