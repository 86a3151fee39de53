// The scrubber under the map: events per month over the whole span, stacked by
// layer, with the time window as a brush (imu_geo.scrubber explains it).
// The page's component (imu_geo.ui.player) loads this file once and calls its
// function with new data at every run; the chart is made once per mount and
// updated in place, so the brush keeps its focus. The brush reports a window
// only when a drag ends, or when keys stop being pressed for a moment.
// Every text shown is set as text, never as markup.

const NS = "http://www.w3.org/2000/svg";
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const HEIGHT = 96;
const MARGIN = { left: 34, right: 8, top: 6, bottom: 18 };
const HANDLE = 10;  // width of an edge's grip, in pixels
// Narrower than this, the band is held by an invisible hold of this width and
// its edges' grips sit outside it, so a short window can still be moved.
const MIN_HOLD = 3 * HANDLE;
const DRAG = 3;  // a press moved less than this is a click
const KEY_WAIT = 350;  // keys pressed within this many ms are sent as one step
const KEY_STEPS = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1,
  PageDown: -12, PageUp: 12 };

function monthName(m) {
  return MONTH_NAMES[((m % 12) + 12) % 12] + " " + Math.floor(m / 12);
}

function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function clamp(v, lo, hi) {
  return Math.max(lo, Math.min(hi, v));
}

function makeView(root) {
  const box = document.createElement("div");
  box.className = "scrubber";
  const top = document.createElement("div");
  top.className = "top";
  const legend = document.createElement("div");
  legend.className = "legend";
  const readout = document.createElement("div");
  readout.className = "readout";
  readout.setAttribute("aria-live", "polite");
  top.append(legend, readout);
  const svg = el("svg", { height: HEIGHT, role: "group" });
  box.append(top, svg);
  root.appendChild(box);
  const axes = el("g", { class: "axes", "aria-hidden": "true" }, svg);
  const bars = el("g", { class: "bars", "aria-hidden": "true" }, svg);
  const brush = el("g", { class: "brush" }, svg);
  const body = el("rect", { class: "band", "data-part": "body", tabindex: 0,
    role: "slider" }, brush);
  // Where the band is held when it is narrower than MIN_HOLD.
  const hold = el("rect", { class: "hold", "data-part": "body", "aria-hidden": "true" },
    brush);
  const left = el("rect", { class: "edge", "data-part": "left", tabindex: 0,
    role: "slider" }, brush);
  const right = el("rect", { class: "edge", "data-part": "right", tabindex: 0,
    role: "slider" }, brush);
  // What shows of an edge: a grip in the middle of its wider, invisible hold.
  const grips = [el("rect", { class: "grip", rx: 1.5 }, brush),
    el("rect", { class: "grip", rx: 1.5 }, brush)];

  const view = { api: null, data: null, win: null, drag: null, timer: null,
    barsKey: "", width: 0 };

  const plot = () => {
    const span = view.data.span;
    const count = span[1] - span[0] + 1;
    const x0 = MARGIN.left;
    const x1 = Math.max(x0 + count, view.width - MARGIN.right);
    return { x0, x1, mw: (x1 - x0) / count, count, first: span[0], last: span[1] };
  };
  const monthAt = (p, x) => p.first + clamp(Math.floor((x - p.x0) / p.mw), 0, p.count - 1);

  function drawBars() {
    const d = view.data;
    const p = plot();
    axes.replaceChildren();
    bars.replaceChildren();
    const totals = new Map();
    const order = d.m.map((_, i) => i).sort((a, b) => d.m[a] - d.m[b] || d.k[a] - d.k[b]);
    for (const i of order) totals.set(d.m[i], (totals.get(d.m[i]) || 0) + d.n[i]);
    const most = Math.max(1, ...totals.values());
    const y0 = MARGIN.top;
    const y1 = HEIGHT - MARGIN.bottom;
    const scale = (y1 - y0) / most;
    const stacked = new Map();
    view.bars = [];
    for (const i of order) {
      const below = stacked.get(d.m[i]) || 0;
      stacked.set(d.m[i], below + d.n[i]);
      const bar = el("rect", {
        x: (p.x0 + d.m[i] * p.mw).toFixed(1),
        width: Math.max(p.mw - (p.mw > 3 ? 0.5 : 0), 0.6).toFixed(2),
        y: (y1 - (below + d.n[i]) * scale).toFixed(1),
        height: Math.max(d.n[i] * scale, 0.5).toFixed(1),
        fill: d.colours[d.k[i]],
      }, bars);
      view.bars.push([p.first + d.m[i], bar]);
    }
    el("line", { x1: p.x0, x2: p.x1, y1, y2: y1, class: "rule" }, axes);
    el("text", { x: p.x0 - 4, y: y1, class: "tick end" }, axes).textContent = "0";
    el("text", { x: p.x0 - 4, y: y0 + 8, class: "tick end" }, axes).textContent =
      most.toLocaleString("en");
    // A year label every so many years, as many as fit.
    const yearWidth = 12 * p.mw;
    const every = [1, 2, 5, 10, 20, 50, 100, 200, 500].find((s) => s * yearWidth >= 34) || 1000;
    const firstYear = Math.ceil(p.first / 12);
    for (let year = firstYear; year * 12 <= p.last + 1; year += 1) {
      if (year % every !== 0) continue;
      const x = p.x0 + (year * 12 - p.first) * p.mw;
      el("line", { x1: x, x2: x, y1, y2: y1 + 4, class: "rule" }, axes);
      if (x > p.x0 + 12 && x < p.x1 - 12) {
        el("text", { x, y: HEIGHT - 4, class: "tick mid" }, axes).textContent = String(year);
      }
    }
  }

  function drawBrush() {
    const d = view.data;
    const p = plot();
    const [a, b] = view.win;
    const xa = p.x0 + (a - p.first) * p.mw;
    const xb = p.x0 + (b + 1 - p.first) * p.mw;
    const y = MARGIN.top - 2;
    const h = HEIGHT - MARGIN.bottom - y;
    body.setAttribute("x", xa.toFixed(1));
    body.setAttribute("width", Math.max(xb - xa, 1).toFixed(1));
    // A wide band's edges are held across its sides; a narrow one is held
    // whole, and its edges just outside that hold.
    const half = Math.max(xb - xa, MIN_HOLD) / 2;
    const mid = (xa + xb) / 2;
    const narrow = xb - xa < MIN_HOLD;
    const la = narrow ? mid - half - HANDLE : xa - HANDLE / 2;
    const rb = narrow ? mid + half : xb - HANDLE / 2;
    hold.setAttribute("x", (mid - half).toFixed(1));
    hold.setAttribute("width", narrow ? (2 * half).toFixed(1) : 0);
    left.setAttribute("x", la.toFixed(1));
    right.setAttribute("x", rb.toFixed(1));
    for (const node of [body, hold, left, right]) {
      node.setAttribute("y", y);
      node.setAttribute("height", h);
    }
    for (const node of [body, left, right]) {
      node.setAttribute("aria-valuemin", p.first);
      node.setAttribute("aria-valuemax", p.last);
    }
    left.setAttribute("width", HANDLE);
    right.setAttribute("width", HANDLE);
    body.style.fill = d.brush;
    body.style.stroke = d.brush;
    left.style.fill = d.brush;
    right.style.fill = d.brush;
    grips.forEach((grip, i) => {
      grip.setAttribute("x", ((i ? rb : la) + HANDLE / 2 - 2).toFixed(1));
      grip.setAttribute("y", (y + h / 2 - 9).toFixed(1));
      grip.setAttribute("width", 4);
      grip.setAttribute("height", 18);
      grip.style.fill = d.brush;
    });
    const text = monthName(a) + " to " + monthName(b);
    body.setAttribute("aria-label", "Time window, " + text + ": move");
    body.setAttribute("aria-valuenow", a);
    body.setAttribute("aria-valuetext", text);
    left.setAttribute("aria-label", "Time window's first month");
    left.setAttribute("aria-valuenow", a);
    left.setAttribute("aria-valuetext", monthName(a));
    right.setAttribute("aria-label", "Time window's last month");
    right.setAttribute("aria-valuenow", b);
    right.setAttribute("aria-valuetext", monthName(b));
    for (const [m, bar] of view.bars) {
      bar.setAttribute("opacity", m >= a && m <= b ? 1 : d.faded);
    }
    readout.textContent = "Window: " + text;
  }

  function drawLegend() {
    const d = view.data;
    legend.replaceChildren();
    d.layers.forEach((layer, i) => {
      const item = document.createElement("span");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = d.colours[i];
      item.append(swatch, document.createTextNode(layer));
      legend.appendChild(item);
    });
  }

  function send(value) {
    if (view.api) view.api.setTriggerValue("window", value);
  }

  function sendWindow() {
    const [a, b] = view.win;
    const [c, e] = view.data.window;
    if (a !== c || b !== e) send({ first: a, last: b });
  }

  function local(e) {
    const box = svg.getBoundingClientRect();
    return e.clientX - box.left;
  }

  svg.addEventListener("pointerdown", (e) => {
    if (e.button !== 0 || !view.data) return;
    const part = e.target.dataset ? e.target.dataset.part || "chart" : "chart";
    const x = local(e);
    view.drag = { part, x, win: view.win.slice(), moved: false, anchor: monthAt(plot(), x) };
    svg.setPointerCapture(e.pointerId);
    e.preventDefault();
  });
  svg.addEventListener("pointermove", (e) => {
    if (!view.data) return;
    const p = plot();
    const x = local(e);
    const drag = view.drag;
    if (!drag) {
      const m = monthAt(p, x);
      const parts = [];
      view.data.m.forEach((mm, i) => {
        if (p.first + mm === m) parts.push(view.data.n[i].toLocaleString("en") + " " + view.data.layers[view.data.k[i]]);
      });
      readout.textContent = monthName(m) + ": " + (parts.length ? parts.join(", ") : "no") +
        " beginning";
      return;
    }
    if (!drag.moved && Math.abs(x - drag.x) < DRAG) return;
    drag.moved = true;
    const [a, b] = drag.win;
    // The band and its edges move by the months dragged over, wherever they
    // were held (a narrow band's edges are held beside it).
    const months = Math.round((x - drag.x) / p.mw);
    if (drag.part === "body") {
      const shift = clamp(months, p.first - a, p.last - b);
      view.win = [a + shift, b + shift];
    } else if (drag.part === "left") {
      view.win = [clamp(a + months, p.first, b), b];
    } else if (drag.part === "right") {
      view.win = [a, clamp(b + months, a, p.last)];
    } else {
      const m = monthAt(p, x);
      view.win = [Math.min(drag.anchor, m), Math.max(drag.anchor, m)];
    }
    drawBrush();
  });
  const finish = (e) => {
    const drag = view.drag;
    if (!drag) return;
    view.drag = null;
    if (drag.moved) sendWindow();
    else if (drag.part === "chart") send({ jump: monthAt(plot(), local(e)) });
  };
  svg.addEventListener("pointerup", finish);
  svg.addEventListener("pointercancel", () => {
    view.drag = null;
    view.win = view.data.window.slice();
    drawBrush();
  });
  svg.addEventListener("pointerleave", () => {
    if (!view.drag && view.win) readout.textContent = "Window: " + monthName(view.win[0]) +
      " to " + monthName(view.win[1]);
  });

  function onKey(e) {
    const part = e.target.dataset.part;
    const p = plot();
    let [a, b] = view.win;
    const step = KEY_STEPS[e.key];
    if (step !== undefined) {
      if (part === "body") {
        const shift = clamp(step, p.first - a, p.last - b);
        a += shift;
        b += shift;
      } else if (part === "left") a = clamp(a + step, p.first, b);
      else b = clamp(b + step, a, p.last);
    } else if (e.key === "Home") {
      if (part === "body") [a, b] = [p.first, p.first + b - a];
      else if (part === "left") a = p.first;
      else b = a;
    } else if (e.key === "End") {
      if (part === "body") [a, b] = [p.last - (b - a), p.last];
      else if (part === "left") a = b;
      else b = p.last;
    } else return;
    e.preventDefault();
    view.win = [a, b];
    drawBrush();
    clearTimeout(view.timer);
    view.timer = setTimeout(() => {
      view.timer = null;
      sendWindow();
    }, KEY_WAIT);
  }
  for (const node of [body, left, right]) node.addEventListener("keydown", onKey);

  view.update = (sent) => {
    // Bar months come as steps from the one before: made whole months here.
    let month = 0;
    const data = { ...sent, m: sent.m.map((step) => (month += step)) };
    const key = JSON.stringify([data.span, data.layers, data.colours, data.m, data.k, data.n]);
    const redraw = key !== view.barsKey || !view.data;
    view.data = data;
    svg.setAttribute("aria-label", data.label);
    // The window the server has, unless the reader is still moving it.
    if (!view.drag && !view.timer) view.win = data.window.slice();
    if (redraw) {
      view.barsKey = key;
      drawLegend();
      drawBars();
    }
    drawBrush();
  };
  view.resize = (width) => {
    if (Math.abs(width - view.width) < 1) return;
    view.width = width;
    svg.setAttribute("width", width);
    if (view.data) {
      drawBars();
      drawBrush();
    }
  };
  view.observer = new ResizeObserver((entries) => {
    for (const entry of entries) view.resize(entry.contentRect.width);
  });
  view.observer.observe(box);
  view.width = box.clientWidth;
  svg.setAttribute("width", view.width);
  return view;
}

export default function (component) {
  const { data, parentElement } = component;
  let view = parentElement.__imuScrubber;
  if (!view) {
    view = makeView(parentElement);
    parentElement.__imuScrubber = view;
  }
  view.api = component;
  view.update(data);
  return () => {
    view.observer.disconnect();
    clearTimeout(view.timer);
    delete parentElement.__imuScrubber;
  };
}
