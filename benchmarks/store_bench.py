"""Load and query times, rdflib vs pyoxigraph, for the seed graph and a graph of ~1M triples shaped like it.

The large graph replicates the seed graph with renamed instance IRIs (copy k: ``…/id/c<k>-<kind>/…``),
so it has the seeds' shape — the same classes, provenance statements and label patterns — at scale.
Both engines load the same N-Triples file and run the same saved queries (the six contract queries by
default), once each; the script prints a table of seconds and row counts and asserts nothing.

    .venv/bin/python benchmarks/store_bench.py                       # seeds + 1M triples
    .venv/bin/python benchmarks/store_bench.py --triples 200000 --queries undertakes,awards
    .venv/bin/python benchmarks/store_bench.py --graph output/graph.ttl --engines oxigraph
"""

from __future__ import annotations

import argparse
import gc
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONTRACT = ["undertakes", "invests", "awards", "indicators", "reports", "provenance"]
DATA = "https://w3id.org/gwr/id/"


def seed_ntriples(graph_path: Path | None, work: Path) -> list[str]:
    """The seed graph as sorted N-Triples lines (built from seeds/ when no graph file is given)."""
    from rdflib import Graph

    if graph_path is None or not graph_path.is_file():
        from kg.build import build

        print(f"building the seeds into {work} …", file=sys.stderr)
        result = build([ROOT / "seeds"], work / "seed-out", views=False, progress=False)
        graph_path = work / "seed-out" / "graph.ttl"
        if not result.ok:
            raise SystemExit(result.summary())
    graph = Graph().parse(graph_path, format="turtle")
    return sorted(line for line in graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
                  if line.strip())


def replicate(lines: list[str], triples: int, path: Path) -> int:
    """Write copies of the seed triples with renamed instance IRIs until ``triples`` are written."""
    copies = max(1, -(-triples // len(lines)))
    written = 0
    with path.open("w", encoding="utf-8") as fh:
        for k in range(copies):
            prefix = f"{DATA}c{k}-"
            for line in lines:
                if written >= triples:
                    return written
                fh.write(line.replace(DATA, prefix) + "\n")
                written += 1
    return written


def _time_engine(load, query, queries: dict[str, str]) -> tuple[float, dict[str, tuple[float, int]], int]:
    """Time ``load()`` (returns a store) and each query run with ``query(store, sparql)``."""
    started = time.perf_counter()
    store = load()
    loaded = time.perf_counter() - started
    print(f"  loaded in {loaded:.2f} s", file=sys.stderr, flush=True)
    results = {}
    for name, sparql in queries.items():
        started = time.perf_counter()
        rows = sum(1 for _ in query(store, sparql))
        results[name] = (time.perf_counter() - started, rows)
        print(f"  {name}: {results[name][0]:.2f} s, {rows} rows", file=sys.stderr, flush=True)
    size = len(store)
    del store
    gc.collect()
    return loaded, results, size


def time_rdflib(path: Path, queries: dict[str, str]) -> tuple[float, dict[str, tuple[float, int]], int]:
    from rdflib import Graph

    return _time_engine(lambda: Graph().parse(path, format="nt"), lambda g, q: g.query(q), queries)


def time_oxigraph(path: Path, queries: dict[str, str]) -> tuple[float, dict[str, tuple[float, int]], int]:
    import pyoxigraph as ox

    def load():
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        return store

    return _time_engine(load, lambda store, q: store.query(q), queries)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graph", type=Path, default=ROOT / "output" / "graph.ttl",
                        help="seed graph (Turtle); built from seeds/ when missing (default: output/graph.ttl)")
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the large graph (default: 1000000)")
    parser.add_argument("--queries", default=",".join(CONTRACT), help="saved queries to run (default: the contract's)")
    parser.add_argument("--engines", default="rdflib,oxigraph", help="engines (default: rdflib,oxigraph)")
    args = parser.parse_args(argv)

    from kg.query import resolve_query

    queries = {name: resolve_query(name) for name in args.queries.split(",")}
    engines = {"rdflib": time_rdflib, "oxigraph": time_oxigraph}
    chosen = [e for e in args.engines.split(",") if e]
    with tempfile.TemporaryDirectory(prefix="store-bench-") as tmp:
        work = Path(tmp)
        lines = seed_ntriples(args.graph, work)
        datasets = [("seeds", work / "seeds.nt", len(lines)), (f"{args.triples:,} triples", work / "large.nt", 0)]
        (work / "seeds.nt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        started = time.perf_counter()
        n = replicate(lines, args.triples, work / "large.nt")
        datasets[1] = (f"{n:,} triples", work / "large.nt", n)
        print(f"generated {n:,} triples ({-(-n // len(lines))} copies of the {len(lines):,} seed triples) "
              f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)

        import pyoxigraph
        import rdflib

        print(f"python {platform.python_version()}, rdflib {rdflib.__version__}, pyoxigraph {pyoxigraph.__version__}, "
              f"{platform.machine()}")
        header = ["graph", "engine", "load s", *[f"{q} s (rows)" for q in queries], "all queries s"]
        table = []
        for label, path, _ in datasets:
            for engine in chosen:
                print(f"{label}: {engine} …", file=sys.stderr)
                load, results, size = engines[engine](path, queries)
                row = [f"{label}", engine, f"{load:.2f}"]
                row += [f"{results[q][0]:.3f} ({results[q][1]})" for q in queries]
                row.append(f"{sum(t for t, _ in results.values()):.2f}")
                table.append(row)
        widths = [max(len(str(r[i])) for r in [header, *table]) for i in range(len(header))]
        for r in [header, ["-" * w for w in widths], *table]:
            print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory of this process: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
