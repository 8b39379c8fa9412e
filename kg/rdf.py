"""Map extractions to RDF under the contract (../shared/CONTRACT.md, docs/MODEL.md).

Every gwr:undertakes / gwr:invests / gwr:receivesAward triple gets an ``rdf:Statement`` pointing at
its report and the sentence it came from; each observation carries its own provenance.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Optional

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg import __version__
from kg.iri import DATA, ONTOLOGY, mint, mint_code
from kg.model import Evidence, Extraction
from kg.normalize import normalize_name
from kg.resolve import Entities, Names, district_of

def _long_literal_quote(self) -> str:
    """rdflib's Turtle quoting, fixed: a triple-quoted literal ending in an escaped backslash and a quote
    came out with four quote marks in a row at its end, which is not Turtle (strict parsers such as
    Oxigraph refuse it). Every quote is escaped in the triple-quoted form, which is always valid; the
    one-line form is rdflib's own."""
    if "\n" in self:
        encoded = self.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
        return '"""%s"""' % encoded
    return '"%s"' % self.replace("\n", "\\n").replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")


Literal._quote_encode = _long_literal_quote  # rdflib 7.6 Literal._quote_encode (see above)

class _Namespace(Namespace):
    """An rdflib Namespace that makes each of its terms once (``GWR.year`` is looked up for every
    fact; rdflib builds and checks a new URIRef each time)."""

    def term(self, name: str) -> URIRef:
        if not isinstance(name, str):
            return super().term(name)
        key = (self, name)
        ref = _TERMS.get(key)
        if ref is None:
            ref = _TERMS[key] = super().term(name)
        return ref

    def __getitem__(self, key: str) -> URIRef:
        return self.term(key)

    def __getattr__(self, name: str):
        if name.startswith("__"):  # as rdflib's own: no special attributes through the namespace
            raise AttributeError
        # kept as an instance attribute, so the next ``GWR.year`` is found without calling this;
        # only names the class lacks come here, so no method is shadowed
        ref = self.__dict__[name] = self.term(name)
        return ref


_TERMS: dict = {}

GWR = _Namespace(ONTOLOGY)
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
ID = Namespace(DATA)

_TYPE, _STATEMENT, _SUBJECT, _PREDICATE, _OBJECT = RDF.type, RDF.Statement, RDF.subject, RDF.predicate, RDF.object
_DERIVED, _EVIDENCE, _START, _END, _YEAR = PROV.wasDerivedFrom, GWR.evidence, GWR.charStart, GWR.charEnd, GWR.year
_LABEL, _ALT_LABEL = RDFS.label, SKOS.altLabel

PREFIXES = {"gwr": GWR, "id": ID, "prov": PROV, "dcterms": DCTERMS, "skos": SKOS, "schema": SCHEMA,
            "org": ORG, "rdfs": RDFS, "rdf": RDF, "xsd": XSD}


_EMPTY: dict = {}  # looked up in, never written


class TripleSet:
    """One report's triples while it is mapped and merged: the part of rdflib's ``Graph`` API that the
    mappers use (``add``, ``remove`` and ``in`` with ``None`` as a wildcard, ``triples``, ``value``,
    ``subject_objects``), on two plain dict indexes (subject → predicate → objects, predicate → object →
    subjects) in insertion order, the second made on the first question that needs it. Several times
    lighter and faster than an rdflib ``Graph``, whose memory store also keeps a third index and each
    triple's contexts; :meth:`graph` makes one."""

    __slots__ = ("_spo", "_pos", "_len", "_log")

    def __init__(self, triples=()):
        self._spo: dict = {}
        # The predicate index is built when first asked for (:meth:`_index`), from ``_log``: the triples
        # added until then, in order, so it is the index adding them one by one would have made. The
        # mapping of a report never asks for it: keeping it up cost about 7 % of the mapping (instructions).
        self._pos: Optional[dict] = None
        self._log: Optional[list] = []
        self._len = 0
        for t in triples:
            self.add(t)

    def _index(self) -> dict:
        """The predicate index (predicate → object → subjects, in insertion order), built on first use."""
        pos = self._pos
        if pos is None:
            pos = self._pos = {}
            for s, p, o in self._log:
                os_ = pos.get(p)
                if os_ is None:
                    os_ = pos[p] = {}
                os_.setdefault(o, {})[s] = None
            self._log = None
        return pos

    def add(self, triple) -> "TripleSet":
        s, p, o = triple
        po = self._spo.get(s)
        if po is None:
            po = self._spo[s] = {}
        objects = po.get(p)
        if objects is None:
            po[p] = {o: None}
        else:
            # one lookup of o, not two: a Literal's hash is computed in Python each time it is asked
            n = len(objects)
            objects[o] = None
            if len(objects) == n:
                return self
        self._len += 1
        if self._pos is None:
            self._log.append(triple if type(triple) is tuple else (s, p, o))
            return self
        os_ = self._pos.get(p)
        if os_ is None:
            os_ = self._pos[p] = {}
        os_.setdefault(o, {})[s] = None
        return self

    def _discard(self, s, p, o) -> None:
        pos = self._index()
        po = self._spo[s]
        del po[p][o]
        if not po[p]:
            del po[p]
            if not po:
                del self._spo[s]
        os_ = pos[p]
        del os_[o][s]
        if not os_[o]:
            del os_[o]
            if not os_:
                del pos[p]
        self._len -= 1

    def remove(self, pattern) -> "TripleSet":
        for t in list(self.triples(pattern)):
            self._discard(*t)
        return self

    def triples(self, pattern):
        s, p, o = pattern
        if s is not None:
            po = self._spo.get(s)
            if po is None:
                return
            for p2 in ([p] if p is not None else list(po)):
                objects = po.get(p2)
                if objects is None:
                    continue
                if o is not None:
                    if o in objects:
                        yield s, p2, o
                else:
                    for o2 in list(objects):
                        yield s, p2, o2
        elif p is not None:
            os_ = self._index().get(p)
            if os_ is None:
                return
            for o2 in ([o] if o is not None else list(os_)):
                for s2 in list(os_.get(o2, ())):
                    yield s2, p, o2
        else:
            for s2, po in list(self._spo.items()):
                for p2, objects in list(po.items()):
                    if o is None:
                        for o2 in list(objects):
                            yield s2, p2, o2
                    elif o in objects:
                        yield s2, p2, o

    def __contains__(self, pattern) -> bool:
        s, p, o = pattern
        if s is not None and p is not None:  # the mappers' question, answered without a generator
            objects = self._spo.get(s, _EMPTY).get(p)
            return objects is not None and (o is None or o in objects)
        for _ in self.triples(pattern):
            return True
        return False

    def __iter__(self):
        return self.triples((None, None, None))

    def __len__(self) -> int:
        return self._len

    def by_subject(self):
        """The triples grouped as they are stored: ``(subject, {predicate: {object: None}})`` pairs, to
        read only (for writers that format each subject and predicate once)."""
        return self._spo.items()

    def subject_objects(self, p):
        for s, _, o in self.triples((None, p, None)):
            yield s, o

    def value(self, s, p):
        for _, _, o in self.triples((s, p, None)):
            return o
        return None

    def graph(self) -> Graph:
        """These triples as an rdflib ``Graph`` with the project's prefixes."""
        g = new_graph()
        for t in self:
            g.add(t)
        return g


def new_graph() -> Graph:
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


class ReportMapper:
    """Maps one report to its own graph: the report and its district, then each relation's facts.

    Identity is decided before (:func:`kg.resolve.resolve`): the mapper looks entities up in
    ``entities`` and writes their classes and labels once at the end; it mints only the nodes that
    are values of one report (statements, amounts, observations).
    """

    def __init__(self, extraction: Extraction, entities: Entities):
        self.g = TripleSet()  # the report's triples (a light rdflib-Graph-like set; finish() returns it)
        self.extraction = extraction
        self.entities = entities
        doc = extraction.document
        self._nodes: dict[str, URIRef] = {}
        self.report = self.node(mint("report", doc.name))
        self.district = self.node(entities.district_iri)
        self.district_name = entities.district_name
        self._labels: dict[URIRef, Names] = {}

    # helpers for relation mappers ------------------------------------------------------------------
    def node(self, iri: str) -> URIRef:
        """The node ``iri``: one URIRef object per IRI (a new one is checked by rdflib each time, and
        equal but distinct terms are compared in Python wherever they meet in the indexes)."""
        ref = self._nodes.get(iri)
        if ref is None:
            ref = self._nodes[iri] = URIRef(iri)
        return ref

    def label(self, node: URIRef, text: str) -> None:
        """A label for a node the mapper itself mints (an amount, an observation): the first one wins."""
        self._labels.setdefault(node, Names()).add("", text)

    def has(self, triple) -> bool:
        return triple in self.g

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def statement(self, s: URIRef, p: URIRef, o: URIRef, ev: Evidence, year: Optional[int] = None) -> None:
        """``s p o`` and its reified statement: the report and the sentence it came from."""
        add = self.g.add
        add((s, p, o))
        st = self.node(mint("stmt", s, p, o, self.report))
        if (st, _TYPE, _STATEMENT) in self.g:
            return  # the first sentence that says it is its evidence
        add((st, _TYPE, _STATEMENT))
        add((st, _SUBJECT, s))
        add((st, _PREDICATE, p))
        add((st, _OBJECT, o))
        self.provenance(st, ev)
        if year is not None:
            add((st, _YEAR, integer(year)))

    def provenance(self, node: URIRef, ev: Evidence) -> None:
        add = self.g.add
        add((node, _DERIVED, self.report))
        add((node, _EVIDENCE, zh(ev.sentence)))
        add((node, _START, integer(ev.start)))
        add((node, _END, integer(ev.end)))

    # the report itself -----------------------------------------------------------------------------
    def map_meta(self) -> None:
        g, meta, doc, report = self.g, self.extraction.meta, self.extraction.document, self.report
        g.add((report, RDF.type, GWR.Report))
        g.add((report, DCTERMS.source, Literal(doc.name + _suffix(doc.path))))
        if doc.raw_sha256:
            g.add((report, GWR.contentHash, Literal(doc.raw_sha256)))
        title = (f"{normalize_name(meta.district or '') or normalize_name(doc.name)}{meta.plan_year}年政府工作报告"
                 if meta.plan_year else normalize_name(doc.name) or doc.raw_sha256[:12])
        self.label(report, title)
        if meta.date:
            g.add((report, DCTERMS.date, Literal(meta.date, datatype=XSD.date)))
        if meta.review_year:
            g.add((report, GWR.reviewYear, integer(meta.review_year)))
        if meta.plan_year:
            g.add((report, GWR.planYear, integer(meta.plan_year)))
        district = self.district
        if meta.division_code:
            g.add((district, GWR.divisionCode, Literal(meta.division_code)))
        g.add((report, GWR.about, district))
        ents = self.entities
        province = URIRef(ents.get("province", "")) if ents.has("province", "") else None
        if province is not None:
            g.add((district, GWR.inProvince, province))
            if meta.division_code:
                g.add((province, GWR.divisionCode, Literal(meta.division_code[:2] + "0000")))
        if ents.has("city", ""):
            city = URIRef(ents.get("city", ""))
            g.add((district, GWR.inCity, city))
            code = meta.division_code[:4] + "00" if meta.division_code else None
            if code and not code.endswith("0000"):
                g.add((city, GWR.divisionCode, Literal(code)))
            if province is not None:
                g.add((city, GWR.inProvince, province))
        if ents.has("person", "speaker"):
            person = URIRef(ents.get("person", "speaker"))
            g.add((report, GWR.deliveredBy, person))
            if meta.speaker_title:
                g.add((person, GWR.position, zh(meta.speaker_title)))

    def finish(self) -> TripleSet:
        """Write every entity's classes and labels (the first surface form is the label)."""
        add = self.g.add
        for node in self.entities.nodes.values():
            ref = self.node(node.iri)
            for t in node.types:
                add((ref, _TYPE, GWR[t]))
            self._add_labels(ref, node.names)
        for ref, names in self._labels.items():
            self._add_labels(ref, names)
        return self.g

    def _add_labels(self, ref: URIRef, names: Names) -> None:
        if names._forms:
            add = self.g.add
            add((ref, _LABEL, zh(names.label(""))))
            for alt in names.alt_labels(""):
                add((ref, _ALT_LABEL, zh(alt)))


def resolve_meta(extraction: Extraction, entities: Entities) -> None:
    """The places and the speaker of a report (the district itself is the Entities' own)."""
    meta = extraction.meta
    entities.add("district", "", entities.district_iri, type_="District", surface=entities.district_name)
    code = meta.division_code
    if meta.province and normalize_name(meta.province):
        pcode = code[:2] + "0000" if code else None
        entities.add("province", "", mint_code("province", pcode) if pcode else mint("province", meta.province),
                     type_="Province", surface=meta.province)
    if meta.city and normalize_name(meta.city):
        ccode = code[:4] + "00" if code else None
        if ccode and ccode.endswith("0000"):
            ccode = None
        entities.add("city", "", mint_code("city", ccode) if ccode else mint("city", meta.province, meta.city),
                     type_="City", surface=meta.city)
    if meta.speaker and normalize_name(meta.speaker):
        entities.add("person", "speaker", mint("person", URIRef(entities.district_iri), meta.speaker),
                     type_="Person", surface=meta.speaker)


def map_report(extraction: Extraction, rels=None) -> Graph:
    """One report's graph: resolve its entities, then map its meta and each relation's facts."""
    return _map_report(extraction, rels)[0].graph()


def _map_report(extraction: Extraction, rels=None) -> tuple[TripleSet, Entities]:
    from kg.relation import relations

    rels = list(rels) if rels is not None else relations()
    entities = Entities(*district_of(extraction))
    resolve_meta(extraction, entities)
    for rel in rels:
        for fact in extraction.facts.get(rel.name, ()):
            rel.resolve(fact, entities)
    mapper = ReportMapper(extraction, entities)
    mapper.map_meta()
    for rel in rels:
        for fact in extraction.facts.get(rel.name, ()):
            rel.map(fact, mapper)
    return mapper.finish(), entities


def _suffix(path: str) -> str:
    dot = path.rfind(".")
    return path[dot:] if dot > max(path.rfind("/"), path.rfind("\\")) else ""


class MergedGraph(Graph):
    """The union of the reports' graphs (what ``kg build`` writes as Turtle), knowing its parts:
    ``parts`` holds ``(report extraction, its graph)`` in report order, disjoint, their union this graph;
    ``merges`` the cross-report merges made, ``(district label, kept label, merged label, reason)``."""

    parts: list
    merges: list


# Properties a node has once in the union: when reports disagree, the first report (by name) gives the
# label (the others become skos:altLabel) and the latest report gives the status.
_FIRST_WINS = (RDFS.label,)
_LATEST_WINS = (GWR.projectStatus, GWR.statusYear)


def merge_reports(extractions: Iterable[Extraction]) -> tuple[list, list]:
    """Every report mapped on its own (one pass each), then merged: ``(parts, merges)`` where ``parts``
    holds ``(extraction, its TripleSet)`` sorted by report file name, disjoint (a triple several reports
    state stays in the first one's set), and a node named or dated differently by several reports keeps
    one label (others become altLabels) and its latest status; ``merges`` lists the cross-report merges
    made, ``(district label, kept label, merged label, reason)``. What :func:`build_graph` and the build's
    store (:mod:`kg.store`) are made of."""
    exs = sorted(extractions, key=lambda ex: ex.document.name)
    mapped = [_map_report(ex) for ex in exs]
    parts = [(ex, g) for ex, (g, _) in zip(exs, mapped)]
    merges = _merge_across_reports(parts, [ents for _, ents in mapped])
    del mapped
    _merge_functional(parts)
    seen: set = set()  # the union so far: a triple stays in the first report's set
    for _, g in parts:
        for triple in list(g):
            if triple in seen:
                g._discard(*triple)
            else:
                seen.add(triple)
    del seen
    return parts, merges


def build_graph(extractions: Iterable[Extraction], graph: Optional[Graph] = None) -> MergedGraph:
    """Every report mapped on its own (one pass each), then merged (:func:`merge_reports`) into one
    rdflib graph that keeps its parts: the report graphs, disjoint, their union this graph. The Python
    API's graph; ``kg build`` keeps the reports' triples in a :class:`kg.store.ReportStore` instead."""
    parts, merges = merge_reports(extractions)
    merged = MergedGraph()
    for prefix, ns in PREFIXES.items():
        merged.bind(prefix, ns, override=True, replace=True)
    merged.merges = merges
    merged.parts = []
    for ex, ts in parts:
        g = ts.graph()
        merged.parts.append((ex, g))
        for triple in g:
            merged.add(triple)
    if graph is not None:  # the caller's graph receives the triples too
        for triple in merged:
            graph.add(triple)
    return merged


def report_mentions(index: int, ents: Entities) -> list[tuple]:
    """The projects and award recipients report ``index`` resolved, as :func:`kg.resolve.cross_report_merges`
    reads them: ``(report index, district iri, district name, group, key, iri)``."""
    mentions = []
    for (kind, key), iri in ents._keys.items():
        node = ents.nodes.get(iri)
        if node is None or iri == ents.district_iri:
            continue
        if kind == "project":
            mentions.append((index, ents.district_iri, ents.district_name, "project", key, iri))
        elif kind == "org" and "Project" not in node.types:
            mentions.append((index, ents.district_iri, ents.district_name, "org:" + ",".join(node.types), key, iri))
    return mentions


def fold_report(folds, mentions, district_label: dict, label_of) -> list[tuple[str, str, str, str]]:
    """The merges made, ``(district label, kept label, merged label, reason)``, sorted; ``label_of(node)``
    gives a node's label (the first report's) or None."""
    district_of_node = {}
    for index, district_iri, _, _, _, iri in mentions:
        district_of_node.setdefault(iri, district_label[district_iri])
    report = []
    for a, b, reason in folds:
        kept, merged = label_of(URIRef(b)), label_of(URIRef(a))
        report.append((district_of_node[a], b if kept is None else kept, a if merged is None else merged, reason))
    return sorted(report)


def _merge_across_reports(parts, entities: list[Entities]) -> list[tuple[str, str, str, str]]:
    """One node per real thing across the reports of a district (:func:`kg.resolve.cross_report_merges`):
    a project or award recipient named differently by two reports is folded into the node of the earlier
    report, in every report's graph (its other names become skos:altLabel in :func:`_merge_functional`)."""
    from kg.resolve import cross_report_merges

    mentions = [m for index, ents in enumerate(entities) for m in report_mentions(index, ents)]
    folds = cross_report_merges(mentions)
    if not folds:
        return []
    into = {URIRef(a): URIRef(b) for a, b, _ in folds}
    labels = {}
    for _, g in parts:
        for s, o in g.subject_objects(RDFS.label):
            labels.setdefault(s, str(o))
    district_label = {}
    for ents in entities:
        district_label.setdefault(ents.district_iri, ents.district_name)
    report = fold_report(folds, mentions, district_label, labels.get)
    for _, g in parts:
        fold_triples(g, into)
    return report


def fold_triples(g, into: dict) -> None:
    """Every node of ``into`` replaced by the node it folds into, in ``g``."""
    changed = [t for t in g if t[0] in into or t[2] in into]
    for s, p, o in changed:
        g.remove((s, p, o))
        g.add((into.get(s, s), p, into.get(o, o)))


#: The properties the cross-report merge decides (:func:`_merge_functional`); all others are only made disjoint.
FUNCTIONAL = (RDFS.label, SKOS.altLabel, GWR.projectStatus, GWR.statusYear)


def _merge_functional(parts) -> None:
    seen: dict[tuple, list] = {}
    for i, (ex, g) in enumerate(parts):
        for p in (*_FIRST_WINS, *_LATEST_WINS):
            for s, o in g.subject_objects(p):
                seen.setdefault((s, p), []).append((i, o))
    for (s, p), values in seen.items():
        distinct = {o for _, o in values}
        if len(distinct) < 2:
            continue
        if p in _FIRST_WINS:
            keep = values[0][1]
        else:
            latest = max(range(len(values)), key=lambda k: (parts[values[k][0]][0].meta.plan_year or 0, values[k][0]))
            keep = values[latest][1]
        for i, o in values:
            if o != keep:
                parts[i][1].remove((s, p, o))
                if p == RDFS.label:
                    parts[i][1].add((s, SKOS.altLabel, o))
    # an altLabel equal to the kept label is no alternative name (a report's first label of a node is
    # the one that counts, as rdflib's Graph.value gives it)
    kept: dict = {}
    for _, g in parts:
        for s in dict.fromkeys(s for s, _ in g.subject_objects(RDFS.label)):
            kept.setdefault(s, set()).add(g.value(s, RDFS.label))
    for _, g in parts:
        for s, o in list(g.subject_objects(SKOS.altLabel)):
            if o in kept.get(s, ()):
                g.remove((s, SKOS.altLabel, o))


def report_graph(extraction: Extraction) -> Graph:
    """One report's facts alone."""
    return map_report(extraction)


@lru_cache(maxsize=10_000)
def zh(text: str) -> Literal:
    """A Chinese literal, one object per text while it is cached: a report's sentence is the evidence of
    several nodes, and building a Literal costs rdflib a language tag check each time."""
    # a language-tagged string is its own lexical form: rdflib's normalization would change nothing
    return Literal(text, lang="zh", normalize=False)


def canonical_decimal(value) -> str:
    """The canonical lexical form of an xsd:decimal (XML Schema 1.0): no exponent, no leading zeros and
    no trailing zeros, but at least one digit on each side of the point (6 → ``6.0``, 6.50 → ``6.5``,
    3E+7 → ``30000000.0``, -0 → ``0.0``). It is also the form Turtle writes bare, so graph.ttl, graph.nt
    and every other format carry the same lexical form of the same literal."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if not d.is_finite():
        raise ValueError(f"not a decimal: {value!r}")
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0")
        if text.endswith("."):
            text += "0"
    else:
        text += ".0"
    if text.startswith("-"):
        body = text[1:].lstrip("0") or "0"
        text = "-" + ("0" + body if body.startswith(".") else body)
        if text.strip("-0.") == "":
            text = "0.0"
    else:
        body = text.lstrip("0")
        text = "0" + body if body.startswith(".") else body
    return text


def decimal(value: Decimal) -> Literal:
    """An xsd:decimal literal in canonical lexical form (:func:`canonical_decimal`), one object per form
    while it is cached (rdflib parses and checks the lexical form of each new one)."""
    return _decimal_literal(canonical_decimal(value))


@lru_cache(maxsize=10_000)
def _decimal_literal(text: str) -> Literal:
    return Literal(text, datatype=XSD.decimal)


@lru_cache(maxsize=100_000)  # years, offsets, counts: a few thousand distinct values
def integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


GENERATOR = f"gwr-kg {__version__}"
