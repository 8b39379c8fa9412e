"""Plain text and markdown reports, in any of the encodings they come in (see kg.readers.encoding)."""

from __future__ import annotations

from pathlib import Path

from kg.model import Document
from kg.readers import ReadConfig, ReadError, make_document, read_bytes
from kg.readers.encoding import DecodeError
from kg.readers.encoding import decode as _decode


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """``(text, encoding)`` of report bytes; a ReadError naming ``path`` when they are not text."""
    try:
        text, encoding, _ = _decode(data)
    except DecodeError as exc:
        raise ReadError(path, str(exc)) from None
    return text, encoding


def read_text(path: Path, config: ReadConfig) -> Document:
    data = read_bytes(path, config)
    try:
        text, encoding, warnings = _decode(data)
    except DecodeError as exc:
        raise ReadError(path, str(exc)) from None
    return make_document(path, data, text, reader="text", encoding=encoding, warnings=warnings)
