"""One registry per kind of part: readers, extractors, views and exporters.

A part registers under a name, possibly with aliases (``ttl`` for ``turtle``). Modules are imported
lazily, on first lookup, so ``import kg`` stays cheap. An unknown name raises an error that lists the
known ones. Outside packages can add parts with ``REGISTRY.register(...)``; relations also through
the ``gwr_kg.relations`` entry point group (:mod:`kg.relation`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable


class UnknownPartError(LookupError):
    def __init__(self, kind: str, name: str, known: list[str]):
        super().__init__(f"unknown {kind} {name!r}; known {kind}s: {', '.join(sorted(known))}")
        self.kind, self.name, self.known = kind, name, known


@dataclass
class _Entry:
    target: str | Callable[..., Any]  # "module:attribute" or the object itself


class Registry:
    """Name → part, for one kind of part."""

    def __init__(self, kind: str):
        self.kind = kind
        self._entries: dict[str, _Entry] = {}
        self._canonical: dict[str, str] = {}

    def register(self, name: str, target: str | Callable[..., Any], *, aliases: tuple[str, ...] = ()) -> None:
        self._entries[name] = _Entry(target)
        self._canonical[name] = name
        for alias in aliases:
            self._canonical[alias] = name

    def names(self) -> list[str]:
        return list(self._entries)

    def canonical(self, name: str) -> str:
        try:
            return self._canonical[name]
        except KeyError:
            raise UnknownPartError(self.kind, name, self.names()) from None

    def get(self, name: str) -> Any:
        entry = self._entries[self.canonical(name)]
        if isinstance(entry.target, str):
            module, _, attr = entry.target.partition(":")
            entry.target = getattr(importlib.import_module(module), attr)
        return entry.target

    def __contains__(self, name: str) -> bool:
        return name in self._canonical


#: Readers: ``(path: Path, config: ReadConfig) -> Document``; chosen by file suffix.
READERS = Registry("reader")
READERS.register("text", "kg.readers.text:read_text", aliases=(".txt", ".md", ".markdown", ".text"))
READERS.register("html", "kg.readers.html:read_html", aliases=(".html", ".htm", ".xhtml"))
READERS.register("pdf", "kg.readers.pdf:read_pdf", aliases=(".pdf",))
READERS.register("docx", "kg.readers.docx:read_docx", aliases=(".docx",))

#: Relations: kg.relation.Relation objects, in the order they are extracted, resolved and mapped.
#: Outside packages add theirs through the entry point group ``gwr_kg.relations`` (see kg.relation).
RELATIONS = Registry("relation")
RELATIONS.register("projects", "kg.relations.projects:RELATION")
RELATIONS.register("investments", "kg.relations.investments:RELATION")
RELATIONS.register("awards", "kg.relations.awards:RELATION")
RELATIONS.register("indicators", "kg.relations.indicators:RELATION")
RELATIONS.register("aggregates", "kg.relations.aggregates:RELATION")

#: Exporters: ``(graph, path, extractions=()) -> Path``, by format name (the file suffix); see kg.exporters.rdf.
EXPORTERS = Registry("exporter")
EXPORTERS.register("ttl", "kg.exporters.rdf:write_turtle", aliases=("turtle", "text/turtle"))
EXPORTERS.register("trig", "kg.exporters.rdf:write_trig", aliases=("application/trig",))
EXPORTERS.register("nt", "kg.exporters.rdf:write_ntriples", aliases=("ntriples", "n-triples", "application/n-triples"))
EXPORTERS.register("nq", "kg.exporters.rdf:write_nquads", aliases=("nquads", "n-quads", "application/n-quads"))
EXPORTERS.register("jsonld", "kg.exporters.rdf:write_jsonld", aliases=("json-ld", "application/ld+json"))

#: Views: ``(graph, path, **options) -> None``, drawing a graph as HTML.
VIEWS = Registry("view")
VIEWS.register("pyvis", "kg.views.pyvis_view:write_view", aliases=("html",))
