"""The leverage model drawn: a chart whose sliders work with no kernel (`explorable`),
its ipywidgets twin for live notebooks (`explorer`), and the published shares chart.
The model itself is in coopbook.analysis.leverage."""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from ..analysis.leverage import GOAL_RANGE, SHARE_KINDS, at_large
from .render import book_mode
from .theme import WIDTH, source_line


def explorable(goal: int, jail_share: float, cooperating_share: float,
               reference: float | None = None, reference_label: str = "",
               description: str = "") -> alt.VConcatChart:
    """Three sliders and two views of the model, working without a kernel.

    Top: the goal split into arrests through cooperating jails and at-large arrests,
    with the numbers written out. Bottom: at-large arrests needed for every
    cooperating share from 0 to 100%, with the chosen share marked. `reference`
    (for example actual daily arrests in a year) is drawn as a labelled line.
    """
    lo, hi, step = GOAL_RANGE
    g = alt.param(name="goal", value=goal, bind=alt.binding_range(
        min=lo, max=hi, step=step, name="Daily arrest goal: "))
    j = alt.param(name="jail_share", value=jail_share, bind=alt.binding_range(
        min=0, max=1, step=0.01, name="Share of arrests through jails (if all cooperate): "))
    c = alt.param(name="coop_share", value=cooperating_share, bind=alt.binding_range(
        min=0, max=1, step=0.01, name="Share of the jail route that cooperates: "))
    routes = pd.DataFrame({"route": ["Through cooperating jails", ("At large (homes, streets, "
                                     "workplaces)")], "order": [0, 1]})
    split = alt.Chart(alt.Data(values=routes.to_dict("records"))).transform_calculate(
        jail="goal * jail_share * coop_share",
    ).transform_calculate(
        n="datum.order == 0 ? datum.jail : goal - datum.jail",
    ).transform_calculate(
        text="format(datum.n, ',.0f') + ' a day'",
    )
    colors = alt.Scale(domain=list(routes["route"]), range=["#0072B2", "#E69F00"])
    bars = split.mark_bar(height=40).encode(
        x=alt.X("n:Q", title="Arrests per day", stack=True,
                scale=alt.Scale(domain=[0, hi])),
        color=alt.Color("route:N", title=None, scale=colors,
                        legend=alt.Legend(orient="top", columns=1)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("route:N", title="Route"),
                 alt.Tooltip("n:Q", title="Arrests per day", format=",.0f")],
    )
    # One route under the other, each as words over its number: side by side they ran
    # into each other on a 320 px phone.
    words = split.mark_text(align="left", baseline="top", fontSize=14, fontWeight="bold",
                            lineHeight=18).encode(
        y=alt.Y("order:Q", axis=None, scale=alt.Scale(domain=[0, 1], range=[0, 44])),
        x=alt.value(0), text=alt.Text("label:N"), color=alt.value("#222222"),
    ).transform_calculate(
        label="[datum.order == 0 ? 'Through cooperating jails:' : 'At large:', datum.text]")
    top = alt.layer(bars).properties(width=WIDTH - 60, height=60)
    numbers = words.properties(width=WIDTH - 60, height=80)
    shares = pd.DataFrame({"coop": [i / 100 for i in range(0, 101, 2)]})
    curve = alt.Chart(alt.Data(values=shares.to_dict("records"))).transform_calculate(
        need="goal * (1 - jail_share * datum.coop)")
    line = curve.mark_line(color="#E69F00", strokeWidth=3).encode(
        x=alt.X("coop:Q", title="Share of the jail route that cooperates",
                axis=alt.Axis(format="%")),
        y=alt.Y("need:Q", title="At-large arrests needed per day",
                scale=alt.Scale(domain=[0, hi])),
        tooltip=[alt.Tooltip("coop:Q", title="Cooperating share", format=".0%"),
                 alt.Tooltip("need:Q", title="At-large arrests a day", format=",.0f")],
    )
    here = alt.Chart(alt.Data(values=[{}])).transform_calculate(
        coop="coop_share", need="goal * (1 - jail_share * coop_share)",
    ).mark_point(shape="circle", size=140, filled=True, color="#000000").encode(
        x="coop:Q", y="need:Q",
        tooltip=[alt.Tooltip("coop:Q", title="Your cooperating share", format=".0%"),
                 alt.Tooltip("need:Q", title="At-large arrests a day", format=",.0f")])
    layers = [line, here]
    if reference is not None:
        # In lines of at most 26 characters, above the rule: it fits a small phone's plot.
        lines = textwrap.wrap(reference_label, 26) or [""]
        ref = alt.Chart(alt.Data(values=[{"y": reference, "label": lines}]))
        layers += [ref.mark_rule(strokeDash=[4, 3], color="#555555").encode(y="y:Q"),
                   ref.mark_text(align="left", baseline="top", dy=-3 - 13 * len(lines), x=4,
                                 fontSize=11, lineHeight=13,
                                 color="#333333").encode(y="y:Q", text="label:N")]
    bottom = alt.layer(*layers).properties(
        width=WIDTH - 60, height=220,
        title=alt.Title("At-large arrests needed, for every cooperating share",
                        subtitle="The dot is the share you chose; the line moves with the "
                                 "other two sliders."))
    return alt.vconcat(numbers, top, bottom).add_params(g, j, c).properties(
        title=alt.Title("The leverage arithmetic (a teaching model)",
                        subtitle=["at large = goal x (1 - jail share x cooperating share)",
                                  ("Move the sliders; the defaults are the published figures "
                                  "in the table below."),
                                  source_line("the book's table of published figures")]),
        description=description,
    )


def summary(goal: float, jail_share: float, cooperating_share: float) -> str:
    """The model's answer in words (HTML), as the live explorer shows it."""
    need = at_large(goal, jail_share, cooperating_share)
    share = f" ({need / goal:.0%} of the goal)" if goal else ""
    return (f"<p>Through cooperating jails: <b>{goal - need:,.0f}</b> a day<br>"
            f"At large: <b>{need:,.0f}</b> a day{share}</p>")


def explorer(goal: int, jail_share: float, cooperating_share: float):
    """The ipywidgets twin of `explorable` for a live notebook (None in the built book).

    It is returned, not displayed: as a cell's last expression Jupyter shows it once.
    """
    if book_mode():
        return None
    import ipywidgets as w

    lo, hi, step = GOAL_RANGE
    sliders = {
        "goal": w.IntSlider(value=goal, min=lo, max=hi, step=step, description="Goal/day"),
        "jail_share": w.FloatSlider(value=jail_share, min=0, max=1, step=0.01,
                                    description="Jail share"),
        "cooperating_share": w.FloatSlider(value=cooperating_share, min=0, max=1, step=0.01,
                                           description="Cooperating"),
    }
    result = w.HTML()

    def show(_=None) -> None:
        result.value = summary(**{k: s.value for k, s in sliders.items()})

    for s in sliders.values():
        s.observe(show, names="value")
    show()
    return w.VBox([*sliders.values(), result])


def shares(rows: pd.DataFrame, description: str) -> alt.LayerChart:
    """Published shares of ICE arrests that started in custody, one bar per figure.

    `rows` has columns label, period, kind (one of SHARE_KINDS), share (0-1), and
    optionally high (the top of a published range).
    """
    data = rows.assign(pct=(rows["share"] * 100).round(0),
                       high_pct=(rows.get("high", rows["share"]).fillna(rows["share"]) * 100
                                 ).round(0))
    data["text"] = [f"{p:.0f}%" if p == h else f"{p:.0f}-{h:.0f}%"
                    for p, h in zip(data["pct"], data["high_pct"])]
    legend = alt.selection_point(name="share_legend", fields=["kind"], bind="legend")
    order = list(data["label"])
    base = alt.Chart(alt.Data(values=data.to_dict("records"))).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)))
    bars = base.mark_bar().encode(
        x=alt.X("high_pct:Q", title="Share of ICE arrests (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("kind:N", title="What the figure counts", scale=alt.Scale(
            domain=SHARE_KINDS, range=["#0072B2", "#E69F00", "#bbbbbb"]),
            legend=alt.Legend(orient="top", columns=1)),
        opacity=alt.condition(legend, alt.value(1), alt.value(0.2)),
        tooltip=[alt.Tooltip("label:N", title="Figure"), alt.Tooltip("period:N", title="Period"),
                 alt.Tooltip("kind:N", title="Counts"), alt.Tooltip("text:N", title="Share")],
    ).add_params(legend)
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(
        x="high_pct:Q", text="text:N")
    return (bars + text).properties(
        width=WIDTH - 260, height=alt.Step(30),
        title=alt.Title("How much of ICE's arresting starts in custody?",
                        subtitle=[("Each bar is one published figure; they count different "
                                  "things."), "Click the legend to compare like with like.",
                                  source_line("TRAC, ICE, El País, Prison Policy Initiative, "
                                          "MundoNOW/CNN (see table)")]),
        description=description,
    )
