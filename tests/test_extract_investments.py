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
