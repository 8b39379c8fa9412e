"""An outside relation, for the plugin tests: the district signs an agreement (签订/签署 …协议).

It lives outside the ``kg`` package and reaches gwr-kg only through the public plugin interface: the
``gwr_kg.relations`` entry point (``../gwr_agreements-0.1.dist-info/entry_points.txt``) naming
:data:`RELATION`, and its own lexicon file (``agreements.toml``, shipped beside this module).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.model import Evidence
from kg.relation import EvalSpec, Relation


@dataclass(frozen=True)
class AgreementMention:
    agreement: str
    evidence: Evidence


class AgreementExtractor:
    def __init__(self, lexicon):
        verbs = lexicon.alt("verbs")
        nouns = lexicon.alt("nouns")
        # 签订合作共建协议 → 合作共建协议: a verb, then a short name ending in an agreement noun.
        self.pattern = re.compile(rf"{verbs}(?:了)?(?P<name>[\u4e00-\u9fff]{{0,10}}?{nouns})")

    def extract(self, doc, context):
        out, seen = [], set()
        for sentence in doc._.gwr_sentences:
            for m in self.pattern.finditer(sentence.text):
                name = m.group("name")
                if len(name) >= 4 and name not in seen:
                    seen.add(name)
                    out.append(AgreementMention(name, Evidence(sentence.text, sentence.start, sentence.end)))
        return out


def resolve(fact, entities):
    from kg.iri import mint

    entities.add("agreement", fact.agreement, mint("org", entities.district_iri, "agreement", fact.agreement),
                 type_="Agreement", surface=fact.agreement)


def map_fact(fact, m):
    from kg.rdf import GWR

    node = m.node(m.entities.get("agreement", fact.agreement))
    m.statement(m.district, GWR.signsAgreement, node, fact.evidence)


def from_gold(line, district):
    ev = str(line.get("evidence") or "")
    return AgreementMention(str(line["object"]), Evidence(ev, 0, len(ev)))


QUERY = """PREFIX gwr: <https://w3id.org/gwr/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?district ?subject ?object WHERE {
  ?d a gwr:District ; rdfs:label ?district ; gwr:signsAgreement ?a . ?a rdfs:label ?object .
  BIND(?district AS ?subject) }"""

RELATION = Relation(
    name="agreements",
    extractor=AgreementExtractor,
    lexicon="gwr_agreements:agreements",
    fact_type=AgreementMention,
    resolve=resolve,
    map=map_fact,
    styles={"Agreement": ("#00a0a0", "hexagon", "协议")},
    edge_labels={"signsAgreement": "签订"},
    evaluation=EvalSpec("signsAgreement", from_gold, QUERY),
    description="district signs agreement (签订/签署 …协议)",
)
