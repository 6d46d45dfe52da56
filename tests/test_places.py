"""The "Find your place" pages: one per state, DC and territory, figures that match data/,
and a finder that forgives typos and says so when it finds nothing.

The headline figures are recomputed here straight from the CSV files in data/ with plain
pandas, not through coopbook.analysis.places, and compared with what each built page
shows. The browser half (the finder operated by a reader, JS and Python agreeing) is in
tests/test_site.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from coopbook import geo, paths
from coopbook.analysis import places
from coopbook.site import places as pages

SITE = paths.ROOT / "_build" / "html" / "places"


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(paths.DATA / name, dtype=str, keep_default_na=False)


def _expected() -> dict[str, dict]:
    """Per state: agreements by model, agreements, agencies, rate and rank on the newest list."""
    ag = _csv("ice287g_agreements.csv")
    live = ag[ag["status"] == "active"]
    pop = _csv("state_population.csv").set_index("state")["population"].astype(int)
    counts = live.groupby("state").size().reindex(pop.index, fill_value=0)
    rate = counts / pop * 100_000
    order = sorted(rate.values, reverse=True)
    out = {}
    for code in set(pop.index) | set(ag["state"]):
        mine = live[live["state"] == code]
        out[code] = {
            "agreements": len(mine), "agencies": mine["agency"].nunique(),
            "by_model": {m: int((mine["model"] == m).sum()) for m in ("JEM", "WSO", "TFM")},
            "rate": None if code not in pop.index else f"{rate[code]:.2f}",
            "rank": None if code not in pop.index else order.index(rate[code]) + 1,
            "of": len(pop),
        }
    return out


class _Figures(HTMLParser):
    """The numbers and words of a page's figure cards, and its h1."""

    def __init__(self):
        super().__init__()
        self.cards, self.h1, self._in, self._h1s = [], "", None, 0

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if "coop-figure-number" in cls:
            self.cards.append(["", ""])
            self._in = 0
        elif "coop-figure-words" in cls:
            self._in = 1
        elif tag == "h1":
            self._h1s += 1
            self._in = "h1" if self._h1s == 1 else None

    def handle_endtag(self, tag):
        if tag in ("span", "h1"):
            self._in = None

    def handle_data(self, data):
        if self._in == "h1":
            self.h1 += data
        elif self._in is not None:
            self.cards[-1][self._in] += data


def _built_pages() -> list[Path]:
    return sorted(p for p in SITE.glob("*.html") if p.name != "index.html")


@pytest.fixture(scope="module")
def built():
    if not (SITE / "index.html").is_file():
        pytest.fail("build the book first: make book", pytrace=False)
    return {p.stem: p for p in _built_pages()}


def test_every_state_dc_and_listed_territory_has_exactly_one_page(built):
    codes = set(_csv("ice287g_agreements.csv")["state"]) | set(_csv("state_population.csv")["state"])
    states = {c for c in geo.NAME_BY_POSTAL if c not in geo.TERRITORIES}
    wanted = states | (codes & geo.TERRITORIES)
    assert len(states) == 51  # the 50 states and DC
    assert set(places.states()) == wanted
    assert set(built) == {places.slug(c) for c in wanted}


@pytest.mark.parametrize("code", places.states())
def test_each_page_shows_the_figures_recomputed_from_data(built, code):
    want = _expected()[code]
    page = _Figures()
    page.feed(built[places.slug(code)].read_text(encoding="utf-8"))
    assert page.h1.strip().rstrip("#").strip() == geo.NAME_BY_POSTAL[code]
    numbers = {words.split(" (")[0].split(":")[0]: number for number, words in page.cards}
    assert numbers["287(g) agreements"] == f"{want['agreements']:,}"
    assert numbers["agencies holding them"] == f"{want['agencies']:,}"
    words = page.cards[0][1]
    for model, name in (("JEM", "Jail Enforcement Model"), ("WSO", "Warrant Service Officer"),
                        ("TFM", "Task Force Model")):
        assert f"{name} {want['by_model'][model]:,}" in words
    if want["rate"] is not None:
        rate_card = [c for c in page.cards if "per 100,000" in c[1]]
        assert rate_card and rate_card[0][0] == want["rate"]
        assert f"rank {want['rank']} of {want['of']}" in rate_card[0][1]


def test_a_state_page_links_every_layer_to_its_chapter(built):
    text = built["minnesota"].read_text(encoding="utf-8")
    for chapter in ("02_sanctuary", "03_legal", "04_287g_landscape", "what_changed"):
        assert f"{chapter}.html" in text, chapter
    for anchor in ("mn-agencies", "mn-laws", "mn-federal-lists", "mn-cases", "mn-events",
                   "mn-limits"):
        assert f'id="{anchor}"' in text, anchor
    assert "What this page cannot tell you" in text


def test_state_pages_list_the_federal_lists_entries_as_each_list_labelled_them(built):
    dhs = _csv("dhs_sanctuary_list.csv")
    mn = dhs[dhs["state"] == "MN"]
    text = built["minnesota"].read_text(encoding="utf-8")
    assert f"{len(mn)} entr" in text
    for r in mn.itertuples():
        assert f"{r.jurisdiction} ({r.listed_as.lower()})" in text


def test_state_pages_cite_each_law_and_case_they_show(built):
    text = built["california"].read_text(encoding="utf-8")
    laws = _csv("state_laws.csv")
    ca = laws[laws["state"] == "CA"]
    assert len(ca) and all(re.escape(r.law[:20]) and r.law[:20] in text for r in ca.itertuples())
    # every citation is a link into the bibliography, never a raw key
    assert text.count("bibliography.html#") >= len(ca)
    assert "{cite" not in text


# ------------------------------------------------------------------ the Python finder

@pytest.fixture(scope="module")
def entries():
    return places.finder_entries()


def test_the_finder_forgives_a_typo_and_case(entries):
    for query in ("Hennepen", "hennepin county", "HENNEPIN"):
        found = places.find(query, entries)
        assert found and found[0].name == "Hennepin County" and found[0].state == "MN", query


def test_the_finder_puts_an_exact_name_first(entries):
    found = places.find("Texas", entries)
    assert found[0] == places.Entry("Texas", "TX", "state", "")
    assert places.find("lubbock", entries)[0].name.startswith("Lubbock County")


def test_the_finder_returns_nothing_for_an_unknown_or_empty_name(entries):
    assert places.find("Zzyzx Springs", entries) == []
    assert places.find("  ", entries) == []


def test_a_state_name_alone_does_not_match_every_agency_in_it(entries):
    found = places.find("Minnesota", entries)
    assert [e.layer for e in found].count("state") == 1
    assert all("minnesota" in places.fold(e.name) for e in found)


def test_two_words_may_match_a_name_and_its_state(entries):
    found = places.find("Lake County Florida", entries)
    assert found and found[0].state == "FL" and found[0].layer == "county"


def test_fold_reads_saint_accents_and_apostrophes_alike():
    assert places.fold("St. Mary's Parish") == places.fold("saint marys parish")
    assert places.fold("Doña Ana") == "dona ana"


def test_every_entry_has_words_a_reader_can_read(entries):
    layers = {e.layer for e in entries}
    assert layers == {"state", "agency", "county", "dhs", "doj"}
    for e in entries:
        assert places.describe(e) and "nan" not in places.describe(e).lower()


# ------------------------------------------------------------------ the writer

def test_pages_are_rewritten_only_when_data_or_their_code_changed(tmp_path):
    root = tmp_path / "book"
    root.mkdir()
    (root / "src").symlink_to(paths.ROOT / "src")
    (root / "data").mkdir()
    (root / "data" / "a.csv").write_text("x\n1\n")
    codes = ["AL", "AK"]
    stamp = pages._stamp(root, codes)
    assert pages._stamp(root, codes) == stamp
    assert pages._stamp(root, ["AL"]) != stamp  # fewer pages (COOPBOOK_PLACES) rewrite too
    (root / "data" / "a.csv").write_text("x\n2\n")
    assert pages._stamp(root, codes) != stamp


def test_the_number_of_place_pages_can_be_limited_and_a_bad_limit_is_named(monkeypatch):
    monkeypatch.setenv("COOPBOOK_PLACES", "3")
    assert pages.selected() == places.states()[:3]
    monkeypatch.setenv("COOPBOOK_PLACES", "all of them")
    with pytest.raises(ValueError, match="COOPBOOK_PLACES='all of them'"):
        pages.selected()
    monkeypatch.delenv("COOPBOOK_PLACES")
    assert pages.selected() == places.states()


def test_the_finder_links_only_the_state_pages_that_are_written():
    """With COOPBOOK_PLACES=N (the benchmark builds with one state page) the finder page
    must not link a page that is not there: the build is warning-free."""
    assert ".md)" not in pages.finder_page([])
    one = pages.finder_page(["TX"])
    assert "(texas.md)" in one and "(ohio.md)" not in one
    assert all(f"({places.slug(c)}.md)" in pages.finder_page() for c in places.states())


def test_a_second_write_with_nothing_changed_writes_nothing():
    pages.write()
    assert pages.write() == []


def test_a_state_page_qualifies_a_law_that_reaches_state_agencies_only():
    """Virginia's orders bind state agencies only; its page must not read as a full ban."""
    virginia = pages.state_page("VA", None)
    assert "bans 287(g) agreements (state agencies only)" in virginia
    assert "requires 287(g) agreements (state agencies only)" in virginia
    maryland = pages.state_page("MD", None)
    assert "bans 287(g) agreements" in maryland and "(state agencies only)" not in maryland
