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

    result = build(args.paths or [Path("seeds")], args.out, formats=args.format.split(","),
                   views=not args.no_views, strict=args.strict, progress=not args.quiet)
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
    result = run_query(resolve_query(args.query), args.graph, engine=args.engine)
    print(result.format(args.format))
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from kg.evaluate import evaluate, format_errors, format_table

    evaluation = evaluate(args.gold, args.graph)
    print(format_table(evaluation, per_report=args.per_report))
    if args.show:
        print()
        print(format_errors(evaluation, args.show))
    return EXIT_OK


class UsageError(Exception):
    pass


COMMANDS: list[tuple[str, Callable[[argparse.Namespace], int], str, str]] = [
    ("build", cmd_build, "read reports and write the graph (Turtle) and its HTML view",
     "Examples:\n  kg build                      # seeds/ → output/graph.ttl, output/graph.html\n"
     "  kg build reports/2024 --out out2024\n  kg build a.txt b.md --format ttl"),
    ("query", cmd_query, "run a saved query, a .rq file or SPARQL text over the built graph",
     "Examples:\n  kg query --list\n  kg query awards\n  kg query queries/invests.rq --format csv\n"
     "  kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'"),
    ("eval", cmd_eval, "score the built graph against gold answers (P/R/F1 per relation)",
     "Examples:\n  kg eval\n  kg eval --gold tests/gold --graph output/graph.ttl --per-report --show 10"),
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
                   help="report files or folders (UTF-8 .txt/.md); default: seeds/")
    b.add_argument("--out", type=Path, default=Path("output"), metavar="DIR", help="output folder (default: output/)")
    b.add_argument("--format", default="ttl", metavar="FMT[,FMT]", help="graph formats to write (default: ttl)")
    b.add_argument("--no-views", action="store_true", help="do not draw the HTML view")
    b.add_argument("--strict", action="store_true", help="stop at the first report that fails")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    q = parsers["query"]
    q.add_argument("query", nargs="?", metavar="QUERY", help="saved query name (see --list), .rq file, or SPARQL text")
    q.add_argument("--graph", type=Path, default=Path("output/graph.ttl"), metavar="FILE",
                   help="Turtle graph to query (default: output/graph.ttl)")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format (default: table)")
    q.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                   help="SPARQL engine for local graphs (default: oxigraph, fast)")
    q.add_argument("--list", action="store_true", help="list the saved queries and what each answers")

    e = parsers["eval"]
    e.add_argument("--gold", type=Path, default=Path("tests/gold"), metavar="DIR",
                   help="folder of gold *.jsonl answers (default: tests/gold)")
    e.add_argument("--graph", type=Path, default=Path("output/graph.ttl"), metavar="FILE",
                   help="built graph to score (default: output/graph.ttl)")
    e.add_argument("--per-report", action="store_true", help="also print figures per report")
    e.add_argument("--show", type=int, default=0, metavar="N", help="list up to N misses and false alarms per relation")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    from kg.build import BuildError
    from kg.query import QueryError
    from kg.registry import UnknownPartError

    try:
        return args.func(args)
    except UsageError as exc:
        print(f"kg {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (BuildError, QueryError, UnknownPartError, FileNotFoundError, ValueError) as exc:
        print(f"kg {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"kg {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
