"""The red-blue divide in data: states by the direction of their cooperation laws,
and 287(g) agreements per state and per 100,000 residents."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..analysis.law_directions import STATE_ONLY, centroids
from .render import states_topo
from .theme import WIDTH, source_line

DIRECTION_ORDER = ["requires", "both", "restricts", "none"]
DIRECTION_LABELS = {"requires": "Requires cooperation", "restricts": "Restricts cooperation",
                    "both": "Laws in both directions", "none": "No statewide law in the table"}
DIRECTION_COLORS = ["#E69F00", "#CC79A7", "#009E73", "#d9d9d9"]
DIRECTION_SHAPES = ["triangle-up", "diamond", "triangle-down", "circle"]


def direction_map(by_state: pd.DataFrame, description: str) -> alt.LayerChart:
    """States shaded by the direction of their laws, each marked with a shape too."""
    data = by_state.merge(centroids(), on="state", how="left")
    data = data.assign(label=data["direction"].map(DIRECTION_LABELS),
                       mandate=data["mandates_287g"].map({True: "yes", False: "no"}),
                       ban=data["bans_287g"].map({True: "yes", False: "no"}))
    data.loc[data["bans_state_only"], "ban"] = f"yes ({STATE_ONLY})"
    records = data.drop(columns=["mandates_287g", "bans_287g", "bans_state_only"]).to_dict("records")
    legend = alt.selection_point(name="direction_legend", fields=["direction"], bind="legend")
    lgd = alt.Legend(labelExpr="{" + ",".join(f"'{k}':'{v}'" for k, v in
                                              DIRECTION_LABELS.items()) + "}[datum.label]",
                     orient="bottom", columns=2, title=None, labelLimit=300)
    color = alt.Color("direction:N", legend=lgd,
                      scale=alt.Scale(domain=DIRECTION_ORDER, range=DIRECTION_COLORS))
    tooltip = [alt.Tooltip("name:N", title="State"), alt.Tooltip("label:N", title="Direction"),
               alt.Tooltip("laws:N", title="Laws in effect"),
               alt.Tooltip("mandate:N", title="Mandates 287(g)"),
               alt.Tooltip("ban:N", title="Bans 287(g)")]
    shapes = alt.Chart(states_topo()).mark_geoshape(stroke="#ffffff", strokeWidth=0.8,
                                                      aria=False).transform_lookup(
        lookup="id", from_=alt.LookupData(alt.Data(values=records), key="fips",
                                          fields=["direction", "name", "label", "laws",
                                                  "mandate", "ban"])
    ).transform_filter("isValid(datum.direction)").encode(
        color=color, opacity=alt.condition(legend, alt.value(1), alt.value(0.25)),
        tooltip=tooltip)
    marks = alt.Chart(alt.Data(values=[r for r in records if r["direction"] != "none"])
                      ).mark_point(filled=True, size=70, stroke="#000000", strokeWidth=0.6
                                   ).encode(
        longitude="lon:Q", latitude="lat:Q",
        shape=alt.Shape("direction:N", legend=lgd,
                        scale=alt.Scale(domain=DIRECTION_ORDER, range=DIRECTION_SHAPES)),
        color=alt.value("#ffffff"),
        opacity=alt.condition(legend, alt.value(1), alt.value(0.2)),
        tooltip=tooltip)
    return (shapes + marks).add_params(legend).project("albersUsa").properties(
        width=WIDTH, height=340,
        title=alt.Title("State laws on cooperation with immigration enforcement",
                        subtitle=["Laws in effect in November 2026; the shape repeats the color.",
                                  "Click the legend to pick one direction.",
                                  source_line("the book's state-laws table (statutes and "
                                          "reporting cited per row)")]),
        description=description,
    )


def per_capita(by_state: pd.DataFrame, agreements: pd.DataFrame, population: pd.DataFrame,
               list_label: str, description: str) -> alt.LayerChart:
    """Agreements per state, as a count or per 100,000 residents (menu), by law direction."""
    counts = agreements.groupby("state").size().rename("agreements")
    data = by_state.merge(population[["state", "population"]], on="state", how="left")
    data["agreements"] = data["state"].map(counts).fillna(0).astype(int)
    data["per_100k"] = (data["agreements"] / data["population"] * 100_000).round(2)
    data["label"] = data["direction"].map(DIRECTION_LABELS)
    data = data[["state", "name", "direction", "label", "agreements", "per_100k", "population"]]
    measure = alt.param(name="measure_pick", value="per_100k", bind=alt.binding_radio(
        options=["per_100k", "agreements"],
        labels=["Per 100,000 residents", "Number of agreements"], name="Show: "))
    legend = alt.selection_point(name="pc_legend", fields=["direction"], bind="legend")
    lgd = alt.Legend(labelExpr="{" + ",".join(f"'{k}':'{v}'" for k, v in
                                              DIRECTION_LABELS.items()) + "}[datum.label]",
                     orient="top", columns=2, title=None, labelLimit=300)
    base = alt.Chart(alt.Data(values=data.to_dict("records"))).transform_calculate(
        value=f"{measure.name} == 'per_100k' ? datum.per_100k : datum.agreements")
    sort = alt.EncodingSortField("value", order="descending")
    dots = base.mark_point(filled=True, size=70, stroke="#333333", strokeWidth=0.5).encode(
        y=alt.Y("name:N", sort=sort, title=None, axis=alt.Axis(labelFontSize=10)),
        x=alt.X("value:Q", title="Agreements (per 100,000 residents or count: see menu)"),
        color=alt.Color("direction:N", legend=lgd,
                        scale=alt.Scale(domain=DIRECTION_ORDER, range=DIRECTION_COLORS)),
        shape=alt.Shape("direction:N", legend=lgd,
                        scale=alt.Scale(domain=DIRECTION_ORDER, range=DIRECTION_SHAPES)),
        opacity=alt.condition(legend, alt.value(1), alt.value(0.15)),
        tooltip=[alt.Tooltip("name:N", title="State"), alt.Tooltip("label:N", title="Law"),
                 alt.Tooltip("agreements:Q", title="Agreements", format=","),
                 alt.Tooltip("per_100k:Q", title="Per 100,000 residents", format=".2f"),
                 alt.Tooltip("population:Q", title="Residents (2020 Census)", format=",")],
    )
    rules = base.transform_calculate(zero="0").mark_rule(color="#bbbbbb", aria=False).encode(
        y=alt.Y("name:N", sort=sort), x="zero:Q", x2="value:Q")
    return (rules + dots).add_params(measure, legend).properties(
        width=WIDTH - 160, height=alt.Step(11),
        title=alt.Title("287(g) agreements by state and state law",
                        subtitle=[f"ICE's list of {list_label}; residents from the 2020 Census.",
                                  "Use the buttons to switch between the rate and the count.",
                                  source_line("ICE 287(g) list; U.S. Census Bureau; the book's "
                                          "state-laws table")]),
        description=description,
    )
