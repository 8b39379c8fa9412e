"""Entity resolution within one report: one node per real thing, conservative and never transitive.

Two mentions are one entity when their keys are equal; a key drops only what never changes the
referent: whitespace and quote marks, a trailing 项目/工程 (projects), and a legal-form suffix
(有限公司, 股份有限公司, 公司, 集团) for organizations. No fuzzy matching: 东山碳材 and 东山碳材公司 are one
node, 东山碳材二期 stays a project of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from kg.normalize import normalize_name, strip_project_suffix

_LEGAL_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团有限公司|集团公司|公司|集团)$")


@lru_cache(maxsize=8192)  # each mention of a project is keyed again when it is resolved and mapped
def project_key(name: str) -> str:
    return strip_project_suffix(normalize_name(name))


def org_key(name: str) -> str:
    name = normalize_name(name)
    stripped = _LEGAL_FORM.sub("", name)
    return stripped if len(stripped) >= 2 else name


def award_key(name: str) -> str:
    return normalize_name(name)


class Names:
    """Surface forms seen for each key, in order of first appearance: the first is the label."""

    def __init__(self) -> None:
        self._forms: dict[str, list[str]] = {}

    def add(self, key: str, surface: str) -> None:
        forms = self._forms.setdefault(key, [])
        surface = normalize_name(surface)
        if surface and surface not in forms:
            forms.append(surface)

    def label(self, key: str) -> str:
        return self._forms[key][0]

    def alt_labels(self, key: str) -> list[str]:
        return self._forms[key][1:]


# What may follow a name in another form of the same name: its 项目/工程 marker, a bracketed note.
_NAME_TAIL = re.compile(r"(?:项目|工程|（[^）]*）|\([^)]*\))+")


def is_alternative_name(key: str, surface: str) -> bool:
    """Whether ``surface`` is another way of writing the name ``key`` (a skos:altLabel): the same name
    with its 项目/工程 marker or a bracketed note — not a phrase that glues a verb or a date to it
    (加快甲台河, 9月底前完成乙港城 are how a sentence reached the name, not names)."""
    form = normalize_name(surface)
    return form == key or (form.startswith(key) and bool(_NAME_TAIL.fullmatch(form[len(key):])))


class Entity:
    """One node: its IRI, its class (from its first mention), and the surface forms seen for it (the
    first is its label)."""

    __slots__ = ("iri", "types", "names")

    def __init__(self, iri: str):
        self.iri = iri
        self.types: list[str] = []  # local names of gwr: classes, in order of first assignment
        self.names = Names()


class Entities:
    """Identity within one report: which mentions are one node, and which IRI that node has.

    The resolve stage (:func:`resolve`) fills it from the report's meta and, relation by relation, from
    each fact (``Relation.resolve``); the mapper (:mod:`kg.rdf`) only looks nodes up. Keys drop only
    what never changes the referent (see :func:`project_key`, :func:`org_key`, :func:`award_key`); IRIs
    are minted from the district and the key, so the same thing in two reports of one district is one
    node (the cross-report merge in :func:`kg.rdf.build_graph` picks one label for it).
    """

    def __init__(self, district_iri: str, district_name: str):
        self.district_iri = district_iri
        self.district_name = district_name
        self.nodes: dict[str, Entity] = {}
        self._keys: dict[tuple[str, str], str] = {}

    # generic -----------------------------------------------------------------------------------
    def add(self, kind: str, key: str, iri: str, *, type_: Optional[str] = None, surface: Optional[str] = None) -> str:
        """Register the node ``(kind, key)`` (minted as ``iri`` when new) and a surface form of it."""
        iri = self._keys.setdefault((kind, key), iri)
        node = self.nodes.get(iri)
        if node is None:  # the first mention types the node (one class per entity)
            node = self.nodes[iri] = Entity(iri)
            if type_:
                node.types.append(type_)
        if surface is not None:
            node.names.add("", surface)
        return iri

    def get(self, kind: str, key: str) -> str:
        try:
            return self._keys[(kind, key)]
        except KeyError:
            raise KeyError(f"no {kind} {key!r} was resolved in this report") from None

    def has(self, kind: str, key: str) -> bool:
        return (kind, key) in self._keys

    def label(self, iri: str) -> Optional[str]:
        node = self.nodes.get(iri)
        return node.names.label("") if node is not None and node.names._forms else None

    # the kinds the built-in relations share --------------------------------------------------------
    def add_project(self, name: str, surface: Optional[str] = None) -> Optional[str]:
        from kg.iri import mint

        k = project_key(name)
        if not k:
            return None  # a name that normalizes to nothing names no entity (every entity needs a label)
        iri = self._keys.get(("project", k)) or mint("project", self.district_iri, k)  # minted once a report
        iri = self.add("project", k, iri, type_="Project", surface=k)
        if surface is not None and is_alternative_name(k, surface):
            self.nodes[iri].names.add("", surface)
        return iri

    def project(self, name: str) -> str:
        return self.get("project", project_key(name))


def resolve(extraction, rels=None) -> Entities:
    """The resolve stage: one node per real thing named in one report (districts, places, people and
    every entity a relation's facts name), in relation order."""
    from kg.relation import relations

    entities = Entities(*district_of(extraction))
    for rel in rels if rels is not None else relations():
        for fact in extraction.facts.get(rel.name, ()):
            rel.resolve(fact, entities)
    return entities


def district_name_of(extraction) -> str:
    meta, doc = extraction.meta, extraction.document
    return normalize_name(meta.district or "") or normalize_name(doc.name) or doc.raw_sha256[:12]


def district_of(extraction) -> tuple[str, str]:
    """The district's IRI (by its GB/T 2260 code when known) and label."""
    from kg.iri import mint, mint_code

    meta = extraction.meta
    name = district_name_of(extraction)
    if meta.division_code:
        return mint_code("district", meta.division_code), name
    return mint("district", meta.province, meta.city, name), name


# Across reports ------------------------------------------------------------------------------------
# Reports of one district name the same thing again, sometimes by a longer or shorter name. Equal keys
# already give one IRI (IRIs are minted from the district and the key); containment is decided here,
# conservatively and with a reason: same district, same kind (projects with projects, an award
# recipient with one of the same class), names from different reports (two names one report gives
# are two things), one name containing the other with the same head (what the longer adds is a
# section, the work done, a place or a brand: kg/lexicons/resolve.toml), and a unique partner on both
# sides. Never fuzzy similarity, never across districts, never transitive.

MIN_PREFIX = 3  # a shorter project name the longer one continues (西环路 → 西环路建设)
MIN_SUFFIX = 4  # a shorter project name the longer one qualifies in front (青溪太阳谷 ← 金山·青溪太阳谷)
MIN_ORG = 2  # a recipient's key a place is put in front of (时风 ← 高唐县时风)


class _Rules:
    """The containment rules, compiled lazily from the ``resolve`` lexicon."""

    def __init__(self) -> None:
        from kg.lexicon import load

        lex = load("resolve")
        self.after = re.compile(rf"(?:{lex.regex('patterns.section')}|{lex.alt('words.work')})")
        self.place = re.compile(lex.regex("patterns.place"))
        self.brand = re.compile(lex.regex("patterns.brand"))


_rules: Optional[_Rules] = None


def _compiled() -> _Rules:
    global _rules
    if _rules is None:
        _rules = _Rules()
    return _rules


def same_thing(a: str, b: str, kind: str = "project", district: str = "") -> Optional[str]:
    """Why keys ``a`` and ``b`` (of one district, from different reports) name one thing, or None.

    ``kind`` is ``project`` or ``org`` (an award recipient); ``district`` the district's name (a
    longer name may put it, or its stem without 县/区/市, in front)."""
    if a == b:
        return "equal"
    short, long_ = sorted((a, b), key=lambda s: (len(s), s))
    if len(short) == len(long_) or short not in long_:
        return None
    rules = _compiled()
    stem = district[:-1] if len(district) > 2 and district[-1] in "县区市旗" else district
    if kind == "project" and long_.startswith(short) and len(short) >= MIN_PREFIX:
        added = long_[len(short):]
        if rules.after.fullmatch(added):
            return f"{long_} = {short} + {added} (section or work)"
    if long_.endswith(short) and len(short) >= (MIN_SUFFIX if kind == "project" else MIN_ORG):
        added = long_[: -len(short)]
        if added in (district, stem) or rules.place.fullmatch(added):
            return f"{long_} = {added} + {short} (place)"
        if kind == "project" and rules.brand.fullmatch(added):
            return f"{long_} = {added} + {short} (brand)"
    return None


def cross_report_merges(mentions) -> list[tuple[str, str, str]]:
    """Which nodes of different reports are one thing: ``(iri, into, reason)`` for each node to fold into
    another. ``mentions``: ``(report index, district iri, district name, group, key, iri)`` for every
    project and award recipient each report resolved; ``group`` is ``project`` or ``org:<class>``.
    A node folds into the node of the earlier report (the first report by file name gives the IRI)."""
    nodes: dict[str, dict] = {}  # iri -> its district, group, key and the reports naming it
    for index, district_iri, district_name, group, key, iri in mentions:
        node = nodes.setdefault(iri, {"district": district_iri, "name": district_name, "group": group,
                                      "key": key, "reports": set(), "first": index})
        node["reports"].add(index)
        node["first"] = min(node["first"], index)
    by_group: dict[tuple[str, str], list[str]] = {}
    for iri in sorted(nodes, key=lambda i: (nodes[i]["first"], nodes[i]["key"], i)):
        n = nodes[iri]
        by_group.setdefault((n["district"], n["group"]), []).append(iri)
    out = []
    for (district_iri, group), iris in by_group.items():
        if len(set().union(*(nodes[x]["reports"] for x in iris))) < 2:
            continue  # one report names them all: it keeps them apart (the test below, for every pair)
        kind = "project" if group == "project" else "org"
        edges: dict[tuple[str, str], str] = {}
        for i, x in enumerate(iris):
            for y in iris[i + 1:]:
                nx, ny = nodes[x], nodes[y]
                if nx["key"] == ny["key"] or nx["reports"] & ny["reports"]:
                    continue  # equal keys share an IRI already; one report naming both keeps them apart
                reason = same_thing(nx["key"], ny["key"], kind, nx["name"])
                if reason:
                    edges[(x, y)] = reason
        degree: dict[str, int] = {}
        for x, y in edges:
            degree[x] = degree.get(x, 0) + 1
            degree[y] = degree.get(y, 0) + 1
        for (x, y), reason in edges.items():
            if degree[x] == 1 and degree[y] == 1:  # a unique partner on both sides
                out.append((y, x, reason))  # iris are in order of first report: y folds into x
    return out
