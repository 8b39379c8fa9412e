"""Incremental builds: each report's :class:`~kg.model.Extraction`, cached under a key of what made it.

The key of a report is a SHA-256 over

- its bytes (the content hash the graph records as ``gwr:contentHash``) and its path (extractions name
  their file in ``Document.path`` and in warnings);
- :data:`kg.EXTRACTOR_VERSION` and :func:`kg.fingerprint.fingerprint`: the extraction code, the
  lexicons in effect (``--lexicon``) and every registered relation's modules, so an edited extractor
  or word list never reuses stale facts;
- the read options (:class:`kg.readers.ReadConfig`).

Entries are pickles written atomically (a temporary file, then a rename) under
``<cache dir>/<key[:2]>/<key>.pickle``; by default the cache dir is ``<output dir>/.kg-cache``.
An entry that cannot be read (truncated, corrupt, from another Python) is ignored and rebuilt.
Failed reports are never cached: they are tried again on the next build.

``hits``, ``misses`` and ``written`` count what a build did, so callers (and tests) can see that
rebuilding 10,000 reports after adding one extracted one.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any, Optional

from kg.fsutil import atomic_open

CACHE_DIRNAME = ".kg-cache"

def code_fingerprint() -> str:
    """SHA-256 over kg.EXTRACTOR_VERSION and what extraction depends on (kg.fingerprint: the code, the
    lexicons in effect, the registered relations' modules)."""
    import kg
    from kg.fingerprint import fingerprint

    return hashlib.sha256(f"extractor {kg.EXTRACTOR_VERSION}\n{fingerprint()}".encode()).hexdigest()


class ExtractionCache:
    """A folder of cached extractions keyed by report content and extractor version."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0
        self.written = 0
        self.corrupt = 0
        self._content: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"ExtractionCache({str(self.directory)!r})"

    # keys ------------------------------------------------------------------------------------
    def key(self, path: Path | str, config: Any = None) -> Optional[str]:
        """The cache key of the report at ``path``, or None when its bytes cannot be read (the
        build then reports the failure as usual)."""
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        content = hashlib.sha256(data).hexdigest()
        digest = hashlib.sha256("\x1f".join((code_fingerprint(), str(path), repr(config), content)).encode())
        key = digest.hexdigest()
        self._content[key] = content
        return key

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pickle"

    # entries ---------------------------------------------------------------------------------
    def get(self, key: Optional[str]):
        """The cached Extraction for ``key``, or None (a miss). Unreadable entries count as misses."""
        from kg.model import Extraction

        if key is None:
            self.misses += 1
            return None
        entry = self._entry(key)
        try:
            with open(entry, "rb") as fh:
                value = pickle.load(fh)
            if not isinstance(value, Extraction):
                raise TypeError(f"not an Extraction: {type(value).__name__}")
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
        """Store an extraction; written atomically (temporary file + rename), so readers never see
        half an entry. Cache writes that fail (read-only disk) are silently skipped."""
        if key is None or self._content.pop(key, None) != extraction.document.raw_sha256:
            return  # the file changed between hashing and reading: do not file it under the old key
        entry = self._entry(key)
        try:
            with atomic_open(entry, "wb", durable=False) as fh:
                pickle.dump(extraction, fh, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            return
        self.written += 1

    def entries(self) -> list[Path]:
        """Every entry file, sorted (for inspection and tests)."""
        return sorted(self.directory.glob("*/*.pickle")) if self.directory.is_dir() else []

    def stats(self) -> str:
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
