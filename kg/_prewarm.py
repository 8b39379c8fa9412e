"""Preloaded by the forkserver of :class:`kg.executor.ProcessExecutor` (multiprocessing's
``set_forkserver_preload``): the extraction pipeline is built once there, before any worker is forked.

Each worker then starts with the pipeline built and shares its memory with the other workers and the
server, page by page until it writes to one: the word segmenters' dictionaries (jieba-rs's, about
56 MB, never written after it is loaded; jieba's frequency table, about 70 MB, only read), spaCy's
vocabulary and the compiled lexicons. ``gc.freeze()`` keeps the cyclic collector of the workers off
these objects (a collection would touch every one of them, and so copy its page).

The workers inherit a first-generation garbage-collection threshold of
:data:`kg.executor.YOUNG_THRESHOLD` allocations instead of Python's 700: a report's extraction makes
many short-lived containers, freed by reference counting, and the collections they set off took about
1 ms a report (1.5 % of a worker's CPU) for nothing; with the higher threshold, about 0.1 ms. A
worker's peak memory did not change (the cycles a report leaves are small).
"""

import gc

from kg.executor import YOUNG_THRESHOLD, _warm_up

_warm_up()
gc.freeze()
gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
