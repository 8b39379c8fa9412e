"""Scale benchmark: how ``kg build`` cost grows from 10 to 10,000 reports.

    .venv/bin/python benchmarks/scale_bench.py                        # 10,100,1000,10000, all cores
    .venv/bin/python benchmarks/scale_bench.py --sizes 10,100,1000 --workers 2 --budget 1800
    .venv/bin/python benchmarks/scale_bench.py --graph-only --sizes 100,1000,10000

Corpora are made from the seeds: each copy keeps a seed's title block and top-level headings, shuffles
the paragraphs inside each part, and renames the district and its city to synthetic names (distinct per
copy, never in the GB/T 2260 table), so that entities do not collapse across copies. Each size is built
in a fresh process (``kg.build.build`` with ``views=False``, or ``--views``; no cache), in increasing order; each row is
printed as soon as it is done, and a size that would end after ``--budget`` seconds (extrapolating the
last size's seconds per report) is not started.

Columns: wall time, reports/s, MB of (UTF-8) text/s, peak memory (``peak MB``: the largest resident
set of the build process and all its workers together, sampled with psutil every 0.2 s from the
benchmark's own process, which counts a page shared by several processes once in each; ``PSS MB``:
the largest proportional set size of them together, sampled every second, which counts a shared page
once in all: the memory the build takes from the machine; ``main MB``: the build process's own maximum, from getrusage), triples, and seconds
per stage.

``--graph-only`` skips extraction: it extracts the seeds once, clones the extractions with renamed
districts up to each size, and times the graph and writing stages alone (what runs on the client). Its
rows end with the CPU seconds of those two stages (the process's own; not the child that formats
large Turtle): on a loaded machine they vary less than the wall time.

First line: extraction throughput on one core (the seeds through ``kg.pipeline.extract``) as a ratio
to ``jieba.lcut`` on the same text in the same run (``--no-ratio`` skips it).

Not part of the test suite: it prints figures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEFAULT_SIZES = (10, 100, 1000, 10000)

_TOP_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}、")
# Characters for synthetic place names (none of 区县市旗州盟, which end place names).
_POOL = ("安宝长成大德东丰福富光广和河红华吉嘉建江金锦景康乐丽连临龙隆明南宁平庆仁荣瑞山上盛顺泰桃天通"
         "万文西祥新兴阳永裕元云正中")


# corpus ----------------------------------------------------------------------------------------
def _seed_parts():
    """Each seed as (stem, header lines, [(heading, paragraphs)], district, city)."""
    from kg.extract.meta import extract_meta
    from kg.readers import read_document

    seeds = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = read_document(path).text
        meta = extract_meta(text)
        lines = [line for line in text.split("\n") if line.strip()]
        header, sections = [], []
        for line in lines:
            if _TOP_HEADING.match(line):
                sections.append((line, []))
            elif sections:
                sections[-1][1].append(line)
            else:
                header.append(line)
        seeds.append((path.stem, header, sections, meta.district, meta.city))
    return seeds


def _names(count: int) -> list[str]:
    """``count`` distinct two- or three-character stems that name no real division."""
    from kg.geo import _by_name

    real = set(_by_name())
    out, i = [], 0
    while len(out) < count:
        a, b, c = i % len(_POOL), (i // len(_POOL)) % len(_POOL), i // (len(_POOL) ** 2)
        stem = _POOL[a] + _POOL[b] + (_POOL[c - 1] if c else "")
        i += 1
        if not any(stem + suffix in real for suffix in "区县市旗"):
            out.append(stem)
    return out


def make_corpus(folder: Path, size: int) -> int:
    """Write ``size`` synthetic reports into ``folder``; returns the bytes of text written."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = _seed_parts()
    stems = _names(size + size // 10 + 1)
    total = 0
    for i in range(size):
        stem, header, sections, district, city = seeds[i % len(seeds)]
        rng = random.Random(i)
        parts = list(header)
        for heading, paragraphs in sections:
            shuffled = list(paragraphs)
            rng.shuffle(shuffled)
            parts.append(heading)
            parts += shuffled
        text = "\n\n".join(parts) + "\n"
        new_district = stems[i] + (district[-1] if district else "区")
        new_city = stems[size + i // 10] + "市"  # ten districts per synthetic city
        if district:
            text = text.replace(district, new_district)
            if len(district) > 2:
                text = text.replace(district[:-1], stems[i])
        if city:
            text = text.replace(city, new_city)
        data = text.encode("utf-8")
        (folder / f"{stem}-{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


# one measured build (in its own process) -------------------------------------------------------
#: The PSS is read every this many samples (every second): it costs the kernel a walk of each process's
#: page tables, about 7 ms of CPU a process here, which at every sample took a third of a core.
_PSS_EVERY = 5
_EVERY = 0.2  # seconds between two RSS samples


class _PeakSampler(threading.Thread):
    """Peak RSS of the process ``pid`` plus all its descendants, sampled every :data:`_EVERY` seconds;
    peak PSS of them, every :data:`_PSS_EVERY` samples. It runs in the benchmark's parent process, not in
    the measured build: a sampling thread there held the build's GIL (the 1,000-report row took 4 s
    longer with it)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.peak_pss = 0
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            me = psutil.Process(self.pid)
        except psutil.Error:
            return
        samples = 0
        while not self._halt.is_set():
            total = 0
            try:
                procs = [me] + me.children(recursive=True)
            except psutil.Error:
                procs = [me]
            pss = 0
            with_pss = samples % _PSS_EVERY == 0  # reading a process's PSS costs about 7 ms of CPU
            samples += 1
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                    if with_pss:
                        pss += proc.memory_full_info().pss
                except (psutil.Error, AttributeError):
                    pass
            self.peak = max(self.peak, total)
            self.peak_pss = max(self.peak_pss, pss)
            self._halt.wait(_EVERY)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


def _measured(cmd: list) -> tuple:
    """Run one measured build (``--one``) in a child process, sampling the memory of it and its
    children from here: (its figures with ``peak_mb`` and ``pss_mb``, None) or (None, what failed)."""
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _PeakSampler(child.pid)
    sampler.start()
    try:
        out, err = child.communicate()
    finally:
        sampler.stop()
    if child.returncode != 0:
        return None, err.strip().splitlines()[-1:] or child.returncode
    figures = json.loads(out.strip().splitlines()[-1])
    figures["peak_mb"] = sampler.peak / 2**20 or figures["main_mb"]
    figures["pss_mb"] = sampler.peak_pss / 2**20
    return figures, None


def run_one(corpus: Path, out: Path, workers: int, formats: str, views: bool = False) -> dict:
    from kg.build import build

    started = time.perf_counter()
    result = build([corpus], out, formats=formats.split(","), views=views, progress=False, workers=workers,
                   cache=None)
    wall = time.perf_counter() - started
    main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "reports": len(result.reports), "failures": len(result.failures),
            "triples": result.triples, "timings": result.timings, "main_mb": main}


def run_graph_only(size: int, out: Path, formats: str, views: bool = False) -> dict:
    """Graph and writing stages alone, on ``size`` cloned seed extractions."""
    import dataclasses

    from kg.build import extract_file, write_outputs
    from kg.collector import paused
    from kg.store import build_store

    seeds = [extract_file(p) for p in sorted(SEEDS.glob("*.txt"))]
    stems = _names(size)
    extractions = []
    for i in range(size):
        ex = seeds[i % len(seeds)]
        doc = dataclasses.replace(ex.document, name=f"{ex.document.name}-{i:05d}",
                                  path=f"{ex.document.name}-{i:05d}.txt")
        meta = dataclasses.replace(ex.meta, district=stems[i] + "区", division_code=None)
        extractions.append(dataclasses.replace(ex, document=doc, meta=meta))
    started = time.perf_counter()
    cpu = time.process_time()
    graph = paused(build_store, extractions)  # as kg.build.build runs these stages
    t_graph = time.perf_counter() - started
    mark = time.perf_counter()
    paused(write_outputs, graph, extractions, out, formats=formats.split(","), views=views)
    t_write = time.perf_counter() - mark
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "reports": size, "failures": 0, "triples": len(graph),
            "timings": {"graph": t_graph, "write": t_write}, "main_mb": main, "cpu": cpu}


def extraction_ratio(rounds: int = 3) -> dict:
    """Extraction throughput on one core (``kg.pipeline.extract`` of the seeds, read once, pipeline
    warm) as a ratio to ``jieba.lcut`` on the same texts in the same process: best of ``rounds``."""
    import jieba

    from kg.nlp import get_nlp
    from kg.pipeline import extract
    from kg.readers import read_document

    docs = [read_document(p) for p in sorted(SEEDS.glob("*.txt"))]
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 2**20
    get_nlp()("预热。")
    jieba.lcut("预热")

    def best(func) -> float:
        times = []
        for _ in range(rounds):
            mark = time.perf_counter()
            func()
            times.append(time.perf_counter() - mark)
        return min(times)

    t_extract = best(lambda: [extract(d) for d in docs])
    t_jieba = best(lambda: [jieba.lcut(d.text) for d in docs])
    return {"extract_mb_s": mb / t_extract, "jieba_mb_s": mb / t_jieba, "ratio": t_jieba / t_extract}


# the table -------------------------------------------------------------------------------------
HEADER = (f"{'reports':>8} {'wall s':>8} {'reports/s':>9} {'MB/s':>6} {'peak MB':>8} {'PSS MB':>7} {'main MB':>8} "
          f"{'triples':>10}  stages (s)")


def row(size: int, text_bytes: int, m: dict) -> str:
    stages = " ".join(f"{k} {v:.1f}" for k, v in m["timings"].items())
    failed = f"  ({m['failures']} failed)" if m["failures"] else ""
    if "cpu" in m:  # --graph-only: CPU seconds of the two stages (the measure a loaded machine leaves)
        stages += f"  (CPU {m['cpu']:.1f} s, {m['cpu'] / m['reports']:.3f} s a report)"
    return (f"{size:>8,} {m['wall']:>8.1f} {m['reports'] / m['wall']:>9.2f} {text_bytes / 2**20 / m['wall']:>6.3f} "
            f"{m['peak_mb']:>8.0f} {m['pss_mb']:>7.0f} {m['main_mb']:>8.0f} {m['triples']:>10,}  {stages}{failed}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="corpus sizes (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=0, help="kg build --workers (default: all cores)")
    parser.add_argument("--budget", type=float, default=0,
                        help="skip a size that would end after this many seconds, extrapolating linearly (0: none)")
    parser.add_argument("--format", default="ttl", help="formats to write (default: ttl)")
    parser.add_argument("--graph-only", action="store_true", help="time graph + writing on cloned extractions")
    parser.add_argument("--views", action="store_true", help="build the views too (graph.html, district pages)")
    parser.add_argument("--no-ratio", action="store_true", help="skip the extraction / jieba.lcut ratio line")
    parser.add_argument("--ratio-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keep", type=Path, help="keep corpora and outputs in this folder")
    parser.add_argument("--one", nargs=3, metavar=("CORPUS", "OUT", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.ratio_only:
        r = extraction_ratio()
        print(json.dumps(r))
        return 0
    if args.one:  # the child: one measured build, figures as JSON on stdout
        corpus, out, size = Path(args.one[0]), Path(args.one[1]), int(args.one[2])
        m = (run_graph_only(size, out, args.format, args.views) if args.graph_only else
             run_one(corpus, out, args.workers or None, args.format, args.views))
        print(json.dumps(m))
        return 0

    from kg.executor import default_workers

    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    workers = args.workers or default_workers()
    root = args.keep or Path(tempfile.mkdtemp(prefix="gwr-scale-"))
    print(f"# gwr-kg scale benchmark: {'graph + write only' if args.graph_only else 'kg build'}, "
          f"workers={workers}, cpus={os.cpu_count()}, python {sys.version.split()[0]}", flush=True)
    if not args.no_ratio:
        done = subprocess.run([sys.executable, __file__, "--ratio-only"], capture_output=True, text=True)
        if done.returncode == 0:
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"# extraction {r['extract_mb_s']:.3f} MB/s per core, jieba.lcut {r['jieba_mb_s']:.3f} MB/s on the "
                  f"same text: ratio {r['ratio']:.2f}", flush=True)
        else:
            print(f"# extraction ratio failed: {done.stderr.strip().splitlines()[-1:]}", flush=True)
    print(f"# views {'on' if args.views else 'off'}; formats {args.format}", flush=True)
    print(HEADER, flush=True)
    started = time.perf_counter()
    seconds_per_report = 0.0
    try:
        for size in sizes:
            elapsed = time.perf_counter() - started
            expected = size * seconds_per_report  # cost is linear: extrapolate from the last size
            if args.budget and elapsed + expected > args.budget:
                print(f"# budget of {args.budget:.0f} s: {size:,} reports would take about {expected:,.0f} s more; "
                      f"{size:,} and larger not run", flush=True)
                break
            corpus, out = root / f"corpus-{size}", root / f"out-{size}"
            text_bytes = 0
            if args.graph_only:
                text_bytes = sum(p.stat().st_size for p in SEEDS.glob("*.txt")) * size / len(list(SEEDS.glob("*.txt")))
            else:
                text_bytes = make_corpus(corpus, size)
            cmd = [sys.executable, __file__, "--one", str(corpus), str(out), str(size), "--workers", str(workers),
                   "--format", args.format] + (["--graph-only"] if args.graph_only else []) + \
                (["--views"] if args.views else [])
            figures, error = _measured(cmd)
            if error is not None:
                print(f"{size:>8,}  failed: {error}", flush=True)
                break
            seconds_per_report = figures["wall"] / size
            print(row(size, text_bytes, figures), flush=True)
            if not args.keep:
                shutil.rmtree(corpus, ignore_errors=True)
                shutil.rmtree(out, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
