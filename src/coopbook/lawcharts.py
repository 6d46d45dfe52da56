"""The red-blue divide in data: states by the direction of their cooperation laws,
and 287(g) agreements per state and per 100,000 residents."""

from __future__ import annotations

import altair as alt
import pandas as pd

from . import geo, load
from .charts import WIDTH, _source, _states_topo

DIRECTION_ORDER = ["requires", "both", "restricts", "none"]
DIRECTION_LABELS = {"requires": "Requires cooperation", "restricts": "Restricts cooperation",
                    "both": "Laws in both directions", "none": "No statewide law in the table"}
DIRECTION_COLORS = ["#E69F00", "#CC79A7", "#009E73", "#d9d9d9"]
DIRECTION_SHAPES = ["triangle-up", "diamond", "triangle-down", "circle"]
IN_EFFECT = ("in_force", "partly_blocked")


def direction_by_state(laws: pd.DataFrame) -> pd.DataFrame:
    """One row per state (50 + DC): the direction of its laws in effect, and which laws.

    Laws repealed, superseded or wholly blocked do not count. A state with laws in
    effect in both directions is 'both'; a state with none in the table is 'none'.
    """
    live = laws[laws["status"].isin(IN_EFFECT)]
    rows = []
    for code, name in geo.NAME_BY_POSTAL.items():
        if code in geo.TERRITORIES:
            continue
        mine = live[live["state"] == code]
        kinds = set(mine["direction"])
        direction = "both" if len(kinds) == 2 else (kinds.pop() if kinds else "none")
        rows.append({
            "state": code, "name": name, "direction": direction,
            "mandates_287g": bool(mine["mandates_287g"].any()),
            "bans_287g": bool(mine["bans_287g"].any()),
            "laws": "; ".join(f"{r.law} ({r.year})" for r in mine.itertuples()) or "none",
        })
    return pd.DataFrame(rows)


def _centroids() -> pd.DataFrame:
    """Label points (lon, lat) for each state: the centroid of its largest polygon."""
    topo = load.states_topojson()
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = [[(x * sx + tx, y * sy + ty) for x, y in arc] for arc in geo.arc_positions(topo)]

    def ring(indexes):
        pts = []
        for i in indexes:
            seg = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(seg if not pts else seg[1:])
        return pts

    def area_centroid(pts):
        a = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1]):
            cross = x1 * y2 - x2 * y1
            a += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        return abs(a) / 2, (cx / (3 * a), cy / (3 * a)) if a else pts[0]

    out = []
    for g in topo["objects"]["states"]["geometries"]:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        best = max((area_centroid(ring(p[0])) for p in polys), key=lambda t: t[0])
        out.append({"fips": g["id"], "lon": best[1][0], "lat": best[1][1]})
    frame = pd.DataFrame(out)
    frame["state"] = frame["fips"].map({v: k for k, v in geo.FIPS.items()})
    return frame.dropna(subset=["state"])


def direction_map(by_state: pd.DataFrame, description: str) -> alt.LayerChart:
    """States shaded by the direction of their laws, each marked with a shape too."""
    data = by_state.merge(_centroids(), on="state", how="left")
    data = data.assign(label=data["direction"].map(DIRECTION_LABELS),
                       mandate=data["mandates_287g"].map({True: "yes", False: "no"}),
                       ban=data["bans_287g"].map({True: "yes", False: "no"}))
    records = data.drop(columns=["mandates_287g", "bans_287g"]).to_dict("records")
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
    shapes = alt.Chart(_states_topo()).mark_geoshape(stroke="#ffffff", strokeWidth=0.8,
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
                                  _source("the book's state-laws table (statutes and "
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
                                  _source("ICE 287(g) list; U.S. Census Bureau; the book's "
                                          "state-laws table")]),
        description=description,
    )
