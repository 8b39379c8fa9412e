"""The build's graph: every report's triples as its own named graph, never one big rdflib graph.

:func:`build_store` maps and merges the reports (:func:`kg.rdf.merge_reports`: disjoint report triple
sets) and keeps each report's triples as its sorted N-Triples lines, zlib-compressed (a few tens of KB a
report). Everything that reads the whole graph reads it from there:

- the writers (:mod:`kg.exporters.rdf`) merge the reports' sorted lines (in memory up to
  :data:`MERGE_LINES` lines, above that in batches through sorted run files beside the output, so
  memory does not grow with the corpus) into N-Triples and N-Quads, and pyoxigraph formats Turtle
  and TriG from the same sorted stream;
- the views, the index and SPARQL read a pyoxigraph ``Store`` loaded from those lines
  (:meth:`ReportStore.oxigraph`), through :class:`StoreGraph`, the few read methods of rdflib's
  ``Graph`` that the views use, each answer sorted (pyoxigraph's in-memory order is not stable);
  the store is in memory for small graphs, on disk in the build's staging folder above
  :data:`ON_DISK_ABOVE` triples (so its memory does not grow with the corpus), and a
  whole-graph read goes one report graph at a time;
- counts (triples, classes) are kept per report while it is stored.

rdflib stays the Python API: :func:`kg.rdf.build_graph` gives an rdflib ``MergedGraph``, and
:meth:`ReportStore.to_rdflib` makes one from a store.
"""

from __future__ import annotations

import heapq
import os
import re
import tempfile
import zlib
from array import array
from collections import Counter, deque
from dataclasses import dataclass
from itertools import chain, compress, islice
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, Optional, Sequence

from kg.iri import DATA

#: Named graphs of a store's parts that are no report's (a plain graph's triples, a slice's context).
PART_GRAPH = "urn:gwr:part:"
#: Above this many triples a graph read whole (SPARQL, the views of a plain graph) is read from a
#: pyoxigraph store on disk (in the build's staging folder), so that its memory does not grow with the
#: corpus. The district pages of a build read no store of the whole graph (:func:`district_slices`).
ON_DISK_ABOVE = 1_000_000
#: Lines merged at once in memory (about 130 bytes each: 2.5 M lines hold about 330 MB). Above this
#: the reports are merged in batches of about this many lines into sorted run files first, which are
#: then merged by ``heapq.merge``, a comparison per line in Python: several times slower than the
#: batches' ``list.sort``, so a batch is as large as the memory it may take.
MERGE_LINES = 2_500_000
#: Bytes of N-Quads per bulk load into an on-disk store: pyoxigraph's bulk loader holds about its input
#: several times over in memory (a single load of 1.7 M quads peaked at 1.2 GB; batches of 30 MB at 0.3 GB).
BULK_BATCH = 32 << 20


def nt_term(term, cache: Optional[dict] = None) -> str:
    """A term in N-Triples, with rdflib's own escaping (the bytes ``graph.nt`` always had)."""
    if cache is not None:
        text = cache.get(term)
        if text is not None:
            return text
    from rdflib.plugins.serializers.nt import _quoteLiteral
    from rdflib.term import Literal

    text = _quoteLiteral(term) if isinstance(term, Literal) else term.n3()
    if cache is not None:
        cache[term] = text
    return text


def _encode(triples: Iterable) -> tuple[bytes, int]:
    """Sorted, distinct N-Triples lines (UTF-8), compressed; and their count. Terms are written as
    :func:`nt_term` writes them (IRIs checked once each, literals escaped as rdflib's N-Triples writer)."""
    return _compressed(_nt_lines(triples)[0])


def _nt_lines(triples: Iterable, apart: Iterable = ()) -> tuple[list[bytes], list[bytes]]:
    """The triples' distinct N-Triples lines (UTF-8), sorted (what :func:`_encode` stores): those whose predicate
    is in ``apart`` in the second list, the others in the first. A :class:`kg.rdf.TripleSet` is read
    grouped as it is stored, so each subject and predicate is written once, not once per triple."""
    from rdflib.plugins.serializers.nt import _quote_encode
    from rdflib.term import Literal, URIRef

    from kg.rdf import TripleSet

    # Each term's text, by the term's id: a Literal's own hash is computed in Python each time it is
    # asked, an id's is not. The terms are held in ``held`` so that no id is reused during the call.
    texts: dict[int, bytes] = {}
    held: list = []

    def term(t) -> bytes:
        text = texts.get(id(t))
        if text is None:
            if type(t) is URIRef:
                text = t.n3()
            elif isinstance(t, Literal):
                if t.language:
                    text = f"{_quote_encode(t)}@{t.language}"
                elif t.datatype:
                    text = f"{_quote_encode(t)}^^<{t.datatype}>"
                else:
                    text = _quote_encode(t)
            else:
                text = nt_term(t)
            text = texts[id(t)] = text.encode("utf-8")
            held.append(t)
        return text

    grouped = triples.by_subject() if isinstance(triples, TripleSet) else (((s, {p: (o,)}) for s, p, o in triples))
    apart = frozenset(apart)
    kept: set[bytes] = set()
    other: set[bytes] = set()
    for s, po in grouped:
        s_text = term(s) + b" "
        for p, objects in po.items():
            prefix = s_text + term(p) + b" "
            add = (other if p in apart else kept).add
            for o in objects:
                add(prefix + term(o) + b" .\n")
    return sorted(kept), sorted(other)


def _compressed(lines: list[bytes]) -> tuple[bytes, int]:
    return zlib.compress(b"".join(lines), 1), len(lines)


class ReportStore:
    """Each report's triples (disjoint; their union is the graph ``kg build`` writes), in report order.

    ``reports``: the extractions, sorted by file name; ``merges``: the cross-report merges
    (:func:`kg.rdf.merge_reports`); ``classes``: gwr class local name → instances (rdf:type triples).
    """

    def __init__(self, parts: list, merges: Sequence = ()):
        from rdflib import RDF

        from kg.rdf import GWR

        gwr = str(GWR)
        self.reports = [ex for ex, _ in parts]
        self.merges = list(merges)
        self._blobs: list[bytes] = []
        self._counts: list[int] = []
        classes: Counter = Counter()
        for i, (_, triples) in enumerate(parts):
            for _, o in triples.subject_objects(RDF.type):
                if str(o).startswith(gwr):
                    classes[str(o)[len(gwr):]] += 1
            blob, count = _encode(triples)
            self._blobs.append(blob)
            self._counts.append(count)
            parts[i] = None  # its triples are stored: let them go
        self.classes = dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0])))
        self._extra = None
        self._oxigraph = None

    # the data ------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return sum(self._counts)

    def report_lines(self, index: int) -> list[bytes]:
        """One report's N-Triples lines (UTF-8, each ending in ``\\n``), sorted."""
        return _lines(self._blobs[index])

    def ntriples(self, scratch: Optional[Path] = None) -> Iterator[bytes]:
        """Every triple as an N-Triples line, sorted (the reports' sorted lines merged; no duplicates,
        the reports' triples are disjoint). ``scratch``: a folder for the run files of large stores."""
        return chain.from_iterable(self.ntriples_blocks(scratch))

    def ntriples_blocks(self, scratch: Optional[Path] = None) -> Iterator[list[bytes]]:
        """:meth:`ntriples` as lists of lines, the stream in order: for writers that take the lines a
        list at a time (a Python step per line cost the Turtle writer a third of its time)."""
        return self._merged([None] * len(self._blobs), scratch)

    def nquads(self, graph_iris: Sequence[str], scratch: Optional[Path] = None) -> Iterator[bytes]:
        """Every report's triples in its named graph (``graph_iris[i]`` for report ``i``), sorted."""
        return chain.from_iterable(self.nquads_blocks(graph_iris, scratch))

    def nquads_blocks(self, graph_iris: Sequence[str], scratch: Optional[Path] = None,
                      also: Sequence[bytes] = ()) -> Iterator[list[bytes]]:
        """:meth:`nquads` as lists of lines (see :meth:`ntriples_blocks`), with the sorted lines ``also``
        (quads of other graphs) merged in."""
        return self._merged(list(graph_iris), scratch, also)

    def _merged(self, graphs: list, scratch: Optional[Path], also: Sequence[bytes] = ()) -> Iterator[list[bytes]]:
        count = len(self._counts)

        def source(i: int):
            return _in_graph(self.report_lines(i), graphs[i]) if i < count else also

        return _merged_blocks(source, [*self._counts, len(also)] if also else self._counts, scratch)

    # reading it as a graph -----------------------------------------------------------------------
    def oxigraph(self, folder: Optional[Path] = None):
        """A pyoxigraph ``Store`` of the graph, each report in its named graph
        (:func:`kg.exporters.rdf.graph_iri`). In memory (about 400 B a quad), loaded once on first use;
        or, given ``folder`` (a new, empty folder), on disk there: bulk loaded in batches of
        :data:`BULK_BATCH` bytes, its memory bounded however large the graph (the caller removes the folder when done)."""
        import pyoxigraph as ox

        if folder is not None:
            store = ox.Store(str(folder))
            batch: list[bytes] = []
            size = 0
            for chunk in self._nquad_chunks():  # one bulk load of everything buffers GBs: in batches
                batch.append(chunk)
                size += len(chunk)
                if size >= BULK_BATCH:
                    store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
                    batch, size = [], 0
            if batch:
                store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
            return store
        if self._oxigraph is None:
            store = ox.Store()
            for chunk in self._nquad_chunks():
                store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)
            self._oxigraph = store
        return self._oxigraph

    def part_graph(self, index: int) -> str:
        """The named graph of part ``index`` in :meth:`oxigraph`: its report's
        (:func:`kg.exporters.rdf.graph_iri`), or one of its own for a part that is no report's."""
        from kg.exporters.rdf import graph_iri

        ex = self.reports[index]
        return graph_iri(ex.document.name) if ex is not None else f"{PART_GRAPH}{index}"

    def _nquad_chunks(self) -> Iterator[bytes]:
        """Each report's lines as N-Quads in its named graph, one bytes chunk a report."""
        for i in range(len(self.reports)):
            yield b"".join(_in_graph(self.report_lines(i), self.part_graph(i)))

    def graph(self, folder: Optional[Path] = None) -> "StoreGraph":
        """The graph for readers written against rdflib (the views): see :class:`StoreGraph`; ``folder``:
        read it from a pyoxigraph store on disk there (see :meth:`oxigraph`)."""
        return StoreGraph(self, folder)

    def query(self, sparql: str):
        """A SPARQL query over the union of the report graphs (pyoxigraph's results)."""
        return self.oxigraph().query(sparql, use_default_graph_as_union=True)

    def to_rdflib(self):
        """The rdflib :class:`kg.rdf.MergedGraph` of this store (the Python API's graph)."""
        from rdflib import Graph

        from kg.rdf import PREFIXES, MergedGraph

        merged = MergedGraph()
        for prefix, ns in PREFIXES.items():
            merged.bind(prefix, ns, override=True, replace=True)
        merged.parts, merged.merges = [], list(self.merges)
        for i, ex in enumerate(self.reports):
            part = Graph().parse(data=b"".join(self.report_lines(i)), format="nt")
            merged.parts.append((ex, part))
            for triple in part:
                merged.add(triple)
        return merged


def _in_graph(lines: Iterable[bytes], graph: Optional[str]) -> Iterable[bytes]:
    """N-Triples lines as N-Quads lines in ``graph`` (unchanged when None). A report's sorted lines
    stay sorted: a term never ends where another one of the same line goes on."""
    if graph is None:
        return lines
    suffix = f" <{graph}> .\n".encode("utf-8")
    return (line[:-3] + suffix for line in lines)


class MappedReport(NamedTuple):
    """One report mapped alone (:func:`map_one`): what :func:`build_store` keeps of it before the
    cross-report steps. Small and picklable (bytes and strings), so worker processes can make it
    beside the extraction and send it back."""

    #: the report's triples but the :data:`kg.rdf.FUNCTIONAL` ones: sorted N-Triples lines, compressed
    blob: bytes
    #: how many lines ``blob`` holds
    count: int
    #: the FUNCTIONAL triples (labels, altLabels, project status and its year), encoded the same way
    extra: bytes
    #: how many lines ``extra`` holds
    extra_count: int
    #: the 64-bit hashes of ``blob``'s lines, then ``extra``'s (:func:`_line_hashes`), 8 bytes each
    hashes: bytes
    #: for ``extra``: each line's subject hash, and the subjects the functional merge may change
    #: within this report alone (:func:`_functional_keys`), 8 bytes each
    extra_subjects: bytes
    extra_local: bytes
    #: :func:`kg.rdf.report_mentions` without the report index (the first item), which build_store adds
    mentions: tuple
    district_iri: str
    district_name: str


def map_one(extraction) -> MappedReport:
    """Step 1 of :func:`build_store` for one report: it mapped alone (:func:`kg.rdf._map_report`) and
    stored as two sets of sorted lines, the properties the cross-report merge decides and the rest.
    It depends on no other report: ``kg build`` runs it in the extraction workers. The cyclic garbage
    collector is paused meanwhile, as for the graph stage (:func:`kg.collector.paused`): the mapping
    makes thousands of small containers that form no cycles and live until it ends, and each
    collection they set off walks them (and in a worker whatever extraction keeps) for nothing."""
    from kg.collector import paused

    return paused(_map_one, extraction)


def _map_one(extraction) -> MappedReport:
    from kg.rdf import FUNCTIONAL, _map_report, report_mentions

    triples, ents = _map_report(extraction)
    mentions = tuple(m[1:] for m in report_mentions(0, ents))
    rest, functional = _nt_lines(triples, FUNCTIONAL)
    blob, count = _compressed(rest)
    extra, extra_count = _compressed(functional)
    hashes = _line_hashes(rest + functional).tobytes()
    subjects, local = _functional_keys(functional)
    return MappedReport(blob, count, extra, extra_count, hashes, subjects.tobytes(), local.tobytes(), mentions,
                        ents.district_iri, ents.district_name)


def build_store(extractions: Iterable, scratch: Optional[Path] = None,
                mapped: Optional[Sequence[Optional[MappedReport]]] = None) -> ReportStore:
    """Map the reports and merge them (what :func:`kg.rdf.merge_reports` does, the same triples) one
    report at a time, so that memory holds each report's triples compressed, never a graph of them all:

    1. each report is mapped alone and stored at once as two sets of sorted lines (:func:`map_one`):
       the properties the cross-report merge decides (labels, altLabels, project status and its year:
       :data:`kg.rdf.FUNCTIONAL`, about a fifth of the triples) and the rest; the nodes it resolved
       are kept for 2;
    2. the nodes several reports name differently are folded (:func:`kg.resolve.cross_report_merges`):
       their IRIs are replaced in the lines of the reports that hold them;
    3. the first set is merged across reports (:func:`_merge_functional_lines`: one label, the others
       altLabels, the latest status), reading all reports' lines merged in sorted order;
    4. the reports are made disjoint (:func:`_make_disjoint`): a line several reports hold stays in
       the first one's only.

    ``mapped``: step 1 done already (by the extraction workers), aligned with ``extractions``: each
    report's :func:`map_one`, or None for a report to map here. A list given is emptied (the caller's
    references would keep every report's first lines in memory until the end).

    ``extractions`` may be packed (a kg.model.Reports, or PackedExtraction items, as ``kg build`` keeps
    them): a packed report is unpacked only to be mapped here, and the store's ``reports`` are then its
    heads (kg.model.ReportHead: the document without its text, the meta facts), all the writers read.
    """
    import numpy

    from kg.model import PackedExtraction, Reports, unpacked
    from kg.rdf import fold_report
    from kg.resolve import cross_report_merges

    exs = extractions.packed if isinstance(extractions, Reports) else list(extractions)
    if mapped is None:
        mapped = [None] * len(exs)
    elif len(mapped) != len(exs):
        raise ValueError(f"{len(mapped)} mapped reports for {len(exs)} extractions")
    pairs = sorted(zip(exs, mapped), key=lambda pair: pair[0].document.name)
    if isinstance(mapped, list):
        mapped.clear()
    store = ReportStore([])
    store.reports = [ex.head if isinstance(ex, PackedExtraction) else ex for ex, _ in pairs]
    store._extra, store._extra_counts, store._hashes, store._subjects = [], [], [], []
    mentions: list = []
    district_label: dict = {}
    districts: list = []  # each report's district IRI
    for i, (ex, report) in enumerate(pairs):
        pairs[i] = None  # the loop holds it now: let it go once stored
        if report is None:
            report = map_one(unpacked(ex))
        mentions += [(i, *m) for m in report.mentions]
        district_label.setdefault(report.district_iri, report.district_name)
        districts.append(report.district_iri)
        store._blobs.append(report.blob)
        store._counts.append(report.count)
        store._extra.append(report.extra)
        store._extra_counts.append(report.extra_count)
        store._hashes.append(numpy.frombuffer(report.hashes, dtype=numpy.int64))
        store._subjects.append((numpy.frombuffer(report.extra_subjects, dtype=numpy.int64),
                                numpy.frombuffer(report.extra_local, dtype=numpy.int64)))
        del report

    folds = cross_report_merges(mentions)
    if folds:
        into = {a: b for a, b, _ in folds}
        # a folded node (a project or an award recipient, its IRI minted with its district) is named in
        # its district's reports only: the others are not read (reading them all for every fold made
        # this step grow with the square of the corpus)
        node_district = {m[5]: m[1] for m in mentions}
        by_district: dict = {}
        for a, b in into.items():
            by_district.setdefault(node_district[a], {})[a] = b
        held: dict = {}
        for i, d in enumerate(districts):
            if d in by_district:
                held.setdefault(d, []).append(i)
        labels = _first_labels(store, set(into) | set(into.values()), sorted(i for r in held.values() for i in r))
        store.merges = fold_report(folds, mentions, district_label, labels.get)
        for d, moves in by_district.items():
            for i in _fold_lines(store._blobs, store._counts, moves, held[d]) + \
                    _fold_lines(store._extra, store._extra_counts, moves, held[d]):
                store._hashes[i] = store._subjects[i] = None  # its lines changed: hashed again
    del mentions
    _merge_functional_lines(store, scratch)
    _make_disjoint(store)
    return store


_LABEL = b"<http://www.w3.org/2000/01/rdf-schema#label>"
_ALT_LABEL = b"<http://www.w3.org/2004/02/skos/core#altLabel>"
_LATEST_WINS = (b"<https://w3id.org/gwr/ontology#projectStatus>", b"<https://w3id.org/gwr/ontology#statusYear>")


def _first_labels(store: ReportStore, nodes: set, reports: Sequence[int]) -> dict:
    """node IRI → its label (the first report's, as a plain string), for the nodes given, named in
    ``reports`` (indexes, ascending) only."""
    import pyoxigraph as ox
    from rdflib import URIRef

    wanted = {f"<{n}> ".encode("utf-8") + _LABEL for n in nodes}
    out: dict = {}
    for i in reports:
        for line in _lines(store._extra[i]):
            head = line[:line.index(b" ", line.index(b" ") + 1)]
            if head in wanted:
                quad = next(iter(ox.parse(line, format=ox.RdfFormat.N_TRIPLES)))
                out.setdefault(URIRef(quad.subject.value), quad.object.value)
    return out


def _functional_keys(lines: Sequence[bytes]) -> tuple:
    """For one report's FUNCTIONAL lines: each line's subject hash (:func:`_line_hashes`), and the
    hashes of the subjects whose lines :func:`_merge_functional_lines` could change with this report
    alone: two labels, two values of a latest-wins property, or an altLabel equal to a label."""
    terms = [line.split(b" ", 2) for line in lines]  # subject, predicate, object and " .\n"
    seen: set = set()
    local: set = set()
    labels: set = set()
    alts = []
    for s, p, o in terms:
        if p == _ALT_LABEL:
            alts.append((s, o))
            continue
        if (s, p) in seen:  # a label, a status or a status year (FUNCTIONAL): a second value
            local.add(s)
        seen.add((s, p))
        if p == _LABEL:
            labels.add((s, o))
    local.update(s for s, o in alts if (s, o) in labels)
    return _line_hashes([t[0] for t in terms]), _line_hashes(sorted(local))


def _merge_functional_lines(store: ReportStore, scratch: Optional[Path]) -> None:
    """:func:`kg.rdf._merge_functional` on the stored lines: a node's label is the first report's
    (the others become its altLabels there), its status and status year the latest report's (by plan
    year, then file name); an altLabel equal to the node's label is dropped. The reports' lines are
    read merged in sorted order, so a node's values of one property come together, its label first.

    Only the nodes it could change take part: those several reports name, and those one report
    gives two values of a property or an altLabel equal to a label (:func:`_functional_keys`, made by
    the extraction workers): most nodes are one report's, named once."""
    import numpy

    count = len(store._extra)
    for i in range(count):
        if store._subjects[i] is None:  # folded: its subjects changed
            store._subjects[i] = _functional_keys(_lines(store._extra[i]))
    if count:
        named = numpy.concatenate([numpy.unique(subjects) for subjects, _ in store._subjects])
        named.sort()
        wanted = numpy.union1d(named[1:][named[1:] == named[:-1]],
                               numpy.concatenate([local for _, local in store._subjects]))
        picks = [numpy.isin(subjects, wanted) for subjects, _ in store._subjects]
        del named, wanted
    else:
        picks = []
    store._subjects = None
    plan = [ex.meta.plan_year or 0 for ex in store.reports]
    tag = [b"\x00%08d\n" % i for i in range(count)]
    remove: dict[int, set] = {}
    add: dict[int, set] = {}

    def tagged(i: int) -> Iterator[bytes]:
        if not picks[i].any():
            return iter(())
        return (line[:-1] + tag[i] for line in compress(_lines(store._extra[i]), picks[i].tolist()))

    def decide(subject: bytes, predicate: bytes, values: list, label: list) -> None:
        objects = {o for _, o in values}
        if predicate == _LABEL:  # the first report's (lines come sorted by object, then report)
            keep = min(values, key=lambda v: v[0])[1]
            label[:] = [subject, keep]
        elif predicate in _LATEST_WINS:
            keep = max(values, key=lambda v: (plan[v[0]], v[0]))[1]
        elif predicate == _ALT_LABEL:
            if label and label[0] == subject:
                for i, o in values:
                    if o == label[1]:
                        remove.setdefault(i, set()).add(b"%s %s %s .\n" % (subject, predicate, o))
            return
        else:
            return
        if len(objects) < 2:
            return
        for i, o in values:
            if o != keep:
                remove.setdefault(i, set()).add(b"%s %s %s .\n" % (subject, predicate, o))
                if predicate == _LABEL:
                    add.setdefault(i, set()).add(b"%s %s %s .\n" % (subject, _ALT_LABEL, o))

    key, values, label = None, [], []
    for item in _merge_runs(tagged, [int(pick.sum()) for pick in picks], scratch):
        line, index = item[:-12], int(item[-9:-1])  # without " .\x00NNNNNNNN\n"
        s_end = line.index(b" ")
        p_end = line.index(b" ", s_end + 1)
        here = (line[:s_end], line[s_end + 1:p_end])
        if here != key:
            if key is not None:
                decide(*key, values, label)
            key, values = here, []
        values.append((index, line[p_end + 1:]))
    if key is not None:
        decide(*key, values, label)
    # a demoted label that another report gives as its altLabel already, or that equals the label: the
    # disjoint pass and the check below keep one
    for i in sorted(set(remove) | set(add)):
        lines = set(_lines(store._extra[i])) - remove.get(i, set()) | add.get(i, set())
        store._extra[i] = zlib.compress(b"".join(sorted(lines)), 1)
        store._extra_counts[i] = len(lines)
        store._hashes[i] = None


def _fold_lines(blobs: list, counts: list, into: dict, reports: Sequence[int]) -> list[int]:
    """Replace each folded node's IRI (``into``: IRI → the IRI it folds into) by its target's in the
    lines of ``reports`` (indexes) that hold it; gives the indexes of the reports changed."""
    names = {f"<{a}>".encode("utf-8"): f"<{b}>".encode("utf-8") for a, b in into.items()}
    pattern = re.compile(b"|".join(re.escape(k) for k in sorted(names, key=len, reverse=True)))
    changed = []
    for i in reports:
        data = zlib.decompress(blobs[i])
        if not pattern.search(data):
            continue
        changed.append(i)
        lines = sorted(set(pattern.sub(lambda m: names[m.group(0)], data).splitlines(keepends=True)))
        blobs[i] = zlib.compress(b"".join(lines), 1)
        counts[i] = len(lines)
    return changed


# an rdf:type line with a gwr: class (the search starts from the literal text: fast on whole blobs)
_TYPE_GWR = re.compile(rb"> <http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type> <https://w3id\.org/gwr/ontology#([^>]+)> \.\n")


def _line_hashes(lines: Sequence[bytes]):
    """Each line's 64-bit hash (an int64 array), the same in every process (Python's hash of bytes is
    salted per process, so the workers' could not be used here): CRC-32 and Adler-32 side by side.
    :func:`_make_disjoint` finds candidate duplicates by them and compares those as bytes, so a
    collision costs a comparison, never a line."""
    import numpy

    n = len(lines)
    crc = numpy.fromiter(map(zlib.crc32, lines), dtype=numpy.uint32, count=n).astype(numpy.uint64)
    adler = numpy.fromiter(map(zlib.adler32, lines), dtype=numpy.uint32, count=n).astype(numpy.uint64)
    return ((crc << numpy.uint64(32)) | adler).view(numpy.int64)


def _make_disjoint(store: ReportStore) -> None:
    """A line several reports hold stays in the first's only (each report's two line sets taken as
    one); the classes counted on the way (rdf:type lines with a gwr: class).

    The lines several reports hold are found by their hashes (:func:`_line_hashes`, made by
    :func:`map_one` in the extraction workers; made here again only for the reports whose lines the
    fold or the functional merge changed): all the reports' hashes go into one array (8 bytes a
    line), sorted in place; the hashes seen more than once are the candidates, and only the candidate
    lines are compared as bytes. Most lines name a node minted with their report's district and occur
    once, so a report's lines are read once, in the second pass, where a merge of all the reports'
    lines compared each in Python. zlib lets go of the GIL: a thread decompresses the next reports
    while this one reads them (:class:`_ZlibThread`). The reports keep their two sets of lines and
    the lines they give up (:class:`_Joined`): they are joined when read."""
    import numpy

    count = len(store._blobs)

    def joined(pair: tuple) -> list[bytes]:  # unsorted: sorted once, at the end
        rest, extra = pair
        return _split(rest) + _split(extra)

    def decompressed(i: int) -> tuple:
        return zlib.decompress(store._blobs[i]), zlib.decompress(store._extra[i])

    changed = [i for i, hashes in enumerate(store._hashes) if hashes is None]
    with _ZlibThread() as thread:
        for i, pair in zip(changed, thread.ahead(decompressed, changed)):
            store._hashes[i] = _line_hashes(joined(pair))
    every = numpy.concatenate(store._hashes) if count else numpy.empty(0, dtype=numpy.int64)
    every.sort()
    shared = numpy.unique(every[1:][every[1:] == every[:-1]])
    del every
    first: dict[bytes, int] = {}  # a candidate line → the first report holding it
    classes: Counter = Counter()
    with _ZlibThread() as thread:
        for i, (rest, extra) in enumerate(thread.ahead(decompressed, range(count))):
            candidates = numpy.flatnonzero(numpy.isin(store._hashes[i], shared)).tolist() if shared.size else ()
            store._hashes[i] = None
            lines = joined((rest, extra)) if candidates else ()
            held = [k for k in candidates if first.setdefault(lines[k], i) != i]
            classes.update(m.decode("utf-8") for m in _TYPE_GWR.findall(rest))
            classes.subtract(m.decode("utf-8") for m in _TYPE_GWR.findall(b"".join(lines[k] for k in held)))
            store._blobs[i] = _Joined(store._blobs[i], store._extra[i], array("I", held))
            store._counts[i] += store._extra_counts[i] - len(held)
    store._extra = store._extra_counts = store._hashes = None
    store.classes = dict(sorted(((k, n) for k, n in classes.items() if n), key=lambda kv: (-kv[1], kv[0])))


class _Joined(NamedTuple):
    """A report's lines as :func:`_make_disjoint` leaves them: its two sets of sorted lines (the
    FUNCTIONAL ones apart, each compressed) without the lines an earlier report holds (``held``: their
    places in the two sets' lines one after the other, ascending, 4 bytes each). Joined when read
    (:func:`_lines`), not there: joining, sorting and compressing every report again took the graph
    stage longer than all the rest of it."""

    rest: bytes
    extra: bytes
    held: array

    def lines(self) -> list[bytes]:
        lines = _split(zlib.decompress(self.rest))
        lines += _split(zlib.decompress(self.extra))
        for k in reversed(self.held):
            del lines[k]
        lines.sort()  # two sorted runs: merged in one pass
        return lines


class _ZlibThread:
    """Threads for work that lets go of the GIL (zlib), beside this one: ``ahead(func, items)`` gives
    ``func(item)`` in order, computed a few items ahead (few: the items in flight are whole reports'
    lines). One thread by default; two overlap one item's zlib with another's Python."""

    WINDOW = 4

    def __init__(self, threads: int = 1):
        self.threads = threads

    def __enter__(self):
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="kg-zlib")
        return self

    def ahead(self, func, items) -> Iterator:
        pending: deque = deque()
        for item in items:
            pending.append(self._pool.submit(func, item))
            if len(pending) > self.WINDOW:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def __exit__(self, *exc) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _lines(blob: "bytes | _Joined") -> list[bytes]:
    """A report's sorted lines, from its compressed lines or as :class:`_Joined` keeps them."""
    return blob.lines() if isinstance(blob, _Joined) else _split(zlib.decompress(blob))


def _split(data: bytes) -> list[bytes]:
    """N-Triples lines, each with its line break."""
    return data.splitlines(keepends=True) if data else []


def _sorted_batch(source, indexes: range) -> list[bytes]:
    """The lines of ``source(i)`` for each ``i``, sorted. Two threads read the reports (``source``
    decompresses, which lets go of the GIL, then splits, which does not): one decompresses while
    the other splits."""
    lines: list[bytes] = []
    with _ZlibThread(threads=2) as thread:
        for part in thread.ahead(source, indexes):
            lines += part
    lines.sort()
    return lines


#: Lines in each list that :func:`_merged_blocks` gives from the merge of run files.
BLOCK_LINES = 65_536


def _merge_runs(source, counts: Sequence[int], scratch: Optional[Path]) -> Iterator[bytes]:
    """The lines of :func:`_merged_blocks`, one at a time."""
    return chain.from_iterable(_merged_blocks(source, counts, scratch))


def _merged_blocks(source, counts: Sequence[int], scratch: Optional[Path]) -> Iterator[list[bytes]]:
    """``source(i)`` (sorted byte lines, ``counts[i]`` of them) for each ``i``, merged, given as lists
    of lines whose concatenation is the merged sequence: all at once in memory up to
    :data:`MERGE_LINES` lines (one list), else in batches of about that many lines into sorted run
    files in ``scratch`` (a temporary folder), merged at the end (lists of :data:`BLOCK_LINES`).

    The lines of a batch are merged by one ``list.sort``: Timsort merges the sorted runs it finds in C,
    several times faster than ``heapq.merge`` comparing in Python (which only merges the run files)."""
    batches = _batches(counts, MERGE_LINES)
    if len(batches) <= 1:
        yield _sorted_batch(source, batches[0] if batches else range(0))
        return
    folder = Path(tempfile.mkdtemp(prefix=".merge-", dir=scratch))
    runs = []
    try:
        for batch in batches:
            path = folder / f"run-{batch.start:08d}"
            with open(path, "wb") as fh:
                fh.writelines(_sorted_batch(source, batch))
            runs.append(path)
        files = [open(path, "rb", buffering=1 << 16) for path in runs]
        try:
            merged = heapq.merge(*files)
            while block := list(islice(merged, BLOCK_LINES)):
                yield block
        finally:
            for fh in files:
                fh.close()
    finally:
        for path in runs:
            path.unlink(missing_ok=True)
        os.rmdir(folder)


def _batches(counts: Sequence[int], budget: int) -> list[range]:
    """Consecutive indexes of ``counts`` grouped so that each group's sum stays within ``budget`` (a
    group of one may exceed it)."""
    groups, start, held = [], 0, 0
    for i, count in enumerate(counts):
        if i > start and held + count > budget:
            groups.append(range(start, i))
            start, held = i, 0
        held += count
    if counts:
        groups.append(range(start, len(counts)))
    return groups


def as_store(graph, extractions: Sequence = ()) -> ReportStore:
    """What the writers read: a ReportStore as it is; an rdflib graph of ``kg.rdf.build_graph`` (its
    ``parts``); a plain rdflib graph as the triples of one report (the extractions' first, or none)."""
    if isinstance(graph, ReportStore):
        return graph
    parts = getattr(graph, "parts", None)
    if parts is not None:
        return ReportStore([(ex, part) for ex, part in parts], getattr(graph, "merges", ()))
    if extractions:
        return build_store(extractions)
    return ReportStore([(None, graph)])


# rdflib-style reading, for the views ------------------------------------------------------------
def _to_rdflib(term, cache: dict):
    found = cache.get(term)
    if found is not None:
        return found
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        out = URIRef(term.value)
    elif isinstance(term, ox.Literal):
        dt = term.datatype.value
        if term.language:
            out = Literal(term.value, lang=term.language)
        elif dt == _XSD_STRING:
            out = Literal(term.value)
        else:
            out = Literal(term.value, datatype=URIRef(dt))
    elif isinstance(term, ox.BlankNode):
        out = BNode(term.value)
    else:
        out = URIRef(str(term))
    cache[term] = out
    return out


def _to_ox(term):
    import pyoxigraph as ox
    from rdflib import BNode, Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return ox.NamedNode(str(term))


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

from pyoxigraph import NamedNode as _NamedNode  # noqa: E402


def _sort_key(triple) -> tuple:
    return tuple((str(t), getattr(t, "language", None) or "", str(getattr(t, "datatype", None) or ""))
                 for t in triple)


class StoreGraph:
    """The read methods of rdflib's ``Graph`` that the views use, over a :class:`ReportStore`'s
    pyoxigraph store (the union of its report graphs): terms come back as rdflib terms, every answer
    in a stable order (sorted), so pages are the same from one build to the next."""

    def __init__(self, store: ReportStore, folder: Optional[Path] = None):
        self.report_store = store
        self._store = store.oxigraph(folder)
        self._len = len(store)
        self._graphs = [store.part_graph(i) for i in range(len(store.reports))]
        self._rank = {name: i for i, name in enumerate(self._graphs)}

    def triples(self, pattern) -> list:
        """The matching triples in report order (the reports by file name, as a build adds them), each
        report's sorted."""
        s, p, o = pattern
        return self._in_order(self._store.quads_for_pattern(_to_ox(s), _to_ox(p), _to_ox(o), None))

    def _in_order(self, quads) -> list:
        """The quads' triples as rdflib terms, in report order, each report's sorted."""
        cache, rank = {}, self._rank
        found = [(rank.get(q.graph_name.value, -1) if isinstance(q.graph_name, _NamedNode) else -1,
                  _to_rdflib(q.subject, cache), _to_rdflib(q.predicate, cache), _to_rdflib(q.object, cache))
                 for q in quads]
        if len(found) > 1:
            found.sort(key=lambda f: (f[0], _sort_key(f[1:])))
        return [f[1:] for f in found]

    def __iter__(self):
        """Every triple, in :meth:`triples`' order, read one report graph at a time (never all at once)."""
        for name in self._graphs:
            cache: dict = {}  # a report's terms (a cache of the whole graph's would grow with it)
            found = [(_to_rdflib(q.subject, cache), _to_rdflib(q.predicate, cache), _to_rdflib(q.object, cache))
                     for q in self._store.quads_for_pattern(None, None, None, _NamedNode(name))]
            found.sort(key=_sort_key)
            yield from found

    def __len__(self) -> int:
        return self._len

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        for _ in self._store.quads_for_pattern(_to_ox(s), _to_ox(p), _to_ox(o), None):
            return True
        return False

    def subjects(self, predicate=None, object=None, unique: bool = False):
        return list(dict.fromkeys(s for s, _, _ in self.triples((None, predicate, object))))

    def objects(self, subject=None, predicate=None, unique: bool = False):
        found = [o for _, _, o in self.triples((subject, predicate, None))]
        return list(dict.fromkeys(found)) if unique else found

    def subject_objects(self, predicate=None, unique: bool = False):
        return [(s, o) for s, _, o in self.triples((None, predicate, None))]

    def predicate_objects(self, subject=None, unique: bool = False):
        return [(p, o) for _, p, o in self.triples((subject, None, None))]

    def subject_predicates(self, object=None, unique: bool = False):
        return [(s, p) for s, p, _ in self.triples((None, None, object))]

    def value(self, subject=None, predicate=None, object=None, default=None, any: bool = True):
        if subject is None:
            found = self.triples((None, predicate, object))
            return found[0][0] if found else default
        found = self.triples((subject, predicate, None))
        return found[0][2] if found else default

    def query(self, sparql: str, initNs=None) -> list:
        """A SELECT query's rows as tuples of rdflib terms (None where unbound), in its variables'
        order: in the query's ORDER BY, else sorted."""
        import pyoxigraph as ox

        if initNs:
            sparql = "".join(f"PREFIX {k}: <{v}>\n" for k, v in initNs.items()) + sparql
        cache: dict = {}
        result = self._store.query(sparql, use_default_graph_as_union=True)
        if not isinstance(result, ox.QuerySolutions):
            raise ValueError("only SELECT queries are read as rows here")
        names = [v.value for v in result.variables]
        rows = [tuple(None if (t := row[n]) is None else _to_rdflib(t, cache) for n in names) for row in result]
        if "ORDER BY" not in sparql.upper():
            rows.sort(key=lambda row: tuple(("", "", "") if t is None else _sort_key((t,))[0] for t in row))
        return rows



class IndexedGraph(StoreGraph):
    """A :class:`StoreGraph` read into memory once, as rdflib terms indexed by subject, predicate and
    object: the same answers in the same order, without a store query and a term conversion per call
    (the views ask tens of thousands of small questions a district). For graphs of one district
    (:func:`district_slices`); SPARQL still goes to the pyoxigraph store."""

    def __init__(self, store: ReportStore, folder: Optional[Path] = None):
        super().__init__(store, folder)
        self._all = self._in_order(self._store)
        self._by: dict[tuple, dict] = {}  # bound positions → their terms → the triples, in order

    def _index(self, positions: tuple) -> dict:
        """The index of the patterns that bind ``positions`` (made on first use)."""
        index = self._by.get(positions)
        if index is None:
            index = self._by[positions] = {}
            if len(positions) == 1:
                i = positions[0]
                for triple in self._all:
                    index.setdefault(triple[i], []).append(triple)
            else:
                i, j = positions
                for triple in self._all:
                    index.setdefault((triple[i], triple[j]), []).append(triple)
        return index

    def triples(self, pattern) -> list:
        positions = tuple(i for i, t in enumerate(pattern) if t is not None)
        if not positions:
            return list(self._all)
        if len(positions) == 3:
            return [t for t in self._index((0, 1)).get(pattern[:2], ()) if t[2] == pattern[2]]
        key = pattern[positions[0]] if len(positions) == 1 else (pattern[positions[0]], pattern[positions[1]])
        return list(self._index(positions).get(key, ()))

    def __iter__(self):
        return iter(list(self._all))

    def __contains__(self, triple) -> bool:
        return bool(self.triples(triple))


# the graph district by district, for the views -------------------------------------------------
_ABOUT = b" <https://w3id.org/gwr/ontology#about> <"
_DATA_IRI = re.compile(rb"<(" + re.escape(DATA.encode("utf-8")) + rb"[^>\s]*)>")  # a minted node
_STATEMENT = f"{DATA}stmt/".encode("utf-8")  # kg.rdf.ReportMapper.statement: minted with its report


@dataclass
class Slice:
    """A part of the graph that district pages are drawn from (:func:`district_slices`).

    ``graph``: a :class:`StoreGraph` of the slice's reports and their context; ``districts``: the
    districts whose pages it draws (None: every district in it); ``own``: the N-Triples lines of the
    slice's reports (the triples it counts as its own, each in exactly one slice), None when the slice
    is the whole graph."""

    graph: "StoreGraph"
    districts: Optional[list[str]] = None
    own: Optional[frozenset] = None


def district_slices(store: ReportStore, whole=None) -> Iterator[Slice]:
    """The graph as one :class:`Slice` per district: the triples of the district's reports and their
    context — every triple, held by another report, about a node those triples name (a shared award's
    or indicator's label and type, the city's province), and so on for the nodes that context names —
    so each slice costs what its district's reports hold, however large the corpus.

    The context comes from the report lines (:func:`_shared_subjects`): only a node named by a district
    that does not hold it, or held by several districts, can have triples there that another district
    needs, and those nodes' lines are few, whatever the corpus. (It came from lookups in a pyoxigraph
    store of the whole graph, on disk above :data:`ON_DISK_ABOVE` triples: loading 18 million triples
    and looking up each node a district names cost 30 ms and 50 ms a report at 1,000 reports, and more
    at 10,000.) A store whose parts are not one report each (a plain graph) is one slice of everything:
    ``whole``, a :class:`StoreGraph` of ``store`` or a function making one (default ``store.graph()``)."""
    import pyoxigraph as ox

    by_district: dict[str, list[int]] = {}
    for i in range(len(store.reports)):
        about = {line[line.index(_ABOUT) + len(_ABOUT):line.rindex(b">")] for line in store.report_lines(i)
                 if _ABOUT in line}
        if len(about) != 1 or store.reports[i] is None:
            if whole is None:
                whole = store.graph()
            yield Slice(whole() if callable(whole) else whole)
            return
        by_district.setdefault(about.pop().decode("utf-8"), []).append(i)
    shared = _shared_subjects(store, by_district)
    for district in sorted(by_district):
        indexes = by_district[district]
        own = [line for i in indexes for line in store.report_lines(i)]
        part = ReportStore([])
        part.reports = [store.reports[i] for i in indexes] + [None]
        part._blobs = [store._blobs[i] for i in indexes] + [zlib.compress(b"")]  # the context: below
        part._counts = [store._counts[i] for i in indexes]
        target = ox.Store()
        for chunk in part._nquad_chunks():
            if chunk:
                target.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)
        context = ox.NamedNode(part.part_graph(len(part.reports) - 1))
        held = {(q.subject, q.predicate, q.object) for q in target}
        # the nodes named (a statement's triples are all its report's: its IRI is minted with the report)
        todo = sorted({m.group(1) for line in own for m in _DATA_IRI.finditer(line)})
        seen: set = set()
        added = 0
        while todo:  # the nodes named, then the nodes their context names (a city's province)
            found = []
            for iri in todo:
                seen.add(iri)
                if iri.startswith(_STATEMENT):
                    continue
                for triple in shared.triples(iri):
                    if triple not in held:
                        held.add(triple)
                        target.add(ox.Quad(*triple, context))
                        added += 1
                        obj = triple[2]
                        if isinstance(obj, ox.NamedNode) and obj.value.startswith(DATA):
                            found.append(obj.value.encode("utf-8"))
            todo = sorted(set(found) - seen)
        part._counts.append(added)
        part._oxigraph = target
        yield Slice(IndexedGraph(part), [district], frozenset(own))


def _subject(line: bytes) -> bytes:
    """The subject of an N-Triples line, without its brackets (a blank node's label as it is)."""
    return line[1:line.index(b">")] if line.startswith(b"<") else line[:line.index(b" ")]


class _SharedSubjects:
    """The triples of the nodes whose triples a district may need from other districts' reports, by
    subject IRI (bytes), read from a pyoxigraph store of their lines: terms as a store gives them back
    (it writes some literals anew: "7.0"^^xsd:decimal is 7), so that they compare equal to a slice's."""

    def __init__(self, lines: dict):
        import pyoxigraph as ox

        self._subjects = frozenset(lines)
        self._store = ox.Store()
        data = b"".join(line for found in lines.values() for line in found)
        if data:
            self._store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)

    def __len__(self) -> int:
        return len(self._subjects)

    def triples(self, iri: bytes) -> list:
        import pyoxigraph as ox

        if iri not in self._subjects:
            return []
        return [(q.subject, q.predicate, q.object)
                for q in self._store.quads_for_pattern(ox.NamedNode(iri.decode("utf-8")), None, None, None)]


def _shared_subjects(store: ReportStore, by_district: dict) -> _SharedSubjects:
    """The lines of every node a district can need triples of from another district's reports (what
    :func:`district_slices` adds to a slice as context): a district D's slice holds D's reports' triples,
    so a node's triples held outside D matter to D only if D names the node and another district holds
    triples about it — then either D does not hold the node (it is named by a district that holds none of
    its triples), or D holds some of its triples too (several districts hold it) — or if the context D
    takes names it (a city's province): the closure of those nodes under the objects of their triples.

    Reads of the reports' lines, memory bounded by the shared nodes (and, while the second read runs, a
    set of the hashes of every subject: about 60 bytes each, 100 MB at 10,000 reports): 1. per report,
    the data nodes it names but holds no triple of; 2. per district, the subjects it holds, those also
    held by an earlier district (by hash: a collision only adds a node, never drops one); 3. the lines of
    those nodes, then one more read per round for the data nodes their lines name, until none is new
    (a blank node is never looked up: only the data nodes a slice names are)."""
    wanted: set = set()  # subject IRIs (bytes)
    for i in range(len(store.reports)):
        lines = store.report_lines(i)
        subjects = {_subject(line) for line in lines}
        wanted.update(m.group(1) for line in lines for m in _DATA_IRI.finditer(line)
                      if m.group(1) not in subjects and not m.group(1).startswith(_STATEMENT))
    held_before: set = set()  # hashes of the subjects of the districts read so far
    multi: set = set()  # hashes of the subjects held by several districts
    for district in sorted(by_district):
        subjects = {hash(_subject(line)) for i in by_district[district] for line in store.report_lines(i)}
        multi.update(subjects & held_before)
        held_before |= subjects
    del held_before
    lines_of: dict = {}
    new = set(wanted)
    while new or multi:
        for i in range(len(store.reports)):
            for line in store.report_lines(i):
                subject = _subject(line)
                if subject in new or (multi and hash(subject) in multi):
                    lines_of.setdefault(subject, []).append(line)
        multi = set()
        named = {m.group(1) for found in lines_of.values() for line in found
                 for m in _DATA_IRI.finditer(_object(line))}
        wanted |= new
        new = {iri for iri in named if iri not in wanted and iri not in lines_of
               and not iri.startswith(_STATEMENT)}
    return _SharedSubjects(lines_of)


def _object(line: bytes) -> bytes:
    """The object of an N-Triples line whose subject is an IRI (after its subject and predicate IRIs)."""
    start = line.index(b"> ", line.index(b"> ") + 2) + 2
    return line[start:]
