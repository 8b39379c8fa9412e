"""Administrative divisions (GB/T 2260) from the table the ``cpca`` package ships.

Used to fill a district's city and province and to link it to its division code. Lookups are
conservative: a district name that exists in several cities is resolved only when the report names the
city (or the province narrows it to one).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional


@dataclass(frozen=True)
class Division:
    code: str  # six digits
    name: str
    city: Optional[str]
    city_code: Optional[str]
    province: str
    province_code: str


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """code (6 digits) → name."""
    path = resources.files("cpca").joinpath("resources/adcodes.csv")
    names: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names[row["adcode"][:6]] = row["name"]
    return names


@lru_cache(maxsize=1)
def _by_name() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for code, name in _table().items():
        if name != "市辖区" and not code.endswith("00"):
            index.setdefault(name, []).append(code)
    for codes in index.values():
        codes.sort()
    return index


def _division(code: str) -> Division:
    table = _table()
    province_code = code[:2] + "0000"
    city_code = code[:4] + "00"
    city = table.get(city_code)
    if city in (None, "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
        city, city_code = (table.get(province_code), province_code) if code[:2] in ("11", "12", "31", "50") else (None, None)
    return Division(code, table[code], city, city_code, table.get(province_code, ""), province_code)


def lookup_district(name: str, city: Optional[str] = None, province: Optional[str] = None) -> Optional[Division]:
    """The county-level division called ``name``, if the name (and city/province, when given) make it unique."""
    candidates = [_division(c) for c in _by_name().get(name, [])]
    if city:
        candidates = [d for d in candidates if d.city and (d.city == city or d.city.startswith(city))]
    if province:
        candidates = [d for d in candidates if d.province.startswith(province[:2])]
    return candidates[0] if len(candidates) == 1 else None


def lookup_city(name: str) -> Optional[Division]:
    """A prefecture-level city by name, if unique."""
    codes = [c for c, n in _table().items() if n == name and c.endswith("00") and not c.endswith("0000")]
    return _division(codes[0]) if len(codes) == 1 else None


def district_candidates(name: str) -> list[Division]:
    """Every county-level division called ``name`` (several when the name exists in several cities)."""
    return [_division(c) for c in _by_name().get(name, [])]


@lru_cache(maxsize=1)
def county_divisions() -> list[Division]:
    """Every county-level division (区, 县, 县级市, 旗 …) of the table."""
    out = []
    for codes in _by_name().values():
        for code in codes:
            if code[4:] != "00":
                out.append(_division(code))
    return out


def short_name(name: str, suffixes: tuple[str, ...]) -> str:
    """A place name without its level ending (洛阳市 → 洛阳), when two characters or more remain."""
    for suffix in sorted(suffixes, key=len, reverse=True):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name
