"""Numbers and money as Chinese reports write them.

``3000万元`` → 30,000,000 CNY; ``1.4亿元`` → 140,000,000; ``六千万元`` and ``三点五亿元`` through cn2an;
``6005万美元`` → 60,050,000 USD. Qualifiers (以上/约/近/超/余/多) are recognised and dropped: the value is
the number as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Optional

_CN_NUM_CHARS = "零〇一二两三四五六七八九十百千点"
NUMBER = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_NUM_CHARS}]+)"
_UNIT_FACTOR = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "千万": Decimal(10) ** 7,
                "百万": Decimal(10) ** 6, "万": Decimal(10) ** 4, "千": Decimal(10) ** 3, "": Decimal(1)}
UNIT_FACTOR = _UNIT_FACTOR  # 亿 → 1e8 …, for figures written without a currency
MONEY = re.compile(
    rf"(?P<qual>约|近|超过?|逾|达到?|突破)?(?P<num>{NUMBER})(?P<more>余|多)?"
    rf"(?P<unit>万亿|亿|千万|百万|万|千)?(?P<cur>元人民币|元|美元|欧元)(?P<post>以上|左右)?"
)
_CURRENCY = {"元": "CNY", "元人民币": "CNY", "美元": "USD", "欧元": "EUR"}


@dataclass(frozen=True)
class Money:
    value: Decimal  # in the currency's unit
    currency: str
    text: str
    start: int
    end: int


def parse_number(text: str) -> Optional[Decimal]:
    """A decimal from ASCII digits (with thousands separators) or Chinese numerals."""
    text = text.replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        pass
    import cn2an

    try:
        return Decimal(str(cn2an.cn2an(text, "normal")))
    except (ValueError, KeyError, InvalidOperation):
        return None


def normalize_decimal(value: Decimal) -> Decimal:
    """A canonical Decimal: no exponent, no trailing zeros (30000000, 4.2)."""
    value = value.normalize()
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


def find_money(text: str) -> list[Money]:
    """All money amounts in ``text`` with their offsets."""
    out = []
    for m in MONEY.finditer(text):
        number = parse_number(m.group("num"))
        if number is None:
            continue
        value = normalize_decimal(number * _UNIT_FACTOR[m.group("unit") or ""])
        out.append(Money(value, _CURRENCY[m.group("cur")], m.group(0), m.start(), m.end()))
    return out


PERCENT = re.compile(rf"(?P<num>{NUMBER})(?:%|％|个百分点)")


def parse_percent(text: str) -> Optional[Decimal]:
    m = PERCENT.search(text)
    return normalize_decimal(parse_number(m.group("num"))) if m and parse_number(m.group("num")) is not None else None
