"""RDF serializations, written atomically."""

from __future__ import annotations

from pathlib import Path

from kg.fsutil import write_bytes_atomic


def write_turtle(graph, path: Path) -> Path:
    """Turtle, deterministic: rdflib sorts subjects, predicates and objects; IRIs are minted, no blank nodes."""
    write_bytes_atomic(path, graph.serialize(format="turtle", encoding="utf-8"))
    return path
