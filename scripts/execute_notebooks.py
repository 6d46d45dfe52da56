"""Execute every chapter notebook in place, as the book and nbval expect it.

Run with `make execute` after editing a notebook. Charts are rendered for the
built book (COOPBOOK_RENDER=book), and widget state is not stored: the static
page must not show controls that need a kernel.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def notebooks() -> list[Path]:
    """The chapters, then the book's other notebook pages (at the top level and in
    teaching/)."""
    return (sorted((ROOT / "chapters").glob("*.ipynb")) + sorted(ROOT.glob("*.ipynb"))
            + sorted((ROOT / "teaching").glob("*.ipynb")))


def main(argv: list[str]) -> int:
    os.environ["COOPBOOK_RENDER"] = "book"
    paths = [Path(a).resolve() for a in argv] or notebooks()
    for path in paths:
        start = time.perf_counter()
        execute(path)
        print(f"executed {path.relative_to(ROOT)} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
