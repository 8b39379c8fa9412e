"""How extraction runs: one interface, three engines, passed in (not hard-wired) to :func:`kg.build.build`.

An executor maps a top-level (picklable) function over items and yields the results **in input
order**, whatever order the work finishes in, so a parallel build writes the same bytes as a serial one.

- :class:`SerialExecutor` — in this process, one item after the other (``--workers 1``);
- :class:`ProcessExecutor` — a local pool of N worker processes (``--workers N``); the pipeline is
  built once, in the forkserver that forks them (:mod:`kg._prewarm`), and each keeps it;
- :class:`DaskExecutor` — a Dask distributed cluster (``--dask tcp://host:8786``); the client sends the
  work and gathers the results; the graph is assembled and written on the client.

Functions given to a parallel executor should catch their own errors and return them as values (as
:func:`kg.build.extract_one` does): an exception that escapes is re-raised by the executor when its
result is reached, and stops the build.

Nothing heavy is imported here: ``concurrent.futures`` and ``dask.distributed`` load on first use.
"""

from __future__ import annotations

import os
from collections import deque
from typing import Any, Callable, Iterable, Iterator, Optional, Protocol, Sequence


class ExecutorError(Exception):
    """The engine itself failed (a worker died, the scheduler is unreachable)."""


class Executor(Protocol):
    """What :func:`kg.build.extract_all` needs from an engine."""

    name: str
    #: True when workers may run on other machines and cannot read the client's files.
    remote: bool

    def map(self, func: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """``func(item)`` for each item, yielded in input order."""
        ...

    def close(self) -> None:
        ...


class _Base:
    name = "base"
    remote = False
    workers = 1
    #: items handed to ``func`` so far (how many reports this engine extracted; see kg.cache)
    tasks = 0

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(workers={self.workers})"


class SerialExecutor(_Base):
    """Runs every item in this process, in order."""

    name = "serial"

    def map(self, func: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            self.tasks += 1
            yield func(item)


#: A made-up report that :func:`_warm_up` extracts and maps: it names a district, has a review and a
#: plan part, and gives each built-in relation a fact (tests/test_executor.py checks that it does).
WARM_UP_REPORT = ("kg.models", "warmup.txt")
#: The process that ran :func:`_warm_up` (this one, or the forkserver this one was forked from).
warmed_in: Optional[int] = None


def _warm_up() -> None:
    """Worker initializer: everything extraction loads on first use loaded before the first task, by
    extracting and mapping :data:`WARM_UP_REPORT`: the spaCy pipeline, the segmenters' dictionaries,
    each relation's compiled lexicon, cn2an's patterns, the modules of the mapping to RDF (about 0.6 s
    of a worker's first report). Once per process: under forkserver, once in the server, and the
    workers forked from it find it done and share its memory."""
    global warmed_in
    if warmed_in is not None:
        return
    from importlib.resources import as_file, files

    from kg.build import extract_and_map

    package, name = WARM_UP_REPORT
    with as_file(files(package) / name) as path:
        extract_and_map(path)
    warmed_in = os.getpid()


#: The first-generation garbage-collection threshold (allocations less deallocations) of the workers
#: forked from the forkserver (:mod:`kg._prewarm` sets it there; Python's default is 700).
YOUNG_THRESHOLD = 10_000


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


#: Below this many items a :class:`ProcessExecutor` runs them in this process: starting workers costs
#: each of them spaCy's import and the pipeline's set-up (about 1.5 s on the development machine), more
#: than a few reports take to extract (about 0.1 s each).
SERIAL_BELOW = 16


class ProcessExecutor(_Base):
    """A pool of ``workers`` local processes; items are sent in chunks, results come back in order.

    At most ``window`` chunks are in flight, so a corpus of any size is never queued (or its results
    held) all at once. Workers start lazily: only when ``map`` meets at least ``serial_below`` items
    (default :data:`SERIAL_BELOW`); fewer run in this process. :meth:`close` stops the workers and the
    helper processes multiprocessing started for them (forkserver, resource tracker), so no process
    outlives the build.
    """

    name = "processes"

    def __init__(self, workers: Optional[int] = None, *, chunksize: int = 1, window: Optional[int] = None,
                 start_method: Optional[str] = None, serial_below: Optional[int] = None):
        self.workers = workers or default_workers()
        self.chunksize = max(1, chunksize)
        self.window = window or 4 * self.workers
        self.start_method = start_method
        self.serial_below = serial_below
        self._pool = None
        self._method = None
        self._starter = None  # the thread of start()

    def start(self, count: int) -> bool:
        """Start the workers in the background when ``count`` items will come (as many as
        :meth:`map` starts them for), so that this process can do other work while they start (it
        takes seconds: the forkserver imports spaCy and builds the pipeline); :meth:`starting` says
        when they are up. Gives whether they are starting."""
        if count < self._fewest() or self._pool is not None:
            return False
        import threading

        pool = self._get_pool()

        def spawn() -> None:  # a task for each worker makes the pool start them all
            try:
                for future in [pool.submit(_ready) for _ in range(self.workers)]:
                    future.result()
            except Exception:  # a pool that cannot start fails map the same way: said there
                pass

        self._starter = threading.Thread(target=spawn, name="kg-workers-start", daemon=True)
        self._starter.start()
        return True

    def _fewest(self) -> int:
        """The fewest items for which workers are started (fewer run in this process)."""
        return SERIAL_BELOW if self.serial_below is None else self.serial_below

    def starting(self) -> bool:
        """True while the workers :meth:`start` started are not all up yet."""
        return self._starter is not None and self._starter.is_alive()

    def _get_pool(self):
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # "forkserver" gives clean workers even when the client has threads (progress bars,
            # Dask clients); the server builds the pipeline once (kg._prewarm) and the workers forked
            # from it share its memory (see _warm_up for other start methods). As with any
            # multiprocessing start method but fork, a script that calls build(workers=N) needs the
            # ``if __name__ == "__main__":`` guard.
            method = self.start_method or ("forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
                                           else "spawn")
            self._method = method
            context = multiprocessing.get_context(method)
            if method == "forkserver":
                context.set_forkserver_preload(["kg.build", "kg._prewarm"])
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_warm_up)
        return self._pool

    def map(self, func: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        from concurrent.futures.process import BrokenProcessPool

        items = iter(items)
        limit = self._fewest()
        head = [item for _, item in zip(range(limit), items)]
        if len(head) < limit:  # a small job: workers would cost more than they save
            for item in head:
                self.tasks += 1
                yield func(item)
            return
        pool = self._get_pool()
        pending: deque = deque()
        chunks = _chunks(_chain(head, items), self.chunksize)
        try:
            for chunk in chunks:
                self.tasks += len(chunk)
                pending.append(pool.submit(_run_chunk, func, chunk))
                if len(pending) >= self.window:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BrokenProcessPool as exc:
            raise ExecutorError(f"a worker process died ({exc}); try fewer --workers or --workers 1") from None
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        if self._starter is not None:
            self._starter.join()
            self._starter = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            _stop_helpers(self._method)


def _stop_helpers(method: Optional[str]) -> None:
    """Stop the forkserver and the resource tracker that multiprocessing started for a pool; they
    otherwise live as long as this process (a ``kg build`` called from a long-running program, a test
    session). The next pool starts them again. Private multiprocessing API, hence the guards."""
    if method == "forkserver":
        from multiprocessing import forkserver

        server = getattr(forkserver, "_forkserver", None)
        if server is not None and hasattr(server, "_stop"):
            try:
                server._stop()
            except Exception:  # pragma: no cover - best effort
                pass
    if method in ("forkserver", "spawn"):
        from multiprocessing import resource_tracker

        tracker = getattr(resource_tracker, "_resource_tracker", None)
        if tracker is not None and hasattr(tracker, "_stop"):
            try:
                tracker._stop()
            except Exception:  # pragma: no cover
                pass


def _chain(head: list, rest: Iterator[Any]) -> Iterator[Any]:
    yield from head
    yield from rest


class DaskExecutor(_Base):
    """Runs items on a Dask distributed cluster; ``address`` is its scheduler (``tcp://host:8786``).

    A ``dask.distributed.Client`` may be given instead of an address (it is then not closed here).
    Workers must have gwr-kg installed; they do not need the client's files (see ``remote``).
    """

    name = "dask"
    remote = True

    def __init__(self, address: Any, *, window: Optional[int] = None, timeout: float = 10.0):
        self.address = address
        self._client = None
        self._own_client = False
        self._window = window
        self.timeout = timeout

    @property
    def client(self):
        if self._client is None:
            try:
                from dask.distributed import Client
            except ImportError:
                raise ExecutorError("--dask needs dask.distributed: pip install 'gwr-kg[dask]'") from None
            if isinstance(self.address, str):
                try:
                    self._client = Client(self.address, timeout=self.timeout)
                except (OSError, TimeoutError) as exc:
                    raise ExecutorError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
                self._own_client = True
            else:
                self._client = self.address
        return self._client

    @property
    def workers(self) -> int:  # type: ignore[override]
        if self._client is None:
            return 0
        return sum(w.get("nthreads", 1) for w in self._client.scheduler_info().get("workers", {}).values())

    def map(self, func: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        client = self.client
        window = self._window or max(8, 4 * self.workers)
        pending: deque = deque()
        try:
            for item in items:
                self.tasks += 1
                pending.append(client.submit(func, item, pure=False))
                if len(pending) >= window:
                    yield _dask_result(pending.popleft())
            while pending:
                yield _dask_result(pending.popleft())
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        if self._client is not None and self._own_client:
            self._client.close()
        self._client = None


def _dask_result(future) -> Any:
    try:
        return future.result()
    except Exception as exc:
        if type(exc).__module__.startswith("distributed"):
            raise ExecutorError(f"the Dask cluster failed: {type(exc).__name__}: {exc}") from None
        raise
    finally:
        future.release()


def _chunks(items: Iterable[Any], size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _run_chunk(func: Callable[[Any], Any], chunk: Sequence[Any]) -> list:
    return [func(item) for item in chunk]


def _ready() -> bool:
    """The task :meth:`ProcessExecutor.start` sends each worker: it only has to arrive."""
    return True


def make_executor(workers: Optional[int] = 1, dask: Any = None) -> "Executor":
    """The executor for ``kg build`` options: ``dask`` (an address or a Client) wins over ``workers``;
    ``workers`` None or 0 means all cores; 1 means serial, in this process."""
    if dask is not None:
        return DaskExecutor(dask)
    if workers is not None and workers < 0:
        raise ValueError(f"--workers must be 1 or more, got {workers}")
    workers = workers or default_workers()
    return SerialExecutor() if workers == 1 else ProcessExecutor(workers)
