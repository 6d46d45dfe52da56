"""Real-browser tests of the built site (_build/html), driven by headless Chromium.

Run after `make book`. Every page found under _build/html is loaded from a local HTTP
server and checked for: no request leaving 127.0.0.1, no console or page errors, charts
that draw and are labelled, bound controls that change their chart, searchable and
sortable tables, and no serious or critical axe-core violations.

Chromium, the server and axe-core come from the shared harness, coopbook.devtools.browser.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from coopbook import geo
from coopbook.analysis import places
from coopbook.devtools import browser as harness
from coopbook.devtools.browser import DRAW_TIMEOUT_MS
from coopbook.site import protocol

pytestmark = pytest.mark.browser

SITE = harness.site_dir()
# What Vega (and a spec without a description) fall back to: labels that describe nothing.
GENERIC_LABELS = {"vega visualization", "visualization", "chart"}
COUNT_RE = re.compile(r"Showing (\d+)\u2013(\d+) of (\d+)|Showing 0 of 0")
# Without a build, one placeholder keeps the tests collected so that the `site` fixture
# fails them (an empty parametrization would only skip them).
ALL_PAGES = harness.site_pages(SITE) or ["index.html"]
# The generated place pages are opened once each by their own test, which runs every
# check below on one load; the per-check tests take the other pages and two place pages.
PLACE_PAGES = [p for p in ALL_PAGES if p.startswith("places/") and p != "places/index.html"]
SAMPLE_PLACES = [p for p in ("places/texas.html", "places/guam.html") if p in PLACE_PAGES]
PAGES = [p for p in ALL_PAGES if p not in PLACE_PAGES] + SAMPLE_PLACES


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def base_url(site):
    with harness.serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser(site):
    with harness.chromium() as b:
        yield b


@pytest.fixture
def visit(browser, base_url):
    """Open a page in a fresh context (no shared cache) while recording its traffic."""
    contexts = []

    def open_page(path: str) -> harness.Visit:
        context, v = harness.open_page(browser, base_url + path)
        contexts.append(context)
        return v

    yield open_page
    for context in contexts:
        context.close()


def _chart_ids(page) -> list[str]:
    return page.eval_on_selector_all(".coop-chart", "els => els.map(el => el.id)")


# --------------------------------------------------------------------------- static check


class _ExternalRefs(HTMLParser):
    """Collects <script src> and <link href> values that point at another host."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attr = {"script": "src", "link": "href"}.get(tag)
        value = dict(attrs).get(attr) if attr else None
        if value and re.match(r"\s*(https?:)?//", value, re.IGNORECASE):
            self.found.append(f"<{tag} {attr}={value!r}>")


def test_no_external_script_or_link(site):
    offenders = {}
    for path in harness.all_html(site):
        parser = _ExternalRefs()
        parser.feed(path.read_text(encoding="utf-8"))
        if parser.found:
            offenders[path.relative_to(site).as_posix()] = parser.found
    assert not offenders, f"pages load scripts or styles from other hosts: {offenders}"


# --------------------------------------------------------------------------- browser tests


def _check_offline_and_quiet(v, path) -> int:
    """Returns how many things it checked (0: nothing of its kind on the page)."""
    external = sorted({u for u in v.requests if not harness.is_local(u)} | set(v.blocked))
    problems = []
    if external:
        problems.append("requests to other hosts:\n  " + "\n  ".join(external))
    if v.console_errors:
        problems.append("console errors:\n  " + "\n  ".join(v.console_errors))
    if v.page_errors:
        problems.append("page errors:\n  " + "\n  ".join(v.page_errors))
    assert not problems, f"{path}:\n" + "\n".join(problems)
    return len(v.requests)


def _check_charts(v, path) -> int:
    """Returns how many things it checked (0: nothing of its kind on the page)."""
    ids = _chart_ids(v.page)
    if not ids:
        return 0
    for chart_id in ids:
        sel = f"#{chart_id}"
        try:
            v.page.wait_for_selector(f"{sel}[data-state=drawn]", state="attached",
                                     timeout=DRAW_TIMEOUT_MS)
        except PlaywrightError:  # turn the timeout into a readable failure
            state = v.page.get_attribute(sel, "data-state")
            text = v.page.inner_text(sel)[:300]
            pytest.fail(f"{path}: {sel} did not draw within {DRAW_TIMEOUT_MS} ms "
                        f"(data-state={state!r}; text: {text!r}; errors: {v.console_errors})")
        info = v.page.eval_on_selector(sel, """el => {
            const svg = el.querySelector('svg');
            if (!svg) return null;
            const box = svg.getBoundingClientRect();
            const byIds = ids => (ids || '').split(/\\s+/).filter(Boolean)
                .map(i => (document.getElementById(i) || {}).textContent || '').join(' ').trim();
            return {
                width: box.width, height: box.height,
                svgLabel: (svg.getAttribute('aria-label') || '').trim(),
                boxLabel: (el.getAttribute('aria-label') || '').trim(),
                boxLabelledBy: byIds(el.getAttribute('aria-labelledby')),
                boxDescribedBy: byIds(el.getAttribute('aria-describedby')),
            };
        }""")
        assert info, f"{path}: {sel} is marked drawn but holds no <svg>"
        assert info["width"] > 0 and info["height"] > 0, f"{path}: {sel} svg has size {info}"
        labels = [info[k] for k in ("svgLabel", "boxLabel", "boxLabelledBy", "boxDescribedBy")]
        assert any(x and x.lower() not in GENERIC_LABELS for x in labels), (
            f"{path}: {sel} has neither an svg aria-label nor an accessible name or "
            f"description on its container (only {[x for x in labels if x]}); give the "
            f"chart a description")
    return len(ids)


# Changes one bound control (the i-th `.vega-bind` of a chart) to a value other than its
# current one, the way a reader would, and says what it did. Vega listens for "change" on
# selects, radios and checkboxes and for "input" on ranges and text fields.
_CHANGE_CONTROL = """([chartId, i]) => {
    const bind = document.getElementById(chartId).querySelectorAll('.vega-bind')[i];
    const name = (bind.querySelector('.vega-bind-name') || {}).textContent || `control ${i}`;
    const select = bind.querySelector('select');
    if (select) return {name, kind: 'select'};
    const radios = [...bind.querySelectorAll('input[type=radio]')];
    if (radios.length) {
        const other = radios.find(r => !r.checked);
        if (!other) return {name, kind: 'radio', error: 'no unchecked radio'};
        other.click();
        return {name, kind: 'radio', to: other.value};
    }
    const input = bind.querySelector('input');
    if (!input) return {name, kind: 'none', error: 'no select or input inside .vega-bind'};
    if (input.type === 'checkbox') { input.click(); return {name, kind: 'checkbox'}; }
    let to;
    if (input.type === 'range') {
        const min = Number(input.min || 0), max = Number(input.max || 100);
        to = Number(input.value) === max ? min : max;
    } else if (input.type === 'number') {
        to = Number(input.value || 0) + Number(input.step || 1);
    } else {
        to = input.value + 'x';
    }
    input.value = String(to);
    input.dispatchEvent(new Event('input', {bubbles: true}));
    input.dispatchEvent(new Event('change', {bubbles: true}));
    return {name, kind: input.type, to: String(to)};
}"""


def _svg_markup(page, chart_id: str) -> str:
    return page.eval_on_selector(f"#{chart_id}", "el => el.querySelector('svg').outerHTML")


def _check_controls(v, path) -> int:
    """Returns how many things it checked (0: nothing of its kind on the page)."""
    tested = 0
    for chart_id in _chart_ids(v.page):
        sel = f"#{chart_id}"
        n_binds = v.page.eval_on_selector(sel, "el => el.querySelectorAll('.vega-bind').length")
        if not n_binds:
            continue
        v.page.wait_for_selector(f"{sel}[data-state=drawn]", state="attached")
        for i in range(n_binds):
            before = _svg_markup(v.page, chart_id)
            bind = v.page.locator(f"{sel} .vega-bind").nth(i)
            if bind.locator("select").count():
                select = bind.locator("select").first
                current = select.input_value()
                values = select.evaluate("s => [...s.options].map(o => o.value)")
                others = [x for x in values if x != current]
                assert others, f"{path}: {sel} select {i} has a single option {values}"
                select.select_option(others[0])
                what = f"select {i} ({current!r} -> {others[0]!r})"
            else:
                did = v.page.evaluate(_CHANGE_CONTROL, [chart_id, i])
                assert "error" not in did, f"{path}: {sel} control {i}: {did}"
                what = f"{did['kind']} {did['name']!r} -> {did.get('to')!r}"
            try:
                # Vega re-renders asynchronously; wait for the markup to move.
                v.page.wait_for_function(
                    "([id, before]) => document.querySelector('#' + id + ' svg').outerHTML"
                    " !== before",
                    arg=[chart_id, before], timeout=5_000)
            except PlaywrightError:  # report it as a test failure
                pytest.fail(f"{path}: changing {sel} {what} left the chart's SVG unchanged")
            tested += 1
    return tested


def _fold(text: str) -> str:
    """Lower case without accents, as the table's search compares ("Doña" finds "Dona")."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower())
                   if not unicodedata.combining(c))


def _count(box) -> tuple[int, int, int, str]:
    # The first search, sort or page of a long table waits for its rows to load.
    with contextlib.suppress(AssertionError):
        expect(box.locator(".coop-table-count")).to_have_text(COUNT_RE, timeout=5000)
    text = box.locator(".coop-table-count").inner_text()
    m = COUNT_RE.search(text)
    assert m, f"unexpected count text {text!r}"
    if m.group(3) is None:
        return 0, 0, 0, text
    return int(m.group(1)), int(m.group(2)), int(m.group(3)), text


# Checks that adjacent rows of a column are in the given order, comparing the way the
# table's script does: numbers as numbers, anything else with localeCompare. Pairs that
# mix a number and a text are skipped, since their order is not a total one.
_COLUMN_SORTED = """(box, [col, dir]) => {
    const cells = [...box.querySelectorAll('tbody tr')]
        .map(tr => (tr.children[col] || {}).textContent || '');
    const isNum = s => s.trim() !== '' && !isNaN(Number(s));
    const bad = [];
    for (let k = 1; k < cells.length; k++) {
        const a = cells[k - 1], b = cells[k];
        let c;
        if (isNum(a) && isNum(b)) c = Number(a) - Number(b);
        else if (!isNum(a) && !isNum(b)) c = a.localeCompare(b);
        else continue;
        if (dir * c > 0) bad.push([a, b]);
    }
    return bad.slice(0, 3);
}"""


def _check_tables(v, path) -> int:
    """Returns how many things it checked (0: nothing of its kind on the page)."""
    boxes = v.page.locator(".coop-table")
    if not boxes.count():
        return 0
    page_rows = protocol.TABLE_PAGE
    for t in range(boxes.count()):
        box = boxes.nth(t)
        where = f"{path}: table {t}"
        search = box.locator("input[type=search]")
        rows = box.locator("tbody tr")
        _, _, total, original = _count(box)
        assert total > 0, f"{where} is empty: {original!r}"
        assert rows.count() == min(page_rows, total), f"{where}: {rows.count()} rows for {original!r}"
        # A long table's page carries only the rows it shows; the rest come on first use.
        inline = json.loads(box.locator("." + protocol.TABLE_DATA).text_content())
        assert len(inline["rows"]) == min(page_rows, total), f"{where}: rows in the page"
        assert ("src" in inline) == (total > page_rows), f"{where}: {sorted(inline)}"
        show_all = box.locator("[data-all]")
        assert show_all.is_visible() == (total > page_rows), f"{where}: Show all"

        # Try the example the search label gives, "Texas", then each word of the first row,
        # until one narrows the table.
        label = box.locator("label").first.inner_text()
        example = re.findall(r"for example ([^\s)]+)", label)
        words = re.findall(r"[^\W\d_]{4,}", rows.first.inner_text())
        candidates = [*example, "Texas", *dict.fromkeys(words)]  # in order, without repeats
        query = None
        for candidate in candidates:
            search.fill(candidate)
            _, _, hits, _ = _count(box)
            if 0 < hits < total or (total == 1 and hits == 1):
                query = candidate
                break
        if total == 1:  # one row cannot be narrowed: a word no row holds must empty it
            search.fill("qqzzxq")
            assert _count(box)[2] == 0 and rows.count() == 0, f"{where}: search does nothing"
            search.fill(query or "")
        assert query, f"{where}: no query among {candidates} narrows {original!r}"
        _, _, hits, text = _count(box)
        assert rows.count() == min(page_rows, hits), f"{where}: {rows.count()} rows for {text!r}"
        texts = rows.all_inner_texts()
        misses = [r for r in texts if _fold(query) not in _fold(r)]
        assert not misses, f"{where}: rows shown for {query!r} lack it: {misses[:3]}"

        search.fill("")
        assert _count(box)[3] == original, f"{where}: clearing the search did not restore it"

        if total > page_rows:
            first_row = rows.first.inner_text()
            box.get_by_role("button", name=re.compile("next", re.IGNORECASE)).click()
            assert _count(box)[:2] == (page_rows + 1, min(2 * page_rows, total)), \
                f"{where}: Next did not page"
            assert rows.first.inner_text() != first_row, f"{where}: Next showed the same rows"
            box.get_by_role("button", name=re.compile("previous", re.IGNORECASE)).click()
            assert _count(box)[:2] == (1, page_rows), f"{where}: Previous did not page back"
            show_all.click()
            assert rows.count() == total and _count(box)[:3] == (1, total, total), \
                f"{where}: Show all showed {rows.count()} rows"
            assert show_all.get_attribute("aria-pressed") == "true"
            show_all.click()
            assert rows.count() == page_rows, f"{where}: back to {page_rows} at a time"

        heads = box.locator("thead th")
        for col in range(heads.count()):
            th = heads.nth(col)
            th.locator("button").click()
            assert th.get_attribute("aria-sort") == "ascending", f"{where}: column {col}"
            bad = box.evaluate(_COLUMN_SORTED, [col, 1])
            assert not bad, f"{where}: column {col} not ascending, e.g. {bad}"
            th.locator("button").click()
            assert th.get_attribute("aria-sort") == "descending", f"{where}: column {col}"
            bad = box.evaluate(_COLUMN_SORTED, [col, -1])
            assert not bad, f"{where}: column {col} not descending, e.g. {bad}"
            others = [heads.nth(k).get_attribute("aria-sort") for k in range(heads.count())
                      if k != col]
            assert not any(others), f"{where}: other headers keep aria-sort {others}"
    return boxes.count()


def _check_axe(v, path) -> int:
    """Returns how many things it checked (0: nothing of its kind on the page)."""
    v.page.add_script_tag(content=harness.axe_script())
    result = v.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [x for x in result["violations"] if x.get("impact") in {"serious", "critical"}]
    lines = []
    for x in bad:
        lines.append(f"{x['id']} ({x['impact']}): {x['help']}")
        for node in x["nodes"][:10]:
            lines.append(f"    {node['target']}  {node['html'][:160]}")
        if len(x["nodes"]) > 10:
            lines.append(f"    ... and {len(x['nodes']) - 10} more")
    assert not bad, f"{path}: axe-core violations:\n" + "\n".join(lines)
    return 1


@pytest.mark.parametrize("path", PAGES)
def test_no_external_requests_or_errors(visit, path):
    _check_offline_and_quiet(visit(path), path)


@pytest.mark.parametrize("path", PAGES)
def test_charts_draw_and_are_labelled(visit, path):
    if not _check_charts(visit(path), path):
        pytest.skip("no charts on this page")


@pytest.mark.parametrize("path", PAGES)
def test_bound_controls_change_their_chart(visit, path):
    if not _check_controls(visit(path), path):
        pytest.skip("no bound controls on this page")


@pytest.mark.parametrize("path", PAGES)
def test_tables_search_and_sort(visit, path):
    if not _check_tables(visit(path), path):
        pytest.skip("no searchable table on this page")


@pytest.mark.parametrize("path", PAGES)
def test_axe_no_serious_violations(visit, path):
    _check_axe(visit(path), path)



def _place_code(path: str) -> str:
    return next(c for c in places.states() if f"places/{places.slug(c)}.html" == path)


def _expected_place_charts(path: str) -> int:
    """Charts a place page should draw, from data/: the history chart if any list shows
    an agreement in the state, and the county map if a county holds a county-level one
    (territories have no county map)."""
    code = _place_code(path)
    history = int(places.over_time(code)["agreements"].any())
    counties = int(code not in geo.TERRITORIES and len(places.county_agreements(code)) > 0)
    return history + counties


@pytest.mark.parametrize("path", PLACE_PAGES)
def test_each_place_page_is_offline_drawn_labelled_searchable_and_accessible(visit, path):
    """Every generated place page, loaded once: the checks above, all of them."""
    v = visit(path)
    _check_offline_and_quiet(v, path)
    assert _check_charts(v, path) == _expected_place_charts(path), (
        f"{path}: a place page draws its history chart when the state has had an "
        "agreement, and its county map when a county holds one")
    if places.agency_table(_place_code(path)).empty:
        assert _check_tables(v, path) == 0, f"{path}: no agency, so no agency table"
        assert "287(g) lists since 2021" in v.page.inner_text("main")
    else:
        assert _check_tables(v, path) >= 1, f"{path}: a place page has its agency table"
    _check_controls(v, path)
    _check_axe(v, path)


def test_axe_core_is_the_pinned_npm_release_with_the_label_in_name_rule(visit):
    """The browser tests inject axe-core from node_modules (the npm registry's release
    pinned in package-lock.json), new enough to check WCAG 2.5.3 "label in name"."""
    import json

    lock = json.loads((harness.paths.ROOT / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/axe-core"]["version"]
    assert harness.axe_version() == pinned
    v = visit("intro.html")
    v.page.add_script_tag(content=harness.axe_script())
    rules = v.page.evaluate("() => axe.getRules(['wcag253']).map(r => r.ruleId)")
    assert "label-content-name-mismatch" in rules
    assert v.page.evaluate("() => axe.version") == pinned
    # The rule is on and fails a button whose name leaves out its visible words.
    v.page.evaluate("""() => { const b = document.createElement('button');
        b.id = 'coop-axe-probe'; b.textContent = 'Search this book';
        b.setAttribute('aria-label', 'Open'); document.body.append(b); }""")
    result = v.page.evaluate("""() => axe.run('#coop-axe-probe',
        {runOnly: ['label-content-name-mismatch']})""")
    assert [x["id"] for x in result["violations"]] == ["label-content-name-mismatch"]


# --------------------------------------------------------------------------- the place finder

FINDER = "places/index.html"
# Queries with every kind of answer: a state, a county, a city, an agency word, typos,
# case, an accent, an abbreviation, words that match only a state's name, and nothing.
AGREEMENT_QUERIES = ["Texas", "texas", "Hennepin County", "Hennepen", "Lubbock", "lubbok",
                     "Cook County", "Doña Ana", "Dona Ana", "St. Louis", "saint louis",
                     "sheriff", "police department", "New York", "Harris Texas",
                     "Maricopa", "Zzyzx Flats", "Washington"]


def _finder(visit, query: str | None = None, path: str = FINDER):
    v = visit(path)
    box = v.page.get_by_label("Place or agency")  # the label names the box
    if query is not None:
        box.fill(query)
        v.page.wait_for_function(
            "() => document.getElementById('coop-finder-status').textContent !== ''")
    return v, box


def _shown(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        "#coop-finder-results li a", "as => as.map(a => [a.textContent, a.getAttribute('href')])")


def test_the_finder_finds_an_exact_name_and_links_to_its_place_on_the_state_page(visit):
    from coopbook.analysis import places

    if FINDER not in ALL_PAGES:
        pytest.skip(f"{FINDER} is not built")
    want = places.find("Hennepin County")
    assert want, "the data no longer name Hennepin County: pick another exact name"
    v, _ = _finder(visit, "Hennepin County")
    shown = _shown(v.page)
    assert [name for name, _ in shown] == [e.name for e in want][: len(shown)]
    _, href = shown[0]
    anchor = places.ANCHORS[want[0].layer]
    assert href == f"{places.slug(want[0].state)}.html#{want[0].state.lower()}-{anchor}"
    status = v.page.locator("#coop-finder-status")
    assert status.get_attribute("role") == "status" and "Hennepin County" in status.inner_text()
    # The link lands on that section of the state page.
    v.page.locator("#coop-finder-results a").first.click()
    v.page.wait_for_url(f"**/{href}")
    assert v.page.locator(f"#{href.split('#')[1]}").count() == 1
    _check_offline_and_quiet(v, FINDER)


def test_the_finder_forgives_a_typo_and_case(visit):
    if FINDER not in ALL_PAGES:
        pytest.skip(f"{FINDER} is not built")
    for query in ("Hennepen", "hENNEPIN county"):
        v, _ = _finder(visit, query)
        names = [name for name, _ in _shown(v.page)]
        assert "Hennepin County" in names, f"{query!r} found {names}"


def test_an_unknown_name_gets_a_message_saying_what_was_searched(visit):
    if FINDER not in ALL_PAGES:
        pytest.skip(f"{FINDER} is not built")
    v, _ = _finder(visit, "  Zzyzx Flats ")
    text = v.page.locator("#coop-finder-status").inner_text()
    assert "\u201cZzyzx Flats\u201d" in text and "still have a state page" in text
    assert _shown(v.page) == []
    # Every state's page is listed below the message, as it says.
    links = v.page.locator("article a[href$='.html']").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))")
    assert sum(1 for h in links if h in {p.split("/")[-1] for p in PLACE_PAGES}) == \
        len(PLACE_PAGES)


def test_the_finder_works_from_the_keyboard_and_from_a_link(visit):
    if FINDER not in ALL_PAGES:
        pytest.skip(f"{FINDER} is not built")
    v, box = _finder(visit)
    box.focus()
    v.page.keyboard.type("Lubbock")
    v.page.keyboard.press("Enter")  # Enter shows the matches at once
    assert _shown(v.page), "Enter showed no match for Lubbock"
    v.page.keyboard.press("Tab")  # the next stop is the first match
    assert v.page.evaluate("() => document.activeElement.closest('#coop-finder-results')"
                           " !== null")
    v2, box2 = _finder(visit, path=FINDER + "?place=Lubbock")
    assert box2.input_value() == "Lubbock" and _shown(v2.page) == _shown(v.page)


def test_the_finder_script_and_the_python_lookup_agree(visit):
    """finder.js and coopbook.analysis.places.find rank the same entries in the same order
    (the live notebook's explorer uses the Python one)."""
    from coopbook.analysis import places

    if FINDER not in ALL_PAGES:
        pytest.skip(f"{FINDER} is not built")
    v, _ = _finder(visit)
    for query in AGREEMENT_QUERIES:
        js = v.page.evaluate("q => window.coopFind(q).map(r => [r[0], r[1], r[2]])", query)
        py = [[e.name, e.state, e.layer] for e in places.find(query)]
        assert js == py, f"{query!r}: the page finds {js[:5]}, Python {py[:5]}"
        words = v.page.evaluate("q => window.coopFind(q).map(r => window.coopFinderDescribe(r))",
                                query)
        assert words == [places.describe(e) for e in places.find(query)], query


# --------------------------------------------------------------------------- the explorable

STANDOFF = "chapters/05_standoff.html"
_SLIDERS = {"goal": "Daily arrest goal", "jail_share": "Share of arrests through jails",
            "coop_share": "Share of the jail route that cooperates"}


def _explorable(page) -> str:
    for chart_id in _chart_ids(page):
        names = page.eval_on_selector(
            f"#{chart_id}", "el => [...el.querySelectorAll('.vega-bind-name')]"
                            ".map(n => n.textContent)")
        if any(_SLIDERS["goal"] in n for n in names):
            return chart_id
    pytest.fail(f"{STANDOFF}: no chart with a '{_SLIDERS['goal']}' slider")


def _slide(page, chart_id: str, label: str, value: float) -> None:
    """Move one slider as a drag does: set its value and fire "input" (the keyboard is
    tested on its own in test_explorable_slider_moves_with_the_keyboard)."""
    slider = page.locator(f"#{chart_id} .vega-bind", has_text=label).locator("input[type=range]")
    slider.evaluate("(el, v) => { el.value = String(v); "
                    "el.dispatchEvent(new Event('input', {bubbles: true})); }", value)


def _shown_numbers(page, chart_id: str) -> dict[str, int]:
    texts = page.eval_on_selector(f"#{chart_id}", "el => [...el.querySelectorAll('svg text')]"
                                                   ".map(t => t.textContent)")
    out = {}
    for t in texts:
        # Each route's words and number are two lines (tspans) of one text mark.
        m = re.match(r"(Through cooperating jails|At large):\s*([\d,]+) a day", t)
        if m:
            out[m.group(1)] = int(m.group(2).replace(",", ""))
    return out


@pytest.mark.parametrize(("goal", "jail", "coop"), [(3000, 0.7, 1.0), (5000, 0.4, 0.25),
                                                     (1200, 1.0, 0.0)])
def test_explorable_sliders_compute_the_model(visit, goal, jail, coop):
    if STANDOFF not in PAGES:
        pytest.skip(f"{STANDOFF} is not built")
    from coopbook.analysis import leverage

    v = visit(STANDOFF)
    chart_id = _explorable(v.page)
    for name, value in (("goal", goal), ("jail_share", jail), ("coop_share", coop)):
        _slide(v.page, chart_id, _SLIDERS[name], value)
    v.page.wait_for_function(
        "([id, g]) => window.coopViews[id].signal('goal') === g", arg=[chart_id, goal])
    view = {n: v.page.evaluate(f"id => window.coopViews[id].signal('{n}')", chart_id)
            for n in _SLIDERS}
    assert view == {"goal": goal, "jail_share": jail, "coop_share": coop}
    expected = leverage.at_large(goal, jail, coop)
    v.page.wait_for_function(
        "([id, want]) => [...document.querySelectorAll('#' + id + ' svg text')]"
        ".some(t => t.textContent.replace(/\\s+/g, '') === want.replace(/\\s+/g, ''))",
        arg=[chart_id, f"At large: {expected:,.0f} a day"], timeout=5_000)
    shown = _shown_numbers(v.page, chart_id)
    assert shown["At large"] == round(expected)
    assert shown["Through cooperating jails"] == round(goal - expected)
    assert not v.console_errors and not v.page_errors


def test_explorable_slider_moves_with_the_keyboard(visit):
    if STANDOFF not in PAGES:
        pytest.skip(f"{STANDOFF} is not built")
    v = visit(STANDOFF)
    chart_id = _explorable(v.page)
    before = v.page.evaluate("id => window.coopViews[id].signal('coop_share')", chart_id)
    slider = v.page.locator(f"#{chart_id} .vega-bind", has_text=_SLIDERS["coop_share"]
                            ).locator("input[type=range]")
    slider.focus()
    slider.press("ArrowLeft")
    slider.press("ArrowLeft")
    v.page.wait_for_function(
        "([id, b]) => window.coopViews[id].signal('coop_share') < b", arg=[chart_id, before])
    after = v.page.evaluate("id => window.coopViews[id].signal('coop_share')", chart_id)
    assert after == pytest.approx(before - 0.02)


# --------------------------------------------------------------------------- paper

CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]
PRINT_MAX_PAGES = 12  # a chapter prints in about a dozen Letter pages (../shared/STYLE.md)


@pytest.mark.parametrize("path", CHAPTERS)
def test_a_chapter_prints_on_at_most_twelve_pages_with_no_controls(visit, path):
    v = visit(path)
    page = v.page
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('input, select, button, textarea')]
              .filter(e => { const r = e.getBoundingClientRect();
                             return r.width > 0 && r.height > 0 &&
                                    getComputedStyle(e).visibility !== 'hidden'; })
              .map(e => e.outerHTML.slice(0, 80))""")
    assert not shown, f"{path}: controls on paper: {shown[:5]}"
    solutions = page.locator(".admonition.solution").evaluate_all(
        "els => els.filter(e => e.getBoundingClientRect().height > 0).length")
    assert solutions == 0, f"{path}: {solutions} solutions would print"
    refs = page.locator(".coop-chapter-refs li")
    assert refs.count() > 0 and refs.first.is_visible(), f"{path}: no list of works cited"
    pages = harness.pdf_pages(page.pdf(format="Letter"))
    assert pages <= PRINT_MAX_PAGES, f"{path}: prints on {pages} Letter pages"


def test_the_unit_plan_prints_on_one_page(visit):
    """A teacher's one-page overview: the days, tasks and standards on one Letter page."""
    page = visit("teaching/unit_plan.html").page
    page.emulate_media(media="print")
    assert harness.pdf_pages(page.pdf(format="Letter", prefer_css_page_size=True)) == 1


def test_the_pdf_page_count_is_read_right(visit):
    """The counter above on a page of known length: the one-page-ish landing page."""
    page = visit("intro.html").page
    pdf = page.pdf(format="Letter")
    tall = visit("chapters/02_sanctuary.html").page.pdf(format="Letter")
    assert 1 <= harness.pdf_pages(pdf) < harness.pdf_pages(tall)


# --------------------------------------------------------------------------- phone


def _phone(browser, base_url, path, width=390):
    context = browser.new_context(viewport={"width": width, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    harness.block_off_host(page)
    page.goto(base_url + path, wait_until="load")
    return context, page


LAZY_PAGE = "chapters/04_287g_landscape.html"


def test_charts_below_the_fold_are_drawn_only_when_scrolled_to(browser, base_url):
    context, page = _phone(browser, base_url, LAZY_PAGE)
    try:
        page.locator(".coop-chart").first.scroll_into_view_if_needed()
        page.wait_for_selector(".coop-chart[data-state=drawn]", state="attached")
        page.wait_for_timeout(1500)
        last = page.locator(".coop-chart").last
        assert last.get_attribute("data-state") is None, "a chart far below was drawn at load"
        last.scroll_into_view_if_needed()
        page.wait_for_function(
            "id => document.getElementById(id).dataset.state === 'drawn'",
            arg=last.get_attribute("id"), timeout=DRAW_TIMEOUT_MS)
    finally:
        context.close()


def test_a_long_table_loads_its_rows_only_when_used_and_says_so_when_it_cannot(browser,
                                                                            base_url):
    """The agency table's page holds its first rows; the rest are fetched on first use. If
    that file cannot be fetched, the table says which file, and keeps what it shows."""
    for broken in (False, True):
        context, page = _phone(browser, base_url, LAZY_PAGE)
        fetched = []
        page.on("request", lambda r, seen=fetched: protocol.TABLES_DIR in r.url and seen.append(r.url))
        if broken:
            page.route(f"**/{protocol.TABLES_DIR}/*", lambda route: route.abort())
        try:
            box = page.locator(".coop-table").first
            box.scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            assert not fetched, "table rows were fetched before the reader used the table"
            box.locator("input[type=search]").fill("Texas")
            count = box.locator(".coop-table-count")
            if broken:
                page.wait_for_function("el => /could not be loaded/.test(el.textContent)",
                                       arg=count.element_handle())
                assert f"{protocol.TABLES_DIR}/" in count.inner_text()
                assert box.locator("tbody tr").count() == protocol.TABLE_PAGE
            else:
                page.wait_for_function("el => /matching/.test(el.textContent)",
                                       arg=count.element_handle())
                assert len(fetched) == 1
        finally:
            context.close()


@pytest.mark.parametrize("path", ["chapters/04_287g_landscape.html", "chapters/05_standoff.html"])
def test_chart_sliders_and_table_sort_buttons_are_big_enough_to_tap(browser, base_url, path):
    """At 390 px on a touch screen every drawn chart's slider and every table's sort button
    is at least 24 x 24 CSS px (WCAG 2.2, target size). The lessons have students move these
    sliders on their phones."""
    context, page = _phone(browser, base_url, path)
    try:
        for chart in page.locator(".coop-chart").all():
            chart.scroll_into_view_if_needed()
        page.wait_for_function("() => [...document.querySelectorAll('.coop-chart')]"
                               ".every(c => c.dataset.state === 'drawn')", timeout=DRAW_TIMEOUT_MS)
        sizes = page.evaluate("""() => [...document.querySelectorAll(
              '.coop-chart input[type=range], .coop-table th button')].map(e => {
            const r = e.getBoundingClientRect();
            return [e.tagName + ' ' + (e.name || e.textContent.trim()), r.width, r.height]; })""")
        assert sizes, f"{path}: no slider or sort button"
        small = [s for s in sizes if s[1] < 24 or s[2] < 24]
        assert not small, f"{path}: too small to tap: {small}"
    finally:
        context.close()


# The classroom kit's pages: lesson plans and rubrics have wide tables, the spreadsheet
# page long formulas.
TEACHING = [p for p in ALL_PAGES if p.startswith("teaching/")]


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("path", CHAPTERS + [FINDER] + SAMPLE_PLACES + TEACHING)
def test_no_page_is_wider_than_its_screen(browser, base_url, path, width):
    context, page = _phone(browser, base_url, path, width)
    try:
        harness.scroll_through(page)
        page.wait_for_timeout(500)
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= width, f"{path} at {width} px is {wide} px wide"
    finally:
        context.close()


CHARTS_WIDER_THAN_THEIR_COLUMN = """() => [...document.querySelectorAll('.coop-chart')]
    .map(el => [el.id, el.clientWidth, el.querySelector('svg')])
    .filter(([id, room, svg]) => svg && svg.getBoundingClientRect().width > room + 1)
    .map(([id, room, svg]) => `${id}: ${Math.round(svg.getBoundingClientRect().width)} px `
                              + `in ${room} px`)"""


@pytest.mark.parametrize("width", [320, 390, 1366])
@pytest.mark.parametrize("path", CHAPTERS + SAMPLE_PLACES)
def test_every_chart_fits_its_column_without_scrolling_sideways(browser, base_url, path, width):
    """Titles and legends wrap, long axis labels break, and the plot narrows: no chart
    needs a sideways scroll at 320 px (a small phone), 390 px (a phone) or 1366 px."""
    context, page = _phone(browser, base_url, path, width)
    try:
        harness.scroll_through(page)
        page.wait_for_function(harness.ALL_SETTLED_JS, timeout=DRAW_TIMEOUT_MS)
        wide = page.evaluate(CHARTS_WIDER_THAN_THEIR_COLUMN)
        assert not wide, f"{path} at {width} px: {wide}"
    finally:
        context.close()



# Every text of a chart's drawing that touches another one: words running into each other.
OVERLAPPING_TEXTS = """id => {
    const boxes = [...document.querySelectorAll('#' + id + ' svg text')]
        // Vega keeps labels it thins out for space, at opacity 0.
        .filter(t => t.textContent.trim() && getComputedStyle(t).opacity !== '0'
                     && getComputedStyle(t).fillOpacity !== '0')
        .map(t => [t.textContent.trim(), t.getBoundingClientRect()]);
    const out = [];
    boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
        if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1
            && q.top < p.bottom - 1) out.push(a + ' / ' + b);
    }));
    return out;
}"""


@pytest.mark.parametrize("width", [320, 390])
def test_the_explorers_words_do_not_run_into_each_other_on_a_phone(browser, base_url, width):
    if STANDOFF not in PAGES:
        pytest.skip(f"{STANDOFF} is not built")
    context, page = _phone(browser, base_url, STANDOFF, width)
    try:
        harness.scroll_through(page)
        page.wait_for_function(harness.ALL_SETTLED_JS, timeout=DRAW_TIMEOUT_MS)
        chart_id = _explorable(page)
        assert set(_shown_numbers(page, chart_id)) == {"Through cooperating jails", "At large"}
        assert page.evaluate(OVERLAPPING_TEXTS, chart_id) == []
    finally:
        context.close()

# A control counts as covered when, with the button out of the way, the reader could
# reach it at a point the button takes (content scrolled under the top bar is not).
CONTROLS_UNDER_BACK_TO_TOP = """() => {
    const btn = document.getElementById('pst-back-to-top');
    btn.style.display = 'block';
    const b = btn.getBoundingClientRect();
    btn.style.visibility = 'hidden';
    const out = [];
    for (let x = b.left + 2; x < b.right - 1; x += 6) {
        for (let y = b.top + 2; y < b.bottom - 1; y += 6) {
            const e = document.elementFromPoint(x, y);
            const c = e && e.closest('button, a[href], input, select, summary, textarea');
            if (c && !out.includes(c.outerHTML.slice(0, 100))) out.push(c.outerHTML.slice(0, 100));
        }
    }
    btn.style.visibility = '';
    return [b.width > 0, out];
}"""


@pytest.mark.parametrize("width", [390, 1024])
def test_back_to_top_covers_no_control(browser, base_url, width):
    """The theme shows "Back to top" when the reader scrolls up (below 1200 px; wider
    screens have the page's contents beside the text instead). It sits in the top bar's
    empty middle (on a phone, beside the menu button), never over a link, button or field,
    wherever the page is scrolled to."""
    context, page = _phone(browser, base_url, LAZY_PAGE, width)
    try:
        height = page.evaluate("document.documentElement.scrollHeight")
        for y in range(600, height, 700):
            page.evaluate(f"window.scrollTo({{top: {y}, behavior: 'instant'}})")
            shown, covered = page.evaluate(CONTROLS_UNDER_BACK_TO_TOP)
            assert shown, "Back to top has no size"
            assert not covered, f"at {y} px down, Back to top covers {covered}"
    finally:
        context.close()


def test_dark_mode_draws_charts_on_a_dark_ground_and_redraws_them_on_a_switch(browser,
                                                                            base_url):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    harness.block_off_host(page)
    page.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark')")
    try:
        page.goto(base_url + LAZY_PAGE, wait_until="load")
        chart = page.locator(".coop-chart").first
        chart.scroll_into_view_if_needed()
        page.wait_for_selector(".coop-chart[data-state=drawn]", state="attached")
        cid = chart.get_attribute("id")
        ground = f"() => window.coopViews['{cid}'].background()"
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        assert page.evaluate(ground) not in ("white", "#ffffff", "#fff", None)
        page.evaluate("document.documentElement.dataset.theme = 'light'")
        page.wait_for_function(f"() => document.getElementById('{cid}').dataset.state === 'drawn'"
                               f" && window.coopViews['{cid}'].background() === 'white'")
    finally:
        context.close()


def test_sliders_show_shares_as_percentages_and_counts_with_separators(browser, base_url):
    if STANDOFF not in PAGES:
        pytest.skip("no standoff chapter")
    context, page = _phone(browser, base_url, STANDOFF, 1366)
    try:
        harness.scroll_through(page)
        page.wait_for_function(harness.ALL_SETTLED_JS, timeout=DRAW_TIMEOUT_MS)
        values = page.evaluate("""() => [...document.querySelectorAll(
            '.vega-bind input[type=range]')].map(i => [i.max, i.nextElementSibling.textContent])""")
        assert values, "the standoff chapter has its sliders"
        for top, shown in values:
            if float(top) <= 1:
                assert re.fullmatch(r"\d{1,3}%", shown), shown
            else:
                assert re.fullmatch(r"\d{1,3}(,\d{3})*", shown), shown
        assert any("," in shown for _, shown in values), values
    finally:
        context.close()


def _built(*paths: str) -> list[str]:
    """Those of `paths` the built site has (a partial build skips the rest)."""
    return [p for p in paths if p in ALL_PAGES]


def _detail(page, chart_id: str):
    return page.locator(f"#{chart_id} + .coop-chart-detail")


# State maps: the national map's counties are a few pixels wide at 390 px, where the
# browser's touch adjustment may pick a neighbour, so the assertion would be about that.
@pytest.mark.parametrize("path", _built("places/texas.html", "places/north-carolina.html"))
def test_a_tap_on_a_county_shows_its_details_under_the_map(browser, base_url, path):
    """On a touch phone a county map answers a tap: Vega shows tooltips for a pointer
    resting on a mark, which a finger never does, so the site shows the mark's details in a
    panel under the chart; its close button hides it again."""
    context, v = harness.open_page(browser, base_url + path, device={
        "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True})
    try:
        harness.scroll_through(v.page)
        point = v.page.evaluate("""() => {
            for (const chart of document.querySelectorAll('.coop-chart[data-state=drawn]')) {
              for (const p of chart.querySelectorAll('path')) {
                const d = p.__data__ && p.__data__.datum;
                if (!d || !d.county || d.kind === 'No county agreement') continue;
                p.scrollIntoView({block: 'center'});
                const r = p.getBoundingClientRect();
                if (r.width < 12 || r.height < 12) continue;
                for (let i = 1; i < 8; i++) for (let j = 1; j < 8; j++) {
                  const x = r.x + r.width * i / 8, y = r.y + r.height * j / 8;
                  // A finger is not a point: the browser may snap a tap near a border to
                  // the neighbour, so the tap goes where the county is all around it.
                  const around = [[0, 0], [-5, 0], [5, 0], [0, -5], [0, 5]];
                  if (around.every(([dx, dy]) => document.elementFromPoint(x + dx, y + dy) === p))
                    return {x, y, county: d.county, id: chart.id};
                }
              }
            }
            return null; }""")
        assert point, f"{path}: no county shape large enough to tap"
        v.page.touchscreen.tap(point["x"], point["y"])
        panel = _detail(v.page, point["id"])
        panel.wait_for(state="visible", timeout=2000)
        assert point["county"] in panel.inner_text(), (point, panel.inner_text())
        assert panel.evaluate("e => { const r = e.getBoundingClientRect();"
                              " return r.top < innerHeight && r.bottom > 0; }"), \
            "the details are not on the screen after the tap"
        assert not v.page.locator("#vg-tooltip-element.visible").count(), \
            "a tooltip is left where the finger was"
        panel.locator(".coop-detail-close").tap()
        panel.wait_for(state="hidden", timeout=2000)
        assert not v.console_errors and not v.page_errors
    finally:
        context.close()


TIMELINES = _built("chapters/01_history.html", "chapters/03_legal.html",
                   "chapters/05_standoff.html")


@pytest.mark.parametrize("path", TIMELINES)
def test_a_tap_on_a_timeline_mark_shows_its_details_and_the_keys_step_through_them(browser,
                                                                                  base_url, path):
    """A phone reader taps a dot of a timeline and reads what it is under the chart; a
    keyboard reader tabs to the chart and steps through its marks with the arrow keys."""
    context, v = harness.open_page(browser, base_url + path, device={
        "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True})
    try:
        harness.scroll_through(v.page)
        v.page.wait_for_function(harness.ALL_SETTLED_JS, timeout=DRAW_TIMEOUT_MS)
        point = v.page.evaluate("""() => {
            for (const chart of document.querySelectorAll('.coop-chart[data-state=drawn]')) {
              for (const node of chart.querySelectorAll('.mark-symbol path')) {
                const it = node.__data__;
                if (!it || it.tooltip == null || typeof it.tooltip !== 'object') continue;
                node.scrollIntoView({block: 'center'});
                const r = node.getBoundingClientRect();
                const x = r.x + r.width / 2, y = r.y + r.height / 2;
                if (r.width < 4 || document.elementFromPoint(x, y) !== node) continue;
                return {x, y, id: chart.id, words: Object.values(it.tooltip).map(String)};
              }
            }
            return null; }""")
        assert point, f"{path}: no timeline mark to tap"
        v.page.touchscreen.tap(point["x"], point["y"])
        panel = _detail(v.page, point["id"])
        panel.wait_for(state="visible", timeout=2000)
        text = panel.inner_text()
        assert all(w in text for w in point["words"]), (point["words"], text)

        chart = v.page.locator("#" + point["id"])
        assert chart.get_attribute("tabindex") == "0" and chart.get_attribute("aria-label")
        chart.focus()
        chart.press("Home")
        first = panel.inner_text()
        total = re.search(r"1 of (\d+)", first)
        assert total and int(total.group(1)) > 1, first
        chart.press("ArrowRight")
        assert f"2 of {total.group(1)}" in panel.inner_text() and panel.inner_text() != first
        assert v.page.locator(f"#{point['id']} .coop-chart-ring:not([hidden])").count() == 1
        chart.press("Escape")
        panel.wait_for(state="hidden", timeout=2000)
        assert not v.console_errors and not v.page_errors
    finally:
        context.close()


@pytest.mark.parametrize("path", _built("chapters/03_legal.html", "chapters/02_sanctuary.html"))
def test_a_tables_sources_are_links_to_their_bibliography_entries(browser, base_url, path):
    """A table's source column shows each work as the text cites it ("Agarwal, 2021"), a link
    to its entry in the bibliography, not its raw key; rows loaded later link too."""
    entries = set(re.findall(r'<div class="citation" id="([^"]+)"',
                             (SITE / "bibliography.html").read_text(encoding="utf-8")))
    context, v = harness.open_page(browser, base_url + path, device=harness.DESKTOP)
    try:
        page = v.page
        links_js = """() => [...document.querySelectorAll('.coop-table tbody td a')]
            .map(a => [a.getAttribute('href'), a.textContent])"""
        first = page.evaluate(links_js)
        assert first, f"{path}: no source links in its tables"
        page.locator(".coop-table [data-all]").first.click()
        page.wait_for_function("() => document.querySelector('.coop-table tbody')"
                               ".rows.length > 10", timeout=5000)
        every = page.evaluate(links_js)
        assert len(every) > len(first)
        for href, label in every:
            target = href.split("#")
            assert target[0].endswith("bibliography.html") and target[1] in entries, href
            assert re.fullmatch(r".+, (\d{4}|n\.d\.)", label), label
        keys = page.evaluate("""() => [...document.querySelectorAll('.coop-table tbody td')]
            .filter(td => /^[A-Z][A-Za-z]*\\d{4}[a-z]+(;|$)/.test(td.textContent))
            .map(td => td.textContent)""")
        assert not keys, f"raw citation keys shown: {keys[:3]}"
        assert not v.console_errors and not v.page_errors
    finally:
        context.close()


@pytest.mark.skipif("chapters/04_287g_landscape.html" not in ALL_PAGES, reason="no chapter 4")
def test_the_map_has_its_controls_above_a_month_slider_that_names_months_and_plays(browser,
                                                                                base_url):
    context, v = harness.open_page(browser, base_url + "chapters/04_287g_landscape.html",
                                   device=harness.PHONE)
    try:
        page = v.page
        harness.scroll_through(page)
        page.wait_for_function(harness.ALL_SETTLED_JS, timeout=DRAW_TIMEOUT_MS)
        slider = page.locator("input[type=range][name=month_index]")
        assert slider.count() == 1
        chart = page.locator(".coop-chart:has(input[name=month_index])")
        above = chart.evaluate("""el => el.querySelector('.vega-bindings').getBoundingClientRect()
            .bottom <= el.querySelector('svg').getBoundingClientRect().top + 1""")
        assert above, "the map's controls are not above it"
        width = chart.evaluate("el => [el.querySelector('svg').getBoundingClientRect().width,"
                               " el.clientWidth]")
        assert width[0] >= 0.9 * width[1], f"the map does not take the phone's width: {width}"
        shown = slider.evaluate("i => i.nextElementSibling.textContent")
        assert re.fullmatch(r"[A-Z][a-z]+ \d{4}", shown), shown
        assert slider.get_attribute("aria-valuetext") == shown
        play = chart.locator(".coop-play")
        play.click()  # at the newest month, Play starts again from the first
        page.wait_for_function("() => Number(document.querySelector("
                               "'input[name=month_index]').value) >= 2", timeout=5000)
        assert play.get_attribute("aria-pressed") == "true"
        play.click()
        stopped = slider.input_value()
        page.wait_for_timeout(1000)
        assert slider.input_value() == stopped and play.get_attribute("aria-pressed") == "false"
        view_month = page.evaluate("id => window.coopViews[id].signal('month_index')",
                                   chart.get_attribute("id"))
        assert str(view_month) == stopped
        label = slider.evaluate("i => i.nextElementSibling.textContent")
        assert re.fullmatch(r"[A-Z][a-z]+ 20(2[1-6])", label) and label != shown, label
        assert not v.console_errors and not v.page_errors
    finally:
        context.close()


@pytest.mark.parametrize("path", _built("chapters/01_history.html", "chapters/03_legal.html"))
def test_a_citation_of_several_works_shows_one_link_and_opens_the_rest(browser, base_url, path):
    """A sentence carries one source link and a "+N" button rather than a run of links; the
    button opens the others (and says so to a screen reader); on paper they all print."""
    context, v = harness.open_page(browser, base_url + path, device=harness.PHONE)
    try:
        page = v.page
        groups = page.locator(".coop-cite-group")
        shown = [i for i in range(groups.count()) if groups.nth(i).locator("a").first.is_visible()]
        assert shown, f"{path}: no citation of several works in view (outside folded boxes)"
        group = groups.nth(shown[0])
        group.scroll_into_view_if_needed()
        links = group.locator("a")
        total = links.count()
        assert total >= 2 and [links.nth(i).is_visible() for i in range(total)] == \
            [True] + [False] * (total - 1)
        more = group.locator(".coop-cite-more")
        assert more.inner_text() == f"+{total - 1}" and more.get_attribute("aria-expanded") == "false"
        more.tap()
        assert all(links.nth(i).is_visible() for i in range(total))
        assert more.get_attribute("aria-expanded") == "true"
        more.tap()
        assert not links.nth(1).is_visible()
        page.emulate_media(media="print")
        assert all(links.nth(i).is_visible() for i in range(total)) and not more.is_visible()
        assert not v.console_errors and not v.page_errors
    finally:
        context.close()


def test_the_landing_page_shows_the_book_in_three_numbers_and_its_chapters_as_cards():
    landing = SITE / "intro.html"
    if not landing.is_file():
        pytest.skip("no landing page built")
    text = landing.read_text(encoding="utf-8")
    cards = re.findall(r'<div class="sd-card[^"]*coop-number-card.*?<strong>(.*?)</strong>', text,
                       re.DOTALL)
    numbers = [re.sub(r"<[^>]+>", "", c).strip() for c in cards]
    assert len(numbers) == 3 and all(re.fullmatch(r"\d{1,3}(,\d{3})*", n) for n in numbers), \
        numbers
    chapters = [p for p in ALL_PAGES if p.startswith("chapters/")]
    linked = set(re.findall(r'class="sd-stretched-link[^"]*" href="([^"#]+)', text))
    assert {p for p in chapters} <= linked, f"chapter cards link {sorted(linked)}"


@pytest.mark.parametrize("path", CHAPTERS)
def test_a_chapter_shows_its_key_number_on_the_first_screen_and_its_first_chart_soon_after(
        browser, base_url, path):
    """Desktop, 1366 x 768: the chapter's question and its key number (glued) are on the first
    screen, and the top of its first chart comes within the first 2.2 screens. (It was a
    screen and a half before each chapter opened with its "In brief", which the classroom
    kit asks for right under the key number: the box is about 400 px tall.)"""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    harness.block_off_host(page)
    try:
        page.goto(base_url + path, wait_until="load")
        hook = page.locator(".coop-hook").first
        assert hook.count() and re.match(r"\s*[\d,.]+%?\s", hook.inner_text()), \
            f"{path}: no key number at the top"
        top = page.evaluate("() => document.querySelector('.coop-chart').getBoundingClientRect()"
                            ".top + window.scrollY")
        assert top <= 2.2 * 768, f"{path}: the first chart starts {top / 768:.2f} screens down"
        hook_top = hook.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
        assert hook_top < 768, f"{path}: the key number is below the first screen"
    finally:
        context.close()


def test_every_bibliography_entry_and_every_work_cited_shows_its_kind(site):
    """The bibliography page: a key of the kinds, and each entry opens with its kind's
    word; each chapter's printed list of works gives every work's kind too."""
    words = {label for label, _ in protocol.SOURCE_KINDS.values()}
    badge = re.compile(rf'<span class="{protocol.SOURCE_KIND}">([^<]+)</span>')
    page = (site / "bibliography.html").read_text()
    entries = re.findall(r'role="doc-biblioentry">\s*<span class="label">.*?</span>\s*<p>(.{0,80})',
                         page, re.DOTALL)
    assert len(entries) > 100
    shown = [badge.match(e) for e in entries]
    assert all(shown), [e for e, m in zip(entries, shown) if not m][:3]
    assert {m.group(1) for m in shown} <= words
    assert f'class="{protocol.SOURCE_KIND}-key"' in page
    for path in _built(*CHAPTERS):
        refs = (site / path).read_text().split(f'class="{protocol.CHAPTER_REFS}"', 1)[1]
        items = re.findall(r"<li>(.*?)</li>", refs, re.DOTALL)
        assert items and all(badge.match(i) for i in items), path
