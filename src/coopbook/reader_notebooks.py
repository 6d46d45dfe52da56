"""Write the reader notebooks (notebooks/*.ipynb) from the chapter sources.

A chapter notebook is written for the book's build: MyST roles and directives, glued
numbers, hidden setup cells, outputs for the static site. A reader notebook is the same
chapter for JupyterLab, VS Code, Colab and Binder:

* every `{glue:text}` is replaced by its value, formatted as myst-nb formats it;
* admonitions become blockquotes with their title in bold, exercises get a heading and a
  starter code cell, solutions fold into a <details> block, citations read
  "(Author, year)" with a reference list at the end, glossary terms and cross-references
  become plain text or links;
* the hidden setup cells collapse into one short first cell (it runs them from the
  chapter itself, see coopbook.reader), which also fetches the book where it is missing;
* charts keep a picture of themselves (SVG, drawn with vl-convert from the stored Vega)
  and tables their first rows, so that the notebook reads well before it is run.

Run `make notebooks` (python -m coopbook.reader_notebooks) after changing a chapter;
`--check` only reports which reader notebooks are stale. Building-only: this needs
PyYAML, pybtex and vl-convert, which a reader's notebook does not.
"""

from __future__ import annotations

import argparse
import ast
import html
import json
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import paths, reader
from .site.protocol import VERDICTS

OUT_DIR = "notebooks"
ROLE = re.compile(r"\{([a-z][a-z0-9:-]*)\}`([^`]*)`")
DIRECTIVE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z][a-z0-9:-]*)\}\s*(?P<arg>.*)$")
FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})")
OPTION = re.compile(r"^:([a-z][a-z0-9_-]*):\s*(.*)$")
LABEL = re.compile(r"^\(([^()\s]+)\)=\s*$")
TITLED = {"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning",
          "caution": "Caution", "attention": "Attention", "danger": "Danger", "error": "Error",
          "hint": "Hint", "seealso": "See also"}


class ReaderError(ValueError):
    """A chapter uses something the reader notebooks cannot express; the message names it."""


# --------------------------------------------------------------------------- the book's facts


def _config(root: Path) -> dict:
    import yaml

    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def repository_url(root: Path | None = None) -> str:
    """The book's repository as _config.yml sets it (repository: url:), or ''."""
    return ((_config(root or paths.ROOT).get("repository") or {}).get("url") or "").strip()


def _strip_tex(text: str) -> str:
    """BibTeX text as plain Unicode: accents and dashes decoded, braces dropped."""
    import codecs

    import latexcodec  # noqa: F401  (registers the "ulatex" codec; pybtex depends on it)

    text = codecs.decode(text, "ulatex")
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()


@dataclass
class Entry:
    key: str
    authors: str  # as cited: "ICE", "Smith and Jones", "Smith et al."
    year: str
    text: str  # the reference list's line


def _names(entry) -> list[str]:
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = []
    for p in persons:
        last = " ".join(p.prelast_names + p.last_names)
        names.append(_strip_tex(last))
    return names


def bibliography(root: Path) -> dict[str, Entry]:
    """Every entry of the bibliography files _config.yml lists, ready to cite."""
    from pybtex.database import parse_file

    out = {}
    for name in _config(root)["bibtex_bibfiles"]:
        for key, e in parse_file(root / name).entries.items():
            names = _names(e) or [_strip_tex(e.fields.get("publisher", e.fields["title"]))]
            cited = (names[0] if len(names) == 1 else f"{names[0]} and {names[1]}"
                     if len(names) == 2 else f"{names[0]} et al.")
            year = e.fields.get("year", "n.d.")
            where = [_strip_tex(e.fields[f]) for f in ("journal", "howpublished", "publisher")
                     if e.fields.get(f)]
            line = f"{', '.join(names)} ({year}). {_strip_tex(e.fields['title'])}."
            if where:
                line += f" *{where[0]}*."
            if e.fields.get("url"):
                line += f" <{e.fields['url']}>"
            out[key] = Entry(key, cited, year, line)
    return out


def glossary(root: Path) -> dict[str, str]:
    """Glossary terms (glossary.md, a {glossary} directive) and their definitions."""
    text = (root / "glossary.md").read_text(encoding="utf-8")
    m = re.search(r"^```\{glossary\}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    if not m:
        raise ReaderError("glossary.md has no ```{glossary} block")
    terms, current = {}, None
    for line in m.group(1).splitlines():
        if line.startswith(":"):  # the directive's options (":sorted:")
            continue
        if line and not line[0].isspace():
            current = line.strip()
            terms[current] = ""
        elif current and line.strip():
            terms[current] = (terms[current] + " " + line.strip()).strip()
    return terms


def _title_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        text = "\n".join(reader._source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    m = re.search(r"^# (.+)$", text, re.MULTILINE)
    return m.group(1).strip() if m else path.stem


def labels(root: Path) -> dict[str, tuple[str, str]]:
    """Labels ("(ch-287g)=") of the chapters and the kit's notebook pages -> (title, path from the root)."""
    out = {}
    # The chapters, and the notebook pages of the classroom kit (the spreadsheet path),
    # whose sections the chapters' exercises point to.
    for path in sorted((root / "chapters").glob("*.ipynb")) + sorted((root / "teaching").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                for m in re.finditer(r"^\(([^()\s]+)\)=\s*\n#+ (.+)$", reader._source(cell), re.MULTILINE):
                    out[m.group(1)] = (m.group(2).strip(), path.relative_to(root).as_posix())
    return out


# --------------------------------------------------------------------------- glued values


def glued_values(nb: dict) -> dict[str, str]:
    """Values a stored chapter glued: key -> their text/plain."""
    values = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            key = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if key:
                values[key] = out["data"]["application/papermill.record/text/plain"]
    return values


def format_plain_text(text: str, fmt_spec: str) -> str:
    """The text `{glue:text}` shows: what myst-nb's function of the same name returns."""
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if fmt_spec == "":
        return str(value)
    kind = fmt_spec[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, fmt_spec)


# --------------------------------------------------------------------------- markdown


@dataclass
class Context:
    root: Path
    chapter: str  # e.g. "04_287g_landscape"
    glued: dict[str, str]
    bib: dict[str, Entry]
    terms: dict[str, str]
    labels: dict[str, tuple[str, str]]
    url: str = ""
    cited: list[str] = field(default_factory=list)
    used_terms: list[str] = field(default_factory=list)
    exercises: dict[str, int] = field(default_factory=dict)
    # Every exercise's number, counted before the chapter is converted, so that a {ref}
    # may point to an exercise further down.
    numbered: dict[str, int] = field(default_factory=dict)

    def where(self) -> str:
        return f"chapters/{self.chapter}.ipynb"


def _split_target(text: str) -> tuple[str | None, str]:
    m = re.fullmatch(r"(.*?)\s*<([^<>]+)>", text.strip(), re.DOTALL)
    return (m.group(1).strip(), m.group(2).strip()) if m else (None, text.strip())


def _reader_link(repo_path: str) -> str:
    """A link target, from notebooks/, for a file of the repository."""
    if repo_path.startswith("chapters/") and repo_path.endswith(".ipynb"):
        return posixpath.basename(repo_path)
    return "../" + repo_path


def _cite(keys: str, ctx: Context, textual: bool) -> str:
    parts = []
    for key in (k.strip() for k in keys.split(",")):
        if key not in ctx.bib:
            raise ReaderError(f"{ctx.where()}: citation key {key!r} is not in the bibliography")
        if key not in ctx.cited:
            ctx.cited.append(key)
        e = ctx.bib[key]
        parts.append(f"{e.authors} ({e.year})" if textual else f"{e.authors}, {e.year}")
    return ", ".join(parts) if textual else "(" + "; ".join(parts) + ")"


def glue_text(content: str, glued: dict[str, str], where: str) -> str:
    """What `{glue:text}`content`` shows, from a stored chapter's glued values."""
    key, _, fmt = content.rpartition(":")  # as myst-nb reads it: key:format_spec
    if not key:
        key, fmt = content, ""
    if key not in glued:
        raise ReaderError(f"{where}: {{glue:text}}`{content}` names no glued value")
    return format_plain_text(glued[key], fmt)


def _role(name: str, content: str, ctx: Context) -> str:
    if name == "glue:text" or name == "glue":
        return glue_text(content, ctx.glued, ctx.where())
    if name in {"cite", "cite:p", "cite:ps"}:
        return _cite(content, ctx, textual=False)
    if name in {"cite:t", "cite:ts"}:
        return _cite(content, ctx, textual=True)
    if name == "term":
        text, target = _split_target(content)
        term = target
        if term not in ctx.terms and term.lower() not in {t.lower() for t in ctx.terms}:
            raise ReaderError(f"{ctx.where()}: {{term}}`{content}` is not in glossary.md")
        if term not in ctx.used_terms:
            ctx.used_terms.append(term)
        return text or target
    if name == "ref":
        text, target = _split_target(content)
        if target in ctx.numbered:
            return text or f"exercise {ctx.numbered[target]}"
        if target not in ctx.labels:
            raise ReaderError(f"{ctx.where()}: {{ref}}`{content}` names no chapter label")
        title, path = ctx.labels[target]
        if not path.startswith("chapters/"):
            # A page of the web book that is no notebook to run here: named, not linked.
            return f"{text or title} (on the book's page \u201c{_title_of(ctx.root / path)}\u201d)"
        return f"[{text or title}]({_reader_link(path)})"
    if name == "doc":
        text, target = _split_target(content)
        path = posixpath.normpath(posixpath.join("chapters", target))
        if path.startswith("places/"):
            # Written from data/ when the book is built (coopbook.site.places), not stored.
            return f"the web book's *{text or 'Find your place'}* page (`make book` writes it)"
        for suffix in (".md", ".ipynb"):
            if (ctx.root / (path + suffix)).is_file():
                title = text or _title_of(ctx.root / (path + suffix))
                return f"[{title}]({_reader_link(path + suffix)})"
        raise ReaderError(f"{ctx.where()}: {{doc}}`{content}` names no page of the book")
    if name == "verdict":
        key = " ".join(content.lower().split())
        if key not in VERDICTS:
            raise ReaderError(f"{ctx.where()}: {{verdict}}`{content}` is not a verdict")
        icon, words = VERDICTS[key]
        return f"\u2014 verdict: {icon} {words}"
    raise ReaderError(f"{ctx.where()}: the role {{{name}}} has no plain-Markdown form yet")


def _roles(text: str, ctx: Context) -> str:
    """Replace the roles of a run of Markdown lines, leaving inline code alone."""
    out, pos = [], 0
    for m in ROLE.finditer(text):
        out.append(text[pos:m.start()])
        out.append(_role(m.group(1), m.group(2), ctx))
        pos = m.end()
    return "".join(out) + text[pos:]


def _quote(text: str) -> str:
    return "\n".join(("> " + line).rstrip() for line in text.split("\n"))


EXERCISE = re.compile(r"^(?:`{3,}|:{3,})\{exercise\}[^\n]*\n((?:[ \t]*:[\w-]+:[^\n]*\n)*)",
                      re.MULTILINE)


def exercise_numbers(sources) -> dict[str, int]:
    """label -> number of every exercise, in order, as the {exercise} directive numbers
    them (an exercise without a label is "exercise-N")."""
    out: dict[str, int] = {}
    for text in sources:
        for m in EXERCISE.finditer(text):
            n = len(out) + 1
            label = re.search(r":label:\s*(\S+)", m.group(1))
            out[label.group(1) if label else f"exercise-{n}"] = n
    return out


def book_exercise_numbers(root: Path) -> dict[str, int]:
    """label -> number of every exercise of the book, as the built pages number them:
    one count through the chapters in order."""
    sources = []
    for path in sorted((root / "chapters").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        sources += [reader._source(c) for c in nb["cells"] if c["cell_type"] == "markdown"]
    return exercise_numbers(sources)


@dataclass
class Piece:
    """Markdown text, or (kind="exercise") the place for an exercise's starter cell."""

    kind: str
    text: str = ""
    number: int = 0


def _directive(name: str, arg: str, options: dict, body: str, ctx: Context) -> list[Piece]:
    inner = convert(body, ctx)
    text = "".join(p.text for p in inner if p.kind == "md").strip("\n")
    starters = [p for p in inner if p.kind != "md"]
    if starters:
        raise ReaderError(f"{ctx.where()}: an exercise inside a {{{name}}} directive")
    if name == "admonition" or name in TITLED:
        title = _roles(arg, ctx).strip() or TITLED.get(name, "Note")
        return [Piece("md", _quote(f"**{title}**\n\n{text}") + "\n")]
    if name == "exercise":
        label = options.get("label", f"exercise-{len(ctx.exercises) + 1}")
        # The book numbers exercises across its chapters (Exercise 13 is chapter 4's
        # first); a reader notebook shows the same number as the page.
        n = ctx.numbered.get(label, len(ctx.exercises) + 1)
        ctx.exercises[label] = n
        title = f": {_roles(arg, ctx).strip()}" if arg.strip() else ""
        return [Piece("md", f"### Exercise {n}{title}\n\n{text}\n"), Piece("exercise", number=n)]
    if name == "solution":
        label = arg.strip()
        if label not in ctx.exercises:
            raise ReaderError(f"{ctx.where()}: solution for {label!r}, which is no exercise above")
        return [Piece("md", f"<details>\n<summary>Solution to exercise {ctx.exercises[label]}"
                            f"</summary>\n\n{text}\n\n</details>\n")]
    if name == "grid":  # side-by-side cards: one after the other in a notebook
        return [Piece("md", text + "\n")]
    if name == "grid-item-card":
        return [Piece("md", f"**{_roles(arg, ctx).strip()}**\n\n{text}\n")]
    if name == "container":  # a styled block (a chapter's key number): its text as a quote
        return [Piece("md", _quote(text) + "\n")]
    raise ReaderError(f"{ctx.where()}: the directive {{{name}}} has no plain-Markdown form yet")


def convert(text: str, ctx: Context) -> list[Piece]:
    """MyST Markdown -> plain Markdown pieces (CommonMark with tables, HTML and math)."""
    lines = text.split("\n")
    pieces: list[Piece] = []
    plain: list[str] = []

    def flush() -> None:
        if plain:
            pieces.append(Piece("md", _roles("\n".join(plain), ctx) + "\n"))
            plain.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        d = DIRECTIVE.match(line)
        f = FENCE.match(line) if not d else None
        if LABEL.match(line):
            i += 1
            continue
        if d:
            fence = d.group("fence")
            end = i + 1
            closing = re.compile(re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*")
            while end < len(lines) and not closing.fullmatch(lines[end]):
                end += 1
            if end == len(lines):
                raise ReaderError(f"{ctx.where()}: the {{{d.group('name')}}} directive on "
                                  f"{line!r} is never closed")
            body, options = lines[i + 1:end], {}
            while body and OPTION.match(body[0]):
                key, value = OPTION.match(body.pop(0)).groups()
                options[key] = value
            flush()
            pieces += _directive(d.group("name"), d.group("arg"), options, "\n".join(body), ctx)
            i = end + 1
            continue
        if f:  # an ordinary code block: copied as it is, roles and all
            fence = f.group("fence")
            end = i + 1
            while end < len(lines) and not lines[end].strip().startswith(fence):
                end += 1
            flush()
            pieces.append(Piece("md", "\n".join(lines[i:end + 1]) + "\n"))
            i = end + 1
            continue
        plain.append(line)
        i += 1
    flush()
    # Join neighbouring Markdown pieces, one blank line between blocks.
    merged: list[Piece] = []
    for p in pieces:
        if p.kind == "md" and not p.text.strip():
            continue
        if p.kind == "md" and merged and merged[-1].kind == "md":
            merged[-1].text = merged[-1].text.rstrip("\n") + "\n\n" + p.text.strip("\n")
        else:
            merged.append(Piece(p.kind, p.text.strip("\n"), p.number))
    return merged


# --------------------------------------------------------------------------- outputs


def _inline_data(vega: dict, root: Path) -> dict:
    """Data the built page loads by URL (../data/...), put inline for vl-convert."""
    for data in vega.get("data", []):
        url = data.get("url")
        if not url:
            continue
        if not url.startswith("../data/"):
            raise ReaderError(f"a chart loads {url!r}, which is not a file of data/")
        path = root / url[len("../"):]
        text = path.read_text(encoding="utf-8")
        data.pop("url")
        kind = data.get("format", {}).get("type", "json")
        data["values"] = text if kind in {"csv", "tsv", "dsv"} else json.loads(text)
    return vega


def _chart_picture(markup: str, ctx: Context) -> dict:
    import vl_convert

    m = re.search(r'\.push\(\["(coop-chart-[0-9a-f]+)",(.*)\]\);window\.coopDraw', markup, re.DOTALL)
    if not m:
        raise ReaderError(f"{ctx.where()}: a chart output has no Vega spec")
    vega = _inline_data(json.loads(m.group(2).replace("<\\/", "</")), ctx.root)
    return {"image/svg+xml": _stable_ids(vl_convert.vega_to_svg(vega))}


def _stable_ids(svg: str) -> str:
    """Number the SVG's gradient and clip ids from 0 in order of appearance.

    vl-convert counts them across a whole process ("gradient_1" for a second chart), which
    would make a generation depend on what ran before it.
    """
    seen: dict[str, str] = {}

    def renumber(m: re.Match) -> str:
        return seen.setdefault(m.group(0), f"{m.group(1)}{sum(k.startswith(m.group(1)) for k in seen)}")

    return re.sub(r"\b(gradient_|clip|pattern_)(\d+)\b", renumber, svg)


def _table_preview(markup: str, caption: str) -> dict:
    import pandas as pd

    m = re.search(r'<script type="application/json" class="coop-table-data">(.*?)</script>',
                  markup, re.DOTALL)
    data = json.loads(m.group(1).replace("<\\/", "</"))
    dicts = data.get("dicts", {})
    rows = [[dicts[str(i)][v] if str(i) in dicts else v for i, v in enumerate(r)]
            for r in data["rows"]]
    frame = pd.DataFrame(rows, columns=data["columns"])
    shown = frame.head(10).to_html(index=False, border=0, escape=True)
    more = (f"<p><em>The first 10 of {len(frame):,} {html.escape(data['unit'])}. Run the "
            f"notebook to get the whole table as a DataFrame.</em></p>" if len(frame) > 10 else "")
    return {"text/html": shown + more}


def reader_outputs(cell: dict, ctx: Context) -> list[dict]:
    """A visible cell's stored outputs as a reader sees them before running anything."""
    outs = []
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if "application/papermill.record/text/plain" in data:
            continue
        markup = data.get("text/html", "")
        plain = data.get("text/plain", "")
        plain = "".join(plain) if isinstance(plain, list) else plain
        markup = "".join(markup) if isinstance(markup, list) else markup
        if 'class="coop-chart"' in markup:
            new = {**_chart_picture(markup, ctx), "text/plain": plain}
        elif 'class="coop-table"' in markup:
            new = {**_table_preview(markup, plain), "text/plain": plain}
        elif out["output_type"] in {"execute_result", "display_data"}:
            new = {k: v for k, v in data.items()}
        else:
            outs.append(out)
            continue
        outs.append({"output_type": "display_data", "data": new, "metadata": {}})
    return outs


# --------------------------------------------------------------------------- notebooks


def setup_cell_source(chapter: str, url: str) -> str:
    return f'''# Run this cell first. It finds the book's code and data (the checkout named by
# COOPBOOK_REPO, the one this notebook sits in, or a fresh clone of REPO_URL), installs only
# the packages that are missing, and runs the chapter's hidden setup: its imports, data and
# the numbers its text quotes.
import os, subprocess, sys
from pathlib import Path

REPO_URL = {url!r}  # the book's repository, as _config.yml sets it
here = Path.cwd().resolve()
found = [p for p in (here, *here.parents) if (p / "src" / "coopbook").is_dir()]
repo = Path(os.environ.get("COOPBOOK_REPO") or (found[0] if found else here / "coopbook-book"))
if not (repo / "src" / "coopbook").is_dir():
    if not REPO_URL:
        raise RuntimeError("No copy of the book here: clone its repository and open this "
                           "notebook from it, or set COOPBOOK_REPO to a checkout.")
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", REPO_URL, str(repo)], check=True)
if str(repo / "src") not in sys.path:
    sys.path.insert(0, str(repo / "src"))
from coopbook import reader

reader.prepare({chapter!r}, globals())'''


def _cell_id(chapter: str, n: int) -> str:
    return f"{chapter[:2]}-{n:03d}"


def _check_hoisting(nb: dict, chapter: str) -> None:
    """The setup cells run first: none may read a name that an earlier visible cell sets."""
    set_by_visible: set[str] = set()
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse(reader._source(cell))
        stored = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
                  and isinstance(n.ctx, ast.Store)}
        if reader.is_setup_cell(cell):
            read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
                    and isinstance(n.ctx, ast.Load)}
            clash = sorted(read & set_by_visible)
            if clash:
                raise ReaderError(
                    f"chapters/{chapter}.ipynb, cell {i}: this hidden setup cell reads "
                    f"{', '.join(clash)}, set by a visible cell above it; the reader "
                    f"notebook runs setup cells first, so move that code into a setup cell")
        else:
            set_by_visible |= stored


def build(chapter_file: Path, ctx_base: dict) -> dict:
    chapter = chapter_file.stem
    nb = json.loads(chapter_file.read_text(encoding="utf-8"))
    _check_hoisting(nb, chapter)
    ctx = Context(chapter=chapter, glued=glued_values(nb), **ctx_base)
    cells: list[dict] = []

    def md(text: str) -> None:
        cells.append({"cell_type": "markdown", "id": _cell_id(chapter, len(cells)),
                      "metadata": {}, "source": text.strip("\n")})

    def code(source: str, outputs=(), metadata=None) -> None:
        cells.append({"cell_type": "code", "id": _cell_id(chapter, len(cells)),
                      "execution_count": None, "metadata": metadata or {},
                      "outputs": list(outputs), "source": source})

    code(setup_cell_source(chapter, ctx.url), metadata={"tags": ["setup"]})
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for piece in convert(reader._source(cell), ctx):
                if piece.kind == "md":
                    md(piece.text)
                else:
                    code(f"# Exercise {piece.number}: your code here\n")
        elif reader.is_setup_cell(cell):
            continue
        else:
            hidden = "remove-input" in reader._tags(cell)
            meta = {"jupyter": {"source_hidden": True}} if hidden else {}
            code(reader._source(cell), reader_outputs(cell, ctx), meta)
    refs = [ctx.bib[k] for k in ctx.cited]
    if refs:
        refs.sort(key=lambda e: (e.text.lower(), e.key))
        md("## References\n\n" + "\n".join(f"- {e.text}" for e in refs))
    if ctx.used_terms:
        lookup = {t.lower(): (t, d) for t, d in ctx.terms.items()}
        terms = sorted((lookup[t.lower()] for t in ctx.used_terms), key=lambda x: x[0].lower())
        md("## Terms used in this chapter\n\n"
           + "\n".join(f"- **{t}**: {d}" for t, d in terms))
    where = (f"the book's repository ({ctx.url})" if ctx.url
             else "a checkout of the book's repository")
    md(f"*This notebook is generated from `chapters/{chapter}.ipynb` by `make notebooks`; "
       f"its code and data come from {where}. Code MIT, text CC BY 4.0.*")
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def dumps(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def generate(root: Path | None = None) -> dict[str, str]:
    """Every reader notebook, by file name, as the text `make notebooks` writes."""
    root = root or paths.ROOT
    base = {"root": root, "bib": bibliography(root), "terms": glossary(root),
            "labels": labels(root), "url": repository_url(root),
            "numbered": book_exercise_numbers(root)}
    return {chapter.name: dumps(build(chapter, base))
            for chapter in sorted((root / "chapters").glob("*.ipynb"))}


README_START, README_END = "<!-- run-badges: written by make notebooks -->", "<!-- /run-badges -->"


def readme_block(url: str) -> str:
    """The README's lines on running the chapters, with badges when the repository is set."""
    if not url:
        body = ("To run the chapters, clone the repository and run `make lab` (the Binder and "
                "Colab badges appear here once `repository: url:` is set in _config.yml).")
    else:
        slug = re.sub(r"^https?://github\.com/", "", url.rstrip("/"))
        first = "notebooks/01_history.ipynb"
        body = (f"[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/"
                f"{slug}/main?urlpath=lab/tree/{first}) "
                f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
                f"(https://colab.research.google.com/github/{slug}/blob/main/{first})")
    return f"{README_START}\n{body}\n{README_END}"


def readme_text(root: Path, url: str) -> str:
    text = (root / "README.md").read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.DOTALL)
    if not pattern.search(text):
        raise ReaderError(f"README.md has no {README_START} ... {README_END} block")
    return pattern.sub(lambda _: readme_block(url), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only report stale reader notebooks (exit 1 when any is)")
    args = parser.parse_args(argv)
    folder = paths.ROOT / OUT_DIR
    fresh = generate()
    stale = [n for n, text in fresh.items()
             if not (folder / n).is_file() or (folder / n).read_text(encoding="utf-8") != text]
    extra = sorted(p.name for p in folder.glob("*.ipynb") if p.name not in fresh)
    readme = readme_text(paths.ROOT, repository_url())
    readme_stale = readme != (paths.ROOT / "README.md").read_text(encoding="utf-8")
    if args.check:
        for name in stale + extra + (["../README.md"] if readme_stale else []):
            print(f"{OUT_DIR}/{name} is stale: run `make notebooks`")
        return 1 if stale or extra or readme_stale else 0
    if readme_stale:
        (paths.ROOT / "README.md").write_text(readme, encoding="utf-8")
        print("wrote README.md (run badges)")
    folder.mkdir(exist_ok=True)
    for name in stale:
        (folder / name).write_text(fresh[name], encoding="utf-8")
        print(f"wrote {OUT_DIR}/{name}")
    for name in extra:
        (folder / name).unlink()
        print(f"removed {OUT_DIR}/{name} (no such chapter)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
