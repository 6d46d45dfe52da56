/* Draws the book's charts with the site's own Vega and runs its searchable tables.
   No kernel, no network: everything this needs is in the page or on the site. */
(function () {
  "use strict";

  // Charts are designed at a fixed width; on a narrow screen each view (a width signal
  // of the compiled Vega spec) is narrowed to fit instead of making the reader scroll
  // sideways. A map keeps its shape: its height shrinks with its width.
  function capWidths(spec, max) {
    var projected = JSON.stringify(spec.projections || []);
    if (typeof spec.width === "number" && spec.width > max) {
      if (projected !== "[]" && typeof spec.height === "number") {
        spec.height = Math.round(spec.height * max / spec.width);
      }
      spec.width = max;
    }
    var byName = {};
    (spec.signals || []).forEach(function (s) { byName[s.name] = s; });
    Object.keys(byName).forEach(function (name) {
      var s = byName[name];
      if (!/(^|_)width$/.test(name) || typeof s.value !== "number" || s.value <= max) return;
      var h = byName[name.replace(/width$/, "height")];
      if (projected.indexOf(name) !== -1 && h && typeof h.value === "number") {
        h.value = Math.round(h.value * max / s.value);
      }
      s.value = max;
    });
  }

  // Charts are drawn one after another, in page order: the first chart on the page
  // does not wait for the work of the ones below it.
  var busy = false;

  function drawOne(id, spec, done) {
    var el = document.getElementById(id);
    if (!el || el.dataset.state) { done(); return; }
    el.dataset.state = "drawing";
    if (el.clientWidth > 0) capWidths(spec, Math.max(200, el.clientWidth - 130));
    window.vegaEmbed(el, spec, { mode: "vega", actions: false, renderer: "svg" })
      .then(function (result) {
        el.dataset.state = "drawn";
        (window.coopViews = window.coopViews || {})[id] = result.view;
      })
      .catch(function (err) {
        el.dataset.state = "error";
        el.textContent = "This chart could not be drawn: " + err.message;
        console.error(err);
      })
      .then(done);
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

  // A tap answers like a pointer resting on the mark: Vega shows tooltips for a mouse or
  // pen only, so a touch that ends on a chart is replayed as a pointer move there, and a
  // touch elsewhere on the page hides the tooltip again.
  document.addEventListener("pointerup", function (e) {
    if (e.pointerType !== "touch") return;
    var chart = e.target.closest && e.target.closest(".coop-chart svg");
    if (!chart) {
      var tip = document.getElementById("vg-tooltip-element");
      if (tip && !(e.target.closest && e.target.closest("#vg-tooltip-element"))) {
        tip.classList.remove("visible");
      }
      return;
    }
    var init = { bubbles: true, cancelable: true, clientX: e.clientX, clientY: e.clientY,
                 pointerType: "mouse", isPrimary: true };
    var target = e.target;
    setTimeout(function () { target.dispatchEvent(new PointerEvent("pointermove", init)); }, 0);
  });

  var PAGE = 10;  // coopbook.site.protocol.TABLE_PAGE

  function norm(v) {
    return String(v).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function decode(data) {
    var dicts = data.dicts || {};
    return data.rows.map(function (r) {
      var cells = r.map(function (v, i) { return dicts[i] ? dicts[i][v] : v; });
      return { cells: cells, text: norm(cells.join(" \u2502 ")) };
    });
  }

  function setupTable(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var data = JSON.parse(box.querySelector(".coop-table-data").textContent);
    // A long table's page holds its first rows only; the rest load on first use
    // (coopbook.site.extension.lazy_tables).
    var rows = decode(data), total = data.total || rows.length, loading = null;
    var input = box.querySelector("input[type=search]");
    var tbody = box.querySelector("tbody");
    var count = box.querySelector(".coop-table-count");
    var pageLabel = box.querySelector(".coop-table-page");
    var prev = box.querySelector("[data-page='-1']");
    var next = box.querySelector("[data-page='1']");
    var all = box.querySelector("[data-all]");
    var heads = box.querySelectorAll("thead th");
    var state = { q: "", col: -1, dir: 1, page: 0, all: false };

    function whole(then) {
      if (!data.src) { then(); return; }
      if (!loading) {
        count.textContent = "Loading all " + total + " " + data.unit + "\u2026";
        loading = fetch(data.src).then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        }).then(function (full) {
          rows = decode(full); total = rows.length; delete data.src;
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
          var x = a.cells[c], y = b.cells[c];
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
          td.textContent = v;
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

  document.addEventListener("DOMContentLoaded", function () {
    window.coopDraw();
    window.coopTables();
  });
})();
