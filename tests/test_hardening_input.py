"""Issue 15, input and output: one odd file never aborts, hangs or exhausts a build; nothing is lost or
mixed in the output folder. Real files, real processes (``kg build`` run as a subprocess with a time
bound where a hang is the failure), no mocks of what is tested.

Tests that need a folder the build cannot read run ``kg build`` as root without the capabilities that
let root read anything (``setpriv --bounding-set=-dac_override,-dac_read_search``), or as they are when
the tests do not run as root.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from proc_helpers import kill_when_ready

import readers_fixtures as rf
from kg.build import BuildError, build
from kg.cache import ExtractionCache
from kg.readers import ReadConfig, ReadError, read_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def _own_cache_key(tmp_path, monkeypatch):
    """The cache's signing key in this test's folder, not the user's ~/.config."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _report(folder: Path, seed: str = "aimin-2024", size: int = 2500, name: str | None = None) -> Path:
    """A short report cut from a seed (its title block and first paragraphs): fast to extract."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{seed}.txt")
    path.write_text((SEEDS / f"{seed}.txt").read_text(encoding="utf-8")[:size], encoding="utf-8")
    return path


def _unprivileged() -> list[str]:
    """A command prefix that runs a process without root's power to read and write anything."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("running as root without setpriv: cannot make a folder unreadable to the build")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def _kg(args: list, tmp_path: Path, *, timeout: float = 90, prefix: list[str] = ()) -> subprocess.CompletedProcess:
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"), PYTHONIOENCODING="utf-8")
    return subprocess.run([*prefix, sys.executable, "-m", "kg", *map(os.fsdecode, args)], cwd=tmp_path, env=env,
                          capture_output=True, timeout=timeout)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".kg-cache" not in p.parts}


# a folder of odd files, built once by a real `kg build` process -------------------------------------------


@pytest.fixture(scope="module")
def odd_build(tmp_path_factory):
    """One good report beside a FIFO, a link to /dev/zero, a sparse 3 GB file, link loops, a file name
    that is not UTF-8 and names with terminal control codes; built with the cache on (the default),
    bounded at 120 s."""
    base = tmp_path_factory.mktemp("odd")
    folder = base / "in"
    _report(folder)
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    with open(folder / "sparse.txt", "wb") as fh:
        fh.truncate(3 << 30)
    os.symlink("loop.txt", folder / "loop.txt")
    os.symlink("b.txt", folder / "a.txt")
    os.symlink("a.txt", folder / "b.txt")
    bad_name = os.fsencode(folder) + b"/bad\xff-shilong.txt"
    with open(bad_name, "wb") as fh:
        fh.write((SEEDS / "shilong-2024.txt").read_text(encoding="utf-8")[:2500].encode("utf-8"))
    (folder / "\x1b[31mred\x07.txt").write_bytes(b"")
    started = time.monotonic()
    proc = _kg(["build", folder, "--out", base / "out", "-q", "--workers", "1", "--no-views"], base, timeout=120)
    proc.seconds = time.monotonic() - started
    proc.text = proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")
    proc.folder, proc.out = folder, base / "out"
    return proc


def _failed(proc, name: str) -> str:
    lines = [ln for ln in proc.text.splitlines() if ln.startswith("FAILED ") and name in ln]
    assert len(lines) == 1, proc.text
    return lines[0]


def test_odd_files_end_in_seconds_without_traceback(odd_build):
    assert odd_build.seconds < 60
    assert "Traceback" not in odd_build.text and "MemoryError" not in odd_build.text
    assert odd_build.returncode == 1
    assert "reports read: 2, failed: 7" in odd_build.text, odd_build.text


def test_a_fifo_fails_alone_and_does_not_hang(odd_build):
    assert "not a file (a FIFO (named pipe)), not a report" in _failed(odd_build, "pipe.txt")


def test_a_link_to_dev_zero_fails_alone(odd_build):
    assert "not a file (a character device), not a report" in _failed(odd_build, "zero.txt")


def test_a_sparse_3gb_file_is_refused_by_its_size(odd_build):
    assert "larger than the limit (3 GB > 20 MB" in _failed(odd_build, "sparse.txt")


def test_symlink_loops_fail_alone(odd_build):
    for name in ("loop.txt", "a.txt", "b.txt"):
        assert "a symbolic link loop" in _failed(odd_build, f"/{name}")


def test_a_file_name_that_is_not_utf8_builds(odd_build):
    from rdflib import Graph
    from rdflib.namespace import DCTERMS

    assert "read as: text utf-8 ×2" in odd_build.text
    graph = Graph().parse(odd_build.out / "graph.ttl", format="turtle")
    assert "bad\\xff-shilong.txt" in {str(o) for o in graph.objects(None, DCTERMS.source)}
    assert len(ExtractionCache(odd_build.out / ".kg-cache").entries()) == 2


def test_control_codes_in_file_names_are_escaped(odd_build):
    assert "\x1b" not in odd_build.text and "\x07" not in odd_build.text
    assert "empty file" in _failed(odd_build, "\\x1b[31mred\\x07.txt")


# containers that unpack to far more than they weigh ----------------------------------------------------


def test_a_docx_zip_bomb_is_refused_quickly(tmp_path):
    good = tmp_path / "good.docx"
    rf.write_docx((SEEDS / "zhanhe-2024.txt").read_text(encoding="utf-8")[:2000], good)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
        with dst.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                     b'wordprocessingml/2006/main"><w:body>')
            chunk = b"<w:p><w:r><w:t>aaaaaaaa</w:t></w:r></w:p>" * 25000
            for _ in range((60 << 20) // len(chunk)):
                fh.write(chunk)
            fh.write(b"</w:body></w:document>")
    assert bomb.stat().st_size < 1 << 20
    started = time.monotonic()
    with pytest.raises(ReadError, match=r"the package unpacks to more than the limit \(\d+(\.\d)? MB > 20 MB; raise it with --max-bytes\)"):
        read_document(bomb)
    assert time.monotonic() - started < 5


def _pdf_with_stream(stream: bytes) -> bytes:
    """A one-page PDF whose content stream is ``stream`` (Flate-compressed), cross-reference included."""
    body = zlib.compress(stream, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_a_pdf_stream_bomb_is_refused_quickly(tmp_path):
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_pdf_with_stream(b"0 0 m 1 1 l S\n" * ((60 << 20) // 14)))
    assert bomb.stat().st_size < 1 << 20
    started = time.monotonic()
    with pytest.raises(ReadError, match=r"its streams unpack to more than the limit"):
        read_document(bomb)
    assert time.monotonic() - started < 5


# text that reads in pieces, deep markup, broken UTF-16 ------------------------------------------------------


def test_a_text_over_a_million_characters_is_extracted(tmp_path):
    seed = (SEEDS / "shilong-2024.txt").read_text(encoding="utf-8")
    path = tmp_path / "long.txt"
    path.write_text((seed + "\n") * (1_050_000 // len(seed) + 1), encoding="utf-8")
    result = build([path], tmp_path / "out", views=False, progress=False, workers=1)
    assert result.ok, result.summary()
    assert result.reports[0].counts().get("projects", 0) > 0


@pytest.mark.parametrize("depth", [300, 1000])
def test_html_nested_deeper_than_256_keeps_its_text(tmp_path, depth):
    text = (SEEDS / "shigu-2023.txt").read_text(encoding="utf-8")[:3000]
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    page = tmp_path / "deep.html"
    page.write_text(f"<html><head><meta charset='utf-8'></head><body>{'<div>' * depth}{paragraphs}"
                    f"{'</div>' * depth}</body></html>", encoding="utf-8")
    document = read_document(page)
    assert "石鼓区" in document.text and len(document.text) > 0.8 * len(text.replace("\n", ""))


@pytest.mark.parametrize("how", ["odd-byte", "lone-surrogate", "odd-byte-bom", "lone-surrogate-bom"])
def test_utf16_with_a_flaw_is_kept_with_a_warning(tmp_path, how):
    text = (SEEDS / "shigu-2023.txt").read_text(encoding="utf-8")[:4000]
    data = text.encode("utf-16-le")
    if "surrogate" in how:
        data = data[:200] + b"\x00\xd8" + data[200:]
    else:
        data = data[:-1]
    if how.endswith("-bom"):
        data = b"\xff\xfe" + data
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    document = read_document(path)
    assert document.encoding.startswith("utf-16")
    assert document.text[:30] == read_document(_report(tmp_path / "ref", "shigu-2023", 4000)).text[:30]
    assert any("UTF-16" in w for w in document.warnings), document.warnings


# the cache runs no code it did not write ------------------------------------------------------------------


class _Payload:
    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (Path(self.marker), "pwned"))


def test_a_planted_cache_entry_does_not_run(tmp_path):
    import pickle

    corpus, cache_dir = tmp_path / "in", tmp_path / "cache"
    report = _report(corpus)
    cache = ExtractionCache(cache_dir)
    key = cache.key(report, ReadConfig())
    marker = tmp_path / "marker"
    entry = cache._entry(key)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(pickle.dumps(_Payload(str(marker))))  # what an attacker who can write .kg-cache plants
    result = build([corpus], tmp_path / "out", views=False, progress=False, workers=1, cache=cache_dir)
    assert result.ok and not marker.exists()
    assert "(1 corrupt entries rebuilt)" in result.cache
    signed = entry.read_bytes()
    assert signed.startswith(b"gwr-kg cache")
    again = build([corpus], tmp_path / "out", views=False, progress=False, workers=1, cache=cache_dir)
    assert "cache: 1 reused, 0 extracted" in again.cache
    key_file = tmp_path / "config" / "gwr-kg" / "cache.key"
    assert key_file.stat().st_mode & 0o777 == 0o600 and not key_file.is_relative_to(cache_dir)


# the output folder -------------------------------------------------------------------------------------


def test_stale_outputs_go_and_files_no_build_writes_stay(tmp_path):
    corpus = tmp_path / "in"
    _report(corpus, "aimin-2024")
    second = _report(corpus, "shilong-2024")
    out = tmp_path / "out"
    assert build([corpus], out, formats=("ttl", "trig"), progress=False, workers=1, cache=True).ok
    assert len(list((out / "views").glob("*.html"))) == 2 and (out / "graph.trig").is_file()
    (out / "query.html").write_text("a kg view page", encoding="utf-8")
    (out / "notes").mkdir()
    (out / "notes" / "mine.txt").write_text("mine", encoding="utf-8")
    second.unlink()
    result = build([corpus], out, progress=False, workers=1, cache=True)
    assert result.ok
    alone = tmp_path / "alone"
    build([corpus], alone, progress=False, workers=1)
    assert _files(out).keys() - {"query.html", "notes/mine.txt"} == _files(alone).keys()
    assert not (out / "graph.trig").exists() and len(list((out / "views").glob("*.html"))) == 1
    assert (out / "notes" / "mine.txt").read_text(encoding="utf-8") == "mine"
    assert "cache: 1 reused, 0 extracted" in result.cache  # the cache came over into the new folder
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_build_that_cannot_swap_keeps_the_whole_previous_output_and_says_so(tmp_path):
    corpus = tmp_path / "in"
    _report(corpus, "aimin-2024")
    out = tmp_path / "out"
    assert build([corpus], out, progress=False, workers=1).ok
    (out / "index.html").unlink()
    (out / "index.html").mkdir()  # a move of the new index.html would fail
    before = _files(out)
    _report(corpus, "shilong-2024")
    proc = _kg(["build", corpus, "--out", out, "-q", "--workers", "1", "--no-cache"], tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in err
    assert err.startswith(f"kg build: error: cannot write to {out}: index.html is a folder no build wrote")
    assert err.strip().endswith("the previous output is unchanged")
    assert _files(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_read_only_views_folder_does_not_mix_old_and_new(tmp_path):
    corpus = tmp_path / "in"
    _report(corpus, "aimin-2024")
    out = tmp_path / "out"
    assert build([corpus], out, progress=False, workers=1).ok
    old_views = sorted(p.name for p in (out / "views").iterdir())
    (corpus / "aimin-2024.txt").unlink()
    _report(corpus, "shilong-2024")
    os.chmod(out / "views", 0o555)
    try:
        proc = _kg(["build", corpus, "--out", out, "-q", "--workers", "1", "--no-cache"], tmp_path,
                   prefix=_unprivileged())
    finally:
        for folder in [out, *tmp_path.glob(".out.*")]:
            for views in folder.glob("views"):
                os.chmod(views, 0o755)
    text = proc.stdout.decode() + proc.stderr.decode()
    assert proc.returncode == 0 and "Traceback" not in text, text
    alone = tmp_path / "alone"
    build([corpus], alone, progress=False, workers=1)
    assert _files(out).keys() == _files(alone).keys()
    assert sorted(p.name for p in (out / "views").iterdir()) != old_views
    assert "the previous output could not all be removed" in text
    build([corpus], out, progress=False, workers=1)  # the next build sweeps what was left
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_unreadable_subfolder_is_a_named_failure(tmp_path):
    corpus = tmp_path / "in"
    _report(corpus, "aimin-2024")
    _report(corpus / "sub", "shilong-2024")
    os.chmod(corpus / "sub", 0)
    try:
        proc = _kg(["build", corpus, "--out", tmp_path / "out", "-q", "--workers", "1", "--no-views", "--no-cache"],
                   tmp_path, prefix=_unprivileged())
    finally:
        os.chmod(corpus / "sub", 0o755)
    out = proc.stdout.decode()
    assert proc.returncode == 1
    assert f"FAILED {corpus / 'sub'}: cannot read this folder (Permission denied); the reports in it are missing" \
        in out, out
    assert "reports read: 1, failed: 1" in out


def test_an_old_output_folder_inside_the_input_is_not_read(tmp_path):
    corpus = tmp_path / "in"
    _report(corpus, "aimin-2024")
    assert build([corpus], corpus / "old-out", progress=False, workers=1, cache=True).ok
    result = build([corpus], tmp_path / "out", progress=False, workers=1)
    assert result.ok and [ex.document.name for ex in result.reports] == ["aimin-2024"], result.summary()
    assert any("old-out: skipped, a folder `kg build` wrote" in w for w in result.warnings)


def test_leftovers_of_killed_builds_are_swept(tmp_path):
    corpus = tmp_path / "in"
    _report(corpus, "aimin-2024")
    out = tmp_path / "out"
    assert build([corpus], out, progress=False, workers=1).ok
    (out / ".staging-oldstyle").mkdir()  # what earlier versions left inside the folder
    code = ("import os, sys, time\nd = sys.argv[1] + f'/.out.staging-{os.getpid()}-x'\nos.mkdir(d)\n"
            "open(d + '/graph.ttl', 'w').write('half')\nprint('ready', flush=True)\ntime.sleep(60)\n")
    pid = kill_when_ready([sys.executable, "-c", code, str(tmp_path)], "ready")
    assert (tmp_path / f".out.staging-{pid}-x").is_dir()
    assert build([corpus], out, progress=False, workers=1).ok
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert not (out / ".staging-oldstyle").exists()


def test_the_current_folder_is_never_swapped_away(tmp_path, monkeypatch):
    corpus = tmp_path / "in"
    _report(corpus, "aimin-2024")
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    (work / "sub" / "mine.txt").write_text("mine", encoding="utf-8")
    for out, cwd in ((Path("."), work), (Path(".."), work / "sub")):
        monkeypatch.chdir(cwd)
        with pytest.raises(BuildError, match="the output folder holds the current folder; builds replace the "
                                             "whole output folder, so give another --out"):
            build([corpus], out, progress=False, workers=1, views=False)
        assert os.path.samefile(os.getcwd(), cwd) and (work / "sub" / "mine.txt").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
