"""The book's one offline renderer, in two modes, and where chart data comes from.

In the built book (COOPBOOK_RENDER=book, set by `make execute`, the tests and the build)
charts are written as a small HTML block that the site's own copy of Vega draws: no CDN.
Compiling them needs vl-convert, a building-only dependency imported only then. In a live
notebook (JupyterLab, VS Code, Colab) the same renderer draws each chart with the book's
vendored Vega, Vega-Lite and Vega-Embed, sent with the chart itself: no CDN either, and
the Vega-Lite parameters work. The mode is read from the environment at each call.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys

import altair as alt
import pandas as pd

from .. import load
from ..site import STATIC, protocol


def book_mode() -> bool:
    """True when charts and tables are written for the built book (COOPBOOK_RENDER=book)."""
    return os.environ.get("COOPBOOK_RENDER") == "book"


def _book_renderer(spec: dict, **meta) -> dict:
    """HTML that queues the chart for the site's own vega-embed (see coopbook.site.extension),
    with the chart's title and subtitle lines in HTML above the drawing (_figure)."""
    alt_text = spec.get("description", "Chart")
    return {"text/html": _figure(spec), "text/plain": f"[chart] {alt_text}"}


def _chart_markup(spec: dict) -> str:
    """The chart's container and the script that queues it.

    The Vega-Lite spec is compiled to Vega here, once, so that pages neither load the
    Vega-Lite compiler (250 KB) nor spend time compiling before the first chart appears.
    """
    import vl_convert  # building-only: the book's build has it, a reader's notebook needs not

    vega = vl_convert.vegalite_to_vega(spec, vl_version=alt.SCHEMA_VERSION.lstrip("v")[:3])
    for data in vega.get("data", []):
        _values_as_csv(data)
    text = json.dumps(vega, sort_keys=True, separators=(",", ":"))
    chart_id = protocol.CHART_ID + hashlib.sha256(text.encode()).hexdigest()[:12]
    Q, D = protocol.CHARTS_QUEUE, protocol.DRAW
    # Keep "</" out of the inline script so that data can never close the tag.
    payload = text.replace("</", "<\\/")
    return (
        f'<div class="{protocol.CHART}" id="{chart_id}"></div>\n'
        f"<script>(window.{Q}=window.{Q}||[]).push"
        f'(["{chart_id}",{payload}]);window.{D}&&window.{D}();</script>'
    )


# Subtitle lines that tell the reader what to do ("Hover...", "Pick a model below...") are
# hints: paper leaves them out.
HINT = re.compile(r"^(Hover|Click|Tap|Use the|Pick|Drag|Move|Point)\b")


def _figure(spec: dict) -> str:
    """The chart with its title and subtitle lines moved out of the drawing into HTML
    above it, where they wrap on a phone instead of being cut off."""
    if "title" not in spec:
        return _chart_markup(spec)
    spec = dict(spec)
    title = spec.pop("title")
    text = title.get("text", "") if isinstance(title, dict) else title
    text = " ".join(text) if isinstance(text, list) else text
    subtitle = title.get("subtitle", []) if isinstance(title, dict) else []
    subtitle = [subtitle] if isinstance(subtitle, str) else subtitle
    lines = "".join(
        f'<span class="coop-chart-sub{" coop-chart-hint" if HINT.match(s) else ""}">'
        f"{html.escape(s)}</span>" for s in subtitle)
    return (f'<figure class="coop-chart-figure"><figcaption class="coop-chart-head">'
            f'<span class="coop-chart-title">{html.escape(str(text))}</span>{lines}'
            f"</figcaption>\n{_chart_markup(spec)}\n</figure>")


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
        code = (STATIC / name).read_text(encoding="utf-8")
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
    chart_id = protocol.LIVE_ID + hashlib.sha256(text.encode()).hexdigest()[:12]
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


def _renderer(spec: dict, **meta) -> dict:
    return (_book_renderer if book_mode() else _live_renderer)(spec, **meta)


alt.renderers.register("coopbook", _renderer)
alt.renderers.enable("coopbook")


def book_html(chart: alt.TopLevelMixin) -> str:
    """A chart as the built book's HTML block, for pages written without a notebook."""
    return _figure(chart.to_dict())


def data_url(relative: str) -> alt.Data:
    """A table in data/: by URL in the built book (shared, cached), inline in a live notebook."""
    if book_mode():
        return alt.Data(url=f"../data/{relative}")
    frame = pd.read_csv(load.paths.DATA / relative)
    return alt.Data(values=json.loads(frame.to_json(orient="records")))


def states_topo() -> alt.Data:
    """The state shapes: by URL in the built book, inline in a live notebook."""
    fmt = alt.DataFormat(type="topojson", feature="states")
    if book_mode():
        return alt.Data(url="../data/geo/us_states.topo.json", format=fmt)
    return alt.Data(values=load.states_topojson(), format=fmt)
