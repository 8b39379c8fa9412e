"""``kg build``: reports in, graph files out. Runs the stages listed in :mod:`kg.pipeline`."""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

from kg.model import Extraction
from kg.readers import ReadConfig, ReadError, read_document, supported_suffixes

DEFAULT_INPUT = Path("seeds")
DEFAULT_OUTPUT = Path("output")
PROGRESS_THRESHOLD = 5  # show a progress bar above this many reports


class BuildError(Exception):
    """The build as a whole cannot go on (no inputs, --strict failure, unwritable output)."""


@dataclass
class Failure:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class BuildResult:
    reports: list[Extraction] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    triples: int = 0
    classes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        lines = [f"reports read: {len(self.reports)}" + (f", failed: {len(self.failures)}" if self.failures else "")]
        lines.append(f"triples: {self.triples}")
        if self.classes:
            lines.append("entities: " + ", ".join(f"{k} {v}" for k, v in self.classes.items()))
        lines.append(f"time: {self.seconds:.1f} s")
        lines += [f"wrote {p}" for p in self.outputs]
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"FAILED {f}" for f in self.failures]
        return "\n".join(lines)


def collect_inputs(paths: Sequence[Path]) -> list[Path]:
    """Files given, and report files (by suffix) found in folders given, sorted, without duplicates."""
    suffixes = set(supported_suffixes())
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists():
            found.append(path)
        else:
            raise BuildError(f"{path}: no such file or folder")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        raise BuildError(f"no reports found in {', '.join(map(str, paths))} (looked for {', '.join(sorted(suffixes))})")
    return [Path(p) for p in unique]


def extract_file(path: Path, config: ReadConfig = ReadConfig()) -> Extraction:
    """Read and extract one report (the unit of work for workers and caches)."""
    from kg.pipeline import extract

    return extract(read_document(path, config))


def _progress(items: list[Path], enabled: bool) -> Iterable[Path]:
    if not enabled or len(items) <= PROGRESS_THRESHOLD:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="extracting", unit="report", file=sys.stderr)


def extract_all(paths: list[Path], *, strict: bool = False, progress: bool = True,
                config: ReadConfig = ReadConfig()) -> tuple[list[Extraction], list[Failure]]:
    extractions, failures = [], []
    for path in _progress(paths, progress):
        try:
            extractions.append(extract_file(path, config))
        except ReadError as exc:
            failures.append(Failure(exc.path, exc.reason))
        except Exception as exc:  # one broken report never costs the others their output
            failures.append(Failure(str(path), f"extraction failed: {type(exc).__name__}: {exc}"))
        if strict and failures:
            raise BuildError(str(failures[0]))
    names = Counter(e.document.name for e in extractions)
    duplicated = sorted(n for n, c in names.items() if c > 1)
    if duplicated:
        raise BuildError(f"several reports share a file name ({', '.join(duplicated)}); report IRIs come from "
                         "file names, so rename them")
    return extractions, failures


def class_counts(graph) -> dict[str, int]:
    from rdflib import RDF

    from kg.rdf import GWR

    counts = Counter(str(o)[len(str(GWR)):] for o in graph.objects(None, RDF.type) if str(o).startswith(str(GWR)))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def write_outputs(graph, extractions: list[Extraction], out_dir: Path, *, formats: Sequence[str] = ("ttl",),
                  views: bool = True) -> list[Path]:
    """Write the graph in each format and draw its views; every file is written atomically."""
    from kg.registry import EXPORTERS, VIEWS

    written: list[Path] = []
    for fmt in formats:
        name = EXPORTERS.canonical(fmt)
        target = out_dir / f"graph.{name}"
        EXPORTERS.get(name)(graph, target)
        written.append(target)
    if views:
        target = out_dir / "graph.html"
        VIEWS.get("pyvis")(graph, target, title="gwr-kg")
        written.append(target)
    return written


def build(paths: Sequence[Path] = (DEFAULT_INPUT,), out_dir: Path = DEFAULT_OUTPUT, *,
          formats: Sequence[str] = ("ttl",), views: bool = True, strict: bool = False,
          progress: bool = True, config: Optional[ReadConfig] = None) -> BuildResult:
    """Build the graph of every report under ``paths`` into ``out_dir``."""
    from kg.rdf import build_graph
    from kg.registry import EXPORTERS

    started = time.perf_counter()
    for fmt in formats:
        EXPORTERS.canonical(fmt)  # an unknown format fails before any work is done
    files = collect_inputs(paths)
    result = BuildResult()
    result.reports, result.failures = extract_all(files, strict=strict, progress=progress,
                                                  config=config or ReadConfig())
    for ex in result.reports:
        result.warnings += ex.warnings
    if result.reports:
        graph = build_graph(result.reports)
        result.outputs = write_outputs(graph, result.reports, Path(out_dir), formats=formats, views=views)
        result.triples = len(graph)
        result.classes = class_counts(graph)
    result.seconds = time.perf_counter() - started
    return result
