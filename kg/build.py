"""``kg build``: reports in, graph files out. Runs the stages listed in :mod:`kg.pipeline`."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from functools import partial
from itertools import chain
from typing import Any, Iterable, Optional, Sequence

from kg.collector import paused
from kg.fsutil import exchange, printable
from kg.model import Document, Extraction, PackedExtraction, Reports, unpacked
from kg.readers import ReadConfig, ReadError, read_document, supported_suffixes

from kg.defaults import DEFAULT_INPUT, DEFAULT_OUTPUT  # noqa: E402,F401
PROGRESS_THRESHOLD = 5  # show a progress bar above this many reports
MANIFEST = ".kg-manifest.json"  # in every output folder: the files that build wrote
#: Names in an output folder that belong to builds: replaced by the next build, never carried over.
_BUILD_NAMES = re.compile(r"(graph\.(ttl|trig|nt|nq|jsonld|html)|index\.html|views|\.staging-.*|"
                          + re.escape(MANIFEST) + ")")
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(staging|old)-(?P<pid>\d+)-[^/]*")


class BuildError(Exception):
    """The build as a whole cannot go on (no inputs, --strict failure, unwritable output)."""


@dataclass
class Failure:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{printable(self.path)}: {printable(self.reason)}"


@dataclass
class BuildResult:
    #: the reports built, in input order: a sequence of Extraction, kept packed (kg.model.Reports)
    reports: Reports = field(default_factory=Reports)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    triples: int = 0
    classes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage: extract, graph, write
    cache: str = ""  # what the extraction cache did, e.g. "cache: 9999 reused, 1 extracted"
    notes: list[str] = field(default_factory=list)  # what the build chose to do (e.g. an overview graph.html)

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
        lines += [f"wrote {printable(p)}" for p in self.outputs]
        lines += [f"note: {printable(n)}" for n in self.notes]
        lines += [f"warning: {printable(w)}" for w in self.warnings]
        lines += [f"FAILED {f}" for f in self.failures]
        if self.failures:
            lines.append(f"{len(self.failures)} of {len(self.failures) + len(self.reports)} reports failed"
                         + ("; the others were built" if self.outputs else "; nothing was written, the previous "
                            "output is untouched"))
        return "\n".join(lines)

    def formats(self) -> dict[str, int]:
        """How the reports were read: 'reader encoding' (e.g. 'text gb18030', 'pdf') → count."""
        return dict(Counter(_read_as(head.document) for head in _heads(self.reports)))

    def listing(self) -> str:
        """One line per report: file, reader and encoding, facts found, warnings; then the failures."""
        lines = []
        for ex in _heads(self.reports):
            counts = ", ".join(f"{k} {v}" for k, v in ex.counts().items())
            lines.append(f"{ex.document.path}: {_read_as(ex.document)}; {counts}"
                         + (f"; {len(ex.warnings)} warning(s)" if ex.warnings else ""))
        lines += [f"{printable(f.path)}: FAILED: {printable(f.reason)}" for f in self.failures]
        return "\n".join(lines)


def _heads(reports) -> list:
    """The reports' heads (kg.model.ReportHead: document without text, meta, warnings, counts) when
    ``reports`` is a kg.model.Reports, else the extractions themselves (which answer the same)."""
    return reports.heads if isinstance(reports, Reports) else list(reports)


def _read_as(document: Document) -> str:
    return document.reader if document.encoding in ("", "n/a") else f"{document.reader} {document.encoding}"


def collect_inputs(paths: Sequence[Path], *, exclude: Sequence[Path] = (),
                   failures: Optional[list[Failure]] = None, warnings: Optional[list[str]] = None) -> list[Path]:
    """Files given, and report files (by suffix) found in folders given, sorted, without duplicates.

    Hidden files and folders, anything under ``exclude`` (the output folder: its graph.html is no
    report) and any other folder a build wrote (an old output folder inside the input; a warning says
    so) are skipped in folders. A path that does not exist, or a folder that cannot be read, is a
    BuildError, or, when a ``failures`` list is given, a Failure appended to it while the other paths
    go on. Symbolic links to files are kept (a broken link or a link loop fails alone when read);
    links to folders are not followed.
    """
    suffixes = set(supported_suffixes())
    skip = [Path(os.path.realpath(p)) for p in exclude]
    found: list[Path] = []

    def fail(path, reason: str) -> None:
        if failures is None:
            raise BuildError(f"{printable(path)}: {reason}")
        failures.append(Failure(printable(path), reason))

    for path in paths:
        path = Path(path)
        if path.is_dir():
            found += _walk(path, suffixes, skip, fail, warnings)
        elif path.exists() or path.is_symlink():
            found.append(path)  # read_document says what is wrong with it, if anything
        else:
            fail(path, "no such file or folder")
    unique = list(dict.fromkeys(p.absolute() if p.is_symlink() else Path(os.path.realpath(p)) for p in found))
    if not unique:
        missing = f" ({'; '.join(map(str, failures))})" if failures else ""
        raise BuildError(f"no reports found in {', '.join(printable(p) for p in paths)} (looked for "
                         f"{', '.join(sorted(suffixes))}){missing}")
    return [Path(p) for p in unique]


def _walk(top: Path, suffixes: set[str], skip: list[Path], fail, warnings: Optional[list[str]]) -> list[Path]:
    """Report files under ``top``, sorted; a folder that cannot be listed is a named failure."""
    found = []

    def unreadable(exc: OSError) -> None:
        fail(exc.filename or top, f"cannot read this folder ({exc.strerror or type(exc).__name__}); "
                                  "the reports in it are missing")

    for folder, dirs, files in os.walk(top, onerror=unreadable):
        here = Path(folder)
        keep = []
        for name in sorted(dirs):
            sub = here / name
            if name.startswith(".") or any(Path(os.path.realpath(sub)).is_relative_to(x) for x in skip):
                continue
            if is_output_folder(sub):
                if warnings is not None:
                    warnings.append(f"{printable(sub)}: skipped, a folder `kg build` wrote (its pages are no reports)")
                continue
            keep.append(name)
        dirs[:] = keep
        for name in files:
            p = here / name
            if name.startswith(".") or p.suffix.lower() not in suffixes:
                continue
            if any(Path(os.path.realpath(p)).is_relative_to(x) for x in skip):
                continue
            found.append(p)
    return sorted(found)


def is_output_folder(folder: Path) -> bool:
    """A folder a build wrote: it has the build's manifest, an extraction cache, or (older builds)
    both graph.html and index.html."""
    try:
        return ((folder / MANIFEST).is_file() or (folder / ".kg-cache").is_dir()
                or ((folder / "graph.html").is_file() and (folder / "index.html").is_file()))
    except OSError:
        return False


def extract_file(path: Path, config: ReadConfig = ReadConfig()) -> Extraction:
    """Read and extract one report (the unit of work for workers and caches)."""
    from kg.pipeline import extract

    return extract(read_document(path, config), district=config.district)


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

            return extract(source, district=config.district)
        return extract_file(source, config)
    except ReadError as exc:
        return Failure(exc.path, exc.reason)
    except NotAReportError as exc:
        return Failure(str(path), str(exc))
    except Exception as exc:  # one broken report never costs the others their output
        return Failure(str(path), f"extraction failed: {type(exc).__name__}: {exc}")


from kg.pipeline import NotAReportError  # noqa: E402  (cheap: kg.pipeline imports spaCy lazily)


def extract_and_map(source: "Path | Document | Failure", config: ReadConfig = ReadConfig()) -> "tuple | Failure":
    """:func:`extract_one`, then the report mapped to RDF alone (:func:`kg.store.map_one`): what ``kg build``'s
    workers run, so that the graph stage's per-report part runs in parallel with extraction. Gives
    ``(extraction packed, its MappedReport or mapping Failure)``, or the extraction's Failure. Packed
    (kg.model.PackedExtraction) here, in the worker: the client keeps each report as a compressed
    pickle and its head, and never unpickles the facts it does not read."""
    outcome = extract_one(source, config)
    if isinstance(outcome, Failure):
        return outcome
    return PackedExtraction.pack(outcome), _map_caught(outcome)


def _map_caught(extraction: Extraction) -> "Any":
    """:func:`kg.store.map_one` with its failure caught and returned as a value: a kg.store.MappedReport,
    or a Failure ("mapping to RDF failed: ...")."""
    from kg.store import map_one

    try:
        return map_one(extraction)
    except Exception as exc:  # one broken report never costs the others their output
        return _mapping_failure(extraction, exc)


def _mapping_failure(extraction: Extraction, exc: Exception) -> Failure:
    return Failure(extraction.document.path, f"mapping to RDF failed: {type(exc).__name__}: {exc}")


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


#: At most this many reports are read ahead while the workers start (:func:`_read_while_starting`).
READ_AHEAD_MAX = 1000


def _read_while_starting(executor, paths: list[Path], config: ReadConfig) -> Iterable:
    """``paths`` for ``executor.map``, the first ones read here (Documents, or the Failures of those that
    cannot be read) while the executor's workers start in the background (:meth:`kg.executor.
    ProcessExecutor.start`), at most :data:`READ_AHEAD_MAX`. This process is idle then, and a report
    sent read is not read again by a worker (``extract_one`` takes a path or a Document): reading and
    normalizing, about 5 ms a report, moved off the workers' cores for the first few hundred reports."""
    start = getattr(executor, "start", None)
    if start is None or not start(len(paths)):
        return iter(paths)
    read: list = []
    while executor.starting() and len(read) < min(len(paths), READ_AHEAD_MAX):
        read.append(_read_one(paths[len(read)], config))
    return chain(_handed_over(read), paths[len(read):])


def _handed_over(items: list) -> Iterable:
    """The items in order, each let go of here once taken (so that a Document sent to a worker is not
    also kept here until the last one is)."""
    items.reverse()
    while items:
        yield items.pop()


def _progress(items: Iterable, enabled: bool, total: int) -> Iterable:
    if not enabled or total <= PROGRESS_THRESHOLD:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="extracting", unit="report", file=sys.stderr, total=total)


def _outcomes(paths: list[Path], config: ReadConfig, executor, cache, mapping: bool = False) -> Iterable:
    """Each report's Extraction or Failure, in input order: from the cache when it holds the report,
    else from the executor (which works ahead on the reports still to come); one from the cache comes
    packed (kg.model.PackedExtraction). ``mapping``: each comes as ``(packed extraction, its mapping)``
    instead (:func:`extract_and_map`; the mapping is None for a report from the cache: the cache holds
    extractions only)."""
    keys = [cache.key(p, config) for p in paths] if cache is not None else [None] * len(paths)
    cached = [cache.get(k) for k in keys] if cache is not None else [None] * len(paths)
    todo = [p for p, c in zip(paths, cached) if c is None]
    work = partial(extract_and_map if mapping else extract_one, config=config)
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
        fresh = executor.map(work, _read_while_starting(executor, todo, config))
    for key, hit in zip(keys, cached):
        if hit is not None:
            yield (hit, None) if mapping else hit
            continue
        outcome = next(fresh)
        if cache is not None and not isinstance(outcome, Failure):
            cache.put(key, outcome[0] if mapping else outcome)
        yield outcome


def extract_all(paths: list[Path], *, strict: bool = False, progress: bool = True,
                config: ReadConfig = ReadConfig(), executor=None, cache=None,
                mapped: Optional[list] = None) -> tuple[Reports, list[Failure]]:
    """Every report's extraction (a kg.model.Reports: a sequence of Extraction kept packed), in input
    order, run by ``executor`` (kg.executor; default serial) and
    reusing ``cache`` (a kg.cache.ExtractionCache) when given. A failing report becomes a Failure and
    the others go on (``strict``: the first failure stops the build).

    ``mapped``: a list to which each extraction's mapping to RDF is appended, made on the executor
    beside it (:func:`extract_and_map`; :func:`kg.store.build_store` takes it): a
    kg.store.MappedReport, a Failure when the mapping failed, None for a report from the cache."""
    from kg.executor import SerialExecutor

    executor = executor if executor is not None else SerialExecutor()
    extractions = Reports()
    paths, failures = _unique_names(list(paths))
    if strict and failures:
        raise BuildError(str(failures[0]))
    outcomes = _outcomes(paths, config, executor, cache, mapping=mapped is not None)
    try:
        for outcome in _progress(outcomes, progress, len(paths)):
            if isinstance(outcome, Failure):
                failures.append(outcome)
            elif mapped is not None:
                extractions.append(outcome[0])
                mapped.append(outcome[1])
            else:
                extractions.append(outcome)
            if strict and failures:
                raise BuildError(str(failures[0]))
    finally:
        outcomes.close()
    return extractions, failures


def _graph_of_good_reports(build_graph, reports: Sequence, failures: list[Failure],
                           mapped: Optional[Sequence] = None):
    """Map each report alone to find those that fail; they become Failures, the others form the graph.
    ``mapped``: the reports' mappings made already (see :func:`extract_all`), aligned with ``reports``:
    a Failure there is the report's failure, a MappedReport is used as it is, None is tried here."""
    good, good_mapped = Reports(), []
    items = reports.packed if isinstance(reports, Reports) else reports
    for ex, done in zip(items, mapped if mapped else [None] * len(items)):
        if isinstance(done, Failure):
            failures.append(done)
            continue
        if done is None:
            try:
                build_graph([unpacked(ex)])
            except Exception as exc:
                failures.append(_mapping_failure(ex, exc))
                continue
        good.append(ex)
        good_mapped.append(done)
    return (build_graph(good, mapped=good_mapped) if mapped else build_graph(good)), good


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
    """gwr class local name → instances, most first (a store counted its classes as it stored them)."""
    if isinstance(getattr(graph, "classes", None), dict):
        return dict(graph.classes)
    from rdflib import RDF

    from kg.rdf import GWR

    counts = Counter(str(o)[len(str(GWR)):] for o in graph.objects(None, RDF.type) if str(o).startswith(str(GWR)))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def write_outputs(graph, extractions: list[Extraction], out_dir: Path, *, formats: Sequence[str] = ("ttl",),
                  views: bool = True, warnings: Optional[list[str]] = None, failures: Sequence = (),
                  notes: Optional[list[str]] = None) -> list[Path]:
    """Write the graph in each format and draw its views, then swap them in as a whole.

    Everything is written into a staging folder beside ``out_dir`` (``.NAME.staging-PID-…``), and the
    staging folder then takes the output folder's place in one atomic exchange (Linux renameat2; two
    renames elsewhere). So a build that fails or is killed before the exchange leaves the previous output
    exactly as it was, and after it the folder holds exactly this build's files: no file of an earlier
    build stays behind (an old ``graph.trig``, the page of a report since removed). What the folder
    holds that no build writes (the extraction cache ``.kg-cache``, a ``kg view`` page, anything else)
    is moved over into the new folder. Leftovers of killed builds are removed by the next build.
    """
    import tempfile

    from kg.registry import EXPORTERS

    out = Path(os.path.realpath(out_dir))  # a link to a folder: the folder it points at is replaced
    _check_output_folder(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(out, warnings)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-{os.getpid()}-", dir=out.parent))
    try:
        staged: list[Path] = []
        for name in dict.fromkeys(EXPORTERS.canonical(fmt.strip()) for fmt in formats):
            staged.append(EXPORTERS.get(name)(graph, staging / f"graph.{name}", extractions))
        if views:  # graph.html, views/<district>.html, queries/ and index.html, district by district
            from kg.views.site import write_site_pages

            staged += write_site_pages(graph, staging, title="gwr-kg", failures=failures, graph_page=True,
                                       notes=notes, scratch=staging)
        names = [Path(path).relative_to(staging) for path in staged]
        (staging / MANIFEST).write_text(json.dumps({"written": sorted(n.as_posix() for n in names)}, indent=1)
                                        + "\n", encoding="utf-8")
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it 0700; an output folder is a normal folder
        _swap_in(staging, out, warnings)
        return [Path(out_dir) / n for n in names]
    finally:
        if staging.exists():  # not swapped in (an error): only this build's files are in it
            shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check_output_folder(out: Path) -> None:
    """OSError, before anything is written, when ``out`` cannot be replaced as a whole: the current
    folder (or one holding it), or a folder where a build's file name is taken by something else."""
    cwd = Path(os.path.realpath(os.getcwd()))
    if out.exists() and cwd.is_relative_to(out):
        raise OSError(errno.EBUSY, "the output folder holds the current folder; builds replace the whole "
                                   "output folder, so give another --out", str(out))
    if not out.is_dir():
        if out.exists() or out.is_symlink():
            raise OSError(errno.ENOTDIR, "not a folder", str(out))
        return
    for entry in os.scandir(out):
        if _BUILD_NAMES.fullmatch(entry.name) and not entry.name.startswith("."):
            is_dir = entry.is_dir(follow_symlinks=False)
            if (entry.name == "views") != is_dir or entry.is_symlink():
                what = "a folder" if is_dir else "a link" if entry.is_symlink() else "a file"
                raise OSError(errno.EEXIST, f"{entry.name} is {what} no build wrote; move it away",
                              str(out / entry.name))


def _swap_in(new: Path, out: Path, warnings: Optional[list[str]]) -> None:
    """Put the folder ``new`` in the place of ``out`` at once, then move over what ``out`` held that
    builds do not write, then remove the previous output."""
    if not os.path.lexists(out):
        os.rename(new, out)
        return
    if exchange(new, out):
        old = new  # that path now holds the previous output
    else:  # no atomic exchange here: two renames, undone if the second fails
        old = new.with_name(new.name.replace(".staging-", ".old-", 1))
        os.rename(out, old)
        try:
            os.rename(new, out)
        except OSError:
            os.rename(old, out)
            raise
    _retire(old, out, warnings)


def _carry_over(old: Path, out: Path) -> None:
    """Move what the folder ``old`` holds that no build writes (the cache, other files) into ``out``."""
    listed = _manifest_names(old)
    for entry in os.scandir(old):
        if _BUILD_NAMES.fullmatch(entry.name) or entry.name in listed:
            continue
        if not os.path.lexists(out / entry.name):
            os.rename(entry.path, out / entry.name)


def _manifest_names(folder: Path) -> set[str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return {name.split("/", 1)[0] for name in data.get("written", [])}
    except (OSError, ValueError, AttributeError, TypeError):
        return set()


def _retire(old: Path, out: Path, warnings: Optional[list[str]]) -> None:
    """Carry over what is not a build's from a previous output folder, then remove it. Anything that
    fails here is a warning (the new output is complete in place); the next build tries again."""
    try:
        _carry_over(old, out)
    except OSError as exc:
        if warnings is not None:
            warnings.append(f"{printable(old)}: the previous output folder is kept, a file in it could not be "
                            f"moved into {printable(out)} ({exc.strerror or exc}); the next build tries again")
        return
    problems: list[str] = []
    shutil.rmtree(old, onerror=lambda func, path, info: problems.append(f"{printable(path)}: {info[1]}"))
    if problems and warnings is not None:
        warnings.append(f"{printable(old)}: the previous output could not all be removed ({problems[0]}); "
                        "the next build tries again")


def sweep_leftovers(out: Path, warnings: Optional[list[str]] = None) -> list[Path]:
    """Remove the staging and previous-output folders that builds into ``out`` killed midway left beside
    it (``.NAME.staging-PID-…``, ``.NAME.old-PID-…`` of processes no longer running), after moving
    back anything in them that a build does not write. Returns the folders swept."""
    from kg.fsutil import _alive

    swept = []
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return swept
    for entry in entries:
        m = _LEFTOVER.fullmatch(entry.name)
        if not m or m.group("name") != out.name or not entry.is_dir(follow_symlinks=False):
            continue
        pid = int(m.group("pid"))
        if pid == os.getpid() or _alive(pid):
            continue
        if out.is_dir():
            _retire(Path(entry.path), out, warnings)
        else:
            shutil.rmtree(entry.path, ignore_errors=True)
        swept.append(Path(entry.path))
    return swept


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
    from kg.registry import EXPORTERS
    from kg.store import build_store

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
    files = collect_inputs(paths, exclude=[out_dir], failures=result.failures, warnings=result.warnings)
    if strict and result.failures:
        raise BuildError(str(result.failures[0]))
    missing = list(result.failures)
    store = open_cache(cache, out_dir)
    own = executor is None
    if own:
        executor = make_executor(max(1, min(workers or default_workers(), len(files))), dask)
    mapped: list = []  # each report's mapping to RDF, made beside its extraction (the graph stage's first step)
    try:
        result.reports, result.failures = extract_all(files, strict=strict, progress=progress,
                                                      config=config or ReadConfig(), executor=executor, cache=store,
                                                      mapped=mapped)
        result.failures = missing + result.failures
    except ExecutorError as exc:
        raise BuildError(str(exc)) from None
    finally:
        if own:
            executor.close()
    if store is not None:
        result.cache = store.stats()
    result.timings["extract"] = time.perf_counter() - started
    for head in _heads(result.reports):
        result.warnings += head.warnings
    if result.reports:
        mark = time.perf_counter()
        graph = None
        if not any(isinstance(done, Failure) for done in mapped):
            try:
                graph = paused(build_store, result.reports, mapped=mapped)  # empties mapped
            except Exception:  # a report whose facts cannot be mapped must not cost the others theirs
                pass
        if graph is None:
            graph, result.reports = _graph_of_good_reports(build_store, result.reports, result.failures, mapped)
            if strict:
                raise BuildError(str(result.failures[-1])) from None
        result.timings["graph"] = time.perf_counter() - mark
    if result.reports:
        mark = time.perf_counter()
        try:
            result.outputs = paused(write_outputs, graph, result.reports, Path(out_dir), formats=formats,
                                         views=views, warnings=result.warnings, failures=result.failures,
                                         notes=result.notes)
        except OSError as exc:  # staged beside it and swapped in at once: the previous output is as it was
            raise BuildError(f"cannot write to {printable(out_dir)}: {printable(exc.strerror or exc)} "
                             f"({printable(getattr(exc, 'filename', None) or out_dir)}); the previous output is "
                             "unchanged") from None
        result.timings["write"] = time.perf_counter() - mark
        result.triples = len(graph)
        result.classes = graph.classes
    result.seconds = time.perf_counter() - started
    return result
