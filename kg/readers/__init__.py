"""Readers turn a file into a :class:`kg.model.Document`. One interface, registered in kg.registry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.model import Document
from kg.registry import READERS

#: Suffixes ``kg build`` picks up when given a folder.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class ReadError(Exception):
    """A report that cannot be read; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason


@dataclass(frozen=True)
class ReadConfig:
    max_bytes: int = DEFAULT_MAX_BYTES


def reader_for(path: Path) -> str:
    """The registered reader's name for a file, from its suffix."""
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise ReadError(path, f"no reader for {suffix or 'files without a suffix'!r} (known: "
                        f"{', '.join(sorted(n for n in READERS._canonical if n.startswith('.')))})")
    return READERS.canonical(suffix)


def read_document(path: Path, config: ReadConfig = ReadConfig()) -> Document:
    """Read one report with the reader registered for its suffix."""
    path = Path(path)
    if not path.is_file():
        raise ReadError(path, "not a file")
    size = path.stat().st_size
    if size == 0:
        raise ReadError(path, "empty file")
    if size > config.max_bytes:
        raise ReadError(path, f"larger than the limit ({size} > {config.max_bytes} bytes)")
    return READERS.get(reader_for(path))(path, config)


def supported_suffixes() -> list[str]:
    return sorted(n for n in READERS._canonical if n.startswith("."))
