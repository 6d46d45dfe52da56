"""Sphinx extension: serve the book's scripts and data from the site itself.

* Vega and Vega-Embed (vendored in _ext/static/coopbook) and the
  book's own script are added only to pages that draw a chart or a table.
* The processed tables in data/ are copied to <site>/data/ so that charts can
  load them by URL, and readers can download them.
* Pages get no script that reaches another host (see tests/test_site.py).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from docutils import nodes

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
    if pagename.startswith("chapters/"):
        context["body"] = body = _with_reference_list(body)
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


CITATION = re.compile(r'<a class="reference internal" href="(?P<href>[^"]*bibliography\.html#[^"]+)"'
                      r' title="(?P<title>[^"]*)">(?P<label>[^<]*)</a>')


def _with_reference_list(body: str) -> str:
    """Append the works a chapter cites, in order of first citation, so that its citations
    still work on paper (the bibliography page holds every work of the book)."""
    seen: dict[str, tuple[str, str]] = {}
    for m in CITATION.finditer(body):
        label, title = html.unescape(m["label"]), html.unescape(m["title"])
        # The label already names the author; the full entry (with its access date) is on
        # the bibliography page.
        author = label.rsplit(",", 1)[0]
        title = title.removeprefix(author + ". ")
        title = re.sub(r"\s*Accessed \d{4}-\d{2}-\d{2}\.", "", title)
        seen.setdefault(m["href"], (label, title))
    if not seen:
        return body
    items = "".join(
        f'<li><a href="{href}">{html.escape(label)}</a>: {html.escape(title)}</li>'
        for href, (label, title) in seen.items())
    return body + ('<section class="coop-chapter-refs" aria-labelledby="coop-chapter-refs">'
                   '<h2 id="coop-chapter-refs">Works cited in this chapter</h2>'
                   f"<ol>{items}</ol></section>")


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


# A "Check the claim" verdict, shown as a badge in the box's title: an icon and the words,
# never colour alone. The four verdicts are the house style's (../shared/STYLE.md).
VERDICTS = {
    "holds": ("\u2713", "Holds"),
    "holds narrowly": ("\u2248", "Holds narrowly"),
    "does not hold": ("\u2717", "Does not hold"),
    "cannot be tested": ("?", "Cannot be tested with public data"),
}


def verdict_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    key = " ".join(text.lower().split())
    if key not in VERDICTS:
        msg = inliner.reporter.error(
            f"unknown verdict {text!r}; use one of {', '.join(VERDICTS)}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    icon, words = VERDICTS[key]
    badge = nodes.inline(classes=["coop-verdict", "coop-verdict-" + key.replace(" ", "-")])
    badge += nodes.inline(text=icon, classes=["coop-verdict-icon"])
    badge += nodes.inline(text=" " + words)
    return [badge], []


def setup(app):
    app.add_role("verdict", verdict_role)
    app.connect("config-inited", _static)
    app.connect("html-page-context", _page)
    app.connect("build-finished", _copy_data)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
