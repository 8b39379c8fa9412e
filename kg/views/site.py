"""The pages a build writes besides the graph files: one view per district, the index and ``graph.html``.

``output/views/<district>.html``: what a district's reports say (the district, its projects, amounts,
recipients, awards, observations, indicators, reports, speaker, city and province), named by the
district's GB/T 2260 code (or its IRI key when the code is unknown). A node several districts share (a
city, an award, an indicator) shows there the evidence of that district's reports; ``graph.html``
(the whole graph, or an overview linking the district pages when the corpus is large) shows it all.

``output/index.html``: what a person opens first — the reports built, counts per class, links to the
views, and charts drawn as inline SVG (investment by district, awards by kind and by recipient,
growth targets vs actuals per indicator). Every text is escaped; the page loads nothing.

Pages are drawn district by district (:func:`kg.store.district_slices`), each from its district's
reports and the context they name, and the index from the districts' :class:`Summary` added up: a
page's cost does not grow with the corpus, and memory holds one district's graph at a time.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import NamedTuple, Optional, Sequence

from kg.fsutil import remove_stale_temps_in, write_text_atomic
from kg.views.charts import bar_chart
from kg.views.model import all_class_styles, class_style, format_yuan, local_name, members, to_networkx

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
AWARD_LEVELS = (("国家级", ("全国", "国家", "中国")), ("省级", ("省",)), ("市级", ("市",)), ("区县级", ("区", "县")))
ACTUAL, TARGET = ("实际（回顾年）", "#1f77b4"), ("目标（计划年）", "#ff7f0e")


class TimelineCounts(NamedTuple):
    """What the index shows of a district's timeline (kg.views.timeline.Timeline): its sizes only, so
    that the views kept for the index hold a few numbers per district, not the district's timeline."""
    reports: int
    projects: int
    targets: int
    met: int
    aggregates: int

    @classmethod
    def of(cls, timeline) -> "TimelineCounts":
        return cls(len(timeline.reports), len(timeline.projects), len(timeline.targets),
                   sum(1 for r in timeline.targets if r[5]), len(timeline.aggregates))


@dataclass
class DistrictView:
    iri: str
    label: str
    path: Path
    nodes: int
    edges: int
    timeline: Optional[TimelineCounts] = None  # its timeline's counts (None: no timeline)


def district_file_key(graph, district) -> str:
    """ASCII file stem of a district's page: its division code, else its IRI key."""
    from rdflib import URIRef

    from kg.rdf import GWR

    code = graph.value(URIRef(district), GWR.divisionCode)
    return str(code) if code is not None else local_name(str(district))


def district_page(graph, g, iri: str, folder: Path, across=None, layouts: Optional[dict] = None) -> DistrictView:
    """Write one district's page (``folder/<district key>.html``): the part of ``g`` (the
    :func:`to_networkx` graph of ``graph``) its reports mention, its timeline and its fact tables.
    Stale temporary files of ``folder`` are not swept here (:func:`write_site_pages` sweeps the
    folder once: a sweep per page lists every page already written). ``layouts``: where to keep the
    page's positions (district IRI → node → (x, y)), for a whole-graph page drawn after it."""
    from kg.views.pyvis_view import page_layout, write_nx_view
    from kg.views.timeline import timeline_section

    label = g.nodes[iri]["label"]
    sub = g.subgraph(members(g, district=iri)).copy()
    sub.graph.update(g.graph)
    if layouts is not None:
        sub.graph["positions"] = layouts[iri] = page_layout(sub)
    path = folder / f"{district_file_key(graph, iri)}.html"
    timeline = (across or {}).get(iri)
    write_nx_view(sub, path, title=f"{label} · 知识图谱", home="../index.html",
                  facts=timeline_section(timeline) + "\n" + facts_tables(graph, sub, iri), sweep=False)
    return DistrictView(iri, label, path, sub.number_of_nodes(), sub.number_of_edges(),
                        None if timeline is None else TimelineCounts.of(timeline))


def _district_views(piece, g, folder: Path, between=None, layouts: Optional[dict] = None) -> list[DistrictView]:
    """The pages of a :class:`kg.store.Slice`'s districts, drawn from ``g`` (its graph's networkx graph);
    ``between``: called between two pages of the slice (a slice of the whole graph draws them all);
    ``layouts``: as :func:`district_page`."""
    from kg.views.timeline import timelines

    wanted = piece.districts
    if wanted is None:
        wanted = [n for n, d in g.nodes(data=True) if d["cls"] == "District"]
    wanted = sorted(n for n in wanted if n in g)
    if not wanted:
        return []
    across = timelines(piece.graph)
    views = []
    for iri in wanted:
        if views and between is not None:
            between()
        views.append(district_page(piece.graph, g, iri, folder, across, layouts))
    return views


def _remove_stale(folder: Path, views: list[DistrictView]) -> None:
    written = {v.path.name for v in views}
    if folder.is_dir():
        for old in folder.glob("*.html"):
            if old.name not in written:
                old.unlink()


# --- a district page's fact tables --------------------------------------------------------------

def _cell(text, sort=None, cls: str = "") -> str:
    attrs = (f' class="{cls}"' if cls else "") + (f' data-sort="{escape(str(sort))}"' if sort is not None else "")
    return f"<td{attrs}>{escape('' if text is None else str(text))}</td>"


def _table(caption_zh: str, caption_en: str, head: list[str], rows: list[str], note: str = "") -> str:
    out = [f"<h2>{escape(caption_zh)} · {escape(caption_en)}（{len(rows)}）</h2>"]
    if note:
        out.append(f'<p class="note">{escape(note)}</p>')
    if not rows:
        out.append('<p class="note">（无 none）</p>')
        return "\n".join(out)
    out.append('<table class="sortable"><thead><tr>' + "".join(f"<th>{escape(h)}</th>" for h in head) +
               "</tr></thead><tbody>")
    out += rows
    out.append("</tbody></table>")
    return "\n".join(out)


def _first_sentence(evidence) -> str:
    return next((e.sentence for e in evidence if e.sentence), "")


def _fact(data: dict, name: str) -> str:
    return next((v for k, v in data["facts"] if k == name), "")


def facts_tables(graph, g, district: str) -> str:
    """The district's facts as sortable tables: projects (status, year, investment), awards, indicators."""
    from rdflib import URIRef

    from kg.rdf import GWR

    node = g.nodes
    projects = []
    for _, project, key, data in sorted(g.out_edges(district, keys=True, data=True), key=lambda e: (e[1], e[2])):
        if key != "undertakes":
            continue
        p = node[project]
        amounts = [(o, node[o]) for _, o, k in g.out_edges(project, keys=True) if k == "invests"]
        yuan = sum(float(graph.value(URIRef(o), GWR.amountInYuan) or 0) for o, _ in amounts)
        year = _fact(p, "状态年份")
        projects.append((p["label"], [
            _cell(p["label"]), _cell(_fact(p, "状态")), _cell(year, sort=year, cls="n"),
            _cell(format_yuan(yuan) if amounts else "", sort=f"{yuan:.0f}" if amounts else "", cls="n"),
            _cell(_first_sentence(data["evidence"]), cls="ev")]))
    awards = []
    for recipient, award, key, data in sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        if key != "receivesAward" or node[award]["cls"] != "Award":
            continue
        years = sorted({e.year for e in data["evidence"] if e.year})
        year = years[0] if years else ""
        awards.append((node[award]["label"], [
            _cell(node[award]["label"]), _cell(award_level(node[award]["label"])), _cell(node[recipient]["label"]),
            _cell(class_style(node[recipient]["cls"])[2]), _cell(year, sort=year, cls="n"),
            _cell(_first_sentence(data["evidence"]), cls="ev")]))
    observations = []
    for _, obs, key in sorted(g.out_edges(district, keys=True), key=lambda e: e[1]):
        if key != "hasObservation":
            continue
        o = node[obs]
        indicator = next((node[i]["label"] for _, i, k in g.out_edges(obs, keys=True) if k == "indicator"), o["label"])
        pct = _fact(o, "增长（%）")
        year = _fact(o, "年份")
        observations.append((indicator, [
            _cell(indicator), _cell(year, sort=year, cls="n"), _cell(_fact(o, "类型")),
            _cell(f"{pct}%" if pct else "", sort=pct, cls="n"), _cell(_first_sentence(o["evidence"]), cls="ev")]))

    def rows(items):
        return ["<tr>" + "".join(cells) + "</tr>" for _, cells in sorted(items, key=lambda t: (t[0], "".join(t[1])))]

    return "\n".join([
        '<section id="facts">',
        _table("项目", "Projects", ["项目 project", "状态 status", "年份 year", "投资 investment", "证据句 evidence"],
               rows(projects), "点击表头排序 · click a heading to sort; 年份 = 状态所指年份 (the year the status refers to)"),
        _table("获奖", "Awards", ["奖项 award", "级别 level", "获奖者 recipient", "类型 kind", "年份 year",
                                 "证据句 evidence"], rows(awards)),
        _table("指标", "Indicators", ["指标 indicator", "年份 year", "类型 kind", "增长 growth", "证据句 evidence"],
               rows(observations), "实际 = 回顾年完成 (actual, review year); 目标 = 计划年预期 (target, plan year)"),
        "</section>"])


def write_queries(out_dir: Path) -> list[Path]:
    """Copies of the saved queries (``queries/*.rq``) under ``out_dir/queries/``, so the index can link them."""
    from kg.query import saved_queries

    folder = Path(out_dir) / "queries"
    written = []
    for name, (source, _) in saved_queries().items():
        written.append(folder / f"{name}.rq")
        write_text_atomic(written[-1], source.read_text(encoding="utf-8"))
    return written


def write_site_pages(graph, out_dir: Path, *, title: str = "gwr-kg", failures: Sequence = (),
                     graph_page: bool = False, notes: Optional[list[str]] = None,
                     scratch: Optional[Path] = None) -> list[Path]:
    """The district pages (``views/<district>.html``), the saved queries and the index; with
    ``graph_page`` also ``graph.html`` (a drawing of the whole graph, or above
    :func:`kg.views.layout.wants_overview` an overview linking the district pages, said in ``notes``).

    ``graph``: a :class:`kg.store.ReportStore` or an rdflib graph. The pages are drawn district by district
    (:func:`kg.store.district_slices`): each from its district's reports and their context, and the index
    from the slices' summaries added up, so the cost of a page does not grow with the corpus and memory
    holds one district's graph at a time. A graph that is not one report a part (a plain graph) is
    read whole from a pyoxigraph store, on disk in ``scratch`` above :data:`kg.store.ON_DISK_ABOVE`
    triples. Stale pages of districts no longer built go."""
    import shutil
    import tempfile

    import kg.store
    from kg.store import as_store, district_slices

    out_dir = Path(out_dir)
    store = as_store(graph)
    disk: list[Path] = []

    def whole():  # only for a store of no reports (district_slices): a slice of everything
        if scratch is not None and len(store) > kg.store.ON_DISK_ABOVE:  # memory bounded however large
            disk.append(Path(tempfile.mkdtemp(prefix=".oxigraph-", dir=scratch)))
            return store.graph(disk[-1])
        return store.graph()

    try:
        folder = out_dir / "views"
        remove_stale_temps_in(folder)  # once, not per page (district_page)
        views: list[DistrictView] = []
        summary = Summary(triples=len(store))
        drawing = _WholeDrawing() if graph_page else None
        with _collecting() as collect:
            for piece in district_slices(store, whole):
                g = to_networkx(piece.graph)
                views += _district_views(piece, g, folder, between=collect,
                                         layouts=drawing.layouts if drawing else None)
                summary.add(summarize(piece.graph, g, piece.own))
                if drawing is not None:
                    drawing.add(g, len(views), summary.nodes)
                del g, piece
                collect()  # the slice's graphs
        views.sort(key=lambda v: v.iri)
        _remove_stale(folder, views)
        written: list[Path] = []
        if drawing is not None:
            written.append(_write_graph_page(drawing, out_dir / "graph.html", views, summary, title, notes))
    finally:
        for path in disk:
            shutil.rmtree(path, ignore_errors=True)
    written += [v.path for v in views] + write_queries(out_dir)
    index = out_dir / "index.html"
    write_text_atomic(index, render_index(summary, views, out_dir=out_dir, title=title, failures=failures))
    return written + [index]


@contextmanager
def _collecting():
    """Yields the collection the caller runs after each slice (and between the pages of a slice): a
    cyclic garbage collection of the objects made since the last one only.

    A district's networkx graphs hold reference cycles (a graph and the views it caches of itself), so
    with the collector paused, as ``kg build`` pauses it while it writes (kg.collector.paused), every
    district drawn would stay in memory. The collector stays paused: what the block makes is collected
    in the youngest generation only, where the collection after each slice finds it (a slice's graphs,
    made and dropped since the previous one), and what survives it (the views and sums kept for the
    index) moves to an older generation that no collection in the block walks again. The automatic
    collector did walk it: its full collections, every ten collections of the middle generation (about
    four districts, however large the survivors), walked the views and sums of every district drawn so
    far, so that a district's cost grew with the districts drawn before it (3,000 districts: 38 ms a full
    collection at the first, 65 ms at the last). The objects made before the block (the reports, the
    store) are frozen, out of every collection here; one full collection at the end."""
    from kg.collector import pause

    with pause():
        gc.freeze()
        try:
            yield lambda: gc.collect(0)
            gc.collect()  # what a collection of the youngest generation cannot free
        finally:
            gc.unfreeze()


class _WholeDrawing:
    """What the whole-graph page is drawn from, gathered while the district pages are drawn: the union
    of the slices' networkx graphs (:class:`kg.views.model.NetworkxUnion`) and the district pages'
    layouts (placed side by side by :func:`kg.views.layout.skeleton_layout`), so the page costs little
    beside the district pages. Dropped as soon as the graph is too large to draw on one page
    (:func:`kg.views.layout.wants_overview`): memory holds at most a drawable graph."""

    def __init__(self):
        from kg.views.model import NetworkxUnion

        self.union: Optional[NetworkxUnion] = NetworkxUnion()
        self.layouts: Optional[dict] = {}

    def add(self, g, districts: int, nodes: int) -> None:
        """Add a slice's graph ``g``; ``districts``, ``nodes``: the counts so far, with it."""
        from kg.views.layout import wants_overview

        if self.union is None:
            return
        if wants_overview(districts, nodes):
            self.union = self.layouts = None  # the district pages keep no more layouts either
        else:
            self.union.add(g)

    def graph(self):
        """The whole graph's networkx graph, with the district layouts in ``graph["district_layouts"]``."""
        g = self.union.graph()
        g.graph["district_layouts"] = self.layouts
        return g


def _write_graph_page(drawing: _WholeDrawing, path: Path, views: list[DistrictView], summary: "Summary",
                      title: str, notes: Optional[list[str]]) -> Path:
    from kg.registry import VIEWS
    from kg.views.layout import wants_overview
    from kg.views.pyvis_view import write_overview

    if wants_overview(len(views), summary.nodes):  # too large to draw on one page
        if notes is not None:
            notes.append(f"graph.html: an overview linking the {len(views)} district pages (views/); the whole "
                         f"graph ({summary.nodes:,} nodes) is too large for one page")
        rows = [(v.label, _rel(v.path, path.parent), v.nodes, v.edges) for v in views]
        return write_overview(path, rows, nodes=summary.nodes, edges=summary.edges, title=title)
    return VIEWS.get("pyvis")(None, path, title=title, g=drawing.graph())  # small enough to draw: in memory


# --- the index's data ----------------------------------------------------------------------------

def _report_rows(graph) -> list[dict]:
    from rdflib import RDF, RDFS
    from rdflib.namespace import DCTERMS, PROV

    from kg.rdf import GWR

    per_report: dict[str, Counter] = defaultdict(Counter)
    for st in graph.subjects(RDF.type, RDF.Statement):
        report, pred = graph.value(st, PROV.wasDerivedFrom), graph.value(st, RDF.predicate)
        if report is not None and pred is not None:
            per_report[str(report)][local_name(str(pred))] += 1
    for obs in graph.subjects(RDF.type, GWR.IndicatorObservation):
        report = graph.value(obs, PROV.wasDerivedFrom)
        if report is not None:
            per_report[str(report)]["observations"] += 1
    rows = []
    for r in graph.subjects(RDF.type, GWR.Report):
        d = graph.value(r, GWR.about)
        city = graph.value(d, GWR.inCity) if d is not None else None
        prov = graph.value(d, GWR.inProvince) if d is not None else None
        counts = per_report[str(r)]
        rows.append({
            "report": str(graph.value(r, RDFS.label) or local_name(str(r))),
            "district": str(graph.value(d, RDFS.label)) if d is not None else "",
            "district_iri": str(d) if d is not None else "",
            "place": "".join(str(graph.value(x, RDFS.label) or "") for x in (prov, city) if x is not None),
            "review": graph.value(r, GWR.reviewYear), "plan": graph.value(r, GWR.planYear),
            "date": graph.value(r, DCTERMS.date), "source": str(graph.value(r, DCTERMS.source) or ""),
            "projects": counts["undertakes"], "investments": counts["invests"],
            "awards": counts["receivesAward"], "observations": counts["observations"],
        })
    return rows


def _investments(graph) -> dict[str, list]:
    """district label → [yuan, number of amounts], from each amount's statement's report."""
    from rdflib import RDF, RDFS
    from rdflib.namespace import PROV

    from kg.rdf import GWR

    total: dict[str, list] = {}
    seen = set()
    for st in graph.subjects(RDF.predicate, GWR.invests):
        amount, report = graph.value(st, RDF.object), graph.value(st, PROV.wasDerivedFrom)
        yuan = graph.value(amount, GWR.amountInYuan) if amount is not None else None
        district = graph.value(report, GWR.about) if report is not None else None
        if yuan is None or district is None or amount in seen:
            continue
        seen.add(amount)
        cell = total.setdefault(str(graph.value(district, RDFS.label) or local_name(str(district))), [0.0, 0])
        cell[0] += float(yuan)
        cell[1] += 1
    return total


def investment_by_district(graph) -> list[tuple[str, float, int]]:
    """(district label, yuan, number of amounts), from each amount's statement's report."""
    return _sorted_investments(_investments(graph))


def _sorted_investments(total: dict[str, list]) -> list[tuple[str, float, int]]:
    return sorted(((k, v, n) for k, (v, n) in total.items()), key=lambda t: (-t[1], t[0]))


def award_level(title: str) -> str:
    for level, words in AWARD_LEVELS:
        if any(w in title for w in words):
            return level
    return "其他"


def _own(s: str, prop: str, o: str, own) -> bool:
    """Whether the triple (IRIs) is one of ``own`` (N-Triples lines; None: every triple is)."""
    return own is None or f"<{s}> <{prop}> <{o}> .\n".encode("utf-8") in own


def _award_counts(g, own=None) -> tuple[Counter, Counter]:
    from kg.rdf import GWR

    levels: Counter = Counter()
    recipients: Counter = Counter()
    for s, o, key in g.edges(keys=True):
        if key == "receivesAward" and _own(s, GWR.receivesAward, o, own):
            levels[award_level(g.nodes[o]["label"])] += 1
            recipients[class_style(g.nodes[s]["cls"])[2]] += 1
    return levels, recipients


def awards_by_kind(g) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(awards received by level, awards received by the recipient's class), counting award edges."""
    return _sorted_awards(*_award_counts(g))


def _sorted_awards(levels: Counter, recipients: Counter) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    order = [lv for lv, _ in AWARD_LEVELS] + ["其他"]
    return ([(lv, levels[lv]) for lv in order if levels[lv]],
            sorted(recipients.items(), key=lambda kv: (-kv[1], kv[0])))


def _growth_cells(graph) -> dict[str, dict[str, dict[str, float]]]:
    """indicator → district label → observation kind → growth %."""
    from rdflib import RDF, RDFS

    from kg.rdf import GWR

    cells: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for d in graph.subjects(RDF.type, GWR.District):
        dl = str(graph.value(d, RDFS.label) or local_name(str(d)))
        for obs in graph.objects(d, GWR.hasObservation):
            pct = graph.value(obs, GWR.growthPercent)
            ind = graph.value(graph.value(obs, GWR.indicator), RDFS.label)
            kind = graph.value(obs, GWR.observationKind)
            if pct is None or ind is None or kind is None:
                continue
            cells[str(ind)][dl].setdefault(local_name(str(kind)), float(pct))
    return cells


def targets_vs_actuals(graph) -> dict[str, list[tuple[str, float | None, float | None]]]:
    """indicator → [(district, actual growth % of the review year, target growth % of the plan year)]."""
    return _sorted_growth(_growth_cells(graph))


def _sorted_growth(cells) -> dict[str, list[tuple[str, float | None, float | None]]]:
    return {ind: [(dl, v.get("Actual"), v.get("Target")) for dl, v in sorted(rows.items())]
            for ind, rows in sorted(cells.items())}


def _growth_year_sets(graph) -> dict[str, set[int]]:
    from rdflib import RDF

    from kg.rdf import GWR

    years: dict[str, set[int]] = {"Actual": set(), "Target": set()}
    for obs in graph.subjects(RDF.type, GWR.IndicatorObservation):
        kind, year = graph.value(obs, GWR.observationKind), graph.value(obs, GWR.year)
        if kind is not None and year is not None and graph.value(obs, GWR.growthPercent) is not None:
            try:
                years.setdefault(local_name(str(kind)), set()).add(int(year))
            except ValueError:
                continue
    return years


def growth_years(graph) -> tuple[list[int], list[int]]:
    """The years of the growth observations: (actual years, target years)."""
    years = _growth_year_sets(graph)
    return sorted(years["Actual"]), sorted(years["Target"])


@dataclass
class Summary:
    """What the index shows of the whole graph, added up slice by slice (:func:`summarize`): each
    count from the triples a slice owns, so a node or edge several slices draw counts once."""
    triples: int = 0
    nodes: int = 0
    edges: int = 0
    classes: Counter = field(default_factory=Counter)
    reports: list = field(default_factory=list)
    investments: dict = field(default_factory=dict)
    award_levels: Counter = field(default_factory=Counter)
    award_recipients: Counter = field(default_factory=Counter)
    growth: dict = field(default_factory=lambda: defaultdict(dict))
    years: dict = field(default_factory=lambda: {"Actual": set(), "Target": set()})

    def add(self, other: "Summary") -> None:
        self.nodes += other.nodes
        self.edges += other.edges
        self.classes.update(other.classes)
        self.reports += other.reports
        for label, (yuan, n) in other.investments.items():
            cell = self.investments.setdefault(label, [0.0, 0])
            cell[0] += yuan
            cell[1] += n
        self.award_levels.update(other.award_levels)
        self.award_recipients.update(other.award_recipients)
        for ind, rows in other.growth.items():
            for dl, kinds in rows.items():
                mine = self.growth[ind].setdefault(dl, {})
                for kind, pct in kinds.items():
                    mine.setdefault(kind, pct)
        for kind, ys in other.years.items():
            self.years.setdefault(kind, set()).update(ys)


def summarize(graph, g, own=None) -> Summary:
    """The :class:`Summary` of ``graph`` (``g``: its :func:`to_networkx` graph), counting nodes, edges
    and awards only where their triple is one of ``own`` (N-Triples lines; None: the whole graph's)."""
    from rdflib import RDF

    from kg.rdf import GWR

    out = Summary(reports=_report_rows(graph), investments=_investments(graph), growth=_growth_cells(graph),
                  years=_growth_year_sets(graph))
    out.award_levels, out.award_recipients = _award_counts(g, own)
    for node, data in g.nodes(data=True):
        if _own(node, RDF.type, f"{GWR}{data['cls']}", own):
            out.nodes += 1
            out.classes[data["cls"]] += 1
    for s, o, key in g.edges(keys=True):
        if _own(s, f"{GWR}{key}", o, own):
            out.edges += 1
    return out


def _years(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


# --- the index page ------------------------------------------------------------------------------

STYLE = """
body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; margin: 0;
       color: #222; background: #fafafa; }
main { max-width: 1180px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 24px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid #ddd; }
p.lead { color: #555; margin: 0 0 8px; }
table { border-collapse: collapse; background: #fff; font-size: 14px; }
th, td { border: 1px solid #e2e2e2; padding: 4px 10px; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f3f3f3; }
.views { display: flex; flex-wrap: wrap; gap: 10px; }
.views a { display: block; padding: 10px 14px; background: #fff; border: 1px solid #d8d8d8; border-radius: 6px;
           text-decoration: none; color: #1f5fa8; }
.views a span { display: block; color: #777; font-size: 12px; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; }
.chart { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 10px; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 6px; }
.note { color: #666; font-size: 13px; }
h1 small { font-size: 15px; color: #666; font-weight: normal; }
.intro { max-width: 900px; line-height: 1.6; font-size: 14px; }
.intro p { margin: 6px 0; }
h2.warn { color: #a11; border-bottom-color: #e6b3b3; }
code { background: #f0f0f0; padding: 0 4px; border-radius: 3px; font-size: 13px; }
"""


DATA_FILES = (("ttl", "Turtle"), ("trig", "TriG (one named graph per report)"), ("nt", "N-Triples"),
              ("nq", "N-Quads"), ("jsonld", "JSON-LD"))


def _rel(path: Path, out_dir: Path) -> str:
    return path.relative_to(out_dir).as_posix() if path.is_relative_to(out_dir) else path.as_posix()


def render_index(summary: Summary, views: list[DistrictView], *, out_dir: Path, title: str = "gwr-kg",
                 failures: Sequence = ()) -> str:
    """The index page of a graph, from its :class:`Summary` and its district pages."""
    from kg.query import saved_queries

    e = escape
    reports = sorted(summary.reports, key=lambda row: (row["district"], row["report"]))
    view_of = {v.iri: v for v in views}
    parts = [f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
             f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
             f"<title>{e(title)} · 总览 Overview</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>",
             f"<h1>{e(title)} · 政府工作报告知识图谱<br><small>Knowledge graph of government work reports</small></h1>",
             f'<p class="lead">{len(reports)} 份报告 reports · {summary.triples} 个三元组 triples · '
             f"{summary.nodes} 个实体 entities · {summary.edges} 条关系 relations</p>",
             '<div class="intro">'
             "<p>本页汇总从区县政府工作报告中自动抽取的事实：各区县承担哪些项目、投资多少、哪些企业、村、学校和单位获得了什么奖项，"
             "以及经济指标的实际增速与目标。每条事实都可追溯到报告原文中的句子（点击图中节点查看证据句）。</p>"
             "<p lang=\"en\">This page sums up facts extracted automatically from county-level government work "
             "reports: which projects each district undertakes and what they cost, which enterprises, villages, "
             "schools and agencies received which awards, and the growth each district achieved and targets. "
             "Every fact links to the sentence it came from (click a node in a graph to read it). The graph is "
             "RDF under a small OWL ontology (<code>gwr:</code>); extraction is rule-based (spaCy + jieba), "
             "so check the evidence before quoting a figure.</p></div>"]

    if failures:
        parts.append(f'<h2 class="warn">未能读取的报告 · Reports that failed（{len(failures)}）</h2>\n'
                     '<p class="note">这些文件没有进入图谱；其余报告照常构建。These files are not in the graph; '
                     "the other reports were built.</p>\n<table>\n<tr><th>文件 file</th><th>原因 reason</th></tr>")
        for f in failures:
            path, reason = (getattr(f, "path", None), getattr(f, "reason", None))
            if path is None:
                path, _, reason = str(f).partition(": ")
            parts.append(f"<tr><td>{e(str(path))}</td><td>{e(str(reason))}</td></tr>")
        parts.append("</table>")

    parts.append("<h2>图谱视图 · Graph views</h2>\n"
                 '<p class="note">每个区县一页：图谱加可排序的事实表。One page per district: its graph and sortable '
                 "tables of its facts.</p>\n<div class=\"views\">")
    parts.append(f'<a href="graph.html">全图 Whole graph<span>{summary.nodes} 节点 nodes · '
                 f"{summary.edges} 关系 edges</span></a>")
    for v in views:
        parts.append(f'<a href="{e(_rel(v.path, out_dir))}">{e(v.label)}<span>{v.nodes} 节点 nodes · '
                     f"{v.edges} 关系 edges</span></a>")
    parts.append("</div>")

    parts.append("<h2>跨年时间线 · Across years</h2>\n"
                 '<p class="note">每个区县的时间线：多份报告中出现的项目的历年状态、目标与实际、投资总量。'
                 "Each district's timeline: the status over the years of projects named in several reports, "
                 "targets against actuals, aggregate investment.</p>\n"
                 "<table>\n<tr><th>区县 district</th><th>报告 reports</th><th>跨年项目 projects across reports</th>"
                 "<th>目标对照 targets checked</th><th>达成 met</th><th>投资总量 aggregates</th></tr>")
    for v in views:
        t = v.timeline
        if t is None or not v.path.is_relative_to(out_dir):
            continue
        parts.append(f'<tr><td><a class="timeline" href="{e(_rel(v.path, out_dir))}#timeline">{e(v.label)} · '
                     f"时间线 timeline</a></td><td class=n>{t.reports}</td><td class=n>{t.projects}</td>"
                     f"<td class=n>{t.targets}</td><td class=n>{t.met}</td><td class=n>{t.aggregates}</td></tr>")
    parts.append("</table>")

    parts.append("<h2>报告 · Reports</h2>\n<table>\n<tr><th>报告 report</th><th>区县 district</th>"
                 "<th>省市 province, city</th><th>日期 date</th><th>回顾/计划年 review/plan year</th>"
                 "<th>文件 file</th><th>项目 projects</th><th>投资 amounts</th><th>获奖 awards</th>"
                 "<th>指标观测 indicators</th></tr>")
    for r in reports:
        v = view_of.get(r["district_iri"])
        district = (f'<a href="{e(_rel(v.path, out_dir))}">{e(r["district"])}</a>'
                    if v and v.path.is_relative_to(out_dir) else e(r["district"]))
        years = f"{r['review'] or '—'} / {r['plan'] or '—'}"
        parts.append(f"<tr><td>{e(r['report'])}</td><td>{district}</td><td>{e(r['place'])}</td>"
                     f"<td>{e(str(r['date'] or ''))}</td><td>{e(years)}</td><td>{e(r['source'])}</td>"
                     f"<td class=n>{r['projects']}</td><td class=n>{r['investments']}</td>"
                     f"<td class=n>{r['awards']}</td><td class=n>{r['observations']}</td></tr>")
    parts.append("</table>")

    parts.append("<h2>图表 · Charts</h2>\n<div class=\"charts\">")
    inv = _sorted_investments(summary.investments)
    big = max((yuan for _, yuan, _ in inv), default=0) >= 1e8
    unit, div = ("亿元", 1e8) if big else ("万元", 1e4)
    unit_en = "100 million yuan" if big else "10,000 yuan"
    parts.append('<div class="chart">' + bar_chart(
        [(f"{d}（{n}笔）", [yuan / div]) for d, yuan, n in inv], series=[(f"投资额（{unit}）", "#2ca02c")],
        title=f"各区县项目投资额（{unit}） · Investment ({unit_en})",
        fmt=lambda v: f"{v:,.2f}".rstrip("0").rstrip(".") + unit) + "</div>")
    levels, recipients = _sorted_awards(summary.award_levels, summary.award_recipients)
    parts.append('<div class="chart">' + bar_chart([(k, [n]) for k, n in levels], series=[("获奖次数", "#ff7f0e")],
                                                   title="获奖 · 按级别 · Awards by level（次 times）",
                                                   width=420, label_width=80) + "</div>")
    parts.append('<div class="chart">' + bar_chart([(k, [n]) for k, n in recipients],
                                                   series=[("获奖次数", "#9467bd")],
                                                   title="获奖 · 按获奖者类型 · by recipient（次 times）",
                                                   width=420, label_width=80) + "</div>")
    actual_years, target_years = sorted(summary.years["Actual"]), sorted(summary.years["Target"])
    ay, ty = _years(actual_years), _years(target_years)
    parts.append(f"</div>\n<h2>目标与实际 · 各指标增速（%） · Growth: actual {e(ay)} vs target {e(ty)}</h2>")
    parts.append(f'<p class="note">实际 = {e(ay)} 年完成的增速（报告回顾部分）；目标 = {e(ty)} 年预期的增速（报告计划部分）。'
                 f"两者年份不同。所有图使用同一刻度，可直接比较。 Actual: growth achieved in {e(ay)} (the report's "
                 f"review); target: growth planned for {e(ty)} (its plan) — two different years. All charts share "
                 "one scale.</p>")
    parts.append('<div class="charts">')
    tva = _sorted_growth(summary.growth)
    if not tva:
        parts.append('<p class="note">（无增速数据 no growth figures）</p>')
    values = [v for rows in tva.values() for _, a, t in rows for v in (a, t) if v is not None]
    domain = (min([0.0, *values]), max([0.0, *values]))
    series = [(f"实际 {ay}", ACTUAL[1]), (f"目标 {ty}", TARGET[1])]
    for indicator, rows in tva.items():
        parts.append('<div class="chart">' + bar_chart(
            [(d, [a, t]) for d, a, t in rows], series=series, title=indicator,
            fmt=lambda v: f"{v:g}%", width=360, label_width=70, domain=domain) + "</div>")
    parts.append("</div>")

    parts.append("<h2>数据文件与查询 · Data files and queries</h2>")
    files = [(f"graph.{ext}", what) for ext, what in DATA_FILES if (out_dir / f"graph.{ext}").is_file()]
    if files:
        parts.append("<ul>" + "".join(f'<li><a href="{e(name)}">{e(name)}</a> — {e(what)}</li>' for name, what in files)
                     + "</ul>")
    parts.append('<p class="note">更多格式 more formats: <code>kg build --format ttl,trig,nt,nq,jsonld</code>。'
                 "在命令行运行保存的查询 run a saved query from the folder you built in: <code>kg query NAME</code> "
                 "（表格 table；<code>--format csv</code> / <code>json</code>），<code>kg view NAME</code> 把结果画成图 "
                 "draws the answer; 也可直接写 SPARQL，无需 PREFIX 行 SPARQL text works too, without PREFIX lines: "
                 "<code>kg query 'SELECT ?d WHERE { ?d a gwr:District }'</code>.</p>")
    parts.append("<table>\n<tr><th>查询 query</th><th>回答什么 what it answers</th><th>运行 run</th></tr>")
    for name, (_, about) in saved_queries().items():
        rq = out_dir / "queries" / f"{name}.rq"
        link = f'<a href="queries/{e(name)}.rq">{e(name)}</a>' if rq.is_file() else e(name)
        parts.append(f"<tr><td>{link}</td><td>{e(about)}</td><td><code>kg query {e(name)}</code></td></tr>")
    parts.append("</table>")

    parts.append("<h2>各类实体 · Entities per class</h2>\n<table>\n<tr><th>类</th><th>class</th><th>数量 count</th></tr>")
    counts = summary.classes
    order = list(all_class_styles())
    for cls in sorted(counts, key=lambda c: (order.index(c) if c in order else len(order), c)):
        colour, _, zh = class_style(cls)
        parts.append(f'<tr><td><span class="swatch" style="background:{colour}"></span>{e(zh)}</td>'
                     f"<td>gwr:{e(cls)}</td><td class=n>{counts[cls]}</td></tr>")
    parts.append("</table>")
    parts.append("</main>\n</body>\n</html>\n")
    return "\n".join(parts)
