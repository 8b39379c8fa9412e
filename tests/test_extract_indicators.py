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


def test_parts_of_the_district_are_skipped():
    assert table("开发区固定资产投资增长20%。全市社会消费品零售总额增长5%。") == set()


def test_partial_periods_count_as_the_review_years_actual():
    # Guideline §6: 预计, 前三季度, 1–11月 figures are the review year's actual.
    assert table("1—11月，规模以上工业增加值增长9%。") == {("规模以上工业增加值", 2024, "Actual", "growth", Decimal("9"))}
    assert table("前三季度，固定资产投资完成32.5亿元。") == {("固定资产投资", 2024, "Actual", "amount", Decimal("3250000000"))}


def test_thresholds_count_as_their_number():
    assert table("地区生产总值突破1500亿元。一般公共预算收入300亿元以上。") == {
        ("地区生产总值", 2024, "Actual", "amount", Decimal("150000000000")),
        ("一般公共预算收入", 2024, "Actual", "amount", Decimal("30000000000"))}
    assert table(plan="一般公共预算收入超12亿。") == {("一般公共预算收入", 2025, "Target", "amount", Decimal("1200000000"))}


def test_average_rates_are_not_lines_but_the_end_level_is():
    got = table("地区生产总值由40.2亿元增长到61.7亿元，年均增长8.9%。")
    assert got == {("地区生产总值", 2024, "Actual", "amount", Decimal("6170000000"))}


def test_figures_in_a_following_clause_without_a_subject_of_their_own():
    got = table("全年地区生产总值完成88.8亿元，按可比价计算，同比增长4.4%。进出口总值实现较大增长，实际利用外资增长5%。")
    assert got == {("地区生产总值", 2024, "Actual", "amount", Decimal("8880000000")),
                   ("地区生产总值", 2024, "Actual", "growth", Decimal("4.4"))}


def test_coordinated_list_with_other_items_takes_each_mentions_own_figure():
    got = table("粮食产量、规上工业增加值、服务业增加值分别增长1.2%、9.6%、4.1%。"
                "固定资产投资、社会消费品零售总额和货物进出口总额分别增长3.3%、7%和11.8%。")
    assert {(i, v) for i, _, _, _, v in got} == {
        ("规模以上工业增加值", Decimal("9.6")), ("固定资产投资", Decimal("3.3")),
        ("社会消费品零售总额", Decimal("7")), ("进出口总额", Decimal("11.8"))}


def test_urban_and_rural_income_in_one_mention():
    two = table("城乡居民人均可支配收入分别达到36100元、19800元，同比分别增长5.1%、7.2%。")
    assert two == {
        ("城镇居民人均可支配收入", 2024, "Actual", "amount", Decimal("36100")),
        ("农村居民人均可支配收入", 2024, "Actual", "amount", Decimal("19800")),
        ("城镇居民人均可支配收入", 2024, "Actual", "growth", Decimal("5.1")),
        ("农村居民人均可支配收入", 2024, "Actual", "growth", Decimal("7.2"))}
    assert table(plan="城乡居民人均可支配收入增长7%左右。") == {
        ("居民人均可支配收入", 2025, "Target", "growth", Decimal("7"))}
    assert table("城乡居民人均可支配收入分别完成30100元、12600元，增长6.5%、8.8%。") >= {
        ("农村居民人均可支配收入", 2024, "Actual", "growth", Decimal("8.8"))}


def test_synonyms_from_the_guideline():
    got = table("县级一般公共预算收入完成6.6亿元。规模以上固定资产投资增长4%。农村人均可支配收入增长6%。")
    assert {(i, v) for i, _, _, _, v in got} == {
        ("地方一般公共预算收入", Decimal("660000000")), ("固定资产投资", Decimal("4")),
        ("农村居民人均可支配收入", Decimal("6"))}


def test_end_of_plan_targets_are_not_lines():
    assert table(plan="到2030年，地区生产总值达到300亿元。地区生产总值增长6%。") == {
        ("地区生产总值", 2025, "Target", "growth", Decimal("6"))}


def test_more_synonyms_and_per_capita_gdp_is_not_gdp():
    got = table("人均地区生产总值达到5.2万元。社零总额增长3.9%。进出口贸易总额完成2.6亿元。农民人均可支配收入增长7.7%。")
    assert {(i, v) for i, _, _, _, v in got} == {
        ("社会消费品零售总额", Decimal("3.9")), ("进出口总额", Decimal("260000000")),
        ("农村居民人均可支配收入", Decimal("7.7"))}
