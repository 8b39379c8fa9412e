"""The views in a real headless Chromium (Debian's, driven by playwright) with the network blocked.

Every page: no console error, no request leaves, and a screenshot is kept in test-artifacts/views/.
Graph pages: the vis network holds as many nodes and edges as the networkx graph built from the same
RDF; search, class and district filters and a click change what is shown; report text carrying
<img onerror> and <script> shows as text and never runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.views_fixtures import ROOT, build_evil_site

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts" / "views"

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at "
                                 "/usr/bin/chromium (.ci/run installs it: apt-get install chromium)")]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Opened:
    """A page opened with every non-file request aborted and counted, console errors collected."""

    def __init__(self, browser, path: Path, shot: str):
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: None if r.url.startswith("file:") else self.requests.append(r.url))
        self.page.on("websocket", lambda ws: self.requests.append(ws.url))
        self.page.goto(path.resolve().as_uri())
        if self.page.evaluate("document.getElementById('network') !== null"):
            self.page.wait_for_function("window.gwrView && window.gwrView.state.firstDrawMs !== null",
                                        timeout=60_000)
        self.shot = shot

    def _route(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def state(self) -> dict:
        return self.page.evaluate("window.gwrView.state")

    def counts(self) -> tuple[int, int]:
        return tuple(self.page.evaluate("[window.gwrView.nodes.length, window.gwrView.edges.length]"))

    def close(self, check: bool = True):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.shot}.png"))
        self.context.close()
        if check:
            assert self.errors == [], self.errors
            assert self.requests == [], f"requests left the page: {self.requests}"


def _seed_nx(seed_graph):
    from kg.views.model import to_networkx

    return to_networkx(seed_graph)


def test_graph_page_holds_the_graph_and_fetches_nothing(browser, seed_build, seed_graph):
    g = _seed_nx(seed_graph)
    page = Opened(browser, seed_build.out / "graph.html", "graph")
    assert page.counts() == (g.number_of_nodes(), g.number_of_edges())
    assert page.state()["shown"] == g.number_of_nodes()
    # the legend lists every class present, the filters every district
    legend = page.page.eval_on_selector_all("#legend-items input", "els => els.map(e => e.dataset.cls)")
    assert sorted(legend) == sorted({d["cls"] for _, d in g.nodes(data=True)})
    options = page.page.eval_on_selector_all("#district-filter option", "els => els.map(e => e.textContent)")
    assert sorted(options[1:]) == sorted(d["label"] for _, d in g.nodes(data=True) if d["cls"] == "District")
    assert page.page.evaluate("document.querySelectorAll('img, iframe, link').length") == 0
    page.close()


def test_district_pages_and_index_open_cleanly(browser, seed_build, seed_graph):
    from kg.views.model import members
    from kg.views.site import district_file_key

    g = _seed_nx(seed_graph)
    for d in sorted(n for n, data in g.nodes(data=True) if data["cls"] == "District"):
        key = district_file_key(seed_graph, d)
        page = Opened(browser, seed_build.out / "views" / f"{key}.html", f"district-{key}")
        sub = g.subgraph(members(g, district=d))
        assert page.counts() == (sub.number_of_nodes(), sub.number_of_edges())
        page.close()
    index = Opened(browser, seed_build.out / "index.html", "index")
    assert index.page.evaluate("document.querySelectorAll('svg').length") >= 3
    hrefs = index.page.eval_on_selector_all("a", "els => els.map(e => e.href)")
    assert hrefs and all(h.startswith("file:") for h in hrefs)
    index.page.screenshot(path=str(ARTIFACTS / "index-full.png"), full_page=True)
    index.close()


def test_search_filters_and_click_change_what_is_shown(browser, seed_build, seed_graph):
    from kg.views.model import members

    g = _seed_nx(seed_graph)
    n = g.number_of_nodes()
    page = Opened(browser, seed_build.out / "graph.html", "graph-interactions")
    p = page.page

    # search: typing a district's name dims every node that does not match
    district = sorted(x for x, d in g.nodes(data=True) if d["cls"] == "District")[0]
    name = g.nodes[district]["label"]
    expected_hits = sum(1 for _, d in g.nodes(data=True) if name.lower() in d["label"].lower()
                        or any(name in v for k, v in d["facts"] if k == "别名"))
    p.fill("#search", name)
    p.press("#search", "Enter")
    state = page.state()
    assert state["matched"] == expected_hits >= 1
    assert state["dimmed"] == n - expected_hits
    assert p.get_attribute("#status", "data-matched") == str(expected_hits)
    p.press("#search", "Escape")
    assert page.state()["dimmed"] == 0

    # class filter: unticking 项目 hides exactly the projects (and their edges)
    projects = sum(1 for _, d in g.nodes(data=True) if d["cls"] == "Project")
    p.uncheck("#legend-items input[data-cls=Project]")
    assert page.state()["shown"] == n - projects
    hidden = p.evaluate("window.gwrView.nodes.get({filter: (x) => x.hidden}).length")
    assert hidden == projects
    p.check("#legend-items input[data-cls=Project]")
    assert page.state()["shown"] == n

    # district filter: shows what that district's reports mention
    p.select_option("#district-filter", label=name)
    assert page.state()["shown"] == len(members(g, district=district))
    p.click("#reset")
    assert page.state()["shown"] == n

    # click a node: its neighbourhood stays bright, the rest dims, the details show its facts
    iris = sorted(g.nodes())
    node_id = iris.index(district)
    neighbours = set(g.predecessors(district)) | set(g.successors(district))
    p.evaluate(f"window.gwrView.network.focus({node_id}, {{scale: 1.0}})")
    xy = p.evaluate(f"window.gwrView.network.canvasToDOM(window.gwrView.network.getPosition({node_id}))")
    box = p.locator("#network").bounding_box()
    p.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
    p.wait_for_function(f"window.gwrView.state.dimmed === {n - len(neighbours) - 1}", timeout=5000)
    details = p.text_content("#details-text")
    assert details.startswith(f"区县 · {name}")
    # hovering shows the tooltip as text (a click hides it: the details panel has the same and more)
    p.mouse.move(box["x"] + 3, box["y"] + 3)
    p.mouse.move(box["x"] + xy["x"] + 1, box["y"] + xy["y"] + 1)
    p.wait_for_selector("#tooltip:not([hidden])", timeout=5000)
    assert name in p.text_content("#tooltip")
    page.close()


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory):
    return build_evil_site(tmp_path_factory, "evil-site")


def test_markup_in_report_text_shows_as_text_and_never_runs(browser, evil_site):
    pages = [evil_site / "graph.html", evil_site / "index.html", *sorted((evil_site / "views").glob("*.html"))]
    for path in pages:
        page = Opened(browser, path, f"evil-{path.stem}")
        p = page.page
        assert p.evaluate("window.pwned") is None, f"{path.name}: injected markup ran"
        assert p.evaluate("document.querySelectorAll('img').length") == 0, path.name
        if path.name == "index.html":
            page.close()
            continue
        labels = p.evaluate("window.gwrView.nodes.get().map((n) => n.label)")
        assert any(label.startswith("<script>") for label in labels)  # drawn on the canvas as written
        p.fill("#search", "<img/src=x")
        p.press("#search", "Enter")
        assert page.state()["matched"] >= 1
        # show a project's details and tooltip: the markup appears as text
        ids = p.evaluate("window.gwrView.nodes.get().filter((n) => n.label.includes('<img')).map((n) => n.id)")
        assert ids
        p.evaluate(f"window.gwrView.focus({ids[0]})")
        details = p.text_content("#details-text")
        assert "<img/src=x/onerror=window.pwned=" in details
        assert p.evaluate("document.querySelector('#details-text').children.length") == 0
        p.evaluate(f"window.gwrView.network.focus({ids[0]}, {{scale: 1.0}})")
        xy = p.evaluate(f"window.gwrView.network.canvasToDOM(window.gwrView.network.getPosition({ids[0]}))")
        box = p.locator("#network").bounding_box()
        p.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])
        p.wait_for_selector("#tooltip:not([hidden])", timeout=5000)
        assert "onerror=window.pwned" in p.text_content("#tooltip")
        assert p.evaluate("document.querySelector('#tooltip').children.length") == 0
        p.wait_for_timeout(200)  # give an injected handler every chance to run
        assert p.evaluate("window.pwned") is None
        assert p.evaluate("document.querySelectorAll('img, script[src]').length") == 0
        page.close()


def test_kg_view_page_in_the_browser(browser, seed_build, seed_graph, tmp_path):
    from kg.query import resolve_query
    from kg.views.query_view import query_subgraph, view_query

    out = view_query("awards", seed_build.out / "graph.ttl", tmp_path / "awards.html")
    sub = query_subgraph(seed_graph, resolve_query("awards"))
    page = Opened(browser, out.path, "query-awards")
    assert page.counts() == (sub.number_of_nodes(), sub.number_of_edges())
    page.close()


def _labels_check(page, iris, g):
    """The labels the page drew (DOM px, container-relative), checked against the vis network: each sits
    centred under its node, at a readable size, and no two overlap. Returns {IRI: label box}."""
    p = page.page
    p.evaluate("window.gwrView.network.redraw()")  # the labels of the view as it is now
    boxes = p.evaluate("window.gwrView.labels()")
    centres = p.evaluate("""(ids) => { const v = window.gwrView, n = v.network; const pos = n.getPositions(ids);
        return ids.map((id) => Object.assign(n.canvasToDOM(pos[id]), {r: v.nodes.get(id).size * n.getScale()})); }""",
                         [b["id"] for b in boxes])
    for box, centre in zip(boxes, centres):
        assert abs(box["x"] + box["w"] / 2 - centre["x"]) < 1.0, box
        assert abs(box["y"] - (centre["y"] + centre["r"] + 2)) < 1.0, box  # just under the node's shape
        assert box["px"] >= 12 and box["w"] > box["px"] * 0.5
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = (a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"] or
                     a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"])
            assert apart, f"labels overlap: {a['text']!r} and {b['text']!r}"
    return {iris[b["id"]]: b for b in boxes}


def test_district_and_award_labels_are_drawn_at_the_opening_zoom_without_overlaps(browser, seed_build, seed_graph):
    from kg.views.model import members
    from kg.views.site import district_file_key

    g = _seed_nx(seed_graph)
    for d in sorted(n for n, data in g.nodes(data=True) if data["cls"] == "District"):
        key = district_file_key(seed_graph, d)
        page = Opened(browser, seed_build.out / "views" / f"{key}.html", f"district-{key}-zoomed")
        iris = sorted(members(g, district=d))
        drawn = _labels_check(page, iris, g)
        awards = [n for n in iris if g.nodes[n]["cls"] == "Award"]
        assert d in drawn and drawn[d]["px"] >= 14
        assert awards and set(awards) <= set(drawn), [g.nodes[a]["label"] for a in set(awards) - set(drawn)]
        # the drawing sits inside the canvas, centred
        box = page.page.locator("#network").bounding_box()
        xs = [b["x"] + b["w"] / 2 for b in drawn.values()]
        assert 0 <= min(xs) and max(xs) <= box["width"]
        assert abs((min(xs) + max(xs)) / 2 - box["width"] / 2) < box["width"] * 0.2
        # project labels appear on zoom: closer in, more labels, still none overlapping
        n_before = len(drawn)
        page.page.evaluate(f"window.gwrView.network.moveTo({{position: window.gwrView.network.getPosition("
                           f"{iris.index(d)}), scale: 1.5}})")
        page.page.wait_for_timeout(100)
        closer = _labels_check(page, iris, g)
        assert any(g.nodes[n]["cls"] == "Project" for n in closer) and n_before > 1
        page.close()
    page = Opened(browser, seed_build.out / "graph.html", "graph-labels")
    drawn = _labels_check(page, sorted(g.nodes()), g)
    districts = {n for n, x in g.nodes(data=True) if x["cls"] == "District"}
    assert districts <= set(drawn), (page.page.evaluate("window.gwrView.network.getScale()"),
                                     [g.nodes[n]["label"] for n in districts - set(drawn)])
    page.close()


def test_fact_tables_are_present_and_sortable(browser, seed_build, seed_graph):
    from kg.views.site import district_file_key

    g = _seed_nx(seed_graph)
    d = sorted(n for n, data in g.nodes(data=True) if data["cls"] == "District")[0]
    key = district_file_key(seed_graph, d)
    page = Opened(browser, seed_build.out / "views" / f"{key}.html", f"district-{key}-tables")
    p = page.page
    assert p.evaluate("document.querySelectorAll('#facts table.sortable').length") == 3
    table = "#facts table.sortable >> nth=0"
    rows = p.eval_on_selector_all("#facts table.sortable:first-of-type tbody tr", "rs => rs.length")
    projects = {o for _, o, k in g.out_edges(d, keys=True) if k == "undertakes"}
    assert rows == len(projects)

    def column(i):
        return p.evaluate(f"""Array.from(document.querySelectorAll('#facts table.sortable')[0].tBodies[0].rows)
                              .map((r) => r.cells[{i}].textContent)""")

    year_head = p.locator(table).locator("thead th").nth(2)
    year_head.click()
    years = [y for y in column(2) if y]
    assert years == sorted(years) and len(set(years)) >= 1
    assert year_head.get_attribute("aria-sort") == "ascending"
    year_head.click()
    assert [y for y in column(2) if y] == sorted(years, reverse=True)
    names = p.locator(table).locator("thead th").nth(0)
    names.click()
    assert sorted(column(0), key=lambda s: s) != [] and len(column(0)) == len(projects)
    p.locator("#facts").scroll_into_view_if_needed()
    p.screenshot(path=str(ARTIFACTS / f"district-{key}-full.png"), full_page=True)
    page.close()


def test_tooltip_is_compact_and_evidence_is_in_the_details(browser, seed_build, seed_graph):
    g = _seed_nx(seed_graph)
    page = Opened(browser, seed_build.out / "graph.html", "graph-tooltip")
    p = page.page
    iris = sorted(g.nodes())
    project = next(n for n in iris if g.nodes[n]["cls"] == "Project" and g.nodes[n]["evidence"])
    i = iris.index(project)
    p.evaluate(f"window.gwrView.network.focus({i}, {{scale: 1.5}})")
    xy = p.evaluate(f"window.gwrView.network.canvasToDOM(window.gwrView.network.getPosition({i}))")
    box = p.locator("#network").bounding_box()
    p.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])
    p.wait_for_selector("#tooltip:not([hidden])", timeout=5000)
    tip = p.locator("#tooltip").bounding_box()
    assert tip["width"] <= 310 and tip["height"] <= 150
    assert "「" not in p.text_content("#tooltip")  # no evidence sentence in the tooltip
    p.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
    assert "「" in p.text_content("#details-text")
    assert p.locator("#tooltip").is_hidden()
    page.close()
