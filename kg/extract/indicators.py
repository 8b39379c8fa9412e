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

from kg.amounts import MONEY, NUMBER, find_money, normalize_decimal, parse_number
from kg.extract.base import Context, evidence
from kg.model import IndicatorMention
from kg.nlp import SECTION_PLAN, SECTION_REVIEW, Sentence

#: canonical name → surface patterns (regular expressions), most specific first.
INDICATORS: dict[str, list[str]] = {
    "地方一般公共预算收入": [r"地方一般公共预算收入", r"地方财政一般预算收入"],
    "一般公共预算收入": [r"一般公共预算收入", r"公共财政预算收入", r"一般预算收入", r"财政一般预算收入"],
    "城镇居民人均可支配收入": [r"城镇(?:常住)?居民(?:人均)?可支配收入"],
    "农村居民人均可支配收入": [r"农村(?:常住)?居民(?:人均)?可支配收入"],
    "居民人均可支配收入": [r"(?:全体|全区|全县)?居民人均可支配收入"],
    "规模以上工业增加值": [r"规模以上工业(?:企业)?增加值", r"规上工业(?:企业)?增加值", r"规模工业增加值"],
    "规模以上工业总产值": [r"规模以上工业(?:企业)?总产值", r"规上工业(?:企业)?总产值", r"规模工业总产值"],
    "固定资产投资": [r"(?:全社会)?固定资产投资"],
    "社会消费品零售总额": [r"社会消费品零售(?:总)?额", r"社消零(?:总额)?"],
    "进出口总额": [r"(?:外贸)?进出口(?:总额|总值)", r"外贸进出口"],
    "工业投资": [r"工业投资"],
    "地区生产总值": [r"地区生产总值", r"(?<![工农])生产总值", r"GDP", r"经济(?=增长\d)"],
}

_MENTION = re.compile("|".join(f"(?P<i{i}>{'|'.join(p)})" for i, p in enumerate(INDICATORS.values())))
_NAMES = list(INDICATORS)
# 城镇、农村居民人均可支配收入 → both; 规模以上工业总产值、增加值 → both.
_SHARED_HEAD = re.compile(r"(城镇|农村)(?:常住)?(?:居民)?[、和及与](?=(?:城镇|农村)(?:常住)?居民(?:人均)?可支配收入)")
_SHARED_TAIL = re.compile(r"(?<=总产值)[、和及与](增加值)|(?<=增加值)[、和及与](总产值)")

_GROWTH = re.compile(
    rf"(?:同比|比上年|较上年|年均)?(?P<verb>增长|增速为?|增幅为?|增加|提高|上升|下降|减少|回落)(?:了|为|达到?|约|至)?"
    rf"(?P<num>-?{NUMBER})(?:%|％)"
)
_GROWTH_LIST = re.compile(rf"分别(?:同比|比上年)?(?P<verb>增长|下降|提高)(?P<nums>{NUMBER}%(?:[、和]{NUMBER}%)+)")
_MONEY_PLAIN = re.sub(r"\(\?P<\w+>", "(?:", MONEY.pattern)
_AMOUNT_LIST = re.compile(rf"分别(?:为|达到?|完成|实现)(?P<vals>{_MONEY_PLAIN}(?:[、和]{_MONEY_PLAIN})+)")
_AMOUNT_OK_BEFORE = re.compile(r"(?:完成|达到?|实现|突破|为|总额|超过?|是|至|:|：)$")
_PARTIAL_PERIOD = re.compile(r"1[-—–~至]\d{1,2}月|前三季度|上半年|一季度|二季度|三季度|前\d{1,2}个月")
# A figure of part of the district or of another body, when it stands right before the indicator.
_NOT_DISTRICT = re.compile(r"(?:开发区|园区|产业园|乡|镇|街道|全市|全省|全国|企业|公司|行业|占|村)$")
_WINDOW = 40


@dataclass
class _Mention:
    indicator: str
    start: int
    end: int


def _mentions(text: str) -> list[_Mention]:
    found: list[_Mention] = []
    for m in _MENTION.finditer(text):
        name = _NAMES[int(m.lastgroup[1:])]
        found.append(_Mention(name, m.start(), m.end()))
    for m in _SHARED_HEAD.finditer(text):
        name = "城镇居民人均可支配收入" if m.group(1) == "城镇" else "农村居民人均可支配收入"
        found.append(_Mention(name, m.start(), m.end() - 1))
    for m in _SHARED_TAIL.finditer(text):
        word = m.group(1) or m.group(2)
        name = "规模以上工业增加值" if word == "增加值" else "规模以上工业总产值"
        start = m.start(1) if m.group(1) else m.start(2)
        found.append(_Mention(name, start, start + len(word)))
    found.sort(key=lambda x: x.start)
    return found


def _groups(text: str, mentions: list[_Mention]) -> list[list[_Mention]]:
    """Consecutive mentions joined only by 、/和/及 share one value list."""
    groups: list[list[_Mention]] = []
    for m in mentions:
        if groups and re.fullmatch(r"[、和及与]?", text[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _growth(window: str) -> Optional[Decimal]:
    m = _GROWTH.search(window)
    if not m:
        return None
    value = parse_number(m.group("num"))
    if value is None:
        return None
    if m.group("verb") in ("下降", "减少", "回落"):
        value = -value
    return normalize_decimal(value)


def _amount(window: str) -> Optional[Decimal]:
    for money in find_money(window):
        if money.currency == "CNY" and _AMOUNT_OK_BEFORE.search(window[: money.start]):
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
        if _PARTIAL_PERIOD.search(text):
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
            if _NOT_DISTRICT.search(text[clause_start:group[0].start]):
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
        g = _GROWTH_LIST.search(window)
        if g:
            nums = [parse_number(x) for x in re.findall(NUMBER, g.group("nums"))]
            if len(nums) == n and all(v is not None for v in nums):
                sign = -1 if g.group("verb") == "下降" else 1
                growths = [normalize_decimal(sign * v) for v in nums]  # type: ignore[operator]
        a = _AMOUNT_LIST.search(window)
        if a:
            monies = [m.value for m in find_money(a.group("vals")) if m.currency == "CNY"]
            if len(monies) == n:
                amounts = list(monies)
        if g is None and a is None:
            # 地区生产总值、规模以上工业增加值增长5%: one value shared by all.
            shared = (_growth(window), _amount(window))
            return [shared] * n
        return list(zip(growths, amounts))
