"""Interactive HTML views drawn with pyvis's vis-network, laid out by networkx, fully offline.

Entities become nodes (coloured and shaped by class, sized by degree), object properties become
labelled edges; facts, evidence sentences, reports and years appear in tooltips and a details panel.

The page is self-contained: vis-network's JS and CSS (shipped inside the pyvis package) are inlined,
and pyvis's own template is not used, because it links Bootstrap (and, with its menus, tom-select)
from a CDN. Search, filters and legend are a few lines of our own JS (``assets/view.js``); a
Content-Security-Policy forbids every fetch. Report text is data: it is carried as JSON in a
non-executable ``<script type="application/json">`` block (``<``, ``>``, ``&`` escaped), drawn on the
canvas as labels, and shown in tooltips through ``textContent``, never as markup.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Optional, Sequence

from kg.fsutil import write_text_atomic
from kg.views.model import all_class_styles, class_style, local_name, to_networkx  # noqa: F401 (re-export)

ASSETS = Path(__file__).resolve().parent / "assets"
VIS_VERSION = "9.1.2"
FONT_FACE = ("Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, WenQuanYi Zen Hei, PingFang SC, "
             "Microsoft YaHei, sans-serif")
LABEL_CHARS = 14  # longer names are cut on the canvas (the tooltip has them whole)
MAX_EVIDENCE = 4  # sentences per edge in the details panel
MAX_NODE_EVIDENCE = 12  # sentences per node in the details panel
TIP_FACTS = 4  # facts in the hover tooltip
TOP_DEGREE = 10  # besides districts and awards, this many best-connected nodes are labelled at first sight
#: label rank: 0 districts, 1 awards, 2 the best-connected nodes — drawn at the opening zoom —, 3 the rest
#: (drawn from a closer zoom, or on hover); assets/view.js draws them in this order, skipping overlaps
RANK_DISTRICT, RANK_AWARD, RANK_HUB, RANK_OTHER = 0, 1, 2, 3
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
       "font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")

HINT = ("点击节点，这里显示它的事实与证据句；点击空白处取消高亮。\n"
        "Click a node to see its facts and evidence sentences here; click empty space to clear.\n\n"
        "放大可看到更多名称；悬停显示简要提示；搜索框按回车定位匹配节点。\n"
        "Zoom in for more names; hover for a short tip; press Enter in the search box to zoom to matches.")

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="gwr-kg (pyvis {{ pyvis_version }}, vis-network {{ vis_version }})">
<title>{{ title }}</title>
<style>{{ vis_css }}</style>
<style>{{ css }}</style>
</head>
<body>
<div id="top">
<header><h1>{{ title }}</h1><span class="sub">{{ n_nodes }} 个节点 nodes · {{ n_edges }} 条关系 edges</span>
{% if facts %}<a class="jump" href="#facts">事实表 Facts ↓</a>{% endif %}
{% if home %}<a class="home" href="{{ home }}">← 总览 Overview</a>{% endif %}</header>
<div id="toolbar">
<input id="search" type="search" placeholder="搜索名称 Search (Enter)" aria-label="搜索 search">
<select id="district-filter" aria-label="区县 district"><option value="">全部区县 All districts</option></select>
<select id="report-filter" aria-label="报告 report"><option value="">全部报告 All reports</option></select>
<button id="reset" type="button">重置 Reset</button>
<span id="status"></span>
</div>
<div id="main">
<nav id="legend"><h2>图例 · 按类筛选<br>Legend · filter</h2><div id="legend-items"></div></nav>
<div id="network"></div>
<aside id="details"><h2>详情 Details</h2><pre id="details-text"></pre></aside>
</div>
</div>
<div id="tooltip" hidden></div>
<script type="application/json" id="gwr-data">{{ data }}</script>
{% if facts %}{{ facts }}{% endif %}
<script>{{ vis_js }}</script>
<script>{{ js }}</script>
</body>
</html>
"""


def _json_for_html(value) -> str:
    """JSON that cannot end the ``<script>`` element holding it, whatever the strings contain."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        raise RuntimeError(f"{lib}: vis-network bundle cannot be inlined (it contains a closing tag)")
    # drop the source-map comment: a browser with dev tools open would try to fetch it
    js = "\n".join(line for line in js.split("\n") if not line.startswith("//# sourceMappingURL"))
    return js, css


class _PageStyles:
    """class → style for one page: the registered relations' styles are gathered once, not per node."""

    def __init__(self):
        self.styles = all_class_styles()

    def __call__(self, cls: str):
        return self.styles.get(cls) or class_style(cls)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def node_text(g, node: str, style=class_style) -> str:
    """The plain-text tooltip of a node: class and name, facts, districts, reports, evidence."""
    data = g.nodes[node]
    reports = g.graph.get("reports")
    zh = style(data["cls"])[2]
    lines = [f"{zh} · {data['label']}"]
    lines += [f"{name}：{value}" for name, value in data["facts"]]
    if data.get("districts"):
        labels = g.graph.get("district_labels", {})
        lines.append("区县：" + "、".join(labels.get(d, local_name(d)) for d in data["districts"]))
    if data.get("reports") and reports is not None:
        lines.append("报告：" + "；".join(reports.describe(r) for r in data["reports"]))
    evidence = [e for e in data.get("evidence", ()) if e.sentence]
    if evidence:
        lines.append(f"\n证据 evidence（{len(evidence)}）：")
        for ev in evidence[:MAX_NODE_EVIDENCE]:
            lines.append(f"「{ev.sentence}」")
            if reports is not None:
                lines.append(f"　—— {_source(reports, ev)}")
        if len(evidence) > MAX_NODE_EVIDENCE:
            lines.append(f"……另有 {len(evidence) - MAX_NODE_EVIDENCE} 句")
    lines.append("\n" + node)
    return "\n".join(lines)


def _source(reports, ev) -> str:
    """Where a sentence is from: the report's name, and the year the fact is about when the report
    names one (a 2024 report reviews 2023): one report, not two."""
    name = reports.describe(ev.report)
    return f"{name}，述及 {ev.year} 年" if ev.year else name


def hover_text(g, node: str, style=class_style) -> str:
    """The short hover tooltip of a node: class and name, a few facts, districts; evidence is in the
    details panel (a click)."""
    data = g.nodes[node]
    zh = style(data["cls"])[2]
    lines = [f"{zh} · {data['label']}"]
    facts = [f"{name}：{value}" for name, value in data["facts"] if name != "别名"]
    if facts:
        lines.append(" · ".join(facts[:TIP_FACTS]) + (" …" if len(facts) > TIP_FACTS else ""))
    if data.get("districts") and data["cls"] != "District":
        labels = g.graph.get("district_labels", {})
        lines.append("区县：" + "、".join(labels.get(d, local_name(d)) for d in data["districts"]))
    n = len([e for e in data.get("evidence", ()) if e.sentence])
    lines.append(f"点击查看证据（{n} 句） · click for evidence" if n else "点击查看详情 · click for details")
    return "\n".join(lines)


def edge_text(g, s: str, o: str, data: dict) -> str:
    reports = g.graph.get("reports")
    lines = [f"{g.nodes[s]['label']} —{data['label']}→ {g.nodes[o]['label']}"]
    for ev in data.get("evidence", ())[:MAX_EVIDENCE]:
        if ev.sentence:
            lines.append(f"「{ev.sentence}」")
        if reports is not None:
            lines.append(f"　—— {_source(reports, ev)}")
    return "\n".join(lines)


def page_data(g) -> dict:
    """Everything the page's script needs, as JSON-ready data (node ids are indices, sorted by IRI)."""
    from pyvis.edge import Edge
    from pyvis.node import Node

    nodes = sorted(g.nodes())
    index = {n: i for i, n in enumerate(nodes)}
    size = node_sizes(g)
    rank = label_ranks(g)
    pos = g.graph.get("positions") or page_layout(g, size, rank)
    reports = g.graph.get("reports")
    labels = g.graph.get("district_labels", {})
    district_iris = {d for n in nodes for d in g.nodes[n].get("districts", ())}
    on_page = {n for n in nodes if g.nodes[n]["cls"] == "District"}
    if on_page:  # a district's page lists that district, not those that share an award with it
        district_iris &= on_page
    district_iris = sorted(district_iris, key=lambda d: (labels.get(d, local_name(d)), d))
    report_iris = sorted({r for n in nodes for r in g.nodes[n].get("reports", ())},
                         key=lambda r: (reports.label.get(r, r) if reports else r, r))
    d_index = {d: i for i, d in enumerate(district_iris)}
    r_index = {r: i for i, r in enumerate(report_iris)}

    big = len(nodes) > 800
    # vis-network's node and edge options as pyvis's Node and Edge make them (what Network.add_node and
    # add_edge append, without their check of each id against a list of every node: quadratic in a page)
    vis_nodes, vis_edges = [], []
    meta = []
    style = _PageStyles()
    for node in nodes:
        data = g.nodes[node]
        color, shape, _ = style(data["cls"])
        x, y = pos[node]
        # labels are drawn by assets/view.js (screen-sized, without overlaps), not by vis-network
        vis_nodes.append(Node(index[node], shape, label=_short(data["label"]), color=color, font_color=False,
                              size=size[node], x=x, y=y, font={"size": 0}).options)
        alt = [v for k, v in data["facts"] if k == "别名"]
        meta.append({"c": data["cls"], "s": " ".join([data["label"], *alt]).lower(), "t": node_text(g, node, style),
                     "h": hover_text(g, node, style), "p": rank[node],
                     "d": [d_index[d] for d in data.get("districts", ()) if d in d_index],
                     "r": [r_index[r] for r in data.get("reports", ())]})
    edges = sorted(g.edges(keys=True, data=True), key=lambda e: (index[e[0]], index[e[1]], e[2]))
    tips = []
    for i, (s, o, _key, data) in enumerate(edges):
        vis_edges.append(Edge(index[s], index[o], True, id=i, label=data["label"]).options)
        tips.append(edge_text(g, s, o, data))

    counts: dict[str, int] = {}
    for node in nodes:
        counts[g.nodes[node]["cls"]] = counts.get(g.nodes[node]["cls"], 0) + 1
    order = list(all_class_styles())
    classes = [[c, style(c)[2], style(c)[0], style(c)[1], counts[c]]
               for c in sorted(counts, key=lambda c: (order.index(c) if c in order else len(order), c))]
    options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {"hover": True, "hoverConnectedEdges": True, "tooltipDelay": 120,
                        "hideEdgesOnDrag": big, "hideEdgesOnZoom": big, "multiselect": False},
        "nodes": {"borderWidth": 1, "font": {"face": FONT_FACE, "color": "#222", "strokeWidth": 3,
                                             "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "width": 1, "color": {"color": "#9aa4ad", "highlight": "#333333",
                                                         "hover": "#555555"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  # edge names are in the tooltip and details panel; on the canvas they covered the nodes' labels
                  "font": {"face": FONT_FACE, "size": 0, "color": "#555", "strokeWidth": 3, "align": "middle"}},
    }
    return {
        "nodes": vis_nodes, "edges": vis_edges, "meta": meta, "edgeTips": tips, "classes": classes,
        "districts": [labels.get(d, local_name(d)) for d in district_iris],
        "reports": [reports.describe(r) if reports else r for r in report_iris],
        "options": options, "hint": HINT,
    }


def node_sizes(g) -> dict[str, float]:
    """node → drawn radius: larger for better-connected nodes."""
    degree = dict(g.degree())
    return {n: round(8 + 5 * math.sqrt(min(degree.get(n, 0), 100)), 1) for n in g.nodes()}


def page_layout(g, sizes: Optional[dict] = None, rank: Optional[dict] = None) -> dict[str, tuple[int, int]]:
    """node → (x, y) as the page of ``g`` draws it (:func:`page_data`, unless ``g.graph["positions"]``
    holds them already: a caller that keeps a page's layout computes it here and sets them there).

    A large graph is laid out from its skeleton (:func:`kg.views.layout.skeleton_layout`: districts laid
    out alone, then placed; linear, not quadratic), reusing the district layouts in
    ``g.graph["district_layouts"]`` (district IRI → its page's positions) where it has them."""
    from kg.views.layout import SKELETON_ABOVE, layout, skeleton_layout

    sizes = node_sizes(g) if sizes is None else sizes
    rank = label_ranks(g) if rank is None else rank
    nodes = sorted(g.nodes())
    options = {"labelled": {n: _short(g.nodes[n]["label"]) for n in nodes if rank[n] < RANK_OTHER}, "sizes": sizes,
               "fixed": frozenset(n for n in nodes if rank[n] == RANK_DISTRICT)}
    if len(nodes) > SKELETON_ABOVE:
        return skeleton_layout(g, blocks=g.graph.get("district_layouts"), **options)
    return layout(g, **options)


def label_ranks(g) -> dict[str, int]:
    """node → label rank (RANK_*): districts, awards, indicators and the TOP_DEGREE best-connected others,
    the rest."""
    degree = dict(g.degree())
    rank = {}
    for node, data in g.nodes(data=True):
        rank[node] = (RANK_DISTRICT if data["cls"] == "District" else RANK_AWARD if data["cls"] == "Award" else
                      RANK_HUB if data["cls"] == "Indicator" else RANK_OTHER)
    others = sorted((n for n in rank if rank[n] == RANK_OTHER and degree.get(n, 0) >= 3),
                    key=lambda n: (-degree[n], n))
    for node in others[:TOP_DEGREE]:
        rank[node] = RANK_HUB
    return rank


def render_page(g, *, title: str = "gwr-kg", home: Optional[str] = "index.html", facts: str = "") -> str:
    """The HTML page of a networkx graph made by :func:`to_networkx` (or one of its subgraphs)."""
    import pyvis
    from jinja2 import Environment
    from markupsafe import Markup

    vis_js, vis_css = _vis_assets()
    env = Environment(autoescape=True, keep_trailing_newline=True)
    data = page_data(g)
    return env.from_string(PAGE).render(
        title=title, home=home, csp=Markup(CSP), facts=Markup(facts), n_nodes=len(data["nodes"]), n_edges=len(data["edges"]),
        pyvis_version=pyvis.__version__, vis_version=VIS_VERSION,
        vis_js=Markup(vis_js), vis_css=Markup(vis_css),
        js=Markup((ASSETS / "view.js").read_text(encoding="utf-8")),
        css=Markup((ASSETS / "view.css").read_text(encoding="utf-8")),
        data=Markup(_json_for_html(data)),
    )


def write_nx_view(g, path: Path, *, title: str = "gwr-kg", home: Optional[str] = "index.html",
                  facts: str = "", sweep: bool = True) -> Path:
    """Write the page of a networkx graph (UTF-8, atomically); ``facts`` is escaped HTML shown below it.
    ``sweep=False``: the caller removes stale temporary files of the folder (:func:`kg.fsutil.atomic_open`)."""
    path = Path(path)
    write_text_atomic(path, render_page(g, title=title, home=home, facts=facts), sweep=sweep)
    return path


def write_view(graph, path: Path, *, title: str = "gwr-kg", home: Optional[str] = "index.html", g=None) -> Path:
    """Draw the RDF ``graph`` (or ``g``, its :func:`to_networkx` graph when the caller has it) to a
    self-contained, offline HTML page at ``path``."""
    return write_nx_view(g if g is not None else to_networkx(graph), path, title=title, home=home)


OVERVIEW_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="gwr-kg">
<title>{{ title }}</title>
<style>
body { font-family: {{ font }}; margin: 1.5em; color: #222; }
.note { color: #555; }
ul.districts { columns: 16em; padding-left: 1.2em; }
ul.districts li { break-inside: avoid; margin: 0.15em 0; }
.n { color: #777; font-size: 0.9em; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p class="note">{{ n_nodes }} 个节点 nodes · {{ n_edges }} 条关系 edges · {{ districts|length }} 个区县 districts.
整图太大，无法在一页中阅读：请打开各区县的页面。
The whole graph is too large to read on one page (more than {{ limit }}): open a district's page.
<a href="{{ home }}">← 总览 Overview</a></p>
<ul class="districts">
{% for label, href, nodes, edges in districts %}<li><a href="{{ href }}">{{ label }}</a> <span class="n">{{ nodes }} · {{ edges }}</span></li>
{% endfor %}</ul>
</body>
</html>
"""


def write_overview(path: Path, districts: Sequence[tuple[str, str, int, int]], *, nodes: int, edges: int,
                   title: str = "gwr-kg", home: str = "index.html") -> Path:
    """``graph.html`` for a graph too large to draw on one page: its size (``nodes``, ``edges``) and a
    link to each district's page: ``districts`` holds (label, link, nodes, edges), shown sorted by label."""
    from jinja2 import Environment
    from markupsafe import Markup

    from kg.views.layout import OVERVIEW_DISTRICTS, OVERVIEW_NODES

    env = Environment(autoescape=True, keep_trailing_newline=True)
    page = env.from_string(OVERVIEW_PAGE).render(
        title=title, csp=Markup(CSP), font=Markup(FONT_FACE), home=home,
        districts=sorted(districts, key=lambda r: (r[0], r[1])), n_nodes=nodes, n_edges=edges,
        limit=f"{OVERVIEW_DISTRICTS} districts or {OVERVIEW_NODES:,} nodes")
    write_text_atomic(Path(path), page)
    return Path(path)
