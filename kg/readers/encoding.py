"""Bytes → text for text-like reports (plain text, markdown, HTML): binary sniffing and encoding detection.

Order of decisions, first match wins:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. a known binary signature (PDF, ZIP/DOCX, OLE2/.doc, images, executables) → refused as binary;
3. an encoding the document declares (HTML ``<meta charset>``), if the bytes decode strictly with it;
4. NUL bytes: UTF-16 without a BOM when the NULs sit at every other byte, else refused as binary;
5. strict UTF-8; UTF-8 with a handful of broken bytes is kept (replaced by U+FFFD, with a warning)
   rather than being misread as another encoding;
6. charset-normalizer, restricted to the encodings Chinese reports come in (GB18030 ⊃ GBK ⊃ GB2312,
   Big5) plus cp1252; GB18030 wins ties, since a short GBK text can look like anything.

Decoded text with many control characters is refused as binary.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: FF FE 00 00
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_SIGNATURES = (
    (b"%PDF-", "a PDF document (name it .pdf)"),
    (b"PK\x03\x04", "a ZIP archive (a .docx or other Office file? name it .docx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc/.xls); save it as .docx"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"), (b"MZ", "an executable"), (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
)
CANDIDATES = ("gb18030", "big5", "cp1252")
_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{2,40})""", re.I)
_XML_DECL = re.compile(rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_\-.]{2,40})["']""")
#: Share of control characters above which decoded "text" is taken for binary data.
MAX_CONTROL_SHARE = 0.01


class DecodeError(ValueError):
    """Raised with the reason only; readers turn it into a ReadError naming the file."""


def canonical(encoding: str) -> str:
    """A stable, lower-case name for an encoding ('GBK', 'gb2312' → 'gb18030', 'utf_16_le' → 'utf-16-le')."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding.lower()
    if name in ("gbk", "gb2312", "gb18030", "hz"):
        return "gb18030"  # the superset decodes the others' bytes identically
    return name.replace("_", "-")


def declared_encoding(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first 4 KB, if Python knows it."""
    head = data[:4096]
    m = _XML_DECL.match(head) or _DECLARED.search(head)
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def binary_signature(data: bytes) -> str | None:
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            return what
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes read as plausible text in one of them, else None.
    A file one byte short, or with a few lone surrogates, still counts (kept with a warning by decode)."""
    best, best_score = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        sample = data[:8192 - 8192 % 2].decode(enc, errors="replace")
        if _broken_utf16(data, enc) is None:
            continue
        score = sum(1 for ch in sample if _plausible(ch)) / max(len(sample), 1)
        if score > best_score:
            best, best_score = enc, score
    return best if best_score >= 0.9 else None


def _broken_utf16(data: bytes, enc: str) -> tuple[str, list[str]] | None:
    """``(text, warnings)`` of UTF-16 bytes that are broken in a few places only (an odd last byte, lone
    surrogates): what decodes is kept and the rest dropped with a warning, as for broken UTF-8; None
    when more than a handful of code units are broken (then it is not UTF-16 text)."""
    odd = len(data) % 2
    text = data[:len(data) - odd].decode(enc, errors="replace")
    broken = text.count("\ufffd")
    if broken > max(3, len(text) // 1000):
        return None
    warnings = []
    if broken:
        warnings.append(f"{broken} invalid UTF-16 code unit(s) (lone surrogates) dropped")
    if odd:
        warnings.append("an odd number of bytes for UTF-16: the last byte dropped")
    return text.replace("\ufffd", ""), warnings


def _plausible(ch: str) -> bool:
    """A character a Chinese report is made of: CJK, their punctuation, ASCII text, whitespace."""
    o = ord(ch)
    return ((0x20 <= o < 0x7F) or ch in "\t\n\r" or 0x3000 <= o <= 0x303F or 0x3400 <= o <= 0x9FFF
            or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F or 0xF900 <= o <= 0xFAFF or 0xA0 <= o <= 0xFF)


#: A control character (Unicode category Cc: U+0000-001F, U+007F-009F) other than tab, line and page
#: breaks and escape, or the replacement character.
_BAD_CHAR = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f\ufffd]")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    return len(_BAD_CHAR.findall(sample)) / len(sample)


def _check_text(text: str, encoding: str) -> tuple[str, str]:
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise DecodeError(f"binary data, not a text report (control characters when read as {encoding})")
    return text, encoding


def decode(data: bytes, *, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode report bytes: ``(text, encoding, warnings)``; raises DecodeError (with the reason)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            name = ("utf-8" if enc == "utf-8-sig" else canonical(enc)) + " (BOM)"
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                kept = _broken_utf16(data[len(bom):], "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be") \
                    if enc == "utf-16" else None
                if kept is None:
                    raise DecodeError(f"broken {canonical(enc)} text after its byte-order mark "
                                      f"({exc.reason} at byte {exc.start})") from None
                return (*_check_text(kept[0], name), kept[1])
            return (*_check_text(text, name), [])
    what = binary_signature(data)
    if what:
        raise DecodeError(f"binary file ({what}), not a text report")
    if declared:
        try:
            return (*_check_text(data.decode(declared), canonical(declared)), [])
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong declaration is common; detect instead
    if b"\x00" in data:
        enc = _utf16_without_bom(data)
        if enc is None:
            raise DecodeError("binary file (NUL bytes), not a text report")
        text, warnings = _broken_utf16(data, enc)
        return (*_check_text(text, enc), warnings)
    try:
        return (*_check_text(data.decode("utf-8"), "utf-8"), [])
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    multibyte = sum(1 for ch in lenient if ord(ch) > 0x7F and ch != "\ufffd")
    if broken <= max(3, multibyte // 1000) and multibyte >= 10 * broken:
        text, enc = _check_text(lenient.replace("\ufffd", ""), "utf-8")
        return text, enc, [f"{broken} invalid UTF-8 byte sequence(s) dropped"]
    return (*_check_text(*_detect(data)), [])


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CANDIDATES)).best()
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError:
        gb = None
    if best is None or (gb is not None and best.encoding != "gb18030" and len(data) < 64):
        if gb is None:
            raise DecodeError("not text in a known encoding (tried UTF-8, UTF-16, GB18030, Big5)")
        return gb, "gb18030"
    return str(best), canonical(best.encoding)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; OSError propagates (read_document turns it into a one-line ReadError)."""
    return Path(path).read_bytes()
