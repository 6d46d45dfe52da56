"""data/qa/summary.csv: invariants that must pass, and counts that each new list changes.

Columns: check, scope, value, expected, status. `pass`/`fail` rows are invariants (a
single `fail` stops the pipeline before it writes anything); `info` rows are counts
(files, lists, agreements, removals, folds) that a refresh is expected to change, so
they live here and show up as a diff, not as a failing test.
"""

from __future__ import annotations

import pandas as pd

from .corrections import Corrections


def check(name: str, scope: str, bad: list, expected: str = "none") -> dict:
    value = "none" if not bad else f"{len(bad)}: " + ", ".join(map(str, bad[:5]))
    return {"check": name, "scope": scope, "value": value, "expected": expected,
            "status": "pass" if not bad else "fail"}


def info(name: str, scope: str, value: object) -> dict:
    return {"check": name, "scope": scope, "value": str(value), "expected": "",
            "status": "info"}


def summary(frames: dict[str, pd.DataFrame], source_rows: list[dict],
            fixes: Corrections) -> pd.DataFrame:
    lists = frames["ice287g_lists"]
    series = lists[lists["in_series"]]
    by_list = frames["ice287g_list_state_model"].groupby("list_id")["agreements"].sum()
    totals = [f"{r.list_id}: {int(by_list.get(r.list_id, 0))} != {int(r.agreements)}"
              for r in series.itertuples() if int(by_list.get(r.list_id, 0)) != int(r.agreements)]
    newest = series["list_id"].iloc[-1]
    active = frames["ice287g_agreements"]["status"].eq("active").sum()
    latest = len(frames["ice287g_agreements_latest"])
    manifest = frames["manifest"]
    rows = [
        check("totals per list equal the counts table", "ice287g_lists / "
               "ice287g_list_state_model", totals),
        check("the newest list's rows are the active agreements plus repeated rows",
               f"ice287g_agreements_latest / {newest}",
               [] if latest >= active else [f"{latest} rows < {active} active"]),
        check("every raw file is in the manifest once", "manifest",
               manifest[manifest.duplicated(["source", "file"])]["file"].tolist()),
        *source_rows,
        info("newest list in the series", "ice287g_lists", newest),
        info("raw 287(g) files read", "manifest",
              int(manifest["source"].eq("ice-287g-lists").sum())),
        info("distinct lists", "ice287g_lists", len(lists)),
        info("lists left out of the series (stale, partial or misdated)", "ice287g_lists",
              int((~lists["in_series"]).sum())),
    ]
    for file, line, first in fixes.unused():
        rows.append({"check": "correction matches nothing in the raw data",
                     "scope": f"{file}, line {line}", "value": first, "expected": "",
                     "status": "info"})
    return pd.DataFrame(rows, columns=["check", "scope", "value", "expected", "status"])
