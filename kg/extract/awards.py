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
from typing import ClassVar, Optional

from kg.extract.base import Context, clauses, evidence, sentences_with
from kg.extract.names import clean_name, split_list
from kg.lexicon import compiled_rules, load
from kg.model import AwardMention
from kg.structure import SECTION_PLAN, SECTION_REVIEW, Sentence

_HAN = r"[\u4e00-\u9fff]"
_CN_NUM = r"[一二两三四五六七八九十百]"


@dataclass(frozen=True)
class _Rules:
    trigger: re.Pattern
    needs_level: frozenset
    needs_title: frozenset
    review_only: frozenset
    assessment: re.Pattern
    conjunction: re.Pattern
    joiner: re.Pattern
    adverb: re.Pattern
    respectively: re.Pattern
    with_previous: re.Pattern
    counted_recipients: re.Pattern
    counted_award: re.Pattern
    conjunction_end: re.Pattern
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


def _rules() -> _Rules:
    lex = load("awards")
    t = "trigger."
    trigger = re.compile(
        rf"(?P<t>{lex.alt(t + 'conferred')}|"
        rf"被(?:{_HAN}{{1,12}}?)?{lex.alt(t + 'passive_issuer')}|被{lex.alt(t + 'passive')}为?|"
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
        review_only=frozenset(lex.words(t + "review_only")),
        assessment=re.compile(lex.alt(t + "assessment")),
        conjunction=re.compile(f"^{lex.alt(t + 'conjunction')}?$"),
        joiner=re.compile(lex.alt("award.joiner")),
        adverb=re.compile(f"(?:{lex.alt('recipient.adverb')}|{lex.regex('patterns.repeat')})+$"),
        respectively=re.compile(f"{lex.alt('recipient.respectively')}$"),
        with_previous=re.compile(f"^{lex.alt('recipient.with_previous')}"),
        counted_recipients=re.compile(lex.regex("patterns.counted_recipients")),
        counted_award=re.compile(lex.regex("patterns.counted_award")),
        conjunction_end=re.compile(f"{lex.alt(t + 'conjunction')}$"),
        level=re.compile(f"{lex.alt('award.level')}|{lex.regex('patterns.level')}"),
        prize=re.compile(lex.alt("award.prize")),
        not_award=re.compile(
            f"{lex.alt('award.not_award')}|{lex.alt('award.not_award_end')}$|{lex.regex('patterns.not_award')}"),
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


rules = compiled_rules(_rules, "awards")  # the award rules compiled from the lexicon in effect


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
    r = rules()
    text = re.sub(r"[”\"]\s*[“\"]", "、", text)  # “A”“B”: two quoted titles side by side
    parts = [p for p in text.split("、") if p]
    if len(parts) > 1 and all(len(p) >= 5 and not r.level_only.fullmatch(p) for p in parts):
        pass
    elif len(parts) > 1 and any(len(p) < 5 for p in parts):
        parts = ["".join(parts)]
    out: list[str] = []
    for part in parts:
        out += _split_joined(part)
    return out


def _split_joined(text: str) -> list[str]:
    """A和B as two titles when both halves read as titles of their own (…之乡和…之乡, …示范县和…试点县)."""
    r = rules()
    for m in r.joiner.finditer(text):
        left, right = clean_award(text[: m.start()]), clean_award(text[m.end():])
        if len(left) < 5 or len(right) < 5:
            continue
        if left[-1] == right[-1] or (r.title.search(left) and r.title.search(right)):
            return [text[: m.start()]] + _split_joined(text[m.end():])
    return [text]


def _looks_like_entity(name: str) -> bool:
    """A name ending in a word that names a kind of entity (村, 社区, 小学, 局, 公司 …)."""
    return any(p.search(name) for _, p in rules().types)


def _split_recipients(text: str) -> list[str]:
    """Split a recipient list at 、; at 和/及/与 only when every part reads as a named entity, so
    甲庄村和乙西村 is two villages and 城乡建设和交通运输局 stays one bureau."""
    out: list[str] = []
    for chunk in (c for c in re.split(r"[、,，]", text) if c):
        parts = [p for p in split_list(chunk) if p]
        out += parts if len(parts) > 1 and all(_looks_like_entity(clean_name(p)) for p in parts) else [chunk]
    return out


# _recipients' fixed patterns, compiled once.
_FROM_BEI = re.compile(r"被.*$")
_BOOK_AT_END = re.compile(r"《([^《》]+)》$")
_FROM_ZAI = re.compile(r"(?<=[\u4e00-\u9fff”])在.*$")
_DIGIT = re.compile(r"\d")
_QUOTED = re.compile(r"“[^”]*”")


class AwardExtractor:
    name: ClassVar[str] = "awards"

    def extract(self, doc, context: Context) -> list[AwardMention]:
        out: list[AwardMention] = []
        seen: set[tuple[str, str]] = set()
        for sentence in sentences_with(doc, "AWARD"):
            if sentence.section == SECTION_PLAN:
                continue  # the plan part's titles are aims (other parts: only past-tense triggers)
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
        pending: Optional[str] = None  # a clause without a trigger: its subject is `previous`, read when asked
        year = context.year_for(sentence)
        in_review = sentence.section == SECTION_REVIEW
        for _, clause in clauses(sentence.text):
            found = False
            for before, trigger, after, carried in self._conferrals(clause):
                found = True
                if not in_review and trigger in r.review_only:
                    continue
                if r.planned.search(before[-6:]):
                    continue
                if r.counted_recipients.search(r.counted.sub("", before)):
                    continue  # 6家单位入选…: the titles of counted, unnamed recipients
                if r.counted_award.search(clean_name(after)):
                    continue  # 获评…企业5家: titles of counted, unnamed recipients
                awards = [clean_award(a) for a in _split_awards(after)]
                awards = [a for a in awards if 3 <= len(a) <= 40 and not r.not_award.search(a)]
                if trigger in r.needs_level:
                    awards = [a for a in awards if r.level.search(a) or r.prize.search(after)]
                if trigger in r.needs_title:
                    awards = [a for a in awards if r.title.search(a)]
                if r.assessment.search(after):
                    awards = []  # 通过…评估: an assessment passed, not a title conferred
                if not awards:
                    continue
                pairwise = bool(r.respectively.search(before))
                recipients = carried if carried is not None else self._recipients(before)
                if pending is not None and ((carried is None and r.with_previous.match(before))
                                            or (not recipients and r.conjunction.match(before.strip()))):
                    previous, pending = self._subject(pending), None
                if carried is None and r.with_previous.match(before) and previous:
                    recipients = previous + recipients  # A获评X，与B、C同获Y
                elif not recipients and r.conjunction.match(before.strip()) and previous:
                    recipients = previous
                recipients = [self._district_alias(n, context) for n in recipients]
                typed: list[tuple[str, str]]
                if not recipients:
                    typed = [(context.district, "District")] if context.district else []
                else:
                    typed = [self._typed(n, awards[0], context) for n in recipients]
                if pairwise and len(typed) == len(awards) > 1:
                    pairs = list(zip(typed, awards))
                else:
                    pairs = [(t, a) for a in awards for t in typed]
                for (name, type_), award in pairs:
                    out.append(AwardMention(name, type_, award, year, evidence(sentence)))
                if recipients:
                    previous, pending = recipients, None
            if not found:
                # A clause without a trigger may name the subject of the next one (北辰机械在…建成X，
                # 获批Y): read (by _subject) only when a later clause asks for it.
                previous, pending = None, clause
        return out

    def _subject(self, clause: str) -> Optional[list[str]]:
        """The subject a clause without a trigger hands to the next one: its recipients that read as named
        entities, not activities (None when there are none). Any other clause in between ends the carry
        (A获评X，产值增长8%，获评Y: Y is the district's)."""
        r = rules()
        return [n for n in self._recipients(clause) if _looks_like_entity(n) and not r.activity.search(n)] or None

    @staticmethod
    def _conferrals(clause: str) -> list[tuple[str, str, str, Optional[list[str]]]]:
        """(before, trigger, after, carried recipients) for each conferral in a clause. A later trigger
        starts a conferral of its own when only a conjunction (获评X并入选Y: same recipients) or a new
        subject after 、 (A获评X、B确定为Y) stands between; otherwise it is part of the award text."""
        r = rules()
        matches = list(r.trigger.finditer(clause))
        if not matches:
            return []
        out: list[list] = []
        cut = 0  # where the current conferral's recipient text starts
        for m in matches:
            if not out:
                out.append([clause[: m.start()], m.group("t"), m.end(), None])
                continue
            gap = clause[out[-1][2]: m.start()]
            conj = r.conjunction_end.search(gap)
            if conj and conj.group() and gap[: conj.start()].strip():
                out[-1].append(out[-1][2] + conj.start())
                out.append(["", m.group("t"), m.end(), "same"])
            elif "、" in gap and 2 <= len(gap[gap.rfind("、") + 1:]) <= 12 \
                    and not r.level.search(gap[gap.rfind("、") + 1:]):
                out[-1].append(out[-1][2] + gap.rfind("、"))
                out.append([gap[gap.rfind("、") + 1:], m.group("t"), m.end(), None])
        result = []
        carried: Optional[list[str]] = None
        for item in out:
            before, trigger, start, mode = item[:4]
            stop = item[4] if len(item) > 4 else len(clause)
            after = clause[start:stop]
            if mode == "same":
                result.append((before, trigger, after, carried))
            else:
                carried = AwardExtractor._recipients(before) if before else None
                result.append((before, trigger, after, None))
        return result

    @staticmethod
    def _typed(name: str, award: str, context: Context) -> tuple[str, str]:
        if name == context.district:
            return name, "District"
        type_ = recipient_type(name, award)
        if type_ == "Person":
            name = rules().person.match(name).group(1)  # 优秀教师王某: the person's name
        return name, type_

    @staticmethod
    def _district_alias(name: str, context: Context) -> str:
        """新安 for 新安县: the district's short name is the district."""
        district = context.district or ""
        return district if name and len(district) >= 3 and name == district[:-1] else name

    @staticmethod
    def _recipients(text: str) -> list[str]:
        r = rules()
        text = r.focus.sub("", text)
        text = _FROM_BEI.sub("", text)  # 县司法局被某协会评为: the recipient stands before 被
        book = _BOOK_AT_END.search(text)
        if book:
            return [book.group(1)]  # 《某某年鉴》获评…: the book
        text = _FROM_ZAI.sub("", text)  # 北辰机械在全省率先建成…: the firm
        text = r.with_previous.sub("", text)
        prev = None
        while prev != text:
            prev, text = text, r.adverb.sub("", text)
        text = r.counted.sub("", text)
        if text and r.district.match(text):
            text = r.district.sub("", text)  # 我县康养食品产业集群: the cluster; 我县 alone: the district
        if not text:
            return []
        if _DIGIT.search(_QUOTED.sub("", text)):
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
