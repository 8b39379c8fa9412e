"""PDF reports (with a text layer): pdfplumber's text, page by page.

Lines broken by the page layout are joined here, from the positions pdfplumber gives (a line runs on
into the next unless that one is indented, starts a heading or follows a gap, or the line stops short
of the margin); kg.normalize then joins what the layout left undecided. What the layout adds on every page is removed here:
running headers and footers (the same line, digits aside, at the top or bottom of most pages) and page
numbers (kg.normalize drops ``— 3 —``/``第 3 页`` lines). A PDF without a text layer (a scan) is
refused: it needs OCR first.
"""

from __future__ import annotations

import io
import re
import statistics
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kg.model import Document
from kg.readers import ReadConfig, ReadError, make_document, read_bytes, unpacked_bound, unpacked_limit

_DIGITS = re.compile(r"\d+")
_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|第[一二三四五六七八九十]{1,3}[部分章节]|各位代表)")

_ENDS = "。！？；：…”’）》」』!?;:"


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def page_lines(source) -> list[list[Line]]:
    """The text lines of each page, with their positions (``source``: a path or a binary file object)."""
    import pdfplumber

    pages = []
    with pdfplumber.open(source) as pdf:
        for page in pdf.pages:
            lines = [Line(d["text"].strip(), d["x0"], d["x1"], d["top"], d["bottom"])
                     for d in page.extract_text_lines(x_tolerance=1.5, y_tolerance=3) if d["text"].strip()]
            pages.append(lines)
            page.flush_cache()
    return pages


def strip_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Drop lines that repeat (digits aside) among the first or last two lines of most pages."""
    if len(pages) < 3:
        return pages
    edges: Counter[str] = Counter()
    for lines in pages:
        for line in {ln.text for ln in (*lines[:2], *lines[-2:])}:
            edges[_DIGITS.sub("#", line)] += 1
    running = {key for key, n in edges.items() if n >= max(3, len(pages) // 2)}
    if not running:
        return pages
    out = []
    for lines in pages:
        n = len(lines)
        out.append([ln for i, ln in enumerate(lines)
                    if not ((i < 2 or i >= n - 2) and _DIGITS.sub("#", ln.text) in running)])
    return out


def _median(values: list[float], default: float) -> float:
    return statistics.median(values) if values else default


def join_layout_lines(pages: list[list[Line]]) -> str:
    """One line per paragraph, as far as the layout tells: a line runs on into the next unless the
    next one is indented (a first-line indent), starts a heading, follows a wider vertical gap, or the
    line itself stops well short of the right margin. Undecided breaks stay line breaks (kg.normalize
    joins those that do not end a sentence)."""
    lines = [ln for page in pages for ln in page]
    if not lines:
        return ""
    size = _median([ln.bottom - ln.top for ln in lines], 12.0)
    long_lines = [ln for ln in lines if len(ln.text) >= 8] or lines
    left = min(_median([ln.x0 for ln in long_lines], 0.0), min(ln.x0 for ln in long_lines))
    right = max(ln.x1 for ln in long_lines)
    out: list[str] = []
    prev_line = None  # the line last added to out
    for page in pages:
        gaps = [b.top - a.bottom for a, b in zip(page, page[1:]) if b.top > a.bottom]
        usual_gap = _median(gaps, size)
        for i, ln in enumerate(page):
            if out and prev_line is not None:
                prev = prev_line
                same_page = i > 0
                new_paragraph = (
                    ln.x0 - left > 0.8 * size  # first-line indent, or centred
                    or bool(_HEADING_START.match(ln.text))
                    or (prev.x1 < right - 4 * size  # the previous line ended short: a paragraph's end,
                        and (prev.text[-1:] in _ENDS or prev.x1 < right - 12 * size))  # not a wrap before a long word
                    or prev.x0 - left > 0.8 * size and prev.x1 < right - 2 * size  # a centred line
                    or (same_page and ln.top - prev.bottom > usual_gap + 0.5 * size)
                )
                if not new_paragraph:
                    out[-1] += ("" if _cjk_edge(out[-1][-1:], ln.text[:1]) else " ") + ln.text
                    prev_line = ln
                    continue
            out.append(ln.text)
            prev_line = ln
    return "\n".join(out)


def _cjk_edge(a: str, b: str) -> bool:
    """True when no space belongs between a and b (either side is not a Latin letter or digit)."""
    return not (a.isascii() and a.isalnum() and b.isascii() and b.isalnum())


_STREAM = re.compile(rb"stream\r?\n")


def unpacked_size(data: bytes, limit: int, chunk: int = 1 << 20) -> int:
    """What the PDF's compressed (Flate) streams inflate to in all, counted only up to just past
    ``limit`` and a chunk at a time, so a PDF bomb is measured without being unpacked into memory.
    Streams that are not Flate (images, fonts in other filters) count their stored size."""
    total = 0
    for m in _STREAM.finditer(data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            break
        raw = data[m.end():end]
        inflater = zlib.decompressobj()
        try:
            piece = inflater.decompress(raw, chunk)
            total += len(piece)
            while inflater.unconsumed_tail and total <= limit:
                total += len(inflater.decompress(inflater.unconsumed_tail, chunk))
        except zlib.error:
            total += len(raw)
        if total > limit:
            break
    return total


def read_pdf(path: Path, config: ReadConfig) -> Document:
    data = read_bytes(path, config)
    if not data.startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise ReadError(path, "not a PDF file (no %PDF- header)")
    unpacked_limit(path, unpacked_size(data, unpacked_bound(config)), config, "its streams unpack", exact=False)
    try:
        pages = page_lines(io.BytesIO(data))
    except Exception as exc:
        name = type(exc).__name__
        names = " ".join([name, *(type(a).__name__ for a in exc.args)])  # pdfplumber wraps pdfminer's errors
        if "Password" in names or "Encrypt" in names:
            raise ReadError(path, "encrypted PDF; save an unprotected copy") from None
        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
        raise ReadError(path, f"not a readable PDF ({name}{': ' + detail if detail else ''})") from None
    if not pages:
        raise ReadError(path, "PDF without pages")
    text = join_layout_lines(strip_running_lines(pages))
    return make_document(path, data, text, reader="pdf", encoding="n/a")
