"""The pipeline, stage by stage. Each stage is a plain function; :func:`kg.build.build` runs them.

1. read        ``Path -> Document``            kg.readers (one reader per format, by suffix)
2. normalize   ``str -> str``                  kg.normalize (inside the readers: NFKC, markup, OCR)
3. segment     ``Document -> spacy Doc``       kg.nlp (jieba tokens, sentences, review/plan sections,
                                               trigger matcher)
4. extract     ``Doc -> Extraction``           spaCy components in kg.nlp: meta, then one per registered
                                               relation (kg.relation; built-ins in kg.relations)
5. resolve     ``Extraction -> Entities``      kg.resolve (one node per real thing within a report)
6. map         ``Extraction -> rdflib.Graph``  kg.rdf (one graph per report; each relation maps its facts)
7. merge       ``[Graph] -> MergedGraph``      kg.rdf.build_graph (disjoint report graphs, their union)
8. write       ``MergedGraph -> files``        kg.exporters (Turtle, TriG …), kg.views (pyvis HTML)

``kg validate`` (kg.validate, SHACL shapes) checks a written graph; ``kg build`` does not run it.
"""

from __future__ import annotations

from typing import Iterable, Optional

from kg.model import Document, Extraction


def segment(document: Document, relations: Optional[tuple[str, ...]] = None):
    """Run the spaCy pipeline over a document's normalized text (extraction included)."""
    from kg.nlp import get_nlp

    return get_nlp(relations)(document.text)


def extract(document: Document, relations: Optional[Iterable[str]] = None) -> Extraction:
    """All facts of one report: meta, then each registered relation's facts (or only ``relations``)."""
    doc = segment(document, tuple(relations) if relations is not None else None)
    meta = doc._.gwr_meta
    result = Extraction(document=document, meta=meta, facts=dict(doc._.gwr_facts), warnings=list(document.warnings))
    if not meta.district:
        result.warnings.append(f"{document.path}: no district found (title block or 我代表…人民政府)")
    if not doc._.gwr_review_year and not doc._.gwr_plan_year:
        result.warnings.append(f"{document.path}: no review/plan headings found; years taken from the date")
    return result
