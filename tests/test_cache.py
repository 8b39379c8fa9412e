"""The extraction cache (kg/cache.py): unchanged reports are reused, changed and new ones re-extracted,
corrupt entries rebuilt, and the output is the same with or without it."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.build import build
from kg.cache import CACHE_DIRNAME, ExtractionCache, code_fingerprint
from kg.cli import main
from kg.executor import SerialExecutor

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _corpus(folder: Path, seeds=("aimin-2024", "shilong-2024", "zhanhe-2024"), size: int = 5000) -> Path:
    """Short reports cut from the seeds (their title blocks and first paragraphs), fast to extract."""
    folder.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        text = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
        (folder / f"{seed}.txt").write_text(text[:size], encoding="utf-8")
    return folder


def _build(corpus: Path, out: Path, cache_dir: Path):
    """A serial build with its own executor and cache, so the test can count what each did."""
    executor, cache = SerialExecutor(), ExtractionCache(cache_dir)
    result = build([corpus], out, views=False, progress=False, executor=executor, cache=cache)
    assert result.ok, result.summary()
    return result, executor, cache


def test_rebuild_extracts_only_what_changed(tmp_path):
    corpus, cache_dir = _corpus(tmp_path / "in"), tmp_path / "cache"

    first, ex1, c1 = _build(corpus, tmp_path / "out1", cache_dir)
    assert (ex1.tasks, c1.hits, c1.misses, c1.written) == (3, 0, 3, 3)
    entries = {p.name: p.stat().st_mtime_ns for p in c1.entries()}
    assert len(entries) == 3

    again, ex2, c2 = _build(corpus, tmp_path / "out2", cache_dir)
    assert (ex2.tasks, c2.hits, c2.misses, c2.written) == (0, 3, 0, 0)
    assert (tmp_path / "out2" / "graph.ttl").read_bytes() == (tmp_path / "out1" / "graph.ttl").read_bytes()
    assert "cache: 3 reused, 0 extracted" in again.summary()

    # change one report and add one: exactly those two are extracted
    changed = corpus / "zhanhe-2024.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n全年新增就业岗位1200个。\n", encoding="utf-8")
    _corpus(corpus, seeds=("weidong-2024",))
    third, ex3, c3 = _build(corpus, tmp_path / "out3", cache_dir)
    assert (ex3.tasks, c3.hits, c3.misses, c3.written) == (2, 2, 2, 2)
    assert [r.document.name for r in third.reports] == ["aimin-2024", "shilong-2024", "weidong-2024", "zhanhe-2024"]
    new_entries = {p.name for p in c3.entries()} - set(entries)
    assert len(new_entries) == 2
    # untouched entries were not rewritten
    assert all(p.stat().st_mtime_ns == entries[p.name] for p in c3.entries() if p.name in entries)

    # the cached build writes what a build without cache writes
    fresh = build([corpus], tmp_path / "nocache", views=False, progress=False)
    assert (tmp_path / "nocache" / "graph.ttl").read_bytes() == (tmp_path / "out3" / "graph.ttl").read_bytes()
    assert fresh.triples == third.triples


def test_corrupt_entries_are_ignored_and_rebuilt(tmp_path):
    corpus, cache_dir = _corpus(tmp_path / "in", seeds=("aimin-2024", "shilong-2024")), tmp_path / "cache"
    _build(corpus, tmp_path / "out1", cache_dir)
    first, second = ExtractionCache(cache_dir).entries()
    first.write_bytes(first.read_bytes()[:50])  # truncated
    second.write_bytes(b"not a pickle at all")
    result, executor, cache = _build(corpus, tmp_path / "out2", cache_dir)
    assert (executor.tasks, cache.corrupt, cache.written) == (2, 2, 2)
    assert (tmp_path / "out2" / "graph.ttl").read_bytes() == (tmp_path / "out1" / "graph.ttl").read_bytes()
    _, executor, cache = _build(corpus, tmp_path / "out3", cache_dir)
    assert (executor.tasks, cache.hits, cache.corrupt) == (0, 2, 0)


def test_entries_hold_the_extraction_packed_and_give_back_every_fact(tmp_path):
    import hashlib
    import hmac
    import pickle

    from kg.cache import MAGIC
    from kg.model import PackedExtraction

    corpus, cache_dir = _corpus(tmp_path / "in", seeds=("aimin-2024", "shilong-2024")), tmp_path / "cache"
    fresh, _, _ = _build(corpus, tmp_path / "out1", cache_dir)
    cached, executor, cache = _build(corpus, tmp_path / "out2", cache_dir)
    assert (executor.tasks, cache.hits) == (0, 2)
    assert list(cached.reports) == list(fresh.reports) and cached.listing() == fresh.listing()
    entries = ExtractionCache(cache_dir).entries()
    head = len(MAGIC) + hashlib.sha256().digest_size
    assert all(isinstance(pickle.loads(e.read_bytes()[head:]), PackedExtraction) for e in entries)
    # an entry of the format before (a bare Extraction), signed with this user's key, is rebuilt
    key = entries[0].stem
    payload = pickle.dumps(fresh.reports[0])
    signature = hmac.new(cache._secret, key.encode("ascii") + b"\0" + payload, hashlib.sha256).digest()
    entries[0].write_bytes(b"gwr-kg cache 2\n" + signature + payload)
    _, executor, cache = _build(corpus, tmp_path / "out3", cache_dir)
    assert (executor.tasks, cache.corrupt, cache.hits) == (1, 1, 1)


def test_extractor_version_is_part_of_the_key(tmp_path, monkeypatch):
    corpus, cache_dir = _corpus(tmp_path / "in", seeds=("aimin-2024",), size=2000), tmp_path / "cache"
    _build(corpus, tmp_path / "out1", cache_dir)
    before = code_fingerprint()
    monkeypatch.setattr(kg, "EXTRACTOR_VERSION", kg.EXTRACTOR_VERSION + "-next")
    assert code_fingerprint() != before
    _, executor, cache = _build(corpus, tmp_path / "out2", cache_dir)
    assert (executor.tasks, cache.hits) == (1, 0)


def test_cli_cache_options(tmp_path, capsys):
    corpus = _corpus(tmp_path / "in", seeds=("aimin-2024", "shilong-2024"), size=2000)
    out = tmp_path / "out"
    assert main(["build", str(corpus), "--out", str(out), "--no-views", "-q", "--workers", "1"]) == 0
    assert (out / CACHE_DIRNAME).is_dir()  # default: OUT/.kg-cache
    capsys.readouterr()
    assert main(["build", str(corpus), "--out", str(out), "--no-views", "-q", "--workers", "1"]) == 0
    assert "cache: 2 reused, 0 extracted" in capsys.readouterr().out

    elsewhere = tmp_path / "shared-cache"
    assert main(["build", str(corpus), "--out", str(tmp_path / "o2"), "--no-views", "-q", "--cache",
                 str(elsewhere)]) == 0
    assert len(ExtractionCache(elsewhere).entries()) == 2
    assert not (tmp_path / "o2" / CACHE_DIRNAME).exists()
    capsys.readouterr()

    assert main(["build", str(corpus), "--out", str(tmp_path / "o3"), "--no-views", "-q", "--no-cache"]) == 0
    assert "cache:" not in capsys.readouterr().out
    assert not (tmp_path / "o3" / CACHE_DIRNAME).exists()
    assert (tmp_path / "o3" / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()


@pytest.mark.parametrize("value", [None, False])
def test_no_cache_by_default_in_the_library(tmp_path, value):
    corpus = _corpus(tmp_path / "in", seeds=("aimin-2024",), size=1500)
    build([corpus], tmp_path / "out", views=False, progress=False, cache=value)
    assert not (tmp_path / "out" / CACHE_DIRNAME).exists()


def test_segmenter_versions_are_part_of_the_fingerprint(monkeypatch):
    from kg import fingerprint as fp

    before = fp._fingerprint(())
    fp._fingerprint.cache_clear()
    monkeypatch.setattr(fp, "_version", lambda package: "0.0-other" if package == "rjieba" else "1")
    try:
        assert fp._fingerprint(()) != before
    finally:
        fp._fingerprint.cache_clear()
