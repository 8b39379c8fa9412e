"""Entity resolution within one report: one node per real thing, conservative and never transitive.

Two mentions are one entity when their keys are equal; a key drops only what never changes the
referent: whitespace and quote marks, a trailing 项目/工程 (projects), and a legal-form suffix
(有限公司, 股份有限公司, 公司, 集团) for organizations. No fuzzy matching: 东方碳素 and 东方碳素公司 are one
node, 东方碳素二期 stays a project of its own.
"""

from __future__ import annotations

import re
from typing import Optional

from kg.normalize import normalize_name, strip_project_suffix

_LEGAL_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团有限公司|集团公司|公司|集团)$")


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
        iri = self.add("project", k, mint("project", self.district_iri, k), type_="Project", surface=k)
        if surface is not None:
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
