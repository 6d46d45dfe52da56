"""Sphinx extension: serve the book's scripts and data from the site itself.

* Vega and Vega-Embed (vendored in static/coopbook) and the
  book's own script are added only to pages that draw a chart or a table.
* The processed tables in data/ are copied to <site>/data/ so that charts can
  load them by URL, and readers can download them.
* Pages get no script that reaches another host (see tests/test_site.py).
* One setting, `repository: url:` in _config.yml, turns on the repository, Binder and
  Colab buttons of every chapter; they and the download button offer the chapter's
  reader notebook (notebooks/, see coopbook.reader_notebooks), which the site also
  carries. Without it those buttons stay hidden and the landing page says how to run
  the book locally (the `run_book` substitution).
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError

from coopbook.site import protocol
from coopbook.site.protocol import SOURCE_KINDS, VERDICTS
from coopbook.site.student import strip_solutions

HERE = Path(__file__).parent
BINDER = "https://mybinder.org"
COLAB = "https://colab.research.google.com"
# Charts arrive compiled to Vega (coopbook.viz.render), so Vega-Lite is not needed in pages.
VENDOR = ("vega.min.js", "vega-embed.min.js")


def _static(app, config):
    config.html_static_path.append(str(HERE / "static"))
    config.templates_path.insert(0, str(HERE / "templates"))


def _launch(app, config):
    """Repository, Binder and Colab buttons on, all together, when the repository is set."""
    opts = config.html_theme_options
    # Jupyter Book maps `repository:` into html_theme_options, but the book's own
    # `sphinx: config: html_theme_options` replaces that dict: read the setting itself.
    import yaml

    repo = yaml.safe_load((Path(app.srcdir) / "_config.yml").read_text()).get("repository") or {}
    url = (opts.get("repository_url") or repo.get("url") or "").strip().rstrip("/")
    if url:
        opts.update(repository_url=url, repository_branch=repo.get("branch") or "main",
                    path_to_docs=repo.get("path_to_book") or "")
    buttons = dict(opts.get("launch_buttons") or {})
    buttons.update(binderhub_url=BINDER if url else "", colab_url=COLAB if url else "",
                   notebook_interface="jupyterlab")
    opts["launch_buttons"] = buttons
    opts["use_repository_button"] = bool(url)
    if url:
        branch = opts.get("repository_branch") or "main"
        slug = re.sub(r"^https?://github\.com/", "", url)
        run = (f"**Run the chapters:** [on Binder]({BINDER}/v2/gh/{slug}/{branch}?urlpath="
               f"lab/tree/notebooks/01_history.ipynb), [on Colab]({COLAB}/github/{slug}/blob/"
               f"{branch}/notebooks/01_history.ipynb), or from [the repository]({url}) on "
               "your computer with `make lab`.")
    else:
        run = ("**Run the chapters** on your computer: get the book's repository, then "
               "`make lab` opens them in JupyterLab (see its README).")
    config.myst_substitutions = {**(config.myst_substitutions or {}), "run_book": run}


def _solution_docs(app) -> set[str]:
    """The pages whose source holds a {solution} (their copy in _sources would show it);
    each source is read once per build."""
    if getattr(app, "coop_solution_docs", None) is None:
        app.coop_solution_docs = {
            doc for doc in app.env.found_docs
            if (path := Path(app.env.doc2path(doc))).is_file()
            and "{solution}" in path.read_text(encoding="utf-8")}
    return app.coop_solution_docs


def _buttons(items):
    """Every header button (a dropdown's buttons too), with the list that holds it."""
    for item in list(items):
        if isinstance(item, list):
            yield from _buttons(item)
        elif isinstance(item, dict):
            yield items, item
            yield from _buttons(item.get("buttons", []))


def _reader_buttons(app, pagename, templatename, context, doctree):
    """Launch and download buttons of a chapter point at its reader notebook. In the student
    edition a page whose source holds solutions offers no download of that source."""
    header = context.get("header_buttons", [])
    m = re.fullmatch(r"chapters/(\w+)", pagename)
    if m and (Path(app.srcdir) / "notebooks" / f"{m.group(1)}.ipynb").is_file():
        source, reader = f"chapters/{m.group(1)}.ipynb", f"notebooks/{m.group(1)}.ipynb"
        site_copy = context["pathto"](reader, 1)
        for _, button in _buttons(header):
            url = button.get("url")
            if isinstance(url, str) and source in url:
                button["url"] = site_copy if "_sources" in url else url.replace(source, reader)
    if app.config.coop_edition == "student" and pagename in _solution_docs(app):
        for holder, button in list(_buttons(header)):
            if "_sources" in str(button.get("url", "")):
                holder.remove(button)


def _page(app, pagename, templatename, context, doctree):
    body = context.get("body", "")
    # docutils marks a bibliography as role="list" whose items are role="doc-biblioentry",
    # which axe reports as a critical ARIA error; the entries need no list role.
    if 'role="list" class="citation-list"' in body:
        body = body.replace('<div role="list" class="citation-list">', '<div class="citation-list">')
        context["body"] = body
    if pagename.startswith("teaching/"):
        context["body"] = body = card_tables(body)
        if pagename.startswith("teaching/handouts/") and pagename != "teaching/handouts/index":
            context["body"] = body = f'<div class="{protocol.HANDOUT_PAGE}">{body}</div>'
    if pagename.startswith(("chapters/", "places/")) and pagename != "places/index":
        context["body"] = body = _with_reference_list(body, _kinds_by_anchor(app),
                                                      _short_entries(app))
    if "bibtex-citation" in body:
        context["body"] = body = group_citations(body)
    if 'role="doc-biblioentry"' in body and pagename == "bibliography":
        context["body"] = body = kind_badges(body, _kinds_by_anchor(app))
    if protocol.TABLE_DATA in body:
        context["body"] = body = table_citations(body, _works(app),
                                                 context["pathto"]("bibliography"))
        context["body"] = body = lazy_tables(
            body, lambda name: context["pathto"](f"{protocol.TABLES_DIR}/{name}", 1),
            Path(app.outdir) / protocol.TABLES_DIR)
    app.add_css_file("coopbook/coopbook.css")
    if protocol.CHART in body:
        for name in VENDOR:
            app.add_js_file(f"coopbook/{name}")
    if protocol.CHART in body or protocol.TABLE in body or protocol.CITE_GROUP in body:
        app.add_js_file("coopbook/coopbook.js")
    if 'id="coop-finder"' in body:
        app.add_js_file("coopbook/finder.js")
    # Jupyter Book always loads sphinx-thebe, which declares THEBE_JS_URL twice (a page
    # error) and points at another host. The book has no live-code buttons: drop it.
    context["script_files"][:] = [
        js for js in context["script_files"]
        if "thebe" not in (js.filename or "") and "THEBE" not in js.attributes.get("body", "")
    ]
    context["css_files"][:] = [css for css in context["css_files"]
                               if "thebe" not in (css.filename or "")]


def _unbrace(text: str) -> str:
    """BibTeX text read as text: braces dropped, escapes ("Fenwick \\& West") read."""
    return re.sub(r"\\(.)", r"\1", text.replace("{", "").replace("}", ""))


def _author_year(entry) -> str:
    """The label a citation shows in the text (author_year style): "Agarwal, 2021",
    "Smith and Jones, 2019", "Lee et al., 2020"; an author in braces is a body
    ("U.S. Supreme Court")."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_unbrace(" ".join(p.last_names)) for p in people]
    if not names:
        names = [entry.fields.get("organization") or entry.fields.get("howpublished") or "n.a."]
    who = (names[0] if len(names) == 1 else f"{names[0]} and {names[1]}" if len(names) == 2
           else f"{names[0]} et al.")
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


def _works(app) -> dict[str, tuple[str, str]]:
    """Every work of the bibliography: key -> (its anchor on the bibliography page, its label
    in the text)."""
    cached = getattr(app.env, "coop_works", None)
    if cached is None:
        cached = {cit.key: (cit.citation_id, _author_year(cit.entry))
                  for cit in app.env.get_domain("cite").citations}
        app.env.coop_works = cached
    return cached


KINDS_FILE = "bib/source_kinds.csv"


def source_kinds(path: Path, keys) -> dict[str, str]:
    """bib/source_kinds.csv read and checked against the bibliography's keys: key -> kind.
    A missing, repeated or unknown key, or an unknown kind, stops the build with the file
    and line."""
    kinds: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as f:
        rows = csv.DictReader(f)
        if rows.fieldnames != ["key", "kind", "basis"]:
            raise ExtensionError(f"{path}: line 1: columns must be key,kind,basis, "
                                 f"not {','.join(rows.fieldnames or [])}")
        for line, row in enumerate(rows, start=2):
            key, kind = row["key"], row["kind"]
            where = f"{path}: line {line}, key {key!r}"
            if kind not in SOURCE_KINDS:
                raise ExtensionError(f"{where}: kind {kind!r} is not one of "
                                     f"{', '.join(SOURCE_KINDS)}")
            if key in kinds:
                raise ExtensionError(f"{where}: the key is listed twice")
            if key not in keys:
                raise ExtensionError(f"{where}: no bibliography entry has this key")
            if not (row["basis"] or "").strip():
                raise ExtensionError(f"{where}: the basis column is empty")
            kinds[key] = kind
    missing = sorted(set(keys) - set(kinds))
    if missing:
        raise ExtensionError(f"{path}: no kind for {len(missing)} bibliography "
                             f"entr{'y' if len(missing) == 1 else 'ies'}: {', '.join(missing)}")
    return kinds


def _kinds_by_anchor(app) -> dict[str, str]:
    """The bibliography page's anchor of each work -> its kind."""
    cached = getattr(app.env, "coop_kinds", None)
    if cached is None:
        works = _works(app)
        kinds = source_kinds(Path(app.srcdir) / KINDS_FILE, works)
        cached = {works[key][0]: kind for key, kind in kinds.items()}
        app.env.coop_kinds = cached
    return cached


def _kind_badge(kind: str) -> str:
    """The kind's word in a small box (the key above the bibliography says what each
    covers; repeating that on all 400-odd entries would add tens of kilobytes)."""
    return f'<span class="{protocol.SOURCE_KIND}">{SOURCE_KINDS[kind][0]}</span>'


BIB_ENTRY = re.compile(r'(<div class="citation" id="(?P<id>[^"]+)" role="doc-biblioentry">\s*'
                       r'<span class="label">.*?</span>\s*<p>)', re.DOTALL)


def kind_badges(body: str, kinds: dict[str, str]) -> str:
    """The bibliography page: each entry starts with its kind, and a key above the list
    says what each kind covers."""
    body = BIB_ENTRY.sub(lambda m: m.group(1) + _kind_badge(kinds[m["id"]]) + " "
                         if m["id"] in kinds else m.group(1), body)
    key = "".join(f"<li>{_kind_badge(k)} {html.escape(meaning)}</li>"
                  for k, (_, meaning) in SOURCE_KINDS.items())
    legend = (f'<div class="{protocol.SOURCE_KIND}-key"><p>Each entry starts with the kind of '
              f"source it is, by the same rule for every side of the debate:</p><ul>{key}</ul></div>")
    return body.replace('<div class="citation-list">', legend + '<div class="citation-list">', 1)


# The columns of a searchable table that hold citation keys ("DOJ2025la;LATimes2026la").
SOURCE_COLUMN = re.compile(r"sources?", re.IGNORECASE)


def table_citations(body: str, works: dict, bibliography: str) -> str:
    """A searchable table's source column names works by their citation keys: the table's
    JSON gets, per such column, each key's link to the bibliography and its label
    ("cites"), which the site's script shows as links. A key that is not in the
    bibliography is a build error naming it (a typo would otherwise be a dead link)."""

    def add(m: re.Match) -> str:
        data = json.loads(m.group(2))
        cols = [i for i, c in enumerate(data["columns"]) if SOURCE_COLUMN.fullmatch(c)]
        if not cols:
            return m.group(0)
        dicts = data.get("dicts") or {}
        cites = {}
        for i in cols:
            values = dicts.get(str(i)) or [row[i] for row in data["rows"]]
            keys = sorted({k for v in values for k in re.split(r"[;,]\s*", str(v)) if k})
            unknown = [k for k in keys if k not in works]
            if unknown:
                raise ValueError(f"table {data['columns']!r}, column {data['columns'][i]!r}: "
                                 f"no work in the bibliography has the key(s) {unknown}")
            cites[str(i)] = {k: [f"{bibliography}#{works[k][0]}", works[k][1]] for k in keys}
        data["cites"] = cites
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
        return m.group(1) + text + m.group(3)

    return TABLE_DATA.sub(add, body)


TABLE_DATA = re.compile(f'(<script type="application/json" class="{protocol.TABLE_DATA}">)'
                        r"(.*?)(</script>)", re.DOTALL)


def lazy_tables(body: str, url, folder: Path) -> str:
    """A searchable table longer than one page keeps only its first rows in the page; all
    its rows go to folder/<hash>.json (`url(name)` is that file's address from the page),
    which the site's script fetches when the reader first searches, sorts or pages."""

    def split(m: re.Match) -> str:
        data = json.loads(m.group(2))  # "<\\/" in it is JSON's escaped "/"
        if len(data["rows"]) <= protocol.TABLE_PAGE:
            return m.group(0)
        cites = data.pop("cites", None)  # the page keeps them: the rows file needs none
        payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        name = hashlib.sha256(payload.encode()).hexdigest()[:16] + ".json"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        if not target.is_file():
            target.write_text(payload, encoding="utf-8")
        dicts = data.get("dicts") or {}
        first = [[dicts[str(i)][v] if str(i) in dicts else v for i, v in enumerate(row)]
                 for row in data["rows"][:protocol.TABLE_PAGE]]
        head = {"columns": data["columns"], "rows": first, "unit": data["unit"],
                "total": len(data["rows"]), "src": url(name)}
        if cites:
            head["cites"] = cites
        text = json.dumps(head, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
        return m.group(1) + text + m.group(3)

    return TABLE_DATA.sub(split, body)


# The theme's sidebar folds a page's sub-pages under a <summary> that holds only a chevron
# icon, which has no accessible name (axe-core: summary-name). Name it after its page.
def name_toggles(soup) -> None:
    """Give each wordless sidebar fold's <summary> the words "Pages in <its page>" (hidden
    on screen, read by screen readers). `soup` is the theme's BeautifulSoup of the nav."""
    for summary in soup.select("li > details > summary"):
        if summary.get_text(strip=True):
            continue  # a part caption, or named already (the theme caches its soup)
        link = summary.parent.parent.find("a", recursive=False)
        span = soup.new_tag("span", attrs={"class": "visually-hidden"})
        span.string = f"Pages in {link.get_text(' ', strip=True) if link else 'this part'}"
        summary.insert(0, span)


def _sidebar(app, pagename, templatename, context, doctree):
    toctree = context.get("generate_toctree_html")
    if toctree is None or getattr(toctree, "coop_named", False):
        return

    def named(*args, **kwargs):
        out = toctree(*args, **kwargs)
        if hasattr(out, "select"):
            name_toggles(out)
        return out

    named.coop_named = True
    context["generate_toctree_html"] = named


CITATION = re.compile(r'<a class="reference internal" href="(?P<href>[^"]*bibliography\.html#[^"]+)"'
                      r' title="[^"]*">(?P<label>[^<]*)</a>')


TABLE_BLOCK = re.compile(r"<table\b[^>]*>.*?</table>", re.DOTALL)
ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.DOTALL)


def card_tables(body: str) -> str:
    """A teaching page's tables (lesson plans, rubrics, keys) become cards on a phone, as
    the chapters' static tables do: each cell is labelled with its column's heading
    (data-label), and the stylesheet stacks the cells under 600 px. Paper prints them
    whole, as tables."""
    def cards(m: re.Match) -> str:
        table = m.group(0)
        head = re.search(r"<thead>(.*?)</thead>", table, re.DOTALL)
        if not head:
            return table
        labels = [html.escape(html.unescape(re.sub(r"<[^>]+>", "", h)).strip(), quote=True)
                  for h in re.findall(r"<th\b[^>]*>(.*?)</th>", head.group(1), re.DOTALL)]

        def row(r: re.Match) -> str:
            cells = iter(labels)
            return re.sub(r"<td\b", lambda _: f'<td data-label="{next(cells, "")}"', r.group(0))

        table = table[:head.end()] + ROW.sub(row, table[head.end():])
        opening = table[:table.index(">") + 1]
        if 'class="' in opening:
            opening = opening.replace('class="', f'class="{protocol.CARD_TABLE} ', 1)
        else:
            opening = opening.replace("<table", f'<table class="{protocol.CARD_TABLE}"', 1)
        return opening + table[table.index(">") + 1:]

    return TABLE_BLOCK.sub(cards, body)


def _plain(text: str) -> str:
    """A BibTeX field as text: as `_unbrace`, with TeX's quotes and dashes set."""
    return _unbrace(text).replace("``", "\u201c").replace("''", "\u201d").replace("--", "\u2013")


def short_entry(entry) -> str:
    """A work as a chapter's printed list gives it: title, where, when and the address. The
    bibliography page keeps the full entry, with the book's notes on what was read."""
    f = entry.fields
    where = f.get("journal") or f.get("howpublished") or f.get("publisher") or ""
    when = " ".join(x for x in (f.get("month", ""), f.get("year", "")) if x)
    parts = [_plain(f.get("title", "")), _plain(where), when]
    text = ". ".join(p.rstrip(".") for p in parts if p) + "."
    return text + (f" {f['url']}" if f.get("url") else "")


def _short_entries(app) -> dict[str, str]:
    """The bibliography page's anchor of each work -> its short entry."""
    cached = getattr(app.env, "coop_short", None)
    if cached is None:
        cached = {cit.citation_id: short_entry(cit.entry)
                  for cit in app.env.get_domain("cite").citations}
        app.env.coop_short = cached
    return cached


def _with_reference_list(body: str, kinds: dict[str, str], short: dict[str, str]) -> str:
    """Append the works a chapter cites, in order of first citation, so that its citations
    still work on paper (the bibliography page holds every work of the book)."""
    seen: dict[str, str] = {}
    for m in CITATION.finditer(body):
        seen.setdefault(m["href"], html.unescape(m["label"]))
    if not seen:
        return body
    items = []
    for href, label in seen.items():
        anchor = href.rsplit("#", 1)[-1]
        badge = _kind_badge(kinds[anchor]) + " " if anchor in kinds else ""
        items.append(f'<li>{badge}<a href="{href}">{html.escape(label)}</a>: '
                     f"{html.escape(short.get(anchor, ''))}</li>")
    refs = protocol.CHAPTER_REFS
    return body + (f'<section class="{refs}" aria-labelledby="{refs}">'
                   f'<h2 id="{refs}">Works cited in this chapter</h2>'
                   f"<ol>{''.join(items)}</ol></section>")


CITATION_GROUP = re.compile(r'(<span class="bibtex-citation)(" id="[^"]+">\[)(.*?)(\]</span>)',
                            re.DOTALL)


def group_citations(body: str) -> str:
    """A citation of several works ("[A, 2020, B, 2021, C, 2022]") keeps its first work in
    view and folds the others behind a "+2" button (the site's script adds the button and
    does the folding, so without the script, and on paper, every work shows)."""

    def fold(m: re.Match) -> str:
        links = re.findall(r'<a class="reference internal".*?</a>', m.group(3), re.DOTALL)
        sep = "; " if "; ".join(links) == m.group(3) else ", "
        if len(links) < 2 or sep.join(links) != m.group(3):
            return m.group(0)  # not a plain list of works: left as it is
        rest = "".join(sep + a for a in links[1:])
        return (f'{m.group(1)} {protocol.CITE_GROUP}{m.group(2)}{links[0]}'
                f'<span class="{protocol.CITE_REST}">{rest}</span>{m.group(4)}')

    return CITATION_GROUP.sub(fold, body)


def _copy_data(app, exception):
    if exception or app.builder.format != "html":
        return
    student = app.config.coop_edition == "student"
    for path in sorted((Path(app.srcdir) / "notebooks").glob("*.ipynb")):
        (Path(app.outdir) / "notebooks").mkdir(exist_ok=True)
        target = Path(app.outdir) / "notebooks" / path.name
        if student:  # the student edition's notebooks have no solutions either
            target.write_text(strip_solutions(path.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            shutil.copy2(path, target)
    if student:  # no source that holds solutions stays in _sources (none is linked either)
        for docname in sorted(_solution_docs(app)):
            for copy in (Path(app.outdir) / "_sources").glob(f"{docname}.*"):
                copy.unlink()
    src = Path(app.srcdir) / "data"
    dest = Path(app.outdir) / "data"
    for path in src.rglob("*"):
        if path.is_file() and path.suffix in {".csv", ".json", ".md"}:
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


# A "Check the claim" verdict, shown as a badge in the box's title (coopbook.site.protocol).
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


def _edition_tag(app, config) -> None:
    # A page says what only one edition has with ```{only} student``` / ```{only} not student```.
    if config.coop_edition == "student":
        app.tags.add("student")


def setup(app):
    from . import handouts, places

    places.setup(app)
    handouts.setup(app)
    app.add_role("verdict", verdict_role)
    # "student" in the student edition (coopbook.site.student), else "book".
    app.add_config_value("coop_edition", "book", "html")
    app.connect("config-inited", _edition_tag)
    app.connect("config-inited", _static)
    app.connect("config-inited", _launch)
    app.connect("html-page-context", _page)
    app.connect("html-page-context", _reader_buttons, priority=502)
    app.connect("html-page-context", _sidebar, priority=900)
    app.connect("build-finished", _copy_data)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
