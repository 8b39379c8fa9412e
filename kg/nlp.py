"""The spaCy pipeline that carries extraction.

``spacy.blank("zh")`` with the jieba segmenter tokenizes; then these components run:

- ``gwr_sentences`` — sentence boundaries at 。！？； (with closing quotes) and at line breaks;
- ``gwr_sections`` — the report's structure: the review part (past year), the plan part (next year)
  and the rest (a trailing 名词解释 glossary is its own section, which extractors skip), from the
  numbered headings (一、2023年工作回顾 / 二、2024年重点工作安排 …), with the review and plan years
  they name; each sentence gets ``span._.section`` and ``span._.heading``;
- ``gwr_triggers`` — a spaCy ``Matcher`` over jieba tokens marking trigger words (award verbs,
  construction verbs, money units) in ``doc.spans["gwr_triggers"]``; extractors read only the
  sentences holding their kind of trigger (:func:`sentences_with`).

The extractors (:data:`kg.registry.EXTRACTORS`) then read the processed ``Doc``: its sentences with
their sections and character offsets, and the trigger spans.

The pipeline is built once per process (:func:`get_nlp`); jieba's dictionary loads on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

SECTION_REVIEW = "review"
SECTION_PLAN = "plan"
SECTION_PREAMBLE = "preamble"
SECTION_OTHER = "other"
SECTION_GLOSSARY = "glossary"

_SENT_END = "。！？；"
_CLOSERS = "”’）》」』"

_TOP_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3})、(.{0,60})$")
_YEAR = re.compile(r"(20\d\d|19\d\d|二[〇零○O]{1}[一二三四五六七八九〇零○]{2})\s*年")
_REVIEW_CUE = re.compile(r"回顾|过去|总结|主要工作|成绩|成就|五年来|一年来")
_PLAN_CUE = re.compile(r"安排|计划|目标|任务|重点工作|打算|思路|部署|展望|今后|工作建议")
# A trailing glossary (名词解释 / 附件：名词解释 / 注释): explanations, no facts of the report's own.
_GLOSSARY = re.compile(r"^(?:附件\d?[：:]?\s*)?(?:名词解释|名词注释|注释|释义|附：名词解释)[：:]?$")
_SELF_CUE = re.compile(r"自身建设|政府建设|作风建设")
# For reports without numbered headings: a paragraph that opens the plan part.
_PLAN_OPENING = re.compile(
    r"^(?:20\d\d年|今年|明年|新的一年)(?:是|，|的)?.{0,20}?(?:总体要求|预期目标|主要目标|重点工作|工作安排|主要任务)"
)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    section: str
    heading: str


def _register_extensions() -> None:
    if not Doc.has_extension("gwr_sentences"):
        Doc.set_extension("gwr_sentences", default=None)
        Doc.set_extension("gwr_review_year", default=None)
        Doc.set_extension("gwr_plan_year", default=None)
        Span.set_extension("section", default=None)
        Span.set_extension("heading", default=None)


_register_extensions()


def year_value(text: str) -> Optional[int]:
    """2023 from '2023' or '二〇二三'."""
    if text.isdigit():
        return int(text)
    digits = {"〇": "0", "零": "0", "○": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
    try:
        return int("".join(digits[c] for c in text))
    except KeyError:
        return None


def sentence_starts(words: list[str]) -> list[bool]:
    """Sentence starts for a token sequence: after 。！？； (and any closing quote) and after line breaks."""
    flags = []
    for i, word in enumerate(words):
        if i == 0:
            flags.append(True)
            continue
        prev = words[i - 1]
        if "\n" in prev or prev.isspace():
            flags.append(True)
        elif prev and prev[-1] in _SENT_END and word[:1] not in _CLOSERS:
            flags.append(True)
        elif prev and prev[-1] in _CLOSERS and i >= 2 and words[i - 2][-1:] in _SENT_END:
            flags.append(True)
        else:
            flags.append(False)
    return flags


@Language.component("gwr_sentences")
def gwr_sentences(doc: Doc) -> Doc:
    """Sentence boundaries (see :func:`sentence_starts`).

    The flags are given to a new Doc in one go: setting ``token.is_sent_start`` token by token makes
    spaCy rescan the document each time, which made this step quadratic in the report's length.
    """
    words = [t.text for t in doc]
    return Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc], sent_starts=sentence_starts(words))


def _classify_heading(title: str) -> str:
    if _SELF_CUE.search(title):
        return SECTION_OTHER
    if _REVIEW_CUE.search(title):
        return SECTION_REVIEW
    if _PLAN_CUE.search(title):
        return SECTION_PLAN
    return SECTION_OTHER


@Language.component("gwr_sections")
def gwr_sections(doc: Doc) -> Doc:
    """Mark each sentence with the report part it belongs to and find the review and plan years."""
    section, heading = SECTION_PREAMBLE, ""
    review_year = plan_year = None
    saw_heading = False
    sentences: list[Sentence] = []
    for sent in doc.sents:
        text = sent.text.strip()
        if not text:
            continue
        m = _TOP_HEADING.match(text)
        if section == SECTION_GLOSSARY or _GLOSSARY.match(text):
            section, heading = SECTION_GLOSSARY, text if _GLOSSARY.match(text) else heading
        elif m and not any(p in text[:-1] for p in "。；"):
            saw_heading = True
            heading = text
            section = _classify_heading(m.group(2))
            ym = _YEAR.search(m.group(2))
            year = year_value(ym.group(1)) if ym else None
            if section == SECTION_REVIEW and year and review_year is None:
                review_year = year
            elif section == SECTION_PLAN and year and plan_year is None:
                plan_year = year
            elif section == SECTION_OTHER and year and review_year is not None and year > review_year:
                section = SECTION_PLAN
                plan_year = plan_year or year
        elif not saw_heading and section in (SECTION_PREAMBLE, SECTION_REVIEW) and _PLAN_OPENING.match(text):
            section = SECTION_PLAN
        elif section == SECTION_PREAMBLE and re.match(r"^(?:过去|一年来|20\d\d年(?:是|，))", text):
            section = SECTION_REVIEW
        sent._.section = section
        sent._.heading = heading
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        sentences.append(Sentence(text, start, start + len(text), section, heading))
    doc._.gwr_sentences = sentences
    doc._.gwr_review_year = review_year
    doc._.gwr_plan_year = plan_year
    return doc


# Trigger words that make a sentence worth an extractor's time: the award extractor reads only
# sentences with an AWARD trigger, the project extractor BUILD, the investment extractor MONEY. Matched
# on jieba tokens (a token containing the word counts); the words are added to jieba's dictionary so
# that segmentation keeps them whole. Each list must cover every verb its extractor's patterns use.
TRIGGER_WORDS = {
    "AWARD": ["获评", "荣获", "评为", "授予", "认定", "命名", "确定", "列为", "选为", "表彰", "入选", "入围",
              "获批", "获得", "创建", "申报", "设立", "成为", "备案", "通过", "验收", "评估", "复审", "称号", "获"],
    "BUILD": ["项目", "工程", "开工", "建成", "投产", "竣工", "完工", "通车", "投用", "投运", "投入使用", "交付",
              "落成", "签约", "签订", "谋划", "规划", "筹划", "筹建", "实施", "加快", "加速", "推进", "推动", "启动",
              "续建", "新建", "改建", "扩建", "迁建", "重建", "复工", "建设", "改造", "治理", "整治", "完成", "揭牌",
              "入驻", "运营", "营业", "开园", "开业", "达效", "收尾", "摘牌", "封顶", "打造", "建好", "打通", "大修",
              "提质", "升级", "抓好", "建", "修"],
    "MONEY": ["亿元", "万元", "元", "美元", "亿", "万"],
}


@Language.factory("gwr_triggers")
def make_trigger_matcher(nlp: Language, name: str) -> "TriggerMatcher":
    return TriggerMatcher(nlp)


class TriggerMatcher:
    """Marks trigger tokens with spaCy's Matcher; spans go to ``doc.spans['gwr_triggers']``."""

    def __init__(self, nlp: Language):
        from spacy.matcher import Matcher

        self.matcher = Matcher(nlp.vocab)
        for label, words in TRIGGER_WORDS.items():
            self.matcher.add(label, [[{"TEXT": {"REGEX": "|".join(map(re.escape, words))}}]])

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["gwr_triggers"] = [
            Span(doc, start, end, label=doc.vocab.strings[match_id]) for match_id, start, end in self.matcher(doc)
        ]
        return doc


def sentences_with(doc: Doc, label: str) -> list[Sentence]:
    """The sentences of ``doc`` holding at least one trigger of ``label``."""
    starts = sorted({span.start_char for span in doc.spans.get("gwr_triggers", []) if span.label_ == label})
    out = []
    j = 0
    for sent in doc._.gwr_sentences:
        while j < len(starts) and starts[j] < sent.start:
            j += 1
        if j < len(starts) and starts[j] < sent.end:
            out.append(sent)
    return out


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared pipeline: jieba tokenizer, sentence and section components, trigger matcher."""
    import logging

    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    for words in TRIGGER_WORDS.values():
        for word in words:
            if len(word) > 1:
                jieba.add_word(word)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("gwr_sentences")
    nlp.add_pipe("gwr_sections")
    nlp.add_pipe("gwr_triggers")
    return nlp
