"""District undertakes project.

Three pattern families, each over one clause (text between ，；。：):

- explicit lists: ``A、B等N个项目开工建设`` / ``实施了A等煤焦化工项目`` → A, B (explicit);
- named projects: ``X项目建成投产`` / ``实施X工程`` → X (explicit);
- named facilities with a construction verb: ``工业二路建成通车``, ``北郎店小学、观湖幼儿园建成投用``
  → the names ending in a facility word (路, 园, 小学, 医院, 站 …) (not explicit).

Shared suffixes are distributed (``姚孟村、后城村棚改`` → 姚孟村棚改, 后城村棚改). The status comes
from the clause's verbs and the report part: 签约 → Signed; 建成/投产/竣工 → Completed (review part);
开工/加快/推进 → Underway; 谋划/规划 or the plan part → Planned.
"""

from __future__ import annotations

import re
from typing import ClassVar, Optional

from kg.extract.base import Context, clauses, evidence
from kg.extract.names import COUNTED_TAIL, project_name, split_list
from kg.model import ProjectMention
from kg.nlp import SECTION_PLAN, SECTION_REVIEW, Sentence

_SIGNED = re.compile(r"签约|签订")
_COMPLETED = re.compile(r"建成|投产|竣工|完工|通车|投用|投运|交付|落成|揭牌|运营|达效|完成|入住|基本建成|收尾")
_UNDERWAY = re.compile(r"开工|在建|加快|推进|实施|进展|复工|推动|建设|启动|续建|改造|摘牌|入驻")
_PLANNED = re.compile(r"谋划|规划|计划|筹划|力争|拟|储备|申报|争取")
_BUILD_VERB = re.compile(
    r"开工|建成|投产|竣工|完工|通车|投用|投运|交付|落成|签约|谋划|规划|筹划|实施|加快|推进|推动|启动|续建|"
    r"新建|改建|扩建|迁建|重建|复工|建设|改造|治理|完成|揭牌|入驻|运营|达效|收尾|摘牌"
)
# Facility words that end the name of a specific undertaking.
FACILITY = (
    r"(?:路|街|大道|大街|巷|桥|大桥|隧道|高速|高铁|铁路|公路|通道|环线|管网|管廊|水厂|污水处理厂|电站|变电站|"
    r"产业园|园区|园|公园|游园|广场|基地|中心|馆|院|医院|卫生院|小学|中学|学校|幼儿园|大学|学院|"
    r"小区|苑|府|城|花园|家园|新村|公寓|大厦|楼|综合楼|教学楼|市场|商业街|综合体|民宿|酒店|停车场|"
    r"片区|河|湖|渠|水库|站|厂|线|库|仓|港|码头|冷链|物流园|生态园|示范区|小镇|街区|景区|公墓|敬老院|"
    r"棚改|改造|治理|提升|延伸|南延|北延|东延|西延|连通|迁建|扩建|新建|重建|一期|二期|三期|四期)"
)
_FACILITY_END = re.compile(FACILITY + r"(?:（[^）]{1,6}）)?$")
_SHARED_SUFFIX = re.compile(r"(棚改安置|棚改|治理|改造提升|改造|提升改造|搬迁安置|搬迁|新建|改扩建|扩建|迁建|重建)$")
_STATUS_RANK = {"Completed": 4, "Underway": 3, "Signed": 2, "Planned": 1, None: 0}


def _status(clause: str, sentence: Sentence) -> Optional[str]:
    if sentence.section == SECTION_PLAN:
        if re.search(r"加快|推进|推动|续建|加速|进展", clause) and not re.search(r"谋划|规划|启动|开工建设", clause):
            return "Underway"
        return "Planned"
    if _SIGNED.search(clause):
        return "Signed"
    if _PLANNED.search(clause) and not _COMPLETED.search(clause):
        return "Planned"
    if _COMPLETED.search(clause) and not re.search(r"加快|推进|有序|进展", clause):
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
    head = names[-1][: m.start()]
    # Only when the earlier items look like the last one's head (a place or a named thing).
    if not head or any(len(n) > 12 for n in names[:-1]):
        return names
    return [n + m.group(1) for n in names[:-1]] + [names[-1]]


class ProjectExtractor:
    name: ClassVar[str] = "projects"

    def extract(self, doc, context: Context) -> list[ProjectMention]:
        best: dict[str, ProjectMention] = {}
        order: list[str] = []
        for sentence in doc._.gwr_sentences:
            if sentence.section not in (SECTION_REVIEW, SECTION_PLAN):
                continue
            for mention in self.sentence_facts(sentence, context):
                key = mention.name
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
            if not _BUILD_VERB.search(clause) and "项目" not in clause and "工程" not in clause:
                continue
            status = _status(clause, sentence)
            for names, explicit in self._candidates(clause):
                for surface in _distribute_suffix(names):
                    name = project_name(surface)
                    if name and not any(m.name == name for m in out):
                        out.append(ProjectMention(name, surface, status, year, explicit, evidence(sentence)))
        return out

    @staticmethod
    def _candidates(clause: str) -> list[tuple[list[str], bool]]:
        found: list[tuple[list[str], bool]] = []
        # 1. Lists and names closed by 项目/工程: "A、B等10个项目", "X项目".
        for m in re.finditer(r"(?:项目|工程)", clause):
            head = clause[: m.end()]
            tail = COUNTED_TAIL.search(head)
            body = head[: tail.start()] if tail else head[: m.start()]
            if "等" in head[len(body):] or tail is None or tail.group(0) in ("项目", "工程"):
                # Cut at the previous list's end: "A等X项目、B等Y项目".
                body = re.split(r"(?:项目|工程)[、，]", body)[-1]
                items = split_list(body)
                if items:
                    found.append((items, True))
        if found:
            return found
        # 2. Named facilities before or after a construction verb.
        verb = _BUILD_VERB.search(clause)
        if not verb:
            return found
        before, after = clause[: verb.start()], clause[verb.end():]
        for part in (before, after):
            items = [i for i in split_list(part) if _FACILITY_END.search(i)]
            if items:
                found.append((items, False))
        return found
