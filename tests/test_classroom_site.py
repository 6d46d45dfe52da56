"""The classroom kit in the built sites: printed handouts, the teacher key, and the student
edition that hides the solutions. Run after `make book` and `make student` (`make test`
does both)."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from coopbook import reader_notebooks
from coopbook.site import handouts, student

ROOT = Path(__file__).resolve().parents[1]
STUDENT = student.OUT / "_build" / "html"
HANDOUTS = handouts.titles(ROOT)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def student_site():
    if not (STUDENT / "index.html").is_file():
        pytest.fail("build the student edition first: make student", pytrace=False)
    return STUDENT


def pdf_text(data: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(data))
    return len(pdf.pages), " ".join(page.extract_text() for page in pdf.pages)


QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _words(text: str) -> str:
    """Text as compared: ligatures and curly quotes undone (Sphinx and the PDF font make
    them), a word broken at a line's hyphen joined, spaces folded."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    text = re.sub(r"-\s*\n\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.mark.parametrize("name", sorted(HANDOUTS))
def test_every_handout_is_a_pdf_of_1_to_4_pages_that_carries_its_title(site, name):
    data = (site / handouts.FOLDER / f"{name}.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    pages, text = pdf_text(data)
    assert 1 <= pages <= handouts.MAX_PAGES, (name, pages)
    assert _words(HANDOUTS[name]) in _words(text), (name, text[:200])
    # paper has no navigation or controls: the page's own title comes first
    assert _words(text).startswith(_words(HANDOUTS[name])[:30]), text[:120]


def test_lesson_pages_link_their_handouts_pdf_and_the_link_works(site):
    lessons = sorted((site / "teaching").glob("lesson_0*.html"))
    assert len(lessons) == 5
    for page in lessons:
        pdfs = [a["href"] for a in soup(page).select("a.coop-handout-pdf")]
        assert pdfs, page.name
        for href in pdfs:
            assert (page.parent / href).resolve().is_file(), (page.name, href)


def test_the_teacher_key_shows_every_exercise_with_its_number_and_solution(site):
    key = soup(site / "teaching" / "key.html")
    numbers = reader_notebooks.book_exercise_numbers(ROOT)
    shown = {a["href"].split("#")[1]: a.get_text(strip=True)
             for a in key.select("a.reference.internal") if "#ex-" in a.get("href", "")}
    assert {label: f"Exercise {n}" for label, n in numbers.items()} == \
        {label: text for label, text in shown.items() if label in numbers}
    assert "{glue" not in key.get_text()


def _numbers(page: BeautifulSoup) -> list[str]:
    return [t.get_text(strip=True) for t in page.select(".exercise .caption-number")]


def _solutions(page: BeautifulSoup) -> list:
    return page.select("div.solution, .admonition.solution")


def test_the_book_shows_solutions_and_the_student_edition_hides_them(site, student_site):
    chapters = sorted(p.name for p in (site / "chapters").glob("*.html"))
    assert chapters and chapters == sorted(p.name for p in (student_site / "chapters").glob("*.html"))
    for name in chapters:
        book, edition = soup(site / "chapters" / name), soup(student_site / "chapters" / name)
        assert _solutions(book), f"{name}: the book's page shows no solution"
        assert not _solutions(edition), f"{name}: the student edition shows a solution"
        # the exercises themselves stay, with the book's numbers
        assert _numbers(edition) == _numbers(book) != []


def test_the_student_edition_leaves_out_the_teacher_pages_and_keeps_the_handouts(student_site):
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    teacher_pages = {entry["file"] for part in toc["parts"] if part.get("caption") == student.TEACHERS
                     for chapter in part["chapters"]
                     for entry in [chapter, *chapter.get("sections", [])]}
    assert "teaching/key" in teacher_pages
    for doc in teacher_pages:
        assert not (student_site / f"{doc}.html").exists(), doc
    for name in HANDOUTS:
        assert (student_site / handouts.FOLDER / f"{name}.pdf").is_file(), name
    assert "student edition" in soup(student_site / "intro.html").title.get_text()


def test_the_student_editions_notebooks_carry_no_solutions(site, student_site):
    for path in sorted((site / "notebooks").glob("*.ipynb")):
        book = path.read_text(encoding="utf-8")
        edition = (student_site / "notebooks" / path.name).read_text(encoding="utf-8")
        assert "Solution to exercise" in book, path.name
        assert "Solution to exercise" not in edition, path.name
        assert edition.count("### Exercise") == book.count("### Exercise") > 0


def test_the_student_edition_publishes_no_source_that_holds_solutions(site, student_site):
    """The page sources (_sources) of the chapters and the spreadsheet page hold every
    solution: the book offers them; the student edition neither copies nor links them (a
    chapter's download button still gives its reader notebook, without solutions)."""
    with_solutions = [p.relative_to(site / "_sources") for p in (site / "_sources").rglob("*")
                      if p.is_file() and "{solution}" in p.read_text(encoding="utf-8")]
    assert Path("teaching/no_code.ipynb") in with_solutions and len(with_solutions) >= 6
    for rel in with_solutions:
        assert not (student_site / "_sources" / rel).exists(), rel
    for path in sorted(student_site.rglob("*.html")):
        hrefs = [a.get("href", "") for a in soup(path).select("a[href*='_sources/']")]
        for href in hrefs:
            target = (path.parent / href.split("#")[0]).resolve()
            assert target.is_file(), f"{path.relative_to(student_site)} links {href}"
    chapter = soup(student_site / "chapters" / "01_history.html")
    assert chapter.select("a[href$='notebooks/01_history.ipynb']"), "no reader notebook download"


def test_the_student_edition_does_not_send_students_to_what_it_leaves_out(site, student_site):
    """A page of the student edition names the teacher pages or the solutions only to say
    they are in the full edition (pages say so with {only} student / not student)."""
    def sentences(root: Path, rel: str) -> list[str]:
        main = soup(root / rel).select_one("main")
        text = " ".join(main.get_text(" ").split()) if main else ""
        return re.split(r"(?<=[.!?])\s+", text)

    mentions = re.compile(r"For teachers|teacher key|solutions? folds? open|make student")
    for path in sorted(student_site.rglob("*.html")):
        rel = str(path.relative_to(student_site))
        for sentence in sentences(student_site, rel):
            if mentions.search(sentence):
                assert "full edition" in sentence, f"{rel}: {sentence!r}"
    book, edition = " ".join(sentences(site, "intro.html")), " ".join(sentences(student_site, "intro.html"))
    assert "For teachers" in book and "This is the student edition" not in book
    assert "This is the student edition" in edition
