"""One chart theme, two offline renderers and the chart builders the chapters use.

In the built book (COOPBOOK_RENDER=book, set by `make execute`, the tests and
the build) charts are written as a small HTML block that the site's own copy of
Vega draws: no CDN. Compiling them needs vl-convert, a building-only dependency
imported only then. In a live notebook (JupyterLab, VS Code, Colab) the "coopbook-live"
renderer draws each chart with the book's vendored Vega, Vega-Lite and Vega-Embed,
sent with the chart itself: no CDN either, and the Vega-Lite parameters work.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import sys

import altair as alt
import pandas as pd

from . import geo, load, paths

BOOK_MODE = os.environ.get("COOPBOOK_RENDER") == "book"

# Okabe-Ito, safe for the common forms of color blindness; every chart also
# separates series by dash, shape or label, never by color alone.
MODEL_ORDER = ["Total", "TFM", "WSO", "JEM"]
MODEL_LABELS = {
    "Total": "All agreements",
    "JEM": "Jail Enforcement (JEM)",
    "WSO": "Warrant Service Officer (WSO)",
    "TFM": "Task Force (TFM)",
}
MODEL_COLORS = {"Total": "#000000", "TFM": "#009E73", "WSO": "#E69F00", "JEM": "#0072B2"}
MODEL_DASH = {"Total": [1, 0], "TFM": [6, 3], "WSO": [2, 2], "JEM": [8, 2, 2, 2]}
SEQUENTIAL = "viridis"
# Fixed widths: Vega's "container" sizing does not reach into concatenated views, and
# one width for every chart keeps the page even. On narrow screens the site's script
# (coopbook.js, capWidths) narrows each view to fit.
WIDTH = 560
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


@alt.theme.register("coopbook", enable=True)
def theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": 600, "continuousHeight": 320, "stroke": None},
            "title": {"fontSize": 16, "anchor": "start", "subtitleColor": "#444444",
                      "subtitleFontSize": 13},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": "#333333",
                     "titleColor": "#222222", "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "top"},
            "range": {"category": list(MODEL_COLORS.values())},
        }
    }


def _book_renderer(spec: dict, **meta) -> dict:
    """HTML that queues the chart for the site's own vega-embed (see coopbook.site.extension).

    The Vega-Lite spec is compiled to Vega here, once, so that pages neither load the
    Vega-Lite compiler (250 KB) nor spend time compiling before the first chart appears.
    """
    import vl_convert  # building-only: the book's build has it, a reader's notebook needs not

    vega = vl_convert.vegalite_to_vega(spec, vl_version=alt.SCHEMA_VERSION.lstrip("v")[:3])
    for data in vega.get("data", []):
        _values_as_csv(data)
    text = json.dumps(vega, sort_keys=True, separators=(",", ":"))
    chart_id = "coop-chart-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    alt_text = spec.get("description", "Chart")
    # Keep "</" out of the inline script so that data can never close the tag.
    payload = text.replace("</", "<\\/")
    markup = (
        f'<div class="coop-chart" id="{chart_id}"></div>\n'
        f"<script>(window.coopCharts=window.coopCharts||[]).push"
        f'(["{chart_id}",{payload}]);window.coopDraw&&window.coopDraw();</script>'
    )
    return {"text/html": markup, "text/plain": f"[chart] {alt_text}"}


def _values_as_csv(data: dict) -> None:
    """Inline rows as CSV text instead of JSON objects: about half the bytes in the page.

    Only flat tables of strings and numbers are converted; numbers are declared so that
    Vega parses them back as numbers and leaves every other field as text.
    """
    rows = data.get("values")
    if not isinstance(rows, list) or len(rows) < 20 or data.get("format", {}).get("type",
                                                                                "json") != "json":
        return
    if not all(isinstance(r, dict) for r in rows):
        return
    columns = list(rows[0])
    if any(list(r) != columns for r in rows):
        return
    kinds = {}
    for col in columns:
        values = [r[col] for r in rows]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            kinds[col] = "number"
        elif not all(isinstance(v, str) for v in values):
            return
    frame = pd.DataFrame(rows, columns=columns)
    data["values"] = frame.to_csv(index=False, lineterminator="\n")
    data["format"] = {**data.get("format", {}), "type": "csv", "parse": kinds}


# The scripts a live chart needs, in load order (vendored; see coopbook/site/static).
LIVE_JS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
_live = {"sent": False}


def _live_library() -> str:
    """The vendored Vega, Vega-Lite and Vega-Embed as one script that sets window globals.

    Each UMD build is run with `define`, `module` and `exports` hidden, so that it sets its
    global even in a page that has RequireJS (the classic notebook).
    """
    parts = []
    for name in LIVE_JS:
        code = (paths.ROOT / "src/coopbook/site/static/coopbook" / name).read_text(encoding="utf-8")
        parts.append("(function(define,module,exports){" + code + "\n}).call(window);")
    return "\n".join(parts).replace("</script", "<\\/script")


def _in_colab() -> bool:
    # Colab shows each output in its own frame: every chart must bring the library.
    return "google.colab" in sys.modules


def _live_renderer(spec: dict, **meta) -> dict:
    """HTML that draws a Vega-Lite spec with the vendored scripts (no CDN).

    In a page that shares one window across outputs (JupyterLab, VS Code, the classic
    notebook) the library travels with the first chart of a kernel session and later
    charts wait for it; in Colab, where each output has its own frame, with every chart.
    """
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    chart_id = "coop-live-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    library = ""
    if _in_colab() or not _live["sent"]:
        library = f"<script>if(!window.vegaEmbed){{{_live_library()}}}</script>\n"
        _live["sent"] = True
    alt_text = spec.get("description", "Chart")
    payload = text.replace("</", "<\\/")  # data can never close the script tag
    markup = (
        f'<div class="coop-live-chart" id="{chart_id}" role="figure" '
        f'aria-label="{html.escape(alt_text)}"></div>\n{library}'
        "<script>(function(){"
        f'var id="{chart_id}",spec={payload},tries=0;'
        "function go(){var el=document.getElementById(id);if(!el)return;"
        "if(!window.vegaEmbed){if(++tries<200){setTimeout(go,50);return;}"
        "el.dataset.state='error';el.textContent='The chart library is not loaded in this "
        "page: run the first cell of the notebook again.';return;}"
        "el.dataset.state='drawing';"
        "window.vegaEmbed(el,spec,{actions:false,renderer:'svg'}).then(function(r){"
        "el.dataset.state='drawn';(window.coopViews=window.coopViews||{})[id]=r.view;})"
        ".catch(function(e){el.dataset.state='error';el.textContent='This chart could not "
        "be drawn: '+e.message;console.error(e);});}go();})();</script>"
    )
    return {"text/html": markup, "text/plain": f"[chart] {alt_text}"}


def resend_library() -> None:
    """Send the chart library again with the next chart (after the page was reloaded)."""
    _live["sent"] = False


alt.renderers.register("coopbook", _book_renderer)
alt.renderers.register("coopbook-live", _live_renderer)
alt.renderers.enable("coopbook" if BOOK_MODE else "coopbook-live")


def data_url(relative: str) -> alt.Data:
    """A table in data/: by URL in the built book (shared, cached), inline in a live notebook."""
    if BOOK_MODE:
        return alt.Data(url=f"../data/{relative}")
    frame = pd.read_csv(load.paths.DATA / relative)
    return alt.Data(values=json.loads(frame.to_json(orient="records")))


def _states_topo() -> alt.Data:
    fmt = alt.DataFormat(type="topojson", feature="states")
    if BOOK_MODE:
        return alt.Data(url="../data/geo/us_states.topo.json", format=fmt)
    return alt.Data(values=load.states_topojson(), format=fmt)


def _source(text: str) -> str:
    return f"Source: {text}"


def growth(lists: pd.DataFrame, start: str = "2021-01-01") -> alt.Chart:
    """Agreements on each list over time, by model, with a dropdown and a clickable legend."""
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
    short = json.dumps({"Total": "All", "TFM": "Task force", "WSO": "Warrant service",
                        "JEM": "Jail"})
    legend_spec = alt.Legend(labelExpr=f"{short}[datum.label]", symbolStrokeWidth=2.5)
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
            "287(g) agreements on ICE's list, by model",
            subtitle=[f"Each step is a distinct list, {start[:4]} to {last['date']:%Y-%m-%d}.",
                      "Hover for a list's counts; click the legend or use the menu.",
                      _source("ICE's 287(g) lists, archived by RelevantResearch")],
        ),
        description=(
            f"Line chart: agreements on ICE's 287(g) list from {start[:4]} to "
            f"{last['date']:%B %Y}. The total rose from about {int(data['agreements'].iloc[0])} "
            f"to {int(last['agreements'])}; task-force agreements grew most after January 2025."
        ),
    )


def state_map(months: list[str], latest_month: str) -> alt.VConcatChart:
    """A map and a top-10 bar chart by state, with menus for month and model."""
    states = pd.DataFrame(
        [{"state": code, "fips": fips, "name": geo.NAME_BY_POSTAL[code]}
         for code, fips in geo.FIPS.items()]
    )
    month = alt.param(name="month_pick", value=latest_month,
                      bind=alt.binding_select(options=months, name="Month: "))
    model = alt.param(
        name="map_model", value="All",
        bind=alt.binding_select(options=["All", "JEM", "WSO", "TFM"],
                                labels=["All models", MODEL_LABELS["JEM"], MODEL_LABELS["WSO"],
                                        MODEL_LABELS["TFM"]],
                                name="Model: "),
    )
    counts = (
        alt.Chart(data_url("ice287g_month_state_model.csv"))
        .transform_filter(alt.datum.month == month)
        .transform_calculate(n=f"{model.name} == 'All' ? datum.agreements : "
                             f"datum[lower({model.name})]")
        .transform_aggregate(agreements="sum(n)", groupby=["state"])
        .transform_filter(alt.datum.agreements > 0)
        .transform_lookup(lookup="state", from_=alt.LookupData(
            alt.Data(values=states.to_dict("records")), key="state", fields=["fips", "name"]))
    )
    # State shapes are not announced one by one (50 unlabeled graphics); the chart's
    # description and the ranked bars below carry the numbers for screen readers.
    shapes = alt.Chart(_states_topo()).mark_geoshape(fill="#eeeeee", stroke="#ffffff",
                                                      aria=False)
    filled = counts.transform_lookup(
        lookup="fips", from_=alt.LookupData(_states_topo(), key="id"), as_="geo"
    ).mark_geoshape(stroke="#ffffff", strokeWidth=0.8, aria=False).encode(
        shape=alt.Shape("geo:G"),
        color=alt.Color("agreements:Q", title="Agreements",
                        scale=alt.Scale(scheme=SEQUENTIAL, reverse=True, type="sqrt"),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        tooltip=[alt.Tooltip("name:N", title="State"),
                 alt.Tooltip("agreements:Q", title="Agreements")],
    )
    usa = (shapes + filled).project("albersUsa").properties(
        width=WIDTH, height=340,
        title=alt.Title("287(g) agreements by state",
                        subtitle=["Pick a month and a model below.",
                                  "Grey states: no agreement."]),
    )
    top = counts.transform_window(rank="rank()", sort=[
        alt.SortField("agreements", order="descending")]).transform_filter(
        alt.datum.rank <= 10)
    by_count = alt.EncodingSortField("agreements", op="max", order="descending")
    bars = top.mark_bar(color="#0072B2").encode(
        y=alt.Y("name:N", sort=by_count, title=None),
        x=alt.X("agreements:Q", title="Agreements"),
        tooltip=[alt.Tooltip("name:N", title="State"),
                 alt.Tooltip("agreements:Q", title="Agreements")],
    )
    labels = top.mark_text(align="left", dx=4, fontSize=12).encode(
        y=alt.Y("name:N", sort=by_count), x="agreements:Q", text="agreements:Q")
    leaders = (bars + labels).properties(
        width=WIDTH - 100, height=260,
        title=alt.Title("The ten leading states",
                        subtitle=_source("ICE 287(g) lists; last list seen in the month")),
    )
    return alt.vconcat(usa, leaders).add_params(month, model).properties(
        description=(
            "Map of the United States shaded by the number of 287(g) agreements in each "
            "state, with a bar chart of the ten leading states below; menus pick the month "
            f"and the model. On the newest list ({latest_month}) Florida and Texas lead."
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
                        subtitle=_source(f"ICE 287(g) list {list_label}")),
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
                                  "Hover over a bar for its count.",
                                  _source(f"ICE 287(g) lists to {list_label}")]),
        description=(f"Bar chart by month from {first} to {last}: {added:,} agreements added "
                     f"and {removed:,} removed, about {added / max(removed, 1):.0f} additions for "
                     f"each removal. Most additions: {most['added']}; most removals: "
                     f"{most['removed']}."),
    )
