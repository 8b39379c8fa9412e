"""Scale contract (issue 14): the output does not depend on the number of workers, no worker process
outlives ``kg build``, and every format carries one lexical form per literal."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import SEEDS

FORMATS = ("ttl", "trig", "nt", "nq", "jsonld")


def _children() -> list[int]:
    """Live (not zombie) child processes of this test process, from /proc."""
    me = os.getpid()
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                stat = fh.read()
        except OSError:
            continue
        # pid (comm) state ppid …: comm may hold spaces, so split after its closing parenthesis
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == me and fields[0] != "Z":
            out.append(int(entry))
    return out


def _no_children(timeout: float = 5.0) -> list[int]:
    """Wait (bounded) for this process's children to be gone; returns those still alive."""
    deadline = time.monotonic() + timeout
    while True:
        left = _children()
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".kg-cache" not in p.parts}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """The seeds built with --workers 1 and with --workers 2 (a real pool), every format, views on."""
    from kg import executor
    from kg.build import build

    serial_out = tmp_path_factory.mktemp("workers-1")
    parallel_out = tmp_path_factory.mktemp("workers-2")
    before = set(_children())
    r1 = build([SEEDS], serial_out, formats=FORMATS, progress=False, workers=1, cache=None)
    old = executor.SERIAL_BELOW
    executor.SERIAL_BELOW = 0  # five seeds would run in this process otherwise
    try:
        r2 = build([SEEDS], parallel_out, formats=FORMATS, progress=False, workers=2, cache=None)
        left = [pid for pid in _no_children() if pid not in before]
    finally:
        executor.SERIAL_BELOW = old
    assert r1.ok and r2.ok, (r1.summary(), r2.summary())
    return serial_out, parallel_out, left


def test_workers_1_and_2_write_the_same_bytes_in_every_format(two_builds):
    serial_out, parallel_out, _ = two_builds
    a, b = _files(serial_out), _files(parallel_out)
    for fmt in FORMATS:
        assert f"graph.{fmt}" in a
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert not different, different


def test_no_child_process_remains_after_build(two_builds):
    *_, left = two_builds
    assert not left, f"processes left behind by kg build --workers 2: {left}"


def test_a_small_build_starts_no_worker(tmp_path):
    """Below SERIAL_BELOW reports a pool would cost more than it saves: the build runs in this process."""
    from kg.build import build
    from kg.executor import SERIAL_BELOW

    assert SERIAL_BELOW > 1
    one = sorted(SEEDS.glob("*.txt"))[:1]
    seen: list[int] = []
    import threading

    halt = threading.Event()

    def watch():
        while not halt.is_set():
            seen.extend(_children())
            halt.wait(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    before = set(_children())
    watcher.start()
    try:
        result = build(one, tmp_path / "out", views=False, progress=False, workers=2, cache=None)
    finally:
        halt.set()
        watcher.join()
    assert result.ok
    assert not set(seen) - before


def test_a_pooled_build_never_loads_spacy_in_the_client(tmp_path):
    """With workers, spaCy (about a second to import, tens of MB) is the workers' alone: the client
    reads, merges, writes and draws the views (which ask every relation for its styles) without it."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from pathlib import Path\n"
            "from kg import executor\n"
            "from kg.build import build\n"
            "executor.SERIAL_BELOW = 0\n"  # five seeds would run in this process otherwise
            f"result = build([Path({str(SEEDS)!r})], Path({str(tmp_path / 'out')!r}), progress=False,"
            " workers=2, cache=None)\n"
            "assert result.ok, result.summary()\n"
            "print(sorted(m for m in ('spacy', 'thinc', 'jieba') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "out" / "graph.html").is_file() and (tmp_path / "out" / "views").is_dir()
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _literal_forms(path: Path, fmt: str) -> set:
    from rdflib import Graph, Literal

    graph = Graph().parse(path, format=fmt)
    return {(str(s), str(p), str(o), str(o.datatype or ""), o.language or "")
            for s, p, o in graph if isinstance(o, Literal)}


def test_turtle_and_ntriples_parse_to_the_same_literal_forms(two_builds):
    serial_out, _, _ = two_builds
    ttl = _literal_forms(serial_out / "graph.ttl", "turtle")
    nt = _literal_forms(serial_out / "graph.nt", "nt")
    assert ttl == nt, sorted(ttl ^ nt)[:5]
    decimals = [o for _, _, o, dt, _ in ttl if dt.endswith("#decimal")]
    assert decimals, "the seeds have decimal literals"
    from kg.rdf import canonical_decimal

    assert all(canonical_decimal(d) == d for d in decimals)


def test_quads_and_jsonld_carry_the_canonical_decimal_form(two_builds):
    from rdflib import Dataset, Graph, Literal

    serial_out, _, _ = two_builds
    ttl = _literal_forms(serial_out / "graph.ttl", "turtle")
    decimals = {o for _, _, o, dt, _ in ttl if dt.endswith("#decimal")}
    for name, fmt in (("graph.trig", "trig"), ("graph.nq", "nquads")):
        ds = Dataset().parse(serial_out / name, format=fmt)
        found = {str(o) for _, _, o, _ in ds.quads() if isinstance(o, Literal) and str(o.datatype or "").endswith("#decimal")}
        assert found == decimals, (name, sorted(found ^ decimals)[:5])
    js = Graph().parse(serial_out / "graph.jsonld", format="json-ld")
    found = {str(o) for o in js.objects() if isinstance(o, Literal) and str(o.datatype or "").endswith("#decimal")}
    assert found == decimals, sorted(found ^ decimals)[:5]


@pytest.mark.parametrize("value, canonical", [
    ("6", "6.0"), ("6.50", "6.5"), ("3E+7", "30000000.0"), ("-0", "0.0"), ("0.10", "0.1"), ("-0.5", "-0.5"),
    ("007.0", "7.0"), ("1E-3", "0.001"), ("-12", "-12.0"),
])
def test_canonical_decimal(value, canonical):
    from decimal import Decimal

    from kg.rdf import canonical_decimal, decimal

    assert canonical_decimal(Decimal(value)) == canonical
    assert str(decimal(Decimal(value))) == canonical


def _synthetic(districts: int, per: int):
    """A networkx graph shaped like to_networkx's: districts, each with ``per`` projects, one shared city."""
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_node("city", cls="City", label="某市", districts=[], reports=set(), facts=[], evidence=[])
    for d in range(districts):
        iri = f"d{d:04d}"
        g.add_node(iri, cls="District", label=f"区{d}", districts=[iri], reports={f"r{d}"}, facts=[], evidence=[])
        g.add_edge(iri, "city", label="所属市")
        for p in range(per):
            node = f"{iri}/p{p}"
            g.add_node(node, cls="Project", label=f"项目{d}-{p}", districts=[iri], reports={f"r{d}"}, facts=[],
                       evidence=[])
            g.add_edge(iri, node, label="承建")
    return g


def test_skeleton_layout_places_every_node_once_deterministically_and_keeps_districts_apart():
    from kg.views.layout import home_district, skeleton_layout

    g = _synthetic(12, 40)
    labelled = {n: d["label"] for n, d in g.nodes(data=True) if d["cls"] == "District"}
    pos = skeleton_layout(g, labelled=labelled, fixed=frozenset(labelled))
    assert set(pos) == set(g.nodes()) and pos == skeleton_layout(g, labelled=labelled, fixed=frozenset(labelled))
    boxes = {}
    for node, (x, y) in pos.items():
        key = home_district(node, g.nodes[node])
        x0, y0, x1, y1 = boxes.get(key, (x, y, x, y))
        boxes[key] = (min(x0, x), min(y0, y), max(x1, x), max(y1, y))
    keys = sorted(boxes)
    for i, a in enumerate(keys):  # district blocks do not overlap
        for b in keys[i + 1:]:
            ax0, ay0, ax1, ay1 = boxes[a]
            bx0, by0, bx1, by1 = boxes[b]
            assert ax1 < bx0 or bx1 < ax0 or ay1 < by0 or by1 < ay0, (a, b)


def test_skeleton_layout_cost_grows_linearly():
    from kg.views.layout import skeleton_layout

    def seconds(n):
        g = _synthetic(n, 30)
        best = float("inf")
        for _ in range(3):  # best of three: the machine is shared
            started = time.perf_counter()
            skeleton_layout(g)
            best = min(best, time.perf_counter() - started)
        return best

    seconds(2)  # imports
    small, large = seconds(10), seconds(40)
    assert large < 4 * small * 2.5, (small, large)  # 4× the graph: well under the 16× of a quadratic layout


def test_a_graph_of_many_districts_gets_an_overview_page(tmp_path, monkeypatch):
    from kg.views import layout
    from kg.views.pyvis_view import write_overview

    assert not layout.wants_overview(5, 500)
    assert layout.wants_overview(layout.OVERVIEW_DISTRICTS + 1, 500)
    assert layout.wants_overview(5, layout.OVERVIEW_NODES + 1)
    rows = [(f"区{d}", f"views/d{d:04d}.html", 3, 2) for d in (4, 0, 2, 1, 3)]
    page = write_overview(tmp_path / "graph.html", rows, nodes=15, edges=10).read_text(encoding="utf-8")
    assert page.count('href="views/d') == 5 and "区4" in page
    assert page.index("区0") < page.index("区1") < page.index("区4")  # sorted by name


def _descendants(pid: int) -> set[int]:
    """Live descendants of ``pid``, from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(entry)] = int(fields[1])
    out, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in out:
                out.add(child)
                todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_kg_build_terminated_leaves_no_process(tmp_path):
    """SIGTERM during extraction with workers: `kg build` stops them and their helpers, exits 143."""
    import signal
    import subprocess
    import sys

    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(24):  # more than kg.executor.SERIAL_BELOW, so a pool starts
        for seed in sorted(SEEDS.glob("*.txt")):
            (corpus / f"{seed.stem}-{i:02d}.txt").write_bytes(seed.read_bytes())
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(corpus), "--out", str(tmp_path / "out"),
                             "--workers", "2", "--no-views", "--no-cache", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    try:
        while len(seen) < 3 and time.monotonic() < deadline and proc.poll() is None:  # server + 2 workers
            seen |= _descendants(proc.pid)
            time.sleep(0.05)
        assert len(seen) >= 3, "the pool did not start"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 143 and "terminated" in err
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in seen) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in seen if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left running after SIGTERM: {left}"
