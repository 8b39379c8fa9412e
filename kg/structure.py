"""The report's structure: which sentences belong to the review part, the plan part, the glossary.

:func:`mark_sections` reads the sentences of a report in order and gives each its part (review, plan,
preamble, glossary, other) and the heading it stands under, and finds the review and plan years that
the headings name. The cue words are data (``kg/lexicons/structure.toml``); the spaCy component
``gwr_sections`` (:mod:`kg.nlp`) calls this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from kg.lexicon import alternation, load

SECTION_REVIEW = "review"
SECTION_PLAN = "plan"
SECTION_PREAMBLE = "preamble"
SECTION_OTHER = "other"
SECTION_GLOSSARY = "glossary"

_TOP_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3})、(.{0,60})$")
_YEAR = re.compile(r"(20\d\d|19\d\d|二[〇零○O]{1}[一二三四五六七八九〇零○]{2})\s*年")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    section: str
    heading: str


@dataclass(frozen=True)
class Structure:
    sentences: list[Sentence]
    review_year: Optional[int]
    plan_year: Optional[int]


def year_value(text: str) -> Optional[int]:
    """2023 from '2023' or '二〇二三'."""
    if text.isdigit():
        return int(text)
    digits = {"〇": "0", "零": "0", "○": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
    try:
        return int("".join(digits[c] for c in text))
    except KeyError:
        return None


@dataclass(frozen=True)
class _Rules:
    review: re.Pattern
    plan: re.Pattern
    other: re.Pattern
    glossary: re.Pattern
    plan_opening: re.Pattern
    review_opening: re.Pattern


@lru_cache(maxsize=4)
def _rules(_lexicon_key: object = None) -> _Rules:
    lex = load("structure")
    return _Rules(
        review=re.compile(lex.alt("heading.review")),
        plan=re.compile(lex.alt("heading.plan")),
        other=re.compile(lex.alt("heading.other")),
        glossary=re.compile(rf"^(?:附件\d?[：:]?\s*)?{lex.alt('glossary.titles')}[：:]?$"),
        plan_opening=re.compile(
            rf"^(?:20\d\d年|{lex.alt('opening.plan_subject')})(?:是|，|的)?.{{0,20}}?{lex.alt('opening.plan_topic')}"
        ),
        review_opening=re.compile(rf"^(?:{lex.alt('opening.review_start')}|20\d\d年(?:是|，))"),
    )


def rules() -> _Rules:
    return _rules(load("structure").source)


def classify_heading(title: str) -> str:
    r = rules()
    if r.other.search(title):
        return SECTION_OTHER
    if r.review.search(title):
        return SECTION_REVIEW
    if r.plan.search(title):
        return SECTION_PLAN
    return SECTION_OTHER


def mark_sections(sentences: Iterable[tuple[str, int]]) -> Structure:
    """Sentences ``(text, start offset)`` in order → each with its part and heading, and the years."""
    r = rules()
    section, heading = SECTION_PREAMBLE, ""
    review_year = plan_year = None
    saw_heading = False
    out: list[Sentence] = []
    for raw, raw_start in sentences:
        text = raw.strip()
        if not text:
            continue
        m = _TOP_HEADING.match(text)
        if section == SECTION_GLOSSARY or r.glossary.match(text):
            section, heading = SECTION_GLOSSARY, text if r.glossary.match(text) else heading
        elif m and not any(p in text[:-1] for p in "。；"):
            saw_heading = True
            heading = text
            section = classify_heading(m.group(2))
            ym = _YEAR.search(m.group(2))
            year = year_value(ym.group(1)) if ym else None
            if section == SECTION_REVIEW and year and review_year is None:
                review_year = year
            elif section == SECTION_PLAN and year and plan_year is None:
                plan_year = year
            elif section == SECTION_OTHER and year and review_year is not None and year > review_year:
                section = SECTION_PLAN
                plan_year = plan_year or year
        elif not saw_heading and section in (SECTION_PREAMBLE, SECTION_REVIEW) and r.plan_opening.match(text):
            section = SECTION_PLAN
        elif section == SECTION_PREAMBLE and r.review_opening.match(text):
            section = SECTION_REVIEW
        start = raw_start + (len(raw) - len(raw.lstrip()))
        out.append(Sentence(text, start, start + len(text), section, heading))
    return Structure(out, review_year, plan_year)
