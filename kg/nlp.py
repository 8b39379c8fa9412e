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

- ``gwr_meta`` — the report's own facts (district, years …) in ``doc._.gwr_meta``;
- ``gwr_relation`` (one per registered relation, :mod:`kg.relation`) — the relation's extractor, built
  once from its lexicon, reading the processed ``Doc`` (sentences with their sections and character
  offsets, trigger spans) and leaving its facts in ``doc._.gwr_facts[name]``.

The pipeline is built once per process (:func:`get_nlp`); jieba's dictionary loads on first use.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import lru_cache
from itertools import accumulate, compress
from typing import Optional

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.base import TRIGGER_STARTS, sentences_with  # noqa: F401  (sentences_with re-exported)
from kg.segment import add_words, cut
from kg.structure import (  # noqa: F401  (re-exported: extractors and tests import them from here)
    SECTION_GLOSSARY, SECTION_OTHER, SECTION_PLAN, SECTION_PREAMBLE, SECTION_REVIEW, Sentence, mark_sections,
    year_value,
)

_SENT_END = "。！？；"
_CLOSERS = "”’）》」』"

def _register_extensions() -> None:
    if not Doc.has_extension("gwr_sentences"):
        Doc.set_extension("gwr_sentences", default=None)
        Doc.set_extension("gwr_review_year", default=None)
        Doc.set_extension("gwr_plan_year", default=None)
        Doc.set_extension("gwr_meta", default=None)
        Doc.set_extension("gwr_facts", default=None)
        Span.set_extension("section", default=None)
        Span.set_extension("heading", default=None)


_register_extensions()


def sentence_starts(words: list[str]) -> list[bool]:
    """Sentence starts for a token sequence: after 。！？； (and any closing quote) and after line breaks."""
    n = len(words)
    if not n:
        return []
    flags = [False] * n
    flags[0] = True
    end, closers = _SENT_END, _CLOSERS
    # Only a word with a line break, all whitespace, or ending in an end mark or a closer can end a
    # sentence: test each distinct word once, then look at the few places that hold one.
    marks = {w for w in set(words) if "\n" in w or w.isspace() or (w and (w[-1] in end or w[-1] in closers))}
    for i in [i for i, w in enumerate(words) if w in marks]:
        if i + 1 == n:
            break
        prev = words[i]
        if "\n" in prev or prev.isspace():
            flags[i + 1] = True
        elif prev[-1] in end and words[i + 1][:1] not in closers:
            flags[i + 1] = True
        elif prev[-1] in closers and i >= 1 and words[i - 1][-1:] in end:
            flags[i + 1] = True
    return flags


_TOKENS = "gwr_tokens"


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """What ``spacy.util.get_words_and_spaces`` makes of jieba's words (whitespace runs become tokens, one
    space after a word becomes its trailing whitespace), in one pass: jieba's words, joined, are the text
    (else spaCy's own alignment runs)."""
    if "".join(words) != text:
        from spacy.util import get_words_and_spaces

        return get_words_and_spaces(words, text)
    if " " not in text:
        # No space to give any word as its trailing whitespace (normalized reports have none): the words,
        # with each run of whitespace words joined into one token.
        out: list[str] = []
        append = out.append
        gap = ""
        for word in words:
            if word.isspace():
                gap += word
                continue
            if gap:
                append(gap)
                gap = ""
            append(word)
        if gap:
            append(gap)
        return out, [False] * len(out)
    out_words: list[str] = []
    out_spaces: list[bool] = []
    pos = off = 0
    n = len(text)
    for word in words:
        start, off = off, off + len(word)
        if word.isspace() or start < pos:  # whitespace, or the space already taken by the previous word
            continue
        if start > pos:
            out_words.append(text[pos:start])
            out_spaces.append(False)
        out_words.append(word)
        out_spaces.append(False)
        pos = off
        if pos < n and text[pos] == " ":
            out_spaces[-1] = True
            pos += 1
    if pos < n:
        out_words.append(text[pos:])
        out_spaces.append(False)
    return out_words, out_spaces


_OFFSETS = "gwr_token_offsets"


def _offsets(doc: Doc) -> list[int]:
    """Where each token starts (character offset), and the text's length last; made once per Doc."""
    found = doc.user_data.get(_OFFSETS)
    if found is None:
        _, words, spaces, _ = _tokens(doc)
        found = doc.user_data[_OFFSETS] = [0, *accumulate(len(w) + s for w, s in zip(words, spaces))] \
            if any(spaces) else [0, *accumulate(map(len, words))]
    return found


def _tokens(doc: Doc) -> tuple[str, list[str], list[bool], list[bool]]:
    """(text, token texts, trailing spaces, sentence starts) of a Doc: kept by :class:`SentenceTokenizer`,
    else read from the Doc."""
    kept = doc.user_data.get(_TOKENS)
    if kept is not None:
        return kept
    words = [t.text for t in doc]
    return doc.text, words, [bool(t.whitespace_) for t in doc], [bool(t.is_sent_start) for t in doc]


class SentenceTokenizer:
    """spaCy's jieba tokenizer, giving the Doc its sentence starts (:func:`sentence_starts`) as it is made:
    one Doc per report. (A sentence component that set ``token.is_sent_start`` token by token made spaCy
    rescan the document each time, quadratic in the report's length; rebuilding the Doc with the flags
    cost a second Doc per report.)"""

    def __init__(self, inner):
        self.inner = inner  # spacy.lang.zh.ChineseTokenizer (its settings; the words are kg.segment's)
        self.vocab = inner.vocab

    def __call__(self, text: str) -> Doc:
        words = cut(text)
        words, spaces = words_and_spaces(words, text)
        starts = sentence_starts(words)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        if words:
            # What Doc(…, sent_starts=starts) sets (1 a start, -1 not), as one array: spaCy's own loop
            # copies the flags into its array one element at a time.
            flags = numpy.where(numpy.array(starts, dtype=bool), 1, -1).astype(numpy.int32).astype(numpy.uint64)
            doc.from_array([SENT_START], flags.reshape(-1, 1))
        # the token texts, kept so that later components need not make a Token object per token
        doc.user_data[_TOKENS] = (text, words, spaces, starts)
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name):  # serialization and settings: the wrapped tokenizer's
        return getattr(self.inner, name)


@Language.component("gwr_sentences")
def gwr_sentences(doc: Doc) -> Doc:
    """Sentence boundaries (see :func:`sentence_starts`). A Doc from :class:`SentenceTokenizer` has them
    already and passes through; any other Doc is rebuilt once with all the flags at once."""
    if doc.has_annotation("SENT_START"):
        return doc
    words = [t.text for t in doc]
    return Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc], sent_starts=sentence_starts(words))


@Language.component("gwr_sections")
def gwr_sections(doc: Doc) -> Doc:
    """Mark each sentence with the report part it belongs to and find the review and plan years."""
    text, words, spaces, starts = _tokens(doc)
    # (start char, end char) of each sentence, as doc.sents gives them: from the first token's start to
    # the last token's end (its trailing space left out).
    offsets = _offsets(doc)
    firsts = list(compress(range(len(words)), starts))
    if firsts[:1] == [0]:  # (the first token always starts a sentence)
        firsts.pop(0)
    ends = [*firsts, len(words)]
    spans = [(offsets[i], offsets[j] - spaces[j - 1]) for i, j in zip([0, *firsts], ends)] if words else []
    structure = mark_sections((text[a:b], a) for a, b in spans)
    by_start = {s.start: s for s in structure.sentences}
    user_data = doc.user_data
    for a, b in spans:
        sent_text = text[a:b]
        marked = by_start.get(a + (len(sent_text) - len(sent_text.lstrip())))
        if marked is not None:
            # Span(doc, i0, i1)._.section = …, without making the Span: spaCy keeps a span's extension
            # values in doc.user_data under ("._.", name, start char, end char).
            user_data[("._.", "section", a, b)] = marked.section
            user_data[("._.", "heading", a, b)] = marked.heading
    doc._.gwr_sentences = structure.sentences
    doc._.gwr_review_year = structure.review_year
    doc._.gwr_plan_year = structure.plan_year
    return doc


# Which lexicon's ``triggers`` mark a sentence for which extractor: the award extractor reads only
# sentences with an AWARD trigger, the project extractor BUILD, the investment extractor MONEY.
TRIGGER_LEXICONS = {"AWARD": "awards", "BUILD": "projects", "MONEY": "investments"}


def trigger_words() -> dict[str, tuple[str, ...]]:
    """Label → trigger words, from each lexicon's ``triggers`` list."""
    from kg.lexicon import load

    return {label: load(name).words("triggers") for label, name in TRIGGER_LEXICONS.items()}


def trigger_affixes() -> dict[str, tuple[str, ...]]:
    """Label → words that may be glued to a trigger inside one jieba token (余 in 余万元), from each
    lexicon's optional ``trigger_affixes`` list; alone they trigger nothing."""
    from kg.lexicon import load

    out = {}
    for label, name in TRIGGER_LEXICONS.items():
        lex = load(name)
        out[label] = lex.words("trigger_affixes") if lex.has("trigger_affixes") else ()
    return out


@Language.factory("gwr_triggers")
def make_trigger_matcher(nlp: Language, name: str) -> "TriggerMatcher":
    return TriggerMatcher(nlp)


class TriggerMatcher:
    """Marks trigger tokens in ``doc.spans['gwr_triggers']``, labelled AWARD, BUILD or MONEY.

    Whole tokens only: a token is a trigger of a label when it is one of the label's trigger words or
    a compound made wholly of them and of the label's affixes (jieba keeps 建设项目, 万美元 and 余万元 as
    one token: 建设+项目, 万+美元, 余+万元).
    So 建 marks 建 and 建成, never 建议; 元 never marks 元旦; 获 never marks 收获. Every trigger word is
    also added to jieba's dictionary (:func:`get_nlp`), so segmentation keeps it whole.
    """

    def __init__(self, nlp: Language):
        self.words = {label: frozenset(words) for label, words in trigger_words().items()}
        affixes = trigger_affixes()
        self.glue = {label: frozenset(affixes[label]) - self.words[label] for label in self.words}
        self._parts = {label: words | self.glue[label] for label, words in self.words.items()}  # made once
        # A token made of a label's words starts with the first character of one of them.
        self._firsts = {label: frozenset(w[0] for w in parts if w) for label, parts in self._parts.items()}
        self._labels: dict[str, tuple[str, ...]] = {}
        self._triggers: set[str] = set()  # the tokens labelled so far that have labels

    def labels(self, token: str) -> tuple[str, ...]:
        found = self._labels.get(token)
        if found is None:
            found = self._labels[token] = tuple(
                label for label in self.words
                if (not token or token[0] in self._firsts[label])
                and _made_of(token, self._parts[label]) and not _made_of(token, self.glue[label]))
            if found:
                self._triggers.add(token)
        return found

    def __call__(self, doc: Doc) -> Doc:
        _, words, _, _ = _tokens(doc)
        # Each distinct word's labels once (words never seen before are labelled and remembered); then
        # only the places holding a trigger word.
        distinct = set(words)
        for word in distinct.difference(self._labels):
            self.labels(word)
        found = distinct & self._triggers
        hits = list(compress(range(len(words)), map(found.__contains__, words)))
        labels = self._labels
        strings = doc.vocab.strings
        ids = {label: strings.add(label) for label in self.words}
        doc.spans["gwr_triggers"] = [Span(doc, i, i + 1, label=ids[label]) for i in hits for label in labels[words[i]]]
        # The start characters of each label's triggers, for sentences_with (no Span per trigger there).
        offsets = _offsets(doc)
        starts: dict[str, list[int]] = {label: [] for label in self.words}
        for i in hits:
            for label in labels[words[i]]:
                starts[label].append(offsets[i])
        doc.user_data[TRIGGER_STARTS] = starts
        return doc


def _made_of(token: str, words: frozenset[str], longest: int = 4) -> bool:
    """True when ``token`` is a concatenation of ``words`` (words of at most ``longest`` characters)."""
    if not token or len(token) > 3 * longest:
        return token in words
    ok = [True] + [False] * len(token)
    for end in range(1, len(token) + 1):
        ok[end] = any(ok[start] and token[start:end] in words for start in range(max(0, end - longest), end))
    return ok[-1]


@Language.factory("gwr_meta")
def make_meta(nlp: Language, name: str) -> "MetaComponent":
    return MetaComponent()


#: The district the user named for the report being processed (``kg build --district``), if any.
DISTRICT_HINT: ContextVar[Optional[str]] = ContextVar("gwr_district_hint", default=None)


class MetaComponent:
    """The report's own facts (:func:`kg.extract.meta.extract_meta`) in ``doc._.gwr_meta``: relation
    components read the district and the years from it."""

    def __call__(self, doc: Doc) -> Doc:
        from kg.extract.meta import extract_meta

        doc._.gwr_meta = extract_meta(_tokens(doc)[0], doc._.gwr_review_year, doc._.gwr_plan_year,
                                      district=DISTRICT_HINT.get())
        doc._.gwr_facts = {}
        return doc


@Language.factory("gwr_relation", default_config={"relation": ""})
def make_relation_component(nlp: Language, name: str, relation: str) -> "RelationComponent":
    return RelationComponent(relation)


class RelationComponent:
    """Runs one relation's extractor (built once from its lexicon) and keeps its facts in
    ``doc._.gwr_facts[relation]``."""

    def __init__(self, relation: str):
        from kg.relation import relation as lookup

        self.relation = lookup(relation)
        self.extractor = self.relation.make_extractor()

    def __call__(self, doc: Doc) -> Doc:
        from kg.decide import decide
        from kg.extract.base import Context

        context = Context(doc._.gwr_meta)
        facts = self.extractor.extract(doc, context)
        doc._.gwr_facts[self.relation.name] = decide(self.relation.name, facts, doc, context)  # kg/decide.py
        return doc


def get_nlp(relations: Optional[tuple[str, ...]] = None) -> Language:
    """The shared pipeline: jieba tokenizer, sentences, sections, triggers, meta, then one component per
    relation (every registered relation unless ``relations`` names some). Built once per process for
    each set of relations and lexicon folders."""
    from kg.lexicon import user_dirs
    from kg.relation import names

    return _build_nlp(tuple(relations) if relations is not None else tuple(names()), user_dirs())


@lru_cache(maxsize=4)
def _build_nlp(relations: tuple[str, ...], _lexicon_dirs: tuple) -> Language:
    import spacy

    add_words(word for words in (*trigger_words().values(), *trigger_affixes().values()) for word in words)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    # kg reads token texts, never spaCy's lexical attributes (like_num, is_stop, shape_, norm_ …), so a
    # word new to the vocabulary is stored without them: computing them cost about 24 µs a new word
    # (Chinese like_num alone 6 µs), and a report from a district the worker has not seen brings some
    # 300–1,400 new words. A relation that wants one computes it from token.text.
    nlp.vocab.lex_attr_getters = {}
    nlp.tokenizer = SentenceTokenizer(nlp.tokenizer)
    nlp.add_pipe("gwr_sentences")
    nlp.add_pipe("gwr_sections")
    nlp.add_pipe("gwr_triggers")
    nlp.add_pipe("gwr_meta")
    for name in relations:
        nlp.add_pipe("gwr_relation", name=f"gwr_relation_{name}", config={"relation": name})
    return nlp
