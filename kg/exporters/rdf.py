"""RDF serializations of a built graph, written atomically and deterministically.

Every exporter has the same interface, ``(graph, path, extractions=()) -> Path``: ``graph`` is the build's
:class:`kg.store.ReportStore` (each report's triples, disjoint) or an rdflib graph of
:func:`kg.rdf.build_graph` (the Python API; its ``parts`` are the report graphs), ``extractions`` the
reports it was built from (the quad formats need them to put each report's facts in its own named graph
when the graph does not keep its reports).

Triple formats (the merged graph): ``ttl`` (Turtle), ``nt`` (N-Triples), ``jsonld`` (JSON-LD).
Quad formats (a dataset): ``trig`` and ``nq`` (N-Quads). Their named graphs are

- one per report, IRI ``kg.iri.mint("graph", <report file stem>)``: the triples of the merged graph the
  report states; a triple several reports state (an indicator's type and label, a province) lives in the
  graph of the first of them by file name, so the graphs are disjoint and their union is exactly the
  Turtle graph;
- the ontology (``ontology/gwr.ttl``), IRI ``https://w3id.org/gwr/ontology``, when the file exists;

and the default graph describes each named graph: ``prov:wasDerivedFrom`` its report,
``dcterms:source`` the report's file name (``gwr:contentHash`` on the report gives the file's SHA-256),
``dcterms:creator`` the gwr-kg version, and ``prov:generatedAtTime`` only when the environment variable
``SOURCE_DATE_EPOCH`` is set (reproducible-builds convention), so two builds stay byte-identical.

Same input, same bytes, in every format: N-Triples/N-Quads lines are sorted (the reports' sorted lines
merged, :meth:`kg.store.ReportStore.ntriples`, so the whole graph is never held); Turtle is that sorted
N-Triples stream written by pyoxigraph with the project's prefixes (a subject's triples grouped, ``;``
and ``,``; tab indents; the ``id:`` prefix is not used, instance IRIs hold ``/``); the TriG is the default
graph then each named graph in IRI order, written by pyoxigraph the same way; JSON-LD (rdflib, the whole
graph in memory) has its nodes, values and keys sorted; the ontology's blank nodes get canonical labels
(rdflib.compare).
"""

from __future__ import annotations

import io
import itertools
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional, Sequence

from kg.fsutil import write_text_atomic

from kg.defaults import ontology_file  # noqa: E402

ONTOLOGY_FILE = ontology_file()
ONTOLOGY_GRAPH = "https://w3id.org/gwr/ontology"


def graph_iri(report_name: str) -> str:
    """The named graph holding one report's facts (deterministic: from the report file's stem)."""
    from kg.iri import mint

    return mint("graph", report_name)


def build_time() -> Optional[datetime]:
    """The build time from ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC), or None when it is not set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        return datetime.fromtimestamp(int(raw), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"SOURCE_DATE_EPOCH={raw!r}: not a whole number of seconds since 1970") from None


# triple formats --------------------------------------------------------------------------------------

#: Turtle and TriG prefixes: the project's and ``owl:`` (the ontology's graph), in name order, but ``id:``
#: (instance IRIs hold ``/``, which a prefixed name can only write escaped).
def _prefixes() -> dict[str, str]:
    from rdflib.namespace import OWL

    from kg.rdf import PREFIXES

    return {k: str(v) for k, v in sorted({**PREFIXES, "owl": OWL}.items()) if k != "id"}


class _LinesReader(io.RawIOBase):
    """A readable binary stream over an iterator of byte strings (the sorted lines, for pyoxigraph)."""

    def __init__(self, chunks):
        self._chunks = iter(chunks)
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while not self._buf:
            try:
                self._buf = b"".join(itertools.islice(self._chunks, 4096))
            except StopIteration:
                return 0
            if not self._buf:
                return 0
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


class _WithoutPrefixes(io.RawIOBase):
    """A writable stream that drops the ``@prefix`` lines pyoxigraph writes first (ours are written
    before, in a fixed order)."""

    def __init__(self, fh):
        self._fh = fh
        self._head = b""
        self._body = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        if self._body:
            self._fh.write(data)
            return len(data)
        self._head += data
        while not self._body:
            end = self._head.find(b"\n")
            if end < 0:
                break
            if self._head.startswith(b"@prefix "):
                self._head = self._head[end + 1:]
            else:
                self._body = True
                self._fh.write(self._head)
                self._head = b""
        return len(data)

    def close_stream(self) -> None:
        if self._head and not self._head.startswith(b"@prefix "):
            self._fh.write(self._head)
        self._head = b""


#: From this many lines on, Turtle and TriG are written by pyoxigraph in child processes
#: (:func:`_write_pretty`); below, in this one (starting Python costs about 0.1 s).
PIPED_FROM = 200_000
#: Lines a child formats at once when several format Turtle (:func:`_pretty_parallel`); a chunk ends
#: where a subject does.
CHUNK_LINES = 32_768


def _formatters() -> int:
    """How many child processes format Turtle: two where this process may run on two cores or more
    (with the merge feeding them, two keep the cores busy), else one."""
    from kg.executor import default_workers

    return min(2, default_workers())


def _write_pretty(path: Path, blocks, fmt: str, size: int = 0) -> Path:
    """Sorted N-Triples/N-Quads lines (``blocks``: lists of them, in order; for TriG any iterables of
    lines) written as Turtle or TriG by pyoxigraph (streamed both ways).

    With ``size`` (the number of lines) at least :data:`PIPED_FROM`, pyoxigraph runs in child processes
    that read the lines from pipes (pyoxigraph holds the GIL while it formats), while this process
    merges them: Turtle in chunks that end with a subject, shared by :func:`_formatters` children
    (:func:`_pretty_parallel`), TriG streamed to one (:func:`_pretty_piped`). The bytes are the same
    either way: Turtle ends each subject's statements with `` .`` and a line break, so the Turtle of
    chunks cut between subjects, joined, is the Turtle of the whole."""
    from kg.fsutil import atomic_open

    prefixes = _prefixes()
    with atomic_open(path, "wb") as fh:
        fh.write("".join(f"@prefix {k}: <{v}> .\n" for k, v in prefixes.items()).encode("utf-8") + b"\n")
        if size < PIPED_FROM:
            _pretty(io.BufferedReader(_LinesReader(itertools.chain.from_iterable(blocks)), buffer_size=1 << 16),
                    fh, fmt, prefixes)
        elif fmt == "ttl":
            fh.flush()
            _pretty_parallel(blocks, fh, prefixes, path, _formatters())
        else:
            fh.flush()
            _pretty_piped(itertools.chain.from_iterable(blocks), fh, fmt, prefixes, path)
    return path


def _pretty(source, fh, fmt: str, prefixes: dict) -> None:
    import pyoxigraph as ox

    sink = _WithoutPrefixes(fh)
    # lenient: the lines are the store's own, written term by term (kg.store.nt_term), so the IRI and
    # literal checks of a strict parse find nothing and took 40 % of the formatting time
    ox.serialize(ox.parse(source, format=ox.RdfFormat.N_QUADS, lenient=True), output=sink,
                 format=ox.RdfFormat.TURTLE if fmt == "ttl" else ox.RdfFormat.TRIG, prefixes=prefixes)
    sink.close_stream()


def _formatter(mode: str, fmt: str, prefixes: dict, stdout):
    """A child process running :func:`_pretty_main` (``mode``: "stream" or "chunks"), its input a pipe,
    its messages in a temporary file (read if it fails; a pipe nobody reads could fill and stall it)."""
    import subprocess
    import sys
    import tempfile

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}  # this process's kg
    log = tempfile.TemporaryFile()
    child = subprocess.Popen([sys.executable, "-c", "from kg.exporters.rdf import _pretty_main; _pretty_main()",
                              mode, fmt, json.dumps(prefixes)], stdin=subprocess.PIPE, stdout=stdout,
                             stderr=log, env=env)
    child.log = log
    return child


def _finish(children: list, path: Path, complete: bool = True) -> None:
    """Wait for the formatting children; a failed one (or ``complete`` false: output missing) fails
    the writing of ``path`` with the child's last message."""
    try:
        failed = [child for child in children if child.wait() != 0]
        if failed or not complete:
            child = (failed or children)[0]
            child.log.seek(0)
            message = child.log.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            raise RuntimeError(f"writing {path} failed in the formatting process (exit status "
                               f"{child.returncode}): {(message or ['no message'])[0]}")
    finally:
        _reap(children)


def _reap(children: list) -> None:
    """Kill the children still running, wait for them, close their message files."""
    for child in children:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.log.close()


def _pretty_piped(lines, fh, fmt: str, prefixes: dict, path: Path) -> None:
    """:func:`_pretty` in a child process writing to ``fh`` (at its current end), fed ``lines``."""
    child = _formatter("stream", fmt, prefixes, fh)
    try:
        for chunk in iter(lambda: b"".join(itertools.islice(lines, 4096)), b""):
            child.stdin.write(chunk)
        child.stdin.close()
    except BrokenPipeError:  # the child stopped reading: its exit status and message say why
        pass
    except BaseException:  # the lines failed (a run file could not be written, say): no child is left
        _reap([child])
        raise
    _finish([child], path)


def _subject_chunks(blocks, size: int):
    """The lines of ``blocks`` (lists of lines, in order) joined in chunks of at least ``size`` lines
    (the last may be shorter), each ending where a subject does. A chunk is cut by its indexes in
    the list, not line by line: a step per line in Python took a sixth of the Turtle writer's time."""
    carried: list = []
    for block in blocks:
        lines = carried + block if carried else block
        start, n = 0, len(lines)
        while n - start > size:
            end = start + size
            subject = lines[end - 1][:lines[end - 1].index(b" ") + 1]
            while end < n and lines[end].startswith(subject):
                end += 1
            if end == n:
                break  # the subject may go on in the next block
            yield b"".join(lines[start:end])
            start = end
        carried = lines[start:]
    if carried:
        yield b"".join(carried)


def _pretty_parallel(blocks, fh, prefixes: dict, path: Path, children: int) -> None:
    """Turtle formatted by ``children`` child processes at once: the lines (``blocks``: lists of them)
    cut into chunks between subjects (:func:`_subject_chunks`), chunk ``k`` formatted by child
    ``k % children``, each chunk's Turtle written to ``fh`` in order. A thread feeds the children
    (merging the lines as it goes) while this one writes what they give back."""
    import subprocess
    import threading

    procs = [_formatter("chunks", "ttl", prefixes, subprocess.PIPE) for _ in range(children)]
    fed: list = []  # the number of chunks fed, once all are
    failed: list = []

    def feed() -> None:
        count = 0
        try:
            for count, chunk in enumerate(_subject_chunks(blocks, CHUNK_LINES), 1):
                pipe = procs[(count - 1) % children].stdin
                pipe.write(len(chunk).to_bytes(8, "big"))
                pipe.write(chunk)
            fed.append(count)
        except BrokenPipeError:  # a child stopped reading: its exit status and message say why
            pass
        except BaseException as exc:  # the merge failed (a run file could not be written, say)
            failed.append(exc)
        finally:
            for child in procs:
                try:
                    child.stdin.close()
                except BrokenPipeError:
                    pass

    feeder = threading.Thread(target=feed, name="kg-turtle-feed", daemon=True)
    feeder.start()
    written, done = 0, False
    try:
        while True:
            out = procs[written % children].stdout
            head = out.read(8)
            if len(head) < 8:
                break
            size = int.from_bytes(head, "big")
            while size:
                piece = out.read(min(size, 1 << 20))
                if not piece:
                    break
                fh.write(piece)
                size -= len(piece)
            if size:
                break  # the child died mid-chunk: its exit status says why
            written += 1
        done = True
    finally:
        if not done or failed:  # the feeder may wait on a child nobody reads: end them
            _reap(procs)
        feeder.join()
        for child in procs:
            child.stdout.close()
    if failed:
        raise failed[0]
    _finish(procs, path, complete=fed == [written])


def _pretty_main() -> None:
    """The child of :func:`_pretty_piped` ("stream": N-Quads lines on stdin, the body of the Turtle or
    TriG on stdout) and of :func:`_pretty_parallel` ("chunks": each chunk of lines on stdin, then its
    Turtle on stdout, each as 8 bytes of length and the bytes). Arguments: the mode, the format and
    the prefixes as JSON."""
    import sys

    mode, fmt, prefixes = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    if mode == "stream":
        _pretty(source, sink, fmt, prefixes)
    else:
        while head := source.read(8):
            body = io.BytesIO()
            _pretty(io.BytesIO(source.read(int.from_bytes(head, "big"))), body, fmt, prefixes)
            sink.write(len(body.getbuffer()).to_bytes(8, "big"))
            sink.write(body.getbuffer())
    sink.flush()


def _write_lines(path: Path, blocks) -> Path:
    """Lines (``blocks``: lists of them, in order) written as they are, a slice of a list at a time."""
    from kg.fsutil import atomic_open

    with atomic_open(path, "wb") as fh:
        for block in blocks:
            for start in range(0, len(block), 8192):
                fh.write(b"".join(block[start:start + 8192]))
    return path


def write_turtle(graph, path: Path, extractions: Sequence = ()) -> Path:
    """Turtle, deterministic: the sorted N-Triples stream written by pyoxigraph with the prefixes."""
    from kg.store import as_store

    path = Path(path)
    store = as_store(graph)
    return _write_pretty(path, store.ntriples_blocks(scratch=path.parent), "ttl", len(store))


def _sorted_lines(data: str) -> str:
    lines = sorted({line for line in data.split("\n") if line.strip()})
    return "\n".join(lines) + "\n" if lines else ""


def write_ntriples(graph, path: Path, extractions: Sequence = ()) -> Path:
    """N-Triples (UTF-8), one triple a line, lines sorted: the reports' sorted lines merged
    (:meth:`kg.store.ReportStore.ntriples`), so the whole document is never held in memory."""
    from kg.store import as_store

    path = Path(path)
    return _write_lines(path, as_store(graph).ntriples_blocks(scratch=path.parent))


def _sort_value(value):
    """Sort JSON-LD structures deep: lists by their canonical JSON text, dicts by key (at dump time)."""
    if isinstance(value, dict):
        return {k: _sort_value(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sort_value(v) for v in value]
        if all(not isinstance(v, dict) or "@list" not in v for v in items):
            items.sort(key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return items
    return value


def jsonld_text(graph) -> str:
    """JSON-LD (compacted with the project's prefixes, kg.rdf.PREFIXES), nodes sorted by @id, keys sorted."""
    from kg.rdf import PREFIXES

    context = {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    if isinstance(data, dict) and "@graph" not in data and "@id" in data:  # a single node
        data = {"@context": data.pop("@context", context), "@graph": [data]}
    data = _sort_value(data)
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        data["@graph"].sort(key=lambda node: (str(node.get("@id", "")), json.dumps(node, sort_keys=True,
                                                                                     ensure_ascii=False)))
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def write_jsonld(graph, path: Path, extractions: Sequence = ()) -> Path:
    """JSON-LD of the merged graph (no named graphs; use trig or nq for those). rdflib's JSON-LD writer
    needs the whole graph in memory: a build's store is made into an rdflib graph for it."""
    from kg.store import ReportStore

    write_text_atomic(path, jsonld_text(graph.to_rdflib() if isinstance(graph, ReportStore) else graph))
    return path


# quad formats ----------------------------------------------------------------------------------------

@dataclass
class NamedGraph:
    iri: str
    graph: object  # rdflib.Graph
    source: str  # what it was made from (a report file name, ontology/gwr.ttl)
    derived_from: Optional[str] = None  # the report IRI


def ontology_graph(path: Path = ONTOLOGY_FILE):
    """The ontology as an rdflib graph with canonical blank-node labels (byte-stable serializations)."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    source = Graph().parse(path, format="turtle")
    graph = Graph()
    for prefix, ns in source.namespaces():
        graph.bind(prefix, ns, override=True, replace=True)
    for triple in to_canonical_graph(source):
        graph.add(triple)
    return graph


def report_graphs(graph, extractions: Sequence = ()) -> list[NamedGraph]:
    """One named graph per report, straight from the build (:class:`kg.rdf.MergedGraph` keeps each
    report's own graph: disjoint, their union the merged graph), in report order. A plain graph is
    rebuilt from ``extractions``."""
    from kg.iri import mint

    parts = getattr(graph, "parts", None)
    if parts is None:
        if not extractions:
            raise ValueError("TriG and N-Quads need the reports the graph was built from (kg build passes them)")
        from kg.rdf import build_graph

        parts = build_graph(extractions).parts
    out = []
    for ex, part in parts:
        doc = ex.document
        out.append(NamedGraph(graph_iri(doc.name), part, doc.name + Path(doc.path).suffix, mint("report", doc.name)))
    return out


def named_graphs(graph, extractions: Sequence, *, ontology: Optional[Path] = ONTOLOGY_FILE) -> list[NamedGraph]:
    """The dataset's named graphs: one per report, then the ontology (when its file exists)."""
    graphs = report_graphs(graph, extractions)
    if ontology is not None:
        if not Path(ontology).is_file():
            raise FileNotFoundError(f"{ontology}: the ontology file is missing (the TriG/N-Quads ontology graph)")
        graphs.append(NamedGraph(ONTOLOGY_GRAPH, ontology_graph(Path(ontology)), "ontology/gwr.ttl"))
    return graphs


def description(graphs: Sequence[NamedGraph], when: Optional[datetime] = None):
    """The default graph: one description per named graph (provenance, source file, gwr-kg version)."""
    from rdflib import XSD, Literal, URIRef
    from rdflib.namespace import DCTERMS, PROV

    from kg.rdf import GENERATOR, new_graph

    g = new_graph()
    for ng in graphs:
        node = URIRef(ng.iri)
        if ng.derived_from:
            g.add((node, PROV.wasDerivedFrom, URIRef(ng.derived_from)))
        g.add((node, DCTERMS.source, Literal(ng.source)))
        g.add((node, DCTERMS.creator, Literal(GENERATOR)))
        if when is not None:
            g.add((node, PROV.generatedAtTime,
                   Literal(when.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)))
    return g


def dataset(graph, extractions: Sequence, *, ontology: Optional[Path] = ONTOLOGY_FILE, when=None):
    """(default graph, named graphs) of the quad exports; ``when`` defaults to :func:`build_time`."""
    graphs = named_graphs(graph, extractions, ontology=ontology)
    return description(graphs, build_time() if when is None else when), graphs


def _quad_store(graph, extractions: Sequence):
    from kg.store import ReportStore, as_store

    if not isinstance(graph, ReportStore) and getattr(graph, "parts", None) is None and not extractions:
        raise ValueError("TriG and N-Quads need the reports the graph was built from (kg build passes them)")
    return as_store(graph, extractions)


def _store_dataset(store, ontology: Optional[Path] = ONTOLOGY_FILE, when=None):
    """(default graph, report entries (no graph), the ontology's NamedGraph or None) of a store."""
    from kg.iri import mint

    entries = [NamedGraph(graph_iri(ex.document.name), None, ex.document.name + Path(ex.document.path).suffix,
                          mint("report", ex.document.name)) for ex in store.reports]
    onto = None
    if ontology is not None:
        if not Path(ontology).is_file():
            raise FileNotFoundError(f"{ontology}: the ontology file is missing (the TriG/N-Quads ontology graph)")
        onto = NamedGraph(ONTOLOGY_GRAPH, ontology_graph(Path(ontology)), "ontology/gwr.ttl")
    default = description(entries + ([onto] if onto else []), build_time() if when is None else when)
    return default, entries, onto


def _nt_lines(graph, iri: Optional[str] = None) -> list[bytes]:
    """A small rdflib graph's sorted N-Quads lines (in the named graph ``iri``, or the default graph)."""
    from kg.store import nt_term

    cache: dict = {}
    tail = f" <{iri}> .\n" if iri else " .\n"
    return sorted({f"{nt_term(s, cache)} {nt_term(p, cache)} {nt_term(o, cache)}{tail}".encode("utf-8")
                   for s, p, o in graph})


def write_trig(graph, path: Path, extractions: Sequence = ()) -> Path:
    """TriG: one named graph per report and one for the ontology, described in the default graph."""
    store = _quad_store(graph, extractions)
    default, entries, onto = _store_dataset(store)
    path = Path(path)
    index = {ng.iri: i for i, ng in enumerate(entries)}
    named = sorted(entries + ([onto] if onto else []), key=lambda ng: ng.iri)

    def lines():
        yield from _nt_lines(default)
        for ng in named:
            if ng.iri in index:
                suffix = f" <{ng.iri}> .\n".encode("utf-8")
                yield from (line[:-3] + suffix for line in store.report_lines(index[ng.iri]))
            else:
                yield from _nt_lines(ng.graph, ng.iri)

    return _write_pretty(path, [lines()], "trig", len(store))


def write_nquads(graph, path: Path, extractions: Sequence = ()) -> Path:
    """N-Quads: the same dataset as the TriG export, one quad a line, lines sorted (streamed)."""
    store = _quad_store(graph, extractions)
    default, entries, onto = _store_dataset(store)
    path = Path(path)
    small = sorted(set(_nt_lines(default)) | set(_nt_lines(onto.graph, onto.iri) if onto else ()))
    return _write_lines(path, store.nquads_blocks([ng.iri for ng in entries], scratch=path.parent, also=small))
