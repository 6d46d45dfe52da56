"""Timeline charts: dated events by who acted, and court decisions by outcome.

Both work in the static book without a kernel: a menu (an Altair parameter bound
to a select box) filters the points, the legend is clickable, and every point
has a tooltip. Categories are told apart by shape as well as color.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .theme import WIDTH, source_line

CATEGORY_ORDER = ["federal", "state", "local", "courts"]
CATEGORY_LABELS = {"federal": "Federal government", "state": "States",
                   "local": "Cities and counties", "courts": "Courts"}
CATEGORY_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
CATEGORY_SHAPES = ["circle", "square", "triangle-up", "diamond"]

OUTCOME_ORDER = ["for_federal", "against_federal", "mixed", "pending"]
OUTCOME_LABELS = {"for_federal": "For the federal position",
                  "against_federal": "Against the federal position",
                  "mixed": "Mixed", "pending": "Pending"}
# Orange for the side that presses cooperation, bluish green for the other, as in the
# state-law map; never red and blue, which read as party colors.
# Pending is a light grey: a mid grey merges with the green under deuteranopia
# (tests/test_palettes.py).
OUTCOME_COLORS = ["#E69F00", "#009E73", "#CC79A7", "#cccccc"]
OUTCOME_SHAPES = ["triangle-up", "triangle-down", "diamond", "circle"]

QUESTION_ORDER = ["commandeering", "preemption", "detainers", "funding", "other"]
QUESTION_LABELS = {"commandeering": "Commandeering (Tenth Amendment)",
                   "preemption": "Preemption", "detainers": "Detainers (Fourth Amendment)",
                   "funding": "Grant conditions (funding)", "other": "Other"}
LEVEL_ORDER = ["supreme", "appeals", "state_high", "district", "state_lower"]
LEVEL_LABELS = {"supreme": "U.S. Supreme Court", "appeals": "U.S. court of appeals",
                "state_high": "State high court", "district": "U.S. district court",
                "state_lower": "State lower court"}


def _lookup(labels: dict, value: str) -> str:
    """A Vega expression that looks `value` (an expression) up in `labels`."""
    return "{" + ",".join(f"{_js(k)}:{_js(v)}" for k, v in labels.items()) + "}[" + value + "]"


def _label_expr(labels: dict) -> str:
    return _lookup(labels, "datum.label")


def time_axis(dates: pd.Series) -> tuple[alt.Scale, alt.Axis]:
    """A date axis whose ticks suit the span of the dates: years over a long span (every
    second or fifth year over decades), else months labelled "Jan 2025", "Apr", "Jul"
    with the year at each January and at the first tick. Dates are read as UTC days, so
    a reader west of Greenwich does not see 1 January in the year before."""
    first, last = dates.min(), dates.max()
    months = (last.year - first.year) * 12 + last.month - first.month
    scale = alt.Scale(type="utc")
    if months > 48:
        years = months / 12
        step = 1 if years <= 8 else 2 if years <= 16 else 5
        return scale, alt.Axis(format="%Y", tickCount={"interval": "year", "step": step},
                               labelOverlap=True)
    step = 1 if months <= 7 else 2 if months <= 14 else 3 if months <= 24 else 6
    label = ("utcFormat(datum.value, utcmonth(datum.value) == 0 || datum.index == 0 "
             "? '%b %Y' : '%b')")
    return scale, alt.Axis(labelExpr=label, tickCount={"interval": "month", "step": step},
                           labelOverlap=True)


def _key_labels(base: alt.Chart, data: pd.DataFrame, field: str, labels: dict[str, str],
                y: alt.Y, x: alt.X) -> alt.LayerChart:
    """Short text labels over a few marks (the key events), set inward from the nearer edge
    so that none runs off the chart. `labels` maps a value of `field` to its label; a value
    that is not in the data is an error naming it."""
    missing = [k for k in labels if k not in set(data[field])]
    if missing:
        raise ValueError(f"key events not in the timeline's {field!r} column: {missing}")
    dates = pd.to_datetime(data["date"])
    middle = (dates.min() + (dates.max() - dates.min()) / 2).strftime("%Y-%m-%d")
    # A date may already be parsed into a time: it is matched as its UTC day, and compared
    # with the middle as a time.
    value = (f"utcFormat(toDate(datum[{_js(field)}]), '%Y-%m-%d')" if field == "date"
             else f"datum[{_js(field)}]")
    chosen = base.transform_calculate(key_label=_lookup(labels, value)).transform_filter(
        "isValid(datum.key_label)")
    layers = []
    early = f"toDate(datum.date) <= toDate('{middle}')"
    for side, test in (("left", early), ("right", f"!({early})")):
        layers.append(chosen.transform_filter(test).mark_text(
            align=side, baseline="bottom", dy=-9, dx=-4 if side == "left" else 4, fontSize=12,
            fontWeight="bold").encode(x=x, y=y, text="key_label:N"))
    return alt.layer(*layers)


def _js(text: str) -> str:
    return "'" + str(text).replace("\\", "\\\\").replace("'", "\\'") + "'"


def events(frame: pd.DataFrame, title: str, subtitle: str, source: str,
           description: str, menu: bool = True, height: int = 230,
           key: dict[str, str] | None = None) -> alt.Chart | alt.LayerChart:
    """Events on a time axis, one lane per category, filterable by a menu and the legend.
    `key` labels a few events on the chart itself: {date "YYYY-MM-DD": short label}."""
    data = frame.assign(
        date=frame["date"].dt.strftime("%Y-%m-%d"),
        when=[_when(d, p) for d, p in zip(frame["date"], frame["precision"])],
        who=frame["category"].map(CATEGORY_LABELS),
        place=frame["place"].fillna("United States"),
    )[["date", "when", "category", "who", "place", "event", "detail"]]
    present = [c for c in CATEGORY_ORDER if c in set(data["category"])]
    legend = alt.selection_point(name="cat_legend", fields=["category"], bind="legend")
    chart = alt.Chart(alt.Data(values=data.to_dict("records")))
    params = [legend]
    if menu:
        pick = alt.param(name="cat_pick", value="all", bind=alt.binding_select(
            options=["all"] + present, labels=["Everyone"] + [CATEGORY_LABELS[c] for c in present],
            name="Show events by: "))
        chart = chart.transform_filter((pick == "all") | (alt.datum.category == pick))
        params.append(pick)
    scale = {"domain": present, "range": [CATEGORY_COLORS[CATEGORY_ORDER.index(c)]
                                        for c in present]}
    shapes = {"domain": present, "range": [CATEGORY_SHAPES[CATEGORY_ORDER.index(c)]
                                         for c in present]}
    lgd = alt.Legend(labelExpr=_label_expr(CATEGORY_LABELS), orient="top")
    when_scale, when_axis = time_axis(frame["date"])
    x = alt.X("date:T", title=None, scale=when_scale, axis=when_axis)
    y = alt.Y("category:N", title=None, sort=present,
              axis=alt.Axis(labelExpr=_label_expr(CATEGORY_LABELS), labelLimit=160))
    points = chart.mark_point(size=110, filled=True, opacity=0.85, strokeWidth=1,
                              stroke="#ffffff").encode(
        x=x, y=y,
        color=alt.Color("category:N", title="Who acted", scale=alt.Scale(**scale), legend=lgd),
        shape=alt.Shape("category:N", title="Who acted", scale=alt.Scale(**shapes), legend=lgd),
        opacity=alt.condition(legend, alt.value(0.9), alt.value(0.1)),
        tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("event:N", title="Event"),
                 alt.Tooltip("place:N", title="Place"), alt.Tooltip("who:N", title="Who acted"),
                 alt.Tooltip("detail:N", title="Detail")],
    ).add_params(*params)
    props = {"width": WIDTH - 60, "height": height, "description": description,
             "title": alt.Title(title, subtitle=[subtitle, _hint(menu), source_line(source)])}
    if not key:
        return points.properties(**props)
    return alt.layer(points, _key_labels(chart, data, "date", key, y, x)).properties(**props)


def _hint(menu: bool) -> str:
    """What the reader can do, on a line of its own (a hint: paper leaves it out)."""
    return ("Tap or click a mark for its details; pick who acted in the menu or the legend."
            if menu else "Tap or click a mark for its details; click the legend to pick who acted.")


def _when(date: pd.Timestamp, precision: str) -> str:
    if precision == "year":
        return f"{date:%Y}"
    if precision == "month":
        return f"{date:%B %Y}"
    return f"{date:%B} {date.day}, {date:%Y}"


def cases(frame: pd.DataFrame, description: str,
          key: dict[str, str] | None = None) -> alt.VConcatChart:
    """Court decisions on a time axis by court level, colored and shaped by outcome, with
    a tally of outcomes by era below; one menu filters both by legal question. `key`
    labels a few decisions on the timeline: {short name: label}."""
    data = frame.assign(
        date=frame["date"].dt.strftime("%Y-%m-%d"),
        # Pending rows are placed at their filing day.
        when=[_when(d, p) for d, p in zip(frame["date"], frame["decided_precision"].fillna("day"))],
        result=frame["outcome"].map(OUTCOME_LABELS),
        topic=frame["question"].map(QUESTION_LABELS),
        level=frame["court_level"].map(LEVEL_LABELS),
        citation=frame["citation"].fillna(""),
    )[["date", "when", "era", "short_name", "case", "court", "level", "court_level", "citation",
       "question", "topic", "outcome", "result", "holding", "status"]]
    questions = [q for q in QUESTION_ORDER if q in set(data["question"])]
    pick = alt.param(name="question_pick", value="all", bind=alt.binding_select(
        options=["all"] + questions, labels=["Every question"] + [QUESTION_LABELS[q]
                                                                  for q in questions],
        name="Legal question: "))
    legend = alt.selection_point(name="outcome_legend", fields=["outcome"], bind="legend")
    base = alt.Chart(alt.Data(values=data.to_dict("records"))).transform_filter(
        (pick == "all") | (alt.datum.question == pick))
    lgd = alt.Legend(labelExpr=_label_expr(OUTCOME_LABELS), orient="top", columns=2, labelLimit=300)
    color = alt.Color("outcome:N", title="Outcome", legend=lgd,
                      scale=alt.Scale(domain=OUTCOME_ORDER, range=OUTCOME_COLORS))
    shape = alt.Shape("outcome:N", title="Outcome", legend=lgd,
                      scale=alt.Scale(domain=OUTCOME_ORDER, range=OUTCOME_SHAPES))
    levels = [lv for lv in LEVEL_ORDER if lv in set(data["court_level"])]
    when_scale, when_axis = time_axis(frame["date"])
    x = alt.X("date:T", title=None, scale=when_scale, axis=when_axis)
    y = alt.Y("court_level:N", title=None, sort=levels,
              axis=alt.Axis(labelExpr=_label_expr(LEVEL_LABELS), labelLimit=170))
    timeline = base.mark_point(size=120, filled=True, stroke="#ffffff", strokeWidth=1).encode(
        x=x, y=y,
        yOffset=alt.YOffset("outcome:N", sort=OUTCOME_ORDER),
        color=color, shape=shape,
        opacity=alt.condition(legend, alt.value(0.9), alt.value(0.1)),
        tooltip=[alt.Tooltip("case:N", title="Case"), alt.Tooltip("court:N", title="Court"),
                 alt.Tooltip("when:N", title="Date"), alt.Tooltip("citation:N", title="Citation"),
                 alt.Tooltip("topic:N", title="Question"), alt.Tooltip("result:N", title="Outcome"),
                 alt.Tooltip("holding:N", title="Holding"), alt.Tooltip("status:N", title="Status")],
    ).add_params(legend)
    if key:
        timeline = alt.layer(timeline, _key_labels(base, data, "short_name", key, y, x))
    timeline = timeline.properties(width=WIDTH - 60, height=250)
    eras = sorted(set(data["era"]))
    tally = base.mark_bar(height={"band": 1}).encode(
        y=alt.Y("era:N", title=None, sort=eras, scale=alt.Scale(paddingInner=0.3)),
        x=alt.X("count():Q", title="Decisions", axis=alt.Axis(tickMinStep=1, format="d")),
        color=color,
        order=alt.Order("outcome_order:Q"),
        tooltip=[alt.Tooltip("era:N", title="Period"), alt.Tooltip("result:N", title="Outcome"),
                 alt.Tooltip("count():Q", title="Decisions")],
    ).transform_calculate(outcome_order=f"indexof({OUTCOME_ORDER}, datum.outcome)")
    # Counts written on the bars: the tally reads without color.
    labels = base.transform_aggregate(n="count()", groupby=["era", "outcome", "result"]
                                      ).transform_calculate(
        outcome_order=f"indexof({OUTCOME_ORDER}, datum.outcome)").transform_stack(
        stack="n", groupby=["era"], as_=["x0", "x1"],
        sort=[alt.SortField("outcome_order")]).transform_calculate(
        mid="(datum.x0 + datum.x1) / 2").mark_text(fontSize=11, color="#000000").encode(
        y=alt.Y("era:N", sort=eras, bandPosition=0.5), x="mid:Q", text="n:Q")
    totals = base.mark_text(align="left", dx=4, fontSize=12).encode(
        y=alt.Y("era:N", sort=eras, bandPosition=0.5), x="count():Q", text="count():Q")
    bars = (tally + labels + totals).properties(
        width=WIDTH - 160, height=alt.Step(34), title="Outcomes by period")
    return alt.vconcat(timeline, bars).add_params(pick).properties(
        title=alt.Title("Court decisions on local cooperation, 1992-2026",
                        subtitle=["One mark per decision.", "Tap or click a mark for the holding.",
                                  "Below, outcomes by period; numbers on the bars count decisions.",
                                  "Pick a question in the menu or click an outcome in the legend.",
                                  source_line("the book's cases table (court documents and "
                                              "reporting cited per row)")]),
        description=description)
