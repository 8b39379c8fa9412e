"""Deterministic, ASCII-only instance IRIs under https://w3id.org/gwr/id/ (see docs/MODEL.md)."""

from __future__ import annotations

import hashlib

ONTOLOGY = "https://w3id.org/gwr/ontology#"
DATA = "https://w3id.org/gwr/id/"

KINDS = ("report", "district", "city", "province", "person", "project", "org", "award", "indicator",
         "obs", "amount", "stmt", "graph", "record", "aggregate")


def key(*parts: object) -> str:
    """16 hex digits of SHA-256 over the parts (joined with a separator that cannot occur in text)."""
    data = "\x1f".join(["" if p is None else str(p) for p in parts]).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


def mint(kind: str, *parts: object) -> str:
    """The IRI of an entity of ``kind`` whose identity is ``parts``."""
    if kind not in KINDS:
        raise ValueError(f"unknown IRI kind {kind!r}; known: {', '.join(KINDS)}")
    return f"{DATA}{kind}/{key(*parts)}"


def mint_code(kind: str, code: str) -> str:
    """IRIs of administrative divisions keyed by their GB/T 2260 code."""
    if not code.isdigit():
        raise ValueError(f"division code must be digits, got {code!r}")
    return f"{DATA}{kind}/{code}"
