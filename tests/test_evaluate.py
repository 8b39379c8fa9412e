"""The gold scorer (kg/evaluate.py): name matching, one-to-one matching, tolerances, end-to-end figures."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kg.evaluate import (
    RELATIONS, GoldReport, Predictions, bigram_dice, display_width, evaluate, format_errors, format_rows,
    format_table, gold_to_graph, load_gold, name_similarity, names_match, normalize_name,
    predictions_from_graph, score_report,
)

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
GWR = "https://w3id.org/gwr/ontology#"

META = {"rel": "meta", "district": "石龙区", "city": "平顶山市", "province": "河南省", "speaker": "李明",
        "speaker_title": "区长", "date": "2024-01-17", "review_year": 2023, "plan_year": 2024}


def _gold(facts: dict[str, list[dict]], meta: dict = META) -> GoldReport:
    return GoldReport("t", Path("t.jsonl"), dict(meta), {rel: facts.get(rel, []) for rel in RELATIONS})


def _pred(facts: dict[str, list[dict]], district: str = "石龙区") -> Predictions:
    return Predictions(district, [], {rel: facts.get(rel, []) for rel in RELATIONS})


def _und(name: str, district: str = "石龙区") -> dict:
    return {"rel": "undertakes", "subject": district, "object": name, "status": "underway", "evidence": "…"}


def _scores(gold: GoldReport, pred: Predictions, rel: str):
    result, _, _ = score_report(gold, pred)
    return result.relations[rel]


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("ＯＬＥＤ电子材料１期", "OLED电子材料1期"),          # NFKC: full-width letters and digits
    ("金振高科 OLED\u3000电子材料", "金振高科OLED电子材料"),  # whitespace, ideographic space too
    ("“欢乐湘江”文旅综合", "欢乐湘江文旅综合"),
    ("河南（平顶山）电子半导体产业园区", "河南平顶山电子半导体产业园区"),
    ("《平顶山市志》「新编」『卷一』【上】〈下〉[注]'a'\"b\"", "平顶山市志新编卷一上下注ab"),
    ("神马焦炉气综合利用项目", "神马焦炉气综合利用"),
    ("沙颍河防洪治理工程", "沙颍河防洪治理"),
    ("“数字经济产业园”项目", "数字经济产业园"),
    ("项目管理中心", "项目管理中心"),                    # only a trailing 项目 goes
    ("项目", "项目"),                                    # never to an empty name
])
def test_normalize_name(raw, expected):
    assert normalize_name(raw) == expected


def test_bigram_dice_uses_sets_as_the_referee_does():
    assert bigram_dice("哈哈哈", "哈哈") == pytest.approx(1.0)   # {哈哈} both: the referee's set overlap
    assert bigram_dice("平宝新材料胶粘剂", "平宝新材料胶黏剂") == pytest.approx(10 / 14)
    assert bigram_dice("工业二路", "工业三路") == pytest.approx(2 / 6)


def test_lenient_and_strict_name_matching():
    # equal after normalization: both
    assert names_match("神马焦炉气综合利用项目", "神马焦炉气综合利用", strict=True)
    # containment: lenient only, and only when the shorter name is most of the longer (as the referee)
    assert names_match("数字产业园", "数字产业园一期") and not names_match("数字产业园", "数字产业园一期", strict=True)
    assert not names_match("东方碳素", "东方碳素年产三万吨特种石墨")
    # bigram overlap above the threshold (10/14) and exactly at it (6/10)
    assert names_match("平宝新材料胶粘剂", "平宝新材料胶黏剂")
    assert name_similarity("东方碳素二期", "东方碳素三期") == pytest.approx(0.6)
    assert not names_match("平宝新材料胶粘剂", "平宝新材料胶黏剂", strict=True)
    # below the threshold: two different roads
    assert not names_match("工业二路", "工业三路")
    # a one-character name does not match by containment
    assert not names_match("园", "数字产业园")


# --- matching rules --------------------------------------------------------------------------------


def test_one_prediction_per_gold_item():
    gold = _gold({"undertakes": [_und("数字产业园")]})
    pred = _pred({"undertakes": [_und("数字产业园一期"), _und("数字产业园二期")]})
    s = _scores(gold, pred, "undertakes")
    assert (s.lenient.tp, s.lenient.fp, s.lenient.fn) == (1, 1, 0)
    assert (s.strict.tp, s.strict.fp, s.strict.fn) == (0, 2, 1)


def test_one_gold_item_per_prediction():
    gold = _gold({"undertakes": [_und("数字产业园一期"), _und("数字产业园二期")]})
    pred = _pred({"undertakes": [_und("数字产业园")]})
    s = _scores(gold, pred, "undertakes")
    assert (s.lenient.tp, s.lenient.fp, s.lenient.fn) == (1, 0, 1)


def test_matching_is_maximum_not_greedy():
    # 东方碳素 equals one prediction exactly but also matches a longer one (containment 4/6); 平顶山东方碳素
    # only matches the exact one (Dice 6/9). Greedy "exact pairs first" finds 1 pair, a maximum matching 2.
    gold = _gold({"undertakes": [_und("东方碳素"), _und("平顶山东方碳素")]})
    pred = _pred({"undertakes": [_und("东方碳素"), _und("东方碳素二期")]})
    assert names_match("东方碳素", "东方碳素二期") and names_match("平顶山东方碳素", "东方碳素")
    assert not names_match("平顶山东方碳素", "东方碳素二期")
    s = _scores(gold, pred, "undertakes")
    assert (s.lenient.tp, s.lenient.fp, s.lenient.fn) == (2, 0, 0)
    assert (s.strict.tp, s.strict.fp, s.strict.fn) == (1, 1, 1)


def _inv(project: str, amount, currency: str | None = None) -> dict:
    line = {"rel": "invests", "subject": project, "amount_yuan": amount, "kind": "total", "evidence": "…"}
    if currency:
        line["currency"] = currency
    return line


@pytest.mark.parametrize("amount, currency, matches", [
    (30_120_000, None, True),     # +0.4 %
    (29_880_000, None, True),     # -0.4 %
    (30_180_000, None, False),    # +0.6 %
    (29_820_000, None, False),    # -0.6 %
    (30_000_000, "USD", False),   # same number, other currency
])
def test_amount_tolerance(amount, currency, matches):
    gold = _gold({"invests": [_inv("数字经济产业园", 30_000_000)]})
    pred = _pred({"invests": [_inv("数字经济产业园", amount, currency)]})
    s = _scores(gold, pred, "invests")
    assert s.lenient.tp == s.strict.tp == (1 if matches else 0)


def _ind(indicator="地区生产总值", year=2023, kind="actual", measure="growth_pct", value=7,
         district="石龙区") -> dict:
    return {"rel": "indicator", "subject": district, "indicator": indicator, "year": year, "kind": kind,
            "measure": measure, "value": value, "evidence": "…"}


@pytest.mark.parametrize("change, matches", [
    ({}, True),
    ({"value": 7.0}, True),
    ({"value": 7.0000001}, True),
    ({"value": 7.1}, False),
    ({"year": 2024}, False),
    ({"kind": "target"}, False),
    ({"measure": "amount_yuan"}, False),
    ({"indicator": "地区生产总值增速"}, False),   # indicator names are exact, never lenient
    ({"district": "石鼓区"}, False),
])
def test_indicator_fields_are_exact(change, matches):
    gold = _gold({"indicator": [_ind()]})
    pred = _pred({"indicator": [_ind(**change)]})
    s = _scores(gold, pred, "indicator")
    assert s.lenient.tp == s.strict.tp == (1 if matches else 0)


def test_award_needs_recipient_and_award():
    def aw(recipient, award):
        return {"rel": "receivesAward", "subject": recipient, "subject_type": "Enterprise", "object": award}

    gold = _gold({"receivesAward": [aw("东方碳素", "国家级绿色工厂")]})
    assert _scores(gold, _pred({"receivesAward": [aw("东方碳素公司", "国家级绿色工厂")]}), "receivesAward").lenient.tp == 1
    assert _scores(gold, _pred({"receivesAward": [aw("东方碳素", "省级绿色工厂")]}), "receivesAward").lenient.tp == 1
    assert _scores(gold, _pred({"receivesAward": [aw("平高电气", "国家级绿色工厂")]}), "receivesAward").lenient.tp == 0
    assert _scores(gold, _pred({"receivesAward": [aw("东方碳素", "全国质量奖")]}), "receivesAward").lenient.tp == 0


def test_duplicates_collapse():
    gold = _gold({"undertakes": [_und("数字经济产业园"), _und("“数字经济产业园”项目"), _und("数字经济产业园")],
                  "indicator": [_ind(value=7), _ind(value=7.0)]})
    pred = _pred({"undertakes": [_und("数字经济产业园"), _und("数字经济产业园 ")],
                  "indicator": [_ind(value=7.0), _ind(value=7.0)]})
    for rel in ("undertakes", "indicator"):
        s = _scores(gold, pred, rel)
        assert (s.lenient.tp, s.lenient.fp, s.lenient.fn) == (1, 0, 0), rel


def test_scores_edge_cases():
    gold, pred = _gold({}), _pred({"undertakes": [_und("工业二路")]})
    s = _scores(gold, pred, "undertakes").lenient
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)
    s = _scores(gold, pred, "invests").lenient     # nothing expected, nothing said
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    s = _scores(_gold({"undertakes": [_und("工业二路")]}), _pred({}), "undertakes").lenient
    assert (s.tp, s.fp, s.fn, s.f1) == (0, 0, 1, 0.0)


# --- load_gold ------------------------------------------------------------------------------------


def _write_gold(folder: Path, name: str, lines: list) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.jsonl"
    path.write_text("".join((json.dumps(x, ensure_ascii=False) if not isinstance(x, str) else x) + "\n"
                            for x in lines), encoding="utf-8")
    return path


def test_load_gold_reads_files(tmp_path):
    _write_gold(tmp_path, "b", [META, _und("工业二路"), "", _ind()])
    _write_gold(tmp_path, "a", [dict(META, district="石鼓区")])
    gold = load_gold(tmp_path)
    assert list(gold) == ["a", "b"]
    assert gold["b"].district == "石龙区"
    assert [len(gold["b"].facts[rel]) for rel in RELATIONS] == [1, 0, 0, 1]


@pytest.mark.parametrize("lines, message", [
    ([META, '{"rel": "undertakes", "subject": '], r"bad\.jsonl:2: bad JSON"),
    ([_und("工业二路")], r"bad\.jsonl: missing meta line"),
    ([META, {"rel": "project", "subject": "x"}], r"bad\.jsonl:2: unknown rel 'project'"),
    ([META, {"rel": "undertakes", "subject": "石龙区"}], r"bad\.jsonl:2: undertakes line lacks object"),
    ([META, META], r"bad\.jsonl:2: a second meta line"),
    ([META, _ind(kind="plan")], r"bad\.jsonl:2: indicator kind"),
    ([META, "[1, 2]"], r"bad\.jsonl:2: expected a JSON object"),
])
def test_load_gold_errors_name_file_and_line(tmp_path, lines, message):
    _write_gold(tmp_path, "bad", lines)
    with pytest.raises(ValueError, match=message):
        load_gold(tmp_path)


def test_load_gold_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_gold(tmp_path / "nope")
    with pytest.raises(ValueError, match="no \\*.jsonl"):
        load_gold(tmp_path)


# --- end to end on a hand-made graph -----------------------------------------------------------------


def _hand_graph():
    """A small graph written by hand the way docs/MODEL.md describes it."""
    from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, PROV

    G, ID = Namespace(GWR), Namespace("https://w3id.org/gwr/id/")
    g = Graph()

    def node(kind, key, cls, label):
        n = ID[f"{kind}/{key}"]
        if cls is not None:
            g.add((n, RDF.type, cls))
        g.add((n, RDFS.label, Literal(label, lang="zh")))
        return n

    def dec(x):
        return Literal(Decimal(x), datatype=XSD.decimal)

    def integer(x):
        return Literal(x, datatype=XSD.integer)

    def stmt(key, s, p, o, report, evidence="…"):
        g.add((s, p, o))
        st = ID[f"stmt/{key}"]
        for pred, obj in ((RDF.type, RDF.Statement), (RDF.subject, s), (RDF.predicate, p), (RDF.object, o),
                          (PROV.wasDerivedFrom, report), (G.evidence, Literal(evidence, lang="zh"))):
            g.add((st, pred, obj))

    report = node("report", "r1", G.Report, "石龙区2024年政府工作报告")
    district = node("district", "410404", G.District, "石龙区")
    g.add((report, G.about, district))
    g.add((district, G.inCity, node("city", "410400", G.City, "平顶山市")))
    g.add((district, G.inProvince, node("province", "410000", G.Province, "河南省")))
    g.add((report, G.deliveredBy, node("person", "p1", G.Person, "李明")))
    g.add((report, DCTERMS.date, Literal("2024-01-17", datatype=XSD.date)))
    g.add((report, G.reviewYear, integer(2023)))
    g.add((report, G.planYear, integer(2023)))          # wrong: the gold says 2024

    # undertakes: one exact, one lenient only (containment), one wrong; gold 泉上民宿 is missed
    p_shenma = node("project", "p1", G.Project, "神马焦炉气综合利用")
    p_digital = node("project", "p2", G.Project, "数字产业园")
    p_road = node("project", "p3", G.Project, "工业三路")
    for i, p in enumerate((p_shenma, p_digital, p_road)):
        stmt(f"u{i}", district, G.undertakes, p, report)
    g.add((p_shenma, G.projectStatus, G.Underway))
    g.add((p_digital, G.projectStatus, G.Completed))

    # invests: CNY within 0.5 % (project lenient), USD read from gwr:amount/gwr:currency
    m1 = node("amount", "m1", G.MonetaryAmount, "3010万元")
    g.add((m1, G.amountInYuan, dec("30100000")))
    g.add((m1, G.amount, dec("30100000")))
    g.add((m1, G.currency, Literal("CNY")))
    g.add((m1, G.investmentKind, G.TotalInvestment))
    stmt("i1", p_digital, G.invests, m1, report)
    m2 = node("amount", "m2", G.MonetaryAmount, "500万美元")
    g.add((m2, G.amount, dec("5000000")))
    g.add((m2, G.currency, Literal("USD")))
    g.add((m2, G.investmentKind, G.OtherAmount))
    stmt("i2", p_shenma, G.invests, m2, report)

    # awards: an enterprise (lenient name), the district itself (exact), a wrong one, and one without
    # a statement (belongs to no report, so to no district: not scored)
    carbon = node("org", "o1", G.Enterprise, "东方碳素有限公司")
    g.add((carbon, RDF.type, G.Organization))
    g.add((carbon, RDF.type, URIRef("http://www.w3.org/ns/org#Organization")))
    g.add((carbon, G.locatedIn, district))
    green = node("award", "a1", G.Award, "国家级绿色工厂")
    stmt("w1", carbon, G.receivesAward, green, report)
    stmt("w2", district, G.receivesAward, node("award", "a2", G.Award, "全市信访工作先进县区"), report)
    pinggao = node("org", "o2", G.Enterprise, "平高电气")
    stmt("w3", pinggao, G.receivesAward, node("award", "a3", G.Award, "省专精特新中小企业"), report)
    stray = node("org", "o3", G.Enterprise, "冠宏矿山")
    g.add((stray, G.receivesAward, node("award", "a4", G.Award, "全国质量奖")))

    # indicators: one observation with two measures (both right), one target with a wrong value
    gdp = node("indicator", "gdp", G.Indicator, "地区生产总值")
    for key, year, kind, pct, yuan in (("o1", 2023, G.Actual, "4.2", "25641000000"),
                                       ("o2", 2024, G.Target, "6.0", None)):
        obs = node("obs", key, G.IndicatorObservation, f"石龙区{year}年地区生产总值")
        g.add((district, G.hasObservation, obs))
        g.add((obs, G.indicator, gdp))
        g.add((obs, G.year, integer(year)))
        g.add((obs, G.observationKind, kind))
        g.add((obs, G.growthPercent, dec(pct)))
        if yuan:
            g.add((obs, G.amountInYuan, dec(yuan)))

    # another district, with no gold report: not scored
    other = node("district", "410403", G.District, "卫东区")
    stmt("x1", other, G.undertakes, node("project", "p9", G.Project, "工业二路"),
         node("report", "r2", G.Report, "卫东区2024年政府工作报告"))
    return g


def _hand_gold(folder: Path) -> Path:
    def aw(recipient, rtype, award):
        return {"rel": "receivesAward", "subject": recipient, "subject_type": rtype, "object": award,
                "year": 2023, "evidence": f"{recipient}获评{award}"}

    _write_gold(folder, "shilong-2024", [
        META,
        _und("神马焦炉气综合利用"), _und("数字产业园一期"), _und("工业二路"), _und("泉上民宿"),
        dict(_inv("数字产业园一期", 30_000_000), amount_text="3000万元"),
        dict(_inv("神马焦炉气综合利用", 5_000_000, "USD"), kind="other"),
        aw("东方碳素", "Enterprise", "国家级绿色工厂"), aw("石龙区", "District", "全市信访工作先进县区"),
        _ind(value=4.2), _ind(measure="amount_yuan", value=25641000000),
        _ind(year=2024, kind="target", value=6.5),
    ])
    return folder


def test_predictions_from_hand_graph():
    preds = predictions_from_graph(_hand_graph())
    assert sorted(preds) == ["卫东区", "石龙区"]
    p = preds["石龙区"]
    assert p.metas == [{"district": "石龙区", "city": "平顶山市", "province": "河南省", "speaker": "李明",
                        "date": "2024-01-17", "review_year": 2023, "plan_year": 2023}]
    statuses = {x["object"]: x["status"] for x in p.facts["undertakes"]}
    assert statuses == {"神马焦炉气综合利用": "underway", "数字产业园": "completed", "工业三路": "unknown"}
    invests = sorted((x["subject"], x["amount_yuan"], x["currency"], x["kind"]) for x in p.facts["invests"])
    assert invests == [("数字产业园", 30_100_000, "CNY", "total"), ("神马焦炉气综合利用", 5_000_000, "USD", "other")]
    awards = sorted((x["subject"], x["subject_type"], x["object"]) for x in p.facts["receivesAward"])
    assert awards == [("东方碳素有限公司", "Enterprise", "国家级绿色工厂"), ("平高电气", "Enterprise", "省专精特新中小企业"),
                      ("石龙区", "District", "全市信访工作先进县区")]
    indicators = sorted((x["year"], x["kind"], x["measure"], x["value"]) for x in p.facts["indicator"])
    assert indicators == [(2023, "actual", "amount_yuan", 25641000000), (2023, "actual", "growth_pct", 4.2),
                          (2024, "target", "growth_pct", 6.0)]


def test_end_to_end_figures(tmp_path):
    ev = evaluate(_hand_gold(tmp_path / "gold"), _hand_graph())
    figures = {rel: ((s.lenient.tp, s.lenient.fp, s.lenient.fn), (s.strict.tp, s.strict.fp, s.strict.fn))
               for rel, s in ev.relations.items()}
    assert figures == {
        "undertakes": ((2, 1, 2), (1, 2, 3)),      # 神马 exact, 数字产业园 ⊂ 数字产业园一期; 工业三路 ≠ 工业二路
        "invests": ((2, 0, 0), (1, 1, 1)),         # 3010万 vs 3000万 is 0.33 %; USD amount read
        "receivesAward": ((2, 1, 0), (1, 2, 1)),   # 东方碳素有限公司 ⊃ 东方碳素; 平高电气 is wrong
        "indicator": ((2, 1, 1), (2, 1, 1)),       # two measures of one observation; 6.0 ≠ 6.5
    }
    u, i, a, n = (ev.relations[r] for r in RELATIONS)
    assert (u.lenient.precision, u.lenient.recall, u.lenient.f1) == pytest.approx((2 / 3, 1 / 2, 4 / 7))
    assert (u.strict.precision, u.strict.recall, u.strict.f1) == pytest.approx((1 / 3, 1 / 4, 2 / 7))
    assert (i.lenient.f1, i.strict.f1) == pytest.approx((1.0, 0.5))
    assert (a.lenient.precision, a.lenient.recall, a.lenient.f1) == pytest.approx((2 / 3, 1.0, 0.8))
    assert (a.strict.precision, a.strict.recall, a.strict.f1) == pytest.approx((1 / 3, 1 / 2, 0.4))
    assert (n.lenient.precision, n.lenient.recall, n.lenient.f1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    total = ev.overall.lenient
    assert (total.tp, total.fp, total.fn) == (8, 3, 3)
    assert total.f1 == pytest.approx(8 / 11)
    assert ev.meta_accuracy == {"district": 1.0, "city": 1.0, "province": 1.0, "speaker": 1.0, "date": 1.0,
                                "review_year": 1.0, "plan_year": 0.0}
    assert ev.meta_overall == pytest.approx(6 / 7)
    assert ev.unscored_districts == ["卫东区"]
    report = ev.per_report["shilong-2024"]
    assert report.matched and report.relations == ev.relations
    assert not report.meta["plan_year"].correct and report.meta["plan_year"].pred == 2023

    misses = {(e.relation, e.item) for e in ev.misses}
    assert misses == {("undertakes", "石龙区 → 工业二路 (underway)"), ("undertakes", "石龙区 → 泉上民宿 (underway)"),
                      ("indicator", "石龙区 地区生产总值 2024 target growth_pct=6.5")}
    assert all(e.evidence for e in ev.misses)
    alarms = {(e.relation, e.item) for e in ev.false_alarms}
    assert alarms == {("undertakes", "石龙区 → 工业三路 (unknown)"),
                      ("receivesAward", "平高电气 [Enterprise] ← 省专精特新中小企业"),
                      ("indicator", "石龙区 地区生产总值 2024 target growth_pct=6")}
    # the closest counterpart is shown for a wrong value
    assert [e.closest for e in ev.false_alarms if e.relation == "indicator"] == [
        "石龙区 地区生产总值 2024 target growth_pct=6.5"]

    data = ev.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert list(data["relations"]) == list(RELATIONS)
    assert data["relations"]["undertakes"]["lenient"] == {"tp": 2, "fp": 1, "fn": 2, "gold": 4, "pred": 3,
                                                          "precision": 0.666667, "recall": 0.5, "f1": 0.571429}
    assert data["meta"]["overall"] == pytest.approx(6 / 7, abs=1e-6)


def test_end_to_end_from_turtle_file_and_text_outputs(tmp_path):
    path = tmp_path / "graph.ttl"
    _hand_graph().serialize(path, format="turtle")
    gold = _hand_gold(tmp_path / "gold")
    ev = evaluate(gold, path)
    assert ev.overall.lenient.tp == 8
    assert json.dumps(ev.to_dict(), ensure_ascii=False) == json.dumps(evaluate(gold, path).to_dict(),
                                                                       ensure_ascii=False)
    table = format_table(ev, per_report=True)
    row = next(line for line in table.splitlines() if line.startswith("undertakes"))
    assert row.split() == ["undertakes", "4", "3", "2", "0.667", "0.500", "0.571", "0.286"]
    assert "meta accuracy 0.857" in table and "plan_year 0.000" in table
    assert "not scored (no gold report): 卫东区" in table
    assert "meta shilong-2024: 6/7 fields; wrong: plan_year (gold 2024, graph 2023)" in table
    errors = format_errors(ev, 1)
    assert "undertakes: 2 missed, 1 false alarms" in errors
    assert "missed (1 of 2):" in errors and "[shilong-2024] 石龙区 → 工业二路 (underway)" in errors
    assert "泉上民宿" not in errors      # n=1 per list
    with pytest.raises(FileNotFoundError):
        evaluate(gold, tmp_path / "missing.ttl")


def test_gold_report_without_district_in_graph(tmp_path):
    _write_gold(tmp_path, "zhanhe-2024", [dict(META, district="湛河区"), _und("苗张路沙河大桥", "湛河区")])
    ev = evaluate(tmp_path, _hand_graph())
    result = ev.per_report["zhanhe-2024"]
    assert not result.matched
    s = ev.relations["undertakes"].lenient
    assert (s.tp, s.fp, s.fn) == (0, 0, 1)
    assert ev.meta_accuracy["district"] == 0.0
    assert ev.unscored_districts == ["卫东区", "石龙区"]
    assert "no district in the graph for: zhanhe-2024 (湛河区)" in format_table(ev)


# --- the real gold against itself ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def gold_graph():
    return gold_to_graph(GOLD)


def test_gold_scores_perfectly_against_itself(gold_graph):
    ev = evaluate(GOLD, gold_graph)
    assert set(ev.per_report) == {p.stem for p in GOLD.glob("*.jsonl")}
    for rel, s in ev.relations.items():
        assert s.lenient.f1 == 1.0 and s.strict.f1 == 1.0, rel
        assert s.lenient.gold > 0, rel
    for name, result in ev.per_report.items():
        assert result.matched, name
        assert all(s.strict.f1 == 1.0 for s in result.relations.values()), name
    assert ev.meta_overall == 1.0 and set(ev.meta_accuracy.values()) == {1.0}
    assert ev.misses == [] and ev.false_alarms == [] and ev.unscored_districts == []


def test_gold_graph_follows_the_model(gold_graph, tmp_path):
    from rdflib import RDFS, Graph, URIRef

    subjects = {s for s in gold_graph.subjects() if isinstance(s, URIRef)}
    assert subjects and all(str(s).startswith("https://w3id.org/gwr/id/") and str(s).isascii() for s in subjects)
    labelled = {s for s in subjects if (s, RDFS.label, None) in gold_graph}
    assert all(len(list(gold_graph.objects(s, RDFS.label))) == 1 for s in labelled)
    # deterministic IRIs, and the Turtle round trip keeps every value
    assert set(gold_to_graph(GOLD)) == set(gold_graph)
    path = tmp_path / "gold.ttl"
    gold_graph.serialize(path, format="turtle")
    assert evaluate(GOLD, Graph().parse(path)).overall.strict.f1 == 1.0


# --- text helpers ----------------------------------------------------------------------------------


def test_display_width_and_format_rows():
    assert display_width("石龙区ab") == 8
    assert display_width("ＡＢ") == 4 and display_width("a b") == 3
    table = format_rows(["district", "n", "note"], [["石龙区", 12, "x"], ["ab", 3, "全市先进"], ["卫东区ab", 100, "y"]])
    lines = table.splitlines()
    assert len(lines) == 5
    header, rule, *body = lines
    assert [len(dashes) for dashes in rule.split("  ")] == [display_width("卫东区ab"), 3, display_width("全市先进")]

    def offset(line: str, value: str) -> int:
        first = line.split()[0]
        return display_width(line[:line.index(value, len(first))])

    # text columns start at the same display column on every line, numbers end at the same one
    assert len({offset(line, v) for line, v in zip([header] + body, ["note", "x", "全市先进", "y"])}) == 1
    assert len({offset(line, v) + len(v) for line, v in zip(body, ["12", "3", "100"])}) == 1
    assert offset(header, "note") == display_width("卫东区ab") + 2 + 3 + 2


def test_import_is_light():
    code = "import sys, kg.evaluate; bad = [m for m in ('rdflib', 'spacy') if m in sys.modules]; print(bad)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
