"""The pipeline, stage by stage. Each stage is a plain function; :func:`kg.build.build` runs them.

1. read        ``Path -> Document``            kg.readers (one reader per format, by suffix)
2. normalize   ``str -> str``                  kg.normalize (inside the readers: NFKC, markup, OCR)
3. segment     ``Document -> spacy Doc``       kg.nlp (jieba tokens, sentences, review/plan sections,
                                               trigger matcher)
4. extract     ``Doc -> Extraction``           spaCy components in kg.nlp: meta, then one per registered
                                               relation (kg.relation; built-ins in kg.relations)
5. resolve     ``Extraction -> Entities``      kg.resolve (one node per real thing within a report)
6. map         ``Extraction -> TripleSet``     kg.rdf (one triple set per report; each relation maps its facts),
                                               stored as sorted lines by kg.store.map_one, in the
                                               extraction workers (kg.build.extract_and_map)
7. merge       ``[TripleSet] -> ReportStore``  kg.store.build_store (disjoint report graphs as sorted
                                               N-Triples lines; kg.rdf.build_graph gives the rdflib union)
8. write       ``ReportStore -> files``        kg.exporters (Turtle, TriG …), kg.views (pyvis HTML)

``kg validate`` (kg.validate, SHACL shapes) checks a written graph; ``kg build`` does not run it.
"""

from __future__ import annotations

from typing import Iterable, Optional

from kg.model import Document, Extraction


class NotAReportError(ValueError):
    """A text in which no district can be found: not a work report, or one that does not name itself."""


def segment(document: Document, relations: Optional[tuple[str, ...]] = None, *, district: Optional[str] = None):
    """Run the spaCy pipeline over a document's normalized text (extraction included)."""
    from kg.nlp import DISTRICT_HINT, get_nlp

    token = DISTRICT_HINT.set(district)
    nlp = get_nlp(relations)
    # spaCy's max_length (1,000,000 characters) guards pipelines with parsers and NER, which need about
    # 1 GB per 100,000 characters; ours only segments and matches, so the readers' size limit bounds it.
    nlp.max_length = max(nlp.max_length, len(document.text) + 1)
    try:
        return nlp(document.text)
    finally:
        DISTRICT_HINT.reset(token)


def extract(document: Document, relations: Optional[Iterable[str]] = None, *,
            district: Optional[str] = None) -> Extraction:
    """All facts of one report: meta, then each registered relation's facts (or only ``relations``).

    ``district`` names the report's district when its text does not (``kg build --district``). A report
    whose district cannot be found raises :class:`NotAReportError`: the file name never stands in for it.
    """
    doc = segment(document, tuple(relations) if relations is not None else None, district=district)
    meta = doc._.gwr_meta
    if not meta.district:
        structure = []
        if "各位代表" not in document.text:
            structure.append("no 各位代表")
        if not any(s.heading for s in doc._.gwr_sentences or ()):
            structure.append("no headings")
        if len(structure) == 2:
            raise NotAReportError("not a work report: no district, " + ", ".join(structure)
                                  + " (name the district with --district if it is one)")
        raise NotAReportError("no district found (no title block, no 我代表…人民政府, no self-naming such as "
                              "全县/XX县委); name it with --district")
    result = Extraction(document=document, meta=meta, facts=dict(doc._.gwr_facts), warnings=list(document.warnings))
    if not doc._.gwr_review_year and not doc._.gwr_plan_year:
        result.warnings.append(f"{document.path}: no review/plan headings found; years taken from the date")
    return result
