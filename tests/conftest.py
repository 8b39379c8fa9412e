"""Shared fixtures. Expensive objects are built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold"
QUERIES = ROOT / "queries"
ONTOLOGY = ROOT / "ontology"


@pytest.fixture(scope="session")
def nlp():
    """The shared spaCy pipeline (jieba segmenter, sentence/section components, trigger matcher)."""
    from kg.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The seeds built once into a temporary folder (Turtle + views): a kg.build.BuildResult with `.out`."""
    from kg.build import build

    out = tmp_path_factory.mktemp("seed-output")
    result = build([SEEDS], out, progress=False)
    assert result.ok, result.summary()
    result.out = out
    return result


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    """The seed graph parsed back from its Turtle file (an rdflib.Graph)."""
    from rdflib import Graph

    return Graph().parse(seed_build.out / "graph.ttl", format="turtle")
