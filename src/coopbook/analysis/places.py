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
    """The state's agreements on every in-series list: date, list_id, agreements (all
    models), jem, wso, tfm (the shape of load.series(), for the same chart)."""
    lists = load.series()[["list_id", "date"]]
    counts = load.list_state_model()
    counts = counts[counts["state"] == code]
    wide = counts.pivot_table(index="list_id", columns="model", values="agreements",
                              aggfunc="sum").reindex(columns=list(MODELS))
    wide = wide.reindex(lists["list_id"]).fillna(0).astype(int)
    out = lists.set_index("list_id").join(wide).reset_index()
    out = out.rename(columns={m: m.lower() for m in MODELS})
    out["agreements"] = out[["jem", "wso", "tfm"]].sum(axis=1)
    return out[["date", "list_id", "agreements", "jem", "wso", "tfm"]]


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


def _by_county(agreements: pd.DataFrame) -> pd.DataFrame:
    """County-level agreements (agency type County, placed in a county) grouped by
    county: fips, state, county (as ICE gives it), kind (the model, or "Two or more
    models"), models, agreements, agencies."""
    mine = agreements[(agreements["agency_type"] == "County")
                      & agreements["county_fips"].notna()]
    rows = []
    for fips, group in mine.groupby("county_fips", sort=True):
        models = sorted(set(group["model"]), key=MODELS.index)
        rows.append({"fips": fips, "state": group["state"].iloc[0],
                     "county": group["county"].iloc[0],
                     "kind": models[0] if len(models) == 1 else "Two or more models",
                     "models": ", ".join(models), "agreements": len(group),
                     "agencies": "; ".join(f"{a} ({m})" for a, m in
                                           zip(group["agency"], group["model"]))})
    return pd.DataFrame(rows, columns=["fips", "state", "county", "kind", "models",
                                       "agreements", "agencies"])


def county_agreements(code: str) -> pd.DataFrame:
    """Counties of the state with a county-level agreement (agency type County) on the
    newest list: fips, county, kind (the model, or "Two or more models"), agencies."""
    return _by_county(active(code))[["fips", "county", "kind", "agencies"]]


def national_counties() -> pd.DataFrame:
    """Every county with a county-level agreement on the newest list: fips, state,
    county, kind, models (e.g. "JEM, WSO"), agreements, agencies."""
    frame = load.agreements()
    return _by_county(frame[frame["status"] == "active"])


def unplaced_county_agencies(code: str) -> pd.DataFrame:
    """County-level agencies on the newest list that the county map cannot place: a
    regional jail with no county given, or a COUNTY cell that names no one county of the
    state (inputs/corrections/county_names.csv says why): agency, county (as ICE gives it),
    models."""
    mine = active(code)
    mine = mine[(mine["agency_type"] == "County") & mine["county_fips"].isna()]
    rows = [{"agency": a, "county": g["county"].fillna("").iloc[0],
             "models": ", ".join(sorted(set(g["model"]), key=MODELS.index))}
            for a, g in mine.groupby("agency", sort=True)]
    return pd.DataFrame(rows, columns=["agency", "county", "models"])


def non_county_agencies(code: str) -> pd.DataFrame:
    """Agencies on the newest list that are not county-level (state agencies, city police,
    others): agency, type, models."""
    mine = active(code)
    mine = mine[mine["agency_type"] != "County"]
    rows = [{"agency": a, "type": g["agency_type"].fillna("Not given").iloc[0],
             "models": ", ".join(sorted(set(g["model"]), key=MODELS.index))}
            for a, g in mine.groupby("agency", sort=True)]
    return pd.DataFrame(rows, columns=["agency", "type", "models"])


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


def word_rank(typed: str, words: list[str], prefix: bool = True) -> int | None:
    """How a typed word matches a name's words: 1 a whole word, 2 the start of one (3
    letters or more), 3 a word with small typos; None when it does not."""
    if typed in words:
        return 1
    if prefix and len(typed) >= 3 and any(w.startswith(typed) for w in words):
        return 2
    limit = allowed_edits(typed)
    if limit and any(edits(typed, w, limit) <= limit for w in words):
        return 3
    return None


def distinctive(text: str) -> list[str]:
    """The words that tell names apart: generic ones ("county", "sheriff's") left out,
    unless nothing else is left."""
    words = fold(text).split()
    return [w for w in words if w not in GENERIC] or words


def rank(query: str, name: str, state: str = "") -> int | None:
    """How well a name (with its state's name) matches what the reader typed.

    0 the same distinctive words; 1 every typed word is a word of the name; 2 some only
    begin one; 3 some needed a typo forgiven; 4 a word matched only the state's name
    (two or more words typed). None: no match. finder.js ranks by the same rules; a
    browser test checks that both agree."""
    key = distinctive(query)
    if not key:
        return None
    words = fold(name).split()
    if key == distinctive(name):
        return 0
    ranks = [word_rank(w, words) for w in key]
    if all(r is not None for r in ranks):
        return max(ranks)
    if len(key) >= 2 and state:
        state_words = fold(state).split()
        both = [r if r is not None else (4 if word_rank(w, state_words, prefix=False)
                                         else None) for w, r in zip(key, ranks)]
        if all(r is not None for r in both) and any(r != 4 for r in both):
            return 4
    return None


def matches(query: str, name: str) -> bool:
    """True when every distinctive word the reader typed is in the name, allowing typos."""
    return rank(query, name) is not None


@dataclass(frozen=True)
class Entry:
    """One thing the finder can find: a name, its state, its layer and a short fact.

    layer and info: "state" (info empty); "agency" (its models, e.g. "TFM WSO", then
    "removed YYYY-MM-DD" when none is on the newest list); "county" (the number of
    agreements of agencies in that county); "dhs" (how DHS listed it); "doj" (its level).
    """

    name: str
    state: str
    layer: str
    info: str


ANCHORS = {"state": "", "agency": "agencies", "county": "counties", "dhs": "federal-lists",
           "doj": "federal-lists"}


def describe(e: Entry) -> str:
    """The finder's line for an entry (finder.js writes the same words)."""
    if e.layer == "state":
        return "state page: agreements, laws, cases and events"
    if e.layer == "agency":
        models, _, removed = e.info.partition(" removed ")
        names = ", ".join(MODEL_WORDS[m] for m in models.split())
        return (f"287(g): {names}; " + (f"removed from ICE's list {removed}" if removed
                                         else "on ICE's newest list"))
    if e.layer == "county":
        n = int(e.info)
        return f"{n} 287(g) agreement{'s' if n != 1 else ''} of agencies in the county"
    if e.layer == "dhs":
        return f"on the DHS list (May 2025) as a {e.info.lower()}"
    return f"on the DOJ list (August 2025) at {e.info.lower()} level"


MODEL_WORDS = {"JEM": "Jail Enforcement Model", "WSO": "Warrant Service Officer",
               "TFM": "Task Force Model"}


def finder_entries() -> list[Entry]:
    """Every place and agency the book has data on, across all layers, in a stable order."""
    out = [Entry(geo.NAME_BY_POSTAL[c], c, "state", "") for c in states()]
    ag = load.agreements()
    for (state, agency), g in ag.groupby(["state", "agency"], sort=True):
        models = " ".join(sorted(set(g["model"]), key=MODELS.index))
        removed = "" if (g["status"] == "active").any() else f" removed {g['removed_on'].max()}"
        out.append(Entry(agency, state, "agency", models + removed))
    counties = ag[ag["county"].notna()]
    for (state, county), g in counties.groupby(["state", "county"], sort=True):
        out.append(Entry(county, state, "county", str(len(g))))
    for r in load.dhs_list().itertuples():
        out.append(Entry(r.jurisdiction, r.state, "dhs", str(r.listed_as)))
    for r in load.doj_list().itertuples():
        out.append(Entry(r.jurisdiction, r.state, "doj", str(r.level)))
    return out


LAYER_ORDER = ("state", "county", "agency", "dhs", "doj")


def find(query: str, entries: list[Entry] | None = None) -> list[Entry]:
    """Every entry whose name matches what the reader typed, best first (see rank).

    An empty or unknown query returns no entries: the finder then says what was searched."""
    entries = finder_entries() if entries is None else entries
    scored = []
    for i, e in enumerate(entries):
        r = rank(query, e.name, geo.NAME_BY_POSTAL[e.state])
        if r is not None:
            scored.append((r, LAYER_ORDER.index(e.layer), i, e))
    return [e for *_, e in sorted(scored, key=lambda s: s[:3])]
