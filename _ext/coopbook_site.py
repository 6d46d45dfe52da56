"""Sphinx extension: serve the book's scripts and data from the site itself.

* Vega and Vega-Embed (vendored in _ext/static/coopbook) and the
  book's own script are added only to pages that draw a chart or a table.
* The processed tables in data/ are copied to <site>/data/ so that charts can
  load them by URL, and readers can download them.
* Pages get no script that reaches another host (see tests/test_site.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).parent
# Charts arrive compiled to Vega (coopbook.charts), so Vega-Lite is not needed in pages.
VENDOR = ("vega.min.js", "vega-embed.min.js")


def _static(app, config):
    config.html_static_path.append(str(HERE / "static"))
    config.templates_path.insert(0, str(HERE / "templates"))


def _page(app, pagename, templatename, context, doctree):
    body = context.get("body", "")
    # docutils marks a bibliography as role="list" whose items are role="doc-biblioentry",
    # which axe reports as a critical ARIA error; the entries need no list role.
    if 'role="list" class="citation-list"' in body:
        body = body.replace('<div role="list" class="citation-list">', '<div class="citation-list">')
        context["body"] = body
    app.add_css_file("coopbook/coopbook.css")
    if "coop-chart" in body:
        for name in VENDOR:
            app.add_js_file(f"coopbook/{name}")
    if "coop-chart" in body or "coop-table" in body:
        app.add_js_file("coopbook/coopbook.js")
    # Jupyter Book always loads sphinx-thebe, which declares THEBE_JS_URL twice (a page
    # error) and points at another host. The book has no live-code buttons: drop it.
    context["script_files"][:] = [
        js for js in context["script_files"]
        if "thebe" not in (js.filename or "") and "THEBE" not in js.attributes.get("body", "")
    ]
    context["css_files"][:] = [css for css in context["css_files"]
                               if "thebe" not in (css.filename or "")]


def _copy_data(app, exception):
    if exception or app.builder.format != "html":
        return
    src = Path(app.srcdir) / "data"
    dest = Path(app.outdir) / "data"
    for path in src.rglob("*"):
        if path.is_file() and path.suffix in {".csv", ".json", ".md"}:
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def setup(app):
    app.connect("config-inited", _static)
    app.connect("html-page-context", _page)
    app.connect("build-finished", _copy_data)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
