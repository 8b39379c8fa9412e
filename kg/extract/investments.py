"""Project invests amount: money tied to exactly one named project in one clause.

``总投资3000万元的数字经济产业园`` / ``投资1390万元建成X`` (amount before the name) and
``X项目总投资2.1亿元`` / ``X完成投资5000万元`` (amount after the name). Aggregates over several or
uncounted projects (``24个产业项目完成投资23.5亿元``) are not investments of one project.
"""

from __future__ import annotations

import re
from typing import ClassVar

from kg.amounts import find_money
from kg.extract.base import Context, clauses, evidence
from kg.extract.names import COUNT_INSIDE, project_name
from kg.extract.projects import FACILITY
from kg.model import InvestmentMention
from kg.nlp import SECTION_PLAN, SECTION_REVIEW, sentences_with

_KIND_BEFORE = [
    ("CompletedInvestment", re.compile(r"完成(?:年度)?投资$")),
    ("TotalInvestment", re.compile(r"(?:总投资|计划投资|概算投资|估算投资|投资|投入)(?:约|近|超过?|达)?$")),
    ("Funding", re.compile(r"(?:争取|获得|下达|到位|落实|拨付)[\u4e00-\u9fff]{0,10}?(?:资金|补助|债券|国债)$")),
]
_NAME_AFTER = [
    re.compile(rf"^(?:的|建成投[\u4e00-\u9fff]|建成|建设|实施|新建|改造|打造)?(?P<name>[\u4e00-\u9fffA-Za-z0-9（）()·\-]{{2,40}}{lazy}(?:{FACILITY}|项目|工程))")
    for lazy in ("", "?")  # the longest name first, then the shortest
]
_NAME_BEFORE = re.compile(rf"(?P<name>[\u4e00-\u9fffA-Za-z0-9（）()·\-]{{2,40}}?(?:{FACILITY}|项目|工程))(?:项目|工程)?$")


class InvestmentExtractor:
    name: ClassVar[str] = "investments"

    def extract(self, doc, context: Context) -> list[InvestmentMention]:
        out: list[InvestmentMention] = []
        seen = set()
        for sentence in sentences_with(doc, "MONEY"):
            if sentence.section not in (SECTION_REVIEW, SECTION_PLAN):
                continue
            for _, clause in clauses(sentence.text):
                for fact in self._clause_facts(clause, sentence):
                    key = (fact.project, fact.amount, fact.kind)
                    if key not in seen:
                        seen.add(key)
                        out.append(fact)
        return out

    def _clause_facts(self, clause: str, sentence) -> list[InvestmentMention]:
        monies = find_money(clause)
        if len(monies) != 1 or COUNT_INSIDE.search(clause.replace(monies[0].text, "")) and re.search(r"\d+个|等", clause):
            return []
        money = monies[0]
        before, after = clause[: money.start], clause[money.end:]
        kind = next((k for k, p in _KIND_BEFORE if p.search(before)), None)
        if kind is None:
            return []
        name = None
        for pattern in _NAME_AFTER:
            m = pattern.match(after)
            name = project_name(m.group("name")) if m else None
            if name:
                break
        if name is None:
            stem = re.sub(r"(?:总投资|计划投资|完成(?:年度)?投资|投资)(?:约|近|超过?|达)?$", "", before)
            b = _NAME_BEFORE.search(stem)
            if b:
                name = project_name(b.group("name"))
        if name is None:
            return []
        return [InvestmentMention(name, money.value, money.currency, kind if money.currency == "CNY" else "OtherAmount",
                                  money.text, evidence(sentence))]
