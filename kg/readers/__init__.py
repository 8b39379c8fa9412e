"""Readers turn a file into a :class:`kg.model.Document`. One interface, registered in kg.registry.

A reader is ``(path: Path, config: ReadConfig) -> Document``, registered in
:data:`kg.registry.READERS` under a name with the file suffixes it handles as aliases (``text``:
.txt/.md, ``html``: .html/.htm, ``pdf``, ``docx``). :func:`read_document` picks the reader by suffix
and refuses, with a :class:`ReadError` naming the file and the reason, what is not a report: a missing
or unreadable file, an empty one, one larger than ``ReadConfig.max_bytes``, binary data, text in no
known encoding, a file its reader cannot parse. A document that reads but shows none of a work
report's structure (no 各位代表 address, no numbered headings) gets a warning and is
still built.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from kg.model import Document
from kg.registry import READERS

#: Files larger than this are refused (``kg build --max-bytes``); real reports are well under 5 MB
#: as text and under 20 MB as PDF/DOCX with images.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class ReadError(Exception):
    """A report that cannot be read; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason


@dataclass(frozen=True)
class ReadConfig:
    max_bytes: int = DEFAULT_MAX_BYTES
    lexicon_dirs: tuple[str, ...] = ()  # kg build --lexicon: folders of lexicon files looked in first


def reader_for(path: Path) -> str:
    """The registered reader's name for a file, from its suffix."""
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise ReadError(path, f"no reader for {suffix or 'files without a suffix'!r} files "
                              f"(known: {', '.join(supported_suffixes())})")
    return READERS.canonical(suffix)


def read_document(path: Path, config: ReadConfig = ReadConfig()) -> Document:
    """Read one report with the reader registered for its suffix; ReadError when it cannot be."""
    path = Path(path)
    try:
        if not path.exists():
            raise ReadError(path, "no such file" + (" (a broken link)" if path.is_symlink() else ""))
        if not path.is_file():
            raise ReadError(path, "not a file" + (" (a folder)" if path.is_dir() else ""))
        size = path.stat().st_size
        if size == 0:
            raise ReadError(path, "empty file")
        if size > config.max_bytes:
            raise ReadError(path, f"larger than the limit ({_size(size)} > {_size(config.max_bytes)}; "
                                  "raise it with --max-bytes)")
        reader = READERS.get(reader_for(path))
        document = reader(path, config)
    except ReadError:
        raise
    except OSError as exc:
        raise ReadError(path, f"cannot read ({exc.strerror or type(exc).__name__})") from None
    except Exception as exc:  # a parser's own error: one line, never a traceback
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        raise ReadError(path, f"cannot read as {reader_for(path)} ({type(exc).__name__}"
                              f"{': ' + detail if detail else ''})") from None
    extra = structure_warnings(document)
    return dataclasses.replace(document, warnings=document.warnings + tuple(extra)) if extra else document


def make_document(path: Path, data: bytes, text: str, *, reader: str, encoding: str,
                  warnings: Iterable[str] = ()) -> Document:
    """Normalize a reader's raw text into a Document (the common tail of every reader)."""
    from kg.normalize import normalize

    normalized = normalize(text)
    if not normalized.strip():
        raise ReadError(path, "no text" + (" after normalization" if text.strip() else "")
                        + (" (a scanned PDF without a text layer? run OCR first)" if reader == "pdf" else ""))
    return Document(
        path=str(path),
        name=path.stem,
        text=normalized,
        raw_sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        reader=reader,
        warnings=tuple(f"{path}: {w}" for w in warnings),
    )


_ADDRESS = re.compile(r"各位代表|各位委员|同志们")
_NUMBERED_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|第[一二三四五六七八九十]{1,3}部分)",
                               re.M)


def structure_warnings(document: Document) -> list[str]:
    """A warning when the text has neither a 各位代表 address nor numbered headings: probably not a work
    report (a news item, a table, a wrong file); the build goes on with what can be extracted."""
    text = document.text
    if _ADDRESS.search(text) or len(_NUMBERED_HEADING.findall(text)) >= 2:
        return []
    return [f"{document.path}: no report structure found (no 各位代表 address, no numbered headings "
            f"such as 一、…; {len(text)} characters); building what can be built"]


def supported_suffixes() -> list[str]:
    return sorted(n for n in READERS._canonical if n.startswith("."))


def _size(n: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"
