"""Atomic file writes: a temporary file in the target's folder, then a rename.

An interrupted or failed write leaves the previous file untouched, never a half-written one. The
temporary file is ``.NAME.PID.RANDOM.tmp`` beside the target: an exception removes it; a process
killed outright (SIGKILL, power loss) cannot, so the next successful write of the same target removes
the temporary files of processes that no longer run.
"""

from __future__ import annotations

import os
import stat
import tempfile
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def temp_files(path: Path | str) -> list[Path]:
    """The temporary files of atomic writes to ``path`` that are lying beside it."""
    path = Path(path)
    try:
        return sorted(p for p in path.parent.glob(f".{path.name}.*.tmp") if p.is_file())
    except OSError:
        return []


def remove_stale_temps(path: Path | str) -> list[Path]:
    """Remove temporary files left beside ``path`` by writers that were killed; returns them."""
    removed: list[Path] = []
    prefix = f".{Path(path).name}."
    for tmp in temp_files(path):
        _remove_if_stale(tmp, tmp.name[len(prefix):-len(".tmp")].split(".", 1)[0], removed)
    return removed


def _remove_if_stale(tmp: Path, pid: str, removed: list[Path]) -> None:
    """Remove ``tmp`` (appending it to ``removed``) when its writer ``pid``, read from its name, is a
    process other than this one that is no longer running."""
    if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
        try:
            tmp.unlink()
            removed.append(tmp)
        except OSError:
            pass


def remove_stale_temps_in(folder: Path | str) -> list[Path]:
    """Remove the temporary files of atomic writes to any file in ``folder`` whose writers were killed,
    in one listing of the folder (:func:`remove_stale_temps` lists it for each file written, which costs
    what the folder holds: for the thousands of pages of a large build, a cost growing with the corpus
    per page). Returns them."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith(".tmp")):
            continue
        parts = name[1:-len(".tmp")].rsplit(".", 2)  # .<file name>.<pid>.<random>.tmp
        if len(parts) == 3 and parts[0] and entry.is_file(follow_symlinks=False):
            _remove_if_stale(Path(entry.path), parts[1], removed)
    return removed


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_open(path: Path | str, mode: str = "w", encoding: str | None = "utf-8", *,
                durable: bool = True, sweep: bool = True) -> Iterator[IO]:
    """Open a temporary file beside ``path``; it replaces ``path`` only if the block succeeds.

    ``durable=False`` skips the fsync calls (for caches, where a lost entry is only rebuilt).
    ``sweep=False`` leaves the stale temporary files of ``path`` (:func:`remove_stale_temps`) to the
    caller: a writer of many files in one folder sweeps it once (:func:`remove_stale_temps_in`).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding, newline=None if "b" in mode else "\n") as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if durable:
        _fsync_dir(path.parent)
    if sweep:
        remove_stale_temps(path)


def write_text_atomic(path: Path | str, text: str, *, sweep: bool = True) -> None:
    with atomic_open(path, "w", sweep=sweep) as fh:
        fh.write(text)


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)


# reading input files safely ------------------------------------------------------------------------

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


class NotAFile(OSError):
    """A path that is not a regular file (a FIFO, a device, a folder); ``reason`` says which."""

    def __init__(self, path, reason: str):
        super().__init__(reason)
        self.filename, self.reason = path, reason


class TooLarge(OSError):
    """A regular file larger than the limit; ``size`` is its size in bytes (or a lower bound)."""

    def __init__(self, path, size: int, limit: int):
        super().__init__(f"larger than the limit ({size} > {limit} bytes)")
        self.filename, self.size, self.limit = path, size, limit


def kind_of(mode: int) -> str:
    """'a FIFO (named pipe)', 'a character device', … for a stat mode that is not a regular file."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path: Path | str, max_bytes: int | None = None) -> IO[bytes]:
    """Open ``path`` for reading only if it is a regular file of at most ``max_bytes`` bytes.

    The type and size are checked on the open descriptor (fstat), before any byte is read, so a FIFO
    never blocks (it is opened non-blocking), a link to /dev/zero is refused as a device and a sparse
    3 GB file as too large. Raises NotAFile, TooLarge or the OSError of open (ENOENT, ELOOP, EACCES).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(path, kind_of(info.st_mode))
        if max_bytes is not None and info.st_size > max_bytes:
            raise TooLarge(path, info.st_size, max_bytes)
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_limited(path: Path | str, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` bytes (see :func:`open_regular`); a file
    that grows past the limit while being read raises TooLarge too."""
    with open_regular(path, max_bytes) as fh:
        data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise TooLarge(path, len(data), max_bytes)
    return data


def hash_limited(path: Path | str, max_bytes: int | None = None, chunk: int = 1 << 20) -> str:
    """SHA-256 of a regular file of at most ``max_bytes`` bytes, read in chunks (bounded memory)."""
    import hashlib

    digest = hashlib.sha256()
    total = 0
    with open_regular(path, max_bytes) as fh:
        while block := fh.read(chunk):
            total += len(block)
            if max_bytes is not None and total > max_bytes:
                raise TooLarge(path, total, max_bytes)
            digest.update(block)
    return digest.hexdigest()


# printing paths ------------------------------------------------------------------------------------


def printable(text: object) -> str:
    """``text`` (a path or a message) safe to print on a terminal and to encode as UTF-8.

    Bytes a file name holds that are not UTF-8 (kept by Python as lone surrogates, surrogateescape)
    become ``\\xff``; control characters (ESC, CR, BEL, C1 controls, …) become ``\\x1b`` and the like,
    so a file name cannot move the cursor, recolour the terminal or hide the text before it.
    """
    text = os.fspath(text) if isinstance(text, os.PathLike) else text
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    text = str(text)
    if text.isprintable() and text.isascii():
        return text
    out = []
    for ch in text:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{o - 0xDC00:02x}")
        elif 0xD800 <= o <= 0xDFFF:
            out.append(f"\\u{o:04x}")
        elif ch in "\t\n" or ch.isprintable() or (o > 0x7F and unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")):
            out.append(ch)
        else:
            out.append(f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}")
    return "".join(out)


# swapping a folder in ---------------------------------------------------------------------------------

_RENAME_EXCHANGE = 2


def exchange(a: Path | str, b: Path | str) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False where the system or the
    file system cannot (the caller then falls back to two renames)."""
    import ctypes
    import errno as errno_

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno_.ENOSYS, errno_.EINVAL, errno_.ENOTSUP, errno_.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), os.fsdecode(a))
