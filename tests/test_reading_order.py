"""Every prerequisite and "What's next" follows the book's order in _toc.yml.

Chapters name each other by label ({ref}`ch-...`), never by a typed number, so a moved
chapter cannot leave a stale "chapter 4" behind.
"""

import json
import re

import pytest
import yaml

from coopbook import paths

TOC = yaml.safe_load((paths.ROOT / "_toc.yml").read_text())
ORDER = [c["file"] for part in TOC["parts"] if part["caption"] == "Chapters"
         for c in part["chapters"]]


def markdown(file: str) -> str:
    nb = json.loads((paths.ROOT / f"{file}.ipynb").read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


LABEL = {re.match(r"\((ch-[\w-]+)\)=", markdown(f)).group(1): f for f in ORDER}


def refs(text: str) -> list[str]:
    return [LABEL[k] for k in re.findall(r"\{ref\}`(ch-[\w-]+)`", text) if k in LABEL]


@pytest.mark.parametrize("file", ORDER)
def test_prerequisites_come_earlier_in_the_book(file):
    text = markdown(file)
    line = re.search(r"\*\*Prerequisites:\*\*(.*?)(?:\n\n|```)", text, re.DOTALL)
    assert line, f"{file}: no Prerequisites line"
    later = [f for f in refs(line.group(1)) if ORDER.index(f) >= ORDER.index(file)]
    assert not later, f"{file}: a prerequisite comes later in the book: {later}"


@pytest.mark.parametrize("file", ORDER)
def test_whats_next_names_the_next_chapter_first(file):
    text = markdown(file)
    section = re.search(r"What's next\.?\**\n*(.*?)(?:\n## |\Z)", text, re.DOTALL)
    assert section, f"{file}: no What's next"
    named = refs(section.group(1))
    position = ORDER.index(file)
    if position + 1 < len(ORDER):
        assert named and named[0] == ORDER[position + 1], \
            f"{file}: What's next names {named[:1]}, the book goes on to {ORDER[position + 1]}"
    else:
        assert not named, f"{file} is the last chapter but points to {named}"


@pytest.mark.parametrize("file", ORDER)
def test_no_chapter_is_named_by_a_typed_number(file):
    typed = re.findall(r"\b[Cc]hapter [0-9]+\b", markdown(file))
    assert not typed, f"{file}: {typed}; use a {{ref}} label"
