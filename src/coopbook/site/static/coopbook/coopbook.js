/* Draws the book's charts with the site's own Vega and runs its searchable tables.
   No kernel, no network: everything this needs is in the page or on the site. */
(function () {
  "use strict";

  // Charts are designed at a fixed width; on a narrow screen each view (a width signal
  // of the compiled Vega spec) is narrowed to fit instead of making the reader scroll
  // sideways. A map keeps its shape: its height shrinks with its width.
  function capWidths(spec, max, full) {
    var projected = JSON.stringify(spec.projections || []);
    var whole = projected !== "[]" && full ? full : max;  // one map: the whole column
    if (typeof spec.width === "number" && spec.width > whole) {
      if (projected !== "[]" && typeof spec.height === "number") {
        spec.height = Math.round(spec.height * whole / spec.width);
      }
      spec.width = whole;
    }
    var byName = {};
    (spec.signals || []).forEach(function (s) { byName[s.name] = s; });
    Object.keys(byName).forEach(function (name) {
      var s = byName[name];
      if (!/(^|_)width$/.test(name) || typeof s.value !== "number") return;
      // A map has no axis labels beside it: it may take the whole column.
      var map = projected.indexOf(name) !== -1, most = map && full ? full : max;
      if (s.value <= most) return;
      var h = byName[name.replace(/width$/, "height")];
      if (map && h && typeof h.value === "number") {
        h.value = Math.round(h.value * most / s.value);
      }
      s.value = most;
    });
  }

  // A single view's one legend above or below its plot starts where the plot does, after the
  // axis labels, and may run off a phone's screen. There it is placed by two signals
  // instead (fit() sets them once the chart is drawn): at the chart's left edge, above.
  var LEGEND_X = "coop_legend_x", LEGEND_Y = "coop_legend_y";

  function freeLegend(spec) {
    var lgs = spec.legends || [];
    if (spec.layout || lgs.length !== 1 || (lgs[0].orient !== "top" && lgs[0].orient !== "bottom")) return;
    lgs[0].orient = "none";
    lgs[0].legendX = { signal: LEGEND_X };
    lgs[0].legendY = { signal: LEGEND_Y };
    (spec.signals = spec.signals || []).push({ name: LEGEND_X, value: 0 },
                                              { name: LEGEND_Y, value: 0 });
  }

  // A Vega expression that breaks a label into lines of at most `chars` characters (a
  // number, or a signal's name) at spaces, up to three lines.
  function wrapExpr(field, chars, most) {
    function lines(f, n) {
      if (n === 1) return f;
      var cut = "lastindexof(substring(" + f + ", 0, " + chars + " + 1), ' ')";
      return "(length(" + f + ") > " + chars + " && " + cut + " > 0 ? substring(" + f +
        ", 0, " + cut + ") + '\\n' + " + lines("substring(" + f + ", " + cut + " + 1)", n - 1) +
        " : " + f + ")";
    }
    return "split(" + lines(field, most || 3) + ", '\\n')";
  }

  // Words in lines of at most `chars` characters (Vega draws an array as lines).
  function wrapWords(text, chars) {
    if (Array.isArray(text)) {
      return [].concat.apply([], text.map(function (t) { return [].concat(wrapWords(t, chars)); }));
    }
    if (typeof text !== "string" || text.length <= chars) return text;
    var out = [], line = "";
    text.split(" ").forEach(function (w) {
      if (line && (line + " " + w).length > chars) { out.push(line); line = w; }
      else line = line ? line + " " + w : w;
    });
    if (line) out.push(line);
    return out;
  }

  // The height of a band scale's rows, when the spec sets it (Infinity when it does not).
  function bandStep(node, name, root) {
    var scale = (node.scales || []).filter(function (sc) { return sc.name === name; })[0];
    var step = scale && scale.range && scale.range.step;
    if (step && step.signal) {
      var sig = (root.signals || []).concat(node.signals || []).filter(function (x) {
        return x.name === step.signal;
      })[0];
      step = sig && sig.value;
    }
    return typeof step === "number" ? step : Infinity;
  }

  // The update encoding of a guide's labels (made if the spec has none).
  function labelUpdate(guide) {
    var enc = guide.encode = guide.encode || {};
    var labels = enc.labels = enc.labels || {};
    return (labels.update = labels.update || {});
  }

  // On a narrow screen (below 640 px) a legend set in one row would run off the side: its entries wrap
  // into as many columns as fit, and its labels are never cut short. Long labels of a
  // left axis (the bars of a ranking) break into two lines instead of pushing the plot
  // off the screen.
  function narrowGuides(node, avail, root) {
    root = root || node;
    if (Array.isArray(node)) { node.forEach(function (n) { narrowGuides(n, avail, root); }); return; }
    if (!node || typeof node !== "object") return;
    var chars = Math.round(avail / 11);  // a panel's title starts after its axis labels
    // Titles of panels and of axes break into lines instead of running off the side.
    if (node.type === "group" && node.title) {
      var t = node.title;
      if (typeof t === "string") node.title = wrapWords(t, chars);
      else { t.text = wrapWords(t.text, chars); t.subtitle = wrapWords(t.subtitle, chars + 8); }
    }
    (node.legends || []).forEach(function (lg) {
      if (lg.orient === "left" || lg.orient === "right") lg.orient = "bottom";
      lg.columns = Math.max(1, Math.floor(avail / 190));
      lg.labelLimit = avail;
      // A legend of a chart of several panels starts where the plots do, after their axis
      // labels: its long labels break into lines rather than run off the side.
      if (root.layout && lg.type !== "gradient") {
        var update = labelUpdate(lg);
        var chars = Math.max(12, Math.round(avail * 0.45 / 7));
        if (!update.text) update.text = { signal: wrapExpr("datum.label", chars) };
        else if (update.text.signal) {
          update.text = { signal: wrapExpr("(" + update.text.signal + ")", chars) };
        }
      }
    });
    (node.axes || []).forEach(function (ax) {
      ax.title = wrapWords(ax.title, ax.orient === "left" || ax.orient === "right" ? 40 : chars);
      if (ax.orient !== "left" || ax.labelExpr || ax.labels === false) return;
      var rowStep = bandStep(node, ax.scale, root);
      if (rowStep < 26) return;  // rows too close for two lines
      var update = labelUpdate(ax);
      if (update.text) return;
      update.text = { signal: wrapExpr("datum.label", Math.max(12, Math.round(avail * 0.3 / 7)),
                                       rowStep >= 40 ? 3 : 2) };
      ax.labelLimit = Math.round(avail * 0.45);
    });
    narrowGuides(node.marks, avail, root);
  }

  // How many pixels of a drawn chart stick out of its column (0 or less: it fits).
  function overflow(el, room) {
    var svg = el.querySelector("svg");
    return svg ? Math.ceil(svg.getBoundingClientRect().width - room) : 0;
  }

  // The widths a drawn view can be narrowed by: its own and those of its panels.
  function widthSignals(spec) {
    var names = typeof spec.width === "number" ? ["width"] : [];
    (spec.signals || []).forEach(function (s) {
      if (/(^|_)width$/.test(s.name) && typeof s.value === "number" && names.indexOf(s.name) < 0) {
        names.push(s.name);
      }
    });
    return names;
  }

  // After drawing, whatever still sticks out (axis labels, a legend) is taken off the
  // plot's width, a few times over if need be, so that the chart fits its column.
  function fit(el, view, spec) {
    var names = widthSignals(spec), map = (spec.projections || []).length > 0, tries = 0;
    var free = false;
    try { view.signal(LEGEND_X); free = true; } catch (e) { /* no free legend */ }
    if (free) {
      var legend = el.querySelector(".role-legend");
      var height = legend ? legend.getBoundingClientRect().height : 0;
      view.signal(LEGEND_X, -(view.origin()[0] - (spec.padding || 0)));
      view.signal(LEGEND_Y, -(height + 12));
    }
    var before = null, lastOver = Infinity;
    function set(widths) {
      Object.keys(widths).forEach(function (n) { view.signal(n, widths[n]); });
    }
    function step() {
      var over = overflow(el, el.clientWidth);
      if (over <= 0 || !names.length) return Promise.resolve();
      if (over >= lastOver || tries++ >= 8) {
        // Narrowing did not help (a long text mark, not the plot, sticks out): undo it.
        if (before && over >= lastOver) { set(before); return view.runAsync(); }
        return Promise.resolve();
      }
      lastOver = over;
      before = {};
      var next = {};
      names.forEach(function (n) {
        var w = view.signal(n);
        before[n] = w;
        next[n] = Math.max(60, w - Math.ceil(over / names.length) - 1);
        if (map && n === "width" && typeof spec.height === "number") {
          before.height = view.signal("height");
          next.height = Math.round(before.height * next[n] / w);
        }
      });
      set(next);
      return view.runAsync().then(step);
    }
    return (free ? view.runAsync() : Promise.resolve()).then(step);
  }

  // Dark mode: the same chart on a dark ground. The theme's own colours in the compiled
  // spec (white ground and borders, black and grey ink, light-grey land) are swapped for
  // dark ones; the data colours (a colour-blind-safe palette) are kept. A drawn chart is
  // drawn again when the reader switches the theme.
  var DARK_GROUND = "#1f2328";
  var DARK_SWAP = {
    "white": DARK_GROUND, "#ffffff": DARK_GROUND, "#fff": DARK_GROUND,
    "black": "#e6e6e6", "#000000": "#e6e6e6", "#000": "#e6e6e6",
    "#222222": "#e6e6e6", "#333333": "#d0d0d0", "#444444": "#c8c8c8", "#666666": "#b0b0b0",
    "#888888": "#9a9a9a", "#e6e6e6": "#3a3f45", "#dddddd": "#3a3f45", "#f2f2f2": "#343a40",
    "#eeeeee": "#3d434a", "#cccccc": "#555b61", "#d9d9d9": "#4a5056", "#bbbbbb": "#6a7076"
  };
  var COLOUR_KEY = /(color|fill|stroke|background|value)$/i;

  function isDark() {
    return document.documentElement.dataset.theme === "dark";
  }

  // Guides whose colours the spec leaves to Vega's defaults (black ink) get light ink.
  var DARK_INK = "#e6e6e6";
  var DARK_CONFIG = {
    axis: { labelColor: DARK_INK, titleColor: DARK_INK, domainColor: "#8b949e",
            tickColor: "#8b949e", gridColor: "#3a3f45" },
    legend: { labelColor: DARK_INK, titleColor: DARK_INK },
    title: { color: DARK_INK, subtitleColor: "#c8c8c8" },
    text: { fill: DARK_INK }
  };

  function withDarkConfig(spec) {
    var config = spec.config = spec.config || {};
    Object.keys(DARK_CONFIG).forEach(function (k) {
      var part = config[k] = config[k] || {};
      Object.keys(DARK_CONFIG[k]).forEach(function (p) {
        if (part[p] === undefined) part[p] = DARK_CONFIG[k][p];
      });
    });
    return spec;
  }

  function swap(v) {
    return typeof v === "string" && DARK_SWAP[v.toLowerCase()] || v;
  }

  function darken(node, key) {
    if (Array.isArray(node)) {
      return key === "range" ? node.map(swap) : node.map(function (x) { return darken(x); });
    }
    if (node && typeof node === "object") {
      var out = {};
      Object.keys(node).forEach(function (k) {
        var v = node[k];
        if (k === "data") out[k] = v;  // the rows are never the theme's colours
        else if (typeof v === "string") out[k] = COLOUR_KEY.test(k) ? swap(v) : v;
        else out[k] = darken(v, k);
      });
      return out;
    }
    return node;
  }

  // A slider shows its value as a reader reads it: a share as a percentage ("48%"), a
  // count with thousands separators ("3,000"), not "0.48" and "3000". A slider that picks
  // from a list (its signal "x" has a companion "x_labels", as the map's months) shows the
  // picked item's name ("May 2026"), and gets a Play button that steps through the list.
  var MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July",
                     "August", "September", "October", "November", "December"];

  function itemName(v) {
    var m = /^(\d{4})-(\d{2})$/.exec(String(v));
    return m ? MONTH_NAMES[Number(m[2]) - 1] + " " + m[1] : String(v);
  }

  function listOf(view, name) {
    try { var list = view.signal(name + "_labels"); return Array.isArray(list) ? list : null; }
    catch (e) { return null; }
  }

  function formatSliders(el, view) {
    el.querySelectorAll(".vega-bind input[type=range]").forEach(function (input) {
      var out = input.nextElementSibling;
      if (!out || out.tagName !== "SPAN") return;
      var list = view && input.name ? listOf(view, input.name) : null;
      var share = Number(input.max) <= 1;
      function show() {
        var v = Number(input.value);
        out.textContent = list ? itemName(list[v]) :
          share ? Math.round(v * 100) + "%" : v.toLocaleString("en-US");
        if (list) input.setAttribute("aria-valuetext", out.textContent);
      }
      input.addEventListener("input", show);
      input.addEventListener("change", show);
      show();
      if (list) playButton(input, view, show);
    });
  }

  // Play: the slider moves one step every 0.8 s to its end (from the start if it is at the
  // end already); the button then reads Pause. The reader can stop it at any time.
  function playButton(input, view, show) {
    var label = input.closest(".vega-bind");
    if (!label || label.querySelector(".coop-play")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "coop-play";
    var timer = null;
    function stop() {
      if (timer) clearInterval(timer);
      timer = null;
      button.textContent = "\u25B6 Play";
      button.setAttribute("aria-pressed", "false");
    }
    function go(v) {
      // Vega writes the raw number beside the slider when the signal changes: the name
      // is shown after it has.
      view.signal(input.name, v).runAsync().then(show);
    }
    button.addEventListener("click", function () {
      if (timer) { stop(); return; }
      var max = Number(input.max);
      if (Number(input.value) >= max) go(Number(input.min));
      button.textContent = "\u23F8 Pause";
      button.setAttribute("aria-pressed", "true");
      timer = setInterval(function () {
        var v = Number(input.value) + 1;
        if (v > max) { stop(); return; }
        go(v);
      }, 800);
    });
    input.addEventListener("input", stop);
    stop();
    label.appendChild(button);
  }

  // A tap, a click or the arrow keys show a mark's details in a line under the chart,
  // where they stay: a tooltip needs a pointer resting on the mark, which a finger or a
  // keyboard never gives. The chart itself takes the focus (Tab); the arrow keys step
  // through its marks in reading order, Home and End jump, Escape clears.
  function tipPairs(t) {
    if (t === null || t === undefined || t === "") return null;
    if (typeof t !== "object") return [["", String(t)]];
    return Object.keys(t).map(function (k) {
      var v = t[k];
      return [k === "title" ? "" : k, typeof v === "number" ? v.toLocaleString("en-US") : String(v)];
    });
  }

  // Every drawn mark that has a tooltip, with its place in the drawing (group offsets added).
  function tipMarks(view) {
    var out = [];
    function walk(mark, dx, dy) {
      (mark && mark.items || []).forEach(function (it) {
        var b = it.bounds;
        if (it.tooltip !== undefined && it.tooltip !== null && b && b.x2 >= b.x1 &&
            it.opacity !== 0) {
          out.push({ item: it, x: dx + b.x1, y: dy + b.y1, w: b.x2 - b.x1, h: b.y2 - b.y1 });
        }
        if (mark.marktype === "group") {
          (it.items || []).forEach(function (m) { walk(m, dx + (it.x || 0), dy + (it.y || 0)); });
        }
      });
    }
    walk(view.scenegraph().root, 0, 0);
    out.sort(function (a, b) { return (a.x - b.x) || (a.y - b.y); });
    return out;
  }

  function details(el, view) {
    var panel = el.nextElementSibling;
    if (!panel || !panel.classList.contains("coop-chart-detail")) {
      panel = document.createElement("p");
      panel.className = "coop-chart-detail";
      panel.setAttribute("aria-live", "polite");
      panel.hidden = true;
      el.after(panel);
    }
    var ring = document.createElement("div");
    ring.className = "coop-chart-ring";
    ring.hidden = true;
    el.appendChild(ring);
    var at = -1;

    function show(pairs, mark) {
      panel.replaceChildren();
      if (!pairs) { panel.hidden = true; ring.hidden = true; return; }
      var close = document.createElement("button");
      close.type = "button";
      close.className = "coop-detail-close";
      close.setAttribute("aria-label", "Close the details");
      close.textContent = "\u00d7";
      close.addEventListener("click", function () { at = -1; show(null); });
      panel.appendChild(close);
      pairs.forEach(function (kv, i) {
        if (i) panel.appendChild(document.createTextNode(" \u00b7 "));
        if (kv[0]) {
          var k = document.createElement("span");
          k.className = "coop-detail-key";
          k.textContent = kv[0] + ": ";
          panel.appendChild(k);
        }
        var v = document.createElement(kv[0] ? "span" : "strong");
        v.textContent = kv[1];
        panel.appendChild(v);
      });
      panel.hidden = false;
      if (!mark) { ring.hidden = true; return; }
      var node = mark.item._svg;  // the mark's own element in the drawing
      if (!node || !node.getBoundingClientRect) { ring.hidden = true; return; }
      var box = node.getBoundingClientRect(), here = el.getBoundingClientRect();
      ring.style.left = (box.left - here.left + el.scrollLeft - 4) + "px";
      ring.style.top = (box.top - here.top - 4) + "px";
      ring.style.width = (box.width + 8) + "px";
      ring.style.height = (box.height + 8) + "px";
      ring.hidden = false;
    }

    view.addEventListener("click", function (event, item) {
      var pairs = item ? tipPairs(item.tooltip) : null;
      at = -1;
      show(pairs, pairs ? { item: item } : null);
    });
    if (!tipMarks(view).length) return;
    el.tabIndex = 0;
    el.setAttribute("role", "group");
    el.setAttribute("aria-label", "Chart: tap or click a mark, or use the arrow keys, " +
                    "to read its details below the chart");
    el.addEventListener("keydown", function (e) {
      if (e.target !== el) return;  // keys in the chart's own controls are theirs
      var keys = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: 0, End: 0 };
      if (e.key === "Escape") { at = -1; show(null); return; }
      if (!(e.key in keys)) return;
      e.preventDefault();
      var marks = tipMarks(view);  // taken again: a slider or menu may have redrawn them
      if (!marks.length) return;
      if (e.key === "Home") at = 0;
      else if (e.key === "End") at = marks.length - 1;
      else at = at < 0 ? (keys[e.key] > 0 ? 0 : marks.length - 1)
                      : (at + keys[e.key] + marks.length) % marks.length;
      var m = marks[at];
      show(tipPairs(m.item.tooltip).concat([["", (at + 1) + " of " + marks.length]]), m);
    });
  }

  // Charts are drawn one after another, in page order: the first chart on the page
  // does not wait for the work of the ones below it.
  var busy = false;
  var originals = {};

  function drawOne(id, spec, done) {
    var el = document.getElementById(id);
    if (!el || el.dataset.state) { done(); return; }
    el.dataset.state = "drawing";
    if (!originals[id]) originals[id] = JSON.stringify(spec);
    var dark = isDark();
    el.dataset.dark = dark ? "1" : "";
    var avail = el.clientWidth;

    function embed(cap, cut) {
      var s = JSON.parse(originals[id]);
      if (dark) s = withDarkConfig(darken(s));
      if (avail > 0) {
        capWidths(s, cap, avail - 4 - (cut || 0));
        if (avail < 640) {
          narrowGuides(s, avail);
          freeLegend(s);
          // On a phone a chart's outer margin is the page's: no padding of its own.
          if (typeof s.padding === "number" && s.padding > 1) s.padding = 1;
        }
      }
      return window.vegaEmbed(el, s, { mode: "vega", actions: false, renderer: "svg",
                                       tooltip: { theme: dark ? "dark" : "light" } })
        .then(function (result) {
          (window.coopViews = window.coopViews || {})[id] = result.view;
          return avail > 0 ? fit(el, result.view, s).then(function () { return result.view; })
                           : result.view;
        });
    }

    // A chart of several panels does not take new widths once drawn: it is drawn again,
    // narrower by what still sticks out (twice at most).
    function refit(view, cap, cut, left) {
      var over = avail > 0 ? overflow(el, avail) : 0;
      if (over <= 0 || !left || cap - over < 100) return view;
      view.finalize();
      return embed(cap - over - 2, cut + over + 2).then(function (next) {
        return refit(next, cap - over - 2, cut + over + 2, left - 1);
      });
    }

    var cap = Math.max(200, avail - 130);
    embed(cap)
      .then(function (view) { return refit(view, cap, 0, 2); })
      .then(function () {
        formatSliders(el, window.coopViews[id]);
        details(el, window.coopViews[id]);
        el.dataset.state = "drawn";
      })
      .catch(function (err) {
        el.dataset.state = "error";
        el.textContent = "This chart could not be drawn: " + err.message;
        console.error(err);
      })
      .then(done);
  }

  // A switch between light and dark draws the drawn charts again in the new colours.
  if ("MutationObserver" in window) {
    new MutationObserver(function () {
      var dark = isDark() ? "1" : "";
      Object.keys(originals).forEach(function (id) {
        var el = document.getElementById(id);
        if (!el || el.dataset.state !== "drawn" || el.dataset.dark === dark) return;
        var view = (window.coopViews || {})[id];
        if (view) view.finalize();
        delete el.dataset.state;
        el.replaceChildren();
        near[id] = true;
        (window.coopCharts = window.coopCharts || []).push([id, JSON.parse(originals[id])]);
      });
      window.coopDraw();
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  // Charts are drawn as they come near the screen (an IntersectionObserver), so a phone
  // does not spend seconds at load drawing charts far below; before printing, all are drawn.
  var near = {};
  var watcher = "IntersectionObserver" in window ? new IntersectionObserver(function (seen) {
    seen.forEach(function (e) {
      if (!e.isIntersecting) return;
      watcher.unobserve(e.target);
      near[e.target.id] = true;
      window.coopDraw();
    });
  }, { rootMargin: "400px 0px" }) : null;

  function ready(id) {
    if (!watcher || near[id]) return true;
    var el = document.getElementById(id);
    if (el && !el.dataset.watched) { el.dataset.watched = "1"; watcher.observe(el); }
    return false;
  }

  window.coopDraw = function () {
    var queue = window.coopCharts || [];
    if (!window.vegaEmbed || busy || !queue.length) return;
    for (var i = 0; i < queue.length; i++) {
      if (ready(queue[i][0])) {
        busy = true;
        var item = queue.splice(i, 1)[0];
        drawOne(item[0], item[1], function () { busy = false; window.coopDraw(); });
        return;
      }
    }
  };

  window.coopDrawAll = function () {
    (window.coopCharts || []).forEach(function (item) { near[item[0]] = true; });
    window.coopDraw();
  };
  window.addEventListener("beforeprint", window.coopDrawAll);
  // On paper, lists folded away on screen are printed open.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.coop-place-list:not([open])").forEach(function (d) {
      d.setAttribute("open", ""); d.dataset.printOpened = "1";
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      d.removeAttribute("open"); delete d.dataset.printOpened;
    });
  });

  // On a touch screen the details panel answers a tap (details()); a tooltip that a touch
  // may leave behind (it would sit where the finger was, often off the screen's edge)
  // is hidden.
  document.addEventListener("pointerup", function (e) {
    if (e.pointerType !== "touch") return;
    var tip = document.getElementById("vg-tooltip-element");
    if (tip) tip.classList.remove("visible");
  });

  var PAGE = 10;  // coopbook.site.protocol.TABLE_PAGE

  function norm(v) {
    return String(v).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function decode(data, cites) {
    var dicts = data.dicts || {};
    cites = cites || {};
    return data.rows.map(function (r) {
      var cells = r.map(function (v, i) { return dicts[i] ? dicts[i][v] : v; });
      // A source is found by what the reader sees, its label ("Agarwal, 2021"), not by the
      // key behind it.
      var words = cells.map(function (v, i) {
        if (!cites[i]) return v;
        return String(v).split(/[;,]\s*/).map(function (k) {
          return cites[i][k] ? cites[i][k][1] : k;
        }).join("; ");
      });
      return { cells: cells, shown: words, text: norm(words.join(" \u2502 ")) };
    });
  }

  // A source cell names works by their citation keys; each is shown as its label in the
  // text ("Agarwal, 2021"), a link to its entry in the bibliography
  // (coopbook.site.extension.table_citations).
  function cite(td, value, works) {
    String(value).split(/[;,]\s*/).filter(Boolean).forEach(function (key, j) {
      if (j) td.appendChild(document.createTextNode("; "));
      var w = works[key];
      if (!w) { td.appendChild(document.createTextNode(key)); return; }
      var a = document.createElement("a");
      a.href = w[0];
      a.textContent = w[1];
      td.appendChild(a);
    });
  }

  function setupTable(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var data = JSON.parse(box.querySelector(".coop-table-data").textContent);
    // A long table's page holds its first rows only; the rest load on first use
    // (coopbook.site.extension.lazy_tables).
    var rows = decode(data, data.cites), total = data.total || rows.length, loading = null;
    var input = box.querySelector("input[type=search]");
    var tbody = box.querySelector("tbody");
    var count = box.querySelector(".coop-table-count");
    var pageLabel = box.querySelector(".coop-table-page");
    var prev = box.querySelector("[data-page='-1']");
    var next = box.querySelector("[data-page='1']");
    var all = box.querySelector("[data-all]");
    var heads = box.querySelectorAll("thead th");
    var state = { q: "", col: -1, dir: 1, page: 0, all: false };
    var cites = data.cites || {};
    // Columns of long text (a holding, an event's detail) get room to be read: judged from
    // the rows in the page.
    var long = data.columns.map(function (c, i) {
      var n = rows.length || 1;
      return rows.reduce(function (t, r) { return t + String(r.cells[i]).length; }, 0) / n > 60;
    });
    data.columns.forEach(function (c, i) { if (long[i] && heads[i]) heads[i].className = "coop-long"; });

    function whole(then) {
      if (!data.src) { then(); return; }
      if (!loading) {
        count.textContent = "Loading all " + total + " " + data.unit + "\u2026";
        loading = fetch(data.src).then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        }).then(function (full) {
          rows = decode(full, data.cites); total = rows.length; delete data.src;
        });
      }
      loading.then(then, function (err) {
        loading = null;
        count.textContent = "The table\u2019s other rows could not be loaded from " +
          data.src + " (" + err.message + "). The first " + rows.length + " are shown.";
      });
    }

    function render() {
      var words = norm(state.q).split(/\s+/).filter(Boolean);
      var hits = rows.filter(function (r) {
        return words.every(function (w) { return r.text.indexOf(w) !== -1; });
      });
      if (state.col >= 0) {
        var c = state.col, d = state.dir;
        hits = hits.slice().sort(function (a, b) {
          var x = a.shown[c], y = b.shown[c];  // a source sorts by its label, as shown
          if (typeof x === "number" && typeof y === "number") return d * (x - y);
          return d * String(x).localeCompare(String(y));
        });
      }
      var size = state.all ? Math.max(hits.length, 1) : PAGE;
      var pages = Math.max(1, Math.ceil(hits.length / size));
      var n = data.src ? total : hits.length;  // before loading, hits are the first rows
      state.page = Math.min(state.page, pages - 1);
      var start = state.page * size;
      var frag = document.createDocumentFragment();
      hits.slice(start, start + size).forEach(function (r) {
        var tr = document.createElement("tr");
        r.cells.forEach(function (v, i) {
          var td = document.createElement("td");
          if (cites[i]) cite(td, v, cites[i]);
          else td.textContent = v;
          if (long[i]) td.className = "coop-long";
          td.dataset.label = data.columns[i];  // the card layout (phone, paper) shows it
          tr.appendChild(td);
        });
        frag.appendChild(tr);
      });
      tbody.replaceChildren(frag);
      var shown = hits.length ? (start + 1) + "\u2013" + Math.min(start + size, hits.length) : "0";
      count.textContent = "Showing " + shown + " of " + n + " " + data.unit +
        (words.length ? " matching \u201c" + state.q.trim() + "\u201d" : "") +
        (n < total ? " (" + total + " in all)" : "");
      pageLabel.textContent = state.all ? "" : "Page " + (state.page + 1) + " of " +
        (data.src ? Math.ceil(total / PAGE) : pages);
      prev.disabled = state.all || state.page === 0;
      next.disabled = state.all || (data.src ? total <= PAGE : state.page >= pages - 1);
      prev.hidden = next.hidden = state.all || n <= PAGE;
      all.hidden = n <= PAGE;
      all.textContent = state.all ? "Show " + PAGE + " at a time" : "Show all " + n;
      all.setAttribute("aria-pressed", state.all ? "true" : "false");
      box.classList.toggle("coop-table-all", state.all);
    }

    function toTop() {  // after paging, the reader sees the new rows from their top
      var top = box.getBoundingClientRect().top;
      if (top < 0) box.scrollIntoView({ block: "start" });
    }

    input.addEventListener("focus", function () { whole(render); });
    input.addEventListener("input", function () {
      whole(function () { state.q = input.value; state.page = 0; render(); });
    });
    prev.addEventListener("click", function () {
      whole(function () { state.page -= 1; render(); toTop(); });
    });
    next.addEventListener("click", function () {
      whole(function () { state.page += 1; render(); toTop(); });
    });
    all.addEventListener("click", function () {
      whole(function () { state.all = !state.all; state.page = 0; render(); toTop(); });
    });
    heads.forEach(function (th, i) {
      th.querySelector("button").addEventListener("click", function () {
        whole(function () {
          state.dir = state.col === i ? -state.dir : 1;
          state.col = i;
          heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", state.dir === 1 ? "ascending" : "descending");
          render();
        });
      });
    });
    render();
  }

  window.coopTables = function () {
    // Tables are set up once the page is parsed, so that they never delay a chart.
    if (document.readyState === "loading") return;
    document.querySelectorAll(".coop-table").forEach(setupTable);
  };

  // A citation of several works shows its first and a "+2" button for the others
  // (coopbook.site.extension.group_citations): a sentence carries one source link, not a
  // run of them. The button opens and closes the rest; on paper all of them print.
  function foldCitations() {
    document.querySelectorAll(".coop-cite-group").forEach(function (group) {
      var rest = group.querySelector(".coop-cite-rest");
      if (!rest || group.querySelector(".coop-cite-more")) return;
      var n = rest.querySelectorAll("a").length;
      var more = document.createElement("button");
      more.type = "button";
      more.className = "coop-cite-more";
      more.textContent = "+" + n;
      more.setAttribute("aria-expanded", "false");
      more.setAttribute("aria-label", "Show " + n + " more source" + (n > 1 ? "s" : ""));
      group.classList.add("coop-cite-folded");
      rest.after(more);
      more.addEventListener("click", function () {
        var open = group.classList.toggle("coop-cite-folded") === false;
        more.setAttribute("aria-expanded", open ? "true" : "false");
        more.textContent = open ? "\u2212" : "+" + n;
        more.setAttribute("aria-label", open ? "Show fewer sources" :
                          "Show " + n + " more source" + (n > 1 ? "s" : ""));
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    window.coopDraw();
    window.coopTables();
    foldCitations();
  });
})();
