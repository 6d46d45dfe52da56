/* The "Find your place" finder: searches the entries written into the page by
   coopbook.site.places, with the same folding, typo and ranking rules as
   coopbook.analysis.places.rank (a browser test checks that both agree). No kernel, no
   network: the data is in the page. */
(function () {
  "use strict";
  var GENERIC = new Set(["county", "city", "of", "the", "sheriff", "sheriffs", "office",
    "department", "police", "and", "parish", "borough", "town", "township", "village", "s"]);
  var MODEL_WORDS = {JEM: "Jail Enforcement Model", WSO: "Warrant Service Officer",
    TFM: "Task Force Model"};
  var LAYER_ORDER = ["state", "county", "agency", "dhs", "doj"];
  var LAYER_LABEL = {state: "State page", county: "County", agency: "287(g) agency",
    dhs: "DHS list", doj: "DOJ list"};
  var MAX_SHOWN = 40;

  function fold(text) {
    var t = String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    t = t.replace(/[^\x00-\x7f]/g, "").toLowerCase().replace(/'/g, "");
    t = t.replace(/[^a-z0-9]+/g, " ").trim();
    if (!t) return "";
    return t.split(" ").map(function (w) { return w === "st" ? "saint" : w; }).join(" ");
  }
  function words(text) { var f = fold(text); return f ? f.split(" ") : []; }
  function distinctive(text) {
    var all = words(text);
    var key = all.filter(function (w) { return !GENERIC.has(w); });
    return key.length ? key : all;
  }
  function edits(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      var cur = [i], low = i;
      for (j = 1; j <= b.length; j++) {
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        cur.push(v);
        if (v < low) low = v;
      }
      if (low > limit) return limit + 1;
      prev = cur;
    }
    return prev[b.length];
  }
  function allowedEdits(w) { return w.length <= 3 ? 0 : (w.length <= 7 ? 1 : 2); }
  function wordRank(typed, ws, prefix) {
    if (ws.indexOf(typed) >= 0) return 1;
    if (prefix && typed.length >= 3 && ws.some(function (w) { return w.indexOf(typed) === 0; })) return 2;
    var limit = allowedEdits(typed);
    if (limit && ws.some(function (w) { return edits(typed, w, limit) <= limit; })) return 3;
    return null;
  }
  function rank(query, name, state) {
    var key = distinctive(query);
    if (!key.length) return null;
    var ws = words(name);
    if (key.join(" ") === distinctive(name).join(" ")) return 0;
    var ranks = key.map(function (w) { return wordRank(w, ws, true); });
    if (ranks.every(function (r) { return r !== null; })) return Math.max.apply(null, ranks);
    if (key.length >= 2 && state) {
      var sw = words(state);
      var both = key.map(function (w, i) {
        return ranks[i] !== null ? ranks[i] : (wordRank(w, sw, false) ? 4 : null);
      });
      if (both.every(function (r) { return r !== null; }) &&
          both.some(function (r) { return r !== 4; })) return 4;
    }
    return null;
  }
  function describe(row) {
    var layer = row[2], info = row[3];
    if (layer === "state") return "state page: agreements, laws, cases and events";
    if (layer === "agency") {
      var parts = info.split(" removed ");
      var names = parts[0].split(" ").map(function (m) { return MODEL_WORDS[m]; }).join(", ");
      return "287(g): " + names + "; " + (parts.length > 1 ? "removed from ICE's list " + parts[1]
        : "on ICE's newest list");
    }
    if (layer === "county") {
      var n = parseInt(info, 10);
      return n + " 287(g) agreement" + (n !== 1 ? "s" : "") + " of agencies in the county";
    }
    if (layer === "dhs") return "on the DHS list (May 2025) as a " + info.toLowerCase();
    return "on the DOJ list (August 2025) at " + info.toLowerCase() + " level";
  }
  function find(data, query) {
    if (!fold(query)) return [];
    var scored = [];
    data.rows.forEach(function (row, i) {
      var r = rank(query, row[0], data.states[row[1]][0]);
      if (r !== null) scored.push([r, LAYER_ORDER.indexOf(row[2]), i, row]);
    });
    scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return scored.map(function (s) { return s[3]; });
  }

  function setup() {
    var root = document.getElementById("coop-finder");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    var data = JSON.parse(document.getElementById("coop-finder-data").textContent);
    var input = document.getElementById("coop-finder-q");
    var status = document.getElementById("coop-finder-status");
    var list = document.getElementById("coop-finder-results");
    window.coopFind = function (q) { return find(data, q); };
    window.coopFinderDescribe = describe;
    function href(row) {
      var anchor = data.anchors[row[2]];
      return data.states[row[1]][1] + ".html" + (anchor ? "#" + row[1].toLowerCase() + "-" + anchor : "");
    }
    function show() {
      var q = input.value;
      list.textContent = "";
      if (!fold(q)) { status.textContent = ""; return; }
      var found = find(data, q);
      if (!found.length) {
        status.textContent = "Nothing in the book's data matches \u201c" + q.trim() + "\u201d. " +
          "The finder knows the agencies on ICE's 287(g) lists since 2021 and the places on " +
          "the DHS and DOJ lists of 2025. Places with no agreement and no federal listing " +
          "still have a state page: pick your state in the list below.";
        return;
      }
      status.textContent = found.length + " match" + (found.length !== 1 ? "es" : "") +
        " for \u201c" + q.trim() + "\u201d" + (found.length > MAX_SHOWN ?
        "; the first " + MAX_SHOWN + " are shown, type more to narrow them." : ".");
      found.slice(0, MAX_SHOWN).forEach(function (row) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = href(row);
        a.textContent = row[0];
        var where = document.createElement("span");
        where.className = "coop-finder-where";
        where.textContent = row[2] === "state" ? "" : ", " + data.states[row[1]][0];
        var kind = document.createElement("span");
        kind.className = "coop-finder-kind coop-finder-" + row[2];
        kind.textContent = LAYER_LABEL[row[2]];
        var what = document.createElement("span");
        what.className = "coop-finder-what";
        what.textContent = describe(row);
        li.append(kind, " ", a, where, ": ", what);
        list.appendChild(li);
      });
    }
    var timer = null;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(show, 120); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        clearTimeout(timer); show();
        var first = list.querySelector("a");
        if (first && e.shiftKey === false && list.children.length === 1) first.focus();
      }
    });
    var param = new URLSearchParams(location.search).get("place");
    if (param) { input.value = param; show(); }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
