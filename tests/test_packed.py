"""What ``kg build`` keeps of each report between extraction and the end: the Extraction packed
(kg.model.PackedExtraction, a compressed pickle) beside its head, in a kg.model.Reports sequence."""

from __future__ import annotations

import pickle
import tracemalloc

import pytest

from kg.build import extract_file
from kg.model import Extraction, PackedExtraction, ReportHead, Reports

from conftest import SEEDS


@pytest.fixture(scope="module")
def seeds() -> list[Extraction]:
    return [extract_file(p) for p in sorted(SEEDS.glob("*.txt"))]


def test_a_packed_extraction_unpacks_to_an_equal_one_and_its_head_answers_without_the_text(seeds):
    for ex in seeds:
        packed = PackedExtraction.pack(ex)
        assert packed.unpack() == ex
        head = packed.head
        assert isinstance(head, ReportHead) and head.document.text == "" and ex.document.text
        assert (head.document.name, head.document.path, head.document.raw_sha256) == \
            (ex.document.name, ex.document.path, ex.document.raw_sha256)
        assert head.meta == ex.meta and list(head.warnings) == ex.warnings and head.counts() == ex.counts()
        assert packed.document is head.document and packed.meta is head.meta


def test_reports_reads_like_a_list_of_extractions(seeds):
    reports = Reports(seeds)
    assert len(reports) == len(seeds) and reports == seeds and list(reports) == seeds
    assert reports[0] == seeds[0] and reports[-1] == seeds[-1] and reports[1:3] == seeds[1:3]
    assert list(reversed(reports)) == list(reversed(seeds))
    assert sorted(reports, key=lambda ex: ex.document.name) == sorted(seeds, key=lambda ex: ex.document.name)
    assert [h.document.name for h in reports.heads] == [ex.document.name for ex in seeds]
    assert pickle.loads(pickle.dumps(reports)) == reports
    assert Reports(reports.packed) == reports  # packed items are kept as they are
    assert reports != seeds[:-1] and Reports() == [] and not Reports()
    with pytest.raises(IndexError):
        reports[len(seeds)]


def test_reports_hold_a_fraction_of_the_memory_of_the_extractions(seeds):
    def held(make) -> int:
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            kept = make()
            size = tracemalloc.get_traced_memory()[0] - before
            del kept
            return size
        finally:
            tracemalloc.stop()

    def objects():  # a fresh copy of the extractions, made while traced
        return [pickle.loads(data) for data in [pickle.dumps(ex) for ex in seeds]]

    packed = [pickle.dumps(Reports(seeds))]
    assert held(lambda: pickle.loads(packed[0])) * 3 < held(objects)


def test_a_build_keeps_the_reports_packed_and_gives_back_every_fact(seed_build):
    assert isinstance(seed_build.reports, Reports)
    for ex in seed_build.reports:
        assert ex == extract_file(SEEDS / f"{ex.document.name}.txt")
    assert seed_build.formats() == {"text utf-8": 5}
    assert seed_build.listing().splitlines()[0].endswith(
        ", ".join(f"{k} {v}" for k, v in seed_build.reports[0].counts().items()))


def test_the_store_keeps_heads_of_packed_reports_and_the_same_lines(seeds):
    from kg.store import build_store

    plain, packed = build_store(seeds), build_store(Reports(seeds))
    assert all(isinstance(h, ReportHead) for h in packed.reports)
    assert [h.document.name for h in packed.reports] == [ex.document.name for ex in plain.reports]
    assert [packed.report_lines(i) for i in range(len(seeds))] == [plain.report_lines(i) for i in range(len(seeds))]
    assert packed.classes == plain.classes
