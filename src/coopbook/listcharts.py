"""The two federal lists of 2025 side by side: DHS (May) and DOJ (August), by level.

A grouped bar chart that works in the static book without a kernel: every bar is
labeled with its list and count, so the lists are never told apart by color alone,
and every bar has a tooltip.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .charts import WIDTH, _source

LEVEL_ORDER = ["State", "County", "City"]
LIST_ORDER = ["DHS", "DOJ"]
LIST_LABELS = {"DHS": "DHS, May 2025", "DOJ": "DOJ, August 2025"}
LIST_COLORS = ["#0072B2", "#E69F00"]


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


def compare_levels(dhs: pd.DataFrame, doj: pd.DataFrame, description: str) -> alt.LayerChart:
    """Grouped horizontal bars: entries at state, county and city level on each list."""
    data = level_counts(dhs, doj)
    legend = alt.selection_point(name="list_legend", fields=["list"], bind="legend")
    base = alt.Chart(alt.Data(values=data.to_dict("records"))).encode(
        y=alt.Y("level:N", sort=LEVEL_ORDER, title=None,
                axis=alt.Axis(labelExpr="datum.label + ' level'", labelFontSize=13)),
        yOffset=alt.YOffset("list:N", sort=LIST_ORDER),
        x=alt.X("entries:Q", title="Entries on the list",
                scale=alt.Scale(domainMin=0, nice=True)),
    )
    tooltip = [alt.Tooltip("list_label:N", title="List"), alt.Tooltip("level:N", title="Level"),
               alt.Tooltip("entries:Q", title="Entries", format=","),
               alt.Tooltip("share:Q", title="Share of the list", format=".0%"),
               alt.Tooltip("total:Q", title="Entries on the list", format=",")]
    bars = base.mark_bar(height={"band": 0.9}).encode(
        color=alt.Color("list:N", title=None, scale=alt.Scale(domain=LIST_ORDER,
                                                              range=LIST_COLORS),
                        legend=alt.Legend(orient="top", labelExpr="{" + ",".join(
                            f"'{k}':'{v}'" for k, v in LIST_LABELS.items()) + "}[datum.label]")),
        opacity=alt.condition(legend, alt.value(1), alt.value(0.2)),
        tooltip=tooltip,
    ).add_params(legend)
    labels = base.mark_text(align="left", dx=4, fontSize=12, color="#222222").encode(
        text="text:N", opacity=alt.condition(legend, alt.value(1), alt.value(0.3)),
        tooltip=tooltip)
    totals = data.groupby("list")["total"].first()
    return (bars + labels).properties(
        width=WIDTH - 140, height=alt.Step(22),
        title=alt.Title(
            "Two federal lists of sanctuary jurisdictions, by level",
            subtitle=[(f"DHS (May 29, 2025): {totals['DHS']:,} entries; DOJ (August 5, 2025): "
                       f"{totals['DOJ']:,}. Each bar is labeled with its list."),
                      "Levels as filed: DHS puts D.C. with the cities, DOJ at state level.",
                      _source("DHS page archived May 2025; DOJ release of August 5, 2025")]),
        description=description,
    )
