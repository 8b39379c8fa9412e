"""Main economic indicators: actual figures (review part) and targets (plan part).

Patterns, not names: an indicator mention (the contract's twelve names and their usual synonyms,
e.g. 全社会固定资产投资 → 固定资产投资, 规模工业增加值 → 规模以上工业增加值) followed, before the next
mention, by a growth figure (增长/下降 N%) and/or a level (完成/达到/突破 N亿元). Coordinated mentions
share one value list (城镇、农村居民人均可支配收入分别增长5.9%、7.0%; 规模以上工业总产值、增加值分别
增长7.9%、7.4%). Figures of a part of the district (开发区, 乡镇, 企业) or of partial periods (1—11月)
are skipped. The first figure per (indicator, year, kind, measure) wins: reports give headline
figures first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import ClassVar, Optional

from kg.amounts import MONEY, NUMBER, find_money, normalize_decimal, parse_number
from kg.extract.base import Context, evidence
from kg.lexicon import load
from kg.model import IndicatorMention
from kg.nlp import SECTION_PLAN, SECTION_REVIEW, Sentence

@dataclass(frozen=True)
class _Rules:
    names: list[str]
    tails: dict
    mention: re.Pattern
    shared_head: re.Pattern
    shared_tail: re.Pattern
    conjunction: str
    growth: re.Pattern
    growth_down: frozenset
    growth_list: re.Pattern
    list_down: frozenset
    amount_list: re.Pattern
    amount_ok_before: re.Pattern
    partial_period: re.Pattern
    not_district: re.Pattern


@lru_cache(maxsize=4)
def _compile(_source: str) -> _Rules:
    lex = load("indicators")
    table = lex.table("patterns.names")
    names = list(table)
    mention = re.compile("|".join(f"(?P<i{i}>{'|'.join(table[n])})" for i, n in enumerate(names)))
    conj = lex.regex("patterns.conjunction")
    # 城镇、农村居民人均可支配收入 → both; 规模以上工业总产值、增加值 → both.
    area = lex.alt("patterns.shared_area")
    shared_head = re.compile(
        rf"({area}){lex.regex('patterns.shared_income_tail')}{conj}(?={area}{lex.regex('patterns.shared_income_next')})"
    )
    tails = lex.table("shared_tail")
    shared_tail = re.compile("|".join(
        rf"(?<={re.escape(a)}){conj}(?P<t{i}>{re.escape(b)})"
        for i, (a, b) in enumerate((a, b) for a in tails for b in tails if a != b)
    ))
    growth = re.compile(
        rf"{lex.alt('patterns.growth_before')}?(?P<verb>{lex.alt('growth.up', 'growth.down')})"
        rf"{lex.regex('patterns.growth_after')}?(?P<num>-?{NUMBER})(?:%|％)"
    )
    sep = lex.regex("patterns.value_separator")
    growth_list = re.compile(
        rf"{lex.alt('values.list_marker')}{lex.alt('patterns.list_growth_before')}?(?P<verb>{lex.alt('growth.list_up', 'growth.list_down')})"
        rf"(?P<nums>{NUMBER}%(?:{sep}{NUMBER}%)+)"
    )
    money_plain = re.sub(r"\(\?P<\w+>", "(?:", MONEY.pattern)
    amount_list = re.compile(
        rf"{lex.alt('values.list_marker')}{lex.regex('patterns.list_amount_verb')}(?P<vals>{money_plain}(?:{sep}{money_plain})+)"
    )
    return _Rules(
        names=names,
        tails=tails,
        mention=mention,
        shared_head=shared_head,
        shared_tail=shared_tail,
        conjunction=conj,
        growth=growth,
        growth_down=frozenset(lex.words("growth.down")),
        growth_list=growth_list,
        list_down=frozenset(lex.words("growth.list_down")),
        amount_list=amount_list,
        amount_ok_before=re.compile(rf"{lex.regex('patterns.amount_before')}$"),
        partial_period=re.compile(lex.regex("patterns.partial_period")),
        not_district=re.compile(rf"{lex.alt('scope.not_district')}$"),
    )


def _rules() -> _Rules:
    """The compiled rules, built on first use from the lexicon in effect (``--lexicon`` can override)."""
    return _compile(load("indicators").source)


_WINDOW = 40


@dataclass
class _Mention:
    indicator: str
    start: int
    end: int


def _mentions(text: str) -> list[_Mention]:
    r = _rules()
    found: list[_Mention] = []
    for m in r.mention.finditer(text):
        name = r.names[int(m.lastgroup[1:])]
        found.append(_Mention(name, m.start(), m.end()))
    for m in r.shared_head.finditer(text):
        area = m.group(1)
        name = next(n for n in r.names if n.startswith(area))
        found.append(_Mention(name, m.start(), m.end() - 1))
    for m in r.shared_tail.finditer(text):
        word = m.group(m.lastgroup)
        start = m.start(m.lastgroup)
        found.append(_Mention(r.tails[word], start, start + len(word)))
    found.sort(key=lambda x: x.start)
    return found


def _groups(text: str, mentions: list[_Mention]) -> list[list[_Mention]]:
    """Consecutive mentions joined only by 、/和/及 share one value list."""
    groups: list[list[_Mention]] = []
    for m in mentions:
        if groups and re.fullmatch(_rules().conjunction + "?", text[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _growth(window: str) -> Optional[Decimal]:
    m = _rules().growth.search(window)
    if not m:
        return None
    value = parse_number(m.group("num"))
    if value is None:
        return None
    if m.group("verb") in _rules().growth_down:
        value = -value
    return normalize_decimal(value)


def _amount(window: str) -> Optional[Decimal]:
    for money in find_money(window):
        if money.currency == "CNY" and _rules().amount_ok_before.search(window[: money.start]):
            return money.value
        if money.currency == "CNY" and money.start == 0:
            return money.value
    return None


class IndicatorExtractor:
    name: ClassVar[str] = "indicators"

    def extract(self, doc, context: Context) -> list[IndicatorMention]:
        seen: set[tuple[str, int, str, str]] = set()
        out: list[IndicatorMention] = []
        for sentence in doc._.gwr_sentences:
            if sentence.section not in (SECTION_REVIEW, SECTION_PLAN):
                continue
            for mention in self.sentence_facts(sentence, context):
                keys = []
                if mention.growth_percent is not None:
                    keys.append((mention.indicator, mention.year, mention.kind, "growth"))
                if mention.amount_yuan is not None:
                    keys.append((mention.indicator, mention.year, mention.kind, "amount"))
                fresh = [k for k in keys if k not in seen]
                if not fresh:
                    continue
                seen.update(fresh)
                measures = {k[3] for k in fresh}
                out.append(IndicatorMention(
                    mention.indicator, mention.year, mention.kind,
                    mention.growth_percent if "growth" in measures else None,
                    mention.amount_yuan if "amount" in measures else None,
                    mention.evidence,
                ))
        return out

    def sentence_facts(self, sentence: Sentence, context: Context) -> list[IndicatorMention]:
        text = sentence.text
        if _rules().partial_period.search(text):
            return []
        year = context.year_for(sentence)
        if year is None:
            return []
        kind = "Target" if sentence.section == SECTION_PLAN else "Actual"
        mentions = _mentions(text)
        out = []
        for gi, group in enumerate(_groups(text, mentions)):
            nxt = next((g[0].start for g in _groups(text, mentions)[gi + 1:]), len(text))
            end = min(nxt, group[-1].end + _WINDOW)
            window = text[group[-1].end:end]
            clause_start = max(text.rfind(c, 0, group[0].start) for c in "，；：。") + 1
            if _rules().not_district.search(text[clause_start:group[0].start]):
                continue
            values: list[tuple[Optional[Decimal], Optional[Decimal]]]
            if len(group) > 1:
                values = self._listed(window, len(group))
            else:
                values = [(_growth(window), _amount(window))]
            for mention, (growth, amount) in zip(group, values):
                if growth is None and amount is None:
                    continue
                out.append(IndicatorMention(mention.indicator, year, kind, growth, amount, evidence(sentence)))
        return out

    @staticmethod
    def _listed(window: str, n: int) -> list[tuple[Optional[Decimal], Optional[Decimal]]]:
        growths: list[Optional[Decimal]] = [None] * n
        amounts: list[Optional[Decimal]] = [None] * n
        g = _rules().growth_list.search(window)
        if g:
            nums = [parse_number(x) for x in re.findall(NUMBER, g.group("nums"))]
            if len(nums) == n and all(v is not None for v in nums):
                sign = -1 if g.group("verb") in _rules().list_down else 1
                growths = [normalize_decimal(sign * v) for v in nums]  # type: ignore[operator]
        a = _rules().amount_list.search(window)
        if a:
            monies = [m.value for m in find_money(a.group("vals")) if m.currency == "CNY"]
            if len(monies) == n:
                amounts = list(monies)
        if g is None and a is None:
            # 地区生产总值、规模以上工业增加值增长5%: one value shared by all.
            shared = (_growth(window), _amount(window))
            return [shared] * n
        return list(zip(growths, amounts))
