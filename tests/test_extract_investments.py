"""Investment extraction: the amount of one named project, its kind and currency."""

from __future__ import annotations

from decimal import Decimal

from tests.extract_fixtures import report, run


def money(review: str = "", plan: str = "") -> set[tuple]:
    facts, _ = run("investments", report(review, plan))
    return {(f.project, f.amount, f.currency, f.kind) for f in facts}


def test_total_investment_before_the_name():
    assert money("总投资2.6亿元的临河智慧物流园投入运营。") == {
        ("临河智慧物流园", Decimal("260000000"), "CNY", "TotalInvestment")}


def test_amount_spent_to_build_a_facility():
    assert money("投资1280万元建成城西消防救援站。") == {
        ("城西消防救援站", Decimal("12800000"), "CNY", "TotalInvestment")}


def test_total_investment_after_the_name():
    assert money(plan="青禾食品深加工项目总投资3.5亿元。") == {
        ("青禾食品深加工", Decimal("350000000"), "CNY", "TotalInvestment")}


def test_dollars_are_other_amounts():
    assert money("远帆电子元件项目总投资4500万美元。") == {
        ("远帆电子元件", Decimal("45000000"), "USD", "OtherAmount")}


def test_aggregates_over_several_projects_are_not_investments():
    assert money("18个产业项目完成投资12.4亿元，全年固定资产投资增长5%。") == set()


def test_one_amount_per_list_item():
    assert money("总投资3.1亿元的临河智慧物流园、总投资8000万元的城西消防救援站加快建设。") == {
        ("临河智慧物流园", Decimal("310000000"), "CNY", "TotalInvestment"),
        ("城西消防救援站", Decimal("80000000"), "CNY", "TotalInvestment")}


def test_amount_clause_then_the_built_facility():
    assert money("投资6000万元，建成城南110千伏变电站。") == {
        ("城南110千伏变电站", Decimal("60000000"), "CNY", "TotalInvestment")}


def test_amount_of_the_project_named_in_the_clause_before():
    assert money(plan="推进青禾食品深加工项目，总投资3.5亿元。") == {
        ("青禾食品深加工", Decimal("350000000"), "CNY", "TotalInvestment")}


def test_counted_kinds_of_work_and_shared_amounts_are_not_one_project():
    assert money("投资2.1亿元新改建农村公路120公里，投资1亿元完成东岭小学、西岭小学建设。") == set()


def test_glossary_entry_amounts_belong_to_the_entry():
    facts, _ = run("investments", report("新建青禾食品产业园。") + "名词解释\n1.青禾食品产业园：位于城东镇，占地300亩。\n"
                   "该项目总投资2.5亿元，建成后年产值10亿元。\n")
    assert {(f.project, f.amount) for f in facts} == {("青禾食品产业园", Decimal("250000000"))}


def test_glossary_totals_without_a_reference_are_not_the_entrys():
    facts, _ = run("investments", report("新建青禾食品产业园。") + "名词解释\n1.青禾食品产业园：位于城东镇，占地300亩。\n"
                   "现已引入远帆电子、云岭食品等5个项目，总投资8.6亿元。\n")
    assert facts == []


def test_a_name_cut_inside_a_list_or_before_a_length_is_no_project():
    assert money("投资2.3亿元完成农村公路建设90.7公里，投资4.6亿元完成东岭村电力改造升级、西岭村电网配套等工程建设。") == set()
