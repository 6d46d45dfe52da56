"""Additions to and removals from ICE's 287(g) list: counts, tables and claim figures."""

from __future__ import annotations

import pandas as pd

from .. import load

MODEL_NAMES = {"JEM": "Jail Enforcement Model", "WSO": "Warrant Service Officer",
               "TFM": "Task Force Model"}


def monthly(changes: pd.DataFrame, start: str) -> pd.DataFrame:
    """Agreements added and removed per month and model, from the month of `start` on.

    Every month from `start` to the newest change has a row per model and change, zero
    when nothing happened, so a chart shows quiet months as quiet.
    """
    frame = changes[changes["date"] >= pd.Timestamp(start)].assign(
        month=lambda f: f["date"].dt.strftime("%Y-%m"))
    counts = frame.groupby(["month", "model", "change"]).size().rename("agreements")
    months = pd.period_range(pd.Timestamp(start), changes["date"].max(), freq="M").astype(str)
    full = pd.MultiIndex.from_product([months, list(MODEL_NAMES), ["added", "removed"]],
                                      names=["month", "model", "change"])
    return counts.reindex(full, fill_value=0).astype("int64").reset_index()


def between(changes: pd.DataFrame, start: str, end: str | None = None) -> dict[str, int]:
    """Additions and removals on lists dated from `start` (inclusive) to `end` (exclusive)."""
    frame = changes[changes["date"] >= pd.Timestamp(start)]
    if end is not None:
        frame = frame[frame["date"] < pd.Timestamp(end)]
    counts = frame["change"].value_counts()
    return {"added": int(counts.get("added", 0)), "removed": int(counts.get("removed", 0))}


def on_list(history: pd.DataFrame, gaps: pd.DataFrame, date: pd.Timestamp) -> pd.DataFrame:
    """The agreements of the history that were on ICE's list on `date`: first seen on or
    before it, last seen on or after it, and not missing from the list at the time."""
    seen = history[history["first_date"].le(date) & history["last_date"].ge(date)]
    away = gaps[gaps["missing_date"].le(date) & gaps["back_date"].gt(date)]
    return seen[~seen["agreement_id"].isin(away["agreement_id"])]


def removed_table(agreements: pd.DataFrame) -> pd.DataFrame:
    """Agreements no longer on the newest list, for the searchable table, most recent first."""
    gone = agreements[agreements["status"].eq("removed")].sort_values(
        ["last_date", "state_name", "agency"], ascending=[False, True, True])
    out = pd.DataFrame({
        "State": gone["state_name"],
        "Agency": gone["agency"],
        "Model": gone["model_name"],
        "Signed": gone["signed"].dt.strftime("%Y-%m-%d"),
        "First listed": gone["first_date"].dt.strftime("%Y-%m-%d"),
        "Last listed": gone["last_date"].dt.strftime("%Y-%m-%d"),
        "Id": gone["agreement_id"],
    })
    return out.fillna("").reset_index(drop=True)


def log_table(changes: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    """Every change, newest list first: additions, removals, and the start and end of gaps."""
    info = load.agreements().set_index("agreement_id")[["state_name", "agency", "model_name"]]
    parts = [changes.assign(what=changes["change"].map({"added": "added", "removed": "removed"}))
             [["list_id", "date", "what", "agreement_id"]]]
    parts.append(gaps.rename(columns={"missing_from": "list_id", "missing_date": "date"})
                 .assign(what="missing (back later)")[["list_id", "date", "what", "agreement_id"]])
    parts.append(gaps.rename(columns={"back_on": "list_id", "back_date": "date"})
                 .assign(what="back after a gap")[["list_id", "date", "what", "agreement_id"]])
    log = pd.concat(parts, ignore_index=True).join(info, on="agreement_id")
    order = {list_id: n for n, list_id in enumerate(load.series()["list_id"])}
    log["_order"] = log["list_id"].map(order)
    log = log.sort_values(["_order", "what", "state_name", "agency"],
                          ascending=[False, True, True, True])
    return pd.DataFrame({
        "List": log["list_id"], "Date": log["date"].dt.strftime("%Y-%m-%d"),
        "Change": log["what"], "State": log["state_name"], "Agency": log["agency"],
        "Model": log["model_name"], "Id": log["agreement_id"],
    }).reset_index(drop=True)


def per_list(changes: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    """One row per in-series list that changed: additions, removals, gaps opened and closed."""
    series = load.series()[["list_id", "date", "agreements"]]
    counts = changes.groupby(["list_id", "change"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=["added", "removed"], fill_value=0)
    counts["missing"] = gaps.groupby("missing_from").size()
    counts["back"] = gaps.groupby("back_on").size()
    out = series.join(counts.fillna(0).astype("int64"), on="list_id")
    out = out.dropna(subset=["added"]).astype({c: "int64" for c in
                                               ("added", "removed", "missing", "back")})
    return out.iloc[::-1].reset_index(drop=True)
