"""The two federal lists of 2025 side by side: DHS (May) and DOJ (August), by level.

A grouped bar chart that works in the static book without a kernel: every bar is
labeled with its list and count, so the lists are never told apart by color alone,
and every bar has a tooltip.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..analysis.federal_lists import LEVEL_ORDER, LIST_LABELS, LIST_ORDER, level_counts
from .theme import WIDTH, source_line

LIST_COLORS = ["#0072B2", "#E69F00"]


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
                      source_line("DHS page archived May 2025; DOJ release of August 5, 2025")]),
        description=description,
    )
