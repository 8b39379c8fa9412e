"""Text normalization: make reports as they really come (OCR, markdown, mixed punctuation) uniform.

The normalized text is what every later stage sees, and what evidence offsets refer to. Steps:

1. Unicode NFKC (full-width digits and letters become ASCII), then ASCII punctuation between Chinese
   text back to the Chinese full-width forms the patterns use (，；：（）！？).
2. Markup removed: markdown heading marks and ``**bold**``, ``<sub>``/``<sup>`` tags (content kept),
   footnote markers ``[1]``, page headers/footers such as ``— 3 —`` or ``第 3 页``.
3. Whitespace: spaces between Chinese characters, digits and punctuation removed (kept only between
   two Latin words); lines broken inside a sentence are joined; paragraphs stay one per line.
4. Encoding noise: a run of ``??`` where a source lost full-width spaces is a space.
5. OCR slips: ``十`` standing for ``+`` after 互联网/智慧 etc. (``互联网十`` → ``互联网+``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache, partial

_ZH_PUNCT = "，。、；：？！“”‘’（）《》【】—…·"

_ASCII_TO_ZH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}

_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_BOLD = re.compile(r"\*\*|__")
_MARKUP_TAG = re.compile(r"</?(?:sub|sup|b|i|em|strong|span|font|u|br)\b[^<>]{0,200}>", re.I)
_FOOTNOTE = re.compile(r"\[\d{1,3}\]|〔\d{1,3}〕|\^\d{1,3}\^")
_PAGE_LINE = re.compile(
    r"^\s*(?:[—\-–－]+\s*\d{1,4}\s*[—\-–－]+|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$"
)
_TOC_LINE = re.compile(r"^.{1,60}?[\.…·]{4,}\s*\d{1,4}\s*$")
# A run of spaces goes unless it is one space between two Latin letters or digits (kept: "Wi Fi";
# gone: "县 长", "A  B", "3 .5 %"). Decided by _space_run on each run.
_SPACE_RUN = re.compile(r"[ \t\u3000\u00a0]+")
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_LOST_SPACE = re.compile(r"\?{2,}")
_PLUS_OCR = re.compile(r"(互联网|智慧|智能|数字|文旅|物流|科技|旅游|农业|康养|体育|生态|文化)十(?=[^\d一二三四五六七八九十百千万亿])")
_SENTENCE_END = "。！？；：…"
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+[部分章节]|各位代表)"
)


def _plain_ranges() -> str:
    """A regex class of what a report is mostly made of (ASCII, CJK and its punctuation, full-width
    forms, general punctuation), less every control, format or unassigned character in those blocks
    (Unicode category C*, by this Python's Unicode data)."""
    blocks = [(0x20, 0x7E), (0xA0, 0x2FF), (0x2000, 0x206F), (0x3000, 0x30FF), (0x3400, 0x9FFF),
              (0xF900, 0xFAFF), (0xFF00, 0xFFEF)]
    spans: list[list[int]] = []
    for first, last in blocks:
        for code in range(first, last + 1):
            if unicodedata.category(chr(code))[0] == "C":
                continue
            if spans and spans[-1][1] == code - 1:
                spans[-1][1] = code
            else:
                spans.append([code, code])
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in spans)


#: Characters NFKC leaves as they are and that compose with no character before them (starters that are
#: no canonical composition's second part): ASCII, the CJK ideographs, the CJK and general punctuation
#: reports use most. NFKC maps the text on either side of such a character apart (tests/test_normalize.py
#: checks each against this Python's Unicode data).
_NFKC_INERT = "\x00-\x7f\u00b7\u2014\u2015\u2018\u2019\u201c\u201d\u3001\u3002\u3008-\u3011\u3014-\u301b\u4e00-\u9fff"
#: A run of other characters, with the character before it (a combining mark in the run may join it).
_NFKC_PIECE = re.compile(f".?[^{_NFKC_INERT}]+", re.S)
_nfkc_piece = lru_cache(maxsize=4096)(partial(unicodedata.normalize, "NFKC"))


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, piece by piece: the Chinese marks of ``,;:()!?``
    replaced by the ASCII ones NFKC makes of them (full-width forms: tests/test_normalize.py checks
    each), then only the runs of characters outside :data:`_NFKC_INERT` (with the character before
    each) go through NFKC, the same pieces looked up once (NFKC of a whole report walks every
    character, twice per normalization; a report's commas were most of its pieces)."""
    for ascii_mark, zh_mark in _ASCII_TO_ZH.items():
        text = text.replace(zh_mark, ascii_mark)
    return _NFKC_PIECE.sub(lambda m: _nfkc_piece(m.group()), text)


#: A character that may be a control or format character: outside _plain_ranges, line breaks and tabs.
_MAYBE_CONTROL = re.compile(f"[^\\n\\t{_plain_ranges()}]")


def _control_chars(text: str) -> set[str]:
    """The distinct control and format characters of ``text`` (Unicode category C*), line breaks and
    tabs aside: only the few characters outside the common blocks are looked up."""
    return {ch for ch in set(_MAYBE_CONTROL.findall(text)) if unicodedata.category(ch)[0] == "C"}


def _space_run(m: re.Match[str]) -> str:
    """What a run of spaces becomes: nothing inside a number ("3 000", "2 .5", "12 %"), nothing where
    not a single space between two Latin letters or digits, else itself."""
    text, start, end = m.string, m.start(), m.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if (before.isdecimal() and (after.isdecimal() or after in (".", "%"))) or (
            (before.isdecimal() or before == ".") and after.isdecimal()):
        return ""
    return m.group() if end - start == 1 and before in _LATIN and after in _LATIN else ""


# ASCII punctuation becomes Chinese only where a Chinese character or Chinese punctuation is on either
# side, so "1,000" and "100MW/200MWh" keep their ASCII forms.
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_ZH_BEFORE = re.escape(_ZH_PUNCT + "%")  # (in a character class)
_ZH_AFTER = re.escape(_ZH_PUNCT)
#: An ASCII mark with neither a Chinese character or mark before it nor one after it: it stays ASCII.
#: (The mark first, then the character before it, so that the search looks for the mark alone.)
_ASCII_PUNCT_KEPT = re.compile(f"[,;:()!?](?<![{_CJK}{_ZH_BEFORE}].)(?![{_CJK}{_ZH_AFTER}])")


def _ascii_punct_to_zh(text: str) -> str:
    """Each ASCII mark of ``,;:()!?`` made Chinese where a Chinese character or mark is on either side
    (the neighbours in ``text`` as given): all are replaced (a scan of the text per mark, in C), then
    the few that keep their ASCII form (in 1,000 or (1)) are put back."""
    kept = [m.start() for m in _ASCII_PUNCT_KEPT.finditer(text)]
    out = text
    for ascii_mark, zh_mark in _ASCII_TO_ZH.items():
        out = out.replace(ascii_mark, zh_mark)
    if not kept:
        return out
    pieces, done = [], 0
    for k in kept:
        pieces += (out[done:k], text[k])
        done = k + 1
    pieces.append(out[done:])
    return "".join(pieces)


def _is_heading(line: str) -> bool:
    """A heading line: opening with a section marker and holding no full sentence, or short with no
    sentence punctuation. A line that opens with a marker but goes on past a sentence end is a
    paragraph (（六）深化…。…完成造林500亩，棟) and may continue on the next line.
    """
    if _HEADING_START.match(line):
        return len(line) <= 60 and not any(c in line[:-1] for c in "。！？；")
    return len(line) <= 30 and not any(c in line for c in "，。；")


def _join_broken_lines(lines: list[str]) -> list[str]:
    """Join a line with the next when the sentence clearly continues (OCR and PDF line breaks)."""
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        if out:
            prev = out[-1]
            prev_open = prev[-1] not in _SENTENCE_END and not _is_heading(prev)
            starts_new = bool(_HEADING_START.match(line))
            if prev_open and not starts_new:
                out[-1] = prev + line
                continue
        out.append(line)
    return out


def normalize(text: str) -> str:
    """Return the normalized form of a report's text (idempotent: normalize(normalize(t)) == normalize(t)).

    One pass can create what another pass rewrites (a line joined to its neighbour puts an ASCII mark
    between Chinese characters; NFKC turns the full-width comma after a 十 read as + back into ASCII), so
    the pass is repeated until the text no longer changes (twice, rarely three times)."""
    for _ in range(4):
        again = _normalize_once(text)
        if again == text:
            break
        text = again
    return text


def _normalize_once(text: str) -> str:
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    # Every other line or paragraph separator is a line break too.
    text = re.sub("[\u2028\u2029\x0b\x0c\x1c-\x1e\x85]", "\n", text)
    text = nfkc(text)
    # NFKC turns the ideographic full stop's half-width form into "｡"; unify a few more marks.
    text = text.replace("｡", "。").replace("･", "·").replace("〜", "~")
    # Control and format characters go (line breaks and tabs stay).
    drop = dict.fromkeys(map(ord, _control_chars(text)))
    if drop:
        text = text.translate(drop)
    text = _MARKUP_TAG.sub("", text)
    text = _MARKDOWN_HEADING.sub("", text)
    text = _BOLD.sub("", text)
    text = _FOOTNOTE.sub("", text)
    # The whitespace and punctuation rules below hold on each line. None of their patterns matches a
    # line break, and a line break on either side of a match tests as the line's start or end would,
    # so they run once over the whole text: the same result, without a regex call per rule and line.
    # A run of question marks stands for full-width spaces an encoding lost (县长?? 李明, 政??府).
    if "??" in text:
        text = _LOST_SPACE.sub(" ", text)
    text = _ascii_punct_to_zh(_SPACE_RUN.sub(_space_run, text))
    # Punctuation made Chinese changes no page or contents line (neither pattern holds any of it).
    lines = [line for line in map(str.strip, text.split("\n"))
             if not (_PAGE_LINE.match(line) or _TOC_LINE.match(line))]
    text = "\n".join(_join_broken_lines(lines))
    text = _PLUS_OCR.sub(r"\1+", text)
    # Removing spaces can bring combining marks together; put them in canonical order (NFC keeps the
    # full-width Chinese punctuation that NFKC would turn back into ASCII), so normalize is idempotent.
    return unicodedata.normalize("NFC", text)


_NAME_SPACE = re.compile(r"\s+")
_NAME_QUOTES = re.compile(r"[“”\"「」『』《》]")
_PROJECT_SUFFIX = re.compile(r"(?:项目|工程)+$")


@lru_cache(maxsize=8192)  # a name recurs: each mention of an entity is keyed, labelled and compared again
def normalize_name(name: str) -> str:
    """Canonical form of an entity name: NFKC, no whitespace, no surrounding quote/bracket marks."""
    name = unicodedata.normalize("NFKC", name)
    name = _NAME_SPACE.sub("", name)
    name = _NAME_QUOTES.sub("", name)
    return name.strip("，、；：。")


def strip_project_suffix(name: str) -> str:
    """Drop a trailing 项目/工程 (the contract's project label rule), but never to an empty name."""
    stripped = _PROJECT_SUFFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name
