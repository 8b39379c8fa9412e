"""The extractor interface and what every extractor may use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Optional, Protocol

from kg.model import Evidence, Meta
from kg.structure import SECTION_PLAN, Sentence

# doc.user_data key under which the trigger matcher (kg.nlp) leaves each label's trigger start characters
TRIGGER_STARTS = "gwr_trigger_starts"


@dataclass(frozen=True)
class Context:
    """What an extractor knows about the report besides its text."""

    meta: Meta

    @property
    def district(self) -> Optional[str]:
        return self.meta.district

    def year_for(self, sentence: Sentence) -> Optional[int]:
        """The year a sentence's facts refer to: the plan year in the plan part, else the review year."""
        if sentence.section == SECTION_PLAN:
            return self.meta.plan_year
        return self.meta.review_year


class Extractor(Protocol):
    """A named part turning a processed ``Doc`` into facts of one kind."""

    name: ClassVar[str]

    def extract(self, doc: Any, context: Context) -> list[Any]: ...


def sentences_with(doc: Any, label: str) -> list[Sentence]:
    """The sentences of ``doc`` (a Doc the kg.nlp pipeline processed) holding at least one trigger of
    ``label``. Here, not in kg.nlp, so that the extractor modules (and the relations, which name their
    fact types) import without spaCy: a pooled build's client and the views never load it."""
    kept = doc.user_data.get(TRIGGER_STARTS)
    if kept is not None and label in kept:
        starts = kept[label]  # in order, from kg.nlp.TriggerMatcher
    else:
        starts = sorted({span.start_char for span in doc.spans.get("gwr_triggers", []) if span.label_ == label})
    out = []
    j = 0
    for sent in doc._.gwr_sentences:
        while j < len(starts) and starts[j] < sent.start:
            j += 1
        if j < len(starts) and starts[j] < sent.end:
            out.append(sent)
    return out


def evidence(sentence: Sentence) -> Evidence:
    return Evidence(sentence=sentence.text, start=sentence.start, end=sentence.end)


# Clause boundaries inside a sentence.
CLAUSE_SPLIT = re.compile(r"[，,：:；;。！？!?]")
def clauses(text: str) -> list[tuple[int, str]]:
    """Split a sentence into clauses with their offsets (in the sentence)."""
    out, start = [], 0
    for m in CLAUSE_SPLIT.finditer(text):
        if m.start() > start:
            out.append((start, text[start:m.start()]))
        start = m.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


# Name-shape answers (clean_name, _specific_facility …) for one report: the same phrase comes back in
# many clauses of a report. Emptied when a report's project extraction starts (:func:`memo_clear`), when
# it grows past _MEMO_MAX, and when the lexicon folders variable changes (kg.lexicon.compiled makes its
# rules anew exactly then: the value object of the variable is its key too).
_MEMO: dict = {}
_MEMO_MAX = 50_000
_MEMO_TOKEN: list = [object()]  # the variable's value object the answers were computed under


def memo_clear() -> None:
    _MEMO.clear()


def per_report(fn):
    """Decorator: remember a pure name-shape function's answers for one report (see ``_MEMO``)."""
    from kg.lexicon import _env_token

    memo, token = _MEMO, _MEMO_TOKEN

    def memoized(*args, **kwargs):
        now = _env_token()
        if now is not token[0]:
            memo.clear()
            token[0] = now
        key = (fn, args, tuple(kwargs.items())) if kwargs else (fn, args)
        try:
            return memo[key]
        except KeyError:
            pass
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        value = memo[key] = fn(*args, **kwargs)
        return value

    memoized.__wrapped__ = fn
    memoized.__name__ = fn.__name__
    memoized.__qualname__ = fn.__qualname__
    memoized.__doc__ = fn.__doc__
    return memoized
