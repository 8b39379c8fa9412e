"""Helpers for the extractor tests: run one extractor over a small report written for the test.

Sentences in these tests are written for them (not copied from the seed reports); each report gets a
title block and the two numbered parts so that the section component assigns review/plan years.
"""

from __future__ import annotations

import hashlib

from kg.extract.base import Context
from kg.extract.meta import extract_meta
from kg.model import Document
from kg.normalize import normalize
from kg.registry import EXTRACTORS

HEAD = "政府工作报告\n——2025年1月8日在青山市临河区第三届人民代表大会第五次会议上\n临河区人民政府区长 周明\n各位代表：\n"


def report(review: str = "", plan: str = "", head: str = HEAD) -> str:
    return f"{head}一、2024年工作回顾\n{review}\n二、2025年工作安排\n{plan}\n"


def document(text: str, name: str = "test") -> Document:
    norm = normalize(text)
    return Document(path=f"{name}.txt", name=name, text=norm, raw_sha256=hashlib.sha256(text.encode()).hexdigest())


def run(extractor: str, text: str):
    """(facts, meta) of one extractor over a normalized report text."""
    from kg.nlp import get_nlp

    doc = get_nlp()(normalize(text))
    meta = extract_meta(doc.text, doc._.gwr_review_year, doc._.gwr_plan_year)
    return EXTRACTORS.get(extractor)().extract(doc, Context(meta)), meta
