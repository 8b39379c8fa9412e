"""A report in a style the seeds do not have, written for this test (not from any real report).

It opens at 各位代表： with no title block, its review heading names no year, it mixes markdown,
full-width digits and OCR spaces, and it ends with a glossary. The expected facts are what a reader
annotating it by the guideline would write down; the extractors were not tuned on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPORT = Path(__file__).resolve().parent / "unseen" / "linli-2025.md"


@pytest.fixture(scope="module")
def extraction():
    from kg.pipeline import extract
    from kg.readers import read_document

    return extract(read_document(REPORT))


def test_meta_without_a_title_block(extraction):
    m = extraction.meta
    assert (m.district, m.city, m.province, m.division_code) == ("临澧县", "常德市", "湖南省", "430724")
    assert (m.review_year, m.plan_year) == (2024, 2025)
    assert m.speaker is None and m.date is None


def test_projects(extraction):
    got = {p.name: p.status for p in extraction.projects}
    assert got == {
        "澧水新材料年产5万吨锂电隔膜": "Underway", "临丰食品冷链物流园": "Underway",
        "华盛机电智能制造二期": "Completed", "安福大道东延": "Completed", "县第二人民医院门诊楼": "Completed",
        "九澧光电": "Signed", "湘北农机": "Signed",
        "澧州大桥": "Underway", "临澧高铁站站前广场": "Underway", "道水河综合治理": "Planned",
    }


def test_investment(extraction):
    assert [(i.project, int(i.amount), i.kind) for i in extraction.investments] == [
        ("县第二人民医院门诊楼", 260_000_000, "TotalInvestment")]


def test_awards(extraction):
    got = {(a.recipient, a.recipient_type, a.award) for a in extraction.awards}
    assert got == {
        ("华盛机电", "Enterprise", "国家级专精特新小巨人企业"),
        ("新安镇杨桥村", "Village", "全国乡村治理示范村"),
        ("县人民医院", "Organization", "全省改善医疗服务先进单位"),
        ("临澧县", "District", "全省平安县"),
        ("刻木山村", "Village", "省级美丽乡村示范村"),
        ("佘市桥村", "Village", "省级美丽乡村示范村"),
    }


def test_indicators(extraction):
    got = {(o.indicator, o.year, o.kind, o.growth_percent and float(o.growth_percent),
            o.amount_yuan and int(o.amount_yuan)) for o in extraction.indicators}
    assert got == {
        ("地区生产总值", 2024, "Actual", 5.8, None), ("规模以上工业增加值", 2024, "Actual", 7.2, None),
        ("固定资产投资", 2024, "Actual", 6.1, None), ("社会消费品零售总额", 2024, "Actual", 5.5, 8_640_000_000),
        ("城镇居民人均可支配收入", 2024, "Actual", 5.1, None), ("农村居民人均可支配收入", 2024, "Actual", 6.8, None),
        ("地区生产总值", 2025, "Target", 6.0, None), ("规模以上工业增加值", 2025, "Target", 7.5, None),
        ("固定资产投资", 2025, "Target", 8.0, None), ("一般公共预算收入", 2025, "Target", 5.0, None),
    }


def test_the_glossary_and_the_plans_hold_no_awards(extraction):
    assert not any("示范区" in a.award for a in extraction.awards)  # 力争创建…: a plan, not an award
    assert not any("专业化" in p.name for p in extraction.projects)
