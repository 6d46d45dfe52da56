"""The teacher key (teaching/key.md): every chapter exercise with its solution, on one page.

    python -m coopbook.teacher_key          write teaching/key.md
    python -m coopbook.teacher_key --check  fail when it is stale

The exercises and solutions are the chapters' own (their {exercise} and {solution}
directives), copied in order, with each glued number written in as the stored chapter
shows it; the key is generated, never edited by hand, so it cannot drift from the
chapters. `make execute` rewrites it with the reader notebooks, and a test fails when it is
stale. The student edition (`make student`) leaves this page out and hides the chapters'
solutions.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from coopbook import paths, reader
from coopbook.reader_notebooks import ReaderError, glue_text, glued_values, labels

KEY = "teaching/key.md"
FENCE = re.compile(r"^(`{3,}|:{3,})\{(exercise|solution)\}[ \t]*(.*)$")
OPTION = re.compile(r"^:([\w-]+):[ \t]*(.*)$")
GLUE = re.compile(r"\{glue(?::text)?\}`([^`]*)`")


class KeyError_(ReaderError):
    """A chapter's exercises cannot be copied (a solution without its exercise, a glued
    value the stored notebook does not hold)."""


@dataclass
class Block:
    kind: str  # "exercise" or "solution"
    label: str  # the exercise's label (a solution names its exercise)
    body: str


def blocks(text: str) -> list[Block]:
    """The {exercise} and {solution} directives of a Markdown text, in order."""
    out: list[Block] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, kind, arg = m.groups()
        body, options = [], {}
        i += 1
        while i < len(lines) and OPTION.match(lines[i]):
            k, v = OPTION.match(lines[i]).groups()
            options[k] = v.strip()
            i += 1
        while i < len(lines) and lines[i].rstrip() != fence:
            body.append(lines[i])
            i += 1
        i += 1
        label = options.get("label", "") if kind == "exercise" else arg.strip()
        out.append(Block(kind, label, "\n".join(body).strip("\n")))
    return out


def _fill(text: str, glued: dict[str, str], where: str) -> str:
    try:
        return GLUE.sub(lambda m: glue_text(m.group(1), glued, where), text)
    except ReaderError as e:
        raise KeyError_(str(e)) from None


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.split("\n"))


def generate(root: Path | None = None) -> str:
    root = root or paths.ROOT
    chapters = {path: (label, title) for label, (title, path) in labels(root).items()
                if label.startswith("ch-")}
    parts = [
        "(teaching-key)=",
        "# Teacher key: every exercise and its solution",
        "",
        ("Every exercise of the five chapters with the chapter's own solution, in the order "
        "the book numbers them. The numbers in the solutions are those of the book's data as "
        "this edition was built. The book's student edition leaves this page out "
        "and hides the solutions in the chapters, so you can assign chapter pages without "
        "giving the answers away. Students who do not code can do the data exercises in a "
        "spreadsheet: {doc}`no_code`."),
        "",
        ("*For the book's maintainers: this page is written from the chapters "
         "(`python -m coopbook.teacher_key`); edit the chapters, not this page.*"),
    ]
    for path in sorted((root / "chapters").glob("*.ipynb")):
        rel = path.relative_to(root).as_posix()
        nb = json.loads(path.read_text(encoding="utf-8"))
        glued = glued_values(nb)
        found = [b for cell in nb["cells"] if cell["cell_type"] == "markdown"
                 for b in blocks(reader._source(cell))]
        exercises = [b for b in found if b.kind == "exercise"]
        if not exercises:
            continue
        solutions = {b.label: b for b in found if b.kind == "solution"}
        stray = set(solutions) - {b.label for b in exercises}
        if stray:
            raise KeyError_(f"{rel}: a solution for {sorted(stray)}, which is no exercise there")
        label, title = chapters[rel]
        parts += ["", f"## {title}", "", f"The chapter: {{ref}}`{label}`."]
        for ex in exercises:
            if not ex.label:
                raise KeyError_(f"{rel}: an exercise without a :label: (the key links each one)")
            parts += ["", f"**{{numref}}`{ex.label}`**", "", _quote(_fill(ex.body, glued, rel)), ""]
            sol = solutions.get(ex.label)
            parts.append(_fill(sol.body, glued, rel) if sol else "*The chapter gives no solution.*")
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write the teacher key from the chapters.")
    ap.add_argument("--check", action="store_true", help="fail when teaching/key.md is stale")
    args = ap.parse_args(argv)
    text = generate()
    target = paths.ROOT / KEY
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{KEY} is stale: run python -m coopbook.teacher_key", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"Wrote {KEY}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
