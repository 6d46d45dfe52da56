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
