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
from typing import ClassVar, Optional

from kg.amounts import MONEY, NUMBER, UNIT_FACTOR as _UNIT, find_money, normalize_decimal, parse_number
from kg.extract.base import Context, evidence
from kg.lexicon import compiled_rules, load
from kg.model import IndicatorMention
from kg.structure import SECTION_PLAN, SECTION_REVIEW, Sentence, plan_period_end

@dataclass(frozen=True)
class _Rules:
    names: list[str]
    pair_names: list[str]
    pairs: dict
    tails: dict
    mention: re.Pattern
    shared_head: re.Pattern
    shared_tail: re.Pattern
    conjunction: str
    growth: re.Pattern
    average: re.Pattern
    growth_down: frozenset
    growth_list: re.Pattern
    list_down: frozenset
    amount_list: re.Pattern
    amount_ok_before: re.Pattern
    bare_amount: re.Pattern
    clause_lead: re.Pattern
    list_marker: re.Pattern
    not_district: re.Pattern


def _compile() -> _Rules:
    lex = load("indicators")
    table = lex.table("patterns.names")
    names = list(table)
    pair_table = lex.table("patterns.pairs")
    pair_names = list(pair_table)
    mention = re.compile("|".join(
        [f"(?P<p{i}>{'|'.join(pair_table[n])})" for i, n in enumerate(pair_names)]
        + [f"(?P<i{i}>{'|'.join(table[n])})" for i, n in enumerate(names)]
    ))
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
        rf"{lex.alt('patterns.list_growth_before')}?{lex.alt('values.list_marker')}?{lex.alt('patterns.list_growth_before')}?(?P<verb>{lex.alt('growth.list_up', 'growth.list_down')})"
        rf"(?P<nums>{NUMBER}%(?:{sep}{NUMBER}%)+)"
    )
    money_plain = re.sub(r"\(\?P<\w+>", "(?:", MONEY.pattern)
    amount_list = re.compile(
        rf"{lex.alt('values.list_marker')}{lex.regex('patterns.list_amount_verb')}(?P<vals>{money_plain}(?:{sep}{money_plain})+)"
    )
    return _Rules(
        names=names,
        pair_names=pair_names,
        pairs={k: tuple(v) for k, v in lex.table("pairs").items()},
        tails=tails,
        mention=mention,
        shared_head=shared_head,
        shared_tail=shared_tail,
        conjunction=conj,
        growth=growth,
        average=re.compile(rf"{lex.alt('growth.average')}$"),
        growth_down=frozenset(lex.words("growth.down")),
        growth_list=growth_list,
        list_down=frozenset(lex.words("growth.list_down")),
        amount_list=amount_list,
        amount_ok_before=re.compile(rf"{lex.regex('patterns.amount_before')}$"),
        bare_amount=re.compile(
            rf"{lex.regex('patterns.amount_before')}(?P<num>{NUMBER})(?P<unit>{lex.alt('patterns.bare_units')})(?![美欧元])"
        ),
        clause_lead=re.compile(
            rf"^(?:{lex.alt('patterns.clause_lead')}|{lex.regex('patterns.amount_before')}|"
            rf"{lex.alt('growth.up', 'growth.down')})"
        ),
        list_marker=re.compile(lex.alt("values.list_marker")),
        not_district=re.compile(rf"{lex.alt('scope.not_district')}$"),
    )


# The compiled rules, built on first use from the lexicon in effect (``--lexicon`` can override).
_rules = compiled_rules(_compile, "indicators")


_WINDOW = 40
_TARGET_YEAR = re.compile(r"到(20\d\d)年")
_YEAR_IN = re.compile(r"20\d\d年")
_CLAUSE_END = "，；：。,;"


@dataclass
class _Mention:
    indicator: str
    start: int
    end: int
    pair: tuple[str, ...] = ()  # a mention naming two indicators (城乡居民人均可支配收入)


def _mentions(text: str) -> list[_Mention]:
    r = _rules()
    found: list[_Mention] = []
    for m in r.mention.finditer(text):
        kind, index = m.lastgroup[0], int(m.lastgroup[1:])
        if kind == "p":
            name = r.pair_names[index]
            found.append(_Mention(name, m.start(), m.end(), r.pairs.get(name, ())))
        else:
            found.append(_Mention(r.names[index], m.start(), m.end()))
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


def _window(text: str, start: int, end: int) -> str:
    """The figures' span after a mention: its own clause, and the clauses after it that have no subject
    of their own (…完成122.2亿元，同比增长7.8%), never one that opens with another subject."""
    r = _rules()
    window = text[start:end]
    out = []
    for i, part in enumerate(re.split(f"[{_CLAUSE_END}]", window)):
        if i > 0 and not r.clause_lead.match(part):
            break
        out.append(part)
    return "，".join(out)


def _growth(window: str) -> Optional[Decimal]:
    r = _rules()
    for m in r.growth.finditer(window):
        if r.average.search(window[: m.start()]):
            continue  # 年均增长: an average over several years, not the year's figure
        value = parse_number(m.group("num"))
        if value is None:
            return None
        if m.group("verb") in r.growth_down:
            value = -value
        return normalize_decimal(value)
    return None


def _amount(window: str) -> Optional[Decimal]:
    for money in find_money(window):
        if money.currency == "CNY" and _rules().amount_ok_before.search(window[: money.start]):
            return money.value
        if money.currency == "CNY" and money.start == 0:
            return money.value
        if money.currency != "CNY":
            return None
    m = _rules().bare_amount.search(window)
    if m:
        value = parse_number(m.group("num"))
        return normalize_decimal(value * _UNIT[m.group("unit")]) if value is not None else None
    return None


def _listed_values(text: str, group: list[_Mention], clause_start: int) -> Optional[list[tuple]]:
    """Figures from a value list (A、B和C分别增长5%、6%、7%): one (growth, amount) per list item, and the
    item each mention of ``group`` stands in; None when no list fits."""
    r = _rules()
    after = group[-1].end
    clause_end = len(text)
    for c in _CLAUSE_END:
        i = text.find(c, after)
        if i != -1:
            clause_end = min(clause_end, i)
    marker = r.list_marker.search(text, after, clause_end + 1)
    if marker is None:
        return None
    subject = text[clause_start:marker.start()]
    items = [x for x in re.split(r.conjunction, subject) if x]
    tail = text[max(marker.start() - 3, after):marker.start() + 100]
    growths = amounts = None
    g = r.growth_list.search(tail)
    if g and r.average.search(tail[: g.start()]) is None:
        nums = [parse_number(x) for x in re.findall(NUMBER, g.group("nums"))]
        if all(v is not None for v in nums):
            sign = -1 if g.group("verb") in r.list_down else 1
            growths = [normalize_decimal(sign * v) for v in nums]  # type: ignore[operator]
    a = r.amount_list.search(tail)
    if a:
        monies = [m.value for m in find_money(a.group("vals")) if m.currency == "CNY"]
        amounts = monies or None
    n = len(items)
    if len(group) == 1 and group[0].pair and n == 1:
        n = len(group[0].pair)
    sizes = {len(x) for x in (growths, amounts) if x is not None}
    if sizes != {n} or n < 2:
        return None
    return [(growths[i] if growths else None, amounts[i] if amounts else None) for i in range(n)]


def _item_index(text: str, clause_start: int, position: int) -> int:
    """Which item of a coordinated list (split at 、/和/及/与) the character at ``position`` is in."""
    return len(re.findall(_rules().conjunction, text[clause_start:position]))


def _other_period_target(sentence: Sentence, plan_year: int) -> bool:
    """A target for another year than the plan year: the end of a five-year plan (到2025年 …, or any
    target under a heading naming only the plan period, “十四五”时期主要目标)."""
    if any(y != plan_year for y in map(int, _TARGET_YEAR.findall(sentence.text))):
        return True
    heading = sentence.heading
    return bool(plan_period_end(heading)) and not _YEAR_IN.search(heading)


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
        year = context.year_for(sentence)
        if year is None:
            return []
        kind = "Target" if sentence.section == SECTION_PLAN else "Actual"
        if kind == "Target" and _other_period_target(sentence, year):
            return []
        mentions = _mentions(text)
        groups = _groups(text, mentions)
        out = []
        for gi, group in enumerate(groups):
            nxt = groups[gi + 1][0].start if gi + 1 < len(groups) else len(text)
            clause_start = max(text.rfind(c, 0, group[0].start) for c in _CLAUSE_END) + 1
            if _rules().not_district.search(text[clause_start:group[0].start]):
                continue
            found: list[tuple[str, Optional[Decimal], Optional[Decimal]]] = []
            listed = _listed_values(text, group, clause_start)
            if listed is not None:
                for mention in group:
                    if mention.pair and len(listed) == len(mention.pair):
                        found += [(name, g, a) for name, (g, a) in zip(mention.pair, listed)]
                        continue
                    index = _item_index(text, clause_start, mention.start)
                    if index < len(listed):
                        found.append((mention.indicator, *listed[index]))
            else:
                window = _window(text, group[-1].end, min(nxt, group[-1].end + _WINDOW))
                # One figure after one or several mentions (地区生产总值、规模以上工业增加值增长5%).
                value = (_growth(window), _amount(window))
                found += [(mention.indicator, *value) for mention in group]
            for name, growth, amount in found:
                if growth is None and amount is None:
                    continue
                out.append(IndicatorMention(name, year, kind, growth, amount, evidence(sentence)))
        return out
