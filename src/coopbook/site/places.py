"""The "Find your place" pages, written from data/ when the book is built.

One template, one page per state, DC and territory that appears in any table
(coopbook.analysis.places.states), plus the finder page that searches all of them. The
pages are MyST Markdown in places/ (not committed: `make book` writes them). They are
rewritten only when data/ or the code that draws them changed, and a page is written
only when its text changed, so a rebuild with nothing new reads none of them again.

Run `python -m coopbook.site.places` to write them without building the book.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import sys
from pathlib import Path

import pandas as pd

from .. import geo, paths
from ..analysis import places
from ..analysis.law_directions import STATE_ONLY
from ..viz import charts, placecharts, render
from ..viz.tables import SearchableTable, StaticTable

OUT = "places"
STAMP = ".stamp"
# The code and data that decide what a place page says: a change to any rewrites them.
INPUTS = ("geo.py", "analysis/places.py", "viz/placecharts.py", "viz/charts.py", "viz/theme.py",
          "viz/render.py", "viz/tables.py", "site/places.py")
CHAPTER = {
    "history": "/chapters/01_history", "sanctuary": "/chapters/02_sanctuary",
    "legal": "/chapters/03_legal", "landscape": "/chapters/04_287g_landscape",
    "standoff": "/chapters/05_standoff", "changes": "/what_changed",
}
MODEL_NAMES = {"JEM": "Jail Enforcement Model", "WSO": "Warrant Service Officer",
               "TFM": "Task Force Model"}
DIRECTIONS = {"requires": "requires cooperation", "restricts": "restricts cooperation"}
STATUS = {"in_force": "in force", "partly_blocked": "partly blocked by a court",
          "blocked": "blocked by a court", "repealed": "repealed", "superseded": "superseded",
          "pending": "pending"}


def selected() -> list[str]:
    """The states whose pages are written: all of them, or the first N when the
    environment sets COOPBOOK_PLACES=N (the benchmark measures build time per page so)."""
    codes = places.states()
    limit = os.environ.get("COOPBOOK_PLACES", "").strip()
    if not limit:
        return codes
    if not limit.isdigit():
        raise ValueError(f"COOPBOOK_PLACES={limit!r}: give how many place pages to write "
                         "(a whole number), or leave it unset for all of them")
    return codes[: int(limit)]


def _stamp(root: Path, codes: list[str]) -> str:
    digest = hashlib.sha256(" ".join(codes).encode())
    pkg = root / "src" / "coopbook"
    for rel in INPUTS:
        digest.update((pkg / rel).read_bytes())
    for path in sorted((root / "data").rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _date(value) -> str:
    return "" if pd.isna(value) else f"{pd.Timestamp(value):%B %-d, %Y}"


def _cite(keys: str) -> str:
    keys = [k for k in str(keys).split(";") if k]
    return f" {{cite:p}}`{','.join(keys)}`" if keys else ""


def _raw(markup: str) -> str:
    return f"```{{raw}} html\n{markup}\n```\n"


def _esc(text) -> str:
    """Text for Markdown prose: no markup characters that MyST would read."""
    out = str(text)
    for ch in "\\`*_[]<>{}|#":
        out = out.replace(ch, "\\" + ch)
    return out


def figures(h: places.Headline) -> str:
    """The headline figures as cards: the number first, then what it counts."""
    def card(number: str, words: str) -> str:
        return (f'<div class="coop-figure"><span class="coop-figure-number">{number}</span>'
                f'<span class="coop-figure-words">{html.escape(words)}</span></div>')

    rate = ("" if h.per_100k is None else
            card(f"{h.per_100k:.2f}", f"agreements per 100,000 residents: rank {h.rank} "
                 f"of {h.ranked} states and territories"))
    models = "; ".join(f"{MODEL_NAMES[m]} {n:,}" for m, n in h.by_model.items())
    cards = [card(f"{h.agreements:,}", f"287(g) agreements ({models})"),
             card(f"{h.agencies:,}", "agencies holding them"), rate]
    when = f'<p class="coop-figures-when">On ICE\'s list of {_date(h.as_of)}:</p>'
    return _raw(when + '<div class="coop-figures">' + "".join(cards) + "</div>")


def state_page(code: str, topo: dict | None) -> str:
    h = places.headline(code)
    name, low = h.name, code.lower()
    as_of = _date(h.as_of)
    out = [f"({low}-place)=\n# {name}\n"]
    out.append(figures(h))
    if h.agreements:
        lead = ""
    else:
        lead = f"ICE's list of {as_of} shows no 287(g) agreement in {name}. "
    first = h.first_since_2021
    if first is not None:
        lead += (f"The first agreement signed in {name} since 2021 was "
                 f"{_esc(first['agency'])}'s ({MODEL_NAMES[first['model']]}), signed "
                 f"{_date(first['signed'])}. ")
    out.append(lead + "Every figure on this page is computed from the book's data, and each "
               "section links to the chapter that explains it.\n")

    hist = places.over_time(code)
    out.append(f"({low}-history)=\n## Agreements over time\n")
    if hist["agreements"].any():
        desc = (f"Line chart: 287(g) agreements in {name} on each of ICE's lists from "
                f"{hist['date'].iloc[0]:%B %Y} to {hist['date'].iloc[-1]:%B %Y}, by model; "
                f"{int(hist['agreements'].iloc[-1]):,} on the newest list.")
        out.append(_raw(render.book_html(charts.growth(hist, place=name, description=desc))))
    else:
        out.append(f"No 287(g) agreement in {name} appears on any list since January 2021.\n")

    out.append(f"({low}-counties)=\n## Counties with an agreement\n")
    out.append(placecharts.county_section(code, name, topo))

    table = places.agency_table(code)
    out.append(f"({low}-agencies)=\n## Agencies\n")
    if table.empty:
        out.append(f"No agency in {name} has appeared on ICE's 287(g) lists since 2021.\n")
    else:
        shown = table.assign(Model=table["Model"].map(MODEL_NAMES)).drop(columns="Id")
        out.append(f"Every agreement an agency in {name} has had on ICE's lists since "
                   f"January 2021: the model, when it was signed and first listed, and "
                   f"whether it is still on the newest list. How the history is built: "
                   f"{{doc}}`{CHAPTER['changes']}`.\n")
        out.append(_raw(SearchableTable(shown, f"287(g) agreements in {name}",
                                        "Search the agencies", "agreements")._repr_html_()))
        recent = places.recent_changes(code)
        if not recent.empty:
            counts = places.changes_count(code)
            out.append(f"In all, {counts['added']:,} additions and {counts['removed']:,} "
                       f"removals in {name} since January 2021. The newest:\n")
            recent = recent.assign(Model=recent["Model"].map(MODEL_NAMES))
            out.append(_raw(StaticTable(recent, f"Newest additions and removals in {name}")
                            ._repr_html_()))

    laws = places.laws(code)
    out.append(f"({low}-laws)=\n## State law\n")
    if laws.empty:
        out.append(f"The book's table of state laws has no law of {name} on cooperation with "
                   "immigration enforcement. The table is not a complete census: a law we "
                   f"could not check against a source is left out ({{doc}}`{CHAPTER['sanctuary']}`"
                   ").\n")
    else:
        out.append(f"Laws of {name} on cooperation with immigration enforcement in the book's "
                   f"table, in both directions ({{doc}}`{CHAPTER['sanctuary']}` explains them):\n")
        for r in laws.itertuples():
            scope = f" ({STATE_ONLY})" if r.state_agencies_only else ""
            flags = [w for w, on in ((f"requires 287(g) agreements{scope}", r.mandates_287g),
                                     (f"bans 287(g) agreements{scope}", r.bans_287g),
                                     ("limits detainers", r.limits_detainers)) if on]
            extra = f"; {', '.join(flags)}" if flags else ""
            out.append(f"* **{_esc(r.law)}** ({DIRECTIONS.get(r.direction, r.direction)}; "
                       f"{STATUS.get(r.status, r.status)}{extra}). {_esc(r.provisions)}"
                       f"{_cite(r.source)}\n")
        out.append("")

    dhs, doj = places.dhs_entries(code), places.doj_entries(code)
    out.append(f"({low}-federal-lists)=\n## On the federal lists\n")
    out.append("Two federal lists of 2025 name \"sanctuary jurisdictions\", each by its own "
               "definition, which neither list spells out ("
               f"{{doc}}`{CHAPTER['sanctuary']}` compares them). Entries are shown as each "
               "list labelled them.\n")
    if dhs.empty:
        out.append(f"* **DHS, May 2025:** no entry in {name}.")
    else:
        items = "; ".join(f"{_esc(r.jurisdiction)} ({str(r.listed_as).lower()})"
                          for r in dhs.itertuples())
        out.append(f"* **DHS, May 2025:** {len(dhs)} entr{'ies' if len(dhs) != 1 else 'y'}: "
                   f"{items}.")
    if doj.empty:
        out.append(f"* **DOJ, August 2025:** no entry in {name}.\n")
    else:
        items = "; ".join(f"{_esc(r.jurisdiction)} ({str(r.level).lower()})"
                          for r in doj.itertuples())
        out.append(f"* **DOJ, August 2025:** {len(doj)} entr{'ies' if len(doj) != 1 else 'y'}: "
                   f"{items}.\n")

    cases = places.cases(code)
    out.append(f"({low}-cases)=\n## In court\n")
    if cases.empty:
        out.append(f"No case in the book's table names {name}, or a city or county in it, "
                   f"as a party or as the court's place ({{doc}}`{CHAPTER['legal']}`).\n")
    else:
        out.append(f"Cases in the book's table that name {name}, or a city or county in it "
                   f"({{doc}}`{CHAPTER['legal']}` explains the questions):\n")
        for r in cases.itertuples():
            when = (f"decided {_date(r.decided)}" if pd.notna(r.decided)
                    else f"filed {_date(r.filed)}, pending")
            out.append(f"* **{_esc(r.case)}** ({_esc(r.court)}, {when}). {_esc(r.holding)}"
                       f"{_cite(r.source)}\n")
        out.append("")

    events = places.events(code)
    out.append(f"({low}-events)=\n## Dated events\n")
    if events.empty:
        out.append(f"The book's timeline has no event in {name} "
                   f"({{doc}}`{CHAPTER['history']}`).\n")
    else:
        for r in events.itertuples():
            out.append(f"* **{_date(r.date) if r.precision == 'day' else r.date.year}:** "
                       f"{_esc(r.event)}. {_esc(r.detail)}{_cite(r.source)}\n")
        out.append("")

    out.append(f"({low}-limits)=\n## What this page cannot tell you\n")
    out.append(
        "* **Local rules on neither federal list.** A city or county can limit or require "
        "cooperation by ordinance or jail policy without appearing on the DHS or DOJ list; "
        "the book has no census of local ordinances.\n"
        "* **What jails do day to day.** ICE's list says an agreement exists, not how often "
        "a jail honours detainers or how many people are transferred; those records are "
        f"ICE's and the jails' ({{doc}}`{CHAPTER['standoff']}`).\n"
        "* **Whose definition of \"sanctuary\".** DHS (May 2025) and DOJ (August 2025) each "
        "used their own, unpublished test; advocacy and restrictionist trackers use others. "
        "This page shows each list as it was published and calls no place a sanctuary in "
        "its own voice.\n")
    return "\n".join(out)


def finder_index() -> dict:
    """The finder's data: entries as [name, postal code, layer, info] and each state's name
    and page (finder.js builds the links and the words, as places.describe does)."""
    return {"rows": [[e.name, e.state, e.layer, e.info] for e in places.finder_entries()],
            "states": {c: [geo.NAME_BY_POSTAL[c], places.slug(c)] for c in places.states()},
            "anchors": places.ANCHORS}


def finder_page(codes: list[str] | None = None) -> str:
    """The "Find your place" page: a search box over every entry, and every state's page."""
    names = {c: geo.NAME_BY_POSTAL[c] for c in (places.states() if codes is None else codes)}
    payload = json.dumps(finder_index(), separators=(",", ":"),
                         ensure_ascii=False).replace("</", "<\\/")
    links = " · ".join(f"[{n}]({places.slug(c)}.md)" for c, n in
                       sorted(names.items(), key=lambda kv: kv[1]))
    return f"""(find-your-place)=
# Find your place

Type a state, county, city or agency. The finder searches everything the book holds about
places: 287(g) agreements on ICE's lists since 2021, the DHS (May 2025) and DOJ (August 2025)
lists of "sanctuary jurisdictions", and, through each state's page, its laws, court cases and
dated events. Small typos are forgiven ("Hennepen" finds Hennepin County).

{_raw(f'''<div class="coop-finder" id="coop-finder">
<form role="search" class="coop-finder-form" onsubmit="return false">
<label for="coop-finder-q">Place or agency</label>
<input type="search" id="coop-finder-q" autocomplete="off" spellcheck="false" aria-describedby="coop-finder-hint" aria-controls="coop-finder-results">
<p id="coop-finder-hint" class="coop-finder-hint">For example: Texas, Hennepin County, Lubbock, Chicago.</p>
</form>
<p class="coop-finder-status" id="coop-finder-status" role="status" aria-live="polite"></p>
<ul class="coop-finder-results" id="coop-finder-results"></ul>
<noscript><p>The finder needs JavaScript; every state's page is listed below.</p></noscript>
<script type="application/json" id="coop-finder-data">{payload}</script>
</div>''')}
## Every state's page

Places with no agreement and no federal listing still have a page: it shows the state's
laws, cases and events, and what the page cannot tell you.

{links}
"""


def write(root: Path | None = None, force: bool = False) -> list[Path]:
    """Write places/ if data/ or the page code changed; return the files written."""
    root = root or paths.ROOT
    out = root / OUT
    codes = selected()
    stamp = _stamp(root, codes)
    if not force and (out / STAMP).is_file() and (out / STAMP).read_text() == stamp:
        return []
    out.mkdir(exist_ok=True)
    from .. import load

    topo = load.counties_topojson()
    pages = {"index.md": finder_page(codes)}
    for code in codes:
        pages[places.slug(code) + ".md"] = state_page(code, topo)
    written = []
    for name, text in pages.items():
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    for path in out.glob("*.md"):
        if path.name not in pages:
            path.unlink()
            written.append(path)
    (out / STAMP).write_text(stamp)
    return written


def _on_config(app, config) -> None:
    os.environ.setdefault("COOPBOOK_RENDER", "book")
    written = write(Path(app.srcdir))
    if written:
        print(f"coopbook: wrote {len(written)} place pages in {OUT}/")


def setup(app) -> None:
    app.connect("config-inited", _on_config, priority=100)


if __name__ == "__main__":
    files = write(force="--force" in sys.argv)
    print(f"wrote {len(files)} files in {OUT}/")
