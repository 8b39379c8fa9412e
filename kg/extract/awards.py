"""Organization (or person, product, district) receives award, title or recognition.

One clause at a time: ``RECIPIENTS TRIGGER AWARD`` where TRIGGER is one of the guideline's verbs
(获评, 荣获, 被评为, 被授予, 被认定为, 入选, 获批, 成功创建, 成功申报, 成为 …). Recipients are a list
(``A、B等4家企业``) shared by one award; a clause that opens with the trigger takes the previous
clause's recipient, or the district when the sentence names none. Money, praise without a title,
rankings and plans (力争创建) are not awards.

Every word list is data (``kg/lexicons/awards.toml``), compiled on first use by :func:`rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar, Optional

from kg.extract.base import Context, clauses, evidence
from kg.extract.names import clean_name, split_list
from kg.lexicon import load
from kg.model import AwardMention
from kg.nlp import SECTION_REVIEW, Sentence, sentences_with

_HAN = r"[\u4e00-\u9fff]"
_CN_NUM = r"[一二两三四五六七八九十百]"


@dataclass(frozen=True)
class _Rules:
    trigger: re.Pattern
    needs_level: frozenset
    needs_title: frozenset
    level: re.Pattern
    prize: re.Pattern
    not_award: re.Pattern
    planned: re.Pattern
    tail: re.Pattern
    lead: re.Pattern
    title: re.Pattern
    level_only: re.Pattern
    district: re.Pattern
    focus: re.Pattern
    counted: re.Pattern
    activity: re.Pattern
    person: re.Pattern
    place: re.Pattern
    types: tuple  # ((type, pattern), …) in the lexicon's order
    enterprise_award: re.Pattern
    product_award: re.Pattern
    not_product: re.Pattern


@lru_cache(maxsize=4)
def _rules(_lexicon_key: object = None) -> _Rules:
    lex = load("awards")
    t = "trigger."
    trigger = re.compile(
        rf"(?P<t>{lex.alt(t + 'conferred')}|"
        rf"被(?:{_HAN}{{1,10}}?)?{lex.alt(t + 'passive_issuer')}|被{lex.alt(t + 'passive')}为?|"
        rf"{lex.alt(t + 'passed_modifier')}?{lex.alt(t + 'passed')}(?=[^，；。]{{2,30}}{lex.alt(t + 'evaluation')})|"
        rf"{lex.alt(t + 'obtained')}(?=[^，；。]{{2,30}}{lex.alt(t + 'recognition')}))"
    )
    types = []
    for type_, endings in lex.table("recipient_type").items():
        extra = [lex.regex("patterns.school_end")] if type_ == "School" else []
        types.append((type_, re.compile("(?:" + "|".join([lex.alt(f"recipient_type.{type_}")] + extra) + ")$")))
    return _Rules(
        trigger=trigger,
        needs_level=frozenset(lex.words(t + "needs_level")),
        needs_title=frozenset(lex.words(t + "needs_title")),
        level=re.compile(f"{lex.alt('award.level')}|{lex.regex('patterns.level')}"),
        prize=re.compile(lex.alt("award.prize")),
        not_award=re.compile(f"{lex.alt('award.not_award')}|{lex.regex('patterns.not_award')}"),
        planned=re.compile(lex.alt("award.planned")),
        tail=re.compile(f"{lex.alt('award.tail')}$"),
        lead=re.compile(f"^{lex.alt('award.lead')}"),
        title=re.compile(f"{lex.alt('award.title')}|{lex.regex('patterns.title')}"),
        level_only=re.compile(
            f"{lex.alt('award.level_only_scope')}?(?:{lex.alt('award.level_only')}|{lex.regex('patterns.level_only')})"),
        district=re.compile(f"^{lex.alt('recipient.district')}"),
        focus=re.compile(f"^.*?{lex.alt('recipient.focus')}"),
        counted=re.compile(
            rf"等(?:\d+|{_CN_NUM}+){lex.alt('recipient.count_unit')}?{_HAN}{{0,6}}$|等{_HAN}{{0,4}}$"),
        activity=re.compile(lex.alt("recipient.activity")),
        person=re.compile(rf"^(?:{_HAN}{{0,8}}{lex.alt('recipient.person_role')})({_HAN}{{2,3}})$"),
        place=re.compile(rf"(?:{lex.alt('recipient.place_prep')}{_HAN}{{1,12}})$"),
        types=tuple(types),
        enterprise_award=re.compile(f"{lex.alt('award.enterprise_end')}$|{lex.alt('award.enterprise')}"),
        product_award=re.compile(lex.alt("award.product")),
        not_product=re.compile(lex.alt("award.not_product")),
    )


def rules() -> _Rules:
    """The award rules compiled from the lexicon in effect (cached per lexicon file)."""
    return _rules(load("awards").source)


def recipient_type(name: str, award: str) -> str:
    r = rules()
    if r.product_award.search(award) and not r.not_product.search(award):
        return "Product"
    if r.person.match(name):
        return "Person"
    for type_, pattern in r.types:
        if pattern.search(name):
            return type_
    if r.enterprise_award.search(award):
        return "Enterprise"  # a title only enterprises receive (…小巨人企业, 绿色工厂, 瞪羚企业)
    return "Organization"


def clean_award(raw: str) -> str:
    r = rules()
    award = clean_name(raw)
    award = r.lead.sub("", award)
    prev = None
    while prev != award:
        prev = award
        award = r.tail.sub("", award)
    return award.strip("、，")


def _split_awards(text: str) -> list[str]:
    level_only = rules().level_only
    parts = [p for p in text.split("、") if p]
    if len(parts) > 1 and all(len(p) >= 5 and not level_only.fullmatch(p) for p in parts):
        return parts
    return ["".join(parts)] if len(parts) > 1 and any(len(p) < 5 for p in parts) else parts


def _looks_like_entity(name: str) -> bool:
    """A name ending in a word that names a kind of entity (村, 社区, 小学, 局, 公司 …)."""
    return any(p.search(name) for _, p in rules().types)


def _split_recipients(text: str) -> list[str]:
    """Split a recipient list at 、; at 和/及/与 only when every part reads as a named entity, so
    谢庄村和杨西村 is two villages and 城乡建设和交通运输局 stays one bureau."""
    out: list[str] = []
    for chunk in (c for c in re.split(r"[、,，]", text) if c):
        parts = [p for p in split_list(chunk) if p]
        out += parts if len(parts) > 1 and all(_looks_like_entity(clean_name(p)) for p in parts) else [chunk]
    return out


class AwardExtractor:
    name: ClassVar[str] = "awards"

    def extract(self, doc, context: Context) -> list[AwardMention]:
        out: list[AwardMention] = []
        seen: set[tuple[str, str]] = set()
        for sentence in sentences_with(doc, "AWARD"):
            if sentence.section != SECTION_REVIEW:
                continue
            for mention in self.sentence_facts(sentence, context):
                key = (mention.recipient, mention.award)
                if key not in seen:
                    seen.add(key)
                    out.append(mention)
        return out

    def sentence_facts(self, sentence: Sentence, context: Context) -> list[AwardMention]:
        r = rules()
        out: list[AwardMention] = []
        previous: Optional[list[str]] = None
        year = context.year_for(sentence)
        for _, clause in clauses(sentence.text):
            m = r.trigger.search(clause)
            if not m:
                # A clause without a trigger may name the subject of the next one (北辰机械在…建成X，
                # 获批Y): carried over only when it reads as a named entity, not an activity.
                subject = [n for n in self._recipients(clause) if _looks_like_entity(n)]
                previous = subject or previous
                continue
            trigger = m.group("t")
            before, after = clause[: m.start()], clause[m.end():]
            if r.planned.search(before[-6:]):
                continue
            awards = [clean_award(a) for a in _split_awards(after)]
            awards = [a for a in awards if 3 <= len(a) <= 40 and not r.not_award.search(a)]
            if trigger in r.needs_level:
                awards = [a for a in awards if r.level.search(a) or r.prize.search(after)]
            if trigger in r.needs_title:
                awards = [a for a in awards if r.title.search(a)]
            if not awards:
                continue
            recipients = self._recipients(before)
            if not recipients and before.strip() == "" and previous:
                recipients = previous
            typed: list[tuple[str, str]]
            if not recipients:
                typed = [(context.district, "District")] if context.district else []
            else:
                typed = [(n, recipient_type(n, awards[0])) for n in recipients]
            for award in awards:
                for name, type_ in typed:
                    out.append(AwardMention(name, type_, award, year, evidence(sentence)))
            previous = recipients or previous
        return out

    @staticmethod
    def _recipients(text: str) -> list[str]:
        r = rules()
        text = r.focus.sub("", text)
        text = r.counted.sub("", text)
        if not text or r.district.match(text):
            return []
        if re.search(r"\d", text):
            return []  # 办复率100%, 提案125件: a count or a rate, not a recipient
        names = []
        for part in _split_recipients(text):
            name = clean_name(part)
            name = r.place.sub("", name)
            if not 2 <= len(name) <= 30:
                continue
            if r.activity.search(name) and not _looks_like_entity(name):
                return []
            names.append(name)
        return names
