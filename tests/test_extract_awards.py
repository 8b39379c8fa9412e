"""Award extraction: triggers, recipient lists, typing, the district as default recipient, non-awards."""

from __future__ import annotations

import pytest

from tests.extract_fixtures import report, run


def awards(review: str) -> set[tuple[str, str, str]]:
    facts, _ = run("awards", report(review))
    return {(f.recipient, f.recipient_type, f.award) for f in facts}


@pytest.mark.parametrize("sentence, expected", [
    ("青峰科技获评国家级“绿色工厂”。", ("青峰科技", "Enterprise", "国家级绿色工厂")),
    ("星河药业有限公司荣获省长质量奖。", ("星河药业有限公司", "Enterprise", "省长质量奖")),
    ("柳湾村被评为全国乡村治理示范村。", ("柳湾村", "Village", "全国乡村治理示范村")),
    ("明德小学被认定为省级文明校园。", ("明德小学", "School", "省级文明校园")),
    ("东湖社区入选全国示范性老年友好型社区。", ("东湖社区", "Community", "全国示范性老年友好型社区")),
])
def test_triggers_and_recipient_types(sentence, expected):
    assert expected in awards(sentence)


def test_list_of_recipients_shares_one_title():
    got = awards("远航机械、北辰电子、云岭材料等3家企业获评省专精特新中小企业。")
    assert {(r, a) for r, _, a in got} == {
        ("远航机械", "省专精特新中小企业"), ("北辰电子", "省专精特新中小企业"), ("云岭材料", "省专精特新中小企业")}


def test_district_is_the_recipient_when_none_is_named():
    got = awards("荣获“全省平安建设先进县区”称号。")
    assert got == {("临河区", "District", "全省平安建设先进县区")}


def test_a_count_or_rate_is_not_a_recipient():
    got = awards("代表建议办复率100%，荣获全市建议办理先进单位。")
    assert {r for r, _, _ in got} == {"临河区"}


@pytest.mark.parametrize("sentence", [
    "争取上级资金3.2亿元，获得省级奖补资金500万元。",
    "经验做法获得省政府充分肯定。",
    "在全市观摩中位列第3名。",
    "力争创建国家级全域旅游示范区。",
    "新增省级专精特新企业5家。",
    "滨河公园建成开园，成为全市休闲新地标。",
])
def test_not_awards(sentence):
    assert awards(sentence) == set()


def test_plan_part_has_no_awards():
    facts, _ = run("awards", report("", "推动青峰科技获评国家级绿色工厂。"))
    assert facts == []


def test_he_splits_two_named_recipients_but_not_one_bureau_name():
    got = awards("松岭村和白沙村获评省级文明村，城乡规划和自然资源局被授予集体嘉奖。")
    assert {(r, a) for r, _, a in got} == {
        ("松岭村", "省级文明村"), ("白沙村", "省级文明村"), ("城乡规划和自然资源局", "集体嘉奖")}


def test_an_activity_clause_is_not_carried_over_as_the_recipient():
    got = awards("坚持和发展新时代“枫桥经验”，及时化解矛盾纠纷，荣获全省信访工作先进县区称号。")
    assert got == {("临河区", "District", "全省信访工作先进县区")}


def test_a_named_subject_is_carried_to_the_next_clause():
    got = awards("北辰机械在全省率先建成数字化车间，获批省级“瞪羚”企业。")
    assert {a for r, _, a in got if r.startswith("北辰机械")} == {"省级瞪羚企业"}


@pytest.mark.parametrize("sentence, expected", [
    ("确定为全省首批县域商贸示范县。", ("临河区", "District", "全省首批县域商贸示范县")),
    ("青禾湿地被国家林业主管部门命名为国家湿地公园。", ("青禾湿地", "Organization", "国家湿地公园")),
    ("县司法局被全国人民调解员协会评为全省先进单位。", ("县司法局", "GovernmentUnit", "全省先进单位")),
    ("柳湾村上榜中国美丽休闲乡村。", ("柳湾村", "Village", "中国美丽休闲乡村")),
    ("东湖社区创成全国示范性老年友好型社区。", ("东湖社区", "Community", "全国示范性老年友好型社区")),
    ("云杉谷成功创建4A景区。", ("云杉谷", "Organization", "4A景区")),
    ("优秀教师林晓梅被评为省级最美教师。", ("林晓梅", "Person", "省级最美教师")),
])
def test_guideline_trigger_forms(sentence, expected):
    assert expected in awards(sentence)


def test_adverbs_between_recipient_and_trigger_are_not_part_of_the_name():
    got = awards("连续三年荣获全省平安建设先进县，云岭中学再度获评省级文明校园。")
    assert {(r, a) for r, _, a in got} == {("临河区", "全省平安建设先进县"), ("云岭中学", "省级文明校园")}


def test_respectively_pairs_recipients_and_awards_one_to_one():
    got = awards("南山园区、北湖产业园分别被市政府认定为节约集约示范园区、合作共建示范园区。")
    assert {(r, a) for r, _, a in got} == {("南山园区", "节约集约示范园区"), ("北湖产业园", "合作共建示范园区")}


def test_two_conferrals_in_one_clause():
    got = awards("松风谷获评省级旅游度假区并入选全省十大冬游目的地。")
    assert {(r, a) for r, _, a in got} == {("松风谷", "省级旅游度假区"), ("松风谷", "全省十大冬游目的地")}
    got = awards("青峰科技获评省级数字化车间、云岭茶叶确定为全省名优产品。")
    assert {(r, a) for r, _, a in got} == {("青峰科技", "省级数字化车间"), ("云岭茶叶", "全省名优产品")}


def test_two_titles_joined_by_he_are_two_awards():
    got = awards("荣获中国民间文化艺术之乡和全省民间文化艺术之乡称号。")
    assert {a for _, _, a in got} == {"中国民间文化艺术之乡", "全省民间文化艺术之乡"}
    got = awards("获评国家级文化和旅游消费试点城市。")
    assert {a for _, _, a in got} == {"国家级文化和旅游消费试点城市"}


def test_the_carried_subject_ends_at_a_clause_in_between():
    got = awards("北辰电子入选省级专精特新企业，全县高新技术产业产值增长12%，获评省级创新发展先进县。")
    assert ("北辰电子", "省级专精特新企业") in {(r, a) for r, _, a in got}
    assert ("临河区", "District", "省级创新发展先进县") in got


def test_book_and_quoted_practice_names_are_recipients():
    got = awards("《临河年鉴2023》获评全国二等年鉴。")
    assert {(r, a) for r, _, a in got} == {("临河年鉴2023", "全国二等年鉴")}


@pytest.mark.parametrize("sentence", [
    "6家企业荣获市长质量奖。",
    "获评全省最美文化空间3处。",
    "顺利通过国家卫生县城复审。",
    "顺利通过省级义务教育均衡发展评估验收。",
    "北环高速纳入全省高速公路网规划。",
    "获得上级部门大力支持。",
])
def test_more_not_awards(sentence):
    assert awards(sentence) == set()


def test_evaluation_passed_with_a_title_counts():
    got = awards("海棠社区顺利通过国家级综合减灾示范社区创建验收。")
    assert {(r, a) for r, _, a in got} == {("海棠社区", "国家级综合减灾示范社区")}


def test_titles_outside_a_detected_review_part_need_a_past_tense_trigger():
    # the government's own part (自身建设) is neither review nor plan
    text = ("政府工作报告\n各位代表：\n一、2024年工作回顾\n全年经济平稳运行。\n二、2025年工作安排\n"
            "推进重点项目建设。\n三、加强政府自身建设\n柳湾村获评全国文明村。青山镇成为全省乡村振兴示范镇。\n")
    facts, _ = run("awards", text)
    assert {f.award for f in facts} == {"全国文明村"}
