"""``kg validate``: SHACL validation of a built graph against ``ontology/shapes.ttl``.

The data is checked together with the ontology (``ontology/gwr.ttl``) and its RDFS consequences, so
shapes for ``gwr:Organization`` also check ``gwr:Enterprise``, ``gwr:Village``, ... The result carries
the violations as plain records and prints as a short report grouped by message.

Speed (see :func:`validate_graph`): pyshacl's own RDFS inference (owlrl) and its SPARQL-based
constraints were nearly all of the time — each SPARQL constraint is parsed again and run once per
focus node by rdflib's engine. Here the RDFS consequences that matter (subclass, subproperty, domain
and range typing) are computed once from precomputed closures, pyshacl runs without inference on the
shapes' core constraints, and each SPARQL constraint runs once over the whole graph in pyoxigraph,
its rows kept for the shape's focus nodes.
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


SH = "http://www.w3.org/ns/shacl#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
#: seconds after which a line on stderr says that validation is still running
PROGRESS_AFTER = 2.0


def rdfs_closure(data, ontology=None):
    """A new graph: ``data`` + ``ontology`` + their RDFS consequences for validation — every node typed
    with the superclasses of its classes, and with the domain/range classes of the properties it uses;
    every triple also stated with its property's superproperties."""
    from collections import defaultdict

    from rdflib import RDF, RDFS, Graph, Literal

    merged = Graph()
    for graph in (data, ontology):
        if graph is not None:
            for triple in graph:
                merged.add(triple)

    def closure(pred):
        up = defaultdict(set)
        for a, b in merged.subject_objects(pred):
            up[a].add(b)
        out = {}
        for start in list(up):
            seen, todo = set(), list(up[start])
            while todo:
                x = todo.pop()
                if x not in seen:
                    seen.add(x)
                    todo.extend(up.get(x, ()))
            out[start] = seen
        return out

    sub_class, sub_prop = closure(RDFS.subClassOf), closure(RDFS.subPropertyOf)
    domain, range_ = defaultdict(set), defaultdict(set)
    for p, c in merged.subject_objects(RDFS.domain):
        domain[p].add(c)
    for p, c in merged.subject_objects(RDFS.range):
        range_[p].add(c)
    added = []
    for s, p, o in merged:
        props = {p} | sub_prop.get(p, set())
        added += [(s, q, o) for q in props if q != p]
        for q in props:
            added += [(s, RDF.type, c) for c in domain.get(q, ())]
            if not isinstance(o, Literal):
                added += [(o, RDF.type, c) for c in range_.get(q, ())]
    for triple in added:
        merged.add(triple)
    for s, c in list(merged.subject_objects(RDF.type)):
        for sup in sub_class.get(c, ()):
            merged.add((s, RDF.type, sup))
    return merged


@dataclass
class _SparqlConstraint:
    shape: object
    select: str
    message: str
    severity: str


def _split_sparql(shapes):
    """(the shapes graph without its SPARQL-based constraints, those constraints)."""
    from rdflib import Graph, Namespace

    sh = Namespace(SH)
    rest = Graph()
    for triple in shapes:
        rest.add(triple)
    found = []
    for shape, constraint in sorted(shapes.subject_objects(sh.sparql)):
        select = shapes.value(constraint, sh.select)
        if select is None:
            continue
        severity = shapes.value(shape, sh.severity) or sh.Violation
        found.append(_SparqlConstraint(shape, str(select), str(shapes.value(constraint, sh.message) or ""),
                                       str(severity)))
        rest.remove((shape, sh.sparql, constraint))
        for triple in list(rest.triples((constraint, None, None))):
            rest.remove(triple)
    return rest, found


def _focus_nodes(graph, shapes, shape) -> set:
    """The focus nodes of a node shape's targets in ``graph`` (types already closed under subclasses)."""
    from rdflib import RDF, Namespace

    sh = Namespace(SH)
    nodes = set(shapes.objects(shape, sh.targetNode))
    for cls in shapes.objects(shape, sh.targetClass):
        nodes |= set(graph.subjects(RDF.type, cls))
    if (shape, RDF.type, RDF.type) in shapes or (shape, RDF.type, Namespace(RDFS_NS).Class) in shapes:
        nodes |= set(graph.subjects(RDF.type, shape))
    for p in shapes.objects(shape, sh.targetSubjectsOf):
        nodes |= set(graph.subjects(p, None))
    for p in shapes.objects(shape, sh.targetObjectsOf):
        nodes |= set(graph.objects(None, p))
    return nodes


def _run_sparql_constraints(graph, shapes, constraints) -> list[tuple]:
    """Each SPARQL constraint once over the whole graph (pyoxigraph), ``$this`` a variable, its rows kept
    for the shape's focus nodes: (severity, message, focus, path, value, shape) per result."""
    import re

    import pyoxigraph as ox
    from rdflib import Namespace

    sh = Namespace(SH)
    if not constraints:
        return []
    prefixes = {str(shapes.value(d, sh.prefix)): str(shapes.value(d, sh.namespace))
                for d in shapes.objects(None, sh.declare)}
    store = ox.Store()
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    results = []
    for c in constraints:
        focus = {str(n) for n in _focus_nodes(graph, shapes, c.shape)}
        query = re.sub(r"\$(\w+)", r"?\1", c.select)
        for row in store.query(query, prefixes=prefixes):
            this = row["this"]
            if this is None or this.value not in focus:
                continue
            bindings = {}
            for name in ("path", "value"):
                try:
                    term = row[name]
                except (KeyError, IndexError, TypeError):
                    term = None
                bindings[name] = None if term is None else term.value
            message = re.sub(r"\{[?$](\w+)\}", lambda m: str(bindings.get(m.group(1)) or ""), c.message)
            results.append((c.severity, message, this.value, bindings["path"], bindings["value"] or this.value,
                            str(c.shape)))
    return results


def validate_graph(data, *, shapes=None, ontology=None, source: str = "graph",
                   progress=None) -> ValidationResult:
    """SHACL-validate an rdflib graph with the ontology's RDFS consequences (see the module docstring).

    ``shapes`` and ``ontology`` default to ``ontology/shapes.ttl`` and ``ontology/gwr.ttl``.
    ``progress``: called with a line of text when validation takes longer than :data:`PROGRESS_AFTER`.
    """
    import threading

    from pyshacl import validate as shacl_validate
    from rdflib import RDFS, Literal, Namespace

    if shapes is None:
        shapes = _parse(SHAPES_FILE, "shapes")
    if ontology is None and ONTOLOGY_FILE.is_file():
        ontology = _parse(ONTOLOGY_FILE, "ontology")
    timer = None
    if progress is not None:
        timer = threading.Timer(PROGRESS_AFTER, progress, [f"validating {len(data)} triples against the SHACL "
                                                           "shapes …"])
        timer.daemon = True
        timer.start()
    try:
        closed = rdfs_closure(data, ontology)
        core, sparql = _split_sparql(shapes)
        conforms, report, text = shacl_validate(closed, shacl_graph=core, inference="none",
                                                abort_on_first=False, allow_warnings=True)
        extra = _run_sparql_constraints(closed, shapes, sparql)
    finally:
        if timer is not None:
            timer.cancel()
    SH_ = Namespace(SH)
    violations = []
    for result in report.subjects(SH_.resultSeverity, None):
        def one(pred):
            value = report.value(result, pred)
            return None if value is None else str(value)

        focus = report.value(result, SH_.focusNode)
        label = data.value(focus, RDFS.label) if focus is not None else None
        message = one(SH_.resultMessage) or f"fails {_short(one(SH_.sourceConstraintComponent))}"
        violations.append(Violation(
            severity=_short(one(SH_.resultSeverity)).replace(SH, ""),
            message=message, focus=str(focus), path=one(SH_.resultPath), value=one(SH_.value),
            shape=one(SH_.sourceShape), label=str(label) if isinstance(label, Literal) else None))
    from rdflib import URIRef

    for severity, message, focus, path, value, shape in extra:
        label = data.value(URIRef(focus), RDFS.label)
        violations.append(Violation(severity=severity.replace(SH, ""), message=message, focus=focus, path=path,
                                    value=value, shape=shape, label=str(label) if isinstance(label, Literal) else None))
    violations.sort(key=lambda v: (v.message, v.focus, v.path or "", v.value or ""))
    conforms = bool(conforms) and not any(v.severity == "Violation" for v in violations)
    return ValidationResult(conforms, violations, len(data), source, text)


def validate(graph_path: Path = DEFAULT_GRAPH, *, shapes_path: Path = SHAPES_FILE,
             ontology_path: Optional[Path] = ONTOLOGY_FILE, progress=None) -> ValidationResult:
    """Validate a graph file (Turtle, N-Triples, JSON-LD, or the union of a TriG/N-Quads file's graphs)."""
    graph_path = Path(graph_path)
    data = _parse(graph_path, "graph")
    shapes = _parse(Path(shapes_path), "shapes")
    if ontology_path is not None:
        ontology = _parse(Path(ontology_path), "ontology")
    else:
        from rdflib import Graph

        ontology = Graph()  # no ontology: RDFS inference over the data alone
    return validate_graph(data, shapes=shapes, ontology=ontology, source=str(graph_path), progress=progress)
