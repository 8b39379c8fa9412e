"""Organization (or person, product, district) receives award, title or recognition.

One clause at a time: ``RECIPIENTS TRIGGER AWARD`` where TRIGGER is one of the guideline's verbs
(获评, 荣获, 被评为, 被授予, 被认定为, 入选, 获批, 成功创建, 成功申报, 成为 …). Recipients are a list
(``A、B等4家企业``) shared by one award; a clause that opens with the trigger takes the previous
clause's recipient, or the district when the sentence names none. Money, praise without a title,
rankings and plans (力争创建) are not awards.
"""

from __future__ import annotations

import re
from typing import ClassVar, Optional

from kg.extract.base import Context, clauses, evidence
from kg.extract.names import clean_name, split_list
from kg.model import AwardMention
from kg.nlp import SECTION_REVIEW, Sentence, sentences_with

TRIGGER = re.compile(
    r"(?P<t>获评为?|荣获|被(?:[\u4e00-\u9fff]{1,10}?)?评为|被(?:[\u4e00-\u9fff]{1,8}?)?授予|被(?:认定|命名|确定|列为|选为|表彰)为?|"
    r"认定为|评为|入选|入围|获批|获得|成功创建为?|创建为|成功申报|成功设立|成功入选|成为|备案|"
    r"(?:顺利)?通过(?=[^，；。]{2,30}(?:认定|验收|评估|复审))|获(?=[^，；。]{2,30}认定))"
)
_NEEDS_LEVEL = {"成功创建", "成功创建为", "创建为", "成功申报", "成功设立", "获批", "备案", "成为", "通过", "顺利通过", "获"}
_LEVEL = re.compile(r"国家|全国|中国|省|市|国际|世界|部|首批|第[一二三四五六七八九十\d]+批|示范|先进|标杆|星级|A级|AAA")
_NOT_AWARD = re.compile(
    r"资金|补助|补贴|奖补|贷款|万元|亿元|肯定|推介|表扬|认可|批复|关注|好评|转发|报道|刊发|支持|第\d+名|第[一二三]名|"
    r"排名|位列|位居|金牌|银牌|铜牌|\d+金|团体|冠军(?!企业)|之最|突破|增长|提升|上市|融资|投资|"
    r"第[一二三四五六七八九十\d]+$|\d+(?:家|个|项|所|件)|地标|热点|打卡"
)
_PLANNED = re.compile(r"力争|争创|争取|努力|确保|积极|推动|加快|谋划|计划|申创|创建工作|全力")
_AWARD_TAIL = re.compile(r"(?:荣誉称号|称号|荣誉|名录|名单|认定|验收|复审|评估|之一)$")
_TITLE_WORD = re.compile(
    r"示范|先进|试点|标杆|[第首]\S?批|名录|称号|星级|A级|专精特新|龙头|园区|开发区|高新技术|单项冠军|小巨人|基地|中心|品牌"
)
_DISTRICT_HINT = re.compile(r"^(?:我区|全区|我县|全县|我市|本区)")

_TYPE_RULES = [
    ("Village", re.compile(r"村$")),
    ("Community", re.compile(r"社区$")),
    ("School", re.compile(r"(?:小学|中学|学校|幼儿园|学院|大学|[一二三四五六七八九十\d]+中|校区)$")),
    ("GovernmentUnit", re.compile(r"(?:局|委|办|办公室|办事处|街道|镇|乡|法院|检察院|司法所|派出所|所|队|政府|部|中心|站|工商联|管委会)$")),
    ("Enterprise", re.compile(r"(?:公司|集团|厂|股份|科技|化工|焦化|煤化|药业|电气|机械|实业|材料|新材|能源|矿机|碳素|纺织|农牧|石油|物流|电力设计院|银行|酒店|食品|矿业|制造|装备|电子|置业)$")),
    ("Project", re.compile(r"(?:产业园|园区|基地|公路|路|园)$")),
]
_ENTERPRISE_AWARD = re.compile(r"企业$|工厂$|小巨人|瞪羚|独角兽|供应链|上市")
_PRODUCT_AWARD = re.compile(r"产品|品牌|名优|地理标志|农产品|名特优")
_PERSON = re.compile(r"^(?:[\u4e00-\u9fff]{0,8}(?:教师|医生|大师|同志|书记|主任|村民|职工|志愿者|民警|代表|劳模))([\u4e00-\u9fff]{2,3})$")
_COUNTED = re.compile(r"等(?:\d+|[一二两三四五六七八九十百]+)(?:个|家|所|名|人|项|位|户)?[\u4e00-\u9fff]{0,6}$|等[\u4e00-\u9fff]{0,4}$")
_VERBISH = re.compile(
    r"推进|深化|完成|开展|加强|打造|办理|化解|提升|推动|落实|实施|创新|坚持|聚焦|围绕|常态化|高质|高效|用心|"
    r"工作|成效|建设|改革|治理|服务|建成|招生|开园|投产|开业|下达|办好|办复|交易|观摩|纠纷|创建|任务|培育|新增|"
    r"接受|监督|回应|认真|自觉"
)


def recipient_type(name: str, award: str) -> str:
    if _PRODUCT_AWARD.search(award) and not re.search(r"企业|公司", award):
        return "Product"
    if _PERSON.match(name):
        return "Person"
    for type_, pattern in _TYPE_RULES:
        if pattern.search(name):
            return type_
    if _ENTERPRISE_AWARD.search(award):
        return "Enterprise"  # a title only enterprises receive (…小巨人企业, 绿色工厂, 瞪羚企业)
    return "Organization"


def clean_award(raw: str) -> str:
    award = clean_name(raw)
    award = re.sub(r"^(?:为|了|成为)", "", award)
    prev = None
    while prev != award:
        prev = award
        award = _AWARD_TAIL.sub("", award)
    return award.strip("、，")


def _split_awards(text: str) -> list[str]:
    parts = [p for p in text.split("、") if p]
    if len(parts) > 1 and all(len(p) >= 5 and not re.fullmatch(r"(?:全国|全省|全市|省级|市级|国家级)?(?:首批|唯一|第.批)", p) for p in parts):
        return parts
    return ["".join(parts)] if len(parts) > 1 and any(len(p) < 5 for p in parts) else parts


def _looks_like_entity(name: str) -> bool:
    """A name ending in a word that names a kind of entity (村, 社区, 小学, 局, 公司 …)."""
    return any(p.search(name) for _, p in _TYPE_RULES)


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
        out: list[AwardMention] = []
        previous: Optional[list[str]] = None
        year = context.year_for(sentence)
        for _, clause in clauses(sentence.text):
            m = TRIGGER.search(clause)
            if not m:
                # A clause without a trigger may name the subject of the next one (河南矿机在…建成X，
                # 获批Y): carried over only when it reads as a named entity, not an activity.
                subject = [r for r in self._recipients(clause) if _looks_like_entity(r)]
                previous = subject or previous
                continue
            trigger = m.group("t")
            before, after = clause[: m.start()], clause[m.end():]
            if _PLANNED.search(before[-6:]):
                continue
            awards = [clean_award(a) for a in _split_awards(after)]
            awards = [a for a in awards if 3 <= len(a) <= 40 and not _NOT_AWARD.search(a)]
            if trigger in _NEEDS_LEVEL or trigger.startswith("通过") or trigger == "获得":
                awards = [a for a in awards if _LEVEL.search(a) or re.search(r"奖|称号|荣誉", after)]
            if trigger == "成为":
                # 成为 confers a title only when what follows is one (示范, 先进, 试点, 第一批…园区).
                awards = [a for a in awards if _TITLE_WORD.search(a)]
            if not awards:
                continue
            recipients = self._recipients(before)
            if not recipients and before.strip() == "" and previous:
                recipients = previous
            typed: list[tuple[str, str]]
            if not recipients:
                typed = [(context.district, "District")] if context.district else []
            else:
                typed = [(r, recipient_type(r, awards[0])) for r in recipients]
            for award in awards:
                for name, type_ in typed:
                    out.append(AwardMention(name, type_, award, year, evidence(sentence)))
            previous = recipients or previous
        return out

    @staticmethod
    def _recipients(text: str) -> list[str]:
        text = re.sub(r"^.*?(?:其中|特别是|尤其是)", "", text)
        text = _COUNTED.sub("", text)
        if not text or _DISTRICT_HINT.match(text):
            return []
        if re.search(r"\d", text):
            return []  # 办复率100%, 提案125件: a count or a rate, not a recipient
        names = []
        for part in _split_recipients(text):
            name = clean_name(part)
            name = re.sub(r"(?:在[\u4e00-\u9fff]{1,12})$", "", name)
            if not 2 <= len(name) <= 30:
                continue
            if _VERBISH.search(name) and not any(p.search(name) for _, p in _TYPE_RULES):
                return []
            names.append(name)
        return names
