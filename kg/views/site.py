"""The pages a build writes besides ``graph.html``: one view per district and the index.

``output/views/<district>.html``: the part of the graph a district's reports mention (the district,
its projects, amounts, recipients, awards, observations, indicators, reports, speaker, city and
province), named by the district's GB/T 2260 code (or its IRI key when the code is unknown).

``output/index.html``: what a person opens first — the reports built, counts per class, links to the
views, and charts drawn as inline SVG (investment by district, awards by kind and by recipient,
growth targets vs actuals per indicator). Every text is escaped; the page loads nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Sequence

from kg.fsutil import write_text_atomic
from kg.views.charts import bar_chart
from kg.views.model import all_class_styles, class_style, format_yuan, local_name, members, to_networkx

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
AWARD_LEVELS = (("国家级", ("全国", "国家", "中国")), ("省级", ("省",)), ("市级", ("市",)), ("区县级", ("区", "县")))
ACTUAL, TARGET = ("实际（回顾年）", "#1f77b4"), ("目标（计划年）", "#ff7f0e")


@dataclass
class DistrictView:
    iri: str
    label: str
    path: Path
    nodes: int
    edges: int
    timeline: object = None  # its kg.views.timeline.Timeline


def district_file_key(graph, district) -> str:
    """ASCII file stem of a district's page: its division code, else its IRI key."""
    from rdflib import URIRef

    from kg.rdf import GWR

    code = graph.value(URIRef(district), GWR.divisionCode)
    return str(code) if code is not None else local_name(str(district))


def write_district_views(graph, out_dir: Path, g=None) -> list[DistrictView]:
    """One page per district under ``out_dir/views/``; stale pages of districts no longer built go."""
    from kg.views.pyvis_view import write_nx_view

    from kg.views.timeline import timeline_section, timelines

    g = g if g is not None else to_networkx(graph)
    folder = Path(out_dir) / "views"
    across = timelines(graph)
    views = []
    for iri in sorted(n for n, d in g.nodes(data=True) if d["cls"] == "District"):
        label = g.nodes[iri]["label"]
        sub = g.subgraph(members(g, district=iri)).copy()
        sub.graph.update(g.graph)
        path = folder / f"{district_file_key(graph, iri)}.html"
        write_nx_view(sub, path, title=f"{label} · 知识图谱", home="../index.html", facts=timeline_section(across.get(iri)) + "\n" + facts_tables(graph, sub, iri))
        views.append(DistrictView(iri, label, path, sub.number_of_nodes(), sub.number_of_edges(), across.get(iri)))
    written = {v.path.name for v in views}
    if folder.is_dir():
        for old in folder.glob("*.html"):
            if old.name not in written:
                old.unlink()
    return views


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


def write_index(graph, out_dir: Path, views: list[DistrictView], g=None, *, title: str = "gwr-kg",
                failures: Sequence = ()) -> Path:
    """``out_dir/index.html``; ``failures``: the reports that failed (objects with ``path`` and ``reason``,
    such as :class:`kg.build.Failure`, or strings), listed with their reasons."""
    g = g if g is not None else to_networkx(graph)
    path = Path(out_dir) / "index.html"
    write_text_atomic(path, render_index(graph, g, views, out_dir=Path(out_dir), title=title, failures=failures))
    return path


def write_queries(out_dir: Path) -> list[Path]:
    """Copies of the saved queries (``queries/*.rq``) under ``out_dir/queries/``, so the index can link them."""
    from kg.query import saved_queries

    folder = Path(out_dir) / "queries"
    written = []
    for name, (source, _) in saved_queries().items():
        written.append(folder / f"{name}.rq")
        write_text_atomic(written[-1], source.read_text(encoding="utf-8"))
    return written


def write_site_pages(graph, out_dir: Path, *, title: str = "gwr-kg", failures: Sequence = (), g=None) -> list[Path]:
    """District views, the saved queries and the index (``graph.html`` is the ``pyvis`` view's); ``g``
    is the graph's :func:`to_networkx` graph when the caller has built it already."""
    g = g if g is not None else to_networkx(graph)
    views = write_district_views(graph, out_dir, g)
    queries = write_queries(out_dir)
    return [v.path for v in views] + queries + [write_index(graph, out_dir, views, g, title=title,
                                                            failures=failures)]


# --- the index's data ----------------------------------------------------------------------------

def _report_rows(graph, g) -> list[dict]:
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
    return sorted(rows, key=lambda row: (row["district"], row["report"]))


def investment_by_district(graph) -> list[tuple[str, float, int]]:
    """(district label, yuan, number of amounts), from each amount's statement's report."""
    from rdflib import RDF, RDFS
    from rdflib.namespace import PROV

    from kg.rdf import GWR

    total: dict[str, float] = defaultdict(float)
    count: Counter = Counter()
    seen = set()
    for st in graph.subjects(RDF.predicate, GWR.invests):
        amount, report = graph.value(st, RDF.object), graph.value(st, PROV.wasDerivedFrom)
        yuan = graph.value(amount, GWR.amountInYuan) if amount is not None else None
        district = graph.value(report, GWR.about) if report is not None else None
        if yuan is None or district is None or amount in seen:
            continue
        seen.add(amount)
        label = str(graph.value(district, RDFS.label) or local_name(str(district)))
        total[label] += float(yuan)
        count[label] += 1
    return sorted(((k, v, count[k]) for k, v in total.items()), key=lambda t: (-t[1], t[0]))


def award_level(title: str) -> str:
    for level, words in AWARD_LEVELS:
        if any(w in title for w in words):
            return level
    return "其他"


def awards_by_kind(g) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(awards received by level, awards received by the recipient's class), counting award edges."""
    levels: Counter = Counter()
    recipients: Counter = Counter()
    for s, o, key in g.edges(keys=True):
        if key == "receivesAward":
            levels[award_level(g.nodes[o]["label"])] += 1
            recipients[class_style(g.nodes[s]["cls"])[2]] += 1
    order = [lv for lv, _ in AWARD_LEVELS] + ["其他"]
    return ([(lv, levels[lv]) for lv in order if levels[lv]],
            sorted(recipients.items(), key=lambda kv: (-kv[1], kv[0])))


def targets_vs_actuals(graph) -> dict[str, list[tuple[str, float | None, float | None]]]:
    """indicator → [(district, actual growth % of the review year, target growth % of the plan year)]."""
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
    return {ind: [(dl, v.get("Actual"), v.get("Target")) for dl, v in sorted(rows.items())]
            for ind, rows in sorted(cells.items())}


def growth_years(graph) -> tuple[list[int], list[int]]:
    """The years of the growth observations: (actual years, target years)."""
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
    return sorted(years["Actual"]), sorted(years["Target"])


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


def render_index(graph, g, views: list[DistrictView], *, out_dir: Path, title: str = "gwr-kg",
                 failures: Sequence = ()) -> str:
    from kg.query import saved_queries

    e = escape
    reports = _report_rows(graph, g)
    view_of = {v.iri: v for v in views}
    parts = [f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
             f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
             f"<title>{e(title)} · 总览 Overview</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>",
             f"<h1>{e(title)} · 政府工作报告知识图谱<br><small>Knowledge graph of government work reports</small></h1>",
             f'<p class="lead">{len(reports)} 份报告 reports · {len(graph)} 个三元组 triples · '
             f"{g.number_of_nodes()} 个实体 entities · {g.number_of_edges()} 条关系 relations</p>",
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
    parts.append(f'<a href="graph.html">全图 Whole graph<span>{g.number_of_nodes()} 节点 nodes · '
                 f"{g.number_of_edges()} 关系 edges</span></a>")
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
        met = sum(1 for r in t.targets if r[5])
        parts.append(f'<tr><td><a class="timeline" href="{e(_rel(v.path, out_dir))}#timeline">{e(v.label)} · '
                     f"时间线 timeline</a></td><td class=n>{len(t.reports)}</td><td class=n>{len(t.projects)}</td>"
                     f"<td class=n>{len(t.targets)}</td><td class=n>{met}</td><td class=n>{len(t.aggregates)}</td></tr>")
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
    inv = investment_by_district(graph)
    big = max((yuan for _, yuan, _ in inv), default=0) >= 1e8
    unit, div = ("亿元", 1e8) if big else ("万元", 1e4)
    unit_en = "100 million yuan" if big else "10,000 yuan"
    parts.append('<div class="chart">' + bar_chart(
        [(f"{d}（{n}笔）", [yuan / div]) for d, yuan, n in inv], series=[(f"投资额（{unit}）", "#2ca02c")],
        title=f"各区县项目投资额（{unit}） · Investment ({unit_en})",
        fmt=lambda v: f"{v:,.2f}".rstrip("0").rstrip(".") + unit) + "</div>")
    levels, recipients = awards_by_kind(g)
    parts.append('<div class="chart">' + bar_chart([(k, [n]) for k, n in levels], series=[("获奖次数", "#ff7f0e")],
                                                   title="获奖 · 按级别 · Awards by level（次 times）",
                                                   width=420, label_width=80) + "</div>")
    parts.append('<div class="chart">' + bar_chart([(k, [n]) for k, n in recipients],
                                                   series=[("获奖次数", "#9467bd")],
                                                   title="获奖 · 按获奖者类型 · by recipient（次 times）",
                                                   width=420, label_width=80) + "</div>")
    actual_years, target_years = growth_years(graph)
    ay, ty = _years(actual_years), _years(target_years)
    parts.append(f"</div>\n<h2>目标与实际 · 各指标增速（%） · Growth: actual {e(ay)} vs target {e(ty)}</h2>")
    parts.append(f'<p class="note">实际 = {e(ay)} 年完成的增速（报告回顾部分）；目标 = {e(ty)} 年预期的增速（报告计划部分）。'
                 f"两者年份不同。所有图使用同一刻度，可直接比较。 Actual: growth achieved in {e(ay)} (the report's "
                 f"review); target: growth planned for {e(ty)} (its plan) — two different years. All charts share "
                 "one scale.</p>")
    parts.append('<div class="charts">')
    tva = targets_vs_actuals(graph)
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
    counts = Counter(d["cls"] for _, d in g.nodes(data=True))
    order = list(all_class_styles())
    for cls in sorted(counts, key=lambda c: (order.index(c) if c in order else len(order), c)):
        colour, _, zh = class_style(cls)
        parts.append(f'<tr><td><span class="swatch" style="background:{colour}"></span>{e(zh)}</td>'
                     f"<td>gwr:{e(cls)}</td><td class=n>{counts[cls]}</td></tr>")
    parts.append("</table>")
    parts.append("</main>\n</body>\n</html>\n")
    return "\n".join(parts)
