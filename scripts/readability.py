"""The Flesch-Kincaid grade of every page of the built book (prose only).

    python scripts/readability.py [--site _build/html] [--markdown]

Reads each page of the built site (build it first with `make book`), keeps its prose
(paragraphs, list items, definitions: no headings, code, tables, charts, captions or
reference lists) and prints its words, sentences and grade, and the same for each
chapter's "In brief" box and the glossary's hardest entry. The rule is in
coopbook.devtools.readability.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from bs4 import BeautifulSoup

from coopbook.devtools import browser, readability

ROOT = Path(__file__).resolve().parents[1]


def pages(site: Path) -> list[tuple[str, list[str]]]:
    out = []
    for path in browser.all_html(site):
        rel = path.relative_to(site).as_posix()
        if rel in browser.SKIP_PAGES or rel.startswith("_"):
            continue
        out.append((rel, readability.html_blocks(path.read_text(encoding="utf-8"))))
    return out


def briefs(site: Path) -> list[tuple[str, str]]:
    """Each chapter's "In brief" box, as a reader sees it."""
    out = []
    for path in sorted((site / "chapters").glob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        box = soup.find(class_="coop-brief")
        if box is not None:
            title = box.find(class_="admonition-title")
            if title:
                title.decompose()
            text = " ".join(p.get_text(" ") for p in box.find_all("p")
                            if not p.get_text().strip().startswith("Key terms"))
            out.append((path.name, re.sub(r"\s+", " ", text).strip()))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = ap.parse_args()
    rows = []
    for rel, blocks in pages(args.site):
        s = readability.total(blocks)
        if s.words:
            rows.append((rel, s))
    if args.markdown:
        print("| page | words | sentences | grade |\n| --- | ---: | ---: | ---: |")
        for rel, s in rows:
            print(f"| {rel} | {s.words:,} | {s.sentences:,} | {s.grade:.1f} |")
        print("\n| chapter | In brief words | grade |\n| --- | ---: | ---: |")
        for name, text in briefs(args.site):
            s = readability.score(text)
            print(f"| {name} | {s.words} | {s.grade:.1f} |")
    else:
        for rel, s in rows:
            print(f"{rel:48s} {s.words:7,d} words {s.sentences:6,d} sentences  grade {s.grade:5.1f}")
        for name, text in briefs(args.site):
            s = readability.score(text)
            print(f"In brief {name:39s} {s.words:7,d} words  grade {s.grade:5.1f}")
    terms = readability_glossary()
    if terms:
        worst = max(terms, key=lambda t: t[1])
        mean = sum(g for _, g in terms) / len(terms)
        print(f"\nGlossary: {len(terms)} entries, mean grade {mean:.1f}, hardest {worst[0]!r} "
              f"grade {worst[1]:.1f}")
    return 0


def readability_glossary() -> list[tuple[str, float]]:
    from coopbook import reader_notebooks

    return [(term, readability.grade(readability.inline_text(text)))
            for term, text in reader_notebooks.glossary(ROOT).items()]


if __name__ == "__main__":
    raise SystemExit(main())
