"""Money and percentages as Chinese reports write them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.amounts import find_money, parse_number, parse_percent


@pytest.mark.parametrize("text, value, currency", [
    ("总投资3000万元", Decimal("30000000"), "CNY"),
    ("完成1.45亿元", Decimal("145000000"), "CNY"),
    ("人均41200元", Decimal("41200"), "CNY"),
    ("利用外资6005万美元", Decimal("60050000"), "USD"),
    ("投入六千万元", Decimal("60000000"), "CNY"),
    ("约三点五亿元", Decimal("350000000"), "CNY"),
    ("近2亿元", Decimal("200000000"), "CNY"),
    ("超过1,200万元", Decimal("12000000"), "CNY"),
    ("5000万元以上", Decimal("50000000"), "CNY"),
])
def test_money(text, value, currency):
    [m] = find_money(text)
    assert (m.value, m.currency) == (value, currency)
    assert text.endswith(m.text) or m.text in text


def test_two_amounts_keep_their_offsets():
    text = "总投资2亿元，完成投资8000万元"
    found = find_money(text)
    assert [m.value for m in found] == [Decimal("200000000"), Decimal("80000000")]
    assert all(text[m.start:m.end] == m.text for m in found)


def test_numbers_and_percentages():
    assert parse_number("二十三") == Decimal(23)
    assert parse_number("1,024.5") == Decimal("1024.5")
    assert parse_percent("增长6.5%以上") == Decimal("6.5")
    assert parse_percent("提高2个百分点") == Decimal("2")
    assert parse_percent("没有数字") is None
