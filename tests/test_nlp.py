"""The spaCy pipeline: jieba tokens, sentences with offsets, review/plan sections, trigger spans."""

from __future__ import annotations

from kg.nlp import SECTION_GLOSSARY, SECTION_PLAN, SECTION_REVIEW, sentences_with

TEXT = (
    "各位代表：\n"
    "一、2025年工作回顾\n"
    "青山科技获评省级“绿色工厂”。全年地区生产总值增长5.1%！\n"
    "二、2026年主要任务\n"
    "开工建设滨江路二期，总投资3.2亿元；办好民生实事。\n"
    "名词解释\n"
    "1.“三个一批”：签约一批、开工一批、投产一批。\n"
)


def test_sentences_have_offsets_into_the_text(nlp):
    doc = nlp(TEXT)
    for sentence in doc._.gwr_sentences:
        assert TEXT[sentence.start:sentence.end] == sentence.text
    texts = [s.text for s in doc._.gwr_sentences]
    assert "青山科技获评省级“绿色工厂”。" in texts
    assert "全年地区生产总值增长5.1%！" in texts
    assert "开工建设滨江路二期，总投资3.2亿元；" in texts


def test_sections_and_years_come_from_the_headings(nlp):
    doc = nlp(TEXT)
    section = {s.text: s.section for s in doc._.gwr_sentences}
    assert section["青山科技获评省级“绿色工厂”。"] == SECTION_REVIEW
    assert section["开工建设滨江路二期，总投资3.2亿元；"] == SECTION_PLAN
    assert section["1.“三个一批”：签约一批、开工一批、投产一批。"] == SECTION_GLOSSARY
    assert (doc._.gwr_review_year, doc._.gwr_plan_year) == (2025, 2026)


def test_trigger_matcher_selects_the_sentences_extractors_read(nlp):
    doc = nlp(TEXT)
    assert [s.text for s in sentences_with(doc, "AWARD")] == ["青山科技获评省级“绿色工厂”。"]
    assert "开工建设滨江路二期，总投资3.2亿元；" in [s.text for s in sentences_with(doc, "BUILD")]
    assert "办好民生实事。" not in [s.text for s in sentences_with(doc, "BUILD")]
    assert [s.text for s in sentences_with(doc, "MONEY")] == ["开工建设滨江路二期，总投资3.2亿元；"]


def test_trigger_lists_cover_every_verb_the_extractors_match():
    """The Matcher picks the sentences extractors read; a verb an extractor's pattern knows but the
    trigger list lacks would silently never be seen."""
    import re

    from kg.extract import projects
    from kg.nlp import trigger_words

    words = trigger_words()

    def covered(word: str, label: str) -> bool:
        return any(t in word for t in words[label])

    build_verbs = re.findall(r"[\u4e00-\u9fff]+", projects._rules().build_verb.pattern)  # as written (rules() may guard it)
    assert build_verbs and all(covered(v, "BUILD") for v in build_verbs), \
        [v for v in build_verbs if not covered(v, "BUILD")]
    from kg.extract import awards

    optional = re.compile(r"\(\?:[\u4e00-\u9fff]+\)\?")  # (?:顺利)?通过: the modifier is not the trigger
    award_words = re.findall(r"[\u4e00-\u9fff]{2,}", optional.sub("", awards._rules().trigger.pattern))
    assert award_words and all(covered(w, "AWARD") for w in award_words), \
        [w for w in award_words if not covered(w, "AWARD")]


def test_trigger_matcher_tags_whole_tokens_never_characters_inside_other_words(nlp):
    """建 is a BUILD trigger, 元 a MONEY one, 获 an AWARD one: inside 建议, 元旦 and 收获 they are not."""
    doc = nlp("代表们提出建议。元旦期间游客增加。今年秋粮喜获丰收，收获颇丰。")
    tagged = {span.text for span in doc.spans["gwr_triggers"]}
    assert not tagged & {"建议", "元旦", "收获"}, tagged
    doc = nlp("完成投资7000余万元，建设项目顺利推进。")
    labels = {(span.text, span.label_) for span in doc.spans["gwr_triggers"]}
    assert any(label == "MONEY" and "万元" in text for text, label in labels), labels
    assert any(label == "BUILD" for text, label in labels), labels


def test_extraction_reads_no_lexical_attribute_of_spacy():
    """The pipeline stores new words without spaCy's lexical attributes (kg.nlp._build_nlp): a fresh
    pipeline with spaCy's attribute functions put back finds the same facts in every seed."""
    import spacy

    from kg.lexicon import user_dirs
    from kg.nlp import _build_nlp
    from kg.readers import read_document
    from kg.relation import names

    from conftest import SEEDS

    fresh = _build_nlp.__wrapped__  # two pipelines of their own, each with an empty vocabulary
    plain, with_attributes = (fresh(tuple(names()), user_dirs()) for _ in range(2))
    with_attributes.vocab.lex_attr_getters = spacy.blank("zh").vocab.lex_attr_getters
    assert not plain.vocab.lex_attr_getters and len(with_attributes.vocab.lex_attr_getters) > 10
    for path in sorted(SEEDS.glob("*.txt")):
        text = read_document(path).text
        a, b = plain(text), with_attributes(text)
        assert a._.gwr_facts == b._.gwr_facts and a._.gwr_meta == b._.gwr_meta, path.name
    assert any(t.like_num for t in b) and not any(t.like_num for t in a)  # the attributes did differ
