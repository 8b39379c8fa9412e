/* gwr-kg graph view: search, filters, legend, tooltips and neighbourhood highlight over vis-network.
   All report text reaches the page through textContent or the canvas, never as markup. */
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("gwr-data").textContent);
  const DIM_NODE = "rgba(205,205,205,0.55)";
  const DIM_EDGE = "rgba(220,220,220,0.35)";
  const EDGE = "#9aa4ad";
  const $ = (id) => document.getElementById(id);

  const nodes = new vis.DataSet(DATA.nodes);
  const edges = new vis.DataSet(DATA.edges);
  const meta = new Map(DATA.nodes.map((n, i) => [n.id, DATA.meta[i]]));
  const edgeTip = new Map(DATA.edges.map((e, i) => [e.id, DATA.edgeTips[i]]));
  const baseColor = new Map(DATA.nodes.map((n) => [n.id, n.color]));
  const container = $("network");
  const started = performance.now();
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);

  const classOn = new Map(DATA.classes.map((c) => [c[0], true]));
  let focusId = null;
  let focusSet = null;
  const state = { shown: 0, dimmed: 0, matched: 0, hiddenEdges: 0, firstDrawMs: null, stabilizedMs: null };

  // ---- legend (doubles as the class filter) ----
  const legend = $("legend-items");
  for (const [cls, zh, color, shape, count] of DATA.classes) {
    const row = document.createElement("label");
    row.className = "legend-row";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.cls = cls;
    box.addEventListener("change", () => { classOn.set(cls, box.checked); applyView(); });
    const glyph = document.createElement("span");
    glyph.className = "glyph glyph-" + shape;
    glyph.style.setProperty("--c", color);
    const name = document.createElement("span");
    name.className = "legend-name";
    name.textContent = zh;
    name.title = cls;
    const n = document.createElement("span");
    n.className = "legend-count";
    n.textContent = String(count);
    row.append(box, glyph, name, n);
    legend.append(row);
  }

  // ---- district / report filters ----
  function fill(select, items) {
    for (let i = 0; i < items.length; i++) {
      const opt = document.createElement("option");
      opt.value = String(i);
      opt.textContent = items[i];
      select.append(opt);
    }
    select.disabled = items.length < 2;
    select.addEventListener("change", applyView);
  }
  fill($("district-filter"), DATA.districts);
  fill($("report-filter"), DATA.reports);

  // ---- search ----
  const search = $("search");
  let timer = null;
  search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(applyView, 120); });
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      clearTimeout(timer);
      applyView();
      const hits = matches();
      if (hits.length) network.fit({ nodes: hits, animation: false });
    } else if (ev.key === "Escape") {
      search.value = "";
      applyView();
    }
  });
  function query() { return search.value.trim().toLowerCase(); }
  function isHit(id, q) { return meta.get(id).s.includes(q); }
  function matches() {
    const q = query();
    if (!q) return [];
    return DATA.nodes.filter((n) => !isHidden(n.id) && isHit(n.id, q)).map((n) => n.id);
  }

  $("reset").addEventListener("click", () => {
    search.value = "";
    $("district-filter").value = "";
    $("report-filter").value = "";
    for (const box of legend.querySelectorAll("input")) { box.checked = true; classOn.set(box.dataset.cls, true); }
    setFocus(null);
    network.fit({ animation: false });
  });

  function isHidden(id) {
    const m = meta.get(id);
    const d = $("district-filter").value;
    const r = $("report-filter").value;
    return !classOn.get(m.c) || (d !== "" && !m.d.includes(+d)) || (r !== "" && !m.r.includes(+r));
  }

  // ---- one pass that applies filters, search and focus to every node and edge ----
  function applyView() {
    const q = query();
    const hidden = new Map();
    const dim = new Map();
    const nodeUpdates = [];
    let shown = 0, dimmed = 0, matched = 0;
    for (const n of DATA.nodes) {
      const h = isHidden(n.id);
      let d = false;
      if (!h) {
        shown++;
        if (focusSet && !focusSet.has(n.id)) d = true;
        if (q) {
          if (isHit(n.id, q)) matched++;
          else d = true;
        }
        if (d) dimmed++;
      }
      hidden.set(n.id, h);
      dim.set(n.id, d);
      nodeUpdates.push({ id: n.id, hidden: h, color: d ? DIM_NODE : baseColor.get(n.id),
                         font: { color: d ? "rgba(150,150,150,0.6)" : "#222" } });
    }
    const edgeUpdates = [];
    let hiddenEdges = 0;
    for (const e of DATA.edges) {
      const h = hidden.get(e.from) || hidden.get(e.to);
      const d = dim.get(e.from) || dim.get(e.to);
      if (h) hiddenEdges++;
      edgeUpdates.push({ id: e.id, hidden: h, color: { color: d ? DIM_EDGE : EDGE },
                         font: { color: d ? "rgba(0,0,0,0)" : "#555" } });
    }
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    Object.assign(state, { shown: shown, dimmed: dimmed, matched: matched, hiddenEdges: hiddenEdges });
    let text = "显示 " + shown + " / " + DATA.nodes.length + " 个节点";
    if (q) text += " · 匹配 " + matched;
    if (focusId !== null) text += " · 邻居 " + (focusSet.size - 1);
    $("status").textContent = text;
    $("status").dataset.shown = String(shown);
    $("status").dataset.matched = String(matched);
  }

  // ---- neighbourhood highlight and details ----
  function setFocus(id) {
    focusId = id;
    focusSet = id === null ? null : new Set([id].concat(network.getConnectedNodes(id)));
    const details = $("details-text");
    details.textContent = id === null ? DATA.hint : meta.get(id).t;
    applyView();
  }
  network.on("click", (params) => {
    if (params.nodes.length) setFocus(params.nodes[0]);
    else if (params.edges.length) {
      setFocus(null);
      $("details-text").textContent = edgeTip.get(params.edges[0]);
    } else setFocus(null);
  });

  // ---- tooltips: plain text in a div of our own ----
  const tip = $("tooltip");
  function showTip(text, pointer) {
    tip.textContent = text;
    tip.hidden = false;
    const box = container.getBoundingClientRect();
    const x = Math.min(box.left + pointer.DOM.x + 14, window.innerWidth - tip.offsetWidth - 8);
    const y = Math.min(box.top + pointer.DOM.y + 14, window.innerHeight - tip.offsetHeight - 8);
    tip.style.left = Math.max(4, x) + "px";
    tip.style.top = Math.max(4, y) + "px";
  }
  network.on("hoverNode", (p) => showTip(meta.get(p.node).t, p.pointer));
  network.on("hoverEdge", (p) => showTip(edgeTip.get(p.edge), p.pointer));
  network.on("blurNode", () => { tip.hidden = true; });
  network.on("blurEdge", () => { tip.hidden = true; });
  network.on("dragStart", () => { tip.hidden = true; });
  network.on("zoom", () => { tip.hidden = true; });

  // milliseconds since navigation start (performance.now()'s origin), read by tests and benchmarks
  state.scriptStartMs = started;
  network.once("afterDrawing", () => { state.firstDrawMs = performance.now(); });
  network.once("stabilized", () => { state.stabilizedMs = performance.now(); });

  window.gwrView = { network: network, nodes: nodes, edges: edges, state: state, apply: applyView, focus: setFocus };
  $("details-text").textContent = DATA.hint;
  applyView();
})();
