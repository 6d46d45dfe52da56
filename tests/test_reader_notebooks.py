"""The reader notebooks (notebooks/): generated from the chapters, fresh, and plain Markdown
that any Jupyter shows as the book does, with every glued number in its place."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from myst_nb.core.variables import format_plain_text as myst_format

from coopbook import paths, reader
from coopbook import reader_notebooks as rn

ROOT = paths.ROOT
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
GLUE = re.compile(r"\{glue:text\}`([^`]+)`")
ANY_ROLE = re.compile(r"\{[a-z][a-z0-9:-]*\}`")
MD = MarkdownIt("commonmark").enable("table")


@pytest.fixture(scope="module")
def fresh() -> dict[str, str]:
    return rn.generate()


def _cells(path: Path, kind: str | None = None) -> list[dict]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [c for c in cells if kind is None or c["cell_type"] == kind]


def _source(cell: dict) -> str:
    return reader._source(cell)


def _rendered(name: str) -> str:
    """A reader notebook's Markdown cells rendered to HTML, as one page."""
    return "\n".join(MD.render(_source(c)) for c in _cells(ROOT / "notebooks" / name, "markdown"))


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text)))


def test_every_chapter_has_a_committed_reader_notebook_and_none_is_stale(fresh):
    folder = ROOT / "notebooks"
    assert sorted(fresh) == [p.name for p in CHAPTERS]
    stale = [n for n, text in fresh.items()
             if not (folder / n).is_file() or (folder / n).read_text(encoding="utf-8") != text]
    extra = sorted({p.name for p in folder.glob("*.ipynb")} - set(fresh))
    assert not stale and not extra, (
        f"stale reader notebooks {stale}, no chapter for {extra}: run `make notebooks`")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_reader_markdown_renders_with_no_myst_syntax_left(chapter):
    page = _rendered(chapter.name)
    text = _words(page)
    left = sorted(set(ANY_ROLE.findall(page)) | set(ANY_ROLE.findall(text)))
    assert not left, f"{chapter.stem}: MyST roles left: {left}"
    assert "language-{" not in page, f"{chapter.stem}: a MyST directive shows as a code block"
    assert not re.search(r"```\{|:::\{", text), f"{chapter.stem}: a directive fence is left"
    options = re.findall(r"^:(?:class|label|name):.*$", "\n".join(
        _source(c) for c in _cells(ROOT / "notebooks" / chapter.name, "markdown")), re.MULTILINE)
    assert not options, f"{chapter.stem}: directive options left: {options[:3]}"
    assert not re.search(r"^\([a-z0-9-]+\)=\s*$", page, re.MULTILINE), f"{chapter.stem}: a label line"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_glued_value_is_in_the_reader_text_where_the_chapter_glues_it(chapter):
    nb = json.loads(chapter.read_text(encoding="utf-8"))
    values = rn.glued_values(nb)
    text = _words(_rendered(chapter.name))
    markdown = "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    uses = list(GLUE.finditer(markdown))
    assert uses or not values, f"{chapter.stem}: glues values but the text uses none"
    for m in uses:
        key, _, fmt = m.group(1).rpartition(":")
        key, fmt = (key, fmt) if key else (m.group(1), "s")
        want = myst_format(values[key], fmt)  # myst-nb's own formatting is the reference
        # Up to three plain words just before the role, on its line, must precede the value.
        line = markdown[:m.start()].rsplit("\n", 1)[-1]
        words = re.search(r"((?:[A-Za-z]+ ){0,3})$", line).group(1)
        assert (words + want) in text, (
            f"{chapter.stem}: {m.group(0)} should read {words + want!r} in the reader notebook")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_admonitions_keep_their_titles_and_solutions_fold(chapter):
    markdown = "\n".join(_source(c) for c in _cells(chapter, "markdown"))
    page = _rendered(chapter.name)
    for title in re.findall(r"^`{3,}\{admonition\}\s*(.+)$", markdown, re.MULTILINE):
        if "{" in title:
            continue
        assert f"<blockquote>\n<p><strong>{html.escape(title)}</strong></p>" in page, (
            f"{chapter.stem}: admonition {title!r} lost its title")
    n_solutions = len(re.findall(r"^`{3,}\{solution\}", markdown, re.MULTILINE))
    assert page.count("<details>") == n_solutions
    assert page.count("<summary>Solution to exercise") == n_solutions


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_each_exercise_is_followed_by_a_starter_code_cell(chapter):
    cells = _cells(ROOT / "notebooks" / chapter.name)
    n_exercises = len(re.findall(r"^`{3,}\{exercise\}", "\n".join(
        _source(c) for c in _cells(chapter, "markdown")), re.MULTILINE))
    starters = 0
    for i, cell in enumerate(cells):
        heads = re.findall(r"^### Exercise (\d+)", _source(cell), re.MULTILINE)
        if cell["cell_type"] == "markdown" and heads:
            nxt = cells[i + 1]
            assert nxt["cell_type"] == "code", f"{chapter.stem}: exercise {heads[-1]}"
            assert _source(nxt).startswith(f"# Exercise {heads[-1]}: your code here")
            starters += 1
    assert starters == n_exercises > 0


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_citations_read_author_year_and_the_references_list_them(chapter):
    markdown = "\n".join(_source(c) for c in _cells(chapter, "markdown"))
    keys = {k.strip() for group in re.findall(r"\{cite(?::[a-z]+)?\}`([^`]+)`", markdown)
            for k in group.split(",")}
    bib = rn.bibliography(ROOT)
    cells = _cells(ROOT / "notebooks" / chapter.name, "markdown")
    refs = [_source(c) for c in cells if _source(c).startswith("## References")]
    assert len(refs) == 1, f"{chapter.stem}: {len(refs)} reference lists"
    body = _words("\n".join(MD.render(_source(c)) for c in cells))
    for key in keys:
        assert f"{bib[key].authors}, {bib[key].year}" in body or \
            f"{bib[key].authors} ({bib[key].year})" in body, f"{chapter.stem}: {key}"
        assert f"- {bib[key].text}" in refs[0], f"{chapter.stem}: {key} not in the references"
    assert refs[0].count("\n- ") == len(keys), f"{chapter.stem}: references list uncited entries"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_the_first_cell_is_the_one_setup_cell_and_no_hidden_setup_is_left(chapter):
    cells = _cells(ROOT / "notebooks" / chapter.name)
    first = _source(cells[0])
    assert cells[0]["cell_type"] == "code" and cells[0]["metadata"].get("tags") == ["setup"]
    assert "COOPBOOK_REPO" in first and f"reader.prepare({chapter.stem!r}, globals())" in first
    assert f"REPO_URL = {rn.repository_url()!r}" in first
    assert len(first.splitlines()) <= 25, "the setup cell should stay short"
    code = "\n".join(_source(c) for c in cells[1:] if c["cell_type"] == "code")
    assert "glue(" not in code and "myst_nb" not in code
    setup = reader.setup_cells(chapter.stem)
    assert setup and all(s not in code for s in setup)


def _ctx(**kw) -> rn.Context:
    base = {"root": ROOT, "chapter": "99_test", "glued": {"n": "1381", "when": "'May 2026'"},
            "bib": rn.bibliography(ROOT), "terms": rn.glossary(ROOT), "labels": rn.labels(ROOT)}
    return rn.Context(**{**base, **kw})


def test_conversion_of_each_kind_of_myst_markup():
    ctx = _ctx()
    text = ("{glue:text}`n:,d` agreements in {glue:text}`when` ({term}`agreements <Agreement>`),"
            " see {ref}`ch-287g`.\n\n```{admonition} A box\n:class: tip\nInside.\n```\n\n"
            "```{exercise}\n:label: ex-a\n\nDo it.\n```\n\n````{solution} ex-a\n:class: "
            "dropdown\n\n```python\nx = {'a': 1}\n```\n````\n")
    pieces = rn.convert(text, ctx)
    assert [p.kind for p in pieces] == ["md", "exercise", "md"]
    assert pieces[0].text.startswith("1,381 agreements in May 2026 (agreements), see "
                                      "[The 287(g) landscape](04_287g_landscape.ipynb).")
    assert "> **A box**\n>\n> Inside." in pieces[0].text and "### Exercise 1" in pieces[0].text
    assert pieces[2].text.startswith("<details>\n<summary>Solution to exercise 1</summary>")
    assert "x = {'a': 1}" in pieces[2].text


@pytest.mark.parametrize(("text", "message"), [
    ("{glue:text}`nope`", "99_test.ipynb: {glue:text}`nope` names no glued value"),
    ("{cite}`NoSuchKey2099`", "citation key 'NoSuchKey2099' is not in the bibliography"),
    ("{term}`Unicorn`", "{term}`Unicorn` is not in glossary.md"),
    ("{numref}`fig-x`", "the role {numref} has no plain-Markdown form yet"),
    ("```{figure} x.png\n```", "the directive {figure} has no plain-Markdown form yet"),
    ("```{admonition} Open\nnever closed",
     "the {admonition} directive on '```{admonition} Open' is never closed"),
])
def test_what_cannot_be_converted_stops_the_generator_with_its_name(text, message):
    with pytest.raises(rn.ReaderError, match=re.escape(message)):
        rn.convert(text, _ctx())


def test_a_setup_cell_that_reads_a_visible_cells_name_is_refused():
    nb = {"cells": [
        {"cell_type": "code", "metadata": {}, "source": "months = [1, 2]\nmonths"},
        {"cell_type": "code", "metadata": {"tags": ["remove-cell"]},
         "source": "glue('n', len(months), display=False)"},
    ]}
    with pytest.raises(rn.ReaderError, match=r"cell 1: this hidden setup cell reads months"):
        rn._check_hoisting(nb, "99_test")


def test_myst_nb_and_the_reader_format_glued_text_alike():
    for text, fmt in [("1381", ",d"), ("43.4", ""), ("'May 18, 2026'", ""), ("63", ",d"),
                      ("0.5", ".1%"), ("'TX'", "s")]:
        assert rn.format_plain_text(text, fmt) == myst_format(text, fmt)


def test_exercises_are_numbered_before_conversion_so_a_ref_may_point_ahead():
    cells = ["See {ref}`ex-b` below.\n", "```{exercise}\n:label: ex-a\n\nOne.\n```\n",
             ("::::{exercise} A title\n:class: x\n:label: ex-b\n\nTwo.\n::::\n"
              "```{exercise}\n\nThree, unlabelled.\n```\n")]
    assert rn.exercise_numbers(cells) == {"ex-a": 1, "ex-b": 2, "exercise-3": 3}
