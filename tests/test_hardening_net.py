"""Issue 15, queries, pushes and pages: nothing leaves the machine that the user did not ask for, nothing
hangs, errors are one line. Real servers on 127.0.0.1 (http.server in a thread, recording what they
receive), real files, the real ``kg`` command; every wait is bounded.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SECRET = "s3cr3t-token-4711"


class Server:
    """A loopback HTTP server whose answers come from ``handler(request_handler)``; it records each
    request as (method, path, headers)."""

    def __init__(self, handler):
        self.requests: list[tuple[str, str, dict]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.body = self.rfile.read(length) if length else b""
                outer.requests.append((self.command, self.path, dict(self.headers)))
                try:
                    handler(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PUT = _any

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve():
    servers = []

    def start(handler):
        servers.append(Server(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _reply(h, status=200, body=b"", ctype="application/sparql-results+json", reason=None):
    h.send_response(status, reason)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


EMPTY_RESULTS = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": []}}).encode()


@pytest.fixture(scope="module")
def graph_files(tmp_path_factory):
    """A small graph shaped like a built one (a district undertaking projects), as Turtle and as a TriG
    dataset with one named graph: written here, so no extraction runs."""
    folder = tmp_path_factory.mktemp("graph")
    triples = ['<https://w3id.org/gwr/id/district/410404> a gwr:District ; rdfs:label "石龙区" .']
    for i in range(100):
        triples.append(f'<https://w3id.org/gwr/id/district/410404> gwr:undertakes <https://w3id.org/gwr/id/project/p{i}> .')
        triples.append(f'<https://w3id.org/gwr/id/project/p{i}> a gwr:Project ; rdfs:label "项目{i}" .')
    prefixes = ("@prefix gwr: <https://w3id.org/gwr/ontology#> .\n"
                "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")
    (folder / "graph.ttl").write_text(prefixes + "\n".join(triples) + "\n", encoding="utf-8")
    (folder / "graph.trig").write_text(prefixes + "<https://w3id.org/gwr/id/graph/x> {\n" + "\n".join(triples)
                                       + "\n}\n", encoding="utf-8")
    return folder


def _run(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# SERVICE ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["oxigraph", "rdflib", "endpoint", "view"])
def test_service_is_refused_unless_allowed(where, graph_files, serve, capsys, tmp_path):
    server = serve(lambda h: _reply(h, body=EMPTY_RESULTS))
    query = f"SELECT * WHERE {{ SERVICE <{server.url}/sparql> {{ ?s ?p ?o }} }}"
    if where == "view":
        args = ["view", query, "--graph", graph_files / "graph.ttl", "--out", tmp_path / "q.html"]
    elif where == "endpoint":
        args = ["query", query, "--endpoint", server.url]
    else:
        args = ["query", query, "--graph", graph_files / "graph.ttl", "--engine", where]
    code, text = _run(capsys, *args)
    assert code == 1 and "Traceback" not in text
    assert "uses SERVICE" in text and "--allow-service" in text and len(text.strip().splitlines()) == 1
    assert server.requests == []


def test_service_in_a_string_or_iri_is_no_service(graph_files, capsys):
    code, text = _run(capsys, "query", 'SELECT ?s WHERE { ?s ?p "SERVICE <x>" } # SERVICE', "--graph",
                      graph_files / "graph.ttl")
    assert code == 0, text


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_an_unbound_service_gives_one_line_not_a_traceback(engine, graph_files, capsys):
    code, text = _run(capsys, "query", "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }", "--graph",
                      graph_files / "graph.ttl", "--engine", engine, "--allow-service")
    assert "Traceback" not in text, text
    if engine == "oxigraph":  # rdflib answers no rows; pyoxigraph fails, which must be one line
        assert code == 1 and text.startswith("kg query: error: ") and len(text.strip().splitlines()) == 1, text


def test_allowed_service_reaches_the_server(graph_files, serve, capsys):
    server = serve(lambda h: _reply(h, body=EMPTY_RESULTS))
    code, text = _run(capsys, "query", f"SELECT * WHERE {{ SERVICE <{server.url}/sparql> {{ ?s ?p ?o }} }}",
                      "--graph", graph_files / "graph.ttl", "--allow-service")
    assert code == 0, text
    assert len(server.requests) >= 1


# JSON-LD contexts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "eval", "query-rdflib", "query-oxigraph"])
def test_a_remote_jsonld_context_is_never_fetched(command, serve, capsys, tmp_path):
    server = serve(lambda h: _reply(h, body=b'{"@context": {"label": "http://www.w3.org/2000/01/rdf-schema#label"}}',
                                    ctype="application/ld+json"))
    graph = tmp_path / "graph.jsonld"
    graph.write_text(json.dumps({"@context": f"{server.url}/context.jsonld", "@id": "https://w3id.org/gwr/id/x",
                                 "label": "x"}), encoding="utf-8")
    args = {"validate": ["validate", graph],
            "eval": ["eval", "--graph", graph, "--gold", ROOT / "tests" / "gold"],
            "query-rdflib": ["query", "SELECT * WHERE { ?s ?p ?o }", "--graph", graph, "--engine", "rdflib"],
            "query-oxigraph": ["query", "SELECT * WHERE { ?s ?p ?o }", "--graph", graph]}[command]
    code = main([str(a) for a in args])
    text = capsys.readouterr()
    assert server.requests == []
    assert "Traceback" not in text.out + text.err


# redirects and echoed headers -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["query", "push"])
def test_credentials_do_not_follow_a_redirect_to_another_origin(command, serve, capsys, monkeypatch, graph_files):
    monkeypatch.setenv("GWR_KG_TOKEN", SECRET)
    other = serve(lambda h: _reply(h, body=EMPTY_RESULTS))

    def redirect(h):  # 303 (see other): urllib follows it for a POST; a PUT is not redirected at all
        h.send_response(303 if h.command == "POST" else 307)
        h.send_header("Location", other.url + h.path)
        h.send_header("Content-Length", "0")
        h.end_headers()

    first = serve(redirect)
    if command == "query":
        code, text = _run(capsys, "query", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint", first.url, "--timeout", 5)
    else:
        code, text = _run(capsys, "push", graph_files / "graph.trig", "--endpoint", first.url, "--retries", 0,
                          "--timeout", 5)
    assert first.requests and first.requests[0][2].get("Authorization") == f"Bearer {SECRET}"
    assert len(other.requests) == (1 if command == "query" else 0)  # the query followed the redirect
    assert all("Authorization" not in headers for _, _, headers in other.requests)
    assert SECRET not in text and "Traceback" not in text


def test_credentials_stay_on_a_redirect_within_the_origin(serve, capsys, monkeypatch):
    monkeypatch.setenv("GWR_KG_TOKEN", SECRET)

    def handler(h):
        if h.path.startswith("/old"):
            h.send_response(303)
            h.send_header("Location", "/new")
            h.send_header("Content-Length", "0")
            h.end_headers()
        else:
            _reply(h, body=EMPTY_RESULTS)

    server = serve(handler)
    code, text = _run(capsys, "query", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint", server.url + "/old")
    assert code == 0, text
    assert [r[2].get("Authorization") for r in server.requests] == [f"Bearer {SECRET}"] * 2


@pytest.mark.parametrize("env", [{"GWR_KG_TOKEN": SECRET}, {"GWR_KG_USER": "alice", "GWR_KG_PASSWORD": SECRET}])
def test_headers_the_server_echoes_are_never_printed(env, serve, capsys, monkeypatch, graph_files):
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def echo(h):
        text = "".join(f"{k}: {v}\n" for k, v in h.headers.items())
        _reply(h, 400, f"bad request; you sent {h.headers.get('Authorization')}\n{text}".encode(), "text/plain",
               reason=f"Bad {h.headers.get('Authorization')}")

    server = serve(echo)
    code, text = _run(capsys, "push", graph_files / "graph.trig", "--endpoint", server.url, "--retries", 0)
    assert code == 1 and "the store refused: HTTP 400" in text
    assert server.requests and SECRET not in text
    import base64

    assert base64.b64encode(f"alice:{SECRET}".encode()).decode() not in text


# deadlines -----------------------------------------------------------------------------------------------


def _trickle(h):
    """Answers one header line every 0.2 s, for ever (until the client goes away)."""
    h.wfile.write(b"HTTP/1.1 200 OK\r\n")
    h.wfile.flush()
    for i in range(600):
        time.sleep(0.2)
        h.wfile.write(f"X-Slow-{i}: a\r\n".encode())
        h.wfile.flush()


@pytest.mark.parametrize("command", ["push", "query"])
def test_a_trickling_server_hits_the_total_deadline(command, serve, capsys, graph_files):
    from kg.push import PushError, remote_select

    server = serve(_trickle)
    started = time.monotonic()
    if command == "push":
        code, text = _run(capsys, "push", graph_files / "graph.trig", "--endpoint", server.url, "--retries", 0,
                          "--timeout", 1)
    else:  # what `kg query --endpoint URL --timeout 1` runs, without its three retries
        with pytest.raises(PushError) as exc:
            remote_select("SELECT ?s WHERE { ?s ?p ?o }", server.url, timeout=1, retries=0)
        code, text = 1, str(exc.value)
    assert time.monotonic() - started < 5
    assert code == 1 and "timed out (no complete answer within 1 s)" in text and "Traceback" not in text, text


@pytest.mark.parametrize("command", ["push", "query"])
@pytest.mark.parametrize("value", ["0", "inf", "-1", "nan"])
def test_timeouts_that_are_no_deadline_are_refused(command, value, capsys, graph_files):
    args = (["push", graph_files / "graph.trig", "--endpoint", "http://127.0.0.1:9"] if command == "push"
            else ["query", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", "http://127.0.0.1:9"])
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args] + ["--timeout", value])
    assert exc.value.code == 2
    assert "expected a number of seconds above 0" in capsys.readouterr().err


# large answers ---------------------------------------------------------------------------------------------


def test_a_huge_answer_is_not_read_whole(serve):
    from kg.push import PushError, remote_select

    def huge(h):
        h.send_response(200)
        h.send_header("Content-Type", "application/sparql-results+json")
        h.send_header("Content-Length", str(500 << 20))
        h.end_headers()
        chunk = b" " * (1 << 20)
        for _ in range(500):
            h.wfile.write(chunk)

    server = serve(huge)
    started = time.monotonic()
    with pytest.raises(PushError, match="the answer is larger than 8 MB; stopped reading"):
        remote_select("SELECT * WHERE { ?s ?p ?o }", server.url, max_answer=8 << 20, retries=0)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_cross_product_stops_at_the_row_limit(engine, graph_files, capsys):
    started = time.monotonic()
    code, text = _run(capsys, "query", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "--graph", graph_files / "graph.ttl",
                      "--engine", engine, "--max-rows", 2000)
    assert code == 1 and "the answer has more than 2,000 rows; stopped" in text, text
    assert time.monotonic() - started < 10


# unreadable graph files and pages that cannot be written ----------------------------------------------------


@pytest.mark.parametrize("suffix", ["ttl", "trig"])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_truncated_graph_file_is_one_line(suffix, engine, graph_files, capsys, tmp_path):
    data = (graph_files / f"graph.{suffix}").read_bytes()
    cut = tmp_path / f"cut.{suffix}"
    cut.write_bytes(data[: data.index('"项目50"'.encode()) + 4])  # cut inside a literal, as a full disk does
    code, text = _run(capsys, "query", "SELECT * WHERE { ?s ?p ?o }", "--graph", cut, "--engine", engine)
    assert code == 1 and "Traceback" not in text
    assert text.startswith(f"kg query: error: {cut}: cannot read it as ") and len(text.strip().splitlines()) == 1


def _unprivileged() -> list[str]:
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv")
    return [shutil.which("setpriv"), "--bounding-set=-dac_override,-dac_read_search"]


@pytest.mark.parametrize("case", ["folder", "under-a-file"])
def test_kg_view_write_errors_are_one_line(case, graph_files, tmp_path, capsys):
    if case == "folder":
        out = tmp_path / "page.html"
        out.mkdir()
    else:
        (tmp_path / "file").write_text("x", encoding="utf-8")
        out = tmp_path / "file" / "page.html"
    code = main(["view", "undertakes", "--graph", str(graph_files / "graph.ttl"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err, err
    assert err.startswith(f"kg view: error: cannot write {out}: ") and len(err.strip().splitlines()) == 1


def test_kg_view_to_a_read_only_folder_is_one_line(graph_files, tmp_path):
    case = "read-only"
    prefix: list[str] = []
    if case == "folder":
        out = tmp_path / "page.html"
        out.mkdir()
    elif case == "under-a-file":
        (tmp_path / "file").write_text("x", encoding="utf-8")
        out = tmp_path / "file" / "page.html"
    else:
        (tmp_path / "ro").mkdir()
        os.chmod(tmp_path / "ro", 0o555)
        out = tmp_path / "ro" / "page.html"
        prefix = _unprivileged()
    proc = subprocess.run([*prefix, sys.executable, "-m", "kg", "view", "undertakes", "--graph",
                           str(graph_files / "graph.ttl"), "--out", str(out)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith(f"kg view: error: cannot write {out}: ")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_kg_view_on_a_full_disk_is_one_line(graph_files, tmp_path, capsys):
    """A 64 KB tmpfs is full long before the page (vis-network inlined) is written."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True,
                      timeout=30).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        out = disk / "page.html"
        code = main(["view", "undertakes", "--graph", str(graph_files / "graph.ttl"), "--out", str(out)])
        err = capsys.readouterr().err
        assert code == 1 and "Traceback" not in err, err
        assert err.startswith(f"kg view: error: cannot write {out}: No space left on device")
        assert not out.exists() and not list(disk.iterdir())  # no half page, no temporary file
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True, timeout=30)
