"""The student edition: the same book with the exercise solutions and teacher pages left out.

    python -m coopbook.site.student   writes _build/student/_config.yml and _toc.yml

`make student` writes them and builds the book from the same sources with them into
_build/student/_build/html. The edition's config is the book's own plus sphinx-exercise's
`hide_solutions` (every {solution} is dropped from the pages) and `coop_edition: student`
(the site extension then strips the solutions from the reader notebooks it copies). Its
table of contents is the book's own without the "For teachers" part: lesson plans, keys
and the teacher key stay out. The handouts stay in, so a teacher can assign them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from coopbook import paths

OUT = paths.ROOT / "_build" / "student"
TEACHERS = "For teachers"
SOLUTION = re.compile(r"<details>\s*<summary>Solution to exercise.*?</details>\s*",
                      re.DOTALL | re.IGNORECASE)


def config(root: Path | None = None) -> dict:
    root = root or paths.ROOT
    conf = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    conf["title"] = conf["title"] + " (student edition)"
    sphinx_conf = conf.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_conf["hide_solutions"] = True
    sphinx_conf["coop_edition"] = "student"
    return conf


def toc(root: Path | None = None) -> dict:
    root = root or paths.ROOT
    data = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    parts = [p for p in data["parts"] if p.get("caption") != TEACHERS]
    if len(parts) == len(data["parts"]):
        raise ValueError(f"_toc.yml has no part captioned {TEACHERS!r} to leave out")
    return {**data, "parts": parts}


def strip_solutions(notebook_text: str) -> str:
    """A reader notebook's text without its solutions (their <details> blocks)."""
    nb = json.loads(notebook_text)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = cell["source"]
            source = "".join(source) if isinstance(source, list) else source
            cell["source"] = SOLUTION.sub("", source)
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def write(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "_config.yml").write_text(yaml.safe_dump(config(), sort_keys=False), encoding="utf-8")
    (out / "_toc.yml").write_text(yaml.safe_dump(toc(), sort_keys=False), encoding="utf-8")
    print(f"Wrote {out / '_config.yml'} and {out / '_toc.yml'}")


if __name__ == "__main__":
    write()
