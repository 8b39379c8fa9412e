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
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from kg.fsutil import NotAFile, TooLarge, kind_of, printable, read_limited
from kg.model import Document
from kg.registry import READERS

#: Files larger than this are refused (``kg build --max-bytes``); real reports are well under 5 MB
#: as text and under 20 MB as PDF/DOCX with images.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class ReadError(Exception):
    """A report that cannot be read; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        path = printable(path)  # a file name may hold bytes that are not UTF-8, or control characters
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


@dataclass(frozen=True)
class ReadConfig:
    max_bytes: int = DEFAULT_MAX_BYTES
    lexicon_dirs: tuple[str, ...] = ()  # kg build --lexicon: folders of lexicon files looked in first
    district: Optional[str] = None  # kg build --district: the district of reports whose text does not name it


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
        info = _stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(path, "not a file" + (f" ({kind_of(info.st_mode)})" if stat.S_ISDIR(info.st_mode) else
                                                  f" ({kind_of(info.st_mode)}), not a report"))
        size = info.st_size
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
        raise ReadError(path, _os_reason(exc, config)) from None
    except RecursionError:
        raise ReadError(path, f"cannot read as {reader_for(path)} (nested too deeply)") from None
    except Exception as exc:  # a parser's own error: one line, never a traceback
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        raise ReadError(path, f"cannot read as {reader_for(path)} ({type(exc).__name__}"
                              f"{': ' + printable(detail) if detail else ''})") from None
    extra = structure_warnings(document)
    return dataclasses.replace(document, warnings=document.warnings + tuple(extra)) if extra else document


def _stat(path: Path) -> os.stat_result:
    """The file's stat (following links); OSError with a reason a person understands."""
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadError(path, "a symbolic link loop (the link points back at itself)") from None
        if exc.errno == errno.ENOENT:
            raise ReadError(path, "no such file" + (" (a broken link)" if path.is_symlink() else "")) from None
        raise


def _os_reason(exc: OSError, config: ReadConfig) -> str:
    if isinstance(exc, NotAFile):
        return f"not a file ({exc.reason}), not a report"
    if isinstance(exc, TooLarge):
        return f"larger than the limit ({_size(exc.size)} > {_size(exc.limit)}; raise it with --max-bytes)"
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop (the link points back at itself)"
    return f"cannot read ({exc.strerror or type(exc).__name__})"


def read_bytes(path: Path, config: ReadConfig) -> bytes:
    """A report's bytes, read once, only if it is a regular file within ``config.max_bytes``
    (kg.fsutil.read_limited: a FIFO, a device or a file that grew past the limit raise OSError, which
    read_document turns into a one-line ReadError)."""
    return read_limited(path, config.max_bytes)


#: What a DOCX package or a PDF's streams may unpack to is bounded by ``--max-bytes`` but never below
#: this: Word's own boilerplate (styles, themes) unpacks to about 1 MB in every package.
MIN_UNPACKED_BYTES = 4 * 1024 * 1024


def unpacked_bound(config: ReadConfig) -> int:
    return max(config.max_bytes, MIN_UNPACKED_BYTES)


def unpacked_limit(path: Path, unpacked: int, config: ReadConfig, what: str, *, exact: bool = True) -> None:
    """ReadError when a container (DOCX package, PDF streams) unpacks to more than ``--max-bytes``
    (at least MIN_UNPACKED_BYTES): a zip bomb is refused before it is unpacked. ``what`` is the
    phrase before "to more than" ("the package unpacks"); ``exact``: ``unpacked`` is the whole size,
    not a count stopped past the limit."""
    if unpacked > unpacked_bound(config):
        raise ReadError(path, f"{what} to more than the limit ({_size(unpacked) + ' ' if exact else ''}> "
                              f"{_size(unpacked_bound(config))}; raise it with --max-bytes)")


def make_document(path: Path, data: bytes, text: str, *, reader: str, encoding: str,
                  warnings: Iterable[str] = ()) -> Document:
    """Normalize a reader's raw text into a Document (the common tail of every reader)."""
    from kg.normalize import normalize

    normalized = normalize(text)
    if not normalized.strip():
        raise ReadError(path, "no text" + (" after normalization" if text.strip() else "")
                        + (" (a scanned PDF without a text layer? run OCR first)" if reader == "pdf" else ""))
    return Document(
        path=printable(path),  # printable: every later use is text (RDF, pages, messages)
        name=printable(path.stem),
        text=normalized,
        raw_sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        reader=reader,
        warnings=tuple(f"{printable(path)}: {w}" for w in warnings),
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
