"""The timeline section of a district page (issue 12, "Across years"): what it holds, against the saved
queries, and how it looks in a real headless Chromium (offline).

Two builds: a synthetic pair made from one seed report (a copy with every year moved back by one, so
the same district appears in two years), and the 米易 pair of ``../shared/dev`` read in place (never
copied; skipped when the folder is absent).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.test_views_browser import ARTIFACTS, CHROMIUM, Opened, browser  # noqa: F401 - the fixture
from tests.views_fixtures import ROOT, fetched_references

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "dev"
MIYI = [DEV / "reports" / "miyi-2022.txt", DEV / "reports" / "miyi-2023.txt"]
SEED = ROOT / "seeds" / "shilong-2024.txt"

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at "
                                    "/usr/bin/chromium (.ci/run installs it: apt-get install chromium)")
needs_dev = pytest.mark.skipif(not all(p.is_file() for p in MIYI),
                               reason="../shared/dev/reports/miyi-2022.txt and miyi-2023.txt are not beside the repo")


def shifted(text: str) -> str:
    """The report a year earlier: 2023 → 2022 and 2024 → 2023, in one pass."""
    return re.sub(r"202[34]", lambda m: str(int(m.group()) - 1), text)


def _build(sources: list[Path], out: Path):
    from rdflib import Graph

    from kg.build import build

    result = build(sources, out, progress=False)
    assert result.ok, result.summary()
    return Graph().parse(out / "graph.ttl", format="turtle")


@pytest.fixture(scope="module")
def seed_pair(tmp_path_factory):
    """The seed report and its copy a year earlier, built: (output folder, rdflib graph)."""
    src = tmp_path_factory.mktemp("pair-src")
    (src / SEED.name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (src / "shilong-2023.txt").write_text(shifted(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path_factory.mktemp("pair-out")
    return out, _build([src], out)


@pytest.fixture(scope="module")
def miyi_pair(tmp_path_factory):
    out = tmp_path_factory.mktemp("miyi-out")
    return out, _build(MIYI, out)


def _query(graph, name: str):
    return list(graph.query((ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")))


def _district(graph):
    """The one district of a pair build: (IRI, label, page stem)."""
    from rdflib import RDF, RDFS

    from kg.rdf import GWR
    from kg.views.site import district_file_key

    (d,) = list(graph.subjects(RDF.type, GWR.District))
    return str(d), str(graph.value(d, RDFS.label)), district_file_key(graph, d)


def expected(graph, label: str) -> dict:
    """What the queries say the timeline of ``label`` must show."""
    statuses = defaultdict(set)
    for district, project, year, status, _ in _query(graph, "project-timeline"):
        if str(district) == label:
            statuses[(str(project), int(year))].add(str(status).rsplit("#", 1)[-1] if status is not None else "")
    targets = [r for r in _query(graph, "targets-met") if str(r[0]) == label]
    aggregates = [r for r in _query(graph, "investment-aggregates") if str(r[0]) == label]
    return {"projects": {p for p, _ in statuses}, "statuses": statuses, "targets": targets,
            "met": sum(1 for r in targets if r[6].toPython()), "aggregates": aggregates}


def _section(out: Path, stem: str) -> str:
    html = (out / "views" / f"{stem}.html").read_text(encoding="utf-8")
    m = re.search(r'<section id="timeline">.*?</section>', html, re.S)
    assert m, "no timeline section"
    return m.group(0)


def _tbody(section: str, cls: str) -> list[str]:
    m = re.search(rf'<table class="tl {cls}">.*?<tbody>(.*?)</tbody>', section, re.S)
    return re.findall(r"<tr>.*?</tr>", m.group(1), re.S) if m else []


# the page's data, without a browser ---------------------------------------------------------------

def test_shifted_copy_moves_every_year_back_by_one():
    assert shifted("2023年工作回顾，2024年重点工作，2024年1月17日") == "2022年工作回顾，2023年重点工作，2023年1月17日"


def _check_page_data(out: Path, graph):
    from kg.views.timeline import STATUSES, progress, timelines

    iri, label, stem = _district(graph)
    want = expected(graph, label)
    t = timelines(graph)[iri]
    assert len(t.reports) == 2
    assert {p for p, _ in t.projects} == want["projects"] and want["projects"]
    got = {(p, y): {s for s, _ in cells[y]} for p, cells in t.projects for y in cells}
    assert got == dict(want["statuses"])
    assert len(t.targets) == len(want["targets"]) and want["targets"]
    assert sum(1 for r in t.targets if r[5]) == want["met"]
    assert len(t.aggregates) == len(want["aggregates"])

    section = _section(out, stem)
    rows = _tbody(section, "tl-projects")
    assert len(rows) == len(want["projects"])
    # each row's chips: the statuses the query gives for that project, year by year
    years = t.years
    # projects whose status changed come first, then by name
    ordered = sorted(t.projects, key=lambda pc: (not progress(pc[1]), pc[0]))
    for row, (project, cells) in zip(rows, ordered):
        assert f">{project}<" in row.replace("&#x27;", "'").replace("&amp;", "&")
        change = progress(cells)
        assert (f'<td class="change">{change}</td>' in row) if change else ('<td class="same">' in row)
        tds = re.findall(r'<td class="y">(.*?)</td>', row, re.S)
        assert len(tds) == len(years)
        for y, td in zip(years, tds):
            chips = re.findall(r'class="chip (st-\w+)"', td)
            assert sorted(chips) == sorted(STATUSES.get(s, ("", "", "st-none"))[2] for s in want["statuses"].get(
                (project, y), ()))
    targets = _tbody(section, "tl-targets")
    assert len(targets) == len(want["targets"])
    assert sum('class="met"' in r for r in targets) == want["met"]
    assert sum('class="missed"' in r for r in targets) == len(want["targets"]) - want["met"]
    assert len(_tbody(section, "tl-aggregates")) == len(want["aggregates"])
    # the series charts: one scale per group, every year labelled
    assert section.count("<svg") >= 1
    # the index links the timeline
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="views/{stem}.html#timeline"' in index
    assert fetched_references(index) == [] and fetched_references(section) == []
    return t


def test_seed_pair_timeline_page_data(seed_pair):
    out, graph = seed_pair
    t = _check_page_data(out, graph)
    # every project of the seed report is in both copies; the shifted copy's targets are checked against
    # the original's actuals for the same year
    assert {r[1] for r in t.targets} == {2023}


@needs_dev
def test_miyi_timeline_page_data(miyi_pair):
    out, graph = miyi_pair
    t = _check_page_data(out, graph)
    assert {r[1] for r in t.targets} == {2022}
    # 米易 2022's 2022 targets against 米易 2023's 2022 actuals, e.g. GDP 7.5 % planned, 3.8 % reached
    gdp = [r for r in t.targets if r[0] == "地区生产总值" and r[2] == "growth_pct"]
    assert gdp and not gdp[0][5]


def test_timeline_output_is_deterministic(seed_pair, tmp_path):
    """A second build of the same pair writes the same bytes: the district page and the index."""
    out, graph = seed_pair
    src = tmp_path / "src"
    src.mkdir()
    (src / SEED.name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (src / "shilong-2023.txt").write_text(shifted(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    again = tmp_path / "out"
    _build([src], again)
    _, _, stem = _district(graph)
    for rel in (f"views/{stem}.html", "index.html"):
        assert (out / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_single_report_district_says_so(seed_build, seed_graph):
    from kg.views.site import district_file_key
    from rdflib import RDF

    from kg.rdf import GWR

    for d in seed_graph.subjects(RDF.type, GWR.District):
        section = _section(seed_build.out, district_file_key(seed_graph, d))
        assert "只有一份报告" in section and _tbody(section, "tl-projects") == []


# in the browser -------------------------------------------------------------------------------------

def _open_timeline(browser, out: Path, graph, shot: str):  # noqa: F811 - the fixture
    iri, label, stem = _district(graph)
    want = expected(graph, label)
    page = Opened(browser, out / "views" / f"{stem}.html", f"{shot}-viewport")
    p = page.page
    p.locator("#timeline").scroll_into_view_if_needed()
    rows = p.locator("#timeline table.tl-projects tbody tr")
    assert rows.count() == len(want["projects"])
    assert all(rows.nth(i).is_visible() for i in range(rows.count()))
    targets = p.locator("#timeline table.tl-targets tbody tr")
    assert targets.count() == len(want["targets"])
    assert all(targets.nth(i).is_visible() for i in range(targets.count()))
    assert p.locator("#timeline td.met").count() == want["met"]
    assert p.locator("#timeline table.tl-aggregates tbody tr").count() == len(want["aggregates"])
    # the chips are readable: white text on a coloured ground, at least 12 px
    size = p.evaluate("parseFloat(getComputedStyle(document.querySelector('#timeline .chip')).fontSize)")
    assert size >= 12
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    p.locator("#timeline").screenshot(path=str(ARTIFACTS / f"{shot}.png"))
    return page, stem


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_seed_pair_timeline_in_the_browser(browser, seed_pair):  # noqa: F811 - the fixture
    out, graph = seed_pair
    page, stem = _open_timeline(browser, out, graph, "timeline-seed-pair")
    page.close()
    # the index's link opens the page at its timeline
    index = Opened(browser, out / "index.html", "timeline-index")
    link = index.page.locator(f'a.timeline[href="views/{stem}.html#timeline"]')
    assert link.count() == 1
    link.click()
    index.page.wait_for_load_state()
    assert index.page.url.endswith(f"{stem}.html#timeline")
    index.page.wait_for_function("window.gwrView && window.gwrView.state.firstDrawMs !== null", timeout=60_000)
    assert index.page.locator("#timeline h2").is_visible()
    index.close()


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
@needs_dev
def test_miyi_timeline_in_the_browser(browser, miyi_pair):  # noqa: F811 - the fixture
    out, graph = miyi_pair
    page, _ = _open_timeline(browser, out, graph, "timeline-miyi")
    page.close()


def test_progress_reads_the_first_and_last_status():
    from kg.views.timeline import progress

    assert progress({2022: [("Planned", "r1")], 2023: [("Underway", "r2")]}) == "计划 → 在建"
    assert progress({2022: [("Underway", "r1")], 2023: [("Underway", "r2")]}) == ""
    assert progress({2022: [("", "r1")], 2023: [("Completed", "r2")]}) == ""
