"""Preloaded by the forkserver of :class:`kg.executor.ProcessExecutor` (multiprocessing's
``set_forkserver_preload``): the extraction pipeline is built once there, before any worker is forked.

Each worker then starts with the pipeline built and shares its memory with the other workers and the
server, page by page until it writes to one: the word segmenters' dictionaries (jieba-rs's, about
56 MB, never written after it is loaded; jieba's frequency table, about 70 MB, only read), spaCy's
vocabulary and the compiled lexicons. ``gc.freeze()`` keeps the cyclic collector of the workers off
these objects (a collection would touch every one of them, and so copy its page).
"""

import gc

from kg.executor import _warm_up

_warm_up()
gc.freeze()
