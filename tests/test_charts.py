"""Chart builders and the offline renderer."""

import json
import os
import re
import subprocess
import sys

import pandas as pd

from coopbook import load
from coopbook.viz import charts, render, theme


def rendered(chart) -> tuple[str, dict]:
    bundle = render._book_renderer(chart.to_dict())
    html = bundle["text/html"]
    spec = json.loads(re.search(r'\.push\(\["coop-chart-[0-9a-f]{12}",(.*)\]\);', html).group(1))
    return html, spec


def test_book_charts_are_compiled_vega_with_alt_text_and_no_remote_urls():
    html, spec = rendered(charts.growth(load.series()))
    assert spec["$schema"].endswith("/vega/v6.json")  # compiled: pages need no Vega-Lite
    assert spec["description"].startswith("Line chart: agreements on ICE's 287(g) list")
    assert "<script src" not in html
    urls = re.findall(r'"url":"([^"]+)"', html)
    assert all(u.startswith("../data/") for u in urls)


def test_inline_rows_travel_as_csv_with_numbers_declared():
    _, spec = rendered(charts.growth(load.series()))
    inline = [d for d in spec["data"] if isinstance(d.get("values"), str)]
    assert inline, "the growth chart's rows should be inline CSV"
    data = inline[0]
    assert data["format"]["type"] == "csv"
    assert data["format"]["parse"] == {m: "number" for m in theme.MODEL_ORDER}
    header = data["values"].splitlines()[0].split(",")
    assert set(header) == {"date", "list_id", *theme.MODEL_ORDER}
    assert len(data["values"].splitlines()) == len(load.series()) + 1


def test_the_map_reads_shared_files_by_url_and_binds_a_month_slider_and_a_model_menu():
    frame = load.month_state_model()
    months = sorted(frame["month"].unique())
    _, spec = rendered(charts.state_map(months, months[-1]))
    urls = {d.get("url") for d in spec["data"] if d.get("url")}
    assert urls == {"../data/ice287g_month_state_model.csv", "../data/geo/us_states.topo.json"}
    signals = {s["name"]: s for s in spec["signals"]}
    slider = signals[charts.MONTH_INDEX]
    assert slider["bind"] == {"input": "range", "min": 0, "max": len(months) - 1, "step": 1,
                              "name": "Month: "}
    assert slider["value"] == len(months) - 1  # the newest month first
    assert signals[charts.MONTHS_SIGNAL]["value"] == months  # the script names the months
    assert set(signals["map_model"]["bind"]["options"]) == {"All", "JEM", "WSO", "TFM"}


def test_the_maps_colour_scale_is_the_same_for_every_month():
    """Growth shows as darkening only if a colour means the same count in every month: the
    scale's top is, for each model, its largest state count in any month."""
    frame = load.month_state_model()
    months = sorted(frame["month"].unique())
    _, spec = rendered(charts.state_map(months, months[-1]))
    (colour,) = [s for s in spec["scales"] if s["name"] == "color"]
    expr = colour["domain"]["signal"]
    assert charts.MONTH_INDEX not in expr
    for model, column in (("All", "agreements"), ("JEM", "jem"), ("WSO", "wso"), ("TFM", "tfm")):
        top = int(frame[column].max())
        assert re.search(rf"(map_model == '{model}' \? |: ){top}\b", expr), (model, top, expr)


def test_live_notebooks_use_the_offline_live_renderer_and_inline_data():
    code = (
        "from coopbook import load\n"
        "from coopbook.viz import charts, render\n"
        "import altair as alt\n"
        "assert not render.book_mode() and alt.renderers.active == 'coopbook'\n"
        "months = sorted(load.month_state_model()['month'].unique())\n"
        "spec = charts.state_map(months, months[-1]).to_dict()\n"
        "assert 'url' not in str(spec['vconcat'][0]['layer'][0]['data'])\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "COOPBOOK_RENDER"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_the_render_mode_is_read_at_each_call_not_at_import(monkeypatch):
    chart = charts.growth(load.series())
    monkeypatch.setenv("COOPBOOK_RENDER", "book")
    book = chart._repr_mimebundle_()
    monkeypatch.delenv("COOPBOOK_RENDER")
    live = chart._repr_mimebundle_()
    book, live = (b[0] if isinstance(b, tuple) else b for b in (book, live))
    assert 'class="coop-chart"' in book["text/html"] and "coop-live-" not in book["text/html"]
    assert 'class="coop-live-chart"' in live["text/html"]


def test_a_timelines_date_axis_suits_its_span():
    """Ticks by year over decades, by month (named, the year at January) over months: a
    two-month timeline no longer labels every tick '2025'."""
    from coopbook.viz import timelines

    def axis(first, last):
        return timelines.time_axis(pd.Series(pd.to_datetime([first, last])))[1].to_dict()

    long = axis("1987-01-01", "2026-05-18")
    assert long["format"] == "%Y" and long["tickCount"] == {"interval": "year", "step": 5}
    assert axis("2019-01-01", "2026-01-01")["tickCount"] == {"interval": "year", "step": 1}
    short = axis("2025-12-01", "2026-02-20")
    assert short["tickCount"] == {"interval": "month", "step": 1}
    assert "'%b %Y'" in short["labelExpr"] and "'%b'" in short["labelExpr"]
    assert axis("2025-01-01", "2026-06-01")["tickCount"] == {"interval": "month", "step": 3}
    scale = timelines.time_axis(pd.Series(pd.to_datetime(["2025-01-01", "2025-03-01"])))[0]
    assert scale.to_dict() == {"type": "utc"}  # 1 January stays in its year in any time zone


def test_key_events_are_labelled_on_the_timeline_and_an_unknown_one_is_named():
    from coopbook.viz import timelines
    frame = load.timeline()
    first, last = frame.sort_values("date").iloc[[0, -1]]["date"].dt.strftime("%Y-%m-%d")
    _, spec = rendered(timelines.events(frame, "T", "S", "src", "d",
                                        key={first: "The first", last: "The last"}))
    texts = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "text" and "key_label" in json.dumps(node):
                texts.append(node["encode"]["update"]["align"]["value"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(spec)
    assert sorted(texts) == ["left", "right"]  # early labels run right, late ones left
    try:
        timelines.events(frame, "T", "S", "src", "d", key={"1900-01-01": "Nothing"})
    except ValueError as err:
        assert "1900-01-01" in str(err)
    else:
        raise AssertionError("an unknown key event passed silently")
