"""How fast do the graph views draw? Prints figures; asserts nothing.

For the seeds' full graph (built into a temporary folder) and for a synthetic graph of N entities
shaped like a real build (districts with reports, projects, amounts, recipients, awards and
indicator observations, every edge with an evidence statement), it prints:

- Python: seconds to turn the RDF graph into networkx, lay it out, and write the page;
- Chromium (headless, network blocked): milliseconds from navigation start to the end of the
  page's script and to vis-network's first drawing. Positions are precomputed and physics is off,
  so the first drawing is the settled layout; ``--physics`` also times vis-network's own
  stabilisation from those positions, for comparison.

Usage:
    .venv/bin/python benchmarks/views_bench.py                 # seeds + 2,000-node synthetic graph
    .venv/bin/python benchmarks/views_bench.py --nodes 5000 --runs 5 --physics
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
INDICATORS = ["地区生产总值", "规模以上工业增加值", "固定资产投资", "社会消费品零售总额", "一般公共预算收入",
              "居民人均可支配收入"]


def synthetic_graph(n_nodes: int, *, districts: int = 10, seed: int = 1):
    """An RDF graph of about ``n_nodes`` entities in the builder's vocabulary."""
    import random

    from rdflib import RDF, RDFS, Literal, URIRef
    from rdflib.namespace import PROV, XSD

    from kg.iri import mint
    from kg.rdf import GWR, new_graph, zh

    rnd = random.Random(seed)
    g = new_graph()

    def entity(kind, key, cls, label):
        node = URIRef(mint(kind, *key))
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, zh(label)))
        return node

    def stmt(s, p, o, report, sentence):
        g.add((s, p, o))
        st = URIRef(mint("stmt", s, p, o, report))
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        g.add((st, PROV.wasDerivedFrom, report))
        g.add((st, GWR.evidence, zh(sentence)))

    province = entity("province", ("省",), GWR.Province, "某某省")
    city = entity("city", ("市",), GWR.City, "某某市")
    g.add((city, GWR.inProvince, province))
    indicators = [entity("indicator", (name,), GWR.Indicator, name) for name in INDICATORS]
    awards = [entity("award", (f"a{i}",), GWR.Award, f"第{i}届先进单位") for i in range(max(10, n_nodes // 40))]
    fixed = 2 + len(indicators) + len(awards)
    per_district = max(10, (n_nodes - fixed) // districts)
    for d in range(districts):
        district = entity("district", (f"d{d}",), GWR.District, f"第{d}区")
        g.add((district, GWR.inCity, city))
        g.add((district, GWR.inProvince, province))
        report = entity("report", (f"r{d}",), GWR.Report, f"第{d}区2024年政府工作报告")
        g.add((report, GWR.about, district))
        g.add((report, GWR.planYear, Literal(2024, datatype=XSD.integer)))
        person = entity("person", (f"p{d}",), GWR.Person, f"区长{d}")
        g.add((report, GWR.deliveredBy, person))
        budget = per_district - 3
        n_obs, n_orgs = budget // 10, budget // 6
        n_amounts = budget // 12
        n_projects = budget - n_obs - n_orgs - n_amounts
        projects = []
        for i in range(n_projects):
            p = entity("project", (d, i), GWR.Project, f"第{d}区重点项目{i}号产业园")
            stmt(district, GWR.undertakes, p, report, f"实施了第{d}区重点项目{i}号产业园等项目。")
            projects.append(p)
        for i in range(n_amounts):
            m = entity("amount", (d, i), GWR.MonetaryAmount, f"{rnd.randint(1, 90)}亿元")
            g.add((m, GWR.amountInYuan, Literal(rnd.randint(1, 90) * 10 ** 8, datatype=XSD.decimal)))
            stmt(projects[i % len(projects)], GWR.invests, m, report, "总投资若干亿元。")
        for i in range(n_orgs):
            o = entity("org", (d, i), GWR.Enterprise, f"第{d}区企业{i}")
            g.add((o, GWR.locatedIn, district))
            stmt(o, GWR.receivesAward, rnd.choice(awards), report, f"第{d}区企业{i}荣获称号。")
        for i in range(n_obs):
            obs = entity("obs", (d, i), GWR.IndicatorObservation, f"第{d}区指标{i}")
            g.add((obs, GWR.indicator, indicators[i % len(indicators)]))
            g.add((obs, PROV.wasDerivedFrom, report))
            g.add((obs, GWR.evidence, zh("增长5%。")))
            g.add((district, GWR.hasObservation, obs))
    return g


def time_python(graph, out: Path) -> tuple[float, float, int, int]:
    from kg.views.model import to_networkx
    from kg.views.pyvis_view import write_nx_view

    t0 = time.perf_counter()
    g = to_networkx(graph)
    t1 = time.perf_counter()
    write_nx_view(g, out, title="bench")
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, g.number_of_nodes(), g.number_of_edges()


def time_browser(browser, path: Path, runs: int, physics: bool) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"script": [], "first_draw": [], "stabilized": []}
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.gwrView && window.gwrView.state.firstDrawMs !== null", timeout=120_000)
        state = page.evaluate("window.gwrView.state")
        out["script"].append(state["scriptStartMs"])
        out["first_draw"].append(state["firstDrawMs"])
        if physics:
            ms = page.evaluate("""() => new Promise((done) => {
                const net = window.gwrView.network, t = performance.now();
                net.once('stabilized', () => done(performance.now() - t));
                net.setOptions({physics: {enabled: true, solver: 'barnesHut',
                                          stabilization: {enabled: true, iterations: 200, updateInterval: 50}}});
                net.stabilize(200);
            })""")
            out["stabilized"].append(ms)
        page.close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=2000, help="entities in the synthetic graph (default 2000)")
    ap.add_argument("--runs", type=int, default=3, help="page loads per graph (default 3)")
    ap.add_argument("--physics", action="store_true", help="also time vis-network's physics stabilisation")
    args = ap.parse_args(argv)

    from kg.build import build

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seeds = build([ROOT / "seeds"], tmp / "seeds", views=False, progress=False)
        from rdflib import Graph

        graphs = {"seeds (full graph)": Graph().parse(tmp / "seeds" / "graph.ttl", format="turtle"),
                  f"synthetic {args.nodes}": synthetic_graph(args.nodes)}
        del seeds
        pages = {}
        print(f"{'graph':24} {'nodes':>6} {'edges':>6} {'to_networkx s':>13} {'layout+write s':>14} {'page MB':>8}")
        for name, graph in graphs.items():
            path = tmp / f"{len(pages)}.html"
            t_nx, t_write, n, e = time_python(graph, path)
            pages[name] = (path, n, e)
            print(f"{name:24} {n:6d} {e:6d} {t_nx:13.2f} {t_write:14.2f} {path.stat().st_size / 1e6:8.2f}")

        if not Path(CHROMIUM).exists():
            print(f"{CHROMIUM} missing: no browser figures (apt-get install chromium)")
            return 0
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            print(f"\nChromium, median of {args.runs} loads, ms from navigation start "
                  f"(physics off, positions precomputed: first draw = settled)")
            header = f"{'graph':24} {'script start':>12} {'first draw':>10}"
            print(header + (f" {'physics stabilise (extra)':>26}" if args.physics else ""))
            for name, (path, n, e) in pages.items():
                t = time_browser(browser, path, args.runs, args.physics)
                line = f"{name:24} {statistics.median(t['script']):12.0f} {statistics.median(t['first_draw']):10.0f}"
                if args.physics:
                    line += f" {statistics.median(t['stabilized']):26.0f}"
                print(line)
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
