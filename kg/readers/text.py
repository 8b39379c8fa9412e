"""Plain text and markdown reports."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg.model import Document
from kg.normalize import normalize
from kg.readers import ReadConfig, ReadError


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(path, "binary file (NUL bytes), not a text report")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ReadError(path, f"not valid UTF-8 or GB18030 text ({exc.reason} at byte {exc.start})") from None


def read_text(path: Path, config: ReadConfig) -> Document:
    data = path.read_bytes()
    text, encoding = decode(data, path)
    normalized = normalize(text)
    if not normalized.strip():
        raise ReadError(path, "no text after normalization")
    return Document(
        path=str(path),
        name=path.stem,
        text=normalized,
        raw_sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        reader="text",
    )
