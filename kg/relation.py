"""A relation is one plugin: its lexicon, its extractor, its resolver and mapper, its view style, its
evaluation spec — everything the pipeline needs to extract it, put it in the graph, draw it and score it.

The built-in relations (``projects``, ``investments``, ``awards``, ``indicators``) are defined in
:mod:`kg.relations` and registered in :data:`kg.registry.RELATIONS`. An outside package adds one by
declaring an entry point in the group ``gwr_kg.relations`` that names a :class:`Relation`::

    # pyproject.toml of the outside package
    [project.entry-points."gwr_kg.relations"]
    agreements = "my_package.agreements:RELATION"

and ``kg build``, the views and ``kg eval`` pick it up with no edit to ``kg/``. A relation's parts:

- ``extractor``: a class (or ``"module:Class"``) built as ``Extractor(lexicon)`` — ``lexicon`` is the
  :class:`kg.lexicon.Lexicon` named by ``lexicon`` (None when the relation has none) — whose
  ``extract(doc, context)`` returns facts (frozen dataclasses with an ``evidence``); the pipeline runs it
  as a spaCy component (factory ``gwr_relation``) on the processed ``Doc``;
- ``resolve(fact, entities)``: registers the entities the fact names with :class:`kg.resolve.Entities`
  (identity lives there, never in the mapper);
- ``map(fact, mapper)``: adds the fact's triples through a :class:`kg.rdf.ReportMapper`;
- ``styles``: how the views draw the classes the relation adds (class local name → colour, vis shape,
  Chinese name) and ``edge_labels`` (property local name → Chinese label);
- ``evaluation``: an :class:`EvalSpec` — the gold lines (``rel``) it answers, how a gold line becomes a
  fact (``from_gold``) and the SPARQL query that reads its pairs back from a graph — so ``kg eval`` scores
  it like any other relation.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Mapping, Optional, Sequence

ENTRY_POINT_GROUP = "gwr_kg.relations"


@dataclass(frozen=True)
class EvalSpec:
    """How ``kg eval`` scores a relation.

    ``gold_rel``: the ``rel`` of its gold lines. ``from_gold(line, district)``: a gold line as a fact (or
    None to skip it), so gold answers go through the same resolver and mapper as extracted facts.
    ``query``: a SPARQL SELECT over the graph returning ``?district ?subject ?object`` (labels), one row a
    fact, and optionally ``?source`` (its report's ``dcterms:source``; without it a fact counts for every
    report about its district); used to score relations that have no scorer of their own (subject and object names matched
    leniently). ``None`` for the built-ins, whose scorers live in :mod:`kg.evaluate`.
    """

    gold_rel: str
    from_gold: Optional[Callable[[Mapping[str, Any], str], Any]] = None
    query: Optional[str] = None


@dataclass(frozen=True)
class Relation:
    name: str  # the key of its facts in Extraction.facts and of its component
    extractor: Any  # a class or "module:Class", built as Extractor(lexicon)
    map: Callable[[Any, Any], None]  # (fact, ReportMapper) -> None
    resolve: Callable[[Any, Any], None] = lambda fact, entities: None  # (fact, Entities) -> None
    lexicon: Optional[str] = None  # the name of its lexicon file (kg/lexicons/<name>.toml or a user folder)
    fact_type: Optional[type] = None  # the dataclass of its facts (documentation and checks)
    styles: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    edge_labels: Mapping[str, str] = field(default_factory=dict)
    evaluation: Optional[EvalSpec] = None
    description: str = ""

    def extractor_class(self) -> type:
        target = self.extractor
        if isinstance(target, str):
            module, _, attr = target.partition(":")
            target = getattr(importlib.import_module(module), attr)
        return target

    def make_extractor(self) -> Any:
        from kg.lexicon import load

        import inspect

        cls = self.extractor_class()
        try:
            takes_lexicon = len(inspect.signature(cls).parameters) > 0
        except (TypeError, ValueError):
            takes_lexicon = True
        if not takes_lexicon:  # an extractor that reads its lexicon itself
            return cls()
        return cls(load(self.lexicon) if self.lexicon else None)


def relations() -> list[Relation]:
    """Every registered relation, built-ins first, then those outside packages declare (by name)."""
    from kg.registry import RELATIONS

    _load_entry_points()
    return [RELATIONS.get(name) for name in RELATIONS.names()]


def relation(name: str) -> Relation:
    from kg.registry import RELATIONS

    _load_entry_points()
    return RELATIONS.get(name)


def register(rel: Relation) -> Relation:
    """Register a relation from Python (entry points call nothing: they name a Relation object)."""
    from kg.registry import RELATIONS

    RELATIONS.register(rel.name, rel)
    return rel


@lru_cache(maxsize=1)
def _load_entry_points() -> tuple[str, ...]:
    from importlib.metadata import entry_points

    from kg.registry import RELATIONS

    added = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        if ep.name in RELATIONS:
            continue
        rel = ep.load()
        if not isinstance(rel, Relation):
            raise TypeError(f"entry point {ep.name} = {ep.value} in {ENTRY_POINT_GROUP} is not a kg.relation.Relation")
        RELATIONS.register(rel.name, rel)
        added.append(rel.name)
    return tuple(added)


def view_styles() -> dict[str, tuple[str, str, str]]:
    out: dict[str, tuple[str, str, str]] = {}
    for rel in relations():
        out.update(rel.styles)
    return out


def edge_labels() -> dict[str, str]:
    out: dict[str, str] = {}
    for rel in relations():
        out.update(rel.edge_labels)
    return out


def names(rels: Optional[Sequence[Relation]] = None) -> list[str]:
    return [r.name for r in (rels if rels is not None else relations())]
