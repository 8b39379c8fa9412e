"""Project invests amount (``gwr:invests`` a ``gwr:MonetaryAmount``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, Optional

from kg.model import Evidence, InvestmentMention
from kg.relation import EvalSpec, Relation

_KIND = {"total": "TotalInvestment", "completed": "CompletedInvestment", "funding": "Funding", "other": "OtherAmount"}


def resolve(fact: InvestmentMention, entities) -> None:
    entities.add_project(fact.project)


def map_fact(fact: InvestmentMention, m) -> None:
    from rdflib import RDF, Literal, URIRef

    from kg.iri import mint
    from kg.rdf import GWR, decimal
    from kg.resolve import project_key

    if not project_key(fact.project):
        return
    node = m.node(m.entities.project(fact.project))
    if not m.has((m.district, GWR.undertakes, node)):
        m.statement(m.district, GWR.undertakes, node, fact.evidence)
        from kg.relations.projects import record

        record(m, node, fact.evidence)
    amount = URIRef(mint("amount", m.report, project_key(fact.project), fact.kind, fact.amount, fact.currency))
    m.add(amount, RDF.type, GWR.MonetaryAmount)
    m.label(amount, fact.text)
    m.add(amount, GWR.amount, decimal(fact.amount))
    m.add(amount, GWR.currency, Literal(fact.currency))
    if fact.currency == "CNY":
        m.add(amount, GWR.amountInYuan, decimal(fact.amount))
    m.add(amount, GWR.investmentKind, GWR[fact.kind])
    m.add(amount, GWR.amountText, Literal(fact.text))
    m.statement(node, GWR.invests, amount, fact.evidence)


def from_gold(line: Mapping[str, Any], district: str) -> Optional[InvestmentMention]:
    value = line.get("amount_yuan")
    if value is None:
        return None
    ev = str(line.get("evidence") or "")
    currency = str(line.get("currency") or "CNY")
    return InvestmentMention(str(line["subject"]), Decimal(str(value)), currency,
                             _KIND.get(str(line.get("kind") or ""), "OtherAmount"),
                             str(line.get("amount_text") or value), Evidence(ev, 0, len(ev)))


RELATION = Relation(
    name="investments",
    extractor="kg.extract.investments:InvestmentExtractor",
    lexicon="investments",
    fact_type=InvestmentMention,
    resolve=resolve,
    map=map_fact,
    styles={"MonetaryAmount": ("#2ca02c", "diamond", "金额")},
    edge_labels={"invests": "投资"},
    evaluation=EvalSpec("invests", from_gold),
    description="project invests amount (gwr:invests), total / completed / funding",
)
