"""The pipeline, stage by stage. Each stage is a plain function; :func:`kg.build.build` runs them.

1. read        ``Path -> Document``            kg.readers (one reader per format, by suffix)
2. normalize   ``str -> str``                  kg.normalize (inside the readers: NFKC, markup, OCR)
3. segment     ``Document -> spacy Doc``       kg.nlp (jieba tokens, sentences, review/plan sections,
                                               trigger matcher)
4. extract     ``Doc -> Extraction``           kg.extract.* (meta, then every registered extractor)
5. resolve     ``[Extraction] -> Entities``    kg.resolve (one node per real thing within a report)
6. map         ``Extractions -> rdflib.Graph`` kg.rdf (contract names, provenance statements)
7. validate    ``Graph -> report``             kg.validate (SHACL shapes in ontology/)
8. write       ``Graph -> files``              kg.exporters (Turtle …), kg.views (pyvis HTML)
"""

from __future__ import annotations

from typing import Iterable, Optional

from kg.extract.base import Context
from kg.extract.meta import extract_meta
from kg.model import Document, Extraction
from kg.registry import EXTRACTORS

DEFAULT_EXTRACTORS = ("indicators", "projects", "investments", "awards")


def segment(document: Document):
    """Run the spaCy pipeline over a document's normalized text."""
    from kg.nlp import get_nlp

    return get_nlp()(document.text)


def extract(document: Document, extractors: Optional[Iterable[str]] = None) -> Extraction:
    """All facts of one report: meta first (it gives the years), then each extractor in turn."""
    doc = segment(document)
    meta = extract_meta(document.text, doc._.gwr_review_year, doc._.gwr_plan_year)
    context = Context(meta)
    result = Extraction(document=document, meta=meta, warnings=list(document.warnings))
    if not meta.district:
        result.warnings.append(f"{document.path}: no district found (title block or 我代表…人民政府)")
    if not doc._.gwr_review_year and not doc._.gwr_plan_year:
        result.warnings.append(f"{document.path}: no review/plan headings found; years taken from the date")
    for name in extractors or DEFAULT_EXTRACTORS:
        extractor = EXTRACTORS.get(name)()
        getattr(result, extractor.name).extend(extractor.extract(doc, context))  # Extraction.<name>
    return result
