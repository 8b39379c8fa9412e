"""`kg push` and `kg query --endpoint` against a real Oxigraph server (`oxigraph serve`, a temporary store)."""

from __future__ import annotations

import base64
import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from sparql_helpers import canonical

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
SEEDS = ROOT / "seeds"
KG = Path(sys.executable).parent / "kg"
GRAPH_PREFIX = "https://w3id.org/gwr/id/graph/"

pytestmark = pytest.mark.slow


def _oxigraph_binary() -> str:
    found = Path(sys.executable).parent / "oxigraph"
    if found.exists():
        return str(found)
    which = shutil.which("oxigraph")
    if not which:
        pytest.skip("the `oxigraph` server is not installed (pip install oxigraph)")
    return which


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """`oxigraph serve` on 127.0.0.1 with a free port and a store in a temporary folder."""

    def __init__(self, location: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = location.parent / f"{location.name}.log"
        self.process = subprocess.Popen(
            [_oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=self.log.open("wb"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"oxigraph did not start: {self.log.read_text(errors='replace')[-500:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "store")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def dataset(seed_build, tmp_path_factory):
    """The seeds' TriG dataset, written from the session's seed build."""
    from kg.build import write_outputs
    from kg.rdf import build_graph

    out = tmp_path_factory.mktemp("dataset")
    write_outputs(build_graph(seed_build.reports), seed_build.reports, out, formats=["trig"], views=False)
    return out / "graph.trig"


@pytest.fixture(scope="module")
def pushed(server, dataset, seed_build):
    """The seeds pushed once with the CLI; the store's per-graph contents right after."""
    from kg.cli import main

    assert main(["push", str(dataset), "--endpoint", server.url, "--store", "oxigraph"]) == 0
    return _graph_contents(server)


def _select(server, sparql: str):
    from kg.push import remote_select

    return remote_select(sparql, server.url, store="oxigraph", union=False)[1]


def _graph_contents(server) -> dict:
    """graph IRI → rdflib graph, read back with GSP GET (N-Triples)."""
    from rdflib import Graph

    out = {}
    for (iri,) in _select(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
        url = f"{server.url}/store?" + urllib.parse.urlencode({"graph": iri})
        request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
        with urllib.request.urlopen(request, timeout=30) as response:
            out[iri] = Graph().parse(data=response.read().decode("utf-8"), format="nt")
    return out


def _count(server) -> int:
    return int(_select(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0][0])


def _rows(result):
    return sorted((tuple(canonical(v) for v in row) for row in result.rows),
                  key=lambda row: [(v is not None, v or "") for v in row])


def test_push_puts_one_graph_per_report_and_the_ontology(pushed, seed_build):
    from rdflib.namespace import DCTERMS

    from kg.iri import mint

    expected = {mint("graph", ex.document.name) for ex in seed_build.reports} | {"https://w3id.org/gwr/ontology"}
    assert set(pushed) == expected
    for ex in seed_build.reports:
        graph = pushed[mint("graph", ex.document.name)]
        assert (None, None, None) in graph and len(graph) > 100
        sources = {str(o) for o in graph.objects(None, DCTERMS.source)}
        assert Path(ex.document.path).name in sources, "the graph's description travels with it"


@pytest.mark.parametrize("query", sorted(p.stem for p in QUERIES.glob("*.rq")))
def test_every_saved_query_answers_the_same_over_http_as_locally(query, pushed, server, seed_build):
    from kg.query import resolve_query, run_query

    sparql = resolve_query(query)
    local = run_query(sparql, seed_build.out / "graph.ttl")
    remote = run_query(sparql, endpoint=server.url, store="oxigraph")
    assert remote.variables == local.variables
    assert _rows(remote) == _rows(local)
    if query in ("undertakes", "invests", "awards", "indicators", "reports", "provenance"):
        assert local.rows, f"contract query {query} has no rows on the seeds"


def test_kg_query_endpoint_cli_prints_the_rows(pushed, server, capsys):
    from kg.cli import main

    assert main(["query", "reports", "--endpoint", server.url, "--store", "oxigraph", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("district,")
    assert len(lines) == 1 + 5  # one row per seed report
    # --store gsp (the default) sends the query to the URL as given, with no union parameter: Oxigraph's
    # own default graph is empty, the graphs are named
    assert main(["query", "reports", "--endpoint", f"{server.url}/query", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [lines[0]]


def test_pushing_again_changes_nothing(pushed, server, dataset):
    from rdflib.compare import isomorphic

    from kg.push import push

    before = _count(server)
    result = push(dataset, server.url, store="oxigraph")
    assert all(u.status in (200, 201, 204) for u in result.uploads)
    assert _count(server) == before == sum(len(g) for g in pushed.values())
    after = _graph_contents(server)
    assert set(after) == set(pushed)
    assert all(isomorphic(after[iri], pushed[iri]) for iri in pushed)


def test_pushing_a_changed_report_replaces_only_its_graph(pushed, server, tmp_path):
    from rdflib.compare import isomorphic

    from kg.build import build
    from kg.iri import mint
    from kg.push import push

    reports = tmp_path / "reports"
    shutil.copytree(SEEDS, reports)
    changed = sorted(reports.glob("*.txt"))[-1]  # last by name: it owns no triple another report shares
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n附：本报告另附说明一份。\n", encoding="utf-8")
    result = build([reports], tmp_path / "out", formats=["trig"], views=False, progress=False, cache=False)
    assert result.ok, result.summary()
    push(tmp_path / "out" / "graph.trig", server.url, store="oxigraph")

    after = _graph_contents(server)
    changed_iri = mint("graph", changed.stem)
    assert set(after) == set(pushed)
    assert not isomorphic(after[changed_iri], pushed[changed_iri])
    for iri in pushed:
        if iri != changed_iri:
            assert isomorphic(after[iri], pushed[iri]), f"{iri} changed although its report did not"


def test_dry_run_sends_nothing_and_says_what_it_would_send(dataset, tmp_path):
    port = _free_port()  # nothing listens there
    proc = subprocess.run([str(KG), "push", str(dataset), "--endpoint", f"http://127.0.0.1:{port}",
                           "--store", "oxigraph", "--dry-run"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    puts = [line for line in lines if line.startswith("would PUT ")]
    assert len(puts) == 6  # five reports and the ontology
    assert all(f"http://127.0.0.1:{port}/store?graph=" in line and " triples" in line for line in puts)
    assert any(GRAPH_PREFIX in line for line in puts)
    assert "dry run: nothing sent" in lines[-1]


def test_a_stopped_server_gives_a_clear_error_and_exit_code(dataset, tmp_path):
    srv = OxigraphServer(tmp_path / "store")
    url = srv.url
    srv.stop()
    for args in (["push", str(dataset), "--endpoint", url, "--store", "oxigraph", "--retries", "1"],
                 ["query", "awards", "--endpoint", url, "--store", "oxigraph"]):
        started = time.monotonic()
        proc = subprocess.run([str(KG), *args], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 1
        assert "Traceback" not in proc.stderr
        err = proc.stderr.strip().splitlines()
        assert len(err) == 1 and f"kg {args[0]}: error:" in err[0] and "connection refused" in err[0], proc.stderr
        assert "attempt" in err[0]
        assert time.monotonic() - started < 60


def test_a_store_that_refuses_fails_at_once_with_the_status(server, dataset):
    proc = subprocess.run([str(KG), "push", str(dataset), "--endpoint", f"{server.url}/no-such-service",
                           "--retries", "3"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "the store refused: HTTP 404" in proc.stderr and "attempt" not in proc.stderr


class _AuthHandler(http.server.BaseHTTPRequestHandler):
    """A minimal Graph Store that accepts PUT only with the expected Authorization header."""

    expected = ""
    seen: list = []

    def do_PUT(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).seen.append((self.path, self.headers.get("Authorization"), self.headers.get("Content-Type")))
        self.send_response(204 if self.headers.get("Authorization") == self.expected else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("kind", ["basic", "bearer", "none"])
def test_credentials_come_from_the_environment(kind, dataset, monkeypatch):
    from kg.push import PushError, push

    for name in ("GWR_KG_USER", "GWR_KG_PASSWORD", "GWR_KG_TOKEN", "GWR_KG_AUTH"):
        monkeypatch.delenv(name, raising=False)
    if kind == "basic":
        monkeypatch.setenv("GWR_KG_USER", "admin")
        monkeypatch.setenv("GWR_KG_PASSWORD", "s3cret")
        expected = "Basic " + base64.b64encode(b"admin:s3cret").decode()
    elif kind == "bearer":
        monkeypatch.setenv("GWR_KG_TOKEN", "tok-123")
        expected = "Bearer tok-123"
    else:
        expected = "Basic " + base64.b64encode(b"admin:s3cret").decode()
    handler = type("Handler", (_AuthHandler,), {"expected": expected, "seen": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/gsp"
        if kind == "none":
            with pytest.raises(PushError, match="HTTP 401.*GWR_KG_USER"):
                push(dataset, url, retries=0)
            assert len(handler.seen) == 1, "a refusal is not retried"
        else:
            result = push(dataset, url)
            assert [u.status for u in result.uploads] == [204] * 6
            assert all(auth == expected and ctype.startswith("text/turtle") and path.startswith("/gsp?graph=")
                       for path, auth, ctype in handler.seen)
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_push_refuses_a_triple_file_with_a_hint(seed_build):
    from kg.push import PushError, push

    with pytest.raises(PushError, match=r"needs a dataset with named graphs .*--format ttl,trig"):
        push(seed_build.out / "graph.ttl", "http://127.0.0.1:9", dry_run=True)
