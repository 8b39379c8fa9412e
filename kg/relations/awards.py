"""Organization (or person, product, district, project) receives award (``gwr:receivesAward``)."""

from __future__ import annotations

from typing import Any, Mapping

from kg.model import RECIPIENT_TYPES, AwardMention, Evidence
from kg.relation import EvalSpec, Relation


def _recipient_key(fact: AwardMention) -> tuple[str, str]:
    return ("recipient", f"{fact.recipient_type}\x1f{fact.recipient}")


def resolve(fact: AwardMention, entities) -> None:
    """The award is one node per title; the recipient is the district when the fact names the district,
    a project of this report when typed Project and known as one, else an organization of the district."""
    from kg.iri import mint
    from kg.normalize import normalize_name
    from kg.resolve import award_key, org_key, project_key

    if not (award_key(fact.award) and org_key(fact.recipient)):
        return
    entities.add("award", award_key(fact.award), mint("award", award_key(fact.award)), type_="Award",
                 surface=award_key(fact.award))
    kind, key = _recipient_key(fact)
    if fact.recipient_type == "District" and normalize_name(fact.recipient) == entities.district_name:
        iri = entities.district_iri
    elif fact.recipient_type == "Project" and entities.has("project", project_key(fact.recipient)):
        iri = entities.project(fact.recipient)
    else:
        k = org_key(fact.recipient)
        cls = fact.recipient_type if fact.recipient_type != "District" else "Organization"
        iri = entities.add("org", k, mint("org", entities.district_iri, k), type_=cls, surface=fact.recipient)
    entities.add(kind, key, iri)


def map_fact(fact: AwardMention, m) -> None:
    from kg.rdf import GWR
    from kg.resolve import award_key

    kind, key = _recipient_key(fact)
    if not m.entities.has(kind, key):
        return
    recipient = m.node(m.entities.get(kind, key))
    if recipient != m.district and m.entities.has("org", _org(fact)) and m.entities.get("org", _org(fact)) == str(recipient):
        m.add(recipient, GWR.locatedIn, m.district)
    award = m.node(m.entities.get("award", award_key(fact.award)))
    m.statement(recipient, GWR.receivesAward, award, fact.evidence, fact.year)


def _org(fact: AwardMention) -> str:
    from kg.resolve import org_key

    return org_key(fact.recipient)


def from_gold(line: Mapping[str, Any], district: str) -> AwardMention:
    ev = str(line.get("evidence") or "")
    type_ = str(line.get("subject_type") or "Organization")
    if type_ not in RECIPIENT_TYPES:
        type_ = "Organization"
    return AwardMention(str(line["subject"]), type_, str(line["object"]), line.get("year"), Evidence(ev, 0, len(ev)))


RELATION = Relation(
    name="awards",
    extractor="kg.extract.awards:AwardExtractor",
    lexicon="awards",
    fact_type=AwardMention,
    resolve=resolve,
    map=map_fact,
    styles={
        "Award": ("#ff7f0e", "triangle", "奖项"),
        "Enterprise": ("#9467bd", "dot", "企业"),
        "Organization": ("#8c564b", "dot", "组织"),
        "Village": ("#bcbd22", "dot", "村"),
        "Community": ("#17becf", "dot", "社区"),
        "School": ("#e377c2", "dot", "学校"),
        "GovernmentUnit": ("#7f7f7f", "dot", "政府部门"),
        "Person": ("#393b79", "dot", "人物"),
        "Product": ("#637939", "dot", "产品"),
    },
    edge_labels={"receivesAward": "获奖", "locatedIn": "位于"},
    evaluation=EvalSpec("receivesAward", from_gold),
    description="organization (or person, product, district, project) receives award (gwr:receivesAward)",
)
