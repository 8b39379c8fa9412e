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
    r"同步|协调|相继|先后|陆续|顺利|基本|已经|正在|主动|有效|精心|依法|统筹|深入|抓紧|尽快|率先|"
    r"成功|分别|进一步|全年|今年|当年|年内|年底前|上半年|下半年|\d{1,2}月(?:底|中旬|上旬|下旬|份)?前?|汛期前|春节前|"
    r"坚持|支持|调整|加大|新引进|招引|配合做好|配合|"
    r"抓好|抓实|筹建|打通|整治|高标准|提质|还要|要|新签约|累计|共|已|了|"
    r"谋划实施|谋划建设|谋划|规划建设|规划了|规划|计划|筹划|实施了|实施|开工建设|开工|新开工|复工|"
    r"建成了|建成|完成了|完成|推进|推动|加快|促进|抓好|抓实|启动|续建|打造|建设|引进|签约|落地|开展|"
    r"做好|实现|对|在|将|把|以|新建|建好|妥善解决|解决|投勤)+"
)
_LEADING_ONE = re.compile(LEADING.pattern[:-1])  # one word at a time
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
    r"帮扶|衔接|民心|德政|品牌|保交楼|棚改|棚户区|城中村|老旧小区|背街小巷|预算内|中央预算内投资|地方政府)+)(?:项目|工程)?$"
)
COUNT_INSIDE = re.compile(
    r"\d+(?:\.\d+)?万?(?:个|项|家|所|处|座|户|亩|套|%|公里|(?:万|亿)?元)|\d+条(?!线)|[一二两三四五六七八九十百]+(?:个|项|家|所|处|座)"
)
VERB_INSIDE = re.compile(
    r"开工|建成|投产|竣工|完工|通车|投用|签约|谋划|推进|加快|启动|实施|完成|实现|达到|入驻|获评|荣获|"
    r"争取|成功|达效|交付|验收|推动|围绕|聚焦"
)


NOT_A_PROJECT = re.compile(
    r"全国|全省|全市|全区|全县|我省|我市|我区|我县|\d+强|政府$|体系$|机制$|平台$|模式$|格局$|氛围$|水平|能力|"
    r"为先|为王|为纲|为要|底线|回流|回归|进校园|行动$|活动$|工作$|经济$|业态$|方向$|领域$|产业$|企业$|"
    r"^一[\u4e00-\u9fff]{1,2}[一二三四五六七八九十百千万][\u4e00-\u9fff]|阶段|周边$|(?<=[路街河])至|"
    r"^(?:一号|亮化|民心|暖心|德政|菜篮子|米袋子|国家)|^前?[一二三四五六七八九十\d]+期$|作为|不断|单位|相关|[与及和]$|示范(?:区|片区|街|村|社区|县|点)$|"
    r"(?:大|重点|重大|优质|一批|有价值|以上|类|省|国家|级|一号)$"
)
# A name never opens with a verb of governing (the ones that may precede a name are stripped by LEADING).
VERB_START = re.compile(
    r"^(?:组织|接|打好|用|强化|提高|确定|健全|做实|做强|做优|树牢|抓牢|抓|布局|深化|学习|构筑|创新|推行|探索|充分|发挥|"
    r"保障|更好|更多|抢抓|出台|必须|不断|巩固|获批|申报|策划|引入|带动|完善|大抓|有力|支撑|创造|力促|设立|开复工|"
    r"新入库|入库|储备|安排|拟|常态化|高效|重要|其中|助力|经验|归根|建立|加强|优化|落实|压缩|利用|鼓励|引导|"
    r"培育|发展|提供|形成|营造|争创|创建|申请|获得|成立|组建|召开|举办|开展|制定|编制|出台|各|各类|有关|相关|"
    r"围绕|依托|聚焦|立足|着力|引进|招引|攻坚|为|以|即)"
)
# Generic facility names without a proper part: 道路, 口袋公园, 人才公寓, 街头游园.
_GENERIC_MOD = (
    r"(?:街头|口袋|社区|智能|智慧|人才|志愿者|服务|储能|分散式|分布式|办公|实验|综合|标准化|城市|城区|农村|乡村|"
    r"老旧|新|大型|小型|公共|公益性?|基层|配套|周边|特色|美食|高端|商务|五星级|星级|示范|重点|各类|学校|"
    r"休闲|文化|体育|健身|养老|医疗|卫生|教育|产业|工业|物流|商业|旅游|生态|湿地|停车|充电|充换电|地下|集中式|"
    r"科技|孵化|技术|数字|数字化|平急两用|式|雨污|污水|供水|燃气|供热|安置|保障性|工程技术|研发|道)"
)


_WORK_END = re.compile(r"(?:(?:升级|提质|提档|绿化|亮化|美化|景观|综合|环境|生态|清洁|技术|更新|安全)*)(?:改造|治理|提升|修复|整治|升级)+$")
# Generic heads that are kinds of installation, never one named facility: 分布式光伏, 储能电站, 充电桩.
_GENERIC_HEAD = r"(?:光伏|风电|储能|充电桩|充电站|换电站|数据中心|工厂|车间|幸福院|养老院|敬老院|卫生室|公厕|厕所)"
# Closed class of generic words a work object may be built of without naming anything: 农村公路, 背街小巷,
# 中心城区, 智能化 (…化), 污染土地. A head made only of these (and facility words) names no specific place.
_GENERIC_WORD = (
    r"(?:" + _GENERIC_MOD[3:-1] + r"|农村公路|公路|道路|背街|小巷|街巷|中心城区|城区|城镇|集镇|中心|园区|"
    r"村庄|村屯|乡镇|社区|小区|居民区|(?:智能|数字|信息|网络|绿色|高端|便民|标准|规范|品质|品牌|集约|市场|园林)化|亮化|绿化|美化|净化|污染|土地|耕地|河道|水系|管网|设施|基础设施|"
    r"大数据|新能源汽车|新能源|汽车|街道|失能|空气|质量|水质|环境|危房|厂房|企业|设备|线路|电网|供电|"
    r"供暖|冬季|饮水|安全|安防|交通|路域|路灯|矿区|矿山|废弃矿山|学校|医院|校舍|景观|户外|公共|农房|庭院|管线|杆线|雨污分流|分流)"
)


def generic_only(text: str, facility: str) -> bool:
    """True when ``text`` is made only of generic words (农村公路, 背街小巷, 中心城区, 智能化)."""
    return bool(text) and bool(re.fullmatch(rf"(?:{_GENERIC_WORD}|{facility}|{_GENERIC_HEAD})+", text))


def unspecific_work(name: str, facility: str, *, explicit: bool = False) -> bool:
    """True for work without a named object: 智能化改造, 中心城区亮化改造, 农村公路提质改造 (but 神马巷改造,
    石龙河治理 are specific). The object must end in a facility word (路, 河, 村, 矿 …) and not be made only of
    generic words; when the text itself calls the work a 项目/工程 (``explicit``), any object that is not
    only generic words will do (天宏选煤清洁技术改造项目)."""
    m = _WORK_END.search(name)
    if not m:
        return False
    head = name[: m.start()]
    head = re.sub(r"[（(][^）)]*[）)]$", "", head)
    if not head or generic_only(head, facility):
        return True
    if explicit or re.search(r"[一二三四五六七八九十\d]期$", head):
        return False
    return not re.search(rf"(?:{facility}|村|社区|矿|巷)$", head)


def is_generic_facility(name: str, facility: str) -> bool:
    """True for a facility name built only of generic words (口袋公园, 人才公寓, 道路, 储能电站)."""
    return bool(re.fullmatch(rf"{_GENERIC_MOD}*(?:{facility}|{_GENERIC_HEAD})", name))



def clean_name(raw: str) -> str:
    """Strip a candidate name's leading verbs and surrounding marks."""
    name = normalize_name(raw)
    # 全市最大规模…, 全省首个…: a superlative before a name is not part of it.
    name = re.sub(r"^(?:全[国省市区县]|国内|省内|市内)(?:规模)?(?:最大|首个|首家|第一|唯一|最长|最高)(?:规模|的)*", "", name)
    name = re.sub(r"^[（(]?[一二三四五六七八九十\d]{1,3}[)）]", "", name)
    name = re.sub(r"^[“”\"'（(]+|[”\"'）)]+$", "", name) if not re.search(r"（[^）]*）$", name) else name
    prev = None
    while prev != name:
        prev = name
        stripped = _LEADING_ONE.sub("", name, count=1)
        # 建设路, 发展大道: a verb that opens a short street name is part of it.
        name = stripped if len(stripped) >= 2 or not stripped else name
    return name.strip("、，。；：“”")


def project_name(raw: str) -> str | None:
    """A clean project name, or None when the candidate is not one specific project."""
    name = clean_name(raw)
    # 总投资3000万元的数字经济产业园, 13公里的和美乡村示范环线: the name follows the last 的.
    if "的" in name:
        name = clean_name(name[name.rfind("的") + 1:])
    name = re.sub(r"(?:等)?(?:\d+|[一二两三四五六七八九十]+)(?:个|项|处|条|座|所)$", "", name)
    name = re.sub(r"等$", "", name)
    name = strip_project_suffix(name)
    if not 3 <= len(name) <= 40:
        return None
    if GENERIC.match(name) or COUNT_INSIDE.search(name) or VERB_INSIDE.search(name):
        return None
    if re.search(r"[，。；：！？]", name) or name[0] in "等及与的":
        return None
    # Goals, rankings and titles rather than undertakings: 全国…示范区, 三类500强, 服务型政府.
    street = re.fullmatch(r"[\u4e00-\u9fff]{2}(?:路|街|大道|大街|巷)", name)
    if NOT_A_PROJECT.search(name) or (VERB_START.match(name) and not street):
        return None
    return name


def split_list(text: str) -> list[str]:
    return [part for part in LIST_SEP.split(text) if part]
