"""District undertakes project (``gwr:undertakes``), with the project's status."""

from __future__ import annotations

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
    styles={"Project": ("#1f77b4", "dot", "项目")},
    edge_labels={"undertakes": "承担"},
    evaluation=EvalSpec("undertakes", from_gold),
    description="district undertakes project (gwr:undertakes), status from the verbs and the report part",
)
