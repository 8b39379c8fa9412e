"""Project invests amount: money tied to exactly one named project in one clause.

``总投资3000万元的数字经济产业园`` / ``投资1390万元建成X`` (amount before the name) and
``X项目总投资2.1亿元`` / ``X完成投资5000万元`` (amount after the name). Aggregates over several or
uncounted projects (``24个产业项目完成投资23.5亿元``) are not investments of one project. The kind words
are data (``kg/lexicons/investments.toml``), compiled on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from kg.amounts import find_money
from kg.extract.base import Context, clauses, evidence
from kg.extract import names, projects
from kg.extract.names import project_name
from kg.lexicon import load
from kg.model import InvestmentMention
from kg.nlp import SECTION_PLAN, SECTION_REVIEW, sentences_with

NAME_CHARS = r"[\u4e00-\u9fffA-Za-z0-9（）()·\-]"


@dataclass(frozen=True)
class _Rules:
    kind_before: tuple[tuple[str, re.Pattern], ...]  # (kind, the words right before the amount)
    name_after: tuple[re.Pattern, ...]  # the longest name first, then the shortest
    name_before: re.Pattern
    kind_words: re.Pattern  # the kind words ending the text before a name


@lru_cache(maxsize=4)
def _rules(_lexicon_key: object = None) -> _Rules:
    lex = load("investments")
    approx = f"{lex.alt('kind.approx')}?"
    facility = projects.rules().facility
    ends = f"(?:{facility}|{lex.alt('name.markers')})"
    between = f"(?:{lex.regex('patterns.name_between')}|{lex.alt('name.between')})?"
    funding = f"{lex.alt('kind.funding_verbs')}[\u4e00-\u9fff]{{0,10}}?{lex.alt('kind.funding_objects')}$"
    return _Rules(
        kind_before=(
            ("CompletedInvestment", re.compile(f"{lex.alt('kind.completed')}$")),
            ("TotalInvestment", re.compile(f"{lex.alt('kind.total')}{approx}$")),
            ("Funding", re.compile(funding)),
        ),
        name_after=tuple(re.compile(f"^{between}(?P<name>{NAME_CHARS}{{2,40}}{lazy}{ends})") for lazy in ("", "?")),
        name_before=re.compile(f"(?P<name>{NAME_CHARS}{{2,40}}?{ends}){lex.alt('name.markers')}?$"),
        kind_words=re.compile(f"{lex.alt('kind.completed', 'kind.total')}{approx}$"),
    )


def rules() -> _Rules:
    return _rules((load("investments").source, load("projects").source))


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
        if len(monies) != 1 or names.rules().count_inside.search(clause.replace(monies[0].text, "")) and re.search(r"\d+个|等", clause):
            return []
        money = monies[0]
        before, after = clause[: money.start], clause[money.end:]
        r = rules()
        kind = next((k for k, p in r.kind_before if p.search(before)), None)
        if kind is None:
            return []
        name = None
        for pattern in r.name_after:
            m = pattern.match(after)
            name = project_name(m.group("name")) if m else None
            if name:
                break
        if name is None:
            b = r.name_before.search(r.kind_words.sub("", before))
            if b:
                name = project_name(b.group("name"))
        if name is None:
            return []
        return [InvestmentMention(name, money.value, money.currency, kind if money.currency == "CNY" else "OtherAmount",
                                  money.text, evidence(sentence))]
