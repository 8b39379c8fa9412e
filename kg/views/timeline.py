"""A district's timeline across its reports: the ``#timeline`` section of its page.

Three parts, each read through a saved query run once over the whole graph (rdflib) and grouped by
district:

- projects named in two or more reports (``project-timeline``): one row per project, one column per
  year, the status each report gives for that year;
- indicator series (``indicators``) with plan-year targets against the actual a later report gives
  (``targets-met``): met or missed;
- aggregate investment facts by year (``investment-aggregates``): count, amount in 亿元, kind.

Everything is escaped HTML and inline SVG; nothing is fetched; rows are sorted, so two builds give
the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from kg.views.charts import year_series_chart
from kg.views.model import VALUE_LABELS, local_name

#: status → (Chinese label, English, CSS class); the order a reader meets them in a project's life
STATUSES = {"Planned": ("计划", "planned", "st-planned"), "Signed": ("签约", "signed", "st-signed"),
            "Underway": ("在建", "underway", "st-underway"), "Completed": ("建成", "completed", "st-completed")}
NO_STATUS = ("提及", "mentioned", "st-none")
KINDS = {"TotalInvestment": ("总投资", "total"), "CompletedInvestment": ("完成投资", "completed"),
         "Funding": ("资金投入", "funding")}
TARGET_COLOUR, ACTUAL_COLOUR = "#ff7f0e", "#1f77b4"
YI = Decimal(10) ** 8
SMALL_AMOUNT = Decimal(10) ** 6  # amounts below (per-person incomes) are charted in 元, not 亿元


@dataclass
class Timeline:
    """What the timeline section of one district shows (plain data, for the page and the tests)."""

    #: [(project, {year: [(status local name or "", report label)]})], sorted by project name
    projects: list = field(default_factory=list)
    #: [(indicator, year, measure, target, actual, met)] as the targets-met query gives them
    targets: list = field(default_factory=list)
    #: {measure: {indicator: {year: {"Target": value, "Actual": value}}}}, for the charts
    series: dict = field(default_factory=dict)
    #: [(year or None, count, yuan Decimal, kind local name, evidence)]
    aggregates: list = field(default_factory=list)
    #: report labels of the district, sorted
    reports: list = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({y for _, cells in self.projects for y in cells})


def _rows(graph, name: str):
    """A saved query's rows, with the district's IRI first (the saved text selects ``?district``; the
    district node is ``?d`` in each)."""
    from kg.query import QUERIES_DIR

    text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
    select = "SELECT ?d ?district "
    patched = text.replace("SELECT ?district ", select, 1)
    if select not in patched:
        raise RuntimeError(f"{name}.rq: expected 'SELECT ?district …' binding the district as ?d")
    return list(graph.query(patched))


def _int(term):
    try:
        return int(term)
    except (TypeError, ValueError):
        return None


def _dec(term) -> Decimal | None:
    try:
        return Decimal(str(term))
    except Exception:  # noqa: BLE001 - not a number: nothing to draw
        return None


def timelines(graph) -> dict[str, Timeline]:
    """District IRI → its :class:`Timeline`, for every district of ``graph`` (an rdflib graph)."""
    from rdflib import RDF, RDFS

    from kg.rdf import GWR

    out: dict[str, Timeline] = defaultdict(Timeline)
    for d in graph.subjects(RDF.type, GWR.District):
        reports = sorted(str(graph.value(r, RDFS.label) or local_name(str(r)))
                         for r in graph.subjects(GWR.about, d))
        out[str(d)].reports = reports

    cells: dict[str, dict[str, dict[int, set]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    for d, _, project, year, status, report in _rows(graph, "project-timeline"):
        y = _int(year)
        if y is not None:
            cells[str(d)][str(project)][y].add((local_name(str(status)) if status is not None else "", str(report)))
    for d, projects in cells.items():
        out[d].projects = [(p, {y: sorted(v, key=_status_order) for y, v in sorted(years.items())})
                           for p, years in sorted(projects.items())]

    for d, _, indicator, year, measure, target, actual, met in _rows(graph, "targets-met"):
        out[str(d)].targets.append((str(indicator), _int(year), str(measure), _dec(target), _dec(actual),
                                    bool(met.toPython()) if met is not None else None))
    for t in out.values():
        t.targets.sort(key=lambda r: (r[2] != "growth_pct", r[0], r[1] or 0))

    for d, _, indicator, year, kind, pct, yuan in _rows(graph, "indicators"):
        y, k = _int(year), local_name(str(kind))
        if y is None:
            continue
        for measure, value in (("growth_pct", _dec(pct) if pct is not None else None),
                               ("amount_yuan", _dec(yuan) if yuan is not None else None)):
            if value is not None:
                out[str(d)].series.setdefault(measure, {}).setdefault(str(indicator), {}).setdefault(
                    y, {}).setdefault(k, value)

    for d, _, year, count, yuan, kind, evidence in _rows(graph, "investment-aggregates"):
        out[str(d)].aggregates.append((_int(year), _int(count), _dec(yuan), local_name(str(kind)), str(evidence)))
    for t in out.values():
        t.aggregates.sort(key=lambda r: (r[0] is None, r[0] or 0, r[3], -(r[2] or 0), r[4]))
    return dict(out)


def progress(cells: dict) -> str:
    """"计划 → 在建" when the status of a project's earliest year differs from its latest's, else ""."""
    seq = [s for _, v in sorted(cells.items()) for s, _ in v if s]
    if not seq or seq[0] == seq[-1]:
        return ""
    return f"{STATUSES[seq[0]][0]} → {STATUSES[seq[-1]][0]}" if seq[0] in STATUSES and seq[-1] in STATUSES else ""


def _status_order(cell) -> tuple:
    order = list(STATUSES)
    return (order.index(cell[0]) if cell[0] in order else len(order), cell[1])


def _yi(yuan: Decimal | None) -> str:
    if yuan is None:
        return ""
    text = f"{(yuan / YI).quantize(Decimal('0.0001')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _num(v: Decimal | None) -> str:
    if v is None:
        return ""
    text = f"{v.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _value(v: Decimal | None, measure: str) -> str:
    if v is None:
        return "—"
    if measure == "growth_pct":
        return f"{_num(v)}%"
    return f"{_yi(v)}亿元" if abs(v) >= SMALL_AMOUNT else f"{_num(v)}元"


# --- the section -------------------------------------------------------------------------------------

def _h(zh: str, en: str, n: int | None = None) -> str:
    count = f"（{n}）" if n is not None else ""
    return f"<h3>{escape(zh)} · {escape(en)}{count}</h3>"


def _status_chip(status: str, report: str, year: int) -> str:
    zh, en, cls = STATUSES.get(status, NO_STATUS)
    tip = f"{report}：{year}年 {zh} {en}"
    return f'<span class="chip {cls}" title="{escape(tip)}">{escape(zh)}</span>'


def _projects_part(t: Timeline) -> list[str]:
    out = [_h("跨年项目", "Projects across reports", len(t.projects)),
           '<p class="note">在两份及以上报告中出现的项目，每年一格：该年份的状态（悬停看出自哪份报告）。'
           "状态有变化的项目排在前面。Projects named in two or more reports; one cell per year with the status "
           "the reports give for that year (hover for the report); those whose status changed come first.</p>",
           '<p class="legend">' + "".join(
               f'<span class="chip {cls}">{escape(zh)}</span> {escape(en)} '
               for zh, en, cls in (*STATUSES.values(), NO_STATUS)) + "</p>"]
    if not t.projects:
        out.append('<p class="note empty">（无：没有项目出现在两份报告中 none: no project is named in two reports）</p>')
        return out
    years = t.years
    out.append('<table class="tl tl-projects"><thead><tr><th>项目 project</th>' +
               "".join(f'<th class="y">{y}</th>' for y in years) +
               "<th>进展 change</th></tr></thead><tbody>")
    for project, cells in sorted(t.projects, key=lambda pc: (not progress(pc[1]), pc[0])):
        row = [f'<th scope="row">{escape(project)}</th>']
        for y in years:
            chips = "".join(_status_chip(s, r, y) for s, r in cells.get(y, ()))
            row.append(f'<td class="y">{chips or "<span class=gap>·</span>"}</td>')
        change = progress(cells)
        row.append(f'<td class="change">{escape(change)}</td>' if change else '<td class="same">—</td>')
        out.append("<tr>" + "".join(row) + "</tr>")
    out.append("</tbody></table>")
    return out


def _targets_part(t: Timeline) -> list[str]:
    met = sum(1 for r in t.targets if r[5])
    out = [_h("目标与实际", "Targets against actuals", len(t.targets)),
           '<p class="note">一份报告定下的计划年目标，对照下一份报告给出的该年实际完成；'
           f"{met} 项达成，{len(t.targets) - met} 项未达成。A plan-year target from one report against the actual "
           f"the next report gives for that year: {met} met, {len(t.targets) - met} missed.</p>"]
    if not t.targets:
        out.append('<p class="note empty">（无：需要同一区县相邻两年的报告 none: needs two reports of the district, '
                   "a year apart）</p>")
    else:
        out.append('<table class="tl tl-targets"><thead><tr><th>指标 indicator</th><th>年份 year</th>'
                   "<th>目标 target</th><th>实际 actual</th><th>达成 met?</th></tr></thead><tbody>")
        for indicator, year, measure, target, actual, ok in t.targets:
            mark = ('<td class="met">✓ 达成 met</td>' if ok else '<td class="missed">✗ 未达成 missed</td>')
            out.append(f"<tr><th scope=\"row\">{escape(indicator)}</th><td class=n>{year}</td>"
                       f"<td class=n>{escape(_value(target, measure))}</td>"
                       f"<td class=n>{escape(_value(actual, measure))}</td>{mark}</tr>")
        out.append("</tbody></table>")
    # the series: every year each indicator has, target and actual side by side, one scale per group
    for (zh, en), scale, unit, shown in _series_groups(t):
        values = [float(v / scale) for ys in shown.values() for kv in ys.values() for v in kv.values()]
        years = sorted({y for ys in shown.values() for y in ys})
        domain = (min([0.0, *values]), max([0.0, *values]))
        out.append(f"<h4>{escape(zh)} · 各年目标与实际 · {escape(en)}: target vs actual by year</h4>")
        out.append(f'<p class="note"><span class="sw" style="background:{TARGET_COLOUR}"></span>目标 target（计划年）'
                   f'<span class="sw" style="background:{ACTUAL_COLOUR}"></span>实际 actual（回顾年）'
                   "　✓ 达成 met　✗ 未达成 missed；各图同一刻度 one scale for every chart.</p>")
        out.append('<div class="charts">')
        for indicator, ys in shown.items():
            points = [(y, _f(ys.get(y, {}).get("Target"), scale), _f(ys.get(y, {}).get("Actual"), scale))
                      for y in years]
            out.append('<div class="chart">' + year_series_chart(
                points, title=indicator, domain=domain, unit=unit,
                series=(("目标", TARGET_COLOUR), ("实际", ACTUAL_COLOUR))) + "</div>")
        out.append("</div>")
    return out


def _series_groups(t: Timeline) -> list:
    """The chart groups: growth in %, totals in 亿元, per-person amounts in 元 — each its own scale and
    unit; only indicators seen in two or more years make a series."""
    growth = {i: ys for i, ys in sorted(t.series.get("growth_pct", {}).items()) if len(ys) >= 2}
    amounts = {i: ys for i, ys in sorted(t.series.get("amount_yuan", {}).items()) if len(ys) >= 2}
    big = {i: ys for i, ys in amounts.items()
           if max(v for kv in ys.values() for v in kv.values()) >= SMALL_AMOUNT}
    small = {i: ys for i, ys in amounts.items() if i not in big}
    groups = [(("增速（%）", "growth, %"), Decimal(1), "%", growth),
              (("总量（亿元）", "amount, 100 million yuan"), YI, "亿", big),
              (("人均等（元）", "per person etc., yuan"), Decimal(1), "元", small)]
    return [g for g in groups if g[3]]


def _f(v: Decimal | None, scale: Decimal) -> float | None:
    return None if v is None else float(v / scale)


def _aggregates_part(t: Timeline) -> list[str]:
    out = [_h("投资总量", "Aggregate investment", len(t.aggregates)),
           '<p class="note">报告中按项目群给出的投资总数（不是单个项目的金额），金额单位：亿元。'
           "Totals the reports state for groups of projects (never one project's amount); amounts in "
           "亿元 (100 million yuan).</p>"]
    if not t.aggregates:
        out.append('<p class="note empty">（无 none）</p>')
        return out
    out.append('<table class="tl tl-aggregates"><thead><tr><th>年份 year</th><th>项目数 projects</th>'
               "<th>金额（亿元）amount</th><th>类型 kind</th><th>证据句 evidence</th></tr></thead><tbody>")
    for year, count, yuan, kind, evidence in t.aggregates:
        zh, en = KINDS.get(kind, (VALUE_LABELS.get(kind, kind), kind))
        out.append(f"<tr><td class=n>{year if year is not None else '—'}</td>"
                   f"<td class=n>{count if count is not None else ''}</td><td class=n>{escape(_yi(yuan))}</td>"
                   f"<td>{escape(zh)} {escape(en)}</td><td class=ev>{escape(evidence)}</td></tr>")
    out.append("</tbody></table>")
    return out


def timeline_section(t: Timeline | None) -> str:
    """The ``<section id="timeline">`` of a district page."""
    t = t or Timeline()
    reports = "、".join(t.reports)
    parts = ['<section id="timeline">',
             "<h2>跨年时间线 · Across years</h2>",
             f'<p class="note">本区县的报告 reports of this district（{len(t.reports)}）：{escape(reports)}。'
             '<a href="#facts">事实表 Facts ↓</a></p>']
    if len(t.reports) < 2:
        parts.append('<p class="note">只有一份报告：跨年对比需要同一区县的两份报告。Only one report: comparing years '
                     "needs two reports of the district.</p>")
    parts += _projects_part(t) + _targets_part(t) + _aggregates_part(t)
    parts.append("</section>")
    return "\n".join(parts)
