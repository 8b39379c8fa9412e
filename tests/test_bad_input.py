"""Bad input gets a clear answer, and nothing is lost (issue 6) — with real files the tests write.

- the same report in UTF-8, UTF-8 with BOM, GBK/GB18030 and UTF-16 builds the same graph: the Turtle
  is byte-identical once the one triple that must differ is dropped, ``gwr:contentHash`` (the SHA-256
  of the bytes read, which differ by design). Nothing else depends on the bytes: the report's IRI and
  ``dcterms:source`` come from the file name, every fact from the decoded, normalized text;
- an HTML page, a PDF (reportlab, its bundled STSong-Light CJK font, wrapped lines, running header and
  page numbers) and a DOCX (python-docx) made from each seed report give the text version's facts
  within the tolerance TOLERANCE states;
- empty, binary, oversize, missing and same-named files fail with a one-line message naming the file,
  and the other reports are built; ``--strict`` stops at the first; exit status 1 either way;
- a build killed with SIGKILL midway, or whose writer fails, leaves the previous output byte-identical
  and no temporary file behind.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from proc_helpers import kill_when_ready

import readers_fixtures as rf
from kg.build import BuildError, build
from kg.cli import main
from kg.fsutil import atomic_open, temp_files, write_text_atomic
from kg.pipeline import extract
from kg.readers import read_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CONTENT_HASH = re.compile(r'^\s*gwr:contentHash "[0-9a-f]{64}" ;\n', re.M)

#: Per report and relation, a format's facts must hold at least 95 % of the text version's facts,
#: and add at most 5 % of their number (rounded down) that the text version does not have.
TOLERANCE = 0.95


def _no_temp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.tmp"))


# encodings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed, codecs", [
    ("shigu-2023", ("utf-8", "utf-8-sig", "gbk", "utf-16")),
    ("shilong-2024", ("utf-8", "utf-8-sig", "gb18030", "utf-16-le")),  # needs GB18030 (₁₀); UTF-16 without BOM
])
def test_same_report_in_four_encodings_builds_the_same_graph(tmp_path, seed, codecs):
    text = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
    turtles = {}
    for codec in codecs:
        folder = tmp_path / codec
        folder.mkdir()
        (folder / f"{seed}.txt").write_bytes(text.encode(codec))
        result = build([folder], tmp_path / f"out-{codec}", views=False, progress=False, cache=False, workers=1)
        assert result.ok and len(result.reports) == 1, result.summary()
        turtle = (tmp_path / f"out-{codec}" / "graph.ttl").read_text(encoding="utf-8")
        digest = __import__("hashlib").sha256(text.encode(codec)).hexdigest()
        assert f'gwr:contentHash "{digest}"' in turtle  # the bytes read, as provenance
        turtles[codec] = CONTENT_HASH.sub("", turtle)
        assert "contentHash" not in turtles[codec]
    reference = turtles[codecs[0]]
    assert reference.count("gwr:undertakes") > 10
    for codec, turtle in turtles.items():
        assert turtle == reference, f"{seed} in {codec} builds a different graph"


# other formats --------------------------------------------------------------------------------------


def facts(extraction) -> dict[str, set]:
    return {
        "undertakes": {p.name for p in extraction.projects},
        "invests": {(i.project, i.amount, i.currency, i.kind) for i in extraction.investments},
        "receivesAward": {(a.recipient, a.recipient_type, a.award) for a in extraction.awards},
        "indicators": {(o.indicator, o.year, o.kind, o.growth_percent, o.amount_yuan) for o in extraction.indicators},
    }


WRITERS = {"html": rf.write_html, "pdf": rf.write_pdf, "docx": rf.write_docx}


@pytest.fixture(scope="module")
def text_extractions(seed_build):
    return {ex.document.name: ex for ex in seed_build.reports}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_html_pdf_and_docx_give_the_text_versions_facts(tmp_path, fmt, text_extractions, capsys):
    totals = {"text": 0, "kept": 0, "extra": 0}
    for seed in sorted(SEEDS.glob("*.txt")):
        path = WRITERS[fmt](seed.read_text(encoding="utf-8"), tmp_path / f"{seed.stem}.{fmt}")
        document = read_document(path)
        assert document.reader == fmt
        ex = extract(document)
        base = text_extractions[seed.stem]
        assert ex.meta == base.meta, f"{path.name}: title block read differently"
        for relation, expected in facts(base).items():
            got = facts(ex)[relation]
            kept, extra = len(expected & got), len(got - expected)
            totals["text"] += len(expected)
            totals["kept"] += kept
            totals["extra"] += extra
            assert kept >= TOLERANCE * len(expected), \
                f"{path.name} {relation}: {kept}/{len(expected)}; missing {sorted(map(str, expected - got))[:5]}"
            assert extra <= int((1 - TOLERANCE) * len(expected)), \
                f"{path.name} {relation}: {extra} extra facts {sorted(map(str, got - expected))[:5]}"
    with capsys.disabled():
        print(f"\n{fmt}: {totals['kept']}/{totals['text']} of the text versions' facts kept, "
              f"{totals['extra']} extra (5 seed reports)")


# refusals in a build --------------------------------------------------------------------------------


def _bad_folder(folder: Path) -> dict[str, str]:
    """Two good reports and one of each kind of bad file; returns {file name: expected message part}."""
    folder.mkdir()
    shutil.copy(SEEDS / "shigu-2023.txt", folder)
    rf.write_docx((SEEDS / "zhanhe-2024.txt").read_text(encoding="utf-8"), folder / "zhanhe-2024.docx")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "huge.txt").write_text("各位代表：" + "地区生产总值增长5%。" * 40000, encoding="utf-8")
    (folder / "fake.pdf").write_text("各位代表", encoding="utf-8")
    return {"empty.txt": "empty file", "binary.txt": "binary file (NUL bytes), not a text report",
            "huge.txt": "larger than the limit", "fake.pdf": "not a PDF file"}


def test_bad_files_get_their_message_and_the_others_still_build(tmp_path, capsys):
    expected = _bad_folder(tmp_path / "in")
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out"
    code = main(["build", str(tmp_path / "in"), str(missing), "--out", str(out), "-q", "--no-views",
                 "--no-cache", "--workers", "1", "--max-bytes", "200K"])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.out + captured.err
    failed = [line for line in captured.out.splitlines() if line.startswith("FAILED ")]
    assert len(failed) == len(expected) + 1
    for name, message in expected.items():
        assert any(line.startswith(f"FAILED {tmp_path / 'in' / name}: {message}") for line in failed), name
    assert f"FAILED {missing}: no such file or folder" in failed
    assert "reports read: 2, failed: 5" in captured.out
    assert "read as: docx ×1, text utf-8 ×1" in captured.out
    assert "5 of 7 reports failed; the others were built" in captured.out
    from rdflib import Graph, Namespace
    from rdflib.namespace import DCTERMS, RDF

    graph = Graph().parse(out / "graph.ttl", format="turtle")
    gwr = Namespace("https://w3id.org/gwr/ontology#")
    sources = sorted(str(graph.value(r, DCTERMS.source)) for r in graph.subjects(RDF.type, gwr.Report))
    assert sources == ["shigu-2023.txt", "zhanhe-2024.docx"]


def test_strict_stops_at_the_first_failure_and_writes_nothing(tmp_path, capsys):
    _bad_folder(tmp_path / "in")
    out = tmp_path / "out"
    code = main(["build", str(tmp_path / "in"), "--out", str(out), "-q", "--no-views", "--no-cache", "--strict",
                 "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"kg build: error: {tmp_path / 'in' / 'binary.txt'}: binary file")  # sorted first
    assert len(err.strip().splitlines()) == 1
    assert not (out / "graph.ttl").exists()


def test_reports_sharing_a_file_name_the_second_fails(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(SEEDS / "shigu-2023.txt", tmp_path / sub)
    result = build([tmp_path / "a", tmp_path / "b"], tmp_path / "out", views=False, progress=False, cache=False,
                   workers=1)
    assert len(result.reports) == 1 and len(result.failures) == 1
    assert str(result.failures[0]).startswith(f"{tmp_path / 'b' / 'shigu-2023.txt'}: another report has the same "
                                              "file name")


def test_a_report_without_structure_warns_and_is_still_built(tmp_path):
    # no title, no 各位代表, no heading; the district only as the body names itself (全县, 石门县委, 石门 …)
    (tmp_path / "note.txt").write_text("2023年，全县新建了一座公园，总投资500万元。石门县委、县政府高度重视，"
                                       "石门群众满意，石门发展加快。", encoding="utf-8")
    result = build([tmp_path / "note.txt"], tmp_path / "out", views=False, progress=False, cache=False, workers=1)
    assert result.ok and len(result.reports) == 1
    assert any("no report structure found" in w and "note.txt" in w for w in result.warnings)
    assert (tmp_path / "out" / "graph.ttl").is_file()
    assert "warning: " in result.summary()


def test_the_output_folder_is_not_read_as_input(tmp_path):
    shutil.copy(SEEDS / "shigu-2023.txt", tmp_path)
    out = tmp_path / "out"
    for _ in range(2):  # the second build sees out/graph.html inside its input folder
        result = build([tmp_path], out, progress=False, cache=False, workers=1)
        assert result.ok and [ex.document.name for ex in result.reports] == ["shigu-2023"], result.summary()


# nothing lost ------------------------------------------------------------------------------------------


@pytest.fixture
def previous_output(tmp_path, seed_build) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding a previous build's files (the seeds' graph and view)."""
    out = tmp_path / "output"
    out.mkdir()
    for name in ("graph.ttl", "graph.html"):
        shutil.copy(seed_build.out / name, out / name)
    return out, {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_build_killed_midway_leaves_the_previous_output_untouched(tmp_path, previous_output):
    out, before = previous_output
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(40):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, corpus / f"{i:02d}-{seed.name}")
    stderr = tmp_path / "stderr.txt"
    with stderr.open("wb") as err:
        proc = subprocess.Popen([str(Path(sys.executable).with_name("kg")), "build", str(corpus), "--out", str(out),
                                 "--workers", "2", "--no-cache"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                                stderr=err, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        done = 0
        while time.monotonic() < deadline and proc.poll() is None:
            progress = re.findall(r"\| *(\d+)/200 \[", stderr.read_text(encoding="utf-8", errors="replace"))
            done = int(progress[-1]) if progress else 0
            if done >= 4:
                break
            time.sleep(0.2)
        assert proc.poll() is None, f"the build ended before it could be killed: {stderr.read_text()[-500:]}"
        assert done >= 4, "no progress within 180 s"
        os.killpg(proc.pid, signal.SIGKILL)  # the build and its worker processes, no chance to clean up
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert _snapshot(out) == before  # byte-identical, and no new file (no temporary file either)
    assert _no_temp_files(tmp_path) == []


def test_a_failing_writer_leaves_the_previous_output_untouched(tmp_path, previous_output, capsys):
    """The Turtle target cannot be replaced (a folder of that name holds it open): the build fails with
    one line, and graph.html, which would have been written next, keeps its previous bytes."""
    out, before = previous_output
    (out / "graph.ttl").unlink()
    (out / "graph.ttl").mkdir()
    (out / "graph.ttl" / "keep").write_text("x", encoding="utf-8")
    code = main(["build", str(SEEDS / "shigu-2023.txt"), "--out", str(out), "-q", "--no-cache"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"kg build: error: cannot write to {out}: ") and len(err.strip().splitlines()) == 1
    assert (out / "graph.html").read_bytes() == before["graph.html"]
    assert _no_temp_files(out) == []


def test_atomic_write_killed_midway_keeps_the_old_file_and_its_leftover_is_swept(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old content\n", encoding="utf-8")
    code = ("import sys, time\nfrom kg.fsutil import atomic_open\n"
            "with atomic_open(sys.argv[1]) as fh:\n"
            "    fh.write('half of the new content' * 1000); fh.flush()\n"
            "    print('writing', flush=True); time.sleep(60)\n")
    pid = kill_when_ready([sys.executable, "-c", code, str(target)], "writing", cwd=ROOT)
    assert target.read_text(encoding="utf-8") == "old content\n"
    leftovers = temp_files(target)
    assert len(leftovers) == 1 and leftovers[0].name.startswith(f".graph.ttl.{pid}.")
    write_text_atomic(target, "new content\n")  # the next write of the target sweeps the dead writer's file
    assert target.read_text(encoding="utf-8") == "new content\n"
    assert temp_files(target) == []


def test_atomic_write_that_raises_keeps_the_old_file(tmp_path):
    target = tmp_path / "graph.html"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_open(target, "wb") as fh:
            fh.write(b"new, half")
            raise RuntimeError("writer failed")
    assert target.read_bytes() == b"old" and temp_files(target) == []


def test_no_input_at_all_is_a_build_error_and_writes_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    result = build([tmp_path / "in"], tmp_path / "out", progress=False, cache=False, workers=1)
    assert not result.ok and not result.reports and not result.outputs
    assert "nothing was written, the previous output is untouched" in result.summary()
    assert not (tmp_path / "out").exists()
    with pytest.raises(BuildError, match="no reports found"):
        build([tmp_path / "nothing-here"], tmp_path / "out", progress=False, cache=False)


def test_a_report_that_cannot_be_mapped_fails_alone(seed_build):
    """Mapping to RDF runs on all reports at once; when it raises, each report is mapped alone and only
    those that fail are listed as failures."""
    from kg.build import Failure, _graph_of_good_reports
    from kg.rdf import build_graph

    reports = sorted(seed_build.reports, key=lambda ex: ex.document.name)
    bad = reports[1].document.name

    def mapping(extractions):
        if any(ex.document.name == bad for ex in extractions):
            raise ValueError("cannot map this one")
        return build_graph(extractions)

    failures: list[Failure] = []
    graph, good = _graph_of_good_reports(mapping, reports, failures)
    assert [ex.document.name for ex in good] == [ex.document.name for ex in reports if ex.document.name != bad]
    assert [str(f) for f in failures] == [f"{reports[1].document.path}: mapping to RDF failed: ValueError: "
                                          "cannot map this one"]
    assert len(graph) == len(build_graph(good))


def test_a_build_failing_while_writing_keeps_the_whole_previous_output(tmp_path, monkeypatch):
    """Files are staged and moved into place together: a failure in the last writer (the index page)
    leaves the previous graph.ttl too, although the new graph would differ and was written first."""
    import kg.views.site
    from kg.build import build

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    out = tmp_path / "out"
    assert build([seeds / "shilong-2024.txt"], out, progress=False).ok
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and ".kg-cache" not in p.parts}

    def broken_index(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(kg.views.site, "write_site_pages", broken_index)
    with pytest.raises(Exception, match="disk full"):
        build([seeds / "zhanhe-2024.txt"], out, progress=False)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and ".kg-cache" not in p.parts}
    assert after == before
    assert not list(out.glob(".staging-*"))


def test_a_report_that_cannot_be_mapped_in_the_workers_fails_alone(tmp_path, monkeypatch):
    """kg build maps each report beside its extraction (kg.build.extract_and_map): a report whose mapping
    raises is a failure with the same message as before, the others are built; its extraction is
    cached all the same, and a rebuild from the cache (mapped in the main process) fails it the same."""
    import kg.store
    from kg.build import build

    real = kg.store.map_one
    bad = sorted(SEEDS.glob("*.txt"))[1]

    def map_one(ex):
        if ex.document.name == bad.stem:
            raise ValueError("cannot map this one")
        return real(ex)

    monkeypatch.setattr(kg.store, "map_one", map_one)
    cache = tmp_path / "cache"
    for attempt in range(2):
        result = build([SEEDS], tmp_path / f"out{attempt}", views=False, progress=False, workers=1, cache=cache)
        assert [str(f) for f in result.failures] == [f"{bad}: mapping to RDF failed: ValueError: cannot map this one"]
        assert sorted(ex.document.name for ex in result.reports) == sorted(p.stem for p in SEEDS.glob("*.txt")
                                                                            if p != bad)
        assert result.cache == ("cache: 0 reused, 5 extracted" if attempt == 0 else "cache: 5 reused, 0 extracted")
    assert result.triples and (tmp_path / "out0" / "graph.ttl").read_bytes() == (tmp_path / "out1" / "graph.ttl").read_bytes()
