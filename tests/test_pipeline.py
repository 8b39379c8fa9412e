"""The whole pipe on the seeds: determinism, parseability, labels, meta, and a golden report."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold"
GOLDEN = ROOT / "tests" / "golden"


def test_two_builds_give_byte_identical_turtle(seed_build, tmp_path):
    from kg.build import build

    again = build([SEEDS], tmp_path, views=False, progress=False)
    assert again.ok
    first = (seed_build.out / "graph.ttl").read_bytes()
    assert first == (tmp_path / "graph.ttl").read_bytes()
    assert len(first) > 10_000


def test_turtle_parses_with_rdflib_and_pyoxigraph(seed_build, seed_graph):
    import pyoxigraph as ox

    store = ox.Store()
    with (seed_build.out / "graph.ttl").open("rb") as fh:
        store.load(fh, ox.RdfFormat.TURTLE)
    assert len(store) == len(seed_graph) == seed_build.triples


def test_instance_iris_are_ascii_and_under_the_data_namespace(seed_graph):
    from rdflib import URIRef

    from kg.iri import DATA

    subjects = {s for s in seed_graph.subjects() if isinstance(s, URIRef)}
    assert subjects, "graph has no subjects"
    for s in subjects:
        assert str(s).isascii(), s
        assert str(s).startswith(DATA), s


def test_every_entity_has_exactly_one_chinese_label(seed_graph):
    from rdflib import RDF, RDFS

    from kg.rdf import GWR

    typed = {s for s, o in seed_graph.subject_objects(RDF.type) if str(o).startswith(str(GWR))}
    assert len(typed) > 100
    for s in typed:
        labels = list(seed_graph.objects(s, RDFS.label))
        assert len(labels) == 1, (s, labels)
        assert labels[0].language == "zh", (s, labels)
        assert labels[0].strip() and not any(c.isspace() for c in str(labels[0])), (s, labels)


@pytest.mark.parametrize("report", sorted(p.stem for p in SEEDS.glob("*.txt")))
def test_meta_matches_gold(seed_build, report):
    gold = json.loads((GOLD / f"{report}.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert gold["rel"] == "meta"
    meta = next(ex.meta for ex in seed_build.reports if ex.document.name == report)
    assert meta.district == gold["district"]
    assert meta.city == gold["city"]
    assert meta.province == gold["province"]
    assert meta.speaker == gold["speaker"]
    assert meta.date == gold["date"]
    assert (meta.review_year, meta.plan_year) == (gold["review_year"], gold["plan_year"])


def _facts(extraction) -> dict:
    """A stable, reviewable text form of everything extracted from one report."""
    return {
        "meta": {k: v for k, v in vars(extraction.meta).items()},
        "projects": sorted(f"{p.name} | {p.status} | {p.year} | {'explicit' if p.explicit else 'implicit'}"
                           for p in extraction.projects),
        "investments": sorted(f"{i.project} | {i.amount} {i.currency} | {i.kind}" for i in extraction.investments),
        "awards": sorted(f"{a.recipient} ({a.recipient_type}) | {a.award} | {a.year}" for a in extraction.awards),
        "indicators": sorted(f"{o.indicator} | {o.year} | {o.kind} | growth={o.growth_percent} | yuan={o.amount_yuan}"
                             for o in extraction.indicators),
    }


def test_golden_report_facts(seed_build):
    """Everything extracted from one seed report, compared with a reviewed golden file.

    After an intended extraction change, regenerate with ``KG_UPDATE_GOLDEN=1 pytest tests/test_pipeline.py``
    and review the diff of tests/golden/ before committing it.
    """
    extraction = next(ex for ex in seed_build.reports if ex.document.name == "shilong-2024")
    actual = json.dumps(_facts(extraction), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    golden = GOLDEN / "shilong-2024.facts.json"
    if os.environ.get("KG_UPDATE_GOLDEN") == "1":
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), "golden file missing: run with KG_UPDATE_GOLDEN=1 once and review it"
    assert actual == golden.read_text(encoding="utf-8")


def test_offsets_point_at_the_evidence_sentence(seed_build):
    for extraction in seed_build.reports:
        text = extraction.document.text
        for fact in [*extraction.projects, *extraction.awards, *extraction.indicators, *extraction.investments]:
            ev = fact.evidence
            assert text[ev.start:ev.end] == ev.sentence
