"""Python's cyclic garbage collector around the stages that make millions of long-lived objects."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def pause():
    """Cyclic garbage collection paused for the block (and on again after it if it was on before)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def paused(func, *args, **kwargs):
    """``func(*args, **kwargs)`` with cyclic garbage collection paused. Building and writing the graph
    makes millions of small, long-lived objects (rdflib terms, index entries) and every full collection
    walks all of them, which made these stages grow faster than the corpus (README: Scale and benchmarks)."""
    with pause():
        return func(*args, **kwargs)
