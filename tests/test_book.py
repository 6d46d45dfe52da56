"""The book's sources: every citation resolves, every notebook is stored executed,
and the numbers the prose states are the ones the data gives."""

import json
import re
from pathlib import Path

import pytest
from pybtex.database import parse_file

from coopbook import load, paths
from coopbook.analysis import changes as moves
from coopbook.pipeline import compiled

ROOT = paths.ROOT
NOTEBOOKS = (sorted(ROOT.glob("chapters/*.ipynb")) + sorted(ROOT.glob("*.ipynb"))
             + sorted(ROOT.glob("teaching/*.ipynb")))
PAGES = NOTEBOOKS + sorted(ROOT.glob("*.md")) + sorted(ROOT.glob("teaching/**/*.md"))
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def page_text(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text())
        return "\n".join("".join(c["source"]) for c in nb["cells"])
    return path.read_text()


@pytest.mark.parametrize("bib", compiled.bib_files(), ids=lambda p: p.name)
def test_bibliography_parses_and_every_entry_says_where_it_appeared(bib):
    entries = parse_file(bib).entries
    assert len(entries) >= 2
    for key, entry in entries.items():
        assert entry.fields.get("title") and entry.fields.get("year"), key
        assert any(entry.fields.get(f) for f in ("url", "publisher", "journal", "note")), key


def test_every_citation_key_exists():
    keys = compiled.bib_keys()
    cited = {k.strip() for p in PAGES for group in CITE.findall(page_text(p))
             for k in group.split(",")}
    assert cited, "no citations found"
    assert cited <= keys, f"unknown keys: {sorted(cited - keys)}"


def test_the_fact_base_is_never_cited():
    for path in PAGES:
        assert "shared/facts" not in page_text(path), path.name
    for bib in compiled.bib_files():
        assert "shared/facts" not in bib.read_text(), bib.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_stored_executed_without_widget_state(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c.get("execution_count") for c in code), "run `make execute`"
    assert "widgets" not in nb["metadata"], "widget state would show dead controls"


def glued(path: Path) -> dict:
    """Values glued in a stored notebook: key -> text/plain."""
    values = {}
    for cell in json.loads(path.read_text())["cells"]:
        for out in cell.get("outputs", []):
            key = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if key:
                values[key] = out["data"]["application/papermill.record/text/plain"]
    return values


def test_287g_chapter_states_the_figures_the_lists_give():
    values = glued(ROOT / "chapters" / "04_287g_landscape.ipynb")
    assert values["claim_n"] == "1381"
    assert values["base_n"] == str(load.list_before("2025-01-20")["agreements"])
    assert values["new_n"] == str(load.series().iloc[-1]["agreements"])
    assert values["tfg_n"] == "682" and values["tfg_total"] == "1380"
    assert float(values["tfg_pct"]) < 50


def test_every_glued_key_used_in_prose_is_defined():
    for path in NOTEBOOKS:
        text = page_text(path)
        used = {m.split(":")[0] for m in re.findall(r"\{glue:[a-z]*\}`([^`]+)`", text)}
        assert used <= set(glued(path)), f"{path.name}: {sorted(used - set(glued(path)))}"


def test_287g_chapter_glues_the_change_figures_the_history_gives():
    values = glued(ROOT / "chapters" / "04_287g_landscape.ipynb")
    since = moves.between(load.changes(), "2025-01-20")
    assert values["added_since"] == str(since["added"])
    assert values["left_since"] == str(since["removed"])
    assert values["removed_n"] == str(int(load.agreements()["status"].eq("removed").sum()))
    # The claim box's list of September 17, 2025: agreements, and the agencies holding them.
    assert (values["wt_agreements"], values["wt_agencies"]) == ("1000", "837")


def test_what_changed_page_counts_every_change_and_gap():
    values = glued(ROOT / "what_changed.ipynb")
    changes = load.changes()
    assert values["wc_added"] == str(int(changes["change"].eq("added").sum()))
    assert values["wc_removed"] == str(int(changes["change"].eq("removed").sum()))
    assert values["wc_gaps"] == str(len(load.gaps()))
    assert values["wc_ever"] == str(len(load.agreements()))


# A chart-head line that asks the reader to act (tap, click, pick ...) must be marked as a
# hint, which paper leaves out; a line that describes the data must not be.
ASKS = re.compile(r"\b(hover|tap|click|pick|press|drag|use the|move the)\b", re.IGNORECASE)
SUB = re.compile(r'<span class="coop-chart-sub( coop-chart-hint)?">([^<]*)</span>')


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chart_instructions_are_hint_lines_that_name_a_tap_first(path):
    lines = []
    for cell in json.loads(path.read_text())["cells"]:
        for out in cell.get("outputs", []):
            lines += SUB.findall("".join(out.get("data", {}).get("text/html", "")))
    for hint, text in lines:
        assert bool(hint) == bool(ASKS.search(text)), (path.name, text)
        # A phone has no hover: every instruction offers the tap (or click) first.
        assert not re.search(r"\bhover\b", text, re.IGNORECASE) or re.match(r"Tap\b", text), text


def test_every_bibliography_entry_has_one_kind_the_reader_is_shown():
    from coopbook.site import extension, protocol

    kinds = extension.source_kinds(ROOT / extension.KINDS_FILE, compiled.bib_keys())
    assert set(kinds) == compiled.bib_keys()
    assert set(kinds.values()) <= set(protocol.SOURCE_KINDS)


@pytest.mark.parametrize(("rows", "message"), [
    ("A2020x,court,opinion\nA2020x,news,story\n", "line 3, key 'A2020x': the key is listed twice"),
    ("A2020x,blog,a blog\n", "line 2, key 'A2020x': kind 'blog' is not one of court"),
    ("A2020x,court,opinion\nZ1999gone,news,story\n", "line 3, key 'Z1999gone': no bibliography"),
    ("A2020x,court,\n", "line 2, key 'A2020x': the basis column is empty"),
    ("", "no kind for 1 bibliography entry: A2020x"),
])
def test_a_bad_source_kinds_row_stops_the_build_naming_its_line(tmp_path, rows, message):
    from sphinx.errors import ExtensionError

    from coopbook.site import extension

    path = tmp_path / "source_kinds.csv"
    path.write_text("key,kind,basis\n" + rows)
    with pytest.raises(ExtensionError, match=re.escape(message)):
        extension.source_kinds(path, {"A2020x"})
