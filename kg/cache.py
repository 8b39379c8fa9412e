"""Incremental builds: each report's :class:`~kg.model.Extraction`, cached under a key of what made it
(stored packed, :class:`~kg.model.PackedExtraction`: compressed, with the head a build reads).

The key of a report is a SHA-256 over

- its bytes (the content hash the graph records as ``gwr:contentHash``) and its path (extractions name
  their file in ``Document.path`` and in warnings);
- :data:`kg.EXTRACTOR_VERSION` and :func:`kg.fingerprint.fingerprint`: the extraction code, the
  lexicons in effect (``--lexicon``) and every registered relation's modules, so an edited extractor
  or word list never reuses stale facts;
- the read options (:class:`kg.readers.ReadConfig`).

Entries are pickles written atomically (a temporary file, then a rename) under
``<cache dir>/<key[:2]>/<key>.pickle``; by default the cache dir is ``<output dir>/.kg-cache``.
Each entry is signed: ``MAGIC``, then an HMAC-SHA256 of its key and its pickle under a secret kept
outside every cache folder (``$XDG_CONFIG_HOME/gwr-kg/cache.key``, else ``~/.config/gwr-kg/cache.key``,
created once with mode 0600), then the pickle. The signature is checked before anything is
unpickled, so whoever can write into a cache folder (a shared ``--cache``, an output folder unpacked
from someone else's archive) cannot make the next build run code: an entry that is not signed with
this user's key counts as corrupt and is rebuilt. Without a usable key (a key file others can read or
write, a home that cannot be written) the cache is neither read nor written.
An entry that cannot be read (truncated, corrupt, from another Python) is ignored and rebuilt.
Failed reports are never cached: they are tried again on the next build.

``hits``, ``misses`` and ``written`` count what a build did, so callers (and tests) can see that
rebuilding 10,000 reports after adding one extracted one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import stat
from pathlib import Path
from typing import Any, Optional

from kg.fsutil import atomic_open, hash_limited

CACHE_DIRNAME = ".kg-cache"
MAGIC = b"gwr-kg cache 3\n"  # then a 32-byte HMAC-SHA256, then the pickle
KEY_BYTES = 32


class CacheKeyError(OSError):
    """No usable signing key (see key_path)."""


def key_path() -> Path:
    """Where the cache's signing key lives: outside any cache folder, in the user's config folder."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "gwr-kg" / "cache.key"


def signing_key(path: Optional[Path] = None) -> bytes:
    """The secret that signs cache entries, created (0600, random) on first use. CacheKeyError when
    it cannot be created, or when the file is not a regular file of ours that only we can read."""
    path = Path(path) if path is not None else key_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(KEY_BYTES))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
                raise CacheKeyError(f"{path}: the cache key must be a file only its owner can read and write "
                                    "(chmod 600); the cache is not used")
            key = fh.read(4096)
    except CacheKeyError:
        raise
    except OSError as exc:
        raise CacheKeyError(f"{path}: no cache key ({exc.strerror or exc}); the cache is not used") from None
    if len(key) < KEY_BYTES:
        raise CacheKeyError(f"{path}: the cache key is too short; delete it to make a new one")
    return key

def code_fingerprint() -> str:
    """SHA-256 over kg.EXTRACTOR_VERSION and what extraction depends on (kg.fingerprint: the code, the
    lexicons in effect, the registered relations' modules)."""
    import kg
    from kg.fingerprint import fingerprint

    return hashlib.sha256(f"extractor {kg.EXTRACTOR_VERSION}\n{fingerprint()}".encode()).hexdigest()


class ExtractionCache:
    """A folder of cached extractions keyed by report content and extractor version."""

    def __init__(self, directory: Path | str, *, key: Optional[bytes] = None):
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0
        self.written = 0
        self.corrupt = 0
        self._content: dict[str, str] = {}
        self.problem = ""  # why the cache is off, when it is
        try:
            self._secret = key if key is not None else signing_key()
        except CacheKeyError as exc:
            self._secret, self.problem = None, str(exc)

    def __repr__(self) -> str:
        return f"ExtractionCache({str(self.directory)!r})"

    # keys ------------------------------------------------------------------------------------
    def key(self, path: Path | str, config: Any = None) -> Optional[str]:
        """The cache key of the report at ``path``, or None when its bytes cannot be read (the
        build then reports the failure as usual)."""
        if self._secret is None:
            return None
        try:  # type and size first (a FIFO, /dev/zero, a sparse 3 GB file), then one bounded read
            content = hash_limited(path, getattr(config, "max_bytes", None))
        except OSError:
            return None  # the reader says what is wrong with the file
        parts = (code_fingerprint().encode(), os.fsencode(path), repr(config).encode(), content.encode())
        digest = hashlib.sha256(b"\x1f".join(parts))  # fsencode: a file name need not be UTF-8
        key = digest.hexdigest()
        self._content[key] = content
        return key

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pickle"

    # entries ---------------------------------------------------------------------------------
    def get(self, key: Optional[str]):
        """The cached extraction for ``key`` (a :class:`~kg.model.PackedExtraction`: ``.unpack()`` gives the
        Extraction), or None (a miss). Unreadable entries count as misses."""
        from kg.model import PackedExtraction

        if key is None:
            self.misses += 1
            return None
        entry = self._entry(key)
        try:
            with open(entry, "rb") as fh:
                data = fh.read()
            value = pickle.loads(self._verified(key, data))  # only entries this user's key signed
            if not isinstance(value, PackedExtraction):
                raise TypeError(f"not a PackedExtraction: {type(value).__name__}")
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception:  # truncated, corrupt, or written by incompatible code: rebuild it
            self.corrupt += 1
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: Optional[str], extraction) -> None:
        """Store an extraction (an Extraction, or a PackedExtraction as ``kg build``'s workers make it);
        written atomically (temporary file + rename), so readers never see
        half an entry. Cache writes that fail (read-only disk) are silently skipped."""
        if key is None or self._content.pop(key, None) != extraction.document.raw_sha256:
            return  # the file changed between hashing and reading: do not file it under the old key
        from kg.model import PackedExtraction

        entry = self._entry(key)
        if not isinstance(extraction, PackedExtraction):
            extraction = PackedExtraction.pack(extraction)
        payload = pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            with atomic_open(entry, "wb", durable=False) as fh:
                fh.write(MAGIC + self._signature(key, payload) + payload)
        except OSError:
            return
        self.written += 1

    def _signature(self, key: str, payload: bytes) -> bytes:
        return hmac.new(self._secret, key.encode("ascii") + b"\0" + payload, hashlib.sha256).digest()

    def _verified(self, key: str, data: bytes) -> bytes:
        """The pickle inside an entry, if its signature is this user's for this key; else ValueError."""
        head = len(MAGIC) + hashlib.sha256().digest_size
        if not data.startswith(MAGIC) or len(data) < head:
            raise ValueError("not a signed cache entry")
        payload = data[head:]
        if not hmac.compare_digest(data[len(MAGIC):head], self._signature(key, payload)):
            raise ValueError("bad signature")
        return payload

    def entries(self) -> list[Path]:
        """Every entry file, sorted (for inspection and tests)."""
        return sorted(self.directory.glob("*/*.pickle")) if self.directory.is_dir() else []

    def stats(self) -> str:
        if self.problem:
            return f"cache: off ({self.problem})"
        text = f"cache: {self.hits} reused, {self.misses} extracted"
        return text + (f" ({self.corrupt} corrupt entries rebuilt)" if self.corrupt else "")


def open_cache(cache: Any, out_dir: Path | str) -> Optional[ExtractionCache]:
    """``cache`` as ``build()`` takes it: None/False (no cache), True (``<out_dir>/.kg-cache``), a folder,
    or an ExtractionCache."""
    if cache is None or cache is False:
        return None
    if isinstance(cache, ExtractionCache):
        return cache
    if cache is True:
        return ExtractionCache(Path(out_dir) / CACHE_DIRNAME)
    return ExtractionCache(Path(cache))
