"""Relations are plugins and rules are data (kg.relation, kg.lexicon).

The outside relation in ``tests/plugins/`` (district signs agreement) is not part of ``kg``: it is a
module with its own lexicon file and an installed distribution's entry point (a ``.dist-info`` folder on
``PYTHONPATH``, which is what ``pip install`` leaves). Each ``kg`` command here runs in a fresh process
with that folder on its path, so the relation arrives only through the ``gwr_kg.relations`` group.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS

PLUGINS = ROOT / "tests" / "plugins"
pytestmark = pytest.mark.slow


def _kg(*args: str, env_extra: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PLUGINS), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def plugin_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("plugin-out")
    run = _kg("build", str(SEEDS / "weidong-2024.txt"), str(SEEDS / "shigu-2023.txt"), "--out", str(out), "-q",
              "--no-cache")
    assert run.returncode == 0, run.stderr
    return out


def test_an_outside_relation_reaches_the_graph(plugin_build):
    from rdflib import Graph, Namespace
    from rdflib.namespace import RDFS

    gwr = Namespace("https://w3id.org/gwr/ontology#")
    g = Graph().parse(plugin_build / "graph.ttl")
    signed = {(str(g.value(d, RDFS.label)), str(g.value(a, RDFS.label))) for d, a in g.subject_objects(gwr.signsAgreement)}
    assert ("卫东区", "合作共建协议") in signed and ("石鼓区", "合作框架协议") in signed, signed
    # each of its triples carries provenance like a built-in relation's
    from rdflib import RDF
    stmts = [st for st in g.subjects(RDF.predicate, gwr.signsAgreement)]
    assert len(stmts) == len(signed) and all(g.value(st, gwr.evidence) for st in stmts)


def test_an_outside_relation_is_in_the_views_legend(plugin_build):
    page = (plugin_build / "graph.html").read_text(encoding="utf-8")
    assert "协议" in page and "#00a0a0" in page  # its class's Chinese name and colour in the legend data


def test_an_outside_relation_is_scored_by_kg_eval(plugin_build, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    lines = [{"rel": "meta", "district": "卫东区"},
             {"rel": "signsAgreement", "subject": "卫东区", "object": "合作共建协议", "evidence": "…"},
             {"rel": "signsAgreement", "subject": "卫东区", "object": "招商引资框架协议", "evidence": "…"}]
    (gold / "weidong-2024.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                                             encoding="utf-8")
    run = _kg("eval", "--gold", str(gold), "--graph", str(plugin_build / "graph.ttl"))
    row = next(line.split() for line in run.stdout.splitlines() if line.startswith("signsAgreement"))
    assert row[1:4] == ["2", "1", "1"], run.stdout  # gold 2, predicted 1, true positive 1


def test_without_the_plugin_nothing_of_it_appears(tmp_path):
    from kg.relation import names

    assert "agreements" not in names()  # this test process never had the plugin on its path
    run = subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS / "weidong-2024.txt"), "--out",
                          str(tmp_path), "-q", "--no-views", "--no-cache"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "signsAgreement" not in (tmp_path / "graph.ttl").read_text(encoding="utf-8")


def test_a_users_lexicon_folder_overrides_the_packaged_one(tmp_path):
    """`kg build --lexicon DIR`: an edited copy of awards.toml with no trigger words finds no awards."""
    import re

    lex = tmp_path / "lex"
    lex.mkdir()
    text = (ROOT / "kg" / "lexicons" / "awards.toml").read_text(encoding="utf-8")
    (lex / "awards.toml").write_text(re.sub(r"(?ms)^triggers = \[.*?\]", "triggers = []", text), encoding="utf-8")
    plain, edited = tmp_path / "plain", tmp_path / "edited"
    for out, extra in ((plain, []), (edited, ["--lexicon", str(lex)])):
        run = _kg("build", str(SEEDS / "shilong-2024.txt"), "--out", str(out), "-q", "--no-views", *extra)
        assert run.returncode == 0, run.stderr
    assert "receivesAward" in (plain / "graph.ttl").read_text(encoding="utf-8")
    assert "receivesAward" not in (edited / "graph.ttl").read_text(encoding="utf-8")
    missing = _kg("build", str(SEEDS / "shilong-2024.txt"), "--out", str(tmp_path / "x"), "--lexicon",
                  str(tmp_path / "nowhere"))
    assert missing.returncode != 0 and "lexicon folder not found" in missing.stderr and "Traceback" not in missing.stderr


def test_no_word_list_in_python_code():
    """Rules are data: trigger and status word lists live in kg/lexicons/*.toml, not in kg/**/*.py."""
    from kg.lexicon import load

    words = set(load("projects").words("triggers")) | set(load("awards").words("triggers"))
    long_words = {w for w in words if len(w) >= 2}
    for path in (ROOT / "kg").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        # several trigger words quoted, or joined by | in a pattern, are a word list in code
        found = {w for w in long_words if any(f"{a}{w}{b}" in text for a, b in (('"', '"'), ("'", "'"), ("|", ""),
                                                                                    ("", "|")))}
        assert len(found) < 3, (path, sorted(found))


def test_extraction_fingerprint_follows_code_and_lexicons(tmp_path, monkeypatch):
    import kg
    from kg.fingerprint import fingerprint
    from kg.lexicon import set_user_dirs

    before = kg.EXTRACTOR_VERSION
    lex = tmp_path / "lex"
    lex.mkdir()
    (lex / "awards.toml").write_text('triggers = ["获评"]\n', encoding="utf-8")
    monkeypatch.setenv("GWR_KG_LEXICON", "")
    try:
        set_user_dirs([lex])
        assert kg.EXTRACTOR_VERSION != before and len(fingerprint()) == 64
    finally:
        set_user_dirs([])
    assert kg.EXTRACTOR_VERSION == before
