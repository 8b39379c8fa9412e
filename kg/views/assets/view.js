/* gwr-kg graph view: search, filters, legend, tooltips and neighbourhood highlight over vis-network.
   All report text reaches the page through textContent or the canvas, never as markup. */
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("gwr-data").textContent);
  const DIM_NODE = "rgba(205,205,205,0.55)";
  const DIM_EDGE = "rgba(220,220,220,0.35)";
  const EDGE = "#9aa4ad";
  const $ = (id) => document.getElementById(id);
  const tip = $("tooltip");

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
  let hoverId = null;
  let hiddenNow = new Map();
  let dimNow = new Map();
  const state = { shown: 0, dimmed: 0, matched: 0, hiddenEdges: 0, firstDrawMs: null, stabilizedMs: null,
                  labels: [] };

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
      tip.hidden = true;
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
    fitAll();
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
    hiddenNow = hidden;
    dimNow = dim;
    tip.hidden = true;
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
    tip.hidden = true;
    if (params.nodes.length) setFocus(params.nodes[0]);
    else if (params.edges.length) {
      setFocus(null);
      $("details-text").textContent = edgeTip.get(params.edges[0]);
    } else setFocus(null);
  });

  // ---- tooltips: plain text in a div of our own ----
  function showTip(text, pointer) {
    tip.textContent = text;
    tip.hidden = false;
    const box = container.getBoundingClientRect();
    const x = Math.min(box.left + pointer.DOM.x + 14, window.innerWidth - tip.offsetWidth - 8);
    const y = Math.min(box.top + pointer.DOM.y + 14, window.innerHeight - tip.offsetHeight - 8);
    tip.style.left = Math.max(4, x) + "px";
    tip.style.top = Math.max(4, y) + "px";
  }
  network.on("hoverNode", (p) => { hoverId = p.node; network.redraw(); showTip(meta.get(p.node).h, p.pointer); });
  network.on("hoverEdge", (p) => showTip(edgeTip.get(p.edge).split("\n")[0] + "\n点击查看证据 · click for evidence",
                                         p.pointer));
  network.on("blurNode", () => { tip.hidden = true; hoverId = null; network.redraw(); });
  network.on("blurEdge", () => { tip.hidden = true; });
  network.on("dragStart", () => { tip.hidden = true; });
  network.on("zoom", () => { tip.hidden = true; });

  // ---- labels: drawn here, at a fixed on-screen size, most important first, never overlapping ----
  // rank (meta.p): 0 districts, 1 awards, 2 best-connected nodes: drawn at every zoom where they fit;
  // 3 the rest: from REVEAL_SCALE on, or the hovered node and the clicked node's neighbourhood.
  const LABEL_PX = 13;       // kg/views/layout.py (LABEL_PX) keeps rank 0-2 labels apart at this size
  const DISTRICT_PX = 15;
  const REVEAL_SCALE = 0.9;
  const FONT = getComputedStyle(document.body).fontFamily;
  const size = new Map(DATA.nodes.map((n) => [n.id, n.size]));
  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }
  function drawLabels(ctx) {
    const scale = network.getScale();
    const width = container.clientWidth, height = container.clientHeight;
    const candidates = [];
    for (const n of DATA.nodes) {
      if (hiddenNow.get(n.id)) continue;
      let rank = meta.get(n.id).p;
      if (n.id === hoverId || n.id === focusId) rank = -1;
      else if (dimNow.get(n.id)) continue;
      else if (focusSet && focusSet.has(n.id)) rank = Math.min(rank, 0.5);
      if (rank >= 3 && scale < REVEAL_SCALE) continue;
      candidates.push([rank, -size.get(n.id), n.id]);
    }
    candidates.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const positions = network.getPositions(candidates.map((c) => c[2]));
    const ratio = (network.canvas && network.canvas.pixelRatio) || window.devicePixelRatio || 1;
    const placed = [];
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    for (const [rank, , id] of candidates) {
      const p = network.canvasToDOM(positions[id]);
      const district = meta.get(id).c === "District";
      const px = district ? DISTRICT_PX : LABEL_PX;
      ctx.font = (district ? "bold " : "") + px + "px " + FONT;
      const text = nodes.get(id).label;
      const w = ctx.measureText(text).width + 4;
      const box = { x: p.x - w / 2, y: p.y + size.get(id) * scale + 2, w: w, h: px + 4 };
      if (box.x + box.w < 0 || box.x > width || box.y + box.h < 0 || box.y > height) continue;
      if (rank >= 0 && placed.some((q) => overlaps(box, q))) continue;
      placed.push(box);
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(text, p.x, box.y + 2);
      ctx.fillStyle = district ? "#7a0d0d" : "#222";
      ctx.fillText(text, p.x, box.y + 2);
      box.id = id;
      box.px = px;
      box.text = text;
    }
    ctx.restore();
    state.labels = placed;
  }
  network.on("afterDrawing", drawLabels);

  // the opening view: the whole drawing, a little margin for the labels under the outer nodes
  function fitAll() {
    network.fit({ animation: false });
    network.moveTo({ scale: network.getScale() * 0.9, animation: false });
  }

  // ---- sortable fact tables (district pages): click a heading to sort by it, again to reverse ----
  for (const table of document.querySelectorAll("table.sortable")) {
    const heads = Array.from(table.querySelectorAll("thead th"));
    heads.forEach((th, col) => {
      th.tabIndex = 0;
      const sort = () => {
        const dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        heads.forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const key = (row) => {
          const cell = row.cells[col];
          return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
        };
        const numeric = rows.every((r) => key(r) === "" || !isNaN(Number(key(r))));
        rows.sort((a, b) => {
          const x = key(a), y = key(b);
          if (x === "" || y === "") return (x === "") - (y === "");  // blanks last either way
          const c = numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh-CN");
          return dir * c;  // Array.prototype.sort is stable: ties keep their order
        });
        body.append(...rows);
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", (ev) => { if (ev.key === "Enter") sort(); });
    });
  }

  // milliseconds since navigation start (performance.now()'s origin), read by tests and benchmarks
  state.scriptStartMs = started;
  network.once("afterDrawing", () => { state.firstDrawMs = performance.now(); });
  network.once("stabilized", () => { state.stabilizedMs = performance.now(); });

  window.gwrView = { network: network, nodes: nodes, edges: edges, state: state, apply: applyView, focus: setFocus,
                    labels: () => state.labels.map((b) => Object.assign({}, b)) };
  $("details-text").textContent = DATA.hint;
  applyView();
  fitAll();
})();
