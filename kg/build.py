"""``kg build``: reports in, graph files out. Runs the stages listed in :mod:`kg.pipeline`."""

from __future__ import annotations

import gc
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from functools import partial
from typing import Any, Iterable, Optional, Sequence

from kg.model import Document, Extraction
from kg.readers import ReadConfig, ReadError, read_document, supported_suffixes

from kg.defaults import DEFAULT_INPUT, DEFAULT_OUTPUT  # noqa: E402,F401
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
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage: extract, graph, write
    cache: str = ""  # what the extraction cache did, e.g. "cache: 9999 reused, 1 extracted"

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        lines = [f"reports read: {len(self.reports)}" + (f", failed: {len(self.failures)}" if self.failures else "")]
        if self.reports:
            lines.append("read as: " + ", ".join(f"{k} ×{n}" for k, n in sorted(self.formats().items())))
        lines.append(f"triples: {self.triples}")
        if self.classes:
            lines.append("entities: " + ", ".join(f"{k} {v}" for k, v in self.classes.items()))
        lines.append(f"time: {self.seconds:.1f} s")
        if self.cache:
            lines.append(self.cache)
        lines += [f"wrote {p}" for p in self.outputs]
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"FAILED {f}" for f in self.failures]
        if self.failures:
            lines.append(f"{len(self.failures)} of {len(self.failures) + len(self.reports)} reports failed"
                         + ("; the others were built" if self.outputs else "; nothing was written, the previous "
                            "output is untouched"))
        return "\n".join(lines)

    def formats(self) -> dict[str, int]:
        """How the reports were read: 'reader encoding' (e.g. 'text gb18030', 'pdf') → count."""
        return dict(Counter(_read_as(ex.document) for ex in self.reports))

    def listing(self) -> str:
        """One line per report: file, reader and encoding, facts found, warnings; then the failures."""
        lines = []
        for ex in self.reports:
            counts = ", ".join(f"{k} {v}" for k, v in ex.counts().items())
            lines.append(f"{ex.document.path}: {_read_as(ex.document)}; {counts}"
                         + (f"; {len(ex.warnings)} warning(s)" if ex.warnings else ""))
        lines += [f"{f.path}: FAILED: {f.reason}" for f in self.failures]
        return "\n".join(lines)


def _read_as(document: Document) -> str:
    return document.reader if document.encoding in ("", "n/a") else f"{document.reader} {document.encoding}"


def collect_inputs(paths: Sequence[Path], *, exclude: Sequence[Path] = (),
                   failures: Optional[list[Failure]] = None) -> list[Path]:
    """Files given, and report files (by suffix) found in folders given, sorted, without duplicates.

    Hidden files and folders, and anything under ``exclude`` (the output folder: its graph.html is no
    report), are skipped in folders. A path that does not exist is a BuildError, or, when a
    ``failures`` list is given, a Failure appended to it while the other paths go on.
    """
    suffixes = set(supported_suffixes())
    skip = [Path(p).resolve() for p in exclude]
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in suffixes
                            and (p.is_file() or p.is_symlink())  # a broken link is reported, not skipped
                            and not any(part.startswith(".") for part in p.relative_to(path).parts)
                            and not any(p.resolve().is_relative_to(x) for x in skip))
        elif path.exists() or path.is_symlink():
            found.append(path)  # read_document says what is wrong with it, if anything
        elif failures is not None:
            failures.append(Failure(str(path), "no such file or folder"))
        else:
            raise BuildError(f"{path}: no such file or folder")
    unique = list(dict.fromkeys(p.absolute() if p.is_symlink() else p.resolve() for p in found))
    if not unique:
        missing = f" ({'; '.join(map(str, failures))})" if failures else ""
        raise BuildError(f"no reports found in {', '.join(map(str, paths))} (looked for "
                         f"{', '.join(sorted(suffixes))}){missing}")
    return [Path(p) for p in unique]


def extract_file(path: Path, config: ReadConfig = ReadConfig()) -> Extraction:
    """Read and extract one report (the unit of work for workers and caches)."""
    from kg.pipeline import extract

    return extract(read_document(path, config))


def extract_one(source: "Path | Document | Failure", config: ReadConfig = ReadConfig()) -> "Extraction | Failure":
    """One report (a path, or a Document the client read for remote workers) with its failure caught and
    returned as a value: the unit of work that executors (kg.executor) run, in or out of this process."""
    if isinstance(source, Failure):
        return source
    path = source.path if isinstance(source, Document) else source
    _use_lexicons(config)
    try:
        if isinstance(source, Document):
            from kg.pipeline import extract

            return extract(source)
        return extract_file(source, config)
    except ReadError as exc:
        return Failure(exc.path, exc.reason)
    except Exception as exc:  # one broken report never costs the others their output
        return Failure(str(path), f"extraction failed: {type(exc).__name__}: {exc}")


def _use_lexicons(config: ReadConfig) -> None:
    """Point this process (a worker's too) at the build's lexicon folders (``--lexicon``)."""
    from kg.lexicon import set_user_dirs, user_dirs

    wanted = tuple(Path(d) for d in config.lexicon_dirs)
    if wanted != user_dirs():
        set_user_dirs(wanted)


def _read_one(path: Path, config: ReadConfig) -> "Document | Failure":
    """A report read here, for workers that cannot see this machine's files (Dask)."""
    try:
        return read_document(path, config)
    except ReadError as exc:
        return Failure(exc.path, exc.reason)
    except Exception as exc:
        return Failure(str(path), f"extraction failed: {type(exc).__name__}: {exc}")


def _progress(items: Iterable, enabled: bool, total: int) -> Iterable:
    if not enabled or total <= PROGRESS_THRESHOLD:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="extracting", unit="report", file=sys.stderr, total=total)


def _outcomes(paths: list[Path], config: ReadConfig, executor, cache) -> Iterable:
    """Each report's Extraction or Failure, in input order: from the cache when it holds the report,
    else from the executor (which works ahead on the reports still to come)."""
    keys = [cache.key(p, config) for p in paths] if cache is not None else [None] * len(paths)
    cached = [cache.get(k) for k in keys] if cache is not None else [None] * len(paths)
    todo = [p for p, c in zip(paths, cached) if c is None]
    work = partial(extract_one, config=config)
    if not todo:
        fresh = iter(())
    elif executor.remote:  # remote workers cannot read our files: read here, send the Documents
        sources: list = [_read_one(p, config) for p in todo]

        def documents():
            for i, source in enumerate(sources):
                if isinstance(source, Document):
                    sources[i] = None  # sent: the cluster holds it now
                    yield source

        extracted = executor.map(work, documents())
        fresh = (s if isinstance(s, Failure) else next(extracted) for s in sources)
    else:
        fresh = executor.map(work, iter(todo))
    for key, hit in zip(keys, cached):
        if hit is not None:
            yield hit
            continue
        outcome = next(fresh)
        if cache is not None and isinstance(outcome, Extraction):
            cache.put(key, outcome)
        yield outcome


def extract_all(paths: list[Path], *, strict: bool = False, progress: bool = True,
                config: ReadConfig = ReadConfig(), executor=None, cache=None) -> tuple[list[Extraction], list[Failure]]:
    """Every report's extraction, in input order, run by ``executor`` (kg.executor; default serial) and
    reusing ``cache`` (a kg.cache.ExtractionCache) when given. A failing report becomes a Failure and
    the others go on (``strict``: the first failure stops the build)."""
    from kg.executor import SerialExecutor

    executor = executor if executor is not None else SerialExecutor()
    extractions, failures = [], []
    paths, failures = _unique_names(list(paths))
    if strict and failures:
        raise BuildError(str(failures[0]))
    outcomes = _outcomes(paths, config, executor, cache)
    try:
        for outcome in _progress(outcomes, progress, len(paths)):
            if isinstance(outcome, Failure):
                failures.append(outcome)
            else:
                extractions.append(outcome)
            if strict and failures:
                raise BuildError(str(failures[0]))
    finally:
        outcomes.close()
    return extractions, failures


def _graph_of_good_reports(build_graph, reports: list[Extraction], failures: list[Failure]):
    """Map each report alone to find those that fail; they become Failures, the others form the graph."""
    good = []
    for ex in reports:
        try:
            build_graph([ex])
        except Exception as exc:
            failures.append(Failure(ex.document.path, f"mapping to RDF failed: {type(exc).__name__}: {exc}"))
        else:
            good.append(ex)
    return build_graph(good), good


def _unique_names(paths: list[Path]) -> tuple[list[Path], list[Failure]]:
    """Report IRIs come from file names (stems): the first file of a name is built, the others fail."""
    first: dict[str, Path] = {}
    keep, failures = [], []
    for path in paths:
        if path.stem in first:
            failures.append(Failure(str(path), f"another report has the same file name ({first[path.stem]}); "
                                               "report IRIs come from file names, so rename one"))
        else:
            first[path.stem] = path
            keep.append(path)
    return keep, failures


def class_counts(graph) -> dict[str, int]:
    from rdflib import RDF

    from kg.rdf import GWR

    counts = Counter(str(o)[len(str(GWR)):] for o in graph.objects(None, RDF.type) if str(o).startswith(str(GWR)))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def write_outputs(graph, extractions: list[Extraction], out_dir: Path, *, formats: Sequence[str] = ("ttl",),
                  views: bool = True) -> list[Path]:
    """Write the graph in each format and draw its views.

    Everything is written into a staging folder inside ``out_dir`` first and moved into place only when
    every file is complete, so a build that fails or is killed while writing leaves the previous output
    as it was (never a new graph.ttl beside an old graph.html, never a half-written file).
    """
    import os
    import shutil
    import tempfile

    from kg.registry import EXPORTERS, VIEWS

    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        staged: list[Path] = []
        for name in dict.fromkeys(EXPORTERS.canonical(fmt.strip()) for fmt in formats):
            staged.append(EXPORTERS.get(name)(graph, staging / f"graph.{name}", extractions))
        if views:
            staged.append(VIEWS.get("pyvis")(graph, staging / "graph.html", title="gwr-kg"))
            from kg.views.site import write_site_pages  # views/<district>.html and index.html

            staged += write_site_pages(graph, staging, title="gwr-kg")
        written = []
        for path in staged:
            target = out_dir / Path(path).relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _without_gc(func, *args, **kwargs):
    """``func(*args, **kwargs)`` with cyclic garbage collection paused. Building and writing the graph
    makes millions of small, long-lived objects (rdflib terms, index entries) and every full collection
    walks all of them, which made these stages grow faster than the corpus (README: Scale and benchmarks)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return func(*args, **kwargs)
    finally:
        if was_enabled:
            gc.enable()


def build(paths: Sequence[Path] = (DEFAULT_INPUT,), out_dir: Path = DEFAULT_OUTPUT, *,
          formats: Sequence[str] = ("ttl",), views: bool = True, strict: bool = False,
          progress: bool = True, config: Optional[ReadConfig] = None, workers: Optional[int] = 1,
          dask: Any = None, cache: Any = None, executor=None) -> BuildResult:
    """Build the graph of every report under ``paths`` into ``out_dir``.

    Extraction runs on ``executor`` (a kg.executor engine) if given, else on a Dask cluster when
    ``dask`` is a scheduler address (or a ``dask.distributed.Client``), else on ``workers`` local
    processes (1: serial in this process; None: all cores). The output does not depend on the engine.
    ``cache``: None/False (none), True (``out_dir/.kg-cache``), a folder or a kg.cache.ExtractionCache.
    """
    from kg.cache import open_cache
    from kg.executor import ExecutorError, default_workers, make_executor
    from kg.rdf import build_graph
    from kg.registry import EXPORTERS

    started = time.perf_counter()
    if config is not None and config.lexicon_dirs:
        from kg.lexicon import LexiconError

        try:
            _use_lexicons(config)  # before cache keys are made: they hash the lexicons in effect
        except LexiconError as exc:
            raise BuildError(str(exc)) from None
    for fmt in formats:
        EXPORTERS.canonical(fmt.strip())  # an unknown format fails before any work is done
    result = BuildResult()
    files = collect_inputs(paths, exclude=[out_dir], failures=result.failures)
    if strict and result.failures:
        raise BuildError(str(result.failures[0]))
    missing = list(result.failures)
    store = open_cache(cache, out_dir)
    own = executor is None
    if own:
        executor = make_executor(max(1, min(workers or default_workers(), len(files))), dask)
    try:
        result.reports, result.failures = extract_all(files, strict=strict, progress=progress,
                                                      config=config or ReadConfig(), executor=executor, cache=store)
        result.failures = missing + result.failures
    except ExecutorError as exc:
        raise BuildError(str(exc)) from None
    finally:
        if own:
            executor.close()
    if store is not None:
        result.cache = store.stats()
    result.timings["extract"] = time.perf_counter() - started
    for ex in result.reports:
        result.warnings += ex.warnings
    if result.reports:
        mark = time.perf_counter()
        try:
            graph = _without_gc(build_graph, result.reports)
        except Exception:  # a report whose facts cannot be mapped must not cost the others theirs
            graph, result.reports = _graph_of_good_reports(build_graph, result.reports, result.failures)
            if strict:
                raise BuildError(str(result.failures[-1])) from None
        result.timings["graph"] = time.perf_counter() - mark
    if result.reports:
        mark = time.perf_counter()
        try:
            result.outputs = _without_gc(write_outputs, graph, result.reports, Path(out_dir), formats=formats,
                                         views=views)
        except OSError as exc:  # files are staged and moved together: the previous output is as it was
            raise BuildError(f"cannot write to {out_dir}: {exc.strerror or exc} "
                             f"({getattr(exc, 'filename', None) or out_dir}); the previous output is "
                             "unchanged") from None
        result.timings["write"] = time.perf_counter() - mark
        result.triples = len(graph)
        result.classes = class_counts(graph)
    result.seconds = time.perf_counter() - started
    return result
