"""District observes indicator (``gwr:hasObservation`` a ``gwr:IndicatorObservation``): actuals and targets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, Optional

from kg.model import Evidence, IndicatorMention
from kg.relation import EvalSpec, Relation


def resolve(fact: IndicatorMention, entities) -> None:
    from kg.iri import mint

    entities.add("indicator", fact.indicator, mint("indicator", fact.indicator), type_="Indicator",
                 surface=fact.indicator)


def map_fact(fact: IndicatorMention, m) -> None:
    from rdflib import RDF, URIRef

    from kg.iri import mint
    from kg.rdf import GWR, decimal, integer

    indicator = m.node(m.entities.get("indicator", fact.indicator))
    node = URIRef(mint("obs", m.report, fact.indicator, fact.year, fact.kind))
    if not m.has((node, RDF.type, GWR.IndicatorObservation)):
        m.add(node, RDF.type, GWR.IndicatorObservation)
        m.add(node, GWR.indicator, indicator)
        m.add(node, GWR.year, integer(fact.year))
        m.add(node, GWR.observationKind, GWR[fact.kind])
        m.provenance(node, fact.evidence)
        m.add(m.district, GWR.hasObservation, node)
        m.label(node, f"{m.district_name}{fact.year}年{fact.indicator}（{'目标' if fact.kind == 'Target' else '实际'}）")
    if fact.growth_percent is not None and not m.has((node, GWR.growthPercent, None)):
        m.add(node, GWR.growthPercent, decimal(fact.growth_percent))
    if fact.amount_yuan is not None and not m.has((node, GWR.amountInYuan, None)):
        m.add(node, GWR.amountInYuan, decimal(fact.amount_yuan))


def from_gold(line: Mapping[str, Any], district: str) -> Optional[IndicatorMention]:
    if line.get("year") is None or line.get("value") is None:
        return None
    ev = str(line.get("evidence") or "")
    value = Decimal(str(line["value"]))
    growth = value if line.get("measure") == "growth_pct" else None
    amount = value if line.get("measure") == "amount_yuan" else None
    kind = "Target" if str(line.get("kind")) == "target" else "Actual"
    return IndicatorMention(str(line["indicator"]), int(line["year"]), kind, growth, amount, Evidence(ev, 0, len(ev)))


RELATION = Relation(
    name="indicators",
    extractor="kg.extract.indicators:IndicatorExtractor",
    lexicon="indicators",
    fact_type=IndicatorMention,
    resolve=resolve,
    map=map_fact,
    styles={"Indicator": ("#e6550d", "square", "指标"), "IndicatorObservation": ("#9c9ede", "square", "指标观测")},
    edge_labels={"hasObservation": "指标观测", "indicator": "指标"},
    evaluation=EvalSpec("indicator", from_gold),
    description="district's economic indicators: actuals (review year) and targets (plan year)",
)
