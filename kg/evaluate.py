"""Score a built graph against the hand-made gold answers (``tests/gold/*.jsonl``).

The scorer follows ``tests/gold/README.md``:

* Names are compared after :func:`normalize_name`: Unicode NFKC, whitespace removed, quote and
  bracket marks removed (“”‘’"'「」『』《》〈〉()（）【】[]) and a trailing 项目/工程 dropped.
* A *strict* name match needs equal normalized names. A *lenient* match, as the referee
  (``../shared/gold/score.py``) scores, accepts names whose similarity reaches :data:`LENIENT_THRESHOLD`
  (0.6; :data:`AWARD_THRESHOLD`, 0.5, for an award's title): the larger of the character-bigram Dice
  ``2·|A∩B| / (|A|+|B|)`` over bigram *sets* and, when one name contains the other, the length ratio
  shorter/longer (a one-character name is its own single "bigram").
* Relations and what must agree:
  - ``undertakes``: same district, matching project;
  - ``invests``: matching project, same currency, amount within :data:`AMOUNT_REL_TOL` (0.5 %) relative;
  - ``receivesAward``: matching recipient AND matching award (the recipient type is not scored);
  - ``indicator``: same district, indicator, year, kind and measure, value within
    :data:`VALUE_ABS_TOL` (so 7 and 7.0 are equal);
  - ``meta``: per-field accuracy over district, city, province, speaker, date, review_year and
    plan_year (speaker_title only where both sides give one).
  The investment kind and the project status are not scored.
* Duplicates collapse before counting: each side is a set of normalized tuples.
* Matching is one-to-one. Exactly equal pairs are matched first; then a maximum bipartite matching
  (augmenting paths, Kuhn's algorithm) over the pairs that match, trying candidates in order of
  decreasing name similarity. The matching has maximum cardinality, so TP is as high as the
  one-to-one rule allows; exact pairs are only re-paired when that is needed to match one more item.
* Precision, recall and F1 per relation and per report, for lenient and strict name matching, with
  micro-averaged totals over all reports. An empty gold set with no predictions scores 1.0.

Gold reports are paired with the graph's districts by the meta ``district`` name (normalized,
exact). Districts in the graph that no gold report is about are not scored (listed in
``Evaluation.unscored_districts``). When two gold reports are about the same district, both are
scored against that district's facts.

The graph is read only through SPARQL over the names of the public contract (../shared/CONTRACT.md).
rdflib is imported inside the functions that need it.
"""

from __future__ import annotations

import json
import re
import unicodedata

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional, Sequence, Union

from kg.textutil import display_width, format_rows, pad

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = [
    "RELATIONS", "META_FIELDS", "LENIENT_THRESHOLD", "AMOUNT_REL_TOL", "VALUE_ABS_TOL",
    "GoldReport", "Predictions", "Scores", "RelationScores", "MetaField", "ReportResult", "ErrorItem",
    "Evaluation", "normalize_name", "bigram_dice", "name_similarity", "names_match", "load_gold",
    "predictions_from_graph", "score_report", "evaluate", "gold_to_graph", "format_table",
    "format_errors", "display_width", "format_rows", "pad",
]

#: The built-in scored relations (gold ``rel`` values), in report order; relations that outside packages
#: register with an evaluation query are scored after them (:func:`scored_relations`).
RELATIONS = ("undertakes", "invests", "receivesAward", "indicator")


def _plugin_specs() -> dict:
    """gold rel → EvalSpec of the registered relations scored by their own query (outside plugins)."""
    from kg.relation import relations

    return {r.evaluation.gold_rel: r.evaluation for r in relations()
            if r.evaluation is not None and r.evaluation.query and r.evaluation.gold_rel not in RELATIONS}


def scored_relations() -> tuple[str, ...]:
    return RELATIONS + tuple(_plugin_specs())
#: Meta fields scored for accuracy (speaker_title only when both sides give one).
META_FIELDS = ("district", "city", "province", "speaker", "date", "review_year", "plan_year")
OPTIONAL_META_FIELDS = ("speaker_title",)
#: Lenient name match: bigram Dice (or containment ratio) at or above this, as the referee scores.
LENIENT_THRESHOLD = 0.6
#: ... and for an award's title (the referee is more lenient there).
AWARD_THRESHOLD = 0.5
#: invests: relative amount tolerance.
AMOUNT_REL_TOL = 0.005
#: indicator: absolute value tolerance.
VALUE_ABS_TOL = 1e-6

GWR = "https://w3id.org/gwr/ontology#"
_DATA = "https://w3id.org/gwr/id/"

_REQUIRED = {
    "meta": ("district",),
    "undertakes": ("subject", "object"),
    "invests": ("subject", "amount_yuan"),
    "receivesAward": ("subject", "object"),
    "indicator": ("subject", "indicator", "year", "kind", "measure", "value"),
}

# ------------------------------------------------------------------------------------------------
# names


_QUOTE_MARKS = "“”‘’\"'「」『』《》〈〉()（）【】[]"
_QUOTE_RE = re.compile("[" + re.escape(_QUOTE_MARKS) + "]")
_SPACE_RE = re.compile(r"\s+")
_SUFFIX_RE = re.compile(r"(?:项目|工程)+$")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE_RE.sub("", text)
    return _QUOTE_RE.sub("", text)


def normalize_name(name: Optional[str]) -> str:
    """The form names are compared in: NFKC, no whitespace, no quote/bracket marks, no trailing 项目/工程.

    A name that is nothing but 项目/工程 keeps it (a name never becomes empty by the suffix rule).
    """
    if name is None:
        return ""
    text = _clean(str(name))
    stripped = _SUFFIX_RE.sub("", text)
    return stripped or text


def _bigrams(text: str) -> set:
    if len(text) < 2:
        return {text} if text else set()
    return {text[i:i + 2] for i in range(len(text) - 1)}


def bigram_dice(a: str, b: str) -> float:
    """Dice coefficient of the character-bigram sets of two (already normalized) names."""
    if a == b:
        return 1.0
    x, y = _bigrams(a), _bigrams(b)
    total = len(x) + len(y)
    if not total:
        return 0.0
    return 2 * len(x & y) / total


def _containment(a: str, b: str) -> float:
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) / len(long_) if short and short in long_ else 0.0


def name_similarity(a: str, b: str, *, strict: bool = False,
                    threshold: float = LENIENT_THRESHOLD) -> Optional[float]:
    """How well two normalized names match: a score in (0, 1] when they match, else None.

    Strict: 1.0 when equal. Lenient, as the referee (``../shared/gold/score.py``) scores: the larger of
    the bigram Dice and, when one name contains the other, len(shorter)/len(longer), when it reaches
    ``threshold`` (:data:`LENIENT_THRESHOLD`; :data:`AWARD_THRESHOLD` for award titles).
    """
    if a == b:
        return 1.0 if a else None
    if strict or not a or not b:
        return None
    score = max(bigram_dice(a, b), _containment(a, b))
    return score if score >= threshold else None


def names_match(a: str, b: str, *, strict: bool = False) -> bool:
    """Whether two raw names match after :func:`normalize_name` (lenient unless ``strict``)."""
    return name_similarity(normalize_name(a), normalize_name(b), strict=strict) is not None


# ------------------------------------------------------------------------------------------------
# gold and predictions


@dataclass
class GoldReport:
    """One gold file: its meta line and its fact lines grouped by relation (as read)."""

    name: str
    path: Path
    meta: dict
    facts: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def district(self) -> str:
        return self.meta.get("district") or ""


@dataclass
class Predictions:
    """What the graph says about one district, in the gold line format.

    ``metas`` holds one meta dict per report about the district (query 5); ``facts`` maps a relation
    to its lines: undertakes {subject, object, status}; invests {subject, amount_yuan, currency, kind};
    receivesAward {subject, subject_type, object}; indicator {subject, indicator, year, kind, measure, value}.
    """

    district: str
    metas: list[dict] = field(default_factory=list)
    facts: dict[str, list[dict]] = field(default_factory=lambda: {rel: [] for rel in scored_relations()})


def load_gold(gold_dir: Union[str, Path]) -> dict[str, GoldReport]:
    """Every ``*.jsonl`` in ``gold_dir``, keyed by file stem (sorted).

    Raises FileNotFoundError for a missing folder, ValueError naming the file and line for bad JSON,
    an unknown or incomplete line, or a file without exactly one meta line.
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"{gold_dir}: gold folder not found")
    files = sorted(gold_dir.glob("*.jsonl"))
    if not files:
        raise ValueError(f"{gold_dir}: no *.jsonl gold files")
    reports: dict[str, GoldReport] = {}
    for path in files:
        meta: Optional[dict] = None
        facts: dict[str, list[dict]] = {rel: [] for rel in scored_relations()}
        required = {**_REQUIRED, **{rel: ("subject", "object") for rel in _plugin_specs()}}
        with path.open(encoding="utf-8-sig") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{where}: bad JSON ({exc.msg} at column {exc.colno})") from None
                if not isinstance(obj, dict):
                    raise ValueError(f"{where}: expected a JSON object, got {type(obj).__name__}")
                rel = obj.get("rel")
                if rel not in required:
                    raise ValueError(f"{where}: unknown rel {rel!r} (expected one of {', '.join(required)})")
                missing = [k for k in required[rel] if obj.get(k) in (None, "")]
                if missing:
                    raise ValueError(f"{where}: {rel} line lacks {', '.join(missing)}")
                if rel == "indicator":
                    _check_indicator(obj, where)
                if rel == "invests" and _number(obj["amount_yuan"]) is None:
                    raise ValueError(f"{where}: invests amount_yuan is not a number: {obj['amount_yuan']!r}")
                if rel == "meta":
                    if meta is not None:
                        raise ValueError(f"{where}: a second meta line (one per report)")
                    meta = obj
                else:
                    obj = dict(obj)
                    obj["_line"] = lineno
                    facts[rel].append(obj)
        if meta is None:
            raise ValueError(f"{path}: missing meta line ({{\"rel\": \"meta\", \"district\": ...}})")
        reports[path.stem] = GoldReport(path.stem, path, meta, facts)
    return reports


def _check_indicator(obj: dict, where: str) -> None:
    if obj["kind"] not in ("actual", "target"):
        raise ValueError(f"{where}: indicator kind must be actual or target, got {obj['kind']!r}")
    if obj["measure"] not in ("growth_pct", "amount_yuan"):
        raise ValueError(f"{where}: indicator measure must be growth_pct or amount_yuan, got {obj['measure']!r}")
    for key in ("year", "value"):
        if _number(obj[key]) is None:
            raise ValueError(f"{where}: indicator {key} is not a number: {obj[key]!r}")


_PREFIXES = """PREFIX gwr: <https://w3id.org/gwr/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# Contract query 5, with the report node projected so that rows group per report.
_Q_META = _PREFIXES + """
SELECT ?r ?source ?district ?city ?province ?speaker ?date ?reviewYear ?planYear WHERE {
  ?r a gwr:Report ; gwr:about ?d . ?d rdfs:label ?district . OPTIONAL { ?r dcterms:source ?source }
  OPTIONAL { ?d gwr:inCity/rdfs:label ?city }   OPTIONAL { ?d gwr:inProvince/rdfs:label ?province }
  OPTIONAL { ?r gwr:deliveredBy/rdfs:label ?speaker }  OPTIONAL { ?r dcterms:date ?date }
  OPTIONAL { ?r gwr:reviewYear ?reviewYear }  OPTIONAL { ?r gwr:planYear ?planYear } }"""

# Contract query 1.
_Q_UNDERTAKES = _PREFIXES + """
SELECT ?district ?project ?status ?source WHERE {
  ?d a gwr:District ; rdfs:label ?district ; gwr:undertakes ?p .
  ?p a gwr:Project ; rdfs:label ?project .
  OPTIONAL { ?p gwr:projectStatus ?status }
  OPTIONAL { ?st rdf:subject ?d ; rdf:predicate gwr:undertakes ; rdf:object ?p ; prov:wasDerivedFrom ?rep .
             ?rep dcterms:source ?source } }"""

# Contract query 2 joined with the district that undertakes the project; amounts in other currencies
# (gwr:amount + gwr:currency, no gwr:amountInYuan) are read too.
_Q_INVESTS = _PREFIXES + """
SELECT ?district ?project ?yuan ?amount ?currency ?kind ?source WHERE {
  ?d a gwr:District ; rdfs:label ?district ; gwr:undertakes ?p .
  ?p a gwr:Project ; rdfs:label ?project ; gwr:invests ?m .
  ?m a gwr:MonetaryAmount .
  OPTIONAL { ?st rdf:subject ?p ; rdf:predicate gwr:invests ; rdf:object ?m ; prov:wasDerivedFrom ?rep .
             ?rep dcterms:source ?source }
  OPTIONAL { ?m gwr:amountInYuan ?yuan }
  OPTIONAL { ?m gwr:amount ?amount }
  OPTIONAL { ?m gwr:currency ?currency }
  OPTIONAL { ?m gwr:investmentKind ?kind } }"""

# Contract query 3, each award assigned to the district of the report its statement comes from.
_Q_AWARDS = _PREFIXES + """
SELECT ?district ?r ?recipient ?type ?a ?award ?source WHERE {
  ?r gwr:receivesAward ?a ; rdfs:label ?recipient ; a ?type .
  ?a a gwr:Award ; rdfs:label ?award .
  ?st rdf:subject ?r ; rdf:predicate gwr:receivesAward ; rdf:object ?a ; prov:wasDerivedFrom ?rep .
  ?rep gwr:about ?d . ?d rdfs:label ?district . OPTIONAL { ?rep dcterms:source ?source } }"""

# Contract query 4.
_Q_INDICATORS = _PREFIXES + """
SELECT ?district ?indicator ?year ?kind ?pct ?yuan ?source WHERE {
  ?d a gwr:District ; rdfs:label ?district ; gwr:hasObservation ?o .
  ?o a gwr:IndicatorObservation ; gwr:indicator/rdfs:label ?indicator ;
     gwr:year ?year ;
     gwr:observationKind ?kind .
  OPTIONAL { ?o prov:wasDerivedFrom ?rep . ?rep dcterms:source ?source }
  OPTIONAL { ?o gwr:growthPercent ?pct }
  OPTIONAL { ?o gwr:amountInYuan ?yuan } }"""

_STATUS = {"Planned": "planned", "Underway": "underway", "Completed": "completed", "Signed": "signed"}
_INVEST_KIND = {"TotalInvestment": "total", "CompletedInvestment": "completed", "Funding": "funding",
                "OtherAmount": "other"}
_OBS_KIND = {"Actual": "actual", "Target": "target"}
# Recipient types, most specific first; gwr:Organization (and the unions above it) only as a fallback.
_TYPE_ORDER = ("Enterprise", "Village", "Community", "School", "GovernmentUnit", "Person", "Product",
               "Project", "District")
_GENERIC_TYPES = ("Organization", "AwardRecipient", "AdministrativeDivision")


def _gwr_local(term: Any) -> Optional[str]:
    text = "" if term is None else str(term)
    return text[len(GWR):] if text.startswith(GWR) else None


def _number(value: Any) -> Optional[float]:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def _int(value: Any) -> Optional[int]:
    num = _number(value)
    return int(num) if num is not None and num == int(num) else None


def _str(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def _pick_type(types: Iterable[str]) -> Optional[str]:
    local = {t for t in types if t}
    for name in _TYPE_ORDER:
        if name in local:
            return name
    specific = sorted(local - set(_GENERIC_TYPES))
    if specific:
        return specific[0]
    for name in _GENERIC_TYPES:
        if name in local:
            return name
    return None


def predictions_from_graph(graph: "Graph", *, by_report: bool = False) -> dict[str, Predictions]:
    """What an rdflib graph says, per district label, read through the contract's queries. With
    ``by_report``, keyed ``district + _REPORT_SEP + report`` too (the report's file stem, from its statements'
    provenance), so that two reports of one district are scored apart."""
    out: dict[str, Predictions] = {}

    class _Both:
        """Appends to the district's predictions and, when known, to the report's."""

        def __init__(self, targets: list[Predictions]):
            self.facts = _Fan([t.facts for t in targets])

    def _get(key: str, district: str) -> Predictions:
        if key not in out:
            out[key] = Predictions(district)
        return out[key]

    def of(district: Any, source: Any = None) -> Any:
        targets = [_get(str(district), str(district))]
        if by_report and source is not None:
            targets.append(_get(f"{district}{_REPORT_SEP}{_stem(source)}", str(district)))
        return _Both(targets)

    metas: dict[str, dict[str, dict]] = {}
    sources: dict[str, str] = {}
    for row in graph.query(_Q_META):
        district = str(row.district)
        meta = metas.setdefault(district, {}).setdefault(str(row.r), {"district": district})
        if row.source is not None:
            sources[str(row.r)] = _stem(row.source)
        for fld, value in (("city", _str(row.city)), ("province", _str(row.province)),
                           ("speaker", _str(row.speaker)), ("date", _str(row.date)),
                           ("review_year", _int(row.reviewYear)), ("plan_year", _int(row.planYear))):
            if value is not None and (meta.get(fld) is None or str(value) < str(meta[fld])):
                meta[fld] = value  # several values (a contract breach): keep the smallest, for determinism
    district_reports = {district: sorted(sources[r] for r in reports if r in sources)
                        for district, reports in metas.items()}
    for district, reports in metas.items():
        _get(district, district).metas = [reports[r] for r in sorted(reports)]
        for r in sorted(reports):
            if by_report and r in sources:
                _get(f"{district}{_REPORT_SEP}{sources[r]}", district).metas = [reports[r]]

    for row in graph.query(_Q_UNDERTAKES):
        of(row.district, row.source).facts["undertakes"].append(
            {"rel": "undertakes", "subject": str(row.district), "object": str(row.project),
             "status": _STATUS.get(_gwr_local(row.status) or "", "unknown")})

    for row in graph.query(_Q_INVESTS):
        if row.yuan is not None:
            amount, currency = _number(row.yuan), "CNY"
        elif row.amount is not None and row.currency is not None:
            amount, currency = _number(row.amount), str(row.currency).strip().upper()
        else:
            continue
        if amount is None:
            continue
        of(row.district, row.source).facts["invests"].append(
            {"rel": "invests", "subject": str(row.project), "amount_yuan": amount, "currency": currency,
             "kind": _INVEST_KIND.get(_gwr_local(row.kind) or "", "other"), "district": str(row.district)})

    awards: dict[tuple[str, str, str, str], dict] = {}
    for row in graph.query(_Q_AWARDS):
        k = (str(row.district), str(row.r), str(row.a), str(row.source or ""))
        entry = awards.setdefault(k, {"recipient": str(row.recipient), "award": str(row.award), "types": set()})
        entry["types"].add(_gwr_local(row.type))
        # several labels (a contract breach): keep the smallest, for determinism
        entry["recipient"] = min(entry["recipient"], str(row.recipient))
        entry["award"] = min(entry["award"], str(row.award))
    for (district, _, _, source), entry in sorted(awards.items()):
        of(district, source or None).facts["receivesAward"].append(
            {"rel": "receivesAward", "subject": entry["recipient"], "subject_type": _pick_type(entry["types"]),
             "object": entry["award"]})

    for row in graph.query(_Q_INDICATORS):
        kind_local = _gwr_local(row.kind)
        base = {"rel": "indicator", "subject": str(row.district), "indicator": str(row.indicator),
                "year": _int(row.year), "kind": _OBS_KIND.get(kind_local or "", (kind_local or str(row.kind)).lower())}
        for measure, value in (("growth_pct", row.pct), ("amount_yuan", row.yuan)):
            num = _number(value)
            if num is not None:
                of(row.district, row.source).facts["indicator"].append({**base, "measure": measure, "value": num})

    for rel, spec in _plugin_specs().items():
        for row in graph.query(spec.query):
            line = {"rel": rel, "subject": str(row.subject), "object": str(row.object)}
            source = getattr(row, "source", None)
            if source is not None or not by_report:
                of(row.district, source).facts[rel].append(line)
                continue
            # a query without ?source: the fact counts for every report about its district
            _get(str(row.district), str(row.district)).facts.setdefault(rel, []).append(line)
            for stem in district_reports.get(str(row.district), ()):
                _get(f"{row.district}{_REPORT_SEP}{stem}", str(row.district)).facts.setdefault(rel, []).append(line)
    return out



_REPORT_SEP = "\x00"


def _stem(source: Any) -> str:
    name = str(source).rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


class _Fan:
    """``facts[rel].append(x)`` on several Predictions at once (a district's and its report's)."""

    def __init__(self, targets: list[dict]):
        self._targets = targets

    def __getitem__(self, rel: str) -> "_FanList":
        return _FanList([t.setdefault(rel, []) for t in self._targets])


class _FanList:
    def __init__(self, lists: list[list]):
        self._lists = lists

    def append(self, item: Any) -> None:
        for lst in self._lists:
            lst.append(item)


# ------------------------------------------------------------------------------------------------
# items and matching


@dataclass(frozen=True)
class _Item:
    keys: tuple          # compared exactly (already normalized)
    names: tuple         # normalized names, compared leniently or strictly
    value: Optional[float]
    text: str
    evidence: Optional[str] = None

    @property
    def ident(self) -> tuple:
        return (self.keys, self.names, self.value)


def _fmt_num(value: Optional[float]) -> str:
    if value is None:
        return "?"
    return str(int(value)) if value == int(value) and abs(value) < 1e18 else repr(value)


def _item(rel: str, line: Mapping[str, Any]) -> _Item:
    ev = line.get("evidence")
    if rel == "undertakes":
        status = line.get("status") or "unknown"
        return _Item((normalize_name(line["subject"]),), (normalize_name(line["object"]),), None,
                     f"{line['subject']} → {line['object']} ({status})", ev)
    if rel == "invests":
        currency = str(line.get("currency") or "CNY").upper()
        amount = _number(line["amount_yuan"])
        shown = line.get("amount_text") or f"{_fmt_num(amount)} {'元' if currency == 'CNY' else currency}"
        return _Item((currency,), (normalize_name(line["subject"]),), amount,
                     f"{line['subject']}: {shown} = {_fmt_num(amount)} {currency} ({line.get('kind') or 'other'})", ev)
    if rel == "receivesAward":
        return _Item((), (normalize_name(line["subject"]), normalize_name(line["object"])), None,
                     f"{line['subject']} [{line.get('subject_type') or '?'}] ← {line['object']}", ev)
    if rel == "indicator":
        year = _int(line["year"])
        value = _number(line["value"])
        return _Item((normalize_name(line["subject"]), normalize_name(line["indicator"]), year, line["kind"],
                      line["measure"]), (), value,
                     f"{line['subject']} {line['indicator']} {year} {line['kind']} {line['measure']}={_fmt_num(value)}",
                     ev)
    if rel in _plugin_specs():  # an outside relation: subject and object names, matched like awards
        return _Item((), (normalize_name(line["subject"]), normalize_name(line["object"])), None,
                     f"{line['subject']} → {line['object']}", ev)
    raise ValueError(f"unknown relation {rel!r}")


def _collapse(rel: str, lines: Iterable[Mapping[str, Any]], *, sort: bool) -> list[_Item]:
    seen: dict[tuple, _Item] = {}
    for line in lines:
        it = _item(rel, line)
        seen.setdefault(it.ident, it)
    items = list(seen.values())
    if sort:
        items.sort(key=lambda it: (repr(it.keys), it.names, -1e300 if it.value is None else it.value, it.text))
    return items


def _value_match(rel: str, gold: Optional[float], pred: Optional[float]) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    if rel == "invests":
        return abs(pred - gold) <= AMOUNT_REL_TOL * abs(gold) + 1e-9
    return abs(pred - gold) <= VALUE_ABS_TOL


def _pair_score(rel: str, g: _Item, p: _Item, strict: bool) -> Optional[float]:
    if g.keys != p.keys or not _value_match(rel, g.value, p.value):
        return None
    if not g.names:
        return 1.0
    total = 0.0
    thresholds = (LENIENT_THRESHOLD, AWARD_THRESHOLD) if rel == "receivesAward" else (LENIENT_THRESHOLD,) * len(g.names)
    for a, b, th in zip(g.names, p.names, thresholds):
        s = name_similarity(a, b, strict=strict, threshold=th)
        if s is None:
            return None
        total += s
    return total / len(g.names)


def _max_matching(candidates: list[list[int]], seed: dict[int, int]) -> dict[int, int]:
    """Maximum bipartite matching gold → prediction, starting from ``seed``, by augmenting paths.

    ``candidates[g]`` lists the predictions gold item g may match, best first.
    """
    match_g = dict(seed)
    match_p = {p: g for g, p in seed.items()}

    def augment(root: int) -> bool:
        seen: set[int] = set()
        parent: dict[int, int] = {}
        stack = [(root, iter(candidates[root]))]
        while stack:
            g, it = stack[-1]
            for p in it:
                if p in seen:
                    continue
                seen.add(p)
                parent[p] = g
                if p not in match_p:
                    while True:  # flip the alternating path back to the root
                        g2 = parent[p]
                        previous = match_g.get(g2)
                        match_g[g2], match_p[p] = p, g2
                        if g2 == root:
                            return True
                        p = previous
                stack.append((match_p[p], iter(candidates[match_p[p]])))
                break
            else:
                stack.pop()
        return False

    for g in range(len(candidates)):
        if g not in match_g:
            augment(g)
    return match_g


def _match(rel: str, golds: list[_Item], preds: list[_Item], strict: bool) -> dict[int, int]:
    by_keys: dict[tuple, list[int]] = {}
    for j, p in enumerate(preds):
        by_keys.setdefault(p.keys, []).append(j)
    candidates: list[list[int]] = []
    seed: dict[int, int] = {}
    taken: set[int] = set()
    for i, g in enumerate(golds):
        scored = []
        for j in by_keys.get(g.keys, ()):
            s = _pair_score(rel, g, preds[j], strict)
            if s is not None:
                scored.append((-s, j))
                if preds[j].ident == g.ident and j not in taken:
                    seed[i] = j
                    taken.add(j)
        candidates.append([j for _, j in sorted(scored)])
    return _max_matching(candidates, seed)


_CLOSEST_MIN = 0.3  # below this, a name is not worth showing as "closest"


def _closest(item: _Item, others: list[_Item]) -> Optional[str]:
    """The counterpart most like ``item`` (same exact keys), for error listings."""
    best, best_score = None, 0.0
    for o in others:
        if o.keys != item.keys:
            continue
        score = (sum(bigram_dice(a, b) for a, b in zip(item.names, o.names)) / len(item.names)
                 if item.names else 1.0)
        if score > best_score:
            best, best_score = o, score
    if best is None or (item.names and best_score < _CLOSEST_MIN):
        return None
    return f"{best.text} (similarity {best_score:.2f})" if item.names else best.text


# ------------------------------------------------------------------------------------------------
# scores


@dataclass(frozen=True)
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def pred(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        if self.pred:
            return self.tp / self.pred
        return 1.0 if self.fn == 0 else 0.0

    @property
    def recall(self) -> float:
        if self.gold:
            return self.tp / self.gold
        return 1.0 if self.fp == 0 else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Scores") -> "Scores":
        return Scores(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "gold": self.gold, "pred": self.pred,
                "precision": round(self.precision, 6), "recall": round(self.recall, 6), "f1": round(self.f1, 6)}


@dataclass(frozen=True)
class RelationScores:
    lenient: Scores = Scores()
    strict: Scores = Scores()

    def __add__(self, other: "RelationScores") -> "RelationScores":
        return RelationScores(self.lenient + other.lenient, self.strict + other.strict)

    def to_dict(self) -> dict:
        return {"lenient": self.lenient.to_dict(), "strict": self.strict.to_dict()}


@dataclass(frozen=True)
class MetaField:
    gold: Any
    pred: Any
    correct: bool

    def to_dict(self) -> dict:
        return {"gold": self.gold, "pred": self.pred, "correct": self.correct}


@dataclass(frozen=True)
class ErrorItem:
    """A gold item not found (miss) or a prediction not in the gold (false alarm), lenient matching."""

    relation: str
    report: str
    item: str
    evidence: Optional[str] = None
    closest: Optional[str] = None

    def to_dict(self) -> dict:
        return {"relation": self.relation, "report": self.report, "item": self.item,
                "evidence": self.evidence, "closest": self.closest}


@dataclass
class ReportResult:
    report: str
    district: str
    matched: bool                     # the graph has a district of that name
    relations: dict[str, RelationScores]
    meta: dict[str, MetaField]

    def to_dict(self) -> dict:
        return {"district": self.district, "matched": self.matched,
                "relations": {rel: s.to_dict() for rel, s in self.relations.items()},
                "meta": {f: m.to_dict() for f, m in self.meta.items()}}


@dataclass
class Evaluation:
    relations: dict[str, RelationScores]          # micro-averaged over all reports
    per_report: dict[str, ReportResult]
    meta_accuracy: dict[str, float]               # per meta field
    meta_overall: float                           # over all scored meta fields
    misses: list[ErrorItem] = field(default_factory=list)
    false_alarms: list[ErrorItem] = field(default_factory=list)
    unscored_districts: list[str] = field(default_factory=list)

    @property
    def overall(self) -> RelationScores:
        """Micro-average over every relation."""
        total = RelationScores()
        for s in self.relations.values():
            total = total + s
        return total

    def to_dict(self) -> dict:
        return {
            "settings": {"lenient_threshold": LENIENT_THRESHOLD, "amount_rel_tol": AMOUNT_REL_TOL,
                         "value_abs_tol": VALUE_ABS_TOL},
            "relations": {rel: s.to_dict() for rel, s in self.relations.items()},
            "overall": self.overall.to_dict(),
            "meta": {"accuracy": {f: round(a, 6) for f, a in self.meta_accuracy.items()},
                     "overall": round(self.meta_overall, 6)},
            "reports": {name: r.to_dict() for name, r in self.per_report.items()},
            "misses": [e.to_dict() for e in self.misses],
            "false_alarms": [e.to_dict() for e in self.false_alarms],
            "unscored_districts": list(self.unscored_districts),
        }


def _meta_value(fld: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if fld in ("review_year", "plan_year"):
        num = _int(value)
        return num if num is not None else _clean(str(value))
    if fld == "date":
        return str(value).strip()
    return _clean(str(value))


def _score_meta(gold: Mapping[str, Any], metas: Sequence[Mapping[str, Any]]) -> dict[str, MetaField]:
    def fields_for(pred: Mapping[str, Any]) -> dict[str, MetaField]:
        out = {}
        for fld in META_FIELDS + OPTIONAL_META_FIELDS:
            g, p = _meta_value(fld, gold.get(fld)), _meta_value(fld, pred.get(fld))
            if fld in OPTIONAL_META_FIELDS and (g is None or p is None):
                continue
            out[fld] = MetaField(gold.get(fld), pred.get(fld), g == p)
        return out

    options = [fields_for(m) for m in metas] or [fields_for({})]
    # Several reports about one district: score against the one that agrees best.
    return max(options, key=lambda fs: sum(f.correct for f in fs.values()))


def score_report(gold: GoldReport, pred: Optional[Predictions], report: str = "") -> tuple[
        ReportResult, list[ErrorItem], list[ErrorItem]]:
    """Score one gold report against one district's predictions (None: the graph lacks the district)."""
    report = report or gold.name
    relations: dict[str, RelationScores] = {}
    misses: list[ErrorItem] = []
    alarms: list[ErrorItem] = []
    for rel in scored_relations():
        golds = _collapse(rel, gold.facts.get(rel, []), sort=False)
        preds = _collapse(rel, pred.facts.get(rel, []) if pred else [], sort=True)
        result = {}
        for mode in ("lenient", "strict"):
            matched = _match(rel, golds, preds, strict=mode == "strict")
            tp = len(matched)
            result[mode] = Scores(tp, len(preds) - tp, len(golds) - tp)
            if mode == "lenient":
                used = set(matched.values())
                misses += [ErrorItem(rel, report, g.text, g.evidence, _closest(g, preds))
                           for i, g in enumerate(golds) if i not in matched]
                alarms += [ErrorItem(rel, report, p.text, None, _closest(p, golds))
                           for j, p in enumerate(preds) if j not in used]
        relations[rel] = RelationScores(result["lenient"], result["strict"])
    meta = _score_meta(gold.meta, pred.metas if pred else [])
    return ReportResult(report, gold.district, pred is not None, relations, meta), misses, alarms


def _as_graph(graph: Any) -> "Graph":
    from rdflib import Dataset, Graph
    from rdflib.util import guess_format

    if isinstance(graph, Graph):
        return graph
    path = Path(graph)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: graph file not found (run `kg build` first)")
    fmt = guess_format(str(path)) or "turtle"
    target = Dataset(default_union=True) if fmt in ("trig", "nquads", "trix") else Graph()
    try:
        target.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise ValueError(f"{path}: cannot parse as {fmt}: {exc}") from None
    return target


def evaluate(gold_dir: Union[str, Path, Mapping[str, GoldReport]], graph: Union["Graph", str, Path]) -> Evaluation:
    """Score ``graph`` (an rdflib Graph or a graph file) against the gold answers in ``gold_dir``."""
    gold = gold_dir if isinstance(gold_dir, Mapping) else load_gold(gold_dir)
    predictions = predictions_from_graph(_as_graph(graph), by_report=True)
    by_name: dict[str, Predictions] = {}
    by_report: dict[tuple[str, str], Predictions] = {}
    for label in sorted(predictions):
        district, sep, report = label.partition(_REPORT_SEP)
        if sep:
            by_report[(_clean(district), report)] = predictions[label]
        else:
            by_name.setdefault(_clean(label), predictions[label])

    per_report: dict[str, ReportResult] = {}
    misses: list[ErrorItem] = []
    alarms: list[ErrorItem] = []
    scored: set[str] = set()
    for name in sorted(gold):
        key = _clean(gold[name].district)
        scored.add(key)
        # the report of the same file name when the graph has it, else all the district's reports
        result, m, a = score_report(gold[name], by_report.get((key, name)) or by_name.get(key), name)
        per_report[name] = result
        misses += m
        alarms += a

    relations = {rel: RelationScores() for rel in scored_relations()}
    for result in per_report.values():
        for rel in scored_relations():
            relations[rel] = relations[rel] + result.relations[rel]

    counts: dict[str, list[int]] = {}
    for result in per_report.values():
        for fld, mf in result.meta.items():
            c = counts.setdefault(fld, [0, 0])
            c[0] += mf.correct
            c[1] += 1
    order = list(META_FIELDS + OPTIONAL_META_FIELDS)
    meta_accuracy = {f: counts[f][0] / counts[f][1] for f in order if f in counts}
    total = sum(c[1] for c in counts.values())
    meta_overall = sum(c[0] for c in counts.values()) / total if total else 1.0

    order_rel = {rel: i for i, rel in enumerate(scored_relations())}
    misses.sort(key=lambda e: order_rel[e.relation])  # stable: report order, then gold order
    alarms.sort(key=lambda e: order_rel[e.relation])
    unscored = sorted(label for label in predictions if _REPORT_SEP not in label and _clean(label) not in scored)
    return Evaluation(relations, per_report, meta_accuracy, meta_overall, misses, alarms, unscored)


# ------------------------------------------------------------------------------------------------
# gold answers as RDF


#: The evaluation sets ``kg eval --sets`` knows: name → (report folder, gold folder), relative to the
#: repository (the dev set is read in place from ``../shared/dev``; it is never copied into the project).
EVAL_SETS = {
    "seeds": ("seeds", "tests/gold"),
    "dev": ("../shared/dev/reports", "../shared/dev/gold"),
}


def evaluate_sets(names: Sequence[str], root: Union[str, Path] = ".", *, workers: Optional[int] = 1,
                  progress: bool = False) -> dict[str, Union[Evaluation, str]]:
    """Build each named set's reports (no views, no cache) and score them against its gold: name →
    Evaluation, or → the reason it was skipped (its folders are absent)."""
    import tempfile

    from kg.build import build

    out: dict[str, Union[Evaluation, str]] = {}
    for name in names:
        if name not in EVAL_SETS:
            raise ValueError(f"unknown evaluation set {name!r}; known: {', '.join(EVAL_SETS)}")
        reports, gold = (Path(root) / p for p in EVAL_SETS[name])
        if not reports.is_dir() or not gold.is_dir():
            out[name] = f"skipped: {reports if not reports.is_dir() else gold} not found"
            continue
        with tempfile.TemporaryDirectory(prefix=f"kg-eval-{name}-") as tmp:
            result = build([reports], Path(tmp), views=False, cache=False, workers=workers, progress=progress)
            if not result.reports:
                out[name] = f"skipped: no report of {reports} could be built ({len(result.failures)} failed)"
                continue
            out[name] = evaluate(gold, Path(tmp) / "graph.ttl")
    return out


def gold_extraction(report: GoldReport):
    """A gold report as an :class:`kg.model.Extraction`: its meta line as the report's meta and each
    fact line turned into its relation's fact (``EvalSpec.from_gold``), so that the gold answers go
    through the same resolver and mapper as extracted facts."""
    from kg.model import Document, Extraction, Meta
    from kg.relation import relations

    meta = report.meta
    district = _clean(meta.get("district") or "")
    m = Meta(district=district or None, city=_str(meta.get("city")), province=_str(meta.get("province")),
             speaker=_clean(str(meta["speaker"])) if meta.get("speaker") else None,
             speaker_title=_str(meta.get("speaker_title")), date=_str(meta.get("date")),
             review_year=_int(meta.get("review_year")), plan_year=_int(meta.get("plan_year")))
    facts: dict[str, list] = {}
    for rel in relations():
        spec = rel.evaluation
        if spec is None or spec.from_gold is None:
            continue
        made = (spec.from_gold(line, district) for line in report.facts.get(spec.gold_rel, []))
        facts[rel.name] = [f for f in made if f is not None]
    doc = Document(path=str(report.path), name=report.name, text="", raw_sha256="")
    return Extraction(document=doc, meta=m, facts=facts)


def gold_to_graph(gold_dir: Union[str, Path, Mapping[str, GoldReport]]) -> "Graph":
    """The gold answers as the RDF graph a perfect ``kg build`` would write: each gold report becomes
    an extraction (:func:`gold_extraction`) mapped by :func:`kg.rdf.build_graph`, the mapper of every
    build (``dcterms:source`` is the gold file's name; there is no text, so no content hash)."""
    from kg.rdf import build_graph

    gold = gold_dir if isinstance(gold_dir, Mapping) else load_gold(gold_dir)
    return build_graph([gold_extraction(gold[name]) for name in sorted(gold)])


# ------------------------------------------------------------------------------------------------
# reports


def _f(x: float) -> str:
    return f"{x:.3f}"


def _score_row(label: Sequence[str], s: RelationScores) -> list[str]:
    le = s.lenient
    return [*label, str(le.gold), str(le.pred), str(le.tp), _f(le.precision), _f(le.recall), _f(le.f1),
            _f(s.strict.f1)]


def format_table(evaluation: Evaluation, *, per_report: bool = False) -> str:
    """Plain-text table: per relation gold, pred, TP, lenient P/R/F1 and strict F1; a meta line."""
    header = ["relation", "gold", "pred", "TP", "P", "R", "F1", "strict F1"]
    rows = [_score_row([rel], evaluation.relations[rel]) for rel in scored_relations()]
    rows.append(_score_row(["all"], evaluation.overall))
    parts = [format_rows(header, rows)]
    fields = ", ".join(f"{f} {_f(a)}" for f, a in evaluation.meta_accuracy.items())
    parts.append(f"meta accuracy {_f(evaluation.meta_overall)} over {len(evaluation.per_report)} reports "
                 f"({fields})")
    missing = [f"{name} ({r.district})" for name, r in evaluation.per_report.items() if not r.matched]
    if missing:
        parts.append("no district in the graph for: " + ", ".join(missing))
    if evaluation.unscored_districts:
        parts.append("not scored (no gold report): " + ", ".join(evaluation.unscored_districts))
    if per_report:
        rrows = [_score_row([name, r.district, rel], r.relations[rel])
                 for name, r in evaluation.per_report.items() for rel in scored_relations()]
        parts.append("")
        parts.append(format_rows(["report", "district", *header], rrows))
        for name, r in evaluation.per_report.items():
            correct = sum(m.correct for m in r.meta.values())
            wrong = [f"{f} (gold {m.gold!r}, graph {m.pred!r})" for f, m in r.meta.items() if not m.correct]
            parts.append(f"meta {name}: {correct}/{len(r.meta)} fields" + (f"; wrong: {'; '.join(wrong)}" if wrong else ""))
    return "\n".join(parts)


def _shorten(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def format_errors(evaluation: Evaluation, n: int) -> str:
    """Up to ``n`` misses and ``n`` false alarms per relation (lenient matching), with evidence."""
    lines: list[str] = []
    for rel in scored_relations():
        misses = [e for e in evaluation.misses if e.relation == rel]
        alarms = [e for e in evaluation.false_alarms if e.relation == rel]
        lines.append(f"{rel}: {len(misses)} missed, {len(alarms)} false alarms")
        for title, errors in (("missed", misses), ("false alarms", alarms)):
            if not errors:
                continue
            lines.append(f"  {title} ({min(n, len(errors))} of {len(errors)}):")
            for e in errors[:n]:
                lines.append(f"    [{e.report}] {e.item}")
                if e.evidence:
                    lines.append(f"        evidence: {_shorten(e.evidence, 100)}")
                if e.closest:
                    lines.append(f"        closest: {e.closest}")
    return "\n".join(lines)
