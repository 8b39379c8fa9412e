"""``kg query``: saved queries (``queries/*.rq``), ``.rq`` files or SPARQL text over a built graph.

Local graphs are queried with pyoxigraph (a compiled SPARQL engine, much faster than rdflib's on large
graphs); ``engine="rdflib"`` uses rdflib's in-memory engine instead. Local files may be Turtle,
N-Triples, JSON-LD, or TriG/N-Quads datasets (queried as the union of their graphs).
With ``endpoint=URL`` the query goes to a remote SPARQL endpoint over HTTP (SPARQL 1.1 Protocol, see
:func:`kg.push.remote_select`) and no local file is read.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from kg.textutil import format_rows

from kg.defaults import DEFAULT_GRAPH, queries_dir  # noqa: E402

QUERIES_DIR = queries_dir()
#: SELECT answers stop with a QueryError past this many rows (``kg query --max-rows``; 0: no limit).
DEFAULT_MAX_ROWS = 1_000_000


class QueryError(Exception):
    pass


#: Prefixes every query may use without PREFIX lines (a query's own PREFIX lines take precedence).
PROJECT_PREFIXES = {
    "gwr": "https://w3id.org/gwr/ontology#", "id": "https://w3id.org/gwr/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#", "schema": "https://schema.org/",
}


@dataclass
class QueryResult:
    variables: list[str]
    rows: list[list[Optional[str]]]
    #: per cell: "iri", "number", "literal", "bnode" or None (unbound); empty when unknown (remote results)
    kinds: list[list[Optional[str]]] = field(default_factory=list)
    #: IRI → rdfs:label, for the IRIs in the rows that have one (tables show the label)
    labels: dict[str, str] = field(default_factory=dict)

    def format(self, fmt: str = "table") -> str:
        if fmt == "table":
            return format_rows(self.variables, self.display_rows()) + f"\n({len(self.rows)} rows)"
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(self.variables)
            writer.writerows([["" if v is None else v for v in row] for row in self.typed_rows()])
            return buf.getvalue().rstrip("\n")
        if fmt == "json":
            return json.dumps([dict(zip(self.variables, row)) for row in self.typed_rows()], ensure_ascii=False,
                              indent=2)
        raise QueryError(f"unknown format {fmt!r}; known: table, csv, json")

    def _kind(self, i: int, j: int) -> Optional[str]:
        return self.kinds[i][j] if i < len(self.kinds) else None

    def display_rows(self) -> list[list[Optional[str]]]:
        """The rows as a person reads them: an IRI becomes its label, else its prefixed name."""
        out = []
        for i, row in enumerate(self.rows):
            cells = []
            for j, v in enumerate(row):
                if v is not None and (self._kind(i, j) == "iri" or (not self.kinds and "://" in v and " " not in v)):
                    v = self.labels.get(v) or prefixed_name(v)
                cells.append(v)
            out.append(cells)
        return out

    def typed_rows(self) -> list[list[object]]:
        """The rows with numeric literals as numbers (int when whole, else float) for JSON and CSV."""
        return [[_number(v) if self._kind(i, j) == "number" else v for j, v in enumerate(row)]
                for i, row in enumerate(self.rows)]


def with_prefix_lines(sparql: str) -> str:
    """``sparql`` with PREFIX lines for the project prefixes it uses but does not declare (for engines,
    such as a remote endpoint, that cannot be given default prefixes)."""
    import re

    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([\w.-]*):", sparql)}
    used = [k for k, ns in PROJECT_PREFIXES.items()
            if k not in declared and re.search(rf"(?<![\w<\"'?$]){re.escape(k)}:", sparql)]
    return "".join(f"PREFIX {k}: <{PROJECT_PREFIXES[k]}>\n" for k in used) + sparql


def prefixed_name(iri: str) -> str:
    """``https://w3id.org/gwr/ontology#Completed`` → ``gwr:Completed``; other IRIs unchanged."""
    best = max((ns for ns in PROJECT_PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(k for k, ns in PROJECT_PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


def _number(text: Optional[str]):
    from decimal import Decimal, InvalidOperation

    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if not value.is_finite():
        return text
    return int(value) if value == value.to_integral_value() else float(value)


_NUMERIC_TYPES = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
    "unsignedShort", "unsignedByte")}


def _term_kind(term) -> Optional[str]:
    """The kind of a pyoxigraph or rdflib term, as :attr:`QueryResult.kinds` records it."""
    if term is None:
        return None
    name = type(term).__name__
    if name in ("NamedNode", "URIRef"):
        return "iri"
    if name in ("BlankNode", "BNode"):
        return "bnode"
    datatype = getattr(term, "datatype", None)
    datatype = getattr(datatype, "value", datatype)
    return "number" if datatype is not None and str(datatype) in _NUMERIC_TYPES else "literal"


def syntax_error_line(sparql: str, message: str, line: Optional[int] = None, col: Optional[int] = None) -> str:
    """One readable line for a SPARQL syntax error: where it is, the text there and a hint.

    ``message`` is the engine's own text (pyoxigraph: ``error at L:C: expected …``; rdflib: a pyparsing
    message with ``(line:L, col:C)``, or ``Unknown namespace prefix : foo``).
    """
    import re

    m = re.search(r"error at (\d+):(\d+)", message) or re.search(r"line:(\d+), col:(\d+)", message)
    if m and line is None:
        line, col = int(m.group(1)), int(m.group(2))
    lines = sparql.splitlines() or [""]
    where, near = "", ""
    if line is not None and 1 <= line <= len(lines):
        where = f" at line {line}, column {col}"
        text = lines[line - 1]
        start = max((col or 1) - 1, 0)
        near = text[max(start - 20, 0):start + 10].strip()
    unknown = re.search(r"Unknown namespace prefix\s*:\s*(\S+)", message)
    prefix = unknown.group(1) if unknown else None
    if prefix is not None and line is None:  # rdflib names the prefix but not where it is
        for n, text in enumerate(lines, 1):
            found = re.search(rf"(?<![\w<]){re.escape(prefix)}:", text)
            if found:
                where, near = f" at line {n}, column {found.start() + 1}", text[found.start():found.start() + 30].strip()
                break
    if prefix is None and "Prefix not found" in message and line is not None:
        before = lines[line - 1][:max((col or 1) - 1, 0)]
        found = re.search(r"([A-Za-z][\w.-]*)?:[^\s:]*$", before)
        prefix = found.group(1) if found and found.group(1) else None
    known = ", ".join(sorted(PROJECT_PREFIXES))
    if prefix is not None or "Prefix not found" in message:
        hint = (f"unknown prefix {prefix + ':' if prefix else ''} (these need no PREFIX line: {known}; "
                "declare others with PREFIX name: <IRI>)")
    elif re.search(r"(?<![\w<])[A-Za-z][\w-]*:[\w-]*/", near):
        hint = "a prefixed name cannot hold '/': write the full IRI in <…> (e.g. <https://w3id.org/gwr/id/district/410404>)"
    elif sparql.count("{") != sparql.count("}"):
        hint = f"unbalanced braces ({sparql.count('{')} '{{' but {sparql.count('}')} '}}')"
    else:
        expected = re.search(r"expected (?:one of )?(.*)", " ".join(message.split()))
        text = expected.group(1) if expected else " ".join(message.split())
        hint = f"expected {text}" if len(text) <= 60 else "check the text just before this point"
    return f"SPARQL syntax error{where}" + (f" near {near!r}" if near else "") + f": {hint}"


def saved_queries(folder: Path = QUERIES_DIR) -> dict[str, tuple[Path, str]]:
    """name → (path, one-line title from the query's first comment line)."""
    out = {}
    for path in sorted(folder.glob("*.rq")):
        first = next((line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()), "")
        out[path.stem] = (path, first.lstrip("# ").strip() if first.startswith("#") else "")
    return out


def resolve_query(query: str, folder: Path = QUERIES_DIR, *, allow_service: bool = False) -> str:
    """SPARQL text from a saved query's name, a .rq file path, or SPARQL text itself (a query with
    SERVICE is refused unless ``allow_service``: see kg.offline)."""
    saved = saved_queries(folder)
    if query in saved:
        return _no_service(saved[query][0].read_text(encoding="utf-8"), allow_service)
    if query.endswith(".rq"):
        path = Path(query)
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        return _no_service(path.read_text(encoding="utf-8"), allow_service)
    if any(k in query.upper() for k in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")):
        return _no_service(query, allow_service)
    raise QueryError(f"unknown query {query!r}; saved queries: {', '.join(saved) or '(none)'}")


def _term_text(term) -> Optional[str]:
    if term is None:
        return None
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


# file suffix → (pyoxigraph format name, rdflib format name, holds named graphs)
FILE_FORMATS = {".ttl": ("TURTLE", "turtle", False), ".nt": ("N_TRIPLES", "nt", False),
                ".jsonld": ("JSON_LD", "json-ld", False), ".trig": ("TRIG", "trig", True),
                ".nq": ("N_QUADS", "nquads", True)}


def run_query(sparql: str, graph_path: Path = DEFAULT_GRAPH, *, engine: str = "oxigraph",
              endpoint: Optional[str] = None, store: str = "gsp", timeout: float = 30.0,
              allow_service: bool = False, max_rows: int = DEFAULT_MAX_ROWS) -> QueryResult:
    """Run a SELECT query over a graph file, or at a remote SPARQL ``endpoint`` when one is given.
    SERVICE is refused unless ``allow_service``; more than ``max_rows`` rows (0: no limit) stop the
    query with a QueryError instead of filling the memory; ``timeout`` is the endpoint's total deadline."""
    _no_service(sparql, allow_service)
    if endpoint:
        from kg.push import PushError, remote_select

        try:
            variables, rows = remote_select(with_prefix_lines(sparql), endpoint, store=store, timeout=timeout)
            _row_limit(len(rows), max_rows)
        except PushError as exc:
            raise QueryError(str(exc)) from None
        return QueryResult(variables, rows)
    graph_path = Path(graph_path)
    if not graph_path.is_file():
        raise QueryError(f"{graph_path}: no graph file (run `kg build` first)")
    ox_format, rdflib_format, quads = FILE_FORMATS.get(graph_path.suffix.lower(), FILE_FORMATS[".ttl"])
    if engine == "oxigraph":
        import pyoxigraph as ox

        store_ = ox.Store()
        try:
            with graph_path.open("rb") as fh:
                store_.bulk_load(fh, getattr(ox.RdfFormat, ox_format))
        except (SyntaxError, ValueError, OSError) as exc:  # a truncated or broken file
            raise _unreadable(graph_path, ox_format, exc) from None
        try:
            solutions = store_.query(sparql, use_default_graph_as_union=quads, prefixes=PROJECT_PREFIXES)
        except SyntaxError as exc:
            raise QueryError(syntax_error_line(sparql, str(exc))) from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("only SELECT queries print as tables; use `kg view` to draw CONSTRUCT results")
        variables = [v.value for v in solutions.variables]
        terms = _collect(([sol[v] for v in variables] for sol in solutions), max_rows)
        return _result(variables, terms, lambda iris: _labels_oxigraph(store_, iris, quads))
    if engine == "rdflib":
        from rdflib import Graph

        from kg.offline import no_remote_contexts

        no_remote_contexts()
        try:
            if quads:
                from rdflib import Dataset

                graph = Dataset(default_union=True)
                graph.parse(graph_path, format=rdflib_format)
            else:
                graph = Graph().parse(graph_path, format=rdflib_format)
        except Exception as exc:  # rdflib raises many kinds of parse errors
            raise _unreadable(graph_path, rdflib_format, exc) from None
        try:
            result = graph.query(sparql, initNs=PROJECT_PREFIXES)
            variables = [str(v) for v in result.vars or []]
            terms = _collect(([row[v] for v in variables] for row in result), max_rows)
        except QueryError:
            raise
        except Exception as exc:
            raise QueryError(_rdflib_error(sparql, exc)) from None
        return _result(variables, terms, lambda iris: _labels_rdflib(graph, iris))
    raise QueryError(f"unknown engine {engine!r}; known: oxigraph, rdflib")


# issue 15: SERVICE refused, row limit, unreadable graph files ------------------------------------------

def _no_service(sparql: str, allow_service: bool) -> str:
    from kg.offline import ServiceRefused, refuse_service

    try:
        refuse_service(sparql, allow_service)
    except ServiceRefused as exc:
        raise QueryError(str(exc)) from None
    return sparql


def _row_limit(count: int, max_rows: int) -> None:
    if max_rows and count > max_rows:
        raise QueryError(f"the answer has more than {max_rows:,} rows; stopped (add a LIMIT to the query, "
                         "or raise --max-rows)")


def _collect(rows, max_rows: int) -> list:
    """Rows from a lazy iterator, stopping past ``max_rows`` before they fill the memory; errors the
    engine raises while evaluating (a failing SERVICE, an unbound SERVICE ?x) become QueryErrors."""
    out = []
    try:
        for row in rows:
            out.append(row)
            _row_limit(len(out), max_rows)
    except QueryError:
        raise
    except (RuntimeError, OSError, ValueError, SyntaxError) as exc:
        raise QueryError(f"the query failed while running: {' '.join(str(exc).split())[:300]}") from None
    return out


def _unreadable(path: Path, fmt: str, exc: BaseException) -> QueryError:
    detail = " ".join(str(exc).split())[:200]
    return QueryError(f"{path}: cannot read it as {fmt.lower().replace('_', '-')} (truncated or not that "
                      f"format?): {type(exc).__name__}{': ' + detail if detail else ''}")


def _result(variables: list[str], terms: list[list], labels_of) -> QueryResult:
    """A :class:`QueryResult` from engine terms, with the labels of the IRIs it holds."""
    kinds = [[_term_kind(t) for t in row] for row in terms]
    rows = [[_term_text(t) for t in row] for row in terms]
    iris = sorted({v for row, ks in zip(rows, kinds) for v, k in zip(row, ks) if k == "iri"})
    return QueryResult(variables, rows, kinds, labels_of(iris) if iris else {})


def _labels_oxigraph(store, iris: list[str], union: bool) -> dict[str, str]:
    import pyoxigraph as ox

    labels: dict[str, str] = {}
    label = ox.NamedNode(PROJECT_PREFIXES["rdfs"] + "label")
    for iri in iris:
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            continue
        found = sorted(q.object.value for q in store.quads_for_pattern(node, label, None, None))
        if found:
            labels[iri] = found[0]
    return labels


def _labels_rdflib(graph, iris: list[str]) -> dict[str, str]:
    from rdflib import RDFS, URIRef

    labels: dict[str, str] = {}
    for iri in iris:
        found = sorted(str(o) for o in graph.objects(URIRef(iri), RDFS.label))
        if found:
            labels[iri] = found[0]
    return labels


def _rdflib_error(sparql: str, exc: Exception) -> str:
    """One line for an error rdflib raised while parsing or running a query."""
    line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    text = " ".join(str(exc).split())
    if line is not None or "namespace prefix" in text:
        return syntax_error_line(sparql, text, line, col)
    return f"SPARQL error: {text}"
