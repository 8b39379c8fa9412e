"""The extractor interface and what every extractor may use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar, Optional, Protocol

from kg.model import Evidence, Meta
from kg.nlp import SECTION_PLAN, Sentence


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
