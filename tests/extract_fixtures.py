"""Helpers for the extractor tests: run one extractor over a small report written for the test.

Sentences in these tests are written for them (not copied from the seed reports); each report gets a
title block and the two numbered parts so that the section component assigns review/plan years.
"""

from __future__ import annotations

import hashlib

from kg.model import Document
from kg.normalize import normalize

HEAD = "政府工作报告\n——2025年1月8日在青山市临河区第三届人民代表大会第五次会议上\n临河区人民政府区长 周明\n各位代表：\n"


def report(review: str = "", plan: str = "", head: str = HEAD) -> str:
    return f"{head}一、2024年工作回顾\n{review}\n二、2025年工作安排\n{plan}\n"


def document(text: str, name: str = "test") -> Document:
    norm = normalize(text)
    return Document(path=f"{name}.txt", name=name, text=norm, raw_sha256=hashlib.sha256(text.encode()).hexdigest())


def run(relation: str, text: str):
    """(facts, meta) of one relation's extractor over a normalized report text."""
    from kg.nlp import get_nlp

    doc = get_nlp((relation,))(normalize(text))
    return doc._.gwr_facts[relation], doc._.gwr_meta


def project_extraction(name, district, year, projects):
    """An extraction of projects alone, as if read from report ``name``: ``projects`` are
    (name, status, year) triples; for the cross-report merge and store tests."""
    from kg.model import Document, Evidence, Extraction, Meta, ProjectMention

    doc = Document(path=f"{name}.txt", name=name, text="", raw_sha256=name)
    meta = Meta(district=district, city="某市", province="某省", review_year=year - 1, plan_year=year)
    facts = [ProjectMention(p, p, status, y, True, Evidence(f"{p}…", 0, 3)) for p, status, y in projects]
    return Extraction(document=doc, meta=meta, facts={"projects": facts})
