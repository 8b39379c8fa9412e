"""District undertakes project (``gwr:undertakes``), with the project's status."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from kg.model import Evidence, ProjectMention
from kg.relation import EvalSpec, Relation

_STATUS = {"planned": "Planned", "underway": "Underway", "completed": "Completed", "signed": "Signed"}


def resolve(fact: ProjectMention, entities) -> None:
    entities.add_project(fact.name, fact.surface)


def map_fact(fact: ProjectMention, m) -> None:
    from kg.rdf import GWR, integer
    from kg.resolve import project_key

    if not project_key(fact.name):
        return
    node = m.node(m.entities.project(fact.name))
    if fact.status and not m.has((node, GWR.projectStatus, None)):
        m.add(node, GWR.projectStatus, GWR[fact.status])
        if fact.year:
            m.add(node, GWR.statusYear, integer(fact.year))
    m.statement(m.district, GWR.undertakes, node, fact.evidence, fact.year)
    record(m, node, fact.evidence, fact.year, fact.status)


@lru_cache(maxsize=None)  # a handful of statuses; importing the table costs more than the lookup
def _status_zh(status) -> str:
    from kg.views.model import VALUE_LABELS  # the status names the pages show (plain data, no view import cost)

    return VALUE_LABELS.get(status or "", "")


def record(m, node, evidence, year=None, status=None) -> None:
    """The project's dated record in this report (``gwr:mention`` a ``gwr:ProjectRecord``): the report,
    the year and status it gives, the sentence. One record per (report, project); the first mention with
    a status gives its status, year and sentence, else the first mention. Records stay in their report's
    graph when projects of several reports are merged, so a project's records are its timeline."""
    from rdflib import RDF, URIRef

    from kg.iri import mint
    from kg.rdf import GWR, integer

    meta = m.extraction.meta
    rec = URIRef(mint("record", m.report, node))
    year = year or meta.plan_year or meta.review_year
    name = m.entities.label(str(node)) or ""
    if not m.has((rec, RDF.type, GWR.ProjectRecord)):
        m.add(rec, RDF.type, GWR.ProjectRecord)
        m.add(node, GWR.mention, rec)
        m.provenance(rec, evidence)
        if year:
            m.add(rec, GWR.year, integer(year))
        if status:
            m.add(rec, GWR.projectStatus, GWR[status])
        m.label(rec, f"{name}（{m.district_name}{year or ''}年{_status_zh(status)}）")
    elif status and not m.has((rec, GWR.projectStatus, None)):  # a later mention that gives the status
        from rdflib.namespace import PROV

        m.add(rec, GWR.projectStatus, GWR[status])
        for p in (GWR.year, GWR.evidence, GWR.charStart, GWR.charEnd, PROV.wasDerivedFrom):
            m.g.remove((rec, p, None))
        m.provenance(rec, evidence)
        if year:
            m.add(rec, GWR.year, integer(year))
        m._labels.pop(rec, None)
        m.label(rec, f"{name}（{m.district_name}{year or ''}年{_status_zh(status)}）")


def from_gold(line: Mapping[str, Any], district: str) -> ProjectMention:
    ev = str(line.get("evidence") or "")
    return ProjectMention(str(line["object"]), str(line["object"]), _STATUS.get(str(line.get("status") or "")),
                          line.get("year"), bool(line.get("explicit")), Evidence(ev, 0, len(ev)))


RELATION = Relation(
    name="projects",
    extractor="kg.extract.projects:ProjectExtractor",
    lexicon="projects",
    fact_type=ProjectMention,
    resolve=resolve,
    map=map_fact,
    styles={"Project": ("#1f77b4", "dot", "项目"), "ProjectRecord": ("#aec7e8", "dot", "项目记录")},
    edge_labels={"undertakes": "承担", "mention": "提及"},
    evaluation=EvalSpec("undertakes", from_gold),
    description="district undertakes project (gwr:undertakes), status from the verbs and the report part",
)
