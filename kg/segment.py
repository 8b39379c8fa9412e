"""Word segmentation: jieba's words, cut by jieba-rs.

Extraction tokenizes every report with jieba's default mode (dictionary DAG, most probable route, HMM for
runs of unknown characters). ``jieba`` itself does this in Python at about 0.5–0.7 MB/s on one core, as
long as all the rest of extraction together. `rjieba <https://pypi.org/project/rjieba/>`_ binds
`jieba-rs <https://github.com/messense/jieba-rs>`_, a port of the same algorithm with the same dictionary
and HMM model, about 20× faster. The two agree on Chinese text; they differ only in how a run of Latin
letters, digits and ``+#&._%-`` that no dictionary word covers is split: jieba (``finalseg``) splits it
into numbers (``6.5``, ``30%``), letter/digit words and single symbols (``2020``, ``-``, ``2035``),
where jieba-rs keeps ``2020-2035`` and ``6.5GW`` whole. :func:`cut` re-splits such a token as jieba
does, so its words are jieba's: ``tests/test_segment.py`` checks that on every report at hand and on
generated text.

jieba keeps its other job: its dictionary's word frequencies (:mod:`kg.decide`).
"""

from __future__ import annotations

import marshal
import re
from functools import lru_cache
from itertools import compress
from typing import Iterable

# A token of jieba's "han" character class (re_han_default) holding no Chinese character: what jieba
# hands to finalseg, which splits it with its re_skip pattern.
_LATIN_RUN = re.compile(r"[a-zA-Z0-9+#&._%\-]{2,}")
_FINALSEG_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


@lru_cache(maxsize=1)
def _segmenter():
    import rjieba

    return rjieba.Jieba()


def jieba_dictionary():
    """jieba's default tokenizer (``jieba.dt``) with its dictionary loaded, quietly.

    jieba loads its dictionary from a cache file it writes once (``jieba.cache`` in the temporary
    folder) with ``marshal.load(file)``, which reads the file a few bytes at a time through the file
    object: 1.3 s for 9 MB, where ``marshal.loads`` of the same bytes read at once takes 0.3 s. The
    dictionary is loaded here with jieba's own ``initialize`` (same cache file, same checks, the same
    objects), its ``marshal.load`` reading the whole file first. Every process that extracts pays this
    once: each ``kg build`` (in the workers' forkserver), each serial build, each test session."""
    import jieba

    dt = jieba.dt
    if not dt.initialized:  # (kg.decide asks for it for every candidate name: the rest is done once)
        import logging

        jieba.setLogLevel(logging.WARNING)
        jieba.marshal = _WholeFileMarshal
        try:
            dt.check_initialized()
        finally:
            jieba.marshal = marshal
    return dt


class _WholeFileMarshal:
    """``marshal`` for :func:`jieba_dictionary`: ``load`` reads the whole file, then decodes it."""

    @staticmethod
    def load(file):
        return marshal.loads(file.read())

    dump = staticmethod(marshal.dump)


def add_words(words: Iterable[str]) -> None:
    """Add words to the dictionaries of jieba and jieba-rs, for this process, each with the frequency
    ``jieba.add_word`` gives it: just high enough for it to be cut whole (jieba-rs's own estimate is one
    lower). A word already in the dictionary has its frequency replaced, in both: jieba would add the
    new frequency to its total without taking off the old one, which jieba-rs does not do."""
    import jieba

    dt = jieba_dictionary()
    seg = _segmenter()
    for word in words:
        if len(word) > 1:
            old = dt.FREQ.get(word, 0)
            jieba.add_word(word)
            dt.total -= old
            seg.add_word(word, dt.FREQ[word], None)
    _resplit.cache_clear()


@lru_cache(maxsize=4096)
def _resplit(token: str) -> tuple[str, ...]:
    """jieba's words for a Latin/digit token that jieba-rs kept whole (a dictionary word stays whole)."""
    if _segmenter().has_word(token):
        return (token,)
    return tuple(part for part in _FINALSEG_SKIP.split(token) if part)


def cut(text: str) -> list[str]:
    """The words of ``text`` in jieba's default mode (``jieba.lcut(text)``), empty words dropped."""
    words = _segmenter().cut(text, True)
    # The distinct (ASCII) words jieba would split otherwise, each looked at once; then only their places.
    split = {}
    for word in set(filter(str.isascii, words)):
        if len(word) > 1 and _LATIN_RUN.fullmatch(word):
            parts = _resplit(word)
            if parts != (word,):
                split[word] = parts
    if split:
        out: list[str] = []
        done = 0
        for i in compress(range(len(words)), map(split.__contains__, words)):
            out += words[done:i]
            out += split[words[i]]
            done = i + 1
        out += words[done:]
        words = out
    return [w for w in words if w] if "" in words else words
