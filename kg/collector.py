"""Python's cyclic garbage collector around the stages that make millions of long-lived objects."""

from __future__ import annotations

import gc


def paused(func, *args, **kwargs):
    """``func(*args, **kwargs)`` with cyclic garbage collection paused. Building and writing the graph
    makes millions of small, long-lived objects (rdflib terms, index entries) and every full collection
    walks all of them, which made these stages grow faster than the corpus (README: Scale and benchmarks)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return func(*args, **kwargs)
    finally:
        if was_enabled:
            gc.enable()
