"""How hard the book's prose is to read: the Flesch-Kincaid grade of its pages.

The grade is 0.39 x (words per sentence) + 11.8 x (syllables per word) - 15.59
(Kincaid, Fishburne, Rogers and Chissom, 1975). Syllables are counted by a rule of thumb
(vowel groups, less a silent final "e" but not the "e" of "-le"), as most readability tools do; it is good
to about half a grade on ordinary prose.

Only prose is graded: paragraphs and list items. Headings, code, tables, charts, captions,
citations and the bibliography are left out. Each list item counts as a sentence even
without a full stop, so a bulleted list is not read as one long sentence.

    python -m coopbook.devtools.readability FILE.md ...   a Markdown file, paragraph by paragraph
    python -m coopbook.devtools.readability --text "..."  a snippet
    scripts/readability.py                               every page of the built book
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,]\d+)*%?")
SENTENCE_END = re.compile(r"[.!?]+(?:[\"”’')\]]*)(?=\s|$)")
# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = re.compile(
    r"\b(?:U\.S|U\.S\.C|C\.F\.R|v|vs|No|Nos|St|Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Jan|Feb|Mar|Apr|Jun|"
    r"Jul|Aug|Sep|Sept|Oct|Nov|Dec|Cir|Cal|Tex|Ill|Inc|e\.g|i\.e|etc|p|pp|sec|art|ch|D|N\.D|"
    r"S\.D|E\.D|W\.D|Ct|Supp|F|F\.3d|F\.4th|Mass|Or|a\.m|p\.m)\.", re.IGNORECASE)
VOWELS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Syllables in one word, by the usual rule of thumb; a number counts as its digits read
    in groups (a rough, stable stand-in)."""
    w = word.lower().replace("’", "'")
    if w[0].isdigit():
        return max(1, len(re.sub(r"\D", "", w)) // 2 + 1)
    w = re.sub(r"'s?$", "", w)
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", lambda m: m.group(0)[0], w)
    w = re.sub(r"^y", "", w)
    return max(1, len(VOWELS.findall(w)))


@dataclass(frozen=True)
class Score:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        if not self.words:
            return 0.0
        return (0.39 * self.words / max(1, self.sentences)
                + 11.8 * self.syllables / self.words - 15.59)

    def __add__(self, other: Score) -> Score:
        return Score(self.words + other.words, self.sentences + other.sentences,
                     self.syllables + other.syllables)


EMPTY = Score(0, 0, 0)


def score(text: str) -> Score:
    """The counts of one block of prose (a paragraph or a list item)."""
    words = WORD.findall(text)
    if not words:
        return EMPTY
    stripped = ABBREVIATIONS.sub(lambda m: m.group(0)[:-1], text)
    ends = len(SENTENCE_END.findall(stripped))
    # A block that does not end with a full stop (a list item, a label) is still a sentence.
    if not re.search(r"[.!?][\"”’')\]]*\s*$", stripped):
        ends += 1
    return Score(len(words), max(1, ends), sum(syllables(w) for w in words))


def grade(text: str) -> float:
    return score(text).grade


def total(blocks: list[str]) -> Score:
    out = EMPTY
    for block in blocks:
        out = out + score(block)
    return out


# --------------------------------------------------------------------------- Markdown

ROLE = re.compile(r"\{([a-z:]+)\}`([^`]*)`")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _role_text(m: re.Match) -> str:
    name, content = m.group(1), m.group(2)
    if name.startswith("cite") or name == "handout":
        return ""
    if name.startswith("glue"):
        return "100"
    shown = re.fullmatch(r"(.*?)\s*<[^<>]+>", content.strip(), re.DOTALL)
    if shown:
        return shown.group(1)
    if name in ("ref", "numref", "doc", "download"):
        return "this section"
    return content


def inline_text(text: str) -> str:
    """Markdown inline markup -> the words a reader sees."""
    text = ROLE.sub(_role_text, text)
    text = LINK.sub(lambda m: m.group(1), text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[*_`]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def markdown_blocks(text: str) -> list[str]:
    """The prose blocks of a MyST Markdown text: paragraphs and list items, without
    front matter, headings, code, tables, directive options, labels or comments."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
    blocks: list[str] = []
    current: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if current:
            prose = inline_text(" ".join(current))
            if WORD.search(prose):
                blocks.append(prose)
            current.clear()

    directives: list[str] = []  # the fences of the prose directives now open
    for line in text.split("\n"):
        stripped = line.strip()
        if fence is not None:  # inside code or math: skip to its closing fence
            if stripped.startswith(fence) and stripped.strip(fence[0]) == "":
                fence = None
            continue
        if directives and stripped == directives[-1]:
            flush()
            directives.pop()
            continue
        m = re.match(r"^(`{3,}|~{3,}|:{3,})(\{[^}]*\})?(.*)$", stripped)
        if m:
            flush()
            name = (m.group(2) or "").strip("{}")
            # Code and math are not prose; a directive's body is (an admonition, a card).
            if not m.group(2) or name in ("code", "code-cell", "math", "raw"):
                fence = m.group(1)
            else:
                directives.append(m.group(1))
            continue
        if (not stripped or stripped.startswith(("#", "|", "%", "<!--", "+++"))
                or re.match(r"^\([^)]*\)=$", stripped) or re.match(r"^:[a-z-]+:", stripped)):
            flush()
            continue
        if re.match(r"^([-*+]|\d+[.)])\s+", stripped):
            flush()
            stripped = re.sub(r"^([-*+]|\d+[.)])\s+", "", stripped)
        current.append(stripped)
    flush()
    return blocks


def notebook_blocks(path: Path) -> list[str]:
    import json

    nb = json.loads(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            out += markdown_blocks("".join(cell["source"]))
    return out


# --------------------------------------------------------------------------- built pages

SKIP_TAGS = {"pre", "code", "table", "figure", "script", "style", "nav", "h1", "h2", "h3",
             "h4", "h5", "h6", "figcaption", "caption", "svg", "button", "select", "label",
             "form", "dt"}
SKIP_CLASSES = {"coop-chart", "coop-chart-figure", "cell_output", "bibliography", "citation", "bibtex-citation",
                "coop-works-cited", "admonition-title", "caption-number", "coop-chart-hint",
                "coop-table", "coop-source", "highlight", "cell_input", "footnote", "toctree-wrapper",
                "coop-detail", "docutils container coop-hook"}
BLOCK_TAGS = {"p", "li", "dd"}


def html_blocks(html: str) -> list[str]:
    """The prose blocks of a built page's article: paragraphs, list items and definitions,
    without headings, code, tables, charts, captions or reference lists."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup.find("main") or soup
    for el in article.find_all(SKIP_TAGS):
        el.decompose()
    for el in article.find_all(class_=lambda c: c and set(c.split()) & SKIP_CLASSES):
        el.decompose()
    for el in article.find_all(id=re.compile("^(bibliography|works-cited|references)")):
        el.decompose()
    blocks = []
    for el in article.find_all(BLOCK_TAGS):
        if el.find(BLOCK_TAGS):  # a list item holding paragraphs: read the paragraphs
            continue
        text = re.sub(r"\s+", " ", el.get_text(" ")).strip()
        if WORD.search(text):
            blocks.append(text)
    return blocks


# --------------------------------------------------------------------------- command line


def _report(name: str, blocks: list[str], detail: bool) -> None:
    s = total(blocks)
    print(f"{name}: grade {s.grade:.1f} ({s.words} words, {s.sentences} sentences)")
    if detail:
        for block in blocks:
            b = score(block)
            print(f"  {b.grade:5.1f}  {b.words:4d} w  {block[:90]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path, help="Markdown (.md) or notebook (.ipynb) files")
    ap.add_argument("--text", help="grade this text")
    ap.add_argument("--brief", action="store_true", help="one line per file, no paragraphs")
    args = ap.parse_args(argv)
    if args.text is not None:
        s = score(args.text)
        print(f"grade {s.grade:.1f} ({s.words} words, {s.sentences} sentences)")
    for path in args.files:
        if not path.exists():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
        blocks = notebook_blocks(path) if path.suffix == ".ipynb" else markdown_blocks(
            path.read_text(encoding="utf-8"))
        _report(str(path), blocks, not args.brief)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
