"""What extraction output depends on, as one hash: the extraction code, the lexicons in effect, the
versions of the word segmenters and the modules of every registered relation (outside plugins included).

:data:`kg.EXTRACTOR_VERSION` is its first 12 hex digits, so it changes by itself whenever extraction
may change (no hand bump to forget); the extraction cache (:mod:`kg.cache`) keys entries on it.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

# Modules whose source decides what an Extraction holds (paths relative to the kg package).
CODE = ("model.py", "pipeline.py", "nlp.py", "structure.py", "lexicon.py", "relation.py", "normalize.py",
        "amounts.py", "geo.py", "textutil.py", "resolve.py", "iri.py", "extract", "relations", "readers",
        "decide.py", "tagger.py", "segment.py")
# Installed packages whose version decides the words a report is cut into (kg/segment.py).
PACKAGES = ("jieba", "rjieba")
# Data files that decide what an Extraction holds besides the lexicons: the decision models (kg/decide.py).
DATA = ("models",)


def _module_files(module: str) -> list[Path]:
    spec = importlib.util.find_spec(module.partition(":")[0])
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return []
    return [Path(spec.origin)]


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "none"


def fingerprint() -> str:
    """SHA-256 over the extraction code, the lexicons in effect and the registered relations' modules."""
    from kg.lexicon import user_dirs

    return _fingerprint(user_dirs())


@lru_cache(maxsize=4)
def _fingerprint(_lexicon_dirs: tuple) -> str:
    import kg
    from kg.lexicon import fingerprint as lexicon_fingerprint
    from kg.relation import relations

    root = Path(kg.__file__).parent
    digest = hashlib.sha256()
    for name in CODE:
        target = root / name
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for path in files:
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in DATA:
        for path in sorted((root / name).glob("*.json")) + sorted((root / name).glob("*.toml")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for rel in relations():
        extractor = rel.extractor if isinstance(rel.extractor, str) else rel.extractor_class().__module__
        for path in _module_files(extractor) + _module_files(rel.map.__module__):
            if root not in path.parents:  # an outside relation's own code
                digest.update(rel.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for package in PACKAGES:
        digest.update(f"{package}=={_version(package)}\0".encode())
    digest.update(b"lexicons\0" + lexicon_fingerprint().encode())
    return digest.hexdigest()
