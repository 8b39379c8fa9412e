"""Report structure and meta on invented reports in the shapes real reports come in.

Every report here is written for the test (invented people, projects and figures); only the place
names are real divisions, because city and province come from the GB/T 2260 table.
"""

from __future__ import annotations

from collections import Counter

from kg.extract.meta import extract_meta
from kg.nlp import get_nlp
from kg.normalize import normalize
from kg.structure import SECTION_GLOSSARY, SECTION_OTHER, SECTION_PLAN, SECTION_REVIEW, plan_period_end
from tests.extract_fixtures import run


def parse(text: str):
    doc = get_nlp()(normalize(text))
    meta = extract_meta(doc.text, doc._.gwr_review_year, doc._.gwr_plan_year)
    return doc, meta


def part_of(doc, fragment: str) -> str:
    return next(s.section for s in doc._.gwr_sentences if fragment in s.text)


def parts(doc) -> Counter:
    return Counter(s.section for s in doc._.gwr_sentences)


REVIEW = "全县生产总值增长5.2%。桐庐云栖茶谷项目建成投产。桐庐山水步道全线贯通。"
PLAN = "全县生产总值增长6%左右。开工建设桐庐溪畔物流园。推动桐庐文旅小镇开街运营。"


def test_no_title_block_full_width_indent_and_district_from_self_naming():
    lines = ["各位代表：", "现在，我代表县人民政府，向大会报告工作，请予审议。", "一、2023年工作回顾",
             "2023年是极不平凡的一年。在杭州市委、市政府和县委的坚强领导下，" + REVIEW, "二、2024年工作安排", PLAN,
             "三、建设人民满意的服务型政府", "持续改进作风。"]
    doc, meta = parse("\n".join("\u3000\u3000" + line for line in lines))
    assert (doc._.gwr_review_year, doc._.gwr_plan_year) == (2023, 2024)
    assert part_of(doc, "云栖茶谷") == SECTION_REVIEW and part_of(doc, "溪畔物流园") == SECTION_PLAN
    assert part_of(doc, "改进作风") == SECTION_OTHER
    assert (meta.district, meta.city, meta.province) == ("桐庐县", "杭州市", "浙江省")
    assert (meta.speaker, meta.date, meta.review_year, meta.plan_year) == (None, None, 2023, 2024)


def test_unnumbered_headings_and_lost_full_width_spaces():
    text = ("政??府??工??作??报??告\n——2024年1月9日在桐庐县第九届人民代表大会第三次会议上\n桐庐县县长??林远山\n各位代表：\n"
            f"2023年工作回顾\n2023年是攻坚之年。{REVIEW}\n2024年重点工作\n{PLAN}\n加强政府自身建设\n"
            "一、坚持依法行政\n严守规矩。\n附：名词解释\n1.云栖茶谷：一处茶园。")
    doc, meta = parse(text)
    assert (doc._.gwr_review_year, doc._.gwr_plan_year) == (2023, 2024)
    assert part_of(doc, "云栖茶谷项目") == SECTION_REVIEW and part_of(doc, "文旅小镇") == SECTION_PLAN
    assert part_of(doc, "严守规矩") == SECTION_OTHER and part_of(doc, "一处茶园") == SECTION_GLOSSARY
    assert (meta.speaker, meta.speaker_title, meta.date) == ("林远山", "县长", "2024-01-09")


def test_headings_without_a_year_take_it_from_the_first_sentence():
    text = ("政府工作报告\n各位代表：\n现在，我代表桐庐县人民政府向大会报告工作。\n一、过去一年工作回顾\n"
            f"刚刚过去的2021年，我们迎难而上。{REVIEW}\n二、今年工作安排\n{PLAN}")
    doc, meta = parse(text)
    assert (doc._.gwr_review_year, meta.review_year, meta.plan_year) == (2021, 2021, 2022)
    assert part_of(doc, "溪畔物流园") == SECTION_PLAN


def test_report_stored_as_one_line():
    body = ("各位代表：现在，我代表桐庐县人民政府向大会报告工作。一、2022年工作回顾2022年是奋进之年。" + REVIEW * 4
            + "二、2023年工作安排2023年是关键之年。" + PLAN * 4 + "三、建设人民满意的服务型政府持续改进作风。")
    doc, meta = parse(body)
    assert "\n" not in doc.text
    assert (doc._.gwr_review_year, doc._.gwr_plan_year) == (2022, 2023)
    assert part_of(doc, "云栖茶谷") == SECTION_REVIEW and part_of(doc, "溪畔物流园") == SECTION_PLAN
    assert part_of(doc, "改进作风") == SECTION_OTHER
    assert meta.district == "桐庐县"


def test_zone_committee_report_to_the_county_congress():
    text = ("桐庐经济开发区工作报告\n——2024年2月2日在桐庐县第九届人民代表大会第四次会议上\n"
            "桐庐经济开发区管委会主任 许清和\n各位代表：\n现在，我代表开发区管委会向大会报告工作。\n"
            f"一、2023年工作回顾\n{REVIEW}\n二、2024年工作安排\n{PLAN}")
    doc, meta = parse(text)
    assert (meta.district, meta.city, meta.speaker, meta.speaker_title) == ("桐庐县", "杭州市", "许清和", "主任")
    assert (meta.review_year, meta.plan_year) == (2023, 2024)


def test_five_year_report_in_january():
    text = ("政府工作报告\n——2021年1月20日在桐庐县第十七届人民代表大会第五次会议上\n桐庐县人民政府代理县长 林远山\n"
            f"各位代表：\n一、“十三五”时期经济社会发展回顾\n五年来，{REVIEW}\n二、“十四五”时期的主要目标任务\n"
            f"到2025年，{PLAN}\n三、2021年主要工作\n{PLAN}")
    doc, meta = parse(text)
    assert (doc._.gwr_review_year, doc._.gwr_plan_year) == (2020, 2021)
    assert (meta.review_year, meta.plan_year, meta.speaker_title) == (2020, 2021, "代理县长")
    assert part_of(doc, "到2025年") == SECTION_PLAN


def test_five_year_report_in_november_reviews_its_own_year():
    text = ("政府工作报告\n——2021年11月18日在桐庐县第十八届人民代表大会第一次会议上\n桐庐县人民政府县长 林远山\n"
            f"各位代表：\n一、过去五年工作回顾\n{REVIEW}\n二、今后五年目标任务\n{PLAN}")
    doc, meta = parse(text)
    assert (meta.review_year, meta.plan_year) == (2021, 2022)
    assert part_of(doc, "云栖茶谷") == SECTION_REVIEW and part_of(doc, "溪畔物流园") == SECTION_PLAN


def test_district_name_in_two_cities_takes_the_city_the_text_names():
    text = ("各位代表：\n现在，我代表朝阳区人民政府向大会报告工作。\n一、2023年工作回顾\n"
            "在长春市委、市政府的领导下，我区主动融入长春现代化都市圈建设，全区经济稳中有进。\n二、2024年工作安排\n"
            "服务长春发展大局。")
    _, meta = parse(text)
    assert (meta.district, meta.city, meta.province) == ("朝阳区", "长春市", "吉林省")


def test_annex_part_follows_the_year_of_its_title():
    text = (f"各位代表：\n一、2023年工作回顾\n{REVIEW}\n二、2024年工作安排\n{PLAN}\n附件1\n2024年十大民生工程\n"
            "一、桐庐北门菜市场改造\n年内完工。\n附件2\n2023年十大民生工程完成情况\n一、桐庐南站广场\n已建成。")
    doc, _ = parse(text)
    assert part_of(doc, "年内完工") == SECTION_PLAN and part_of(doc, "已建成") == SECTION_REVIEW


def test_no_part_headings_at_all_falls_back_to_sentence_cues():
    text = ("各位代表：\n现在，我代表桐庐县人民政府向大会报告工作。\n全县生产总值增长5.2%，桐庐云栖茶谷建成投产。\n"
            "今年，力争全县生产总值增长6%，开工建设桐庐溪畔物流园。")
    doc, _ = parse(text)
    assert part_of(doc, "云栖茶谷") == SECTION_REVIEW and part_of(doc, "溪畔物流园") == SECTION_PLAN
    assert parts(doc)[SECTION_REVIEW] and parts(doc)[SECTION_PLAN]


def test_plan_period_end():
    assert (plan_period_end("“十三五”时期"), plan_period_end("十四五规划")) == (2020, 2025)


def test_part_headings_named_as_parts_and_mixed_shapes():
    text = (f"各位代表：\n第一部分 2023年工作回顾\n{REVIEW}\n（一）重点任务完成情况\n全面完成年度目标。\n"
            f"2024年工作安排\n{PLAN}")
    doc, _ = parse(text)
    assert (doc._.gwr_review_year, doc._.gwr_plan_year) == (2023, 2024)
    assert part_of(doc, "全面完成年度目标") == SECTION_REVIEW and part_of(doc, "溪畔物流园") == SECTION_PLAN


def test_title_block_with_abbreviated_congress_and_deputy_speaker():
    text = ("政府工作报告\n——2023年1月12日在杭州市桐庐县十七届人大三次会议上\n桐庐县人民政府副县长 许清和\n各位代表：\n"
            f"一、2022年工作回顾\n{REVIEW}\n二、2023年工作安排\n{PLAN}")
    _, meta = parse(text)
    assert (meta.district, meta.city, meta.province) == ("桐庐县", "杭州市", "浙江省")
    assert (meta.speaker, meta.speaker_title, meta.date) == ("许清和", "副县长", "2023-01-12")


def test_plan_part_under_a_slogan_heading():
    text = (f"各位代表：\n一、2023年工作回顾\n{REVIEW}\n二、坚定信心，奋勇争先\n今年是关键之年。{PLAN}\n"
            "三、全面加强政府自身建设\n持续改进作风。")
    doc, _ = parse(text)
    assert part_of(doc, "溪畔物流园") == SECTION_PLAN and part_of(doc, "改进作风") == SECTION_OTHER


def test_no_title_no_date_no_headings_still_has_years():
    text = ("各位代表：\n现在，我代表桐庐县人民政府向大会报告工作。\n刚刚过去的2022年，我们攻坚克难。全县生产总值增长5.2%，"
            "桐庐云栖茶谷建成投产。\n今年，力争全县生产总值增长6%，开工建设桐庐溪畔物流园。")
    doc, meta = parse(text)
    assert (meta.review_year, meta.plan_year) == (2022, 2023)
    assert part_of(doc, "溪畔物流园") == SECTION_PLAN
    facts, _ = run("indicators", text)
    assert {(f.indicator, f.year, f.kind) for f in facts} == {("地区生产总值", 2022, "Actual"), ("地区生产总值", 2023, "Target")}


def test_district_from_how_the_body_names_itself_without_a_delegate_phrase():
    text = ("各位代表：\n一、2023年工作回顾\n在杭州市委和县委的坚强领导下，全县上下团结奋进。桐庐云栖茶谷建成投产，"
            "桐庐山水步道贯通，桐庐文旅小镇开街。\n二、2024年工作安排\n全县将继续努力。")
    _, meta = parse(text)
    assert (meta.district, meta.city) == ("桐庐县", "杭州市")


def test_ambiguous_district_name_without_evidence_stays_unlinked():
    _, meta = parse("各位代表：\n现在，我代表朝阳区人民政府向大会报告工作。\n一、2023年工作回顾\n全区经济稳中有进。")
    assert meta.district == "朝阳区" and meta.city is None and meta.division_code is None
