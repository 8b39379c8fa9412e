"""Indicator extraction: names and synonyms, growth vs amount, 预计, 以上, shared value lists."""

from __future__ import annotations

from decimal import Decimal

from tests.extract_fixtures import report, run


def table(review: str = "", plan: str = "") -> set[tuple]:
    facts, _ = run("indicators", report(review, plan))
    out = set()
    for f in facts:
        if f.growth_percent is not None:
            out.add((f.indicator, f.year, f.kind, "growth", f.growth_percent))
        if f.amount_yuan is not None:
            out.add((f.indicator, f.year, f.kind, "amount", f.amount_yuan))
    return out


def test_growth_and_amount_in_one_clause():
    got = table("地区生产总值完成188.6亿元，增长5.1%。")
    assert got == {("地区生产总值", 2024, "Actual", "amount", Decimal("18860000000")),
                   ("地区生产总值", 2024, "Actual", "growth", Decimal("5.1"))}


def test_synonyms_map_to_contract_names():
    got = table("全社会固定资产投资增长6.3%，规模工业增加值增长8.2%，社消零总额增长4.4%。")
    assert {(i, v) for i, _, _, _, v in got} == {
        ("固定资产投资", Decimal("6.3")), ("规模以上工业增加值", Decimal("8.2")), ("社会消费品零售总额", Decimal("4.4"))}


def test_expected_figures_count_as_actuals():
    got = table("预计全年一般公共预算收入同比增长12.5%。")
    assert got == {("一般公共预算收入", 2024, "Actual", "growth", Decimal("12.5"))}


def test_targets_in_the_plan_part_with_yishang():
    got = table(plan="地区生产总值增长6%以上，规模以上工业增加值增长7%左右。")
    assert got == {("地区生产总值", 2025, "Target", "growth", Decimal("6")),
                   ("规模以上工业增加值", 2025, "Target", "growth", Decimal("7"))}


def test_several_indicators_share_one_value_list():
    got = table("城镇、农村居民人均可支配收入分别达到41200元、21500元，分别增长4.8%、6.9%。")
    assert got == {
        ("城镇居民人均可支配收入", 2024, "Actual", "amount", Decimal("41200")),
        ("农村居民人均可支配收入", 2024, "Actual", "amount", Decimal("21500")),
        ("城镇居民人均可支配收入", 2024, "Actual", "growth", Decimal("4.8")),
        ("农村居民人均可支配收入", 2024, "Actual", "growth", Decimal("6.9")),
    }


def test_decline_is_negative():
    assert table("进出口总额下降3.2%。") == {("进出口总额", 2024, "Actual", "growth", Decimal("-3.2"))}


def test_partial_periods_and_parts_of_the_district_are_skipped():
    assert table("1—11月，规模以上工业增加值增长9%。开发区固定资产投资增长20%。") == set()
