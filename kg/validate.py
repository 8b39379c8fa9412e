"""``kg validate``: SHACL validation of a built graph against ``ontology/shapes.ttl``.

pyshacl runs with RDFS inference over the data plus the ontology (``ontology/gwr.ttl``), so shapes for
``gwr:Organization`` also check ``gwr:Enterprise``, ``gwr:Village``, ... The result carries the
violations as plain records and prints as a short report grouped by message.
Quad files (TriG, N-Quads) are validated as the union of their named graphs, the ontology graph left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from kg.defaults import DEFAULT_GRAPH, ontology_file, shapes_file  # noqa: E402

ONTOLOGY_FILE = ontology_file()
SHAPES_FILE = shapes_file()
FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nquads",
           ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml"}
QUAD_FORMATS = {"trig", "nquads"}


class ValidateError(Exception):
    """The graph or the shapes cannot be read."""


@dataclass(frozen=True)
class Violation:
    severity: str  # Violation | Warning | Info
    message: str
    focus: str
    path: Optional[str] = None
    value: Optional[str] = None
    shape: Optional[str] = None
    label: Optional[str] = None  # the focus node's rdfs:label, when it has one


@dataclass
class ValidationResult:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0
    source: str = ""
    text: str = ""  # pyshacl's own report text

    def format(self, examples: int = 3) -> str:
        """A readable report: one line per kind of problem, a few examples each."""
        head = f"{self.source}: {self.triples} triples"
        if self.conforms:
            return f"{head}; conforms to the SHACL shapes"
        groups: dict[tuple[str, str, str], list[Violation]] = defaultdict(list)
        for v in self.violations:
            groups[(v.severity, v.message, v.path or "")].append(v)
        lines = [f"{head}; does NOT conform: {len(self.violations)} result(s) in {len(groups)} kind(s)"]
        for (severity, message, path), items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            lines.append(f"  {severity}: {message}" + (f" [{_short(path)}]" if path else "") + f" × {len(items)}")
            for v in sorted(items, key=lambda v: (v.focus, v.value or ""))[:examples]:
                focus = _short(v.focus) + (f" ({v.label})" if v.label else "")
                lines.append(f"    - {focus}" + (f": value {_short(v.value)}" if v.value else ""))
            if len(items) > examples:
                lines.append(f"    … and {len(items) - examples} more")
        return "\n".join(lines)


_SHORT = {"https://w3id.org/gwr/ontology#": "gwr:", "https://w3id.org/gwr/id/": "id:",
          "http://www.w3.org/2000/01/rdf-schema#": "rdfs:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
          "http://www.w3.org/ns/prov#": "prov:", "http://purl.org/dc/terms/": "dcterms:",
          "http://www.w3.org/2004/02/skos/core#": "skos:", "http://www.w3.org/2001/XMLSchema#": "xsd:"}


def _short(text: Optional[str]) -> str:
    if not text:
        return ""
    for long, short in _SHORT.items():
        if text.startswith(long):
            return short + text[len(long):]
    return text


def _parse(path: Path, what: str):
    from rdflib import Dataset, Graph

    from kg.offline import no_remote_contexts

    no_remote_contexts()  # a JSON-LD file's remote @context is never fetched

    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValidateError(f"{path}: unknown RDF file type {path.suffix!r}; known: {', '.join(sorted(FORMATS))}")
    if not path.is_file():
        raise ValidateError(f"{path}: no such {what} file" + (" (run `kg build` first)" if what == "graph" else ""))
    try:
        if fmt in QUAD_FORMATS:
            from kg.exporters.rdf import ONTOLOGY_GRAPH

            ds = Dataset()
            ds.parse(path, format=fmt)
            graph = Graph()
            for g in ds.graphs():
                if str(g.identifier) != ONTOLOGY_GRAPH:
                    for triple in g:
                        graph.add(triple)
            return graph
        return Graph().parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise ValidateError(f"{path}: cannot read it as {fmt}: {type(exc).__name__}: {exc}".splitlines()[0]) from None


def validate_graph(data, *, shapes=None, ontology=None, source: str = "graph") -> ValidationResult:
    """SHACL-validate an rdflib graph (RDFS inference, the ontology as ``ont_graph``).

    ``shapes`` and ``ontology`` default to ``ontology/shapes.ttl`` and ``ontology/gwr.ttl``.
    """
    from pyshacl import validate as shacl_validate
    from rdflib import RDFS, Literal, Namespace

    if shapes is None:
        shapes = _parse(SHAPES_FILE, "shapes")
    if ontology is None and ONTOLOGY_FILE.is_file():
        ontology = _parse(ONTOLOGY_FILE, "ontology")
    conforms, report, text = shacl_validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs",
                                            abort_on_first=False, allow_warnings=True)
    SH = Namespace("http://www.w3.org/ns/shacl#")
    violations = []
    for result in report.subjects(SH.resultSeverity, None):
        def one(pred):
            value = report.value(result, pred)
            return None if value is None else str(value)

        focus = report.value(result, SH.focusNode)
        label = data.value(focus, RDFS.label) if focus is not None else None
        message = one(SH.resultMessage) or f"fails {_short(one(SH.sourceConstraintComponent))}"
        violations.append(Violation(
            severity=_short(one(SH.resultSeverity)).replace("http://www.w3.org/ns/shacl#", ""),
            message=message, focus=str(focus), path=one(SH.resultPath), value=one(SH.value),
            shape=one(SH.sourceShape), label=str(label) if isinstance(label, Literal) else None))
    violations.sort(key=lambda v: (v.message, v.focus, v.path or "", v.value or ""))
    return ValidationResult(bool(conforms), violations, len(data), source, text)


def validate(graph_path: Path = DEFAULT_GRAPH, *, shapes_path: Path = SHAPES_FILE,
             ontology_path: Optional[Path] = ONTOLOGY_FILE) -> ValidationResult:
    """Validate a graph file (Turtle, N-Triples, JSON-LD, or the union of a TriG/N-Quads file's graphs)."""
    graph_path = Path(graph_path)
    data = _parse(graph_path, "graph")
    shapes = _parse(Path(shapes_path), "shapes")
    if ontology_path is not None:
        ontology = _parse(Path(ontology_path), "ontology")
    else:
        from rdflib import Graph

        ontology = Graph()  # no ontology: RDFS inference over the data alone
    return validate_graph(data, shapes=shapes, ontology=ontology, source=str(graph_path))
