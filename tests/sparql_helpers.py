"""Helpers for tests that compare SPARQL results across engines (rdflib, pyoxigraph, an Oxigraph server)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def canonical(value):
    """Numbers compare by value (rdflib keeps the lexical form 8.0, Oxigraph gives 8); other values as they are."""
    if value is None:
        return None
    try:
        return str(Decimal(value).normalize())
    except InvalidOperation:
        return value
