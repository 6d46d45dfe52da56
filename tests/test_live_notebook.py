"""What a reader's live notebook gets: charts drawn by the book's own scripts, explorers
shown once, and a package that imports without the building-only dependencies."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import altair as alt
import pytest

from coopbook import paths
from coopbook.viz import levercharts, render, widgets


def _displayed(monkeypatch) -> list:
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.extend(a))
    monkeypatch.setattr(widgets, "display", lambda *a, **k: shown.extend(a))
    return shown


def test_explorers_are_returned_not_displayed_so_jupyter_shows_each_once(monkeypatch):
    shown = _displayed(monkeypatch)
    monkeypatch.delenv("COOPBOOK_RENDER", raising=False)  # the mode is read at each call
    box = levercharts.explorer(3000, 0.5, 0.5)
    explorer = widgets.show_state_explorer()
    assert box is not None and explorer is not None
    # The state explorer displays its tables inside its own Output widget only.
    assert not [x for x in shown if x is box or x is explorer], "an explorer displayed itself"


def _live_markup(chart: alt.TopLevelMixin) -> str:
    return render._live_renderer(chart.to_dict())["text/html"]


def test_the_live_renderer_sends_the_vendored_library_once_and_names_no_other_host(monkeypatch):
    monkeypatch.setitem(render._live, "sent", False)
    chart = levercharts.explorable(3000, 0.7, 0.6, description="A teaching model.")
    first, second = _live_markup(chart), _live_markup(chart)
    version = (paths.ROOT / "src/coopbook/site/static/coopbook/vega-lite.min.js").read_text()[:400]
    assert 'var n="6.4.1"' in version, "the vendored Vega-Lite is not the one VERSIONS.txt names"
    assert "vegaLite" in first and "vegaEmbed=" in first and len(first) > 700_000
    assert "vegaEmbed=" not in second and len(second) < 50_000
    for markup in (first, second):
        assert not re.search(r"(src|href)=\"?(https?:)?//", markup), "loads from another host"
        assert "cdn.jsdelivr" not in markup and "esm.sh" not in markup
    # The spec travels whole, with its bound sliders, and no inline data can close the tag.
    spec = re.search(r"spec=(\{.*\}),tries=0;", second).group(1)
    params = {p["name"] for p in json.loads(spec.replace("<\\/", "</"))["params"]}
    assert {"goal", "jail_share", "coop_share"} <= params
    assert 'aria-label="A teaching model."' in second


def test_in_colab_every_chart_brings_the_library(monkeypatch):
    monkeypatch.setitem(render._live, "sent", True)
    monkeypatch.setitem(sys.modules, "google.colab", object())
    assert "vegaEmbed=" in _live_markup(levercharts.explorable(3000, 0.7, 0.6))


def test_resending_the_library_puts_it_in_the_next_chart(monkeypatch):
    monkeypatch.setitem(render._live, "sent", True)
    render.resend_library()
    assert "vegaEmbed=" in _live_markup(levercharts.explorable(3000, 0.7, 0.6))


def test_the_package_imports_and_draws_without_building_only_dependencies(tmp_path):
    # A reader's notebook has neither myst-nb, vl-convert nor calamine: hide them and import
    # every module a chapter uses, in live mode.
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'myst_nb', 'vl_convert', 'python_calamine'}:\n"
        "            raise ImportError(f'{name} is building-only')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import altair as alt\n"
        "from coopbook import load, reader\n"
        "from coopbook.analysis import federal_lists, law_directions, leverage, stats\n"
        "from coopbook.viz import (charts, lawcharts, levercharts, listcharts, tables,\n"
        "                          timelines, widgets)\n"
        "assert alt.renderers.active == 'coopbook', alt.renderers.active\n"
        "bundle = charts.growth(load.series())._repr_mimebundle_()\n"
        "bundle = bundle[0] if isinstance(bundle, tuple) else bundle\n"
        "assert 'coop-live-' in bundle['text/html']\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "COOPBOOK_RENDER"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=tmp_path, check=False)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-2000:]


@pytest.mark.parametrize("name", render.LIVE_JS)
def test_every_live_script_is_vendored_with_its_hash(name):
    import hashlib

    folder = paths.ROOT / "src/coopbook/site/static/coopbook"
    digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    assert f"{digest}  {name}" in (folder / "VERSIONS.txt").read_text(), (
        f"{name} does not match the hash in VERSIONS.txt: run scripts/vendor_js.sh")
