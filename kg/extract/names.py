"""Shared name-shape rules: where a name starts and ends, and whether it names one specific thing.

Used by the project, award and investment extractors. Everything here is a pattern over name shapes
(leading verbs, counts, list markers, facility suffixes), not a list of names from any report. The words
are data (``kg/lexicons/names.toml``), compiled on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.base import per_report
from kg.lexicon import compiled_rules, joined, load
from kg.normalize import normalize_name, strip_project_suffix

CN = r"[\u4e00-\u9fff]"
NUM_CN = r"[一二两三四五六七八九十百]"  # Chinese numerals of a count

# Patterns with no lexicon words in them, compiled once.
_BRACKET_END = re.compile(r"[（(][^）)]*[）)]$")
_PHASE_END = re.compile(r"[一二三四五六七八九十\d]期$")
_LIST_NUMBER = re.compile(r"^[（(]?[一二三四五六七八九十\d]{1,3}[)）]")
_OUTER_MARKS = re.compile(r"^[“”\"'（(]+|[”\"'）)]+$")
_QUOTED_NUMERAL = re.compile(rf"[“\"]{NUM_CN}")
TRAILING_DENG = re.compile(r"等$")
_PUNCTUATION = re.compile(r"[，。；：！？]")


@dataclass(frozen=True)
class _Rules:
    leading_one: re.Pattern  # one leading word (stripped one at a time)
    list_sep: re.Pattern
    generic: re.Pattern
    count_inside: re.Pattern
    verb_inside: re.Pattern
    not_a_project: re.Pattern
    verb_start: re.Pattern
    street: re.Pattern
    superlative: re.Pattern
    trailing_count: re.Pattern
    zone: re.Pattern  # an area before 的: a planning zone follows
    generic_mod: str  # regex fragments, for callers that add their own facility words
    generic_head: str
    generic_word: str
    work_end: re.Pattern
    object_end: str


def _rules() -> _Rules:
    lex = load("names")
    leading_word = f"(?:{lex.alt('leading')}|{lex.regex('patterns.leading')})"
    generic_mod = lex.alt("generic.modifiers")
    cn_count = f"{NUM_CN}+{lex.alt('count_units_cn')}"
    not_project = "|".join([
        lex.alt("not_project.contains"), lex.regex("patterns.not_project"),
        f"{lex.alt('not_project.ends')}$", f"^{lex.alt('not_project.starts')}",
        f"{lex.alt('not_project.demonstration')}$",
    ])
    return _Rules(
        leading_one=re.compile(f"^{leading_word}"),
        list_sep=re.compile(rf"[、,，]|(?<={CN}){lex.alt('conjunctions')}(?={CN})"),
        generic=re.compile(f"^(?:{lex.alt('generic.category')})+(?:项目|工程)?$"),
        count_inside=re.compile(rf"\d+(?:\.\d+)?万?{lex.alt('count_units')}|\d+条(?!线)|{cn_count}"),
        verb_inside=re.compile(lex.alt("verb_inside")),
        not_a_project=re.compile(not_project),
        verb_start=re.compile("^" + lex.alt("verb_start")),
        street=re.compile(f"{CN}{{2}}{lex.alt('street')}"),
        superlative=re.compile(
            f"^{lex.alt('superlative.scope')}(?:规模)?{lex.alt('superlative.words')}(?:规模|的)*"),
        zone=re.compile(rf"\d+(?:\.\d+)?(?:{lex.alt('zone_units')})的"),
        trailing_count=re.compile(rf"(?:等)?(?:\d+|{NUM_CN}+){lex.alt('counters')}$"),
        generic_mod=generic_mod,
        generic_head=lex.alt("generic.heads"),
        generic_word=f"(?:{generic_mod}|{lex.alt('generic.words')})",
        work_end=re.compile(f"{lex.alt('work.modifiers')}*{lex.alt('work.verbs')}+$"),
        object_end=lex.alt("work.object_ends"),
    )


rules = compiled_rules(_rules, "names")


@per_report
def generic_only(text: str, facility: str) -> bool:
    """True when ``text`` is made only of generic words (农村公路, 背街小巷, 中心城区, 智能化)."""
    r = rules()
    return bool(text) and bool(joined("(?:", r.generic_word, "|", facility, "|", r.generic_head, ")+").fullmatch(text))


@per_report
def unspecific_work(name: str, facility: str, *, explicit: bool = False) -> bool:
    """True for work without a named object: 智能化改造, 中心城区亮化改造, 农村公路提质改造 (but 青石巷改造,
    青龙河治理 are specific). The object must end in a facility word (路, 河, 村, 矿 …) and not be made only of
    generic words; when the text itself calls the work a 项目/工程 (``explicit``), any object that is not
    only generic words will do (天宏选煤清洁技术改造项目)."""
    r = rules()
    m = r.work_end.search(name)
    if not m:
        return False
    head = name[: m.start()]
    head = _BRACKET_END.sub("", head)
    if not head or generic_only(head, facility):
        return True
    if explicit or _PHASE_END.search(head):
        return False
    return not re.search(rf"(?:{facility}|{r.object_end})$", head)


@per_report
def is_generic_facility(name: str, facility: str) -> bool:
    """True for a facility name built only of generic words (口袋公园, 人才公寓, 道路, 储能电站)."""
    r = rules()
    return bool(joined(r.generic_mod, "*(?:", facility, "|", r.generic_head, ")").fullmatch(name))



@per_report
def clean_name(raw: str) -> str:
    """Strip a candidate name's leading verbs and surrounding marks."""
    r = rules()
    name = normalize_name(raw)
    # 全市最大规模…, 全省首个…: a superlative before a name is not part of it.
    name = r.superlative.sub("", name)
    name = _LIST_NUMBER.sub("", name)
    # NFKC has made full-width brackets ASCII: a closing bracket that closes a note (一期) stays.
    name = _OUTER_MARKS.sub("", name) if not _BRACKET_END.search(name) else name
    prev = None
    while prev != name:
        prev = name
        stripped = r.leading_one.sub("", name, count=1)
        # 建设路, 发展大道: a verb that opens a short street name is part of it.
        name = stripped if len(stripped) >= 2 or not stripped else name
    return name.strip("、，。；：“”")


def _numbered_slogan(raw: str) -> bool:
    """True when the name (after its leading verbs, after the last 的) opens with a quoted numeral: “三大”…"""
    r = rules()
    text = raw[raw.rfind("的") + 1:]
    prev = None
    while prev != text:
        prev = text
        text = r.leading_one.sub("", text, count=1)
    return bool(_QUOTED_NUMERAL.match(text))


@per_report
def project_name(raw: str) -> str | None:
    """A clean project name, or None when the candidate is not one specific project."""
    r = rules()
    # “四好农村路”提升, “一河两湖”片区: a name that opens with a quoted numeral slogan names a campaign (a count
    # of kinds of work), not one undertaking (but X及“三路”整治 is X's).
    if _numbered_slogan(raw):
        return None
    # 打造16平方公里的X产业园区: a zone measured in square kilometres is a planning area (guideline: not a project).
    if r.zone.search(raw):
        return None
    name = clean_name(raw)
    # 总投资3000万元的数字经济产业园, 13公里的和美乡村示范环线: the name follows the last 的.
    if "的" in name:
        name = clean_name(name[name.rfind("的") + 1:])
    name = r.trailing_count.sub("", name)
    name = TRAILING_DENG.sub("", name)
    name = strip_project_suffix(name)
    if not 3 <= len(name) <= 40:
        return None
    if r.generic.match(name) or r.count_inside.search(name) or r.verb_inside.search(name):
        return None
    if _PUNCTUATION.search(name) or name[0] in "等及与的":
        return None
    # X中心(一期: a bracket the clause split left open is a broken name, not a name.
    if name.count("(") != name.count(")"):
        return None
    # Goals, rankings and titles rather than undertakings: 全国…示范区, 三类500强, 服务型政府.
    street = r.street.fullmatch(name)
    if r.not_a_project.search(name) or (r.verb_start.match(name) and not street):
        return None
    return name


def split_list(text: str) -> list[str]:
    return [part for part in rules().list_sep.split(text) if part]
