"""Readers: encodings, HTML main text, PDF layout, DOCX, and the one-line refusals — on real files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import readers_fixtures as rf
from kg.readers import ReadConfig, ReadError, read_document, supported_suffixes
from kg.readers.encoding import decode
from kg.registry import READERS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = "shigu-2023"  # encodable in GBK (the others need GB18030 for a few symbols)


def seed_text(name: str = SEED) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


def reason(path: Path, config: ReadConfig = ReadConfig()) -> str:
    with pytest.raises(ReadError) as info:
        read_document(path, config)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "\n" not in message, message
    return info.value.reason


# encodings ------------------------------------------------------------------------------------------

ENCODINGS = [  # (how the file is written, what the reader reports)
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8 (BOM)"),
    ("gbk", "gb18030"),
    ("gb18030", "gb18030"),
    ("utf-16", "utf-16 (BOM)"),
    ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"),
]


@pytest.mark.parametrize("codec, reported", ENCODINGS)
def test_text_reports_in_every_encoding_read_the_same(tmp_path, codec, reported):
    reference = read_document(SEEDS / f"{SEED}.txt")
    path = tmp_path / f"{SEED}.txt"
    data = seed_text().encode(codec)
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.encoding == reported
    assert doc.text == reference.text
    assert doc.raw_sha256 == hashlib.sha256(data).hexdigest()
    assert doc.reader == "text" and doc.warnings == ()


@pytest.mark.parametrize("text", ["区长 谢海蓉", "天雁机械", "各位代表：", "一、2023年工作回顾\n地区生产总值增长5%"])
def test_short_gbk_text_is_not_mistaken_for_another_encoding(text):
    decoded, encoding, _ = decode(text.encode("gbk"))
    assert (decoded, encoding) == (text, "gb18030")


def test_utf8_with_a_few_broken_bytes_stays_utf8_with_a_warning(tmp_path):
    data = seed_text().encode("utf-8")
    cut = data.index("石鼓区".encode()) + 1  # the middle of a three-byte character
    path = tmp_path / "broken.txt"
    path.write_bytes(data[:cut] + data[cut + 2:])
    doc = read_document(path)
    assert doc.encoding == "utf-8"
    assert "各位代表" in doc.text and "\ufffd" not in doc.text
    assert any("invalid UTF-8" in w and str(path) in w for w in doc.warnings)


def test_markdown_is_read_as_text(tmp_path):
    path = tmp_path / "report.md"
    path.write_text("# 政府工作报告\n\n各位代表：\n\n## 一、2023年工作回顾\n\n**地区生产总值**增长5%。\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.text.splitlines() == ["政府工作报告", "各位代表：", "一、2023年工作回顾", "地区生产总值增长5%。"]


# HTML -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("codec, reported", [("utf-8", "utf-8"), ("gb18030", "gb18030"), ("gbk", "gb18030")])
def test_html_page_gives_the_report_without_menus_and_footer(tmp_path, codec, reported):
    path = rf.write_html(seed_text(), tmp_path / f"{SEED}.html", encoding=codec)
    doc = read_document(path)
    assert doc.reader == "html" and doc.encoding == reported
    assert doc.text == read_document(SEEDS / f"{SEED}.txt").text
    for boilerplate in ("互动交流", "当前位置", "备案号", "浏览次数", "track(", "相关链接"):
        assert boilerplate not in doc.text


def test_html_with_a_wrong_charset_declaration_is_still_decoded(tmp_path):
    page = "<html><head><meta charset='utf-8'></head><body><p>各位代表：</p><p>一、2023年工作回顾</p></body></html>"
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("gb18030"))
    doc = read_document(path)
    assert doc.encoding == "gb18030"
    assert doc.text.splitlines() == ["各位代表：", "一、2023年工作回顾"]


def test_html_never_fetches_anything(tmp_path, monkeypatch):
    """Reading a page with remote scripts, images and links opens no connection."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the HTML reader tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    page = ("<html><head><script src='https://example.org/a.js'></script>"
            "<link rel='stylesheet' href='https://example.org/a.css'></head><body>"
            "<img src='https://example.org/x.png'><p>各位代表：现在，我代表区人民政府，向大会报告政府工作。</p>"
            "<iframe src='https://example.org/frame'></iframe></body></html>")
    path = tmp_path / "remote.html"
    path.write_text(page, encoding="utf-8")
    assert "各位代表" in read_document(path).text


# PDF --------------------------------------------------------------------------------------------------


def test_pdf_joins_lines_broken_by_the_layout_and_drops_headers_and_page_numbers(tmp_path):
    path = rf.write_pdf(seed_text(), tmp_path / f"{SEED}.pdf", header="石鼓区政府工作报告（2023）")
    doc = read_document(path)
    assert doc.reader == "pdf"
    reference = read_document(SEEDS / f"{SEED}.txt").text.splitlines()
    lines = doc.text.splitlines()
    assert "石鼓区政府工作报告（2023）" not in doc.text
    assert not any(line.startswith("—") for line in lines)
    # every paragraph comes back whole, headings on their own line
    assert lines == reference
    assert "一、2022年工作回顾" in lines


def test_pdf_without_a_text_layer_is_refused(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    c.rect(50, 50, 400, 600, fill=1)  # a "scanned page": pixels, no text
    c.showPage()
    c.save()
    assert "scanned PDF" in reason(path)


def test_encrypted_pdf_is_refused(tmp_path):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0), invariant=1)
    c.drawString(100, 700, "locked")
    c.showPage()
    c.save()
    assert "encrypted" in reason(path)


def test_broken_pdf_is_refused(tmp_path):
    good = rf.write_pdf(seed_text(), tmp_path / "good.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(good[:300])
    assert reason(path).startswith(("not a readable PDF", "no text"))
    path = tmp_path / "text.pdf"
    path.write_text("各位代表", encoding="utf-8")
    assert reason(path) == "not a PDF file (no %PDF- header)"


# DOCX -------------------------------------------------------------------------------------------------


def test_docx_reads_paragraphs_and_tables_in_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("一、2023年工作回顾", level=1)
    document.add_paragraph("地区生产总值完成256.41亿元，增长5.2%。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "增长"
    table.cell(1, 0).text, table.cell(1, 1).text = "固定资产投资", "4.6%"
    document.add_paragraph("二、2024年工作安排")
    path = tmp_path / "r.docx"
    document.save(str(path))
    doc = read_document(path)
    assert doc.reader == "docx" and doc.encoding == "n/a"
    assert doc.text.splitlines() == ["一、2023年工作回顾", "地区生产总值完成256.41亿元，增长5.2%。", "指标增长",
                                     "固定资产投资4.6%", "二、2024年工作安排"]


def test_docx_that_is_not_a_word_document_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "notword.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    assert "not a Word document" in reason(path) or "not a readable DOCX" in reason(path)
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert "legacy Word .doc" in reason(path)


# refusals -------------------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert reason(path) == "empty file"


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.md"
    path.write_text(" \n\u3000\n\t\n", encoding="utf-8")
    assert reason(path) == "no text"


@pytest.mark.parametrize("data, expected", [
    (bytes(range(256)) * 20, "binary file (NUL bytes)"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary file (a PNG image)"),
    (b"%PDF-1.4\n%\xe2\xe3\n1 0 obj", "binary file (a PDF document"),
    (b"PK\x03\x04" + bytes(100), "binary file (a ZIP archive"),
    (bytes(b % 31 + 1 for b in range(4000)), "binary data, not a text report"),
])
def test_binary_files_are_refused(tmp_path, data, expected):
    path = tmp_path / "data.txt"
    path.write_bytes(data)
    assert reason(path).startswith(expected)


def test_file_larger_than_the_limit(tmp_path):
    path = tmp_path / f"{SEED}.txt"
    path.write_text(seed_text(), encoding="utf-8")
    size = path.stat().st_size
    assert read_document(path, ReadConfig(max_bytes=size)).text
    message = reason(path, ReadConfig(max_bytes=size - 1))
    assert message.startswith("larger than the limit") and "--max-bytes" in message


def test_missing_folder_link_and_unknown_suffix(tmp_path):
    assert reason(tmp_path / "nope.txt") == "no such file"
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "gone.txt")
    assert reason(link) == "no such file (a broken link)"
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    assert reason(folder) == "not a file (a folder)"
    odd = tmp_path / "report.xyz"
    odd.write_text("各位代表", encoding="utf-8")
    assert reason(odd).startswith("no reader for '.xyz' files (known: ")


def _reason_as_nobody(path: Path) -> str:
    """read_document in a forked child that gave up root (root reads any file)."""
    import os

    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges, read, report the reason through the pipe
        try:
            os.close(rfd)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            try:
                read_document(path)
                message = "read without error"
            except ReadError as exc:
                message = exc.reason
            os.write(wfd, message.encode("utf-8"))
        finally:
            os._exit(0)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as fh:
        message = fh.read().decode("utf-8")
    os.waitpid(pid, 0)
    return message


def test_unreadable_file():
    """A file the user may not read; as root (as in CI) the reading runs in a child that is 'nobody'."""
    import os
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kg-unreadable-"))
    try:
        folder.chmod(0o755)
        path = folder / "locked.txt"
        path.write_text("各位代表", encoding="utf-8")
        path.chmod(0)
        got = reason(path) if os.geteuid() != 0 else _reason_as_nobody(path)
        assert got == "cannot read (Permission denied)"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_text_without_report_structure_is_read_with_a_warning(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text("今天天气很好，区里举办了一场运动会。", encoding="utf-8")
    doc = read_document(path)
    assert len(doc.warnings) == 1
    assert doc.warnings[0].startswith(f"{path}: no report structure found")
    assert not read_document(SEEDS / f"{SEED}.txt").warnings


def test_every_reader_is_registered_by_suffix():
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".docx"} <= set(supported_suffixes())
    assert {READERS.canonical(s) for s in (".txt", ".html", ".pdf", ".docx")} == {"text", "html", "pdf", "docx"}
