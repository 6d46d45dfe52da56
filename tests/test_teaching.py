"""The classroom kit, read from its sources: lessons of one anatomy, balanced deliberation
readings, reading supports at their grade, a teacher key that matches the chapters, and
exercise numbers that match the book's own."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from coopbook import reader, reader_notebooks, teacher_key
from coopbook.devtools import readability
from coopbook.site import handouts

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted(ROOT.glob("chapters/*.ipynb"))
LESSONS = sorted(ROOT.glob("teaching/lesson_0*.md"))
ANATOMY = ["Objectives", "Standards", "Vocabulary", "Materials", "Plan (50 minutes)",
           "Primary source", "Activity", "Differentiation", "Exit task", "Keeping it fair"]
ROLE_HANDOUT = re.compile(r"\{handout\}`([^`]+)`")
NEW_TERMS = ["Federalism", "Supremacy Clause", "Spending Clause", "Preemption",
             "Anti-commandeering"]


def markdown(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        return "\n\n".join(reader._source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def teaching_pages() -> list[Path]:
    return sorted(ROOT.glob("teaching/**/*.md")) + sorted(ROOT.glob("teaching/*.ipynb"))


# --------------------------------------------------------------------------- the grade


def test_readability_counts_syllables_words_and_sentences_by_the_usual_rules():
    assert [readability.syllables(w) for w in ["jail", "table", "agreement", "federal", "the"]] \
        == [1, 2, 3, 3, 1]
    s = readability.score("The sheriff signed it. Then the county voted no.")
    assert (s.words, s.sentences) == (9, 2)
    # "U.S." and "v." do not end sentences; a list item without a full stop is one.
    assert readability.score("In Printz v. United States the U.S. Supreme Court ruled.").sentences == 1
    assert readability.score("Listen to understand").sentences == 1
    easy = readability.grade("The jail holds him. ICE asks for two days. The judge says no.")
    hard = readability.grade("Intergovernmental immunity doctrine prohibits discriminatory "
                             "regulation of federal instrumentalities by subordinate jurisdictions.")
    assert easy < 4
    assert hard > 12


def test_readability_grades_prose_only():
    text = ("# A heading of many syllables everywhere\n\n(label)=\n\nPlain words here.\n\n"
            "```python\nimport pandas as pd  # incomprehensibility\n```\n\n"
            "| column | another |\n| --- | --- |\n| unconstitutionality | x |\n\n"
            "- first item\n- second item {cite}`Key2020`\n\n"
            "```{admonition} In brief\n:class: coop-brief\nThe box's words count.\n```\n")
    assert readability.markdown_blocks(text) == [
        "Plain words here.", "first item", "second item", "The box's words count."]


# --------------------------------------------------------------------------- reading supports


def in_brief(path: Path) -> tuple[str, str]:
    """A chapter's "In brief" box: (its prose, its key-terms line)."""
    first = markdown(path).split("\n\n## ")[0]
    m = re.search(r"^```\{admonition\} In brief\n:class: coop-brief\n(.*?)^```", first,
                  re.MULTILINE | re.DOTALL)
    assert m, f"{path.name}: no In brief box (admonition with class coop-brief) before the first section"
    body = m.group(1)
    terms = re.search(r"^\*\*Key terms:\*\*(.*)$", body, re.MULTILINE)
    assert terms, f"{path.name}: the In brief box has no '**Key terms:**' line"
    return body[: terms.start()].strip(), terms.group(1)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_each_chapter_opens_with_an_in_brief_of_150_words_at_grade_8_and_its_key_terms(path):
    prose, terms = in_brief(path)
    s = readability.total(readability.markdown_blocks(prose))
    assert 40 <= s.words <= 150, (path.name, s.words)
    assert s.grade <= 8.0, (path.name, round(s.grade, 1))
    glossary = {t.lower() for t in reader_notebooks.glossary(ROOT)}
    linked = re.findall(r"\{term\}`(?:[^`<]*<)?([^`>]+)>?`", terms)
    assert len(linked) >= 3, terms
    assert {t.lower() for t in linked} <= glossary, terms


def glossary_entries() -> dict[str, str]:
    return reader_notebooks.glossary(ROOT)


def test_the_glossary_has_the_constitutional_terms_of_the_legal_chapter():
    assert set(NEW_TERMS) <= set(glossary_entries())


@pytest.mark.parametrize("term", sorted(glossary_entries()))
def test_every_glossary_entry_reads_at_grade_9_and_gives_an_example(term):
    text = glossary_entries()[term]
    assert "*Example:*" in text, f"{term}: no '*Example:*'"
    definition = readability.inline_text(text)
    assert readability.grade(definition) <= 9.0, (term, round(readability.grade(definition), 1))


FIRST_USE = {t: re.compile(rf"\b{re.escape(t.split()[0].lower())}", re.IGNORECASE) for t in NEW_TERMS}


def _prose_only(text: str) -> str:
    """A chapter's prose without code, headings, directive lines or quotations."""
    text = re.sub(r"^```(?!\{(?:admonition|note|tip|exercise|solution|container|grid)).*?^```",
                  "", text, flags=re.MULTILINE | re.DOTALL)
    return "\n".join(line for line in text.split("\n")
                     if not line.startswith(("#", "```", ":", ">")))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_constitutional_terms_link_the_glossary_at_their_first_use(path):
    prose = _prose_only(markdown(path))
    for term in NEW_TERMS:
        word = {"Supremacy Clause": r"Supremacy Clause", "Spending Clause": r"Spending Clause",
                "Federalism": r"federalism", "Preemption": r"preempt(?:ion|ed|s)?",
                "Anti-commandeering": r"anti-commandeering"}[term]
        m = re.search(rf"\b{word}", prose, re.IGNORECASE)
        if not m:
            continue
        before = prose[: m.start()]
        # the first use sits inside a {term}`...` role
        assert re.search(r"\{term\}`[^`]*$", before), \
            f"{path.name}: the first use of {term!r} is not a glossary link: ...{prose[m.start()-60:m.end()+20]!r}"


# --------------------------------------------------------------------------- lessons


def test_there_is_a_lesson_for_every_chapter():
    slugs = [p.stem.split("_", 2)[2] for p in LESSONS]
    assert [p.stem[:9] for p in LESSONS] == [f"lesson_0{n}" for n in range(1, 6)]
    assert len(slugs) == len(CHAPTERS)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_has_the_same_anatomy_and_a_plan_of_50_minutes(path):
    text = path.read_text(encoding="utf-8")
    assert re.findall(r"^## (.+)$", text, re.MULTILINE) == ANATOMY, path.name
    plan = text.split("## Plan (50 minutes)")[1].split("\n## ")[0]
    spans = re.findall(r"^\|\s*(\d+)\s*[–-]\s*(\d+)\s*\|", plan, re.MULTILINE)
    assert spans, "the plan table has no 'start-end' minutes"
    assert int(spans[0][0]) == 0 and int(spans[-1][1]) == 50
    assert all(int(a[1]) == int(b[0]) for a, b in itertools.pairwise(spans)), spans
    assert "```{dropdown} Key" in text.split("## Exit task")[1], "the exit task has no key"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_links_its_student_handout(path):
    slug = path.stem.split("_", 2)[2]
    assert f"{{handout}}`lesson-{slug}`" in path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- handouts


def test_every_handout_is_on_the_handouts_page_and_every_link_names_one():
    names = set(handouts.titles(ROOT))
    listed = set(ROLE_HANDOUT.findall((ROOT / "teaching/handouts/index.md").read_text()))
    assert listed == names
    for page in teaching_pages():
        assert set(ROLE_HANDOUT.findall(markdown(page))) <= names, page.name


@pytest.mark.parametrize("path", sorted(ROOT.glob("teaching/handouts/*.md")), ids=lambda p: p.stem)
def test_handouts_print_without_keys_screen_controls_or_teacher_pages(path):
    text = path.read_text(encoding="utf-8")
    assert "{dropdown}" not in text and "{solution}" not in text and ":class: dropdown" not in text
    assert "{doc}`../" not in text.replace("{doc}`../../", ""), \
        "a handout links a teacher page, which the student edition leaves out"


def test_the_deliberation_readings_give_each_side_the_same_space_at_grade_9():
    yes, no = (ROOT / "teaching/handouts/sac-reading-yes.md", ROOT / "teaching/handouts/sac-reading-no.md")
    scores = [readability.total(readability.markdown_blocks(p.read_text())) for p in (yes, no)]
    assert all(s.grade <= 9.0 for s in scores), [round(s.grade, 1) for s in scores]
    words = [s.words for s in scores]
    assert max(words) <= 1.1 * min(words), words
    heads = [re.findall(r"^## (.+)$", p.read_text(), re.MULTILINE) for p in (yes, no)]
    assert len(heads[0]) == len(heads[1]) >= 3, heads


# --------------------------------------------------------------------------- keys and numbers


def test_the_teacher_key_is_generated_from_the_chapters_and_holds_every_exercise():
    text = (ROOT / teacher_key.KEY).read_text(encoding="utf-8")
    assert text == teacher_key.generate(ROOT), "stale: run python -m coopbook.teacher_key"
    numbers = reader_notebooks.book_exercise_numbers(ROOT)
    assert numbers and all(f"{{numref}}`{label}`" in text for label in numbers)
    assert "{glue" not in text  # every glued value is written in


def test_the_teacher_key_refuses_a_glued_value_the_chapter_does_not_hold():
    with pytest.raises(teacher_key.KeyError_, match="no_such_key"):
        teacher_key._fill("{glue:text}`no_such_key:,d`", {"other": "1"}, "chapters/x.ipynb")


TYPED = re.compile(r"\b[Ee]xercises? \d+(?![\d(])")  # not "to exercise 287(g) powers"


@pytest.mark.parametrize("path", CHAPTERS + teaching_pages() + sorted(ROOT.glob("*.md")),
                         ids=lambda p: p.stem)
def test_pages_name_exercises_by_label_not_by_a_typed_number(path):
    # The build numbers exercises through the book; a number typed in prose goes stale
    # when an exercise is added before it. (The teacher key spells its numbers by {numref}.)
    assert not TYPED.findall(markdown(path)), path.name


def test_reader_notebooks_number_exercises_as_the_book_does():
    numbers = reader_notebooks.book_exercise_numbers(ROOT)
    by_chapter: dict[str, list[int]] = {}
    for path in sorted(ROOT.glob("notebooks/*.ipynb")):
        text = markdown(path)
        by_chapter[path.stem] = [int(n) for n in re.findall(r"^### Exercise (\d+)", text, re.MULTILINE)]
    assert sorted(n for ns in by_chapter.values() for n in ns) == sorted(numbers.values())
    assert by_chapter["04_287g_landscape"][0] == numbers["ex-287g-tfm"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_solutions_code_runs_after_the_chapters_setup(path):
    # A student pastes a solution into the reader notebook after its setup cell: the code
    # must run there (chapter 5's once imported `leverage` from the wrong module).
    nb = json.loads(path.read_text(encoding="utf-8"))
    namespace: dict = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and reader.is_setup_cell(cell):
            exec(compile(reader._source(cell), str(path), "exec"), namespace)  # noqa: S102 (the book's own code)
    ran = 0
    for block in (b for cell in nb["cells"] if cell["cell_type"] == "markdown"
                  for b in teacher_key.blocks(reader._source(cell)) if b.kind == "solution"):
        for code in re.findall(r"^```python\n(.*?)^```", block.body, re.MULTILINE | re.DOTALL):
            exec(compile(code, f"{path.name}: solution to {block.label}", "exec"), namespace)  # noqa: S102
            ran += 1
    assert ran, "no solution code found"
