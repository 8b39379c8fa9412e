"""The report's structure: which sentences belong to the review part, the plan part, the glossary.

:func:`mark_sections` reads the sentences of a report in order and gives each its part (review, plan,
preamble, glossary, other) and the heading it stands under, and finds the review and plan years that
the headings (or the review part's first sentences) name. The cue words are data
(``kg/lexicons/structure.toml``); the spaCy component ``gwr_sections`` (:mod:`kg.nlp`) calls this module.

Part headings come in several shapes, all handled the same way:

- numbered (``一、2023年工作回顾``) or unnumbered (``2022年工作回顾``, ``今年工作安排``) on a line of their own;
- with the year in the heading, in the review part's first sentence (``2021年是…``), or a five-year plan
  period only (``“十三五”时期…回顾`` → the period's last year);
- in a report stored as one line, at the start of a sentence (``一、2023年工作回顾2023年是…``).

The shape of the first part heading (numbered or not) is the part level: headings of another shape are
sub-headings and never change the part. When no part heading is found at all, sentences are given to
the review or plan part by sentence-level cues (今年/明年, plan verbs), so extractors still work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from kg.lexicon import compiled_rules, load

SECTION_REVIEW = "review"
SECTION_PLAN = "plan"
SECTION_PREAMBLE = "preamble"
SECTION_OTHER = "other"
SECTION_GLOSSARY = "glossary"

_TOP_MARK = re.compile(r"^(?:([一二三四五六七八九十]{1,3})[、.．]|第[一二三四五六七八九十]{1,3}部分[、：:．.]?)")
_SUB_MARK = re.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+[，、])")
_YEAR = re.compile(r"(20\d\d|19\d\d|二[〇零○O0][一二三四五六七八九〇零○0]{2})\s*年")
_PLAN_PERIOD = re.compile(r"十([一二三四五六七八九])五")
_DECORATION = "※*★☆■□◆◇●○·-—=~ "
_END = "。！？；…"
_INNER_PUNCT = "，。；！？：、"
_SHAPE_NUMBERED, _SHAPE_PLAIN = "numbered", "plain"


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
    digits = {"〇": "0", "零": "0", "○": "0", "O": "0", "0": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
    try:
        return int("".join(digits[c] for c in text))
    except KeyError:
        return None


def _years(text: str) -> list[int]:
    return [y for y in (year_value(m.group(1)) for m in _YEAR.finditer(text)) if y and 1980 < y < 2200]


def plan_period_end(text: str) -> Optional[int]:
    """The last year of the five-year plan period a text names: 十三五 → 2020, 十四五 → 2025."""
    m = _PLAN_PERIOD.search(text)
    if not m:
        return None
    n = "一二三四五六七八九".index(m.group(1)) + 11
    return 1955 + 5 * n


@dataclass(frozen=True)
class _Rules:
    review: re.Pattern
    plan: re.Pattern
    either: re.Pattern
    other: re.Pattern
    time: re.Pattern
    glossary: re.Pattern
    annex: re.Pattern
    plan_opening: re.Pattern
    review_opening: re.Pattern
    review_year_opening: re.Pattern
    embedded: re.Pattern
    sentence_plan: re.Pattern


def _rules() -> _Rules:
    lex = load("structure")
    cues = lex.alt("heading.review", "heading.plan", "heading.either", "heading.other")
    time = rf"(?:{_YEAR.pattern}|{lex.alt('heading.time')}|“?十[一二三四五六七八九]五”?)"
    deco = re.escape(_DECORATION)
    return _Rules(
        review=re.compile(lex.alt("heading.review")),
        plan=re.compile(lex.alt("heading.plan")),
        either=re.compile(lex.alt("heading.either")),
        other=re.compile(lex.alt("heading.other")),
        time=re.compile(time),
        glossary=re.compile(rf"^[{deco}]*(?:附件\d?[：:]?\s*)?{lex.alt('glossary.titles')}[：:]?[{deco}]*$"),
        annex=re.compile(rf"^[{deco}]*{lex.alt('annex.titles')}\s*[\d一二三四五六七八九十]{{0,2}}[：:]?(?P<rest>.*)$"),
        plan_opening=re.compile(
            rf"^(?:20\d\d年|{lex.alt('opening.plan_subject')})(?:是|，|的)?.{{0,20}}?{lex.alt('opening.plan_topic')}"
        ),
        review_opening=re.compile(rf"^(?:{lex.alt('opening.review_start')}|20\d\d年(?:是|，))"),
        review_year_opening=re.compile(
            rf"^{lex.alt('opening.review_year_lead')}?(20\d\d)年{lex.alt('opening.review_year_tail')}"
        ),
        # A part heading at the start of a longer sentence (reports stored as one line):
        # 一、2023年工作回顾2023年是… → title '2023年工作回顾'.
        # … or, numbered, the government's own part: 三、建设人民满意的服务型政府持续改进作风。
        embedded=re.compile(
            rf"^(?:[一二三四五六七八九十]{{1,3}}、)?(?P<title>{time}[^，。；：、]{{0,10}}?{cues})"
            rf"|^[一二三四五六七八九十]{{1,3}}、(?P<other>[^，。；：、]{{0,14}}?{lex.alt('heading.other')})"
        ),
        sentence_plan=re.compile(lex.alt("sentence.plan")),
    )


rules = compiled_rules(_rules, "structure")


def classify_heading(title: str, seen_review: bool = False) -> str:
    """The part a heading title opens: review, plan, other; ``""`` when it names none."""
    r = rules()
    if r.other.search(title):
        return SECTION_OTHER
    if r.review.search(title):
        return SECTION_REVIEW
    if r.plan.search(title):
        return SECTION_PLAN
    if r.either.search(title):
        return SECTION_PLAN if seen_review else SECTION_REVIEW
    return ""


@dataclass
class _Heading:
    shape: str
    title: str
    embedded: bool = False  # the heading starts a longer sentence (one-line reports)


def _heading(text: str, one_line: bool) -> Optional[_Heading]:
    """The sentence as a heading: numbered (一、…) or a short unnumbered line naming a part and a time."""
    r = rules()
    body = text.strip(_DECORATION)
    standalone = body[-1:] not in _END and len(body) <= 60
    m = _TOP_MARK.match(body)
    if m and standalone and not any(p in body[:-1] for p in "。；"):
        return _Heading(_SHAPE_NUMBERED, body[m.end():])
    if standalone and not _SUB_MARK.match(body) and len(body) <= 30 and not any(p in body for p in _INNER_PUNCT):
        if r.other.search(body) or (r.time.search(body) and classify_heading(body)):
            return _Heading(_SHAPE_PLAIN, body)
    if one_line:
        e = r.embedded.match(body)
        if e:
            return _Heading(_SHAPE_NUMBERED if m else _SHAPE_PLAIN, e.group("title") or e.group("other"), embedded=True)
    return None


def _heading_year(title: str, section: str, review_year: Optional[int]) -> Optional[int]:
    years = _years(title)
    if section == SECTION_REVIEW:
        # The last year reviewed: “十三五”时期和2020年 → 2020; “十三五”时期 → 2020.
        return max(years) if years else plan_period_end(title)
    if section == SECTION_PLAN:
        later = [y for y in years if review_year is None or y > review_year]
        return min(later) if later else None
    return None


def mark_sections(sentences: Iterable[tuple[str, int]]) -> Structure:
    """Sentences ``(text, start offset)`` in order → each with its part and heading, and the years."""
    r = rules()
    items = [(raw, start) for raw, start in sentences if raw.strip()]
    # A report stored as one line: (almost) every sentence ends with sentence punctuation.
    unended = sum(1 for raw, _ in items if raw.strip()[-1:] not in _END + "：:")
    one_line = len(items) >= 20 and unended <= 2
    section, heading = SECTION_PREAMBLE, ""
    review_year = plan_year = None
    part_shape: Optional[str] = None
    seen_review = seen_plan = False
    review_sentences = 0  # sentences read since the review part opened (for its year)
    out: list[Sentence] = []
    in_annex = annex_pending = False  # in an annex; its heading was read and its title comes next
    for raw, raw_start in items:
        text = raw.strip()
        a = None if section == SECTION_GLOSSARY else r.annex.match(text)
        h = None if section == SECTION_GLOSSARY or in_annex else _heading(text, one_line)
        if section == SECTION_GLOSSARY or r.glossary.match(text):
            section, heading = SECTION_GLOSSARY, text if r.glossary.match(text) else heading
        elif a is not None or annex_pending:
            # An annex (附件1 安国市2022年十大工程): the review or plan part by the year its title names.
            title = a.group("rest") if a is not None else text
            heading = text if a is not None else heading
            in_annex, section, annex_pending = True, SECTION_OTHER, not title
            years = _years(title)
            if years and review_year and years[0] <= review_year:
                section = SECTION_REVIEW
            elif years and (plan_year and years[0] >= plan_year or review_year and years[0] > review_year):
                section = SECTION_PLAN
        elif in_annex:
            pass
        elif h is not None and (part_shape is None or h.shape == part_shape
                                or h.shape == _SHAPE_PLAIN and _YEAR.search(h.title) and classify_heading(h.title)):
            part = classify_heading(h.title, seen_review)
            year = None
            if part:
                year = _heading_year(h.title, part, review_year)
            elif part_shape is not None:
                # A part heading naming no part: the plan part when it names a later year or comes right
                # after the review part (a slogan: 二、坚定信心开创新局面), else the government's own part.
                later = [y for y in _years(h.title) if review_year and y > review_year]
                if later:
                    part, year = SECTION_PLAN, min(later)
                elif section == SECTION_REVIEW and not seen_plan:
                    part = SECTION_PLAN
                else:
                    part = SECTION_OTHER
            if part:
                part_shape = part_shape or h.shape
                section, heading = part, h.title if h.embedded else text
                if part == SECTION_REVIEW:
                    seen_review = True
                    review_sentences = 0
                    review_year = review_year or year
                elif part == SECTION_PLAN:
                    seen_plan = True
                    plan_year = plan_year or year
        elif part_shape is None and section in (SECTION_PREAMBLE, SECTION_REVIEW) and r.plan_opening.match(text):
            section = SECTION_PLAN
            seen_plan = True
        elif section == SECTION_PREAMBLE and r.review_opening.match(text):
            section = SECTION_REVIEW
            seen_review = True
            review_sentences = 0
        if section == SECTION_REVIEW:
            review_sentences += 1
            if review_year is None and review_sentences <= 3:
                y = r.review_year_opening.match(text)
                review_year = int(y.group(1)) if y else None
        start = raw_start + (len(raw) - len(raw.lstrip()))
        out.append(Sentence(text, start, start + len(text), section, heading))
    if review_year and plan_year and plan_year <= review_year:
        plan_year = None
    if review_year is None and plan_year is None:
        # No heading names a year: the first sentence opening with one (2021年是…, 刚刚过去的2021年，…).
        y = next((m for m in (r.review_year_opening.match(s.text) for s in out) if m), None)
        review_year = int(y.group(1)) if y else None
    if not any(s.section in (SECTION_REVIEW, SECTION_PLAN) for s in out):
        out = _by_sentence_cues(out)
    return Structure(out, review_year, plan_year)


def _by_sentence_cues(sentences: list[Sentence]) -> list[Sentence]:
    """No part found: after the preamble, a sentence with a plan cue is the plan part's, else the review's."""
    r = rules()
    out = []
    for s in sentences:
        if s.section in (SECTION_PREAMBLE, SECTION_OTHER) and not s.text.endswith("："):
            section = SECTION_PLAN if r.sentence_plan.search(s.text) else SECTION_REVIEW
            s = Sentence(s.text, s.start, s.end, section, s.heading)
        out.append(s)
    return out
