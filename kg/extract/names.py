"""Shared name-shape rules: where a name starts and ends, and whether it names one specific thing.

Used by the project, award and investment extractors. Everything here is a pattern over name shapes
(leading verbs, counts, list markers, facility suffixes), not a list of names from any report.
"""

from __future__ import annotations

import re

from kg.normalize import normalize_name, strip_project_suffix

# Verbs, adverbs and prepositions that open a clause before a name: stripped from the left.
LEADING = re.compile(
    r"^(?:扎实|积极|全力|加快|大力|持续|着力|重点|全面|稳步|有序|高标准|高质量|强力|倾力|继续|力争|确保|"
    r"同步|协调|集中|相继|先后|陆续|顺利|基本|已经|正在|主动|有效|精心|依法|统筹|深入|抓紧|尽快|率先|"
    r"成功|分别|进一步|全年|今年|当年|年内|年底前|上半年|下半年|"
    r"谋划实施|谋划建设|谋划|规划建设|规划了|规划|计划|筹划|实施了|实施|开工建设|开工|新开工|复工|"
    r"建成了|建成|完成了|完成|推进|推动|加快|促进|抓好|抓实|启动|续建|打造|建设|引进|签约|落地|开展|"
    r"做好|实现|围绕|依托|对|在|将|把|以)+"
)
LIST_SEP = re.compile(r"[、,，]|(?<=[\u4e00-\u9fff])(?:和|及|以及|与)(?=[\u4e00-\u9fff])")
# "等10个项目", "等项目", "3个专项借款保交楼项目": the counted tail of a list.
COUNTED_TAIL = re.compile(
    r"(?:等)?(?:\d+|[一二两三四五六七八九十百]+)?(?:个|项|家|所|处|条|座|批)?[\u4e00-\u9fff]{0,10}?(?:项目|工程)$"
)
# A name that is only a category or a count, never one specific undertaking.
GENERIC = re.compile(
    r"^(?:(?:省|市|区|县|国家|中央|省市|省级|市级|重点|重大|工业|产业|民生|基础设施|招商|亿元以上|续建|新建|在建|"
    r"各类|一批|一大批|这些|相关|配套|示范|试点|城建|交通|水利|农业|农村|城市|社会|公益|文化|旅游|生态|环保|"
    r"技改|技术改造|改造|提升|建设|标志性|专项|政府|债券|国债|专项债|投资|开工|竣工|投产|签约|谋划|储备|"
    r"实事|惠民|保障性|安居|乡村振兴|高质量|战略性|新兴|先进|制造业|服务业|现代|数字|智慧|绿色|低碳|"
    r"帮扶|衔接|民心|德政|品牌|保交楼|棚改|棚户区|城中村|老旧小区|背街小巷)+)(?:项目|工程)?$"
)
COUNT_INSIDE = re.compile(r"\d+(?:\.\d+)?(?:个|项|家|所|处|条|座|户|亩|套|万|亿|%)|[一二两三四五六七八九十百]+(?:个|项|家|所|处|条|座)")
VERB_INSIDE = re.compile(
    r"开工|建成|投产|竣工|完工|通车|投用|签约|谋划|推进|加快|启动|实施|完成|实现|达到|入驻|获评|荣获|"
    r"争取|成功|达效|交付|验收|推动|围绕|聚焦"
)


def clean_name(raw: str) -> str:
    """Strip a candidate name's leading verbs and surrounding marks."""
    name = normalize_name(raw)
    name = re.sub(r"^[“”\"'（(]+|[”\"'）)]+$", "", name) if not re.search(r"（[^）]*）$", name) else name
    prev = None
    while prev != name:
        prev = name
        name = LEADING.sub("", name)
    return name.strip("、，。；：“”")


def project_name(raw: str) -> str | None:
    """A clean project name, or None when the candidate is not one specific project."""
    name = clean_name(raw)
    name = re.sub(r"(?:等)?(?:\d+|[一二两三四五六七八九十]+)(?:个|项|处|条|座|所)$", "", name)
    name = re.sub(r"等$", "", name)
    name = strip_project_suffix(name)
    if not 2 <= len(name) <= 40:
        return None
    if GENERIC.match(name) or COUNT_INSIDE.search(name) or VERB_INSIDE.search(name):
        return None
    if re.search(r"[，。；：！？]", name) or name[0] in "等和及与":
        return None
    return name


def split_list(text: str) -> list[str]:
    return [part for part in LIST_SEP.split(text) if part]
