"""Project invests amount: money tied to exactly one named project in one clause.

``总投资3000万元的数字经济产业园`` / ``投资1390万元建成X`` (amount before the name) and
``X项目总投资2.1亿元`` / ``X完成投资5000万元`` (amount after the name). Aggregates over several or
uncounted projects (``24个产业项目完成投资23.5亿元``) are not investments of one project. The kind words
are data (``kg/lexicons/investments.toml``), compiled on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Optional

from kg.amounts import find_money
from kg.extract.base import Context, clauses, evidence, sentences_with
from kg.extract import names, projects
from kg.extract.names import project_name
from kg.lexicon import compiled_rules, load
from kg.model import InvestmentMention
from kg.structure import SECTION_GLOSSARY, SECTION_PLAN, SECTION_REVIEW

NAME_CHARS = r"[\u4e00-\u9fffA-Za-z0-9（）()·\-—]"


@dataclass(frozen=True)
class _Rules:
    kind_before: tuple[tuple[str, re.Pattern], ...]  # (kind, the words right before the amount)
    name_after: tuple[re.Pattern, ...]  # the longest name first, then the shortest
    name_before: re.Pattern
    kind_words: re.Pattern  # the kind words ending the text before a name
    anaphor: re.Pattern  # what may stand before the kind words when the name is elsewhere (该项目, 项目计划)
    opening_verb: re.Pattern


def _rules() -> _Rules:
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
        anaphor=re.compile(f"(?:{lex.alt('anaphor.words')})?{lex.alt('name.markers')}?{lex.alt('anaphor.modal')}?"),
        opening_verb=re.compile(f"^(?:{lex.regex('patterns.name_between')}|{lex.alt('name.between')})"),
    )


rules = compiled_rules(_rules, "investments", "projects")


class InvestmentExtractor:
    name: ClassVar[str] = "investments"

    def extract(self, doc, context: Context) -> list[InvestmentMention]:
        out: list[InvestmentMention] = []
        seen = set()
        topic: Optional[str] = None  # the named project a glossary entry is about
        money = {id(s) for s in sentences_with(doc, "MONEY")}
        for sentence in doc._.gwr_sentences:
            if sentence.section not in (SECTION_REVIEW, SECTION_PLAN, SECTION_GLOSSARY):
                continue
            if sentence.section == SECTION_GLOSSARY:
                title = projects.glossary_title(sentence.text)
                topic = project_name(title) if title is not None else topic
            if id(sentence) not in money:
                continue
            parts = [c for _, c in clauses(sentence.text)]
            for i, clause in enumerate(parts):
                context_parts = (parts[i - 1] if i else None, parts[i + 1] if i + 1 < len(parts) else None)
                for fact in self._clause_facts(clause, sentence, context_parts,
                                               topic if sentence.section == SECTION_GLOSSARY else None):
                    key = (fact.project, fact.amount, fact.kind)
                    if key not in seen:
                        seen.add(key)
                        out.append(fact)
        return out

    def _clause_facts(self, clause: str, sentence, around=(None, None), topic=None) -> list[InvestmentMention]:
        monies = find_money(clause)
        if len(monies) > 1 and "、" in clause:
            # 总投资A的X、总投资B的Y加快推进: one amount per list item.
            out: list[InvestmentMention] = []
            for piece in clause.split("、"):
                out += self._clause_facts(piece, sentence)
            return out
        if len(monies) != 1 or names.rules().count_inside.search(clause.replace(monies[0].text, "")) and re.search(r"\d+个|等", clause):
            return []
        money = monies[0]
        before, after = clause[: money.start], clause[money.end:]
        r = rules()
        kind = next((k for k, p in r.kind_before if p.search(before)), None)
        if kind is None:
            return []
        name = _name_after(after)
        if name is None and not after.strip() and around[1] is not None:
            # 投资7000万元，建成X变电站: the amount's clause ends; the next one names what it built.
            nxt = around[1]
            if rules().opening_verb.match(nxt):
                name = _name_after(nxt)
        if name is None:
            b = r.name_before.search(r.kind_words.sub("", before))
            if b and not b.group("name").startswith(b.string[: b.start()][-1:] or "\0"):
                name = project_name(b.group("name"))
        lead = r.kind_words.sub("", before)
        if name is None and r.anaphor.fullmatch(lead):
            # X项目，总投资N亿元 / 该项目总投资N亿元: the amount of the project named just before; in a
            # glossary entry, of the entry's title (when the entry opens here or the text refers back).
            if topic and (lead or around[0] is None or projects.glossary_title(sentence.text)):
                name = topic
            elif around[0] is not None and not topic:
                name = _whole_name(around[0])
        # 加快矿山生态修复，投资N万元: work on an object made only of generic words is no one project.
        if name is None or _generic_work(name):
            return []
        return [InvestmentMention(name, money.value, money.currency, kind if money.currency == "CNY" else "OtherAmount",
                                  money.text, evidence(sentence))]


def _generic_work(name: str) -> bool:
    work = names.rules().work_end.search(name)
    return bool(work) and names.generic_only(name[: work.start()], projects.rules().facility_noun)


def _name_after(text: str) -> Optional[str]:
    """The project named right after an amount (总投资3亿元的X, 投资N万元建成X), or None."""
    for pattern in rules().name_after:
        m = pattern.match(text)
        if not m:
            continue
        rest = text[m.end():]
        # 新改建农村公路161.7公里, 嘉禾小学、羊平小学: a counted kind of work or a list item is no one project.
        if re.match(r"[\u4e00-\u9fff]{0,2}(?:\d|[、等])", rest):
            return None
        name = project_name(m.group("name"))
        if name:
            return name
    return None


def _whole_name(clause: str) -> Optional[str]:
    """A clause that is only a project's name (X项目, 投资N亿元的X), else None."""
    m = rules().name_before.search(clause)
    if not m or m.start() > 0 and not projects.rules().clause_verb.search(clause[: m.start()]):
        return None
    return project_name(m.group("name"))
