"""Everything the book knows about one place: what a state page shows and the finder searches.

Pure pandas over coopbook.load. A state page (built by coopbook.site.places) and its tests
call the same functions, so a figure on a page and the figure a test recomputes from
data/ can only differ if the page is stale.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from .. import geo, load

MODELS = ("JEM", "WSO", "TFM")
SINCE = pd.Timestamp("2021-01-01")


def states() -> list[str]:
    """Postal codes with a page: the 50 states, DC and each territory found in any table."""
    found: set[str] = set()
    for frame in (load.agreements(), load.dhs_list(), load.doj_list(), load.state_laws(),
                  load.state_population()):
        found |= set(frame["state"].dropna())
    for column in (load.timeline()["states"], load.cases()["states"]):
        found |= {s for cell in column.dropna() for s in str(cell).split(";") if s}
    pages = {c for c in geo.NAME_BY_POSTAL if c not in geo.TERRITORIES} | (found & geo.TERRITORIES)
    return sorted(pages, key=lambda c: geo.NAME_BY_POSTAL[c])


def slug(code: str) -> str:
    """The page name of a state: its name in lower case with hyphens ('new-mexico')."""
    return re.sub(r"[^a-z0-9]+", "-", geo.NAME_BY_POSTAL[code].lower()).strip("-")


def newest_list() -> pd.Series:
    """The newest in-series ICE list (the one every headline figure is 'as of')."""
    return load.series().iloc[-1]


def active(code: str) -> pd.DataFrame:
    """The state's agreements on the newest list."""
    frame = load.agreements()
    return frame[(frame["state"] == code) & (frame["status"] == "active")]


def rates() -> pd.DataFrame:
    """Agreements on the newest list per 100,000 residents, by state, with the rank
    (1 = most agreements per resident; ties share the better rank) among every state and
    territory that has a population figure."""
    pop = load.state_population().set_index("state")["population"]
    frame = load.agreements()
    counts = frame[frame["status"] == "active"].groupby("state").size()
    out = pd.DataFrame({"population": pop})
    out["agreements"] = counts.reindex(out.index).fillna(0).astype(int)
    out["per_100k"] = out["agreements"] / out["population"] * 100_000
    out["rank"] = out["per_100k"].rank(ascending=False, method="min").astype(int)
    out["of"] = len(out)
    return out


@dataclass(frozen=True)
class Headline:
    code: str
    name: str
    as_of: pd.Timestamp
    by_model: dict[str, int]
    agreements: int
    agencies: int
    per_100k: float | None
    rank: int | None
    ranked: int
    first_since_2021: dict | None  # agency, model, signed: the earliest signed since 2021


def headline(code: str) -> Headline:
    """The figures at the top of a state's page, as of the newest list."""
    mine = active(code)
    table = rates()
    row = table.loc[code] if code in table.index else None
    every = load.agreements()
    since = every[(every["state"] == code) & (every["signed"] >= SINCE)].sort_values(
        ["signed", "agency"])
    first = None
    if not since.empty:
        r = since.iloc[0]
        first = {"agency": r["agency"], "model": r["model"], "signed": r["signed"]}
    return Headline(
        code=code, name=geo.NAME_BY_POSTAL[code], as_of=newest_list()["date"],
        by_model={m: int((mine["model"] == m).sum()) for m in MODELS},
        agreements=len(mine), agencies=mine["agency"].nunique(),
        per_100k=None if row is None else float(row["per_100k"]),
        rank=None if row is None else int(row["rank"]), ranked=len(table),
        first_since_2021=first,
    )


def over_time(code: str) -> pd.DataFrame:
    """Agreements in the state on every in-series list, by model: date, model, agreements."""
    lists = load.series()[["list_id", "date"]]
    counts = load.list_state_model()
    counts = counts[counts["state"] == code]
    grid = pd.MultiIndex.from_product([lists["list_id"], MODELS], names=["list_id", "model"])
    wide = counts.set_index(["list_id", "model"])["agreements"].reindex(grid, fill_value=0)
    out = wide.reset_index().merge(lists, on="list_id")
    return out[["date", "model", "agreements"]].sort_values(["date", "model"], kind="stable")


def agency_table(code: str) -> pd.DataFrame:
    """Every agreement the state has had: model, dates and status from the history."""
    frame = load.agreements()
    mine = frame[frame["state"] == code].sort_values(["agency", "model"])
    status = mine["status"].where(mine["status"] != "removed",
                                  "removed " + mine["removed_on"].fillna(""))
    return pd.DataFrame({
        "Agency": mine["agency"], "Type": mine["agency_type"].fillna("Not given"),
        "County": mine["county"].fillna(""), "Model": mine["model"],
        "Signed": mine["signed"].dt.strftime("%Y-%m-%d").fillna(""),
        "First listed": mine["first_date"].dt.strftime("%Y-%m-%d"),
        "Status": status.str.strip(), "Id": mine["agreement_id"],
    }).reset_index(drop=True)


def recent_changes(code: str, n: int = 10) -> pd.DataFrame:
    """The state's newest additions and removals on ICE's lists (n at most)."""
    ch = load.changes()
    mine = ch[ch["state"] == code].sort_values(["date", "agency"], ascending=[False, True])
    return pd.DataFrame({
        "Date": mine["date"].dt.strftime("%Y-%m-%d"), "Change": mine["change"],
        "Agency": mine["agency"], "Model": mine["model"],
    }).head(n).reset_index(drop=True)


def changes_count(code: str) -> dict[str, int]:
    ch = load.changes()
    mine = ch[ch["state"] == code]
    return {k: int((mine["change"] == k).sum()) for k in ("added", "removed")}


def laws(code: str) -> pd.DataFrame:
    """The state's laws on cooperation in the book's table, both directions."""
    frame = load.state_laws()
    return frame[frame["state"] == code].sort_values(["year", "law"]).reset_index(drop=True)


def dhs_entries(code: str) -> pd.DataFrame:
    """The state's entries on DHS's list (May 2025), as DHS labelled them."""
    frame = load.dhs_list()
    return frame[frame["state"] == code].reset_index(drop=True)


def doj_entries(code: str) -> pd.DataFrame:
    """The state's entries on DOJ's list (August 2025), as DOJ labelled them."""
    frame = load.doj_list()
    return frame[frame["state"] == code].reset_index(drop=True)


def _involving(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame["states"].fillna("").map(lambda cell: code in str(cell).split(";"))


def cases(code: str) -> pd.DataFrame:
    """Court cases in the book's table to which the state, or a city or county in it, was
    a party."""
    frame = load.cases()
    return frame[_involving(frame, code)].sort_values("date").reset_index(drop=True)


def events(code: str) -> pd.DataFrame:
    """Dated events of the book's timeline that took place in the state."""
    frame = load.timeline()
    return frame[_involving(frame, code)].sort_values("date").reset_index(drop=True)


# ---------------------------------------------------------------------------- the finder

# Words a reader may or may not type: "Hennepin" finds "Hennepin County Sheriff's Office".
GENERIC = {"county", "city", "of", "the", "sheriff", "sheriffs", "office", "department",
           "police", "and", "parish", "borough", "town", "township", "village", "s"}


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, 'saint' for 'st.': the finder's form."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower().replace("'", ""))
    words = ["saint" if w == "st" else w for w in text.split()]
    return " ".join(words)


def edits(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of a and b, or limit + 1 once it must exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def allowed_edits(word: str) -> int:
    """Typos tolerated in a word: none up to 3 letters, one up to 7, two beyond."""
    return 0 if len(word) <= 3 else 1 if len(word) <= 7 else 2


def word_matches(typed: str, words: list[str]) -> bool:
    limit = allowed_edits(typed)
    return any(w.startswith(typed) if len(typed) >= 3 else w == typed for w in words) or (
        limit > 0 and any(edits(typed, w, limit) <= limit for w in words))


def matches(query: str, name: str) -> bool:
    """True when every distinctive word the reader typed is in the name, allowing typos.

    The JavaScript finder on the "Find your place" page applies the same rule
    (static/coopbook/finder.js); a browser test checks that both agree.
    """
    typed = fold(query).split()
    words = fold(name).split()
    key = [w for w in typed if w not in GENERIC] or typed
    return bool(key) and all(word_matches(w, words) for w in key)


@dataclass(frozen=True)
class Entry:
    """One thing the finder can find: a name, where it is, what it is, and its page anchor."""

    name: str
    state: str
    layer: str       # state | agreement | dhs | doj | law | case | event
    detail: str
    anchor: str      # the section of the state page


def finder_entries() -> list[Entry]:
    """Every place and agency the book has data on, across all layers."""
    out: list[Entry] = []
    for code in states():
        out.append(Entry(geo.NAME_BY_POSTAL[code], code, "state", "state page", ""))
    ag = load.agreements()
    for r in ag.sort_values(["state", "agency", "model"]).itertuples():
        where = f", {r.county}" if isinstance(r.county, str) and r.county else ""
        status = "on the newest list" if r.status == "active" else f"removed {r.removed_on}"
        out.append(Entry(r.agency, r.state, "agreement",
                         f"287(g) {r.model} agreement{where}; {status}", "agencies"))
        if isinstance(r.county, str) and r.county and r.county not in r.agency:
            out.append(Entry(r.county, r.state, "agreement",
                             f"county of {r.agency} (287(g) {r.model})", "agencies"))
    for r in load.dhs_list().itertuples():
        out.append(Entry(r.jurisdiction, r.state, "dhs",
                         f"on the DHS list (May 2025) as a {str(r.listed_as).lower()}",
                         "federal-lists"))
    for r in load.doj_list().itertuples():
        out.append(Entry(r.jurisdiction, r.state, "doj",
                         f"on the DOJ list (August 2025) at {str(r.level).lower()} level",
                         "federal-lists"))
    return _dedupe(out)


def _dedupe(entries: list[Entry]) -> list[Entry]:
    seen, out = set(), []
    for e in entries:
        key = (e.name, e.state, e.layer, e.detail)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def find(query: str, entries: list[Entry] | None = None) -> list[Entry]:
    """Every entry whose name (or state name) matches what the reader typed.

    A state's name alone finds the state; "Hennepen" finds Hennepin County. An empty or
    unknown query returns no entries (the page then says what was searched)."""
    entries = finder_entries() if entries is None else entries
    if not fold(query):
        return []
    return [e for e in entries if matches(query, e.name)
            or matches(query, f"{e.name} {geo.NAME_BY_POSTAL[e.state]}")]
