"""The two federal lists of 2025 (DHS, May; DOJ, August): entries by level."""

from __future__ import annotations

import pandas as pd

LEVEL_ORDER = ["State", "County", "City"]

LIST_ORDER = ["DHS", "DOJ"]

LIST_LABELS = {"DHS": "DHS, May 2025", "DOJ": "DOJ, August 2025"}

def level_counts(dhs: pd.DataFrame, doj: pd.DataFrame) -> pd.DataFrame:
    """Entries by level on each list: one row per list and level (State, County, City)."""
    rows = []
    for key, frame, column in [("DHS", dhs, "listed_as"), ("DOJ", doj, "level")]:
        counts = frame[column].value_counts()
        for level in LEVEL_ORDER:
            rows.append({"list": key, "list_label": LIST_LABELS[key], "level": level,
                         "entries": int(counts.get(level, 0)), "total": len(frame)})
    out = pd.DataFrame(rows)
    out["share"] = (out["entries"] / out["total"]).round(3)
    out["text"] = out["list"] + ": " + out["entries"].map("{:,}".format)
    return out
