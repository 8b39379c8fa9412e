"""The report's own facts: district, city, province, date, speaker, review and plan years.

Read from the title block (``——2024年1月17日在青山市临河区第六届人民代表大会第四次会议上``,
``临河区人民政府区长 周明``), with fallbacks for reports that start straight at 各位代表：
(``我代表XX区人民政府``; ``我代表县人民政府`` with the district only in how the body names itself:
全县, 县委, its short name) and the GB/T 2260 table for city and province. A district name that exists
in several cities takes the city the text itself names most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from kg.geo import Division, county_divisions, district_candidates, lookup_city, lookup_district, short_name
from kg.lexicon import compiled_rules, load
from kg.model import Meta

_CN_DIGITS = "〇零○O一二三四五六七八九十"
_NUM = rf"(?:\d{{1,4}}|[{_CN_DIGITS}]{{1,4}})"
_DATE = re.compile(rf"({_NUM})年({_NUM})月({_NUM})日")
# A report delivered in this month or later reviews its own year (five-year reports given in November).
_LATE_MONTH = 7


@dataclass(frozen=True)
class _Rules:
    congress: re.Pattern
    loc: re.Pattern
    speaker: re.Pattern
    delegate: re.Pattern
    delegate_level: re.Pattern
    self_level: re.Pattern
    opening: str
    district_suffixes: tuple[str, ...]
    city_suffixes: tuple[str, ...]


def _compile() -> _Rules:
    lex = load("meta")
    province, city, district = lex.alt("place.province"), lex.alt("place.city"), lex.alt("place.district")
    gov = lex.alt("phrase.government")
    org = lex.alt("phrase.government", "phrase.committee")
    title = rf"(?:{lex.alt('title.acting')}?{district}{lex.alt('title.head')}|{lex.alt('title.committee')})"
    return _Rules(
        congress=re.compile(
            rf"在(?P<loc>[\u4e00-\u9fff]{{2,24}}?)(?:第?[一二三四五六七八九十\d]{{1,4}}届)?{lex.alt('phrase.congress')}"
        ),
        loc=re.compile(
            rf"^(?P<province>[\u4e00-\u9fff]{{2,8}}?{province})?"
            rf"(?P<city>[\u4e00-\u9fff]{{2,10}}?{city})?"
            rf"(?P<district>[\u4e00-\u9fff]{{1,10}}?{district})$"
        ),
        speaker=re.compile(
            rf"(?:(?P<district>[\u4e00-\u9fff]{{2,12}}?{district}){org}|[\u4e00-\u9fff]{{2,16}}?{org})?"
            rf"(?P<title>{title})(?P<name>[\u4e00-\u9fff·]{{2,4}})(?=\n|$|（|\()"
        ),
        delegate=re.compile(rf"{lex.alt('phrase.delegate')}(?P<district>[\u4e00-\u9fff]{{2,12}}?{district}){gov}"),
        delegate_level=re.compile(rf"{lex.alt('phrase.delegate')}(?P<level>{district}){gov}"),
        self_level=re.compile(rf"{lex.alt('self.whole')}(?P<a>{district})|(?P<b>{district}){lex.alt('self.organs')}"),
        opening=lex.words("phrase.opening")[0],
        district_suffixes=lex.words("place.district"),
        city_suffixes=lex.words("place.city"),
    )


_rules = compiled_rules(_compile, "meta")


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


def _city_mentions(division: Division, text: str) -> int:
    if not division.city:
        return 0
    return text.count(short_name(division.city, _rules().city_suffixes))


def _by_city_evidence(candidates: list[Division], text: str) -> Optional[Division]:
    """The candidate whose city the text names most (and at least once), if one stands out."""
    scored = sorted(((_city_mentions(d, text), d) for d in candidates), key=lambda x: -x[0])
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


def _self_named(text: str) -> Optional[Division]:
    """The district a report never names in full, from how its body names itself.

    The level comes from 我代表县人民政府 or the body's 全县/县委 …; the district is the division of that
    level whose short name (新安县 → 新安) the text uses most, among those whose city the text names (or
    all, when it names none), at least three times.
    """
    r = _rules()
    m = r.delegate_level.search(text[:5000])
    if m:
        level = m.group("level")
    else:
        counts: dict[str, int] = {}
        for s in r.self_level.finditer(text):
            key = s.group("a") or s.group("b")
            counts[key] = counts.get(key, 0) + 1
        if not counts:
            return None
        level = max(counts, key=counts.get)
    scored = []
    for d in county_divisions():
        if not d.name.endswith(level):
            continue
        short = short_name(d.name, (level,))
        if short == d.name:
            continue
        n = text.count(short)
        if n >= 3:
            scored.append((n, _city_mentions(d, text), d))
    if not scored:
        return None
    with_city = [x for x in scored if x[1] > 0]
    pool = sorted(with_city or scored, key=lambda x: (-x[0], -x[1]))
    if len(pool) > 1 and pool[0][:2] == pool[1][:2]:
        return None
    return pool[0][2]


def extract_meta(text: str, review_year: Optional[int] = None, plan_year: Optional[int] = None, *,
                 district: Optional[str] = None) -> Meta:
    """Meta facts from a normalized report text and the years its headings name. ``district``: the
    district the user named for this report (``kg build --district``), which the text's own wins over."""
    r = _rules()
    head = _head(text)
    date = parse_date(head)
    given, district, city, province = district, None, None, None
    m = r.congress.search(head)
    if m:
        loc = r.loc.match(m.group("loc"))
        if loc:
            district, city, province = loc.group("district"), loc.group("city"), loc.group("province")
    speaker = title = None
    s = r.speaker.search(head)
    if s:
        speaker, title = s.group("name"), s.group("title")
        district = district or s.group("district")
    if not district:
        d = r.delegate.search(text[:5000])
        if d:
            district = d.group("district")
    district = district or given
    code = None
    division = None
    if district:
        division = lookup_district(district, city, province)
        if division is None and not city:
            division = _by_city_evidence(district_candidates(district), text)
    else:
        division = _self_named(text)
        district = division.name if division else None
    if division:
        code = division.code
        city = city or division.city
        province = province or division.province
    elif city and not province:
        c = lookup_city(city)
        province = c.province if c else None
    if date and (review_year is None or plan_year is None):
        year, month = int(date[:4]), int(date[5:7])
        if month < _LATE_MONTH:
            # Reports are delivered early in the year they plan for …
            plan_year = plan_year or year
            review_year = review_year or plan_year - 1
        else:
            # … or, for a term's report, late in the last year they review.
            review_year = review_year or year
            plan_year = plan_year or review_year + 1
    if review_year and not plan_year:
        plan_year = review_year + 1
    if plan_year and not review_year:
        review_year = plan_year - 1
    return Meta(
        district=district, city=city, province=province, division_code=code, speaker=speaker,
        speaker_title=title, date=date, review_year=review_year, plan_year=plan_year,
    )
