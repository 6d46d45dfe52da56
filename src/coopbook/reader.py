"""What a reader notebook (notebooks/*.ipynb) runs in its first cell.

`prepare(chapter, namespace)` installs the package's runtime requirements that are
missing (and nothing else: Colab keeps its own pandas, numpy, altair and ipywidgets),
then runs the chapter's hidden setup cells (imports, data loads and the numbers that
its text quotes) from chapters/<chapter>.ipynb into the notebook's namespace. Their
`glue` calls are recorded in `GLUED` instead of needing myst-nb, which only the
book's build uses.

This module imports only the standard library at import time: it runs before the
requirements are installed.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
import types
from pathlib import Path

from . import paths

GLUED: dict[str, object] = {}
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*(?:>=\s*([0-9][0-9.]*))?")


def glue(name: str, value, display: bool = True):
    """Record a value as myst-nb's `glue` would (and show it when `display` is true)."""
    GLUED[name] = value
    if display:
        from IPython.display import display as show

        show(value)


# --------------------------------------------------------------------------- requirements


def requirements(root: Path | None = None) -> list[str]:
    """The package's runtime requirements, as pyproject.toml states them."""
    data = tomllib.loads(((root or paths.ROOT) / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["project"]["dependencies"])


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3])


def missing(reqs: list[str]) -> list[str]:
    """The requirements that are not installed, or installed older than their minimum."""
    out = []
    for req in reqs:
        m = _REQUIREMENT.match(req)
        if not m:
            raise ValueError(f"pyproject.toml: cannot read the requirement {req!r}")
        name, minimum = m.groups()
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out.append(req)
            continue
        if minimum and _version_tuple(have) < _version_tuple(minimum):
            out.append(req)
    return out


def install_missing(reqs: list[str] | None = None) -> list[str]:
    """pip-install only what is missing; never upgrade or replace what is there."""
    todo = missing(requirements() if reqs is None else reqs)
    if todo:
        print("Installing", ", ".join(todo))
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *todo], check=True)
        importlib.invalidate_caches()
    return todo


# --------------------------------------------------------------------------- setup cells


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _shows_something(code: str) -> bool:
    """True when a cell ends with an expression Jupyter would display (a glue call does not)."""
    body = ast.parse(code).body
    if not body or not isinstance(body[-1], ast.Expr):
        return False
    value = body[-1].value
    func = value.func if isinstance(value, ast.Call) else None
    name = getattr(func, "id", None) or getattr(func, "attr", None)
    return name != "glue"


def is_setup_cell(cell: dict) -> bool:
    """A hidden code cell that only prepares (imports, loads, glues): the reader's setup runs it.

    A hidden cell that shows something (an explorer) stays a cell of the reader notebook.
    """
    return (cell["cell_type"] == "code" and "remove-cell" in _tags(cell)
            and not _shows_something(_source(cell)))


def chapter_path(chapter: str, root: Path | None = None) -> Path:
    path = (root or paths.ROOT) / "chapters" / f"{chapter}.ipynb"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: is {root or paths.ROOT} a checkout of the book?")
    return path


def setup_cells(chapter: str, root: Path | None = None) -> list[str]:
    """The sources of a chapter's hidden setup cells, in order."""
    nb = json.loads(chapter_path(chapter, root).read_text(encoding="utf-8"))
    return [_source(c) for c in nb["cells"] if is_setup_cell(c)]


def setup_source(chapter: str) -> str:
    """The code `prepare` runs for a chapter, to read or print."""
    return "\n\n".join(setup_cells(chapter))


@contextlib.contextmanager
def _myst_nb_shim():
    """`from myst_nb import glue` gives this module's glue while the setup cells run."""
    saved = sys.modules.get("myst_nb")
    shim = types.ModuleType("myst_nb")
    shim.glue = glue
    sys.modules["myst_nb"] = shim
    try:
        yield
    finally:
        if saved is None:
            sys.modules.pop("myst_nb", None)
        else:
            sys.modules["myst_nb"] = saved


def prepare(chapter: str, namespace: dict, install: bool = True) -> None:
    """Make a reader notebook ready: requirements, then the chapter's hidden setup cells."""
    if install:
        install_missing()
    charts = sys.modules.get("coopbook.viz.render")
    if charts is not None:  # the setup cell runs again: the next chart brings the library
        charts.resend_library()
    cells = setup_cells(chapter)
    with _myst_nb_shim():
        for i, code in enumerate(cells, start=1):
            try:
                # The book's own chapter code, run as the notebook would run its cells.
                exec(compile(code, f"<{chapter} setup cell {i}>", "exec"), namespace)  # noqa: S102
            except Exception as exc:
                raise RuntimeError(
                    f"chapters/{chapter}.ipynb, hidden setup cell {i} of {len(cells)} failed: "
                    f"{type(exc).__name__}: {exc}") from exc
    print(f"Ready: {len(cells)} setup cells of chapters/{chapter}.ipynb ran "
          f"({len(GLUED)} numbers for the text). To read them: "
          f"print(reader.setup_source({chapter!r}))")
