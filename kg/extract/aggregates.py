"""Aggregate investment facts: a count of projects and the amount the report states for them together.

Reports state totals far more often than per-project amounts: ``实施重点项目45个，总投资120亿元``,
``24个产业项目完成投资23.5亿元``, ``总投资222.3亿元的17个项目签约``. Each is a district-level fact (the
count, the amount in yuan, its kind — total, completed or funding —, the words naming the projects,
the year, the sentence), never a project's amount. Every word and shape is in the ``aggregates``
lexicon (``kg/lexicons/aggregates.toml``), compiled on first use: each amount in a sentence is put
back as one placeholder character, so a shape reads ``{count}{scope}{head}[，、]?{link}{amount}``.
An amount that is a threshold (5亿元及以上的项目), an indicator (固定资产投资) or the year's attracted
investment (招商引资到位资金) is no aggregate; neither is an amount no counted projects stand beside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Optional

from kg.amounts import find_money, parse_number
from kg.extract.base import Context, evidence
from kg.model import Evidence
from kg.structure import SECTION_GLOSSARY, SECTION_OTHER, SECTION_PLAN, SECTION_REVIEW

PLACEHOLDER = "¤"  # stands for an amount of money in a sentence while shapes are matched
KINDS = ("completed", "funding", "total")


@dataclass(frozen=True)
class AggregateInvestment:
    """``count`` projects (named by ``scope``) with ``amount_yuan`` of kind ``kind`` in ``year``."""

    count: int
    amount_yuan: Decimal
    kind: str  # one of KINDS
    scope: str  # the words naming the projects, as written (省市重点项目)
    year: Optional[int]
    text: str  # the amount as written
    evidence: Evidence


class _Compiled:
    def __init__(self, lexicon) -> None:
        head = lexicon.alt("head")
        frag = {name: str(lexicon.get(f"fragments.{name}")) for name in ("count", "scope", "items", "link")}
        frag.update(amount=f"(?P<amount>{re.escape(PLACEHOLDER)})", head=head, verb=lexicon.alt("verbs.apply"))
        self.link_extra = int(lexicon.get("fragments.link_extra"))
        self.shapes: list[tuple[str, re.Pattern[str]]] = []
        for name, patterns in lexicon.table("shapes").items():
            for pattern in patterns:
                for key, value in frag.items():
                    pattern = pattern.replace("{" + key + "}", value)
                self.shapes.append((name, re.compile(pattern)))
        self.kind_end = {
            "completed": re.compile(lexicon.alt("kinds.completed") + "$"),
            "funding": re.compile(lexicon.regex("patterns.funding") + "$"),
            "total": re.compile(lexicon.alt("kinds.total") + "$"),
        }
        self.threshold = re.compile(lexicon.regex("patterns.threshold_after"))
        self.not_aggregate = re.compile(lexicon.regex("patterns.not_aggregate"))
        self.continuation = re.compile(rf"[，、]{frag['link']}{frag['amount']}")
        self.clause_start = re.compile(r"[，。；：、]")
        self.prefilter = re.compile(head)
        self.head_word = lexicon.words("head")[0]


class AggregateExtractor:
    name: ClassVar[str] = "aggregates"

    def __init__(self, lexicon) -> None:
        self.lexicon = lexicon
        self._compiled: Optional[_Compiled] = None

    @property
    def rules(self) -> _Compiled:
        if self._compiled is None:  # compiled lazily, on the first report
            self._compiled = _Compiled(self.lexicon)
        return self._compiled

    def extract(self, doc, context: Context) -> list[AggregateInvestment]:
        out: list[AggregateInvestment] = []
        seen = set()
        for sentence in doc._.gwr_sentences:
            if sentence.section in (SECTION_REVIEW, SECTION_PLAN):
                year = context.year_for(sentence)
            elif sentence.section in (SECTION_OTHER, SECTION_GLOSSARY):
                year = None  # a note, or a part neither review nor plan: the year is not known
            else:
                continue  # the preamble
            for fact in self.sentence_facts(sentence.text, year, evidence(sentence)):
                key = (fact.count, fact.amount_yuan, fact.kind, fact.year)
                if key not in seen:
                    seen.add(key)
                    out.append(fact)
        return out

    def sentence_facts(self, text: str, year: Optional[int], ev: Evidence) -> list[AggregateInvestment]:
        rules = self.rules
        if not rules.prefilter.search(text):
            return []
        monies = [m for m in find_money(text) if m.currency == "CNY"]
        if not monies:
            return []
        # the sentence with each amount as one placeholder; kinds from the words before each amount
        parts, pos, amounts = [], 0, {}
        for money in monies:
            parts.append(text[pos:money.start].replace(PLACEHOLDER, ""))
            at = sum(map(len, parts))
            parts.append(PLACEHOLDER)
            amounts[at] = money
            pos = money.end
        parts.append(text[pos:].replace(PLACEHOLDER, ""))
        s = "".join(parts)
        kinds = {at: self._kind(s, at) for at in amounts}
        used: set[int] = set()
        out = []
        for _, shape in rules.shapes:
            for m in shape.finditer(s):
                at = m.start("amount")
                if at in used or kinds[at] is None:
                    continue
                link = m.groupdict().get("link")
                if link is not None and not self._link_ok(link, kinds[at]):
                    continue
                count = parse_number(m.group("n"))
                if count is None or count < 2 or count != int(count):
                    continue  # one project is no aggregate (and its amount is the project's)
                used.add(at)
                scope = (m.group("scope") or "") + rules.head_word
                pairs = [at]
                end = max(m.end(), m.end("amount"))
                while True:  # further amounts of the same projects (，年内完成投资32.85亿元)
                    c = rules.continuation.match(s, end)
                    if not c or c.start("amount") in used or kinds[c.start("amount")] is None:
                        break
                    if not self._link_ok(c.group("link"), kinds[c.start("amount")]):
                        break
                    used.add(c.start("amount"))
                    pairs.append(c.start("amount"))
                    end = c.end()
                for p in pairs:
                    money = amounts[p]
                    out.append(AggregateInvestment(int(count), money.value, kinds[p][0], scope, year, money.text, ev))
        return out

    def _kind(self, s: str, at: int) -> Optional[tuple[str, str]]:
        """The kind of the amount at ``at`` and the kind's words, from the words before it (back to the
        last punctuation); None when it is a threshold, an amount of something else, or has no kind."""
        rules = self.rules
        if rules.threshold.match(s, at + 1):
            return None
        start = max((m.end() for m in rules.clause_start.finditer(s, 0, at)), default=0)
        before = s[start:at]
        if rules.not_aggregate.search(before):
            return None
        for kind in KINDS:
            k = rules.kind_end[kind].search(before)
            if k:
                return kind, k.group(0)
        return None

    def _link_ok(self, link: str, kind: tuple[str, str]) -> bool:
        return link.endswith(kind[1]) and len(link) - len(kind[1]) <= self.rules.link_extra
