"""Executors (kg/executor.py): results in input order, parallel builds byte-identical to serial ones,
failures isolated per report, and the `kg build --workers` option."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kg.build import Failure, build, extract_all
from kg.cli import main
from kg.executor import ProcessExecutor, SerialExecutor, default_workers, make_executor

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _slow_echo(item: int) -> int:
    """Early items take longest, so a pool finishes them last."""
    time.sleep(0.02 * (5 - item))
    return item * 10


def test_process_pool_yields_in_input_order_whatever_finishes_first():
    with ProcessExecutor(2) as pool:
        assert list(pool.map(_slow_echo, range(6))) == [0, 10, 20, 30, 40, 50]
        assert pool.tasks == 6
    assert list(SerialExecutor().map(_slow_echo, range(3))) == [0, 10, 20]


def _pipeline_was_built(_item: int) -> tuple[bool, bool, int]:
    """Whether this worker found the pipeline built (its build was asked for before), whether it was
    warmed up in another process (the forkserver it was forked from) rather than by itself, and its
    first-generation garbage-collection threshold."""
    import gc
    import os

    import kg.executor
    from kg.nlp import _build_nlp

    built_before = _build_nlp.cache_info().misses > 0
    return built_before, kg.executor.warmed_in not in (None, os.getpid()), gc.get_threshold()[0]


def test_forkserver_workers_start_with_the_pipeline_built():
    """Under forkserver, the server builds the pipeline and warms it up (kg._prewarm) and the workers
    forked from it share it: none builds its own, and each collects garbage less often than Python's
    default. A spawned worker builds its own."""
    import gc
    import multiprocessing

    from kg.executor import YOUNG_THRESHOLD

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no forkserver start method on this platform")
    assert YOUNG_THRESHOLD > gc.get_threshold()[0]  # this process keeps its own
    with ProcessExecutor(2, serial_below=0, start_method="forkserver") as pool:
        assert list(pool.map(_pipeline_was_built, range(4))) == [(True, True, YOUNG_THRESHOLD)] * 4
    with ProcessExecutor(1, serial_below=0, start_method="spawn") as pool:
        assert [found[:2] for found in pool.map(_pipeline_was_built, range(1))] == [(True, False)]


def test_the_warm_up_report_takes_every_path_of_extraction():
    """The made-up report the workers' server extracts before forking them names its district and its
    years and gives every built-in relation facts, so that each relation's rules are compiled there."""
    from importlib.resources import as_file, files

    from kg.build import extract_and_map
    from kg.executor import WARM_UP_REPORT
    from kg.relation import names

    package, name = WARM_UP_REPORT
    with as_file(files(package) / name) as path:
        packed, mapped = extract_and_map(path)
    ex = packed.unpack()
    assert ex.meta.district and ex.meta.review_year and ex.meta.plan_year
    assert all(ex.facts.get(relation) for relation in names()), {r: len(ex.facts.get(r, ())) for r in names()}
    assert mapped.count > 0


def test_make_executor_picks_the_engine():
    assert isinstance(make_executor(1), SerialExecutor)
    pool = make_executor(2)
    assert isinstance(pool, ProcessExecutor) and pool.workers == 2
    assert make_executor(None).workers == default_workers()  # None: all cores
    assert make_executor(1, dask="tcp://127.0.0.1:8786").name == "dask"  # not connected until used
    with pytest.raises(ValueError):
        make_executor(-1)


@pytest.mark.slow
def test_workers_2_writes_the_same_turtle_as_workers_1(seed_build, tmp_path):
    # seed_build (conftest) is the serial build of the seeds; the view does not touch graph.ttl. Five
    # reports would run in this process (kg.executor.SERIAL_BELOW): a real pool extracts and maps them.
    with ProcessExecutor(2, serial_below=0) as pool:
        parallel = build([SEEDS], tmp_path, views=False, progress=False, executor=pool)
        assert pool.tasks == 5
    assert parallel.ok
    assert (tmp_path / "graph.ttl").read_bytes() == (seed_build.out / "graph.ttl").read_bytes()
    # the workers pack each extraction (kg.model.PackedExtraction): every fact comes back
    assert list(parallel.reports) == list(seed_build.reports)


def _small_corpus(folder: Path) -> list[Path]:
    """Two short reports cut from seeds and one that cannot be read, sorted between them."""
    folder.mkdir()
    for seed in ("shilong-2024", "zhanhe-2024"):
        text = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
        (folder / f"{seed}.txt").write_text(text[:4000], encoding="utf-8")
    (folder / "broken-2024.txt").write_bytes(b"")  # empty: cannot be read
    return sorted(folder.glob("*.txt"))


def test_a_failing_report_becomes_a_failure_and_the_others_go_on_in_parallel(tmp_path):
    paths = _small_corpus(tmp_path / "in")
    serial = extract_all(paths, progress=False)
    with ProcessExecutor(2) as pool:
        parallel = extract_all(paths, progress=False, executor=pool)
    for extractions, failures in (serial, parallel):
        assert [e.document.name for e in extractions] == ["shilong-2024", "zhanhe-2024"]
        assert len(failures) == 1 and isinstance(failures[0], Failure)
        assert failures[0].path.endswith("broken-2024.txt")
    assert [str(f) for f in serial[1]] == [str(f) for f in parallel[1]]
    assert [e.counts() for e in serial[0]] == [e.counts() for e in parallel[0]]


class _Starting:
    """An engine whose workers are starting for the first ``calls`` questions."""

    def __init__(self, calls: int, start: bool = True):
        self.calls, self._start = calls, start

    def start(self, count: int) -> bool:
        return self._start

    def starting(self) -> bool:
        self.calls -= 1
        return self.calls >= 0


def test_the_reports_are_read_here_while_the_workers_start_in_order_failures_in_place(tmp_path):
    from kg.build import READ_AHEAD_MAX, _read_while_starting
    from kg.model import Document
    from kg.readers import ReadConfig

    paths = _small_corpus(tmp_path / "in")  # broken-2024 (empty), shilong-2024, zhanhe-2024
    items = list(_read_while_starting(_Starting(2), paths, ReadConfig()))
    assert isinstance(items[0], Failure) and items[0].path.endswith("broken-2024.txt")
    assert isinstance(items[1], Document) and items[1].name == "shilong-2024"
    assert items[2] == paths[2]  # the workers were up: this one they read
    assert list(_read_while_starting(_Starting(99), paths, ReadConfig()))[2].name == "zhanhe-2024"
    assert list(_read_while_starting(_Starting(99, start=False), paths, ReadConfig())) == paths
    assert list(_read_while_starting(SerialExecutor(), paths, ReadConfig())) == paths
    assert READ_AHEAD_MAX >= 100


def test_workers_started_in_the_background_take_the_work_of_map():
    with ProcessExecutor(2, serial_below=4) as pool:
        assert not pool.start(3) and not pool.starting()  # as few items as map runs here: no workers
        assert pool.start(4)
        assert list(pool.map(_slow_echo, range(4))) == [0, 10, 20, 30]
        assert not pool.starting() and not pool.start(4)  # up, and started once
    assert pool._starter is None and pool._pool is None


def test_cli_workers_option(tmp_path, capsys):
    paths = _small_corpus(tmp_path / "in")
    code = main(["build", str(paths[1]), str(paths[2]), "--out", str(tmp_path / "a"), "--no-views", "-q",
                 "--workers", "2", "--no-cache"])
    assert code == 0, capsys.readouterr()
    code = main(["build", str(paths[1]), str(paths[2]), "--out", str(tmp_path / "b"), "--no-views", "-q",
                 "--workers", "1", "--no-cache"])
    assert code == 0
    assert (tmp_path / "a" / "graph.ttl").read_bytes() == (tmp_path / "b" / "graph.ttl").read_bytes()
    with pytest.raises(SystemExit):
        main(["build", "--workers", "0"])
    assert "--workers" in capsys.readouterr().err


@pytest.mark.slow
def test_streaming_ntriples_writer_round_trips_and_is_deterministic(seed_graph, tmp_path):
    from rdflib import Dataset, Graph, URIRef
    from rdflib.compare import isomorphic

    from kg.exporters.stream import write_ntriples_stream, write_nquads_stream

    write_ntriples_stream(seed_graph, tmp_path / "a.nt")
    write_ntriples_stream(seed_graph, tmp_path / "b.nt")
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()
    back = Graph().parse(tmp_path / "a.nt", format="nt")
    assert len(back) == len(seed_graph) and isomorphic(back, seed_graph)
    write_ntriples_stream(seed_graph, tmp_path / "sorted.nt", sort=True)
    lines = (tmp_path / "sorted.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(seed_graph)

    name = URIRef("https://w3id.org/gwr/id/graph/seeds")
    write_nquads_stream([(name, seed_graph)], tmp_path / "g.nq")
    dataset = Dataset().parse(tmp_path / "g.nq", format="nquads")
    assert len(dataset.graph(name)) == len(seed_graph)
