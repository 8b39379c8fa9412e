"""Meta facts: title block, reports that start at 各位代表, the GB/T 2260 table."""

from __future__ import annotations

from kg.extract.meta import extract_meta, parse_date
from kg.normalize import normalize
from tests.extract_fixtures import report, run


def test_title_block():
    _, meta = run("projects", report("东坡物流园建成运营。"))
    assert (meta.district, meta.city, meta.speaker, meta.speaker_title) == ("临河区", "青山市", "周明", "区长")
    assert (meta.date, meta.review_year, meta.plan_year) == ("2025-01-08", 2024, 2025)


def test_no_title_block_district_from_delegate_and_division_table():
    text = normalize("各位代表：\n现在，我代表萧山区人民政府，向大会报告工作。\n一、2024年工作回顾\n经济稳中向好。\n"
                     "二、2025年工作安排\n稳步推进各项工作。")
    meta = extract_meta(text, 2024, 2025)
    assert (meta.district, meta.city, meta.province) == ("萧山区", "杭州市", "浙江省")
    assert meta.division_code == "330109"
    assert meta.speaker is None and meta.date is None


def test_chinese_numeral_dates():
    assert parse_date("二〇二五年一月十八日") == "2025-01-18"
    assert parse_date("2024年13月1日") is None


def test_years_from_date_when_headings_name_none():
    text = normalize("政府工作报告\n——2025年2月10日在青山市临河区人民代表大会上\n各位代表：\n报告工作。")
    meta = extract_meta(text)
    assert (meta.review_year, meta.plan_year) == (2024, 2025)
