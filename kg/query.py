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
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from kg.textutil import format_rows

from kg.defaults import DEFAULT_GRAPH, queries_dir  # noqa: E402

QUERIES_DIR = queries_dir()
#: SELECT answers stop with a QueryError past this many rows (``kg query --max-rows``; 0: no limit).
DEFAULT_MAX_ROWS = 1_000_000


class QueryError(Exception):
    pass


@dataclass
class QueryResult:
    variables: list[str]
    rows: list[list[Optional[str]]]

    def format(self, fmt: str = "table") -> str:
        if fmt == "table":
            return format_rows(self.variables, self.rows) + f"\n({len(self.rows)} rows)"
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(self.variables)
            writer.writerows([["" if v is None else v for v in row] for row in self.rows])
            return buf.getvalue().rstrip("\n")
        if fmt == "json":
            return json.dumps([dict(zip(self.variables, row)) for row in self.rows], ensure_ascii=False, indent=2)
        raise QueryError(f"unknown format {fmt!r}; known: table, csv, json")


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
            variables, rows = remote_select(sparql, endpoint, store=store, timeout=timeout)
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
            solutions = store_.query(sparql, use_default_graph_as_union=quads)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("only SELECT queries print as tables; use `kg view` to draw CONSTRUCT results")
        variables = [v.value for v in solutions.variables]
        rows = _collect(([_term_text(sol[v]) for v in variables] for sol in solutions), max_rows)
        return QueryResult(variables, rows)
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
            result = graph.query(sparql)
            variables = [str(v) for v in result.vars or []]
            rows = _collect(([_term_text(row[v]) for v in variables] for row in result), max_rows)
        except QueryError:
            raise
        except Exception as exc:
            raise QueryError(f"SPARQL error: {exc}") from None
        return QueryResult(variables, rows)
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
