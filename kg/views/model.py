"""The graph as views see it: an RDF graph turned into a networkx graph of readable entities.

Nodes are entities typed with a ``gwr:`` class; edges are ``gwr:`` object properties between them.
Each node carries its Chinese label, class, facts (its literal properties, in Chinese), the evidence
sentences of the statements it takes part in, and the reports (hence districts) that mention it; each
edge carries its evidence sentences with their report and year. Everything here is plain data: text
is never markup, escaping happens where the page is written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

#: class → (colour, vis-network shape, Chinese name) for the report and its places; each relation adds
#: the styles of its own classes (kg.relation.Relation.styles). Order = legend order.
_REPORT_STYLE: dict[str, tuple[str, str, str]] = {
    "District": ("#d62728", "star", "区县"),
    "Report": ("#8c6d31", "hexagon", "报告"),
}
_PLACE_STYLE: dict[str, tuple[str, str, str]] = {
    "City": ("#ad494a", "triangleDown", "市"),
    "Province": ("#7b4173", "triangleDown", "省"),
}
OTHER_STYLE = ("#999999", "dot", "其他")
_BASE_EDGE_LABELS = {"about": "关于", "inCity": "所属市", "inProvince": "所属省", "deliveredBy": "报告人"}


def all_class_styles() -> dict[str, tuple[str, str, str]]:
    """Every class's style in legend order: the report, then each registered relation's, then places."""
    from kg.relation import view_styles

    return {**_REPORT_STYLE, **view_styles(), **_PLACE_STYLE}


def edge_labels() -> dict[str, str]:
    from kg.relation import edge_labels as relation_edge_labels

    return {**relation_edge_labels(), **_BASE_EDGE_LABELS}


def __getattr__(name: str):
    # CLASS_STYLE, CLASS_PRIORITY and EDGE_LABELS follow the registered relations, so they are computed
    # when asked for (an outside relation registered after import still gets its legend entry).
    if name == "CLASS_STYLE":
        return all_class_styles()
    if name == "CLASS_PRIORITY":  # when an entity has several gwr: classes, the first one listed names it
        return list(all_class_styles())
    if name == "EDGE_LABELS":
        return edge_labels()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

VALUE_LABELS = {
    "Planned": "计划", "Underway": "在建", "Completed": "建成", "Signed": "签约",
    "TotalInvestment": "总投资", "CompletedInvestment": "完成投资", "Funding": "资金", "OtherAmount": "其他金额",
    "Actual": "实际", "Target": "目标",
}

FACT_LABELS = {
    "projectStatus": "状态", "statusYear": "状态年份", "amountText": "金额（原文）", "amountInYuan": "金额（元）",
    "amount": "金额", "currency": "币种", "investmentKind": "类型", "year": "年份", "observationKind": "类型",
    "growthPercent": "增长（%）", "divisionCode": "区划代码", "position": "职务", "date": "日期",
    "reviewYear": "回顾年份", "planYear": "计划年份", "source": "文件", "contentHash": None, "charStart": None,
    "charEnd": None, "evidence": None, "altLabel": "别名",
}


def class_style(cls: str) -> tuple[str, str, str]:
    return all_class_styles().get(cls, OTHER_STYLE)


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


def format_yuan(value) -> str:
    """3.2e8 → '3.2亿元', 45000000 → '4500万元'."""
    try:
        v = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if abs(v) >= Decimal(10) ** 8:
        return f"{_trim(v / Decimal(10) ** 8)}亿元"
    if abs(v) >= Decimal(10) ** 4:
        return f"{_trim(v / Decimal(10) ** 4)}万元"
    return f"{_trim(v)}元"


def _shown_literal(o) -> str:
    """A literal as a page shows it: an xsd:decimal without the ``.0`` its canonical form ends with."""
    text = str(o)
    if str(o.datatype or "").endswith("#decimal") and text.endswith(".0"):
        return text[:-2]
    return text


def _trim(v: Decimal) -> str:
    text = f"{v.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Evidence:
    """One sentence that says something, with the report it is from and the year it is about."""
    report: str  # report IRI
    sentence: str
    year: int | None = None

    def sort_key(self) -> tuple:
        return (self.report, self.year if self.year is not None else -1, self.sentence)


@dataclass
class Reports:
    """Report IRI → (label, district IRI, year) lookup for a graph."""
    label: dict[str, str] = field(default_factory=dict)
    district: dict[str, str] = field(default_factory=dict)
    year: dict[str, int | None] = field(default_factory=dict)

    def describe(self, report: str, year: int | None = None) -> str:
        name = self.label.get(report, local_name(report))
        return f"{name}（{year}年）" if year else name

    def districts_of(self, reports) -> list[str]:
        """The sorted districts of ``reports`` (a node's districts: those of the reports that mention it)."""
        return sorted({self.district[r] for r in reports if self.district.get(r)})


def to_networkx(graph):
    """A networkx MultiDiGraph of the RDF graph's entities (nodes) and object properties (edges).

    Node attributes: ``label``, ``cls``, ``facts`` (list of (name, value)), ``evidence`` (sorted list of
    :class:`Evidence`), ``reports`` (sorted report IRIs), ``districts`` (sorted district IRIs).
    Edge key = property local name; attributes: ``label`` (Chinese), ``prop``, ``evidence``.
    The graph attribute ``reports`` is a :class:`Reports`.
    """
    import networkx as nx
    from rdflib import RDF, RDFS, Literal, URIRef
    from rdflib.namespace import DCTERMS, PROV, SKOS

    from kg.rdf import GWR

    gwr = str(GWR)
    g = nx.MultiDiGraph()

    classes: dict[str, list[str]] = defaultdict(list)
    for s, cls in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and str(cls).startswith(gwr):
            classes[str(s)].append(str(cls)[len(gwr):])

    reports = Reports()
    for r in graph.subjects(RDF.type, GWR.Report):
        key = str(r)
        reports.label[key] = str(graph.value(r, RDFS.label) or local_name(key))
        about = graph.value(r, GWR.about)
        reports.district[key] = str(about) if about is not None else ""
        plan = graph.value(r, GWR.planYear)
        reports.year[key] = int(plan) if plan is not None else None
    g.graph["reports"] = reports
    g.graph["district_labels"] = {str(d): str(graph.value(d, RDFS.label) or local_name(str(d)))
                                  for d in graph.subjects(RDF.type, GWR.District)}

    node_reports: dict[str, set[str]] = defaultdict(set)
    node_evidence: dict[str, set[Evidence]] = defaultdict(set)
    edge_evidence: dict[tuple[str, str, str], set[Evidence]] = defaultdict(set)

    def year_of(node) -> int | None:
        y = graph.value(node, GWR.year)
        try:
            return int(y) if y is not None else None
        except ValueError:
            return None

    strings: dict[str, str] = {}  # one copy of each text: a sentence and a report name many statements

    def text(term) -> str:
        value = str(term)
        return strings.setdefault(value, value)

    for st in graph.subjects(RDF.type, RDF.Statement):
        s, p, o = graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object)
        report = graph.value(st, PROV.wasDerivedFrom)
        if s is None or p is None or o is None:
            continue
        ev = Evidence(text(report or ""), text(graph.value(st, GWR.evidence) or ""), year_of(st))
        s, o = text(s), text(o)
        edge_evidence[(s, text(p), o)].add(ev)
        for n in (s, o):
            node_evidence[n].add(ev)
            if report is not None:
                node_reports[n].add(text(report))

    for node, report in graph.subject_objects(PROV.wasDerivedFrom):
        if str(node) in classes:  # an observation carries its own provenance
            node_reports[str(node)].add(text(report))
            node_evidence[str(node)].add(Evidence(text(report), text(graph.value(node, GWR.evidence) or ""),
                                                  year_of(node)))

    fact_props = {DCTERMS.date: "date", DCTERMS.source: "source", SKOS.altLabel: "altLabel"}
    priority = list(all_class_styles())
    labels = edge_labels()
    for node, types in sorted(classes.items()):
        cls = min(types, key=lambda c: priority.index(c) if c in priority else len(priority))
        subject = URIRef(node)
        label = graph.value(subject, RDFS.label)
        facts: list[tuple[str, str]] = []
        for p, o in graph.predicate_objects(subject):
            name = str(p)[len(gwr):] if str(p).startswith(gwr) else fact_props.get(p)
            if name is None:
                continue
            shown = FACT_LABELS.get(name, name)
            if shown is None:
                continue
            if isinstance(o, Literal):
                value = format_yuan(o) if name == "amountInYuan" else _shown_literal(o)
            elif isinstance(o, URIRef) and str(o).startswith(gwr) and o not in classes:
                value = VALUE_LABELS.get(local_name(str(o)), local_name(str(o)))
            else:
                continue
            facts.append((shown, value))
        g.add_node(node, label=str(label) if label is not None else local_name(node), cls=cls,
                   facts=sorted(set(facts)), evidence=sorted(node_evidence.get(node, ()), key=Evidence.sort_key),
                   reports=set(node_reports.get(node, ())))

    for s, p, o in graph:
        if not (isinstance(o, URIRef) and str(p).startswith(gwr)):
            continue
        s_, o_ = str(s), str(o)
        if s_ in g and o_ in g:
            name = str(p)[len(gwr):]
            g.add_edge(s_, o_, key=name, prop=name, label=labels.get(name, name),
                       evidence=sorted(edge_evidence.get((s_, str(p), o_), ()), key=Evidence.sort_key))

    _spread_reports(g, reports)
    for node, data in g.nodes(data=True):
        data["reports"] = sorted(data["reports"])
        data["districts"] = reports.districts_of(data["reports"])
    return g


def _spread_reports(g, reports: Reports) -> None:
    """Give structural neighbours the reports of what they describe (a report's district, speaker,
    city and province; a recipient's district; an observation's indicator)."""
    for report, district in reports.district.items():
        if report in g:
            g.nodes[report]["reports"].add(report)
        for _, target, key in list(g.out_edges(report, keys=True)) if report in g else []:
            g.nodes[target]["reports"].add(report)  # about → district, deliveredBy → person
        if district in g:
            g.nodes[district]["reports"].add(report)
            for _, target, key in g.out_edges(district, keys=True):
                if key in ("inCity", "inProvince"):
                    g.nodes[target]["reports"].add(report)
    for s, o, key in list(g.edges(keys=True)):
        if key == "locatedIn":
            g.nodes[s]["reports"] |= {r for r in g.nodes[o]["reports"] if reports.district.get(r) == o}
        elif key in ("indicator", "invests"):
            g.nodes[o]["reports"] |= g.nodes[s]["reports"]


class NetworkxUnion:
    """The :func:`to_networkx` graph of a whole graph, put together from those of its district slices
    (:func:`kg.store.district_slices`), so that a whole-graph page drawn after the district pages does
    not read and convert every triple once more.

    Every attribute :func:`to_networkx` gives is a union over triples (a node's facts, the evidence of a
    node or an edge, a node's reports, the graph's reports and district labels), or one value that each
    slice naming the node carries alike (its label and class: a slice holds the label and types of every
    node it names); a node's districts follow from its reports. So the union of the slices' graphs is the
    whole graph's (tests compare them, node by node and edge by edge)."""

    def __init__(self):
        self._nodes: dict[str, dict] = {}
        self._edges: dict[tuple[str, str, str], dict] = {}
        self._reports = Reports()
        self._district_labels: dict[str, str] = {}

    def add(self, g) -> None:
        """Add one slice's :func:`to_networkx` graph."""
        reports = g.graph["reports"]
        self._reports.label.update(reports.label)
        self._reports.district.update(reports.district)
        self._reports.year.update(reports.year)
        self._district_labels.update(g.graph["district_labels"])
        for node, data in g.nodes(data=True):
            seen = self._nodes.get(node)
            if seen is None:
                self._nodes[node] = {"label": data["label"], "cls": data["cls"], "facts": set(data["facts"]),
                                     "evidence": set(data["evidence"]), "reports": set(data["reports"])}
            else:
                for key in ("facts", "evidence", "reports"):
                    seen[key].update(data[key])
        for s, o, key, data in g.edges(keys=True, data=True):
            seen = self._edges.get((s, o, key))
            if seen is None:
                self._edges[(s, o, key)] = dict(data, evidence=set(data["evidence"]))
            else:
                seen["evidence"].update(data["evidence"])

    def graph(self):
        """The union as a networkx MultiDiGraph (nodes and edges in sorted order)."""
        import networkx as nx

        g = nx.MultiDiGraph()
        g.graph["reports"] = self._reports
        g.graph["district_labels"] = self._district_labels
        for node in sorted(self._nodes):
            data = self._nodes[node]
            reports = sorted(data["reports"])
            g.add_node(node, label=data["label"], cls=data["cls"], facts=sorted(data["facts"]),
                       evidence=sorted(data["evidence"], key=Evidence.sort_key), reports=reports,
                       districts=self._reports.districts_of(reports))
        for s, o, key in sorted(self._edges):
            data = self._edges[(s, o, key)]
            g.add_edge(s, o, key=key, **dict(data, evidence=sorted(data["evidence"], key=Evidence.sort_key)))
        return g


_MEMBERS: "weakref.WeakKeyDictionary" = None  # type: ignore[assignment]


def members(g, *, district: str | None = None, report: str | None = None) -> list[str]:
    """Nodes of ``g`` that a district's (or a report's) reports mention (in ``g``'s node order).

    The nodes of every district and report are indexed in one pass over ``g`` the first time (and again
    when ``g`` has gained or lost nodes): a page per district asked the whole graph each time, which made the
    district pages quadratic in the corpus."""
    global _MEMBERS
    import weakref

    if _MEMBERS is None:
        _MEMBERS = weakref.WeakKeyDictionary()
    size = g.number_of_nodes()  # (number_of_edges() walks every node of a multigraph)
    cached = _MEMBERS.get(g)
    if cached is None or cached[0] != size:
        by_district: dict[str, list[str]] = {}
        by_report: dict[str, list[str]] = {}
        for n, d in g.nodes(data=True):
            for x in d["districts"]:
                by_district.setdefault(x, []).append(n)
            for x in d["reports"]:
                by_report.setdefault(x, []).append(n)
        cached = _MEMBERS[g] = (size, by_district, by_report)
    _, by_district, by_report = cached
    if report is not None:
        return list(by_report.get(report, ()))
    return list(by_district.get(district, ()))
