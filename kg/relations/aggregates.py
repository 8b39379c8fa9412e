"""District states an aggregate investment (``gwr:hasInvestmentAggregate`` a ``gwr:InvestmentAggregate``):
a count of projects and the amount the report gives for them together, never one project's amount."""

from __future__ import annotations

from kg.extract.aggregates import AggregateInvestment
from kg.relation import Relation

_KIND = {"total": "TotalInvestment", "completed": "CompletedInvestment", "funding": "Funding"}


def map_fact(fact: AggregateInvestment, m) -> None:
    from rdflib import RDF, URIRef

    from kg.iri import mint
    from kg.rdf import GWR, decimal, integer, zh

    node = URIRef(mint("aggregate", m.report, fact.count, fact.amount_yuan, fact.kind, fact.year))
    if m.has((node, RDF.type, GWR.InvestmentAggregate)):
        return
    m.add(node, RDF.type, GWR.InvestmentAggregate)
    m.add(m.district, GWR.hasInvestmentAggregate, node)
    m.add(node, GWR.projectCount, integer(fact.count))
    m.add(node, GWR.amountInYuan, decimal(fact.amount_yuan))
    m.add(node, GWR.aggregateKind, GWR[_KIND[fact.kind]])
    if fact.scope:
        m.add(node, GWR.scope, zh(fact.scope))
    if fact.year is not None:
        m.add(node, GWR.year, integer(fact.year))
    m.provenance(node, fact.evidence)
    m.label(node, f"{m.district_name}{fact.year or ''}年{fact.scope}{fact.count}个，{fact.text}")


RELATION = Relation(
    name="aggregates",
    extractor="kg.extract.aggregates:AggregateExtractor",
    lexicon="aggregates",
    fact_type=AggregateInvestment,
    map=map_fact,
    styles={"InvestmentAggregate": ("#98df8a", "diamond", "项目投资汇总")},
    edge_labels={"hasInvestmentAggregate": "项目投资汇总"},
    description="district-level investment aggregates: N projects with a total, completed or funding amount",
)
