"""District undertakes project.

Three pattern families, each over one clause (text between ，；。：):

- explicit (the text calls them 项目/工程): ``A、B等N个项目开工建设``, ``实施了A等煤焦化工项目、B等现代化工
  项目``, ``A、B、C 3个保交楼项目``, ``签约A、B等亿元以上项目27个``, ``X项目建成投产``, ``实施X工程``;
- categorised lists (``A、B等N条道路加快建设``, ``整治A、B等背街小巷8条``, ``A、B等问题楼盘复工建设``):
  the items before 等 + a facility category, in a clause with a construction verb (not explicit);
- named facilities next to a construction verb: ``工业二路建成通车``, ``北郎店小学、观湖幼儿园建成投用``,
  ``推进松梅湖文化公园建设`` → the names ending in a facility word (路, 园, 小学, 医院, 站 …).

Name boundaries: leading verbs and adverbs are stripped (names.LEADING), trailing work words
(建设, 主体, 提质升级 …) and aspect words (正式, 基本 …) are cut, and candidates with counts, clause verbs,
goals or titles inside are rejected (names.project_name). Shared suffixes are distributed
(``姚孟村、后城村棚改`` → 姚孟村棚改, 后城村棚改). The status comes from the clause's verbs and the
report part: 签约 → Signed; 建成/投产/竣工 → Completed (review part); 开工/加快/推进 → Underway;
谋划/规划 or the plan part → Planned.
"""

from __future__ import annotations

import re
from typing import ClassVar, Optional

from kg.extract.base import Context, clauses, evidence
from kg.extract.names import clean_name, generic_only, is_generic_facility, project_name, unspecific_work
from kg.normalize import strip_project_suffix
from kg.model import ProjectMention
from kg.nlp import SECTION_PLAN, SECTION_REVIEW, Sentence, sentences_with

_SIGNED = re.compile(r"签约|签订")
_COMPLETED = re.compile(
    r"建成|投产|竣工|完工|通车|投用|投运|投入使用|交付|落成|揭牌|运营|营业|开园|开业|达效|完成|入住|回迁|收尾"
)
_UNDERWAY = re.compile(r"开工|在建|加快|加速|推进|实施|进展|复工|推动|建设|启动|续建|改造|摘牌|入驻|封顶|顺利")
_PLANNED = re.compile(r"谋划|规划|计划|筹划|筹建|力争|拟|储备|申报|争取")
_BUILD_VERB = re.compile(
    r"开工|建成|投产|竣工|完工|通车|投用|投运|投入使用|交付|落成|签约|谋划|规划|筹划|筹建|实施|加快|加速|推进|推动|"
    r"启动|续建|新建|改建|扩建|迁建|重建|复工|建设|改造|治理|整治|完成|揭牌|入驻|运营|营业|开园|开业|达效|收尾|"
    r"摘牌|封顶|打造|建好|打通|大修|提质|升级|抓好"
)
# Facility words that end the name of a specific undertaking.
FACILITY = (
    r"(?:路|街|大道|大街|巷|桥|大桥|隧道|高速|高铁|铁路|公路|通道|环线|管网|管廊|水厂|污水处理厂|电站|变电站|"
    r"产业园|园区|园|公园|游园|广场|基地|中心|馆|院|医院|卫生院|小学|中学|学校|幼儿园|大学|学院|校区|"
    r"小区|苑|府|城|花园|家园|新村|公寓|大厦|楼|综合楼|教学楼|市场|商业街|综合体|民宿|酒店|停车场|"
    r"片区|河|湖|渠|水库|湿地|站|厂|线|库|仓|港|码头|冷链|物流园|生态园|示范区|小镇|街区|景区|公墓|敬老院|"
    r"带|驿站|[辅便步绿]道|基站|厂房|安置房|[东南西北]段|片区开发|城市更新|"
    r"棚改|改造|治理|提升|延伸|南延|北延|东延|西延|连通|迁建|扩建|新建|重建|一期|二期|三期|四期)"
)
# The facility nouns alone (no work words such as 改造, 北延, 一期): what a generic name may be built of.
FACILITY_NOUN = FACILITY.split("|棚改|")[0] + ")"
_FACILITY_END = re.compile(FACILITY + r"(?:（[^）]{1,6}）)?$")
# Verbs that separate a name from the rest of its clause (not the work words that end names: 治理, 改造 …).
LEADING_VERB = re.compile(r"^(?:扎实|积极|全力|大力|持续|着力|重点|全面|稳步|有序|高标准|高质量|继续|同步|配合)+")
_CLAUSE_VERB = re.compile(
    r"开工|建成|投产|竣工|完工|通车|投用|投运|投入使用|交付|落成|签约|谋划|规划|筹划|筹建|实施|加快|加速|推进|推动|"
    r"启动|续建|复工|建设|完成|揭牌|入驻|运营|营业|开园|开业|达效|收尾|摘牌|封顶|打造|建好|打通|大修|进展|抓好|"
    r"签订|进行|^(?:新建|改建|扩建|迁建)"
)
# Categories after 等 that announce a list of specific undertakings (道路, 问题楼盘, 背街小巷 …).
_CATEGORY = re.compile(
    r"^(?:\d+|[一二两三四五六七八九十百]+)?(?:个|条|所|处|座|批)?[\u4e00-\u9fff]{0,6}?"
    r"(?:道路|河道|楼盘|小区|街巷|小巷|游园|基础设施|幼儿园|学校|小学|教学点|市场|农贸市场|停车场|公园|街区|商业街区|场馆|"
    r"景区|园区|基地|片区|医院|卫生院|桥梁|管网|湿地)(?:\d+(?:个|条|所|处|座))?$"
)
_SHARED_SUFFIX = re.compile(
    r"(棚改安置|棚改|治理|改造提升|改（扩）建|改扩建|改造|提升改造|搬迁安置|搬迁|新建|扩建|迁建|重建|雨污管网)$"
)
# 项目/工程 as a marker, not as part of a word (工程技术中心, 工程师, 工程机械).
_MARKER = re.compile(r"(?:项目|工程)(?!技术|师|机械|学院|质量|建设公司|管理)")
_PHASE_AFTER = re.compile(r"^([一二三四五六七八九十\d]期)")
# Work and aspect words between a name and its verb, or after it: cut from the name.
_WORK_TAIL = re.compile(
    r"(?:(?:项目|工程)?(?:主体)?(?:工程)?(?:建设任务|建设|筹建|前期工作|主体|提质升级|提档升级|征迁工作|征迁|供地|"
    r"规划编制|土地征收)|正式|基本|全面|顺利|如期|相继|先后|陆续|已|已经|实现|进入|具备|全部|整体|"
    r"实质性|早日|首批|盛大|隆重|成功|整体|试点|“[^”]{1,10}”)+$"
)
# Verbs that govern an explicit list without changing what it is (围绕A项目招商, 压缩A、B等项目建设期).
_GOVERNING = re.compile(r"^(?:围绕|压缩|紧盯|盯紧)")
# A numbered heading (（二）聚力抓项目、蓄势能): a slogan, never a list of projects.
_HEADING = re.compile(r"^[（(]?[一二三四五六七八九十\d]{1,3}[）)、.][^。；]*$")
_AWARDED = re.compile(r"荣获|获评|被评为|被授予|入选|获得[^，；。]{0,20}(?:奖|称号)")
_STATUS_RANK = {"Completed": 4, "Underway": 3, "Signed": 2, "Planned": 1, None: 0}


_PHASE = re.compile(r"[一二三四五六七八九十\d]期")
_MERGE_TAIL = re.compile(r"(?:项目|工程|建设|改造|治理|提升|改造提升|提质改造)+$")


def _merge_key(name: str) -> str:
    name = re.sub(r"(?:项目|工程)(?=[一二三四五六七八九十\d]期$)", "", name)  # X项目二期 = X二期
    # Suffixes that never change the referent: 康养园区 = 康养园, 人民路小学本部 = 人民路小学.
    name = re.sub(r"(?<=园)区$|(?<=[\u4e00-\u9fff]{3})本部$", "", name)
    return _MERGE_TAIL.sub("", re.sub(r"[（(][^）)]*[）)]", "", name)) or name


def _same_as(name: str, known: list[str]) -> str:
    """The key of an earlier mention of the same project: equal once a bracketed note and a trailing
    work word are dropped (沙颍河（湛河区段）防洪治理 = 沙颍河防洪治理, 石龙河 = 石龙河治理). Never fuzzy."""
    key = _merge_key(name)
    for other in known:
        okey = _merge_key(other)
        if okey == key or (min(len(key), len(okey)) >= 4 and (key.endswith(okey) or okey.endswith(key))
                           and set(_PHASE.findall(name)) == set(_PHASE.findall(other))):
            return other
    return name


def _status(clause: str, sentence: Sentence) -> Optional[str]:
    if sentence.section == SECTION_PLAN:
        if re.search(r"加快|推进|推动|续建|加速|进展", clause) and not re.search(r"谋划|规划|启动|开工建设", clause):
            return "Underway"
        return "Planned"
    if _SIGNED.search(clause):
        return "Signed"
    if _PLANNED.search(clause) and not _COMPLETED.search(clause):
        return "Planned"
    if _COMPLETED.search(clause) and not re.search(r"加快|推进|有序|进展|收尾", clause):
        return "Completed"
    if _UNDERWAY.search(clause) or _COMPLETED.search(clause):
        return "Underway"
    return None


def _distribute_suffix(names: list[str]) -> list[str]:
    """``A、B棚改`` → A棚改, B棚改 when only the last item carries the work word."""
    if len(names) < 2:
        return names
    m = _SHARED_SUFFIX.search(names[-1])
    if not m or any(_SHARED_SUFFIX.search(n) for n in names[:-1]):
        return names
    # 平煤大道东延、科技路北延、平郊东路改造: items that carry their own work word keep it.
    if any(re.search(r"[东南西北]延|延伸|连通|迁建|扩建|新建|重建|[一二三四五六七八九十\d]期$", n) for n in names[:-1]):
        return names
    head = names[-1][: m.start()]
    # Only when the earlier items look like the last one's head (short place or facility names).
    if not head or any(len(n) > 12 for n in names[:-1]):
        return names
    return [n + m.group(1) for n in names[:-1]] + [names[-1]]


def _split(body: str) -> list[str]:
    """List items: split at 、 and at 和 between two names (及/与 stay inside names; 加快和盛源…,
    13公里的和美乡村… are not split because nothing name-like stands left of 和)."""
    parts: list[str] = []
    for chunk in body.split("、"):
        pieces = chunk.split("和")
        cur = pieces[0]
        for piece in pieces[1:]:
            left = clean_name(cur)
            if len(left) >= 2 and not re.search(r"[的之]$|\d$", left) and len(piece) >= 2:
                parts.append(cur)
                cur = piece
            else:
                cur = cur + "和" + piece
        parts.append(cur)
    return [p for p in parts if p]


# 新区污水管网向东连通至…: a direction phrase (向 + where + verb) ends the name before it.
_TOWARDS = re.compile(r"(?<=[\u4e00-\u9fff]{2})向(?:[东南西北]|基层|农村|周边|城区|乡镇|园区|社区)[\u4e00-\u9fff]*$")


def _cut_tail(name: str) -> str:
    name = _TOWARDS.sub("", name)
    prev = None
    while prev != name:
        prev = name
        name = _WORK_TAIL.sub("", name)
    return name


class ProjectExtractor:
    name: ClassVar[str] = "projects"

    def extract(self, doc, context: Context) -> list[ProjectMention]:
        best: dict[str, ProjectMention] = {}
        order: list[str] = []
        for sentence in sentences_with(doc, "BUILD"):
            if sentence.section not in (SECTION_REVIEW, SECTION_PLAN) or _HEADING.match(sentence.text):
                continue
            for mention in self.sentence_facts(sentence, context):
                key = _same_as(mention.name, order)
                old = best.get(key)
                if old is None:
                    best[key] = mention
                    order.append(key)
                elif _STATUS_RANK[mention.status] > _STATUS_RANK[old.status] and old.evidence.start != mention.evidence.start:
                    best[key] = ProjectMention(key, old.surface, mention.status, mention.year,
                                               old.explicit or mention.explicit, mention.evidence)
        return [best[k] for k in order]

    def sentence_facts(self, sentence: Sentence, context: Context) -> list[ProjectMention]:
        out: list[ProjectMention] = []
        year = context.year_for(sentence)
        for _, clause in clauses(sentence.text):
            if not _BUILD_VERB.search(clause) and not _MARKER.search(clause):
                continue
            if _AWARDED.search(clause):
                continue  # X项目荣获…奖: an award of the project, read by the award extractor
            status = _status(clause, sentence)
            for names, explicit in candidates(clause):
                surfaces = _distribute_suffix(names)
                cleaned = [project_name(s) for s in surfaces]
                # 分散式风电、分布式光伏、储能电站等项目: a list of kinds of installation, not of named works.
                if len(surfaces) >= 2 and all(_generic(clean_name(s)) for s in surfaces):
                    continue
                for surface, name in zip(surfaces, cleaned):
                    # 冬季供暖工程, 村屯饮水工程: a name made only of generic words is an activity, not a work.
                    if name and (unspecific_work(name, FACILITY_NOUN, explicit=explicit) or _counted_kind(name, clause)
                                 or generic_only(name, FACILITY_NOUN)):
                        continue
                    if name and not any(m.name == name for m in out):
                        out.append(ProjectMention(name, surface, status, year, explicit, evidence(sentence)))
        return out


def candidates(clause: str) -> list[tuple[list[str], bool]]:
    """Candidate name lists in one clause, each with whether the text calls them projects."""
    found = _explicit(clause)
    if _BUILD_VERB.search(clause):
        found += _categorised(clause)
        if not found:
            found += _facilities(clause)
    return found


def _explicit(clause: str) -> list[tuple[list[str], bool]]:
    """Lists and names closed by 项目/工程."""
    found: list[tuple[list[str], bool]] = []
    start = 0
    for m in _MARKER.finditer(clause):
        before = clause[start: m.start()]
        start = m.end()
        phase = _PHASE_AFTER.match(clause[m.end():])
        if phase:
            start += phase.end()
        if start < len(clause) and clause[start] in "、和":
            start += 1
        body = before
        deng = before.rfind("等")
        counted_list = re.match(r"等(?:\d+|[一二两三四五六七八九十百]+)(?:个|项)", before[deng:]) if deng >= 0 else None
        if deng >= 0 and ("、" not in before[deng:] or counted_list) and len(before) - deng <= 20:
            # 等六大方向招引产业项目: a tail with a verb or a field is not the list's category.
            if _CLAUSE_VERB.search(before[deng:]) or re.search(r"方向|领域|行业|企业|招引|引进|类型", before[deng:]):
                continue
            body = before[:deng]
        else:
            counted = re.search(r"(?:\d+|[一二两三四五六七八九十百]+)(?:个|项)[\u4e00-\u9fff]{0,12}$", before)
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
        body = _GOVERNING.sub("", body)
        items = [_cut_tail(i) for i in _split(body)]
        items = [i for i in items if i]
        if not items:
            continue
        if len(items) == 1 and unspecific_work(clean_name(items[0]), FACILITY_NOUN, explicit=True):
            continue
        if phase:
            # 云帆新材料项目二期: the phase belongs to the name as written, 项目 included (it is not trailing).
            items[-1] += m.group(0) + phase.group(1)
        if head_group:
            found.append((head_group, True))
        found.append((items, True))
    return found


def _categorised(clause: str) -> list[tuple[list[str], bool]]:
    """``A、B等N条道路`` in a clause with a construction verb."""
    found: list[tuple[list[str], bool]] = []
    for m in re.finditer(r"等", clause):
        rest = clause[m.end():]
        cat = re.match(r"[\u4e00-\u9fff\d]{1,12}", rest)
        if not cat:
            continue
        # The category is the longest prefix of what follows 等 that names a facility class.
        n = next((n for n in range(len(cat.group(0)), 0, -1) if _CATEGORY.match(cat.group(0)[:n])), 0)
        if not n:
            continue
        # The list is the object of a construction verb: one before it or one right after the category.
        head = clause[: m.start()]
        if not (_CLAUSE_VERB.search(rest[n: n + 8]) or re.search(r"改造|治理|整治|大修|提升|升级|建设", rest[n: n + 8])
                or _CLAUSE_VERB.match(LEADING_VERB.sub("", head)) or re.match(r"(?:整治|改造|实施|新建|建成|完成)", head)):
            continue
        items = [_cut_tail(i) for i in _split(clause[: m.start()])]
        items = [i for i in items if i and not is_generic_facility(clean_name(i), FACILITY + r"+")]
        if items:
            found.append((items, False))
    return found


def _facilities(clause: str) -> list[tuple[list[str], bool]]:
    """Named facilities right before or after a construction verb.

    In a list ``A、B、C建成通车`` the first item is read after its last verb, the last item up to the
    earliest verb that leaves a facility name (姚孟规划二路建成通车 → 姚孟规划二路), the middle items whole.
    """
    if not _CLAUSE_VERB.search(clause):
        return []
    parts = clause.split("、")
    # 推动A、B、C等企业…: a list closed by a category that is not a facility class is not a list of works.
    tail = re.search(r"等([\u4e00-\u9fff]{1,8})", parts[-1])
    if tail and not any(_CATEGORY.match(tail.group(1)[:n]) for n in range(len(tail.group(1)), 0, -1)):
        return []
    if len(parts) >= 2 and "及" in parts[0] and not _generic(clean_name(parts[0].split("及", 1)[1])):
        # 加快A建设及B、C改扩建: 及 joins a first item to the list (凌云公园及地下停车场 stays one).
        left, right = parts[0].split("及", 1)
        found = _facilities(left) if _CLAUSE_VERB.search(left) else []
        return found + _facilities("、".join([_leading_verb(left) + right, *parts[1:]]))
    if len(parts) == 1 and "及" in clause:
        # 推进A中心及B队伍建设: when what follows 及 is no facility, the facility is the one before it.
        left, right = clause.split("及", 1)
        if not _specific_facility(_cut_tail(_before_verb(right) or right)):
            clause = left
    if len(parts) == 1:
        items = [x for x in (_before_verb(clause), _after_verb(clause)) if x]
        if not items and len(clause) <= 14 and _specific_facility(_cut_tail(clause)):
            items = [_cut_tail(clause)]  # 推进建设路提档升级: the verb is part of the name
        return [([x], False) for x in items]
    first = _after_verb(parts[0]) or parts[0]
    # 重点把A、B、C等，…: a list closed by 等 with no category after it.
    last_part = re.sub(r"等$", "", parts[-1])
    last = _before_verb(last_part) or _cut_tail(last_part)
    # 推进人民路小学、都司街小学集团化办学: when the last item is no facility, what follows the list is the
    # head noun of the whole list (the items are modifiers), so none of them is a project.
    if not _specific_facility(_cut_tail(last)):
        return []
    items = [_cut_tail(i) for i in [first, *parts[1:-1], last]]
    items = [i for i in items if _specific_facility(i)]
    return [(items, False)] if items else []


_LEADING_RUN = re.compile(
    r"^(?:扎实|积极|全力|大力|持续|着力|重点|全面|稳步|有序|继续|同步|配合)*"
    r"(?:加快|加速|推进|推动|实施|启动|续建|开工|建设|筹划|谋划|规划|抓好|完成|建成)+"
)


def _leading_verb(text: str) -> str:
    """The verb run that opens a clause (加快, 积极推进), so that it can govern a later part of the list."""
    m = _LEADING_RUN.match(text)
    return m.group(0) if m else ""


def _before_verb(text: str) -> Optional[str]:
    verbs = list(_CLAUSE_VERB.finditer(text))
    for i, v in enumerate(verbs):
        # 南湖规划二路建成通车: a "verb" followed by the rest of a facility name is inside the name.
        nxt = verbs[i + 1].start() if i + 1 < len(verbs) else len(text)
        if nxt > v.end() and _FACILITY_END.search(text[v.end(): nxt]) and len(text[v.end(): nxt]) <= 3:
            continue
        pre = _cut_tail(_cut_count(text[: v.start()]))
        if pre and _specific_facility(pre):
            return pre
    return None


def _after_verb(text: str) -> Optional[str]:
    verbs = list(_CLAUSE_VERB.finditer(text))
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
    m = re.search(r"(?<=[\u4e00-\u9fff）)期])(?<![超约近达逾共计总])\d+(?:\.\d+)?万?(?:套|户|平方米|亩|栋|间|张|名|处|个|家|米|公里)", text)
    return text[: m.start()] if m else text


def _specific_facility(name: str) -> bool:
    m = _FACILITY_END.search(name)
    if not m:
        return False
    name = clean_name(name)
    return not (is_generic_facility(name, FACILITY + r"(?:" + FACILITY + r")*") or unspecific_work(name, FACILITY))


def _generic(name: str) -> bool:
    """A name made only of generic words: a kind of facility or work (储能电站, 大数据中心, 智能化改造)."""
    name = strip_project_suffix(re.sub(r"等$", "", name))
    return (is_generic_facility(name, FACILITY_NOUN) or generic_only(name, FACILITY_NOUN)
            or unspecific_work(name, FACILITY_NOUN))


def _counted_kind(name: str, clause: str) -> bool:
    """``新建农村幸福院3家``, ``建好1所…的养老院``, ``完成供暖“转改直”小区49个``: a generic facility with a count
    of units next to it is a kind of facility, not one named undertaking."""
    count = r"(?:\d+|[一二两三四五六七八九十百]+)(?:个|家|所|处|座)"
    clause = re.sub(r"[“”\"'‘’《》「」]", "", clause)
    pos = clause.find(name)
    if pos < 0:
        return False
    after = re.match(count + r"(?:以上|左右)?$", clause[pos + len(name):])
    before = re.search(count + r"[^，。；]{0,16}$", clause[:pos])
    return bool(after) or (bool(before) and _generic(name))
