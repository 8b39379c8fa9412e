"""District undertakes project.

Three pattern families, each over one clause (text between ，；。：):

- explicit (the text calls them 项目/工程): ``A、B等N个项目开工建设``, ``实施了A等煤焦化工项目、B等现代化工
  项目``, ``A、B、C 3个保交楼项目``, ``签约A、B等亿元以上项目27个``, ``X项目建成投产``, ``实施X工程``;
- categorised lists (``A、B等N条道路加快建设``, ``整治A、B等背街小巷8条``, ``A、B等问题楼盘复工建设``):
  the items before 等 + a facility category, in a clause with a construction verb (not explicit);
- named facilities next to a construction verb: ``工业九路建成通车``, ``北岭小学、南湖幼儿园建成投用``,
  ``推进青松湖文化公园建设`` → the names ending in a facility word (路, 园, 小学, 医院, 站 …);
- places sharing the last item's work: ``城东、北庄村棚户区改造`` → 城东棚户区改造, 北庄村棚户区改造;
- the glossary: an entry describing a site or a project (``X产业园：位于…``), or a counted category's items
  (``13所学校：包括A、B、C``).

Each pattern yields :class:`Candidate` name lists tagged with their shape; :func:`_decide` keeps or drops
each name (generic words only, a counted kind, work without a named object).

Name boundaries: leading verbs and adverbs are stripped (names.clean_name), trailing work words
(建设, 主体, 提质升级 …) and aspect words (正式, 基本 …) are cut, and candidates with counts, clause verbs,
goals or titles inside are rejected (names.project_name). Shared suffixes are distributed
(``甲孟村、乙城村棚改`` → 甲孟村棚改, 乙城村棚改). The status comes from the clause's verbs and the
report part: 签约 → Signed; 建成/投产/竣工 → Completed (review part); 开工/加快/推进 → Underway;
谋划/规划 or the plan part → Planned. Every word list is data (``kg/lexicons/projects.toml``), compiled on
first use (:func:`rules`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import ClassVar, NamedTuple, Optional

from kg.extract.base import Context, clauses, evidence, memo_clear, per_report, sentences_with
from kg.extract.names import (TRAILING_DENG, clean_name, generic_only, is_generic_facility, project_name,
                            unspecific_work)
from kg.extract.names import rules as name_rules
from kg.lexicon import compiled_rules, joined, load
from kg.normalize import strip_project_suffix
from kg.model import ProjectMention
from kg.structure import SECTION_GLOSSARY, SECTION_PLAN, SECTION_REVIEW, Sentence

CN = r"[\u4e00-\u9fff]"
NUM = r"(?:\d+|[一二两三四五六七八九十百]+)"  # a count, in digits or Chinese numerals
PHASE = r"[一二三四五六七八九十\d]期"

# Patterns with no lexicon words in them, compiled once.
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
_DE_OR_DIGIT_END = re.compile(r"[的之]$|\d$")
_SENTENCE_MARKS = re.compile(r"[，。；]")
_CONJUNCTION = re.compile("[和及与]")
_CONJUNCTION_END = re.compile(r"[和及与]$")
_CATEGORY_HEAD = re.compile(r"[\u4e00-\u9fff\d]{1,12}")
_PHRASE = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,16}")
_DIGIT_OR_QUOTE = re.compile(r"[\d‘’“”]")
_DENG_TAIL = re.compile(r"等([\u4e00-\u9fff]{1,8})")
_DIGIT = re.compile(r"\d")
_JOINER = re.compile(r"[和及与的等]")
_CN_START = re.compile(CN)
_QUOTE_MARKS = re.compile(r"[“”\"'‘’《》「」]")


@dataclass(frozen=True)
class _Rules:
    signed: re.Pattern
    completed: re.Pattern
    underway: re.Pattern
    planned: re.Pattern
    ongoing: re.Pattern
    plan_continuing: re.Pattern
    plan_new: re.Pattern
    build_verb: re.Pattern  # a construction clause
    clause_verb: re.Pattern  # separates a name from the rest of its clause
    facility: str  # regex fragment: facility nouns and work words that end a specific undertaking's name
    facility_noun: str  # … the facility nouns alone: what a generic name may be built of
    facility_end: re.Pattern
    adverbs: re.Pattern
    leading_run: re.Pattern
    category: re.Pattern
    category_work: re.Pattern
    category_noun: re.Pattern
    category_lead: re.Pattern
    shared_suffix: re.Pattern
    own_work: re.Pattern
    marker: re.Pattern
    not_category: re.Pattern
    work_tail: re.Pattern
    governing: re.Pattern
    awarded: re.Pattern
    components: re.Pattern  # a clause listing a project's parts (主要建设A、B)
    merge_tail: re.Pattern
    merge_part: re.Pattern
    marker_before_phase: re.Pattern
    towards: re.Pattern
    project_count: str
    counted_list: re.Pattern
    counted_before: re.Pattern
    quantity: re.Pattern
    facility_count: str
    count_after: str
    governing_verb: re.Pattern  # verbs that govern a list of names (对接, 建设, 争取)
    counted_after: re.Pattern  # a count right after a marker (项目4个, 项目达51个)
    slogan_verb: re.Pattern  # a verb right before a marker that makes a slogan (抓项目)
    counted_category: re.Pattern  # a glossary title that counts a category (13所农村寄宿制学校)
    list_opener: re.Pattern
    place_end: re.Pattern  # what a place name ends in (城东村, 响水社区)
    linear_end: re.Pattern  # a street or a river, which shares a list's work (A路、B街雨污分流)
    entry_project: re.Pattern  # an entry body that calls its title a project
    entry_site: re.Pattern  # … or describes it as a site (位于, 占地)
    work_end: re.Pattern  # a name that ends in a work word (X改造, Y治理)
    category_count: str  # measure words of a count of facilities of one kind (两个公园, 3所学校)
    length_unit: str  # units of a length (公里, 米)
    list_verbs: re.Pattern  # the verbs that open a list and govern its items (建设提升A、B…)
    status_tail: re.Pattern  # status words between 等 and 项目 (等签约项目, 等新开工项目)
    class_lead: re.Pattern  # words opening a class of things rather than a work (重点区域, 主要路口)
    approx_count: str  # an uncounted number of things (多条, 数个)
    work_only: re.Pattern  # a phrase made only of work words (综合治理, 改造提升, 建设)
    verb_after: re.Pattern  # a construction verb right after a list's tail (aspect words between)
    list_tail_end: str  # what else may end the work a list shares (A、B等道路照明设施)


def _rules() -> _Rules:
    lex = load("projects")
    nouns = f"(?:{lex.alt('facility.nouns')}|{lex.regex('patterns.facility')})"
    facility = f"(?:{nouns}|{lex.alt('facility.work')})"
    marker = lex.alt("marker.words")
    project_count = f"{NUM}{lex.alt('count.projects')}"
    aspect = f"(?:{lex.alt('tail.aspect')}|{lex.regex('patterns.tail')})"
    awarded_get = f"{lex.alt('verbs.awarded_get')}[^，；。]{{0,20}}{lex.alt('verbs.award_objects')}"
    return _Rules(
        signed=re.compile(lex.alt("status.signed")),
        completed=re.compile(lex.alt("status.completed")),
        underway=re.compile(lex.alt("status.underway")),
        planned=re.compile(lex.alt("status.planned")),
        ongoing=re.compile(lex.alt("status.ongoing")),
        plan_continuing=re.compile(lex.alt("status.plan_continuing")),
        plan_new=re.compile(lex.alt("status.plan_new")),
        build_verb=re.compile(lex.alt("verbs.build")),
        clause_verb=re.compile(f"{lex.alt('verbs.clause')}|^{lex.alt('verbs.clause_initial')}"),
        facility=facility,
        facility_noun=nouns,
        facility_end=re.compile(facility + r"(?:[（(][^）)]{1,12}[）)])?$"),
        adverbs=re.compile(f"^{lex.alt('verbs.adverbs')}+"),
        leading_run=re.compile(f"^{lex.alt('verbs.adverbs')}*{lex.alt('verbs.governing_run')}+"),
        category=re.compile(
            rf"^(?:\d+|[一二两三四五六七八九十百]+)?(?:余|多)?{lex.alt('count.categories')}?{CN}{{0,6}}?"
            rf"{lex.alt('facility.categories')}(?:\d+{lex.alt('count.categories')}|\d+(?:\.\d+)?{lex.alt('count.length')})?$"),
        category_work=re.compile(lex.alt("facility.category_work")),
        category_noun=re.compile(lex.alt("facility.categories")),
        category_lead=re.compile("^" + lex.alt("facility.category_lead")),
        shared_suffix=re.compile(f"({lex.alt('facility.shared_suffix')})$"),
        own_work=re.compile(f"{lex.alt('facility.own_work')}|{lex.regex('patterns.own_work')}"),
        marker=re.compile(f"{marker}(?!{lex.alt('marker.not_before')})"),
        not_category=re.compile(lex.alt("marker.not_category")),
        work_tail=re.compile(f"(?:{marker}?(?:主体)?(?:工程)?{lex.alt('tail.work')}|{aspect})+$"),
        governing=re.compile("^" + lex.alt("verbs.list_governing")),
        awarded=re.compile(f"{lex.alt('verbs.awarded')}|{awarded_get}"),
        components=re.compile(f"^{lex.alt('verbs.components')}"),
        merge_tail=re.compile(f"{lex.alt('tail.merge')}+$"),
        merge_part=re.compile(f"(?:{lex.regex('patterns.merge_part')}|(?<={CN}{{3}}){lex.alt('tail.part')})$"),
        marker_before_phase=re.compile(f"{marker}(?={PHASE}$)"),
        towards=re.compile(rf"(?<={CN}{{2}})向(?:[东南西北]|{lex.alt('tail.towards')}){CN}*$"),
        project_count=project_count,
        counted_list=re.compile(f"等{project_count}"),
        counted_before=re.compile(f"{project_count}{CN}{{0,12}}$"),
        quantity=re.compile(rf"(?<=[\u4e00-\u9fff）)期])(?<!{lex.alt('count.approx')})\d+(?:\.\d+)?万?"
                            rf"{lex.alt('count.quantity')}"),
        facility_count=f"{NUM}{lex.alt('count.facilities')}",
        count_after=lex.alt("count.after"),
        governing_verb=re.compile(lex.alt("verbs.build", "verbs.governing")),
        counted_after=re.compile(rf"^(?:{lex.alt('count.approx')})?{NUM}(?:余|多)?{lex.alt('count.projects', 'count.facilities')}"),
        slogan_verb=re.compile(r"(?<![以之])" + lex.alt("marker.slogan_verbs") + "$"),  # not 以上
        counted_category=re.compile(rf"^{NUM}{lex.alt('count.categories')}{CN}{{0,10}}{lex.alt('facility.categories', 'facility.nouns')}$"),
        list_opener=re.compile("^" + lex.alt("glossary.list_openers")),
        place_end=re.compile(lex.alt("facility.place_ends") + "$"),
        linear_end=re.compile(lex.alt("facility.linear") + "$"),
        entry_project=re.compile(f"^(?:{lex.alt('anaphor')})?{marker}"),
        entry_site=re.compile("^" + lex.alt("glossary.site")),
        work_end=re.compile(f"(?:{lex.alt('facility.work')})$"),
        category_count=lex.alt("count.categories"),
        length_unit=lex.alt("count.length"),
        list_tail_end=lex.alt("facility.list_tail_ends"),
        approx_count=lex.alt("count.uncounted"),
        class_lead=re.compile("^" + lex.alt("facility.class_leads")),
        status_tail=re.compile(rf"(?:{NUM}(?:个|项))?(?:{lex.alt('marker.status_words')})+"),
        work_only=re.compile(f"(?:{lex.alt('facility.work', 'facility.category_work', 'tail.work')}|{load('names').alt('work.modifiers', 'work.verbs')})+"),
        verb_after=re.compile(f"^(?:{aspect}|{lex.alt('verbs.adverbs')})*(?:{lex.alt('verbs.clause')})"),
        list_verbs=re.compile(f"^(?:{lex.alt('verbs.clause', 'verbs.clause_initial', 'verbs.adverbs', 'facility.category_lead', 'facility.work')})+(?={CN}{{2}})"),
    )


rules = compiled_rules(_rules, "projects")


_HEADING = re.compile(r"^[（(]?[一二三四五六七八九十\d]{1,3}[）)、.][^。；]*$")
_PHASE_AFTER = re.compile(rf"^({PHASE})")
_PHASES = re.compile(PHASE)
_STATUS_RANK = {"Completed": 4, "Underway": 3, "Signed": 2, "Planned": 1, None: 0}


@per_report
def _merge_key(name: str) -> str:
    r = rules()
    name = r.marker_before_phase.sub("", name)  # X项目二期 = X二期
    # Suffixes that never change the referent: 康养园区 = 康养园, 青年路小学本部 = 青年路小学.
    name = r.merge_part.sub("", name)
    return r.merge_tail.sub("", _BRACKETED.sub("", name)) or name


def _same_as(name: str, known: list[str], keys: Optional[dict[str, str]] = None) -> str:
    """The key of an earlier mention of the same project: equal once a bracketed note and a trailing
    work word are dropped (青溪河（某某区段）防洪治理 = 青溪河防洪治理, 青龙河 = 青龙河治理). Never fuzzy.
    ``keys`` keeps the merge keys of ``known`` across calls (one report's)."""
    keys = {} if keys is None else keys
    key = _merge_key(name)
    long_key = len(key) >= 4
    n = len(key)
    first, last = key[:1], key[-1:]
    phases = None
    for other in known:
        okey = keys.get(other)
        if okey is None:
            okey = keys[other] = _merge_key(other)
        if okey == key:
            return other
        # (a key that ends the other or the other's extends it shares its last or its first character)
        if not long_key or len(okey) < 4 or (okey[-1] != last and okey[0] != first):
            continue
        # 青禾储能电站 = 青禾储能, 远帆电池材料生产 = 远帆电池材料: a long name and the same name with a
        # short word after it (a longer tail names another facility: 某园区配套道路).
        short, long_ = (key, okey) if n <= len(okey) else (okey, key)
        extends = len(short) >= 6 and long_.startswith(short) and len(long_) - len(short) <= 2
        if key.endswith(okey) or okey.endswith(key) or extends:
            if phases is None:
                phases = set(_PHASES.findall(name))
            if phases == set(_PHASES.findall(other)):
                return other
    return name


def _status(clause: str, sentence: Sentence) -> Optional[str]:
    r = rules()
    if sentence.section == SECTION_PLAN:
        if r.plan_continuing.search(clause) and not r.plan_new.search(clause):
            return "Underway"
        return "Planned"
    if r.signed.search(clause):
        return "Signed"
    if r.planned.search(clause) and not r.completed.search(clause):
        return "Planned"
    if r.completed.search(clause) and not r.ongoing.search(clause):
        return "Completed"
    if r.underway.search(clause) or r.completed.search(clause):
        return "Underway"
    return None


def _distribute_suffix(names: list[str]) -> list[str]:
    """``A、B棚改`` → A棚改, B棚改 when only the last item carries the work word."""
    if len(names) < 2:
        return names
    r = rules()
    m = r.shared_suffix.search(names[-1])
    if not m or any(r.shared_suffix.search(n) for n in names[:-1]):
        return names
    # 甲岭大道东延、乙山路北延、丙河路改造: items that carry their own work word keep it.
    if any(r.own_work.search(n) for n in names[:-1]):
        return names
    head = names[-1][: m.start()]
    # Only when the earlier items look like the last one's head (short place or facility names).
    if not head or any(len(n) > 12 for n in names[:-1]):
        return names
    return [n + m.group(1) for n in names[:-1]] + [names[-1]]


def _distribute_tail(names: list[str]) -> list[str]:
    """``A路、B路、C街中段雨污分流工程`` → A路雨污分流, B路雨污分流, …: bare names before a last item that ends in
    a generic work (雨污分流, 中小河流治理, 镇域基础提升) share that work. The last item's own name is about as
    long as the earlier names (within two characters); the work is the longest generic tail after it.
    Unchanged when an earlier item carries a work of its own or is no short name."""
    if len(names) < 2:
        return names
    r = rules()
    last, earlier = names[-1], [clean_name(n) for n in names[:-1]]
    if any(not 2 <= len(n) <= 6 or r.work_end.search(n) or name_rules().work_end.search(n)
           or r.shared_suffix.search(n) or r.clause_verb.search(n)
           or (_specific_facility(n) and not r.linear_end.search(n)) for n in earlier):
        return names
    lo, hi = min(map(len, earlier)), max(map(len, earlier))
    # The last item's name ends like an earlier one (A矿业、B矿业…), else in a street, river or place word,
    # else it is as long as they are, else a little longer, else a little shorter.
    near = range(lo - 2, hi + 3)
    cuts = [c for c in near if any(last[c - 1: c] == n[-1] for n in earlier)]
    cuts += [c for c in near if r.linear_end.search(last[:c]) or r.place_end.search(last[:c])]
    cuts += [*range(lo, hi + 3), lo - 1, lo - 2]
    for cut in (c for c in cuts if 2 <= c <= len(last) - 3):
        tail = last[cut:]
        # The shared tail is a work (雨污分流, 河流治理), not a facility of its own (A、B园综合体).
        if re.fullmatch(f"{CN}+", tail) and _generic(tail) and not re.search(f"(?:{r.facility_noun})$", tail):
            return [n + tail for n in earlier] + [last]
    return names


def _split(body: str) -> list[str]:
    """List items: split at 、 and at 和 between two names (及/与 stay inside names; 加快和顺源…,
    13公里的和美乡村… are not split because nothing name-like stands left of 和)."""
    parts: list[str] = []
    for chunk in body.split("、"):
        pieces = chunk.split("和")
        cur = pieces[0]
        for piece in pieces[1:]:
            left = clean_name(cur)
            if len(left) >= 2 and not _DE_OR_DIGIT_END.search(left) and len(piece) >= 2:
                parts.append(cur)
                cur = piece
            else:
                cur = cur + "和" + piece
        parts.append(cur)
    return [p for p in parts if p]


@per_report
def _cut_tail(name: str) -> str:
    r = rules()
    # 新区污水管网向东连通至…: a direction phrase (向 + where + verb) ends the name before it.
    name = r.towards.sub("", name)
    prev = None
    while prev != name:
        prev = name
        name = r.work_tail.sub("", name)
    return name


class ProjectExtractor:
    name: ClassVar[str] = "projects"

    def extract(self, doc, context: Context) -> list[ProjectMention]:
        memo_clear()  # name-shape answers are kept for one report
        best: dict[str, ProjectMention] = {}
        order: list[str] = []
        build = {id(s) for s in sentences_with(doc, "BUILD")}
        merge_keys: dict[str, str] = {}
        for sentence in doc._.gwr_sentences:
            if sentence.section not in (SECTION_REVIEW, SECTION_PLAN, SECTION_GLOSSARY) or _HEADING.match(sentence.text):
                continue
            if sentence.section == SECTION_GLOSSARY:
                # A glossary describes its entries: their parts and neighbours are no projects of the report.
                mentions = glossary_facts(sentence, context)
                if glossary_title(sentence.text) is None and id(sentence) in build:
                    # … but an entry's own counted list of projects (现已引入A、B等5个项目) is the report's.
                    mentions = [m for m in self.sentence_facts(sentence, context, counted_only=True)]
            else:
                mentions = self.sentence_facts(sentence, context) if id(sentence) in build else []
            for mention in mentions:
                key = _same_as(mention.name, order, merge_keys)
                old = best.get(key)
                if old is None:
                    best[key] = mention
                    order.append(key)
                elif _STATUS_RANK[mention.status] > _STATUS_RANK[old.status] and old.evidence.start != mention.evidence.start:
                    best[key] = ProjectMention(key, old.surface, mention.status, mention.year,
                                               old.explicit or mention.explicit, mention.evidence)
                if old is not None and len(mention.name) < len(key) and key.startswith(mention.name):
                    # 青禾储能电站, later 青禾储能: the shorter name is the one that names the whole.
                    best[mention.name] = replace(best.pop(key), name=mention.name)
                    order[order.index(key)] = mention.name
        return [best[k] for k in order]

    def sentence_facts(self, sentence: Sentence, context: Context, counted_only: bool = False) -> list[ProjectMention]:
        r = rules()
        out: list[ProjectMention] = []
        year = context.year_for(sentence)
        for _, clause in clauses(sentence.text):
            if counted_only and not r.counted_list.search(clause):
                continue
            if not r.build_verb.search(clause) and not r.marker.search(clause):
                continue
            if r.awarded.search(clause):
                continue  # X项目荣获…奖: an award of the project, read by the award extractor
            if r.components.match(clause):
                continue  # 主要建设A、B: the parts of the project described, not projects of their own
            found = candidates(clause)
            if not found:
                continue
            status = _status(clause, sentence)
            for cand in found:
                explicit = cand.explicit
                shared = _distribute_tail(cand.names) if cand.shape == "explicit" else cand.names
                if shared is not cand.names:
                    cand = cand._replace(names=shared, shape="shared_tail")  # specific by their own names
                surfaces = _distribute_suffix(cand.names) if cand.shape != "joined" else cand.names
                cleaned = [project_name(s) for s in surfaces]
                # 分散式风电、分布式光伏、储能电站等项目: a list of kinds of installation, not of named works.
                if len(surfaces) >= 2 and cand.shape not in ("shared_tail", "list_tail") and all(_generic(clean_name(s)) for s in surfaces):
                    continue
                for surface, name in zip(surfaces, cleaned):
                    # 冬季供暖工程, 村屯饮水工程: a name made only of generic words is an activity, not a work.
                    if name and not _decide(name, cand, clause):
                        continue
                    if name and not any(m.name == name for m in out):
                        out.append(ProjectMention(name, surface, status, year, explicit, evidence(sentence)))
        return out


# A glossary entry opens with its note marker (1. / 【2】 / （见第3页）) and its title before a colon.
_ENTRY = re.compile(r"^(?:\d{1,3}[.、．]|[【〔\[（(][^】〕\]）)]{0,8}[】〕\]）)])*\s*(?P<title>[^：:，。；、]{2,30})[：:]")


def glossary_title(text: str) -> Optional[str]:
    """The title of the glossary entry that ``text`` opens, or None when it opens none."""
    m = _ENTRY.match(text)
    return m.group("title") if m else None


def glossary_facts(sentence: Sentence, context: Context) -> list[ProjectMention]:
    """Projects a glossary entry names (guideline: a named undertaking only the glossary names counts).

    ``X产业园：位于…，总投资…`` / ``Y食品：项目总投资…`` → the title, when the entry describes a site or a
    project; ``13所农村寄宿制学校：包括A、B、C`` → the items of a counted category of facilities."""
    r = rules()
    title = glossary_title(sentence.text)
    if title is None:
        return []
    body = sentence.text[_ENTRY.match(sentence.text).end():]
    year = context.year_for(sentence)
    status = _status(body, sentence) if r.build_verb.search(body) else None
    # A note in brackets after an item (X停车场(位于…，占地…)) is no part of the list.
    listed = _BRACKETED.sub("", body)
    if r.counted_category.match(title):
        items = [_cut_tail(i) for i in _split(r.list_opener.sub("", _SENTENCE_MARKS.split(listed)[0]))]
        names = [n for n in (project_name(i) for i in items) if n and not _generic(n)]
        return [ProjectMention(n, n, status, year, False, evidence(sentence)) for n in names] if len(names) >= 2 else []
    name = project_name(title)
    if not name or _generic(name):
        return []
    explicit = bool(r.entry_project.match(body))
    if not (explicit or r.entry_site.match(body)):
        return []
    return [ProjectMention(name, title, status, year, explicit, evidence(sentence))]


class Candidate(NamedTuple):
    """A list of names one pattern found in a clause: whether the text calls them projects, and the
    pattern's shape (explicit, categorised, facility, shared_tail, glossary)."""

    names: list[str]
    explicit: bool
    shape: str


def _decide(name: str, cand: Candidate, clause: str) -> bool:
    """Whether a candidate name is one specific undertaking.

    冬季供暖工程, 村屯饮水工程: a name made only of generic words is an activity, not a work; 新建幸福院3家: a
    counted kind. A shared tail (A、B村棚户区改造) is specific by its place names."""
    r = rules()
    if _counted_kind(name, clause) or generic_only(name, r.facility_noun) or _generic_parts(name):
        return False
    if cand.shape in ("shared_tail", "list_tail"):
        return True
    return not unspecific_work(name, r.facility_noun, explicit=cand.explicit)


def _generic_parts(name: str) -> bool:
    """``城中村和老旧小区改造``, ``旅游路及配套设施``: parts joined by 和/及/与 that are each generic words only."""
    parts = _CONJUNCTION.split(name)
    category = name_rules().generic
    return len(parts) >= 2 and all(p and (_generic(p) or generic_only(p, rules().facility) or category.match(p))
                                   for p in parts)


def candidates(clause: str) -> list[Candidate]:
    """Candidate name lists in one clause, each with whether the text calls them projects."""
    found = _explicit(clause)
    if rules().build_verb.search(clause):
        found += _categorised(clause)
        if not found:
            found += _facilities(clause)
    return found


def _explicit(clause: str) -> list[Candidate]:
    """Lists and names closed by 项目/工程."""
    r = rules()
    found: list[Candidate] = []
    start = 0
    for m in r.marker.finditer(clause):
        before = clause[start: m.start()]
        start = m.end()
        phase = _PHASE_AFTER.match(clause[m.end():])
        if phase:
            start += phase.end()
        if start < len(clause) and clause[start] in "、和":
            start += 1
        body = before
        # 完成保交房项目4个, 招大引强项目9个: a count right after the marker counts a category, and
        # 大抓项目, 千方百计引项目: a one-word verb before it makes a slogan; neither names a project.
        # (A等水利工程4项: a list closed by 等 is what the count counts.)
        if (r.counted_after.match(clause[m.end():]) and "等" not in before) or r.slogan_verb.search(before):
            continue
        deng = before.rfind("等")
        counted_list = r.counted_list.match(before[deng:]) if deng >= 0 else None
        if deng >= 0 and ("、" not in before[deng:] or counted_list) and len(before) - deng <= 20:
            # 等六大方向招引产业项目: a tail with a verb or a field is not the list's category.
            # (等签约项目, 等续建项目: a status word is no verb of the tail.)
            if (r.clause_verb.search(before[deng:]) and not r.status_tail.fullmatch(before[deng + 1:])) \
                    or r.not_category.search(before[deng:]):
                continue
            body = before[:deng]
        elif deng >= 0 and before.endswith("的") and len(before) - deng <= 20:
            # A、B等强基础、利长远的项目: what follows 等 describes the list (its own 、 included).
            body = before[:deng]
        else:
            counted = r.counted_before.search(before)
            if counted:
                body = before[: counted.start()]
        # 筹划A及B、C改（扩）建项目: 及 joins a first item to a 、 list; a shared suffix belongs to the list only.
        head_group: list[str] = []
        chunks = body.split("、")
        if len(chunks) >= 2 and "及" in chunks[0]:
            left, right = chunks[0].split("及", 1)
            if len(clean_name(left)) >= 2 and len(right) >= 2 and not _generic(clean_name(right)):
                head_group = [_cut_tail(left)] if _cut_tail(left) else []
                body = "、".join([right, *chunks[1:]])
        # 围绕A项目加大招商, 压缩A、B等项目建设期: the text calls them projects, so a governing verb before
        # the list does not make them something else.
        body = r.governing.sub("", body)
        items = [_cut_tail(i) for i in _split(body)]
        items = [i for i in items if i]
        if not items:
            continue
        items[0] = _after_governing(items[0])
        if len(items) == 1 and unspecific_work(clean_name(items[0]), r.facility_noun, explicit=True):
            continue
        shape = "explicit"
        if deng >= 0 and body == before[:deng]:
            taken = _items_take_category(items, before[deng + 1:])
            # Items named by the list's work are specific by their own names (the shared-tail shape).
            shape = "shared_tail" if taken != items else shape
            items = taken
        if phase:
            # 云帆新材料项目二期: the phase belongs to the name as written, 项目 included (it is not trailing).
            items[-1] += m.group(0) + phase.group(1)
        if head_group:
            found.append(Candidate(head_group, True, "explicit"))
        found.append(Candidate(items, True, shape))
    return found


def _items_take_category(items: list[str], category: str) -> list[str]:
    """Items named by the category after 等: ``A至B、C至D等30公里农村公路改造工程`` → A至B农村公路改造 (a bare
    segment, from … to …, takes the whole category); ``A河、B河等河道水毁修复项目`` → A河水毁修复 (a facility of the
    category's kind takes the kind of work after the category noun)."""
    r = rules()
    category = re.sub(rf"^(?:{r.count_after})?\d+(?:\.\d+)?{r.length_unit}", "", category)
    if not re.fullmatch(f"{CN}{{2,10}}", category):
        return items
    segment_ok = bool(re.search(f"(?:{r.facility})$", category))
    # A、B等河道水毁修复: facilities of the category's kind (河 of 河道) take the work that follows the category
    # when it is a kind of work of its own (水毁修复), not a mere verb (新建, 建设).
    noun = r.category_noun.match(category)
    work = category[noun.end():] if noun else ""
    own_kind = (work if len(work) >= 3 and _generic(work) and name_rules().work_end.search(work)
                and not r.clause_verb.search(work) else "")
    out = []
    for i in items:
        name = clean_name(i)
        if segment_ok and re.fullmatch(f"{CN}{{2,}}至{CN}{{2,}}", name) and not _specific_facility(i):
            out.append(i + category)
        elif own_kind and _specific_facility(name) and name[-1] in noun.group(0):
            out.append(i + own_kind)
        else:
            out.append(i)
    return out


def _categorised(clause: str) -> list[Candidate]:
    """``A、B等N条道路`` (or ``A、B两个公园``, a count in place of 等) in a clause with a construction verb."""
    r = rules()
    found: list[Candidate] = []
    for m in joined(r"等|(?<=[\u4e00-\u9fff])(?=", NUM, r.category_count, ")").finditer(clause):
        counted = m.group(0) != "等"
        if counted and ("、" not in clause[: m.start()] or "等" in clause[: m.start()]):
            continue
        rest = clause[m.end():]
        shared = _list_tail(clause, m.start(), rest)
        if shared:
            found.append(shared)
            continue
        cat = _CATEGORY_HEAD.match(rest)
        if not cat:
            continue
        # The category is the longest prefix of what follows 等 that names a facility class.
        n = next((n for n in range(len(cat.group(0)), 0, -1) if r.category.match(cat.group(0)[:n])), 0)
        if not n:
            continue
        # The list is the object of a construction verb: one before it or one right after the category.
        head = clause[: m.start()]
        if not (r.clause_verb.search(rest[n: n + 8]) or r.category_work.search(rest[n: n + 8])
                or r.clause_verb.match(r.adverbs.sub("", head)) or r.category_lead.match(head)):
            continue
        items = [_cut_tail(i) for i in _split(clause[: m.start()])]
        items = [i for i in items if i and not is_generic_facility(clean_name(i), r.facility + "+")]
        # 甲坊村、乙关村等城中村改造: bare places are not the works; each place's work is the category's.
        work = r.category_work.match(rest[n:])
        noun = list(r.category_noun.finditer(cat.group(0)[:n]))
        taken = _items_take_category(items, re.split(r.marker.pattern, cat.group(0))[0])
        shape = "shared_tail" if taken != items else "categorised"  # named by the list's work: specific
        items = taken
        if work and noun:
            tail = noun[-1].group(0) + work.group(0)
            items = [i + tail if r.place_end.search(clean_name(i)) and not _specific_facility(clean_name(i)) else i
                     for i in items]
        elif counted and noun and not work and re.search(f"(?:{r.facility_noun})$", noun[-1].group(0)):
            # 建成北岭、南岗两个公园: bare names counted as facilities of one kind take its noun.
            # (建成北环、南岗两个公园: a facility of another kind names where the park is.)
            kind = noun[-1].group(0)
            items = [i if (_specific_facility(clean_name(i)) and i[-1] in kind) or r.place_end.search(clean_name(i))
                     else i + kind for i in items]
        if items:
            found.append(Candidate(items, False, shape))
    return found


def _list_tail(clause: str, start: int, rest: str) -> Optional[Candidate]:
    """``完成甲镇、乙镇3个镇区污水管网建设`` → 甲镇镇区污水管网建设, 乙镇镇区污水管网建设: a list closed by
    等 or a count, followed by a phrase that carries the work (a category and the work on it, or a facility
    that is not a category: 转运站, 过街天桥), names one work per item. An item that is itself a facility
    of the category's kind is the work's object as it stands (甲街、乙巷等背街小巷改造 → 甲街, 乙巷), and takes
    only what follows the category when that names more than work (甲路、乙路等道路照明设施 → 甲路照明设施)."""
    r = rules()
    after = re.sub(rf"^(?:{NUM}|{r.approx_count})(?:余|多)?{r.category_count}", "", rest)
    phrase = _PHRASE.match(after)
    phrase = strip_project_suffix(phrase.group(0)) if phrase else ""
    if len(phrase) < 2 or r.marker.search(phrase):
        return None  # 等N个项目, 等项目二期: the explicit reading
    # The tail ends before the first verb that leaves a facility or a work word before it (or at the end).
    ending = f"(?:{r.facility}|{r.category_work.pattern}|{r.list_tail_end})$"
    ends = [v.start() for v in r.clause_verb.finditer(phrase) if v.start() > 0] + [len(phrase)]
    tail = next((t for t in (_cut_tail(phrase[:e]) if e < len(phrase) else phrase for e in ends)
                 if re.search(ending, t)), "")
    # 等企业加强…: a tail naming a field or a kind of actor is no work; 等重点区域亮化: nor a class of places.
    if not 2 <= len(tail) <= 10 or r.not_category.search(tail) or r.class_lead.match(tail):
        return None
    # The category is the longest prefix of the tail that names a facility class.
    n = next((n for n in range(len(tail), 0, -1) if r.category.match(tail[:n])), 0)
    work = tail[n:]
    only_category = bool(n) and not _cut_tail(work)
    if n and not only_category and not re.search(ending, work):
        return None  # a category and no work (片区开发)
    work_only = bool(r.work_only.fullmatch(work))
    if not n and (work_only or not re.search(f"(?:{r.facility_noun}|{r.category_work.pattern})$|{r.work_end.pattern}", tail)):
        return None  # 等新建: a bare work word; 等过街天桥: a facility noun is needed
    # The list is the object of a construction verb: one before it or one right after the tail.
    head = clause[:start]
    if _CONJUNCTION_END.search(head):
        return None  # A、B提升和12个C: the count opens a new object
    end = rest.find(tail) + len(tail)
    if not (r.verb_after.match(rest[end:]) or r.clause_verb.match(r.adverbs.sub("", head))
            or r.category_lead.match(r.adverbs.sub("", head))):
        return None
    items = [clean_name(_cut_tail(i)) for i in _split(head)]
    if items:
        # 建设提升甲路、乙路…: the first item follows the verbs that govern the list.
        items[0] = r.list_verbs.sub("", items[0]) or items[0]
    if not items or any(not i or len(i) > 10 or r.clause_verb.search(i) or _DIGIT_OR_QUOTE.search(i) or _generic(i)
                        for i in items):
        return None
    if only_category:
        # 甲岗、乙营3个镇区污水管网建设: bare names counted take the category; named facilities are the
        # categorised reading's.
        if any(_specific_facility(i) for i in items) or after == rest:
            return None  # … and only when counted (等门前三包示范街区 is no list of places)
        return Candidate([i + tail for i in items], False, "list_tail")
    names = []
    for item in items:
        own = _specific_facility(item) and item[-1] in (tail[:n] or tail)
        if own and (work_only or not n):
            names.append(item)  # 甲河、乙河等河道综合治理; 甲园、乙园等产业园
        elif own:
            names.append(item + work)  # 甲路、乙路等道路照明设施
        else:
            names.append(item + tail)  # 甲镇、乙镇3个镇区污水管网; 甲、乙两所卫生院提升
    return Candidate(names, False, "list_tail")


def _facilities(clause: str) -> list[Candidate]:
    """Named facilities right before or after a construction verb.

    In a list ``A、B、C建成通车`` the first item is read after its last verb, the last item up to the
    earliest verb that leaves a facility name (甲岭规划二路建成通车 → 甲岭规划二路), the middle items whole.
    """
    r = rules()
    if not r.clause_verb.search(clause):
        return []
    parts = clause.split("、")
    # 推动A、B、C等企业…: a list closed by a category that is not a facility class is not a list of works.
    tail = _DENG_TAIL.search(parts[-1])
    if tail and not any(r.category.match(tail.group(1)[:n]) for n in range(len(tail.group(1)), 0, -1)):
        return []
    if len(parts) >= 2 and "及" in parts[0] and not _generic(clean_name(parts[0].split("及", 1)[1])):
        # 加快A建设及B、C改扩建: 及 joins a first item to the list (凌云公园及地下停车场 stays one).
        left, right = parts[0].split("及", 1)
        found = _facilities(left) if r.clause_verb.search(left) else []
        return found + _facilities("、".join([_leading_verb(left) + right, *parts[1:]]))
    joined = len(parts) == 1 and "和" in clause and len(_split_and(clause)) == 2
    if joined:
        parts = _split_and(clause)  # 建成甲变电站和乙变电站: two facilities joined by 和 are a list
    if len(parts) == 1 and "及" in clause:
        # 推进A中心及B队伍建设: when what follows 及 is no facility, the facility is the one before it.
        left, right = clause.split("及", 1)
        if not _specific_facility(_cut_tail(_before_verb(right) or right)):
            clause = left
    if len(parts) == 1:
        items = [x for x in (_before_verb(clause), _after_verb(clause)) if x]
        if not items and len(clause) <= 14 and _specific_facility(_cut_tail(clause)):
            items = [_cut_tail(clause)]  # 推进建设路提档升级: the verb is part of the name
        # 青石路东延和白杨路, 城东中学和城西中学教学楼: two facilities joined by 和 are two works.
        return [Candidate(_facility_pair(x), False, "facility") for x in items]
    parts = [p for part in parts for p in _split_and(part)]
    first = _after_verb(parts[0]) or parts[0]
    # 重点把A、B、C等，…: a list closed by 等 with no category after it.
    last_part = TRAILING_DENG.sub("", parts[-1])
    last = _before_verb(last_part) or _cut_tail(last_part)
    head = clean_name(_cut_tail(first))
    head = clean_name(head[head.rfind("的") + 1:])  # 完成总投资5亿元的甲片区、乙村棚户区改造
    heads = [head, *(_cut_tail(p) for p in parts[1:-1])]
    # 推进甲中心建设和乙馆搬迁: a first item with its own work shares no later one's.
    own = _cut_tail(parts[0]) != parts[0]
    shared = [] if own else _shared_tail(heads, last_part)
    if shared:
        return [Candidate(shared, False, "shared_tail")]
    # 完成甲、乙污水处理厂提标改造、丙管网建设: the places that share a work may end before the list does
    # (then the last place must end like an earlier one or in a place word: no cut by length alone).
    for j in range(len(parts) - 2, 0, -1) if not own else ():
        shared = _shared_tail(heads[:j], parts[j], uniform_ok=False)
        if shared:
            return [Candidate(shared, False, "shared_tail"),
                    *_facilities(_leading_verb(parts[0]) + "、".join(parts[j + 1:]))]
    # 推进青年路小学、乙司街小学集团化办学: when the last item is no facility, what follows the list is the
    # head noun of the whole list (the items are modifiers), so none of them is a project.
    if not _specific_facility(_cut_tail(last)):
        # … unless a construction verb follows the last item (推进A中学、B台站、C指挥平台建设): then the
        # list is the verb's object, and only the items that are no facility are left out.
        verb = r.clause_verb.search(last_part)
        rest = last_part[verb.start():] if verb and verb.start() > 0 else ""
        if not rest or re.sub(r.clause_verb.pattern, "", rest):
            return []
        last = ""
    items = [_cut_tail(i) for i in [first, *parts[1:-1], last] if i]
    items = [i for i in items if _specific_facility(i)]
    # (Two facilities joined by 和 each keep their own work: 推进甲中心建设和乙馆搬迁.)
    return [Candidate(items, False, "joined" if joined else "facility")] if items else []


def _after_governing(item: str) -> str:
    """``积极对接A``, ``投资1.5亿元建设B``, ``全程跟踪服务C`` → A, B, C: the first item of a list is read after the
    last verb that governs it, when what follows that verb is still a specific name (游客服务中心 stays whole)."""
    r = rules()
    for v in reversed(list(r.governing_verb.finditer(item))):
        rest = item[v.end():]
        name = project_name(rest)
        if name and not _generic(name):
            return rest
    return item


def _facility_pair(name: str) -> list[str]:
    """``A和B`` → [A, B] when both sides are specific facilities (青石路东延和白杨路), else [name]."""
    pieces = name.split("和")
    if len(pieces) == 2 and all(len(p) >= 3 and _specific_facility(p) for p in pieces):
        return pieces
    return [name]


def _split_and(part: str) -> list[str]:
    """``A和B`` → A, B when both sides name specific facilities (甲仁小学综合楼和乙福村幼儿园)."""
    pieces = part.split("和")
    if len(pieces) != 2:
        return [part]
    left, right = pieces
    left_name = _after_verb(left) or _cut_tail(left)
    right_name = _before_verb(right) or _cut_tail(right)
    if _specific_facility(_cut_tail(left_name)) and _specific_facility(right_name):
        return [left, right]
    return [part]


def _shared_tail(heads: list[str], last_part: str, uniform_ok: bool = True) -> list[str]:
    """``城东、北岭、丙赛棚户区改造攻坚推进`` → 城东棚户区改造, 北岭棚户区改造, 丙赛棚户区改造: bare place names
    before a last item that carries the work for all of them. The last item's own place is as long as the
    earlier places (ending in the same character as one of them, else in a place word such as 村 or 社区,
    else as long as all of them); what follows it is the work,
    which must end in a facility or work word. Empty when the shape does not hold."""
    r = rules()
    # 松林路、柏杨路雨污分流改造: named facilities share the last item's work (not its facility noun).
    facilities = bool(heads) and all(h and _specific_facility(h) for h in heads)
    if not heads or any(not h or len(h) > 8 or _DIGIT.search(h) or (_specific_facility(h) and not facilities and not r.place_end.search(h))
                        or _generic(h) or r.category_noun.fullmatch(h) or r.clause_verb.search(h) for h in heads):
        return []
    verb = r.clause_verb.search(last_part)
    last = _cut_tail(last_part[: verb.start()] if verb and verb.start() > 0 else last_part)
    lengths = range(min(map(len, heads)), max(map(len, heads)) + 3)
    same_end = [n for n in lengths if n < len(last) and any(h[-1] == last[n - 1] for h in heads)]
    place_end = [n for n in lengths if n < len(last) and r.place_end.search(last[:n])]
    uniform = [len(heads[0])] if len({len(h) for h in heads}) == 1 and uniform_ok else []
    # Named facilities split only where the last item's own facility ends like theirs (…路|雨污分流改造).
    cut = ((same_end if facilities else same_end or place_end or uniform) or [0])[0]
    tail = last[cut:]
    # 推进电力、供水管网改造: when the last item's own place is a generic word, the heads are kinds, not places.
    if not cut or _generic(last[:cut]) or generic_only(last[:cut], r.facility) \
            or _JOINER.search(last):  # 甲开发、乙复垦和丙修复: a conjunction joins two works
        return []
    if len(tail) < 2 or not _CN_START.match(tail) or not re.search(f"(?:{r.facility})$", tail) or r.clause_verb.search(tail):
        return []
    if facilities and not (r.work_end.search(tail) and _specific_facility(last[:cut])) or (facilities and r.own_work.search(tail)):
        return []  # 甲路、乙路西延: an extension is the last road's own
    names = [h + tail for h in heads] + [last]
    # 甲治理、乙保护修复: a bare work word is shared only by objects that are specific (places, facilities).
    if r.work_only.fullmatch(tail) and any(unspecific_work(n, r.facility) for n in names):
        return []
    return names if all(project_name(n) for n in names) else []


def _leading_verb(text: str) -> str:
    """The verb run that opens a clause (加快, 积极推进), so that it can govern a later part of the list."""
    m = rules().leading_run.match(text)
    return m.group(0) if m else ""


def _before_verb(text: str) -> Optional[str]:
    r = rules()
    verbs = list(r.clause_verb.finditer(text))
    for i, v in enumerate(verbs):
        # 南湖规划二路建成通车: a "verb" followed by the rest of a facility name is inside the name.
        nxt = verbs[i + 1].start() if i + 1 < len(verbs) else len(text)
        if v.end() < nxt <= v.end() + 3 and r.facility_end.search(text[v.end(): nxt]):
            continue
        pre = _cut_tail(_cut_count(text[: v.start()]))
        if pre and _specific_facility(pre):
            return pre
    return None


def _after_verb(text: str) -> Optional[str]:
    verbs = list(rules().clause_verb.finditer(text))
    for i, v in enumerate(verbs):
        if i + 1 < len(verbs) and verbs[i + 1].start() == v.end():
            continue  # inside a verb run (开工建设)
        end = verbs[i + 1].start() if i + 1 < len(verbs) else len(text)
        post = _cut_tail(_cut_count(text[v.end(): end]))
        if len(post) > 2 and _specific_facility(post):
            return post
    return None


def _cut_count(text: str) -> str:
    """``魏寨棚改2494套安置房`` → 魏寨棚改: a count inside a phrase ends the name before it."""
    m = rules().quantity.search(text)
    return text[: m.start()] if m else text


@per_report
def _specific_facility(name: str) -> bool:
    r = rules()
    if not r.facility_end.search(name):
        return False
    name = clean_name(name)
    return not (is_generic_facility(name, f"{r.facility}+") or unspecific_work(name, r.facility))


@per_report
def _generic(name: str) -> bool:
    """A name made only of generic words: a kind of facility or work (储能电站, 大数据中心, 智能化改造)."""
    noun = rules().facility_noun
    name = strip_project_suffix(TRAILING_DENG.sub("", name))
    return is_generic_facility(name, noun) or generic_only(name, noun) or unspecific_work(name, noun)


def _counted_kind(name: str, clause: str) -> bool:
    """``新建农村幸福院3家``, ``建好1所…的养老院``, ``完成供暖“转改直”小区49个``: a generic facility with a count
    of units next to it is a kind of facility, not one named undertaking."""
    r = rules()
    count = r.facility_count
    clause = _QUOTE_MARKS.sub("", clause)
    pos = clause.find(name)
    if pos < 0:
        return False
    after = joined(count, r.count_after, "?$").match(clause[pos + len(name):])
    before = joined(count, r"[^，。；]{0,16}$").search(clause[:pos])
    return bool(after) or (bool(before) and _generic(name))
