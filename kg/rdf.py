"""Map extractions to RDF under the contract (../shared/CONTRACT.md, docs/MODEL.md).

Every gwr:undertakes / gwr:invests / gwr:receivesAward triple gets an ``rdf:Statement`` pointing at
its report and the sentence it came from; each observation carries its own provenance.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Optional

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg import __version__
from kg.iri import DATA, ONTOLOGY, mint, mint_code
from kg.model import Evidence, Extraction
from kg.normalize import normalize_name
from kg.resolve import Names, award_key, org_key, project_key

GWR = Namespace(ONTOLOGY)
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
ID = Namespace(DATA)

PREFIXES = {"gwr": GWR, "id": ID, "prov": PROV, "dcterms": DCTERMS, "skos": SKOS, "schema": SCHEMA,
            "org": ORG, "rdfs": RDFS, "rdf": RDF, "xsd": XSD}


def new_graph() -> Graph:
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _decimal(value: Decimal) -> Literal:
    return Literal(value, datatype=XSD.decimal)


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


class _Builder:
    """Adds one report's facts to a graph."""

    def __init__(self, graph: Graph):
        self.g = graph
        self.labels: dict[URIRef, Names] = {}

    # entities --------------------------------------------------------------------------------
    def entity(self, iri: str, types: Iterable[URIRef], label: str) -> URIRef:
        node = URIRef(iri)
        for t in types:
            self.g.add((node, RDF.type, t))
        self.labels.setdefault(node, Names()).add("", label)
        return node

    def finish_labels(self) -> None:
        for node, names in self.labels.items():
            if not names._forms:
                continue
            self.g.remove((node, RDFS.label, None))
            self.g.add((node, RDFS.label, zh(names.label(""))))
            for alt in names.alt_labels(""):
                self.g.add((node, SKOS.altLabel, zh(alt)))

    def statement(self, s: URIRef, p: URIRef, o: URIRef, report: URIRef, ev: Evidence,
                  year: Optional[int] = None) -> None:
        self.g.add((s, p, o))
        st = URIRef(mint("stmt", s, p, o, report))
        if (st, RDF.type, RDF.Statement) in self.g:
            return  # the first sentence that says it is its evidence
        self.g.add((st, RDF.type, RDF.Statement))
        self.g.add((st, RDF.subject, s))
        self.g.add((st, RDF.predicate, p))
        self.g.add((st, RDF.object, o))
        self._provenance(st, report, ev)
        if year is not None:
            self.g.add((st, GWR.year, _int(year)))

    def _provenance(self, node: URIRef, report: URIRef, ev: Evidence) -> None:
        self.g.add((node, PROV.wasDerivedFrom, report))
        self.g.add((node, GWR.evidence, zh(ev.sentence)))
        self.g.add((node, GWR.charStart, _int(ev.start)))
        self.g.add((node, GWR.charEnd, _int(ev.end)))

    # one report ------------------------------------------------------------------------------
    def add(self, ex: Extraction) -> URIRef:
        g, meta, doc = self.g, ex.meta, ex.document
        report = URIRef(mint("report", doc.name))
        g.add((report, RDF.type, GWR.Report))
        g.add((report, DCTERMS.source, Literal(doc.name + _suffix(doc.path))))
        g.add((report, GWR.contentHash, Literal(doc.raw_sha256)))
        title = (f"{normalize_name(meta.district or '') or normalize_name(doc.name)}{meta.plan_year}年政府工作报告"
                 if meta.plan_year else normalize_name(doc.name) or doc.raw_sha256[:12])
        self.entity(str(report), (), title)
        if meta.date:
            g.add((report, DCTERMS.date, Literal(meta.date, datatype=XSD.date)))
        if meta.review_year:
            g.add((report, GWR.reviewYear, _int(meta.review_year)))
        if meta.plan_year:
            g.add((report, GWR.planYear, _int(meta.plan_year)))

        district_name = normalize_name(meta.district or "") or normalize_name(doc.name) or doc.raw_sha256[:12]
        if meta.division_code:
            district = self.entity(mint_code("district", meta.division_code), (GWR.District,), district_name)
            g.add((district, GWR.divisionCode, Literal(meta.division_code)))
        else:
            district = self.entity(mint("district", meta.province, meta.city, district_name), (GWR.District,),
                                   district_name)
        g.add((report, GWR.about, district))
        province = None
        if meta.province and normalize_name(meta.province):
            code = meta.division_code[:2] + "0000" if meta.division_code else None
            province = self.entity(mint_code("province", code) if code else mint("province", meta.province),
                                   (GWR.Province,), meta.province)
            g.add((district, GWR.inProvince, province))
            if code:
                g.add((province, GWR.divisionCode, Literal(code)))
        if meta.city and normalize_name(meta.city):
            code = meta.division_code[:4] + "00" if meta.division_code else None
            if code and code.endswith("0000"):
                code = None
            city = self.entity(mint_code("city", code) if code else mint("city", meta.province, meta.city),
                               (GWR.City,), meta.city)
            g.add((district, GWR.inCity, city))
            if code:
                g.add((city, GWR.divisionCode, Literal(code)))
            if province is not None:
                g.add((city, GWR.inProvince, province))
        if meta.speaker and normalize_name(meta.speaker):
            person = self.entity(mint("person", district, meta.speaker), (GWR.Person,), meta.speaker)
            g.add((report, GWR.deliveredBy, person))
            if meta.speaker_title:
                g.add((person, GWR.position, zh(meta.speaker_title)))

        projects: dict[str, URIRef] = {}

        def project(name: str) -> URIRef:
            k = project_key(name)
            if k not in projects:
                projects[k] = self.entity(mint("project", district, k), (GWR.Project,), k)
            self.labels[projects[k]].add("", k)
            return projects[k]

        # A name that normalizes to nothing names no entity (every entity needs a label).
        for pm in (p for p in ex.projects if project_key(p.name)):
            node = project(pm.name)
            self.labels[node].add("", pm.surface)
            if pm.status and (node, GWR.projectStatus, None) not in g:
                g.add((node, GWR.projectStatus, GWR[pm.status]))
                if pm.year:
                    g.add((node, GWR.statusYear, _int(pm.year)))
            self.statement(district, GWR.undertakes, node, report, pm.evidence, pm.year)

        for im in (i for i in ex.investments if project_key(i.project)):
            node = project(im.project)
            if (district, GWR.undertakes, node) not in g:
                self.statement(district, GWR.undertakes, node, report, im.evidence)
            amount = URIRef(mint("amount", report, project_key(im.project), im.kind, im.amount, im.currency))
            g.add((amount, RDF.type, GWR.MonetaryAmount))
            self.entity(str(amount), (), im.text)
            g.add((amount, GWR.amount, _decimal(im.amount)))
            g.add((amount, GWR.currency, Literal(im.currency)))
            if im.currency == "CNY":
                g.add((amount, GWR.amountInYuan, _decimal(im.amount)))
            g.add((amount, GWR.investmentKind, GWR[im.kind]))
            g.add((amount, GWR.amountText, Literal(im.text)))
            self.statement(node, GWR.invests, amount, report, im.evidence)

        orgs: dict[str, URIRef] = {}
        for am in (a for a in ex.awards if award_key(a.award) and org_key(a.recipient)):
            award = self.entity(mint("award", award_key(am.award)), (GWR.Award,), award_key(am.award))
            if am.recipient_type == "District" and normalize_name(am.recipient) == district_name:
                recipient = district
            elif am.recipient_type == "Project" and project_key(am.recipient) in projects:
                recipient = projects[project_key(am.recipient)]
            else:
                k = org_key(am.recipient)
                if k not in orgs:
                    cls = GWR[am.recipient_type] if am.recipient_type != "District" else GWR.Organization
                    orgs[k] = self.entity(mint("org", district, k), (cls,), am.recipient)
                    g.add((orgs[k], GWR.locatedIn, district))
                recipient = orgs[k]
                self.labels[recipient].add("", am.recipient)
            self.statement(recipient, GWR.receivesAward, award, report, am.evidence, am.year)

        for obs in ex.indicators:
            indicator = self.entity(mint("indicator", obs.indicator), (GWR.Indicator,), obs.indicator)
            node = URIRef(mint("obs", report, obs.indicator, obs.year, obs.kind))
            if (node, RDF.type, GWR.IndicatorObservation) not in g:
                g.add((node, RDF.type, GWR.IndicatorObservation))
                g.add((node, GWR.indicator, indicator))
                g.add((node, GWR.year, _int(obs.year)))
                g.add((node, GWR.observationKind, GWR[obs.kind]))
                self._provenance(node, report, obs.evidence)
                g.add((district, GWR.hasObservation, node))
                self.entity(str(node), (), f"{district_name}{obs.year}年{obs.indicator}"
                                          f"（{'目标' if obs.kind == 'Target' else '实际'}）")
            if obs.growth_percent is not None and (node, GWR.growthPercent, None) not in g:
                g.add((node, GWR.growthPercent, _decimal(obs.growth_percent)))
            if obs.amount_yuan is not None and (node, GWR.amountInYuan, None) not in g:
                g.add((node, GWR.amountInYuan, _decimal(obs.amount_yuan)))
        return report


def _suffix(path: str) -> str:
    dot = path.rfind(".")
    return path[dot:] if dot > max(path.rfind("/"), path.rfind("\\")) else ""


def build_graph(extractions: Iterable[Extraction], graph: Optional[Graph] = None) -> Graph:
    """One graph holding every report's facts (the default graph of ``kg build``)."""
    graph = graph if graph is not None else new_graph()
    builder = _Builder(graph)
    for ex in extractions:
        builder.add(ex)
    builder.finish_labels()
    return graph


def report_graph(extraction: Extraction) -> Graph:
    """One report's facts alone (its named graph in TriG/N-Quads exports and pushes)."""
    return build_graph([extraction])


GENERATOR = f"gwr-kg {__version__}"
