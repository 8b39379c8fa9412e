"""``kg push``: load a built dataset into a triple store through the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph of the dataset (``kg build --format trig`` or ``nq``: one graph per report, one for the
ontology) is sent with HTTP ``PUT``, which replaces the graph in the store: pushing again is idempotent,
and pushing after one report changed replaces only that report's graph. The dataset's default graph
describes the named graphs; each graph's description travels inside that graph (so it is replaced with
it and the store's own default graph is never touched).

Stores differ only in URL forms (:data:`STORES`); ``--store gsp`` takes the URL as the Graph Store
endpoint itself. Authentication comes from the environment: ``GWR_KG_TOKEN`` (bearer), or
``GWR_KG_USER`` and ``GWR_KG_PASSWORD`` (HTTP basic; digest for Virtuoso, or with ``GWR_KG_AUTH=digest``).
Each request attempt has a total deadline (``timeout``: connecting, sending and reading the whole
answer, however slowly the server trickles it), transient failures (connection refused or reset,
timeouts, HTTP 429 and 5xx) are retried a bounded number of times with exponential backoff, and anything
else fails with :class:`PushError`, one line naming the URL and the problem. Answers are read a chunk
at a time up to a size limit. Credentials are never sent to another origin: on a redirect to another
scheme, host or port they are dropped; and no text the server sends back is printed with a credential
in it (a server may echo the request's headers).
"""

from __future__ import annotations

import base64
import http.client
import json
import math
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

DEFAULT_DATASET = Path("output/graph.trig")
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 0.5
TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}
MAX_ANSWER_BYTES = 1 << 20  # what is read of the answer to a PUT (its body is not used)
MAX_RESULTS_BYTES = 256 << 20  # the largest SPARQL results document `kg query --endpoint` reads


class PushError(Exception):
    """The store is unreachable or refused a request, or the dataset cannot be read."""


@dataclass(frozen=True)
class StoreProfile:
    """Where a store's Graph Store and SPARQL query services live, relative to the URL the user gives."""

    name: str
    gsp_path: str  # appended to the endpoint for Graph Store requests
    query_path: str  # appended to the endpoint for SPARQL queries
    graph_param: str = "graph"
    union_params: tuple[tuple[str, str], ...] = ()  # query parameters making the default graph the union
    auth: str = "basic"  # basic or digest, when user and password are set
    example: str = ""

    def gsp_url(self, endpoint: str, graph: Optional[str]) -> str:
        base = endpoint.rstrip("/") + self.gsp_path if self.gsp_path else endpoint
        query = urllib.parse.urlencode({self.graph_param: graph}) if graph else "default"
        return base + ("&" if "?" in base else "?") + query

    def query_url(self, endpoint: str) -> str:
        return endpoint.rstrip("/") + self.query_path if self.query_path else endpoint


STORES: dict[str, StoreProfile] = {p.name: p for p in (
    StoreProfile("oxigraph", "/store", "/query", union_params=(("union-default-graph", ""),),
                 example="http://localhost:7878"),
    StoreProfile("fuseki", "/data", "/sparql", union_params=(("default-graph-uri", "urn:x-arq:UnionGraph"),),
                 example="http://localhost:3030/gwr"),
    StoreProfile("graphdb", "/rdf-graphs/service", "", example="http://localhost:7200/repositories/gwr"),
    StoreProfile("virtuoso", "/sparql-graph-crud-auth", "/sparql", graph_param="graph-uri", auth="digest",
                 example="http://localhost:8890"),
    StoreProfile("gsp", "", "", example="http://localhost:7878/store"),
)}


def store_profile(name: str) -> StoreProfile:
    try:
        return STORES[name]
    except KeyError:
        raise PushError(f"unknown store {name!r}; known stores: {', '.join(STORES)}") from None


# HTTP ------------------------------------------------------------------------------------------------

def _auth(profile: StoreProfile, url: str):
    """(headers, handlers) for the credentials in the environment. The headers are sent as
    "unredirected" headers (urllib does not copy them to a redirected request; _SameOriginRedirects
    puts them back for the same origin only); digest credentials are bound to the URL's host."""
    token = os.environ.get("GWR_KG_TOKEN")
    user, password = os.environ.get("GWR_KG_USER"), os.environ.get("GWR_KG_PASSWORD")
    if token:
        return {"Authorization": f"Bearer {token}"}, []
    if user and password is not None:
        if os.environ.get("GWR_KG_AUTH", profile.auth).lower() == "digest":
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, url, user, password)
            return {}, [urllib.request.HTTPDigestAuthHandler(manager)]
        basic = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
        return {"Authorization": f"Basic {basic}"}, []
    if user or password:
        raise PushError("set both GWR_KG_USER and GWR_KG_PASSWORD (or GWR_KG_TOKEN)")
    return {}, []


def _secrets() -> list[str]:
    """Credential strings that must never be printed (as given, and as sent in a Basic header)."""
    token = os.environ.get("GWR_KG_TOKEN")
    user, password = os.environ.get("GWR_KG_USER"), os.environ.get("GWR_KG_PASSWORD")
    found = [token, password] if token or password else []
    if user and password is not None:
        found.append(base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii"))
    return [s for s in found if s and len(s) >= 3]


def redact(text: str) -> str:
    """``text`` from a server (an error body, a reason phrase) safe to print: credentials it echoes
    back are replaced by ***, a line that names an Authorization or Cookie header is dropped, and
    control characters are escaped."""
    from kg.fsutil import printable

    for secret in sorted(_secrets(), key=len, reverse=True):
        text = text.replace(secret, "***")
    text = "\n".join(line for line in text.splitlines()
                     if not any(h in line.lower() for h in ("authorization", "cookie", "bearer ", "basic ")))
    return printable(text)


def _origin(url: str) -> tuple[str, str, int]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or (443 if parts.scheme == "https" else 80)


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirects, with the credentials put back only when the new URL has the same origin."""

    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and _origin(newurl) == _origin(req.full_url):
            for name, value in req.unredirected_hdrs.items():
                if name.lower() == "authorization":
                    new.add_unredirected_header(name, value)
        return new


class _Deadline:
    """A total time for one request: connecting, sending and reading the whole answer. Each socket
    is shut down when the time is up, so a server that trickles a byte a second cannot hold on."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self._timers: list[threading.Timer] = []

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        return left

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self.end

    def arm(self, sock) -> None:
        timer = threading.Timer(self.remaining(), _shutdown, (sock,))
        timer.daemon = True
        timer.start()
        self._timers.append(timer)

    def cancel(self) -> None:
        for timer in self._timers:
            timer.cancel()


def _shutdown(sock) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _connection(base, deadline: _Deadline):
    class DeadlineConnection(base):
        def connect(self):
            self.timeout = min(self.timeout if self.timeout is not None else math.inf, deadline.remaining())
            super().connect()
            deadline.arm(self.sock)

    return DeadlineConnection


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def http_open(self, req):
        return self.do_open(_connection(http.client.HTTPConnection, self.deadline), req)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def https_open(self, req):
        extra = {"check_hostname": self._check_hostname} if hasattr(self, "_check_hostname") else {}
        return self.do_open(_connection(http.client.HTTPSConnection, self.deadline), req, context=self._context,
                            **extra)


def _read_answer(response, deadline: _Deadline, limit: int, url: str, method: str) -> bytes:
    """The answer's body, a chunk at a time, within the deadline; PushError past ``limit`` bytes."""
    chunks, size = [], 0
    while True:
        deadline.remaining()
        chunk = response.read(64 * 1024)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise PushError(f"{method} {url}: the answer is larger than {limit >> 20} MB; stopped reading "
                            "(add a LIMIT to the query)")
        chunks.append(chunk)
    if deadline.expired:
        raise TimeoutError("timed out")
    return b"".join(chunks)


def check_timeout(seconds: float) -> float:
    """A usable --timeout: a finite number of seconds above zero (PushError otherwise)."""
    if not isinstance(seconds, (int, float)) or not math.isfinite(seconds) or seconds <= 0:
        raise PushError(f"--timeout must be a number of seconds above 0 and finite, got {seconds!r}")
    return float(seconds)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the store running?)"
    if isinstance(reason, (TimeoutError,)) or "timed out" in str(reason):
        return "timed out"
    return str(reason) or type(reason).__name__


def http_request(method: str, url: str, *, body: Optional[bytes] = None, headers: Optional[dict] = None,
                 profile: StoreProfile = STORES["gsp"], timeout: float = DEFAULT_TIMEOUT,
                 retries: int = DEFAULT_RETRIES, backoff: float = DEFAULT_BACKOFF,
                 sleep: Callable[[float], None] = time.sleep, max_answer: int = MAX_ANSWER_BYTES) -> tuple[int, bytes]:
    """One HTTP request with auth from the environment, a total deadline of ``timeout`` seconds per
    attempt, bounded retries and an answer read up to ``max_answer`` bytes; (status, body)."""
    timeout = check_timeout(timeout)
    auth_headers, auth_handlers = _auth(profile, url)
    request_headers = {"User-Agent": "gwr-kg", **(headers or {})}
    attempts = max(1, retries + 1)
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(url, data=body, method=method, headers=request_headers)
        for name, value in auth_headers.items():
            request.add_unredirected_header(name, value)
        deadline = _Deadline(timeout)
        opener = urllib.request.build_opener(_DeadlineHTTPHandler(deadline), _DeadlineHTTPSHandler(deadline),
                                             _SameOriginRedirects(), *auth_handlers)
        try:
            with opener.open(request, timeout=timeout) as response:
                return response.status, _read_answer(response, deadline, max_answer, url, method)
        except urllib.error.HTTPError as exc:
            try:
                detail = redact(exc.read(4096).decode("utf-8", "replace")).strip().splitlines()
            except (OSError, http.client.HTTPException):
                detail = []
            problem = f"HTTP {exc.code} {redact(str(exc.reason))}" + (f": {detail[0][:200]}" if detail else "")
            if exc.code not in TRANSIENT_STATUS:
                hint = " (check GWR_KG_USER/GWR_KG_PASSWORD or GWR_KG_TOKEN)" if exc.code in (401, 403) else ""
                raise PushError(f"{method} {url}: the store refused: {problem}{hint}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError, http.client.HTTPException) as exc:
            problem = (f"timed out (no complete answer within {timeout:g} s)" if deadline.expired
                       else redact(_reason(exc)))
        finally:
            deadline.cancel()
        if attempt < attempts:
            sleep(backoff * 2 ** (attempt - 1))
    raise PushError(f"{method} {url}: {problem} (after {attempts} attempt{'s' if attempts > 1 else ''})")


# the dataset -----------------------------------------------------------------------------------------

@dataclass
class Upload:
    graph: str
    triples: int
    url: str
    body: bytes = b""
    status: Optional[int] = None


@dataclass
class PushResult:
    dataset: str
    endpoint: str
    store: str
    uploads: list[Upload] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return sum(u.triples for u in self.uploads)

    def summary(self) -> str:
        verb = "would PUT" if self.dry_run else "PUT"
        lines = [f"{verb} {u.graph} ({u.triples} triples, {len(u.body)} bytes text/turtle) → {u.url}"
                 + (f" [{u.status}]" if u.status is not None else "") for u in self.uploads]
        done = "dry run: nothing sent" if self.dry_run else f"pushed in {self.seconds:.1f} s"
        lines.append(f"{len(self.uploads)} graphs, {self.triples} triples from {self.dataset} to {self.endpoint} "
                     f"({self.store}); {done}")
        return "\n".join(lines)


def read_dataset(path: Path) -> dict[str, list]:
    """graph IRI → pyoxigraph triples: each named graph plus the default-graph triples about it."""
    import pyoxigraph as ox

    path = Path(path)
    formats = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}
    if path.suffix.lower() not in formats:
        raise PushError(f"{path}: push needs a dataset with named graphs (.trig or .nq); "
                        "write one with `kg build --format ttl,trig`")
    if not path.is_file():
        raise PushError(f"{path}: no such dataset (run `kg build --format ttl,trig` first)")
    graphs: dict[str, list] = {}
    about: dict[str, list] = {}
    try:
        for quad in ox.parse(path=str(path), format=formats[path.suffix.lower()]):
            triple = ox.Triple(quad.subject, quad.predicate, quad.object)
            if isinstance(quad.graph_name, ox.DefaultGraph):
                if isinstance(quad.subject, ox.NamedNode):
                    about.setdefault(quad.subject.value, []).append(triple)
            else:
                graphs.setdefault(quad.graph_name.value, []).append(triple)
    except (SyntaxError, ValueError, OSError) as exc:
        raise PushError(f"{path}: cannot read it: {exc}".splitlines()[0]) from None
    if not graphs:
        raise PushError(f"{path}: no named graphs to push")
    for iri, triples in graphs.items():
        triples.extend(about.get(iri, ()))
    return dict(sorted(graphs.items()))


def _turtle(triples: list) -> bytes:
    import pyoxigraph as ox

    from kg.rdf import PREFIXES

    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def push(dataset: Path = DEFAULT_DATASET, endpoint: str = "", *, store: str = "gsp", dry_run: bool = False,
         ontology: bool = True, timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES,
         backoff: float = DEFAULT_BACKOFF, progress: Optional[Callable[[str], None]] = None) -> PushResult:
    """PUT every named graph of ``dataset`` into the store at ``endpoint``; see the module docstring."""
    from kg.exporters.rdf import ONTOLOGY_GRAPH

    if not endpoint:
        raise PushError("give the store's URL with --endpoint (e.g. http://localhost:7878 --store oxigraph)")
    parsed = urllib.parse.urlparse(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise PushError(f"{endpoint}: not an http(s) URL")
    profile = store_profile(store)
    started = time.perf_counter()
    result = PushResult(str(dataset), endpoint, profile.name, dry_run=dry_run)
    for iri, triples in read_dataset(Path(dataset)).items():
        if iri == ONTOLOGY_GRAPH and not ontology:
            continue
        result.uploads.append(Upload(iri, len(triples), profile.gsp_url(endpoint, iri), _turtle(triples)))
    if not dry_run:
        for upload in result.uploads:
            upload.status, _ = http_request("PUT", upload.url, body=upload.body, profile=profile, timeout=timeout,
                                            retries=retries, backoff=backoff,
                                            headers={"Content-Type": "text/turtle; charset=utf-8"})
            if progress:
                progress(f"PUT {upload.graph} ({upload.triples} triples) [{upload.status}]")
    result.seconds = time.perf_counter() - started
    return result


def remote_select(sparql: str, endpoint: str, *, store: str = "gsp", union: bool = True,
                  timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES,
                  backoff: float = DEFAULT_BACKOFF,
                  max_answer: int = MAX_RESULTS_BYTES) -> tuple[list[str], list[list[Optional[str]]]]:
    """Run a SELECT query at a SPARQL endpoint (SPARQL 1.1 Protocol, JSON results): (variables, rows).

    ``union`` asks the store to query the union of its graphs as the default graph where that takes a
    request parameter (Oxigraph, Fuseki); GraphDB and Virtuoso do so by default.
    """
    profile = store_profile(store)
    url = profile.query_url(endpoint)
    if union and profile.union_params:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(profile.union_params)
    status, body = http_request("POST", url, body=sparql.encode("utf-8"), profile=profile, timeout=timeout,
                                retries=retries, backoff=backoff, max_answer=max_answer,
                                headers={"Content-Type": "application/sparql-query; charset=utf-8",
                                         "Accept": "application/sparql-results+json"})
    try:
        data = json.loads(body.decode("utf-8"))
        variables = list(data["head"].get("vars", []))
        bindings = data["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        raise PushError(f"POST {url}: not SPARQL JSON results (only SELECT queries print as tables)") from None
    rows = [[(b[v]["value"] if v in b else None) for v in variables] for b in bindings]
    return variables, rows
