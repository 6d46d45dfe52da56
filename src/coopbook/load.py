"""Load the processed tables, validated against data/schema.json."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd

from . import paths, schema


def table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """A processed table by its schema name, typed and validated."""
    spec = schema.table_spec(name)
    path = (folder or paths.DATA) / spec["file"]
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make data` to rebuild data/ from raw")
    return schema.parse(name, schema.read_csv_text(path), file=path.name)


@cache
def _cached(name: str) -> pd.DataFrame:
    return table(name)


def lists() -> pd.DataFrame:
    """ICE's 287(g) lists, one row per distinct list."""
    return _cached("ice287g_lists").copy()


def series() -> pd.DataFrame:
    """The lists used in time series (status ok), in time order."""
    out = lists()
    return out[out["in_series"]].sort_values("stamp").reset_index(drop=True)


def agreements_latest() -> pd.DataFrame:
    """Agreements on the newest list, one row per agreement."""
    return _cached("ice287g_agreements_latest").copy()


def list_state_model() -> pd.DataFrame:
    """Agreements by list, state and model (every in-series list)."""
    return _cached("ice287g_list_state_model").copy()


def month_state_model() -> pd.DataFrame:
    return _cached("ice287g_month_state_model").copy()


def manifest() -> pd.DataFrame:
    return _cached("manifest").copy()


def states_topojson() -> dict:
    return json.loads((paths.DATA / "geo" / "us_states.topo.json").read_text())


def counties_topojson() -> dict:
    """us-atlas county shapes (ids are five-digit FIPS codes, as in county_fips)."""
    return json.loads((paths.DATA / "geo" / "us_counties.topo.json").read_text())


def national_counties_topojson() -> dict:
    """The national county map's shapes: counties with a county-level agreement on the
    newest list, each with its models and count (made by the pipeline)."""
    return json.loads((paths.DATA / "geo" / "us_counties_287g.topo.json").read_text())


def list_on(date: str, edition: str | None = None) -> pd.Series:
    """The in-series list published or captured on a date (YYYY-MM-DD), optionally by edition.

    Raises KeyError naming the date when there is none, and listing the nearest ones.
    """
    s = series()
    day = pd.Timestamp(date)
    hits = s[s["date"].eq(day)]
    if edition is not None:
        hits = hits[hits["edition"].eq(edition)]
    if hits.empty:
        near = s.iloc[(s["date"] - day).abs().argsort()[:3]]
        raise KeyError(
            f"no in-series list on {date}{' (' + edition + ')' if edition else ''}; "
            f"nearest: {', '.join(near['list_id'])}"
        )
    return hits.iloc[0]


def list_before(date: str) -> pd.Series:
    """The in-series list current on a date: the last one published or first captured
    before it. For a run of identical captures, `date` and `last_seen` give its span."""
    s = series()
    hits = s[s["stamp"] < pd.Timestamp(date)]
    if hits.empty:
        raise KeyError(f"no list on or before {date}; the first is {s['list_id'].iloc[0]}")
    return hits.iloc[-1]


def timeline() -> pd.DataFrame:
    """Dated events 1987-2026 (compiled with a citation per row)."""
    return _cached("timeline").copy()


def state_laws() -> pd.DataFrame:
    """State laws and binding statewide policies on cooperation, both directions."""
    return _cached("state_laws").copy()


def cases() -> pd.DataFrame:
    """Court decisions on local cooperation with immigration enforcement."""
    return _cached("cases").copy()


def leverage_inputs() -> pd.DataFrame:
    """Published figures behind the leverage arithmetic, indexed by parameter."""
    return _cached("leverage_inputs").set_index("parameter")


def polls() -> pd.DataFrame:
    return _cached("polls").copy()


def state_population() -> pd.DataFrame:
    """2020 Census resident population by state."""
    return _cached("state_population").copy()


def dhs_list() -> pd.DataFrame:
    """DHS's May 2025 list of 'sanctuary jurisdictions', one row per entry as printed."""
    return _cached("dhs_sanctuary_list").copy()


def doj_list() -> pd.DataFrame:
    """DOJ's list of sanctuary jurisdictions of 5 August 2025."""
    return _cached("doj_sanctuary_list").copy()


def agreements() -> pd.DataFrame:
    """Every agreement ever on an in-series list, with its stable id and history."""
    return _cached("ice287g_agreements").copy()


def changes() -> pd.DataFrame:
    """Agreements added to and removed from the series, list by list (newest last)."""
    return _cached("ice287g_changes").copy()


def gaps() -> pd.DataFrame:
    """Agreements that vanished from the lists and came back."""
    return _cached("ice287g_gaps").copy()


def qa_summary() -> pd.DataFrame:
    """The pipeline's quality checks and tracked counts (data/qa/summary.csv)."""
    return _cached("qa_summary").copy()
