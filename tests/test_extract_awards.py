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
