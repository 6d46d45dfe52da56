"""Small computations the chapters glue into their prose and "Check the claim" boxes."""

from __future__ import annotations

import pandas as pd

from .. import load


def state_counts(list_id: str) -> pd.Series:
    """Agreements per state (postal code) on one list, largest first."""
    table = load.list_state_model()
    rows = table[table["list_id"] == list_id]
    if rows.empty:
        raise KeyError(f"no in-series list {list_id!r}; see data/ice287g_lists.csv for list ids")
    return rows.groupby("state")["agreements"].sum().sort_values(ascending=False)


def share_of(list_id: str, states: list[str]) -> tuple[int, int, float]:
    """Agreements in the given states, all agreements, and the share (0-1) on one list."""
    counts = state_counts(list_id)
    unknown = [s for s in states if len(s) != 2 or not s.isupper()]
    if unknown:
        raise ValueError(f"expected postal codes such as 'TX', got {unknown}")
    part = int(counts.reindex(states).fillna(0).sum())
    total = int(counts.sum())
    return part, total, part / total


def agencies_by_type(agreements: pd.DataFrame) -> pd.Series:
    """Distinct agencies by ICE's agency type (missing types shown as 'Not given')."""
    agencies = agreements.drop_duplicates(["state", "agency"])
    return agencies["agency_type"].fillna("Not given").value_counts()


def agency_table(agreements: pd.DataFrame) -> pd.DataFrame:
    """One row per agency: its models and signing dates, for the searchable table."""
    frame = agreements.assign(signed=agreements["signed"].dt.strftime("%Y-%m-%d"))
    grouped = frame.groupby(["state_name", "agency"], sort=True)
    out = grouped.agg(
        agency_type=("agency_type", "first"),
        county=("county", "first"),
        models=("model", lambda m: ", ".join(sorted(m, key=["JEM", "WSO", "TFM"].index))),
        signed=("signed", lambda s: ", ".join(sorted(set(s.dropna())))),
    ).reset_index()
    out.columns = ["State", "Agency", "Type", "County", "Models", "Signed"]
    return out.fillna("")
