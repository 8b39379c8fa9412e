"""The report's own facts: district, city, province, date, speaker, review and plan years.

Read from the title block (``——2024年1月17日在平顶山市石龙区第六届人民代表大会第四次会议上``,
``石龙区人民政府区长 李明``), with fallbacks for reports that start straight at 各位代表：
(``我代表XX区人民政府``) and the GB/T 2260 table for city and province.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from kg.geo import lookup_city, lookup_district
from kg.lexicon import load
from kg.model import Meta

_CN_DIGITS = "〇零○O一二三四五六七八九十"
_NUM = rf"(?:\d{{1,4}}|[{_CN_DIGITS}]{{1,4}})"
_DATE = re.compile(rf"({_NUM})年({_NUM})月({_NUM})日")


@dataclass(frozen=True)
class _Rules:
    congress: re.Pattern
    loc: re.Pattern
    speaker: re.Pattern
    delegate: re.Pattern
    opening: str


@lru_cache(maxsize=4)
def _compile(_source: str) -> _Rules:
    lex = load("meta")
    province, city, district = lex.alt("place.province"), lex.alt("place.city"), lex.alt("place.district")
    gov = lex.alt("phrase.government")
    title = rf"{lex.alt('title.acting')}?{district}{lex.alt('title.head')}"
    return _Rules(
        congress=re.compile(
            rf"在(?P<loc>[\u4e00-\u9fff]{{2,24}}?)(?:第[一二三四五六七八九十\d]{{1,4}}届)?{lex.alt('phrase.congress')}"
        ),
        loc=re.compile(
            rf"^(?P<province>[\u4e00-\u9fff]{{2,8}}?{province})?"
            rf"(?P<city>[\u4e00-\u9fff]{{2,10}}?{city})?"
            rf"(?P<district>[\u4e00-\u9fff]{{1,10}}?{district})$"
        ),
        speaker=re.compile(
            rf"(?:(?P<district>[\u4e00-\u9fff]{{2,12}}?{district}){gov})?(?P<title>{title})"
            rf"(?P<name>[\u4e00-\u9fff·]{{2,4}})(?=\n|$|（|\()"
        ),
        delegate=re.compile(rf"{lex.alt('phrase.delegate')}(?P<district>[\u4e00-\u9fff]{{2,12}}?{district}){gov}"),
        opening=lex.words("phrase.opening")[0],
    )


def _rules() -> _Rules:
    return _compile(load("meta").source)


def _number(text: str) -> Optional[int]:
    if text.isdigit():
        return int(text)
    import cn2an

    try:
        # Years are written digit by digit (二〇二四); days and months as numbers (十七).
        if len(text) == 4 and "十" not in text:
            return int("".join(str(cn2an.cn2an(c, "normal")) if c not in "〇零○O" else "0" for c in text))
        return int(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError):
        return None


def _head(text: str) -> str:
    """The title block: everything before the first 各位代表 (or the first 1,500 characters)."""
    cut = text.find(_rules().opening)
    return text[: cut if 0 <= cut < 3000 else 1500]


def parse_date(text: str) -> Optional[str]:
    m = _DATE.search(text)
    if not m:
        return None
    year, month, day = (_number(g) for g in m.groups())
    if not (year and month and day and 1900 < year < 2200 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def extract_meta(text: str, review_year: Optional[int] = None, plan_year: Optional[int] = None) -> Meta:
    """Meta facts from a normalized report text and the years its headings name."""
    head = _head(text)
    date = parse_date(head)
    district = city = province = None
    m = _rules().congress.search(head)
    if m:
        loc = _rules().loc.match(m.group("loc"))
        if loc:
            district, city, province = loc.group("district"), loc.group("city"), loc.group("province")
    speaker = title = None
    s = _rules().speaker.search(head)
    if s:
        speaker, title = s.group("name"), s.group("title")
        district = district or s.group("district")
    if not district:
        d = _rules().delegate.search(text[:5000])
        if d:
            district = d.group("district")
    code = None
    if district:
        division = lookup_district(district, city, province)
        if division:
            code = division.code
            city = city or division.city
            province = province or division.province
        elif city and not province:
            c = lookup_city(city)
            province = c.province if c else None
    if date and (review_year is None or plan_year is None):
        year, month = int(date[:4]), int(date[5:7])
        # Reports are delivered early in the year they plan for.
        if month <= 6:
            plan_year = plan_year or year
            review_year = review_year or plan_year - 1
    if review_year and not plan_year:
        plan_year = review_year + 1
    if plan_year and not review_year:
        review_year = plan_year - 1
    return Meta(
        district=district, city=city, province=province, division_code=code, speaker=speaker,
        speaker_title=title, date=date, review_year=review_year, plan_year=plan_year,
    )
