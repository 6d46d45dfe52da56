"""Charts of the 287(g) agreements: growth by model, the month-by-month map, who signs,
and the additions and removals by month."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from .. import geo, load
from .render import data_url, states_topo
from .theme import (
    MODEL_COLORS,
    MODEL_DASH,
    MODEL_LABELS,
    MODEL_ORDER,
    SEQUENTIAL,
    WIDTH,
    source_line,
)


def growth(lists: pd.DataFrame, start: str = "2021-01-01", place: str | None = None,
           description: str | None = None) -> alt.Chart:
    """Agreements on each list over time, by model, with a dropdown and a clickable legend.

    `lists` has one row per list: date, list_id, agreements, jem, wso, tfm. With `place`
    (a state's name) the title names it and `description` gives the alt text."""
    data = lists[lists["date"] >= pd.Timestamp(start)]
    wide = data.rename(columns={"agreements": "Total", "jem": "JEM", "wso": "WSO", "tfm": "TFM"})
    wide = wide[["date", "list_id"] + MODEL_ORDER].assign(date=wide["date"].dt.strftime("%Y-%m-%d"))
    labels = json.dumps(MODEL_LABELS)
    pick = alt.param(
        name="model_pick", value="All",
        bind=alt.binding_select(options=["All"] + MODEL_ORDER,
                                labels=["Every line"] + [MODEL_LABELS[m] for m in MODEL_ORDER],
                                name="Show: "),
    )
    legend = alt.selection_point(name="legend_pick", fields=["model"], bind="legend")
    shown = (pick == "All") | (alt.datum.model == pick)
    # Color, dash and shape share one legend, so no series is told apart by color alone.
    legend_spec = alt.Legend(labelExpr=f"{labels}[datum.label]", symbolStrokeWidth=2.5,
                             columns=2, labelLimit=0)
    color = alt.Color("model:N", title="Model", legend=legend_spec,
                      scale=alt.Scale(domain=MODEL_ORDER, range=list(MODEL_COLORS.values())))
    rows = alt.Data(values=wide.to_dict("records"))
    # Wide rows folded in the browser: a quarter of the bytes of a long table.
    base = alt.Chart(rows).transform_fold(
        MODEL_ORDER, as_=["model", "count"]
    ).transform_calculate(label=f"{labels}[datum.model]").transform_filter(shown).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("count:Q", title="Agreements on ICE's list"),
        color=color,
        opacity=alt.condition(legend, alt.value(1), alt.value(0.12)),
    )
    lines = base.mark_line(strokeWidth=2.5, interpolate="step-after", aria=False).encode(
        strokeDash=alt.StrokeDash("model:N", title="Model", legend=legend_spec, scale=alt.Scale(
            domain=MODEL_ORDER, range=list(MODEL_DASH.values()))),
    ).add_params(legend, pick)
    # Each line is also labelled with its last count, so no reader depends on color or dash.
    ends = base.mark_text(align="left", dx=5, fontSize=12).encode(
        text=alt.Text("count:Q", format=","),
    ).transform_filter(alt.datum.list_id == wide["list_id"].iloc[-1])
    # Hovering anywhere picks the nearest list and shows its four counts at once: one
    # invisible rule per list instead of a point per list and model, which draws faster.
    hover = alt.selection_point(name="hover", nearest=True, on="pointerover", encodings=["x"],
                                empty=False, clear="pointerout")
    rules = alt.Chart(rows).mark_rule(
        color="#555555", aria=False).encode(
        x="date:T",
        opacity=alt.condition(hover, alt.value(0.6), alt.value(0)),
        tooltip=[alt.Tooltip("date:T", title="List of"), alt.Tooltip("list_id:N", title="List id")]
        + [alt.Tooltip(f"{m}:Q", title=MODEL_LABELS[m], format=",") for m in MODEL_ORDER],
    ).add_params(hover)
    last = data.iloc[-1]
    return (lines + ends + rules).properties(
        width=WIDTH,
        title=alt.Title(
            f"287(g) agreements in {place} on ICE's list, by model" if place
            else "287(g) agreements on ICE's list, by model",
            subtitle=[f"Each step is a distinct list, {start[:4]} to {last['date']:%Y-%m-%d}.",
                      "Tap, click or hover for a list's counts; click the legend or use the menu.",
                      source_line("ICE's 287(g) lists, archived by RelevantResearch")],
        ),
        description=description or (
            f"Line chart: agreements on ICE's 287(g) list from {start[:4]} to "
            f"{last['date']:%B %Y}. The total rose from about {int(data['agreements'].iloc[0])} "
            f"to {int(last['agreements'])}; task-force agreements grew most after January 2025."
        ),
    )


# The month slider of the map: its signal holds the month's position in MONTHS_SIGNAL, a
# list the site's script reads to show the month's name beside the slider and to play the
# months in turn (coopbook.js, formatSliders and playButtons).
MONTH_INDEX = "month_index"
MONTHS_SIGNAL = MONTH_INDEX + "_labels"


def state_map(months: list[str], latest_month: str) -> alt.VConcatChart:
    """A map and a top-10 bar chart by state, with a month slider (and a Play button on the
    site) and a model menu. The colour scale is the same for every month, so growth shows
    as darkening; it is set for each model by that model's largest state count."""
    states = pd.DataFrame(
        [{"state": code, "fips": fips, "name": geo.NAME_BY_POSTAL[code]}
         for code, fips in geo.FIPS.items()]
    )
    frame = load.month_state_model()
    top = {m: int(frame[col].max()) for m, col in
           (("All", "agreements"), ("JEM", "jem"), ("WSO", "wso"), ("TFM", "tfm"))}
    labels = alt.param(name=MONTHS_SIGNAL, value=months)
    month = alt.param(name=MONTH_INDEX, value=months.index(latest_month),
                      bind=alt.binding_range(min=0, max=len(months) - 1, step=1,
                                             name="Month: "))
    model = alt.param(
        name="map_model", value="All",
        bind=alt.binding_select(options=["All", "JEM", "WSO", "TFM"],
                                labels=["All models", MODEL_LABELS["JEM"], MODEL_LABELS["WSO"],
                                        MODEL_LABELS["TFM"]],
                                name="Model: "),
    )
    picked = f"{MONTHS_SIGNAL}[{MONTH_INDEX}]"
    counts = (
        alt.Chart(data_url("ice287g_month_state_model.csv"))
        .transform_filter(f"datum.month == {picked}")
        .transform_calculate(n=f"{model.name} == 'All' ? datum.agreements : "
                             f"datum[lower({model.name})]")
        .transform_aggregate(agreements="sum(n)", groupby=["state"])
        .transform_filter(alt.datum.agreements > 0)
        .transform_lookup(lookup="state", from_=alt.LookupData(
            alt.Data(values=states.to_dict("records")), key="state", fields=["fips", "name"]))
    )
    most = " : ".join(f"{model.name} == '{m}' ? {n}" for m, n in top.items() if m != "TFM")
    domain = alt.ExprRef(f"[0, {most} : {top['TFM']}]")
    # State shapes are not announced one by one (50 unlabeled graphics); the chart's
    # description and the ranked bars below carry the numbers for screen readers.
    shapes = alt.Chart(states_topo()).mark_geoshape(fill="#eeeeee", stroke="#ffffff",
                                                      aria=False)
    filled = counts.transform_lookup(
        lookup="fips", from_=alt.LookupData(states_topo(), key="id"), as_="geo"
    ).mark_geoshape(stroke="#ffffff", strokeWidth=0.8, aria=False).encode(
        shape=alt.Shape("geo:G"),
        color=alt.Color("agreements:Q", title="Agreements",
                        scale=alt.Scale(scheme=SEQUENTIAL, reverse=True, type="sqrt",
                                        domain=domain),
                        legend=alt.Legend(orient="top", direction="horizontal",
                                          gradientLength=220)),
        tooltip=[alt.Tooltip("name:N", title="State"),
                 alt.Tooltip("agreements:Q", title="Agreements")],
    )
    # The month being shown, in large type in the map's empty corner, off the Gulf coast
    # (it changes as the slider moves or the months play).
    when = alt.Chart(alt.Data(values=[{}])).mark_text(
        align="right", baseline="bottom", x="width", y="height", fontSize=20,
        fontWeight="bold", aria=False,
        text=alt.ExprRef(f"utcFormat(utcParse({picked}, '%Y-%m'), '%B %Y')"))
    usa = (shapes + filled + when).project("albersUsa").properties(width=WIDTH, height=340)
    top10 = counts.transform_window(rank="rank()", sort=[
        alt.SortField("agreements", order="descending")]).transform_filter(
        alt.datum.rank <= 10)
    by_count = alt.EncodingSortField("agreements", op="max", order="descending")
    # Each state's name sits above its bar, not in an axis beside it: the bars and the map
    # above them both start at the chart's left edge and take its whole width.
    rows = alt.Y("name:N", sort=by_count, title=None, axis=None)
    bars = top10.mark_bar(color="#0072B2", height=13, yOffset=7).encode(
        y=rows,
        x=alt.X("agreements:Q", title="Agreements"),
        tooltip=[alt.Tooltip("name:N", title="State"),
                 alt.Tooltip("agreements:Q", title="Agreements")],
    )
    names = top10.mark_text(align="left", baseline="bottom", x=0, yOffset=-1,
                            fontSize=13).encode(y=rows, text="name:N")
    text = top10.mark_text(align="left", dx=4, yOffset=7, fontSize=12).encode(
        y=rows, x="agreements:Q", text="agreements:Q")
    leaders = (bars + names + text).properties(
        width=WIDTH - 40, height=alt.Step(36),
        title=alt.Title("The ten leading states",
                        subtitle=source_line("ICE 287(g) lists; last list seen in the month")),
    )
    return alt.vconcat(usa, leaders).add_params(labels, month, model).properties(
        title=alt.Title("287(g) agreements by state",
                        subtitle=["Move the month slider (or press Play) and pick a model.",
                                  "One color scale for every month; gray: no agreement."]),
        description=(
            "Map of the United States shaded by the number of 287(g) agreements in each "
            "state, on one color scale for every month, with a bar chart of the ten leading "
            "states below; a month slider and a model menu above pick what is shown. On the "
            f"newest list ({latest_month}) Florida and Texas lead."
        ),
    )


def who_signs(agreements: pd.DataFrame, list_label: str) -> alt.Chart:
    """Agreements on the newest list by agency type and model."""
    frame = agreements.assign(agency_type=agreements["agency_type"].fillna("Not given"))
    counts = frame.groupby(["agency_type", "model"]).size().rename("n").reset_index()
    counts["label"] = counts["model"].map(MODEL_LABELS)
    order = ["TFM", "WSO", "JEM"]
    top = counts.groupby("agency_type")["n"].sum().sort_values(ascending=False)
    bars = alt.Chart(counts).mark_bar().encode(
        y=alt.Y("agency_type:N", title=None, sort=list(top.index)),
        x=alt.X("sum(n):Q", title="Agreements on the newest list"),
        color=alt.Color("model:N", title="Model", scale=alt.Scale(
            domain=order, range=[MODEL_COLORS[m] for m in order])),
        tooltip=[alt.Tooltip("agency_type:N", title="Agency type"),
                 alt.Tooltip("label:N", title="Model"), alt.Tooltip("n:Q", title="Agreements")],
    )
    text = alt.Chart(counts).mark_text(align="left", dx=4).encode(
        y=alt.Y("agency_type:N", sort=list(top.index)), x="sum(n):Q", text="sum(n):Q")
    return (bars + text).properties(
        width=WIDTH - 100, height=180,
        title=alt.Title("Who signs: agreements by agency type",
                        subtitle=source_line(f"ICE 287(g) list {list_label}")),
        description=(
            "Stacked bar chart of agreements on the newest list by agency type and model: "
            + ", ".join(f"{k} {v}" for k, v in top.items()) + "."
        ),
    )


def changes_by_month(monthly: pd.DataFrame, list_label: str) -> alt.LayerChart:
    """Agreements added (above the line) and removed (below it) each month, by model."""
    data = monthly.assign(
        signed=monthly["agreements"].where(monthly["change"].eq("added"), -monthly["agreements"]),
        model_label=monthly["model"].map(MODEL_LABELS),
        change_label=monthly["change"].map({"added": "Added", "removed": "Removed"}))
    order = ["TFM", "WSO", "JEM"]
    shown = data[data["agreements"] > 0]  # empty months stay on the axis (ordinal domain)
    bars = alt.Chart(alt.Data(values=shown.to_dict("records"))).mark_bar().encode(
        x=alt.X("month:O", title=None, scale=alt.Scale(domain=sorted(data["month"].unique())),
                axis=alt.Axis(
            labelExpr="slice(datum.value, 5) == '01' ? slice(datum.value, 0, 4) : ''",
            labelAngle=0)),
        y=alt.Y("sum(signed):Q", title="Agreements (removed below zero)",
                axis=alt.Axis(format="~s")),
        color=alt.Color("model:N", title="Model", scale=alt.Scale(
            domain=order, range=[MODEL_COLORS[m] for m in order]),
            legend=alt.Legend(labelExpr=json.dumps(MODEL_LABELS) + "[datum.label]", labelLimit=0,
                              orient="bottom", direction="vertical")),
        order=alt.Order("model:N"),
        tooltip=[alt.Tooltip("month:O", title="Month"), alt.Tooltip("change_label:N", title="Change"),
                 alt.Tooltip("model_label:N", title="Model"),
                 alt.Tooltip("agreements:Q", title="Agreements", format=",")],
    )
    zero = alt.Chart(alt.Data(values=[{"y": 0}])).mark_rule(color="#222222", aria=False).encode(
        y="y:Q")
    added = int(monthly.loc[monthly["change"].eq("added"), "agreements"].sum())
    removed = int(monthly.loc[monthly["change"].eq("removed"), "agreements"].sum())
    first, last = monthly["month"].iloc[0], monthly["month"].iloc[-1]
    by_model = monthly.groupby(["change", "model"])["agreements"].sum()
    most = {c: MODEL_LABELS[by_model[c].idxmax()] for c in ("added", "removed")}
    return (bars + zero).properties(
        width=WIDTH, height=300,
        title=alt.Title("Agreements added and removed",
                        subtitle=["Each month: added above the line,", "removed below it.",
                                  "Tap or click a bar for its count.",
                                  source_line(f"ICE 287(g) lists to {list_label}")]),
        description=(f"Bar chart by month from {first} to {last}: {added:,} agreements added "
                     f"and {removed:,} removed, about {added / max(removed, 1):.0f} additions for "
                     f"each removal. Most additions: {most['added']}; most removals: "
                     f"{most['removed']}."),
    )
