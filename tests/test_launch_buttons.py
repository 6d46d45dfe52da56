"""One setting (`repository: url:` in _config.yml) turns on the repository, Binder and Colab
buttons, pointing at the reader notebooks; without it they are hidden and the book says how
to run it locally."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coopbook import paths
from coopbook import reader_notebooks as rn

ROOT = paths.ROOT
SITE = ROOT / "_build" / "html"
SAMPLE = "https://github.com/example-org/example-book"
CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))


def _links(page: Path) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")))


@pytest.mark.slow
def test_a_repository_url_turns_on_every_launch_button_for_the_reader_notebooks(tmp_path):
    # A copy of the book's sources whose _config.yml names a sample repository.
    book = tmp_path / "book"
    shutil.copytree(ROOT, book, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "_build", "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache"))
    config = (book / "_config.yml").read_text(encoding="utf-8")
    assert '\nrepository:\n  url: ""\n' in config, "the sample build expects an empty url"
    (book / "_config.yml").write_text(
        config.replace('\nrepository:\n  url: ""\n', f'\nrepository:\n  url: "{SAMPLE}"\n'))
    assert rn.repository_url(book) == SAMPLE
    assert f"REPO_URL = {SAMPLE!r}" in rn.generate(book)["04_287g_landscape.ipynb"]
    jb = Path(sys.executable).parent / "jb"
    run = subprocess.run([str(jb), "build", str(book), "-W", "-n", "--keep-going"],
                         capture_output=True, text=True, check=False, cwd=book)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    site = book / "_build" / "html"
    for stem in CHAPTERS:
        links = _links(site / "chapters" / f"{stem}.html")
        reader = f"notebooks/{stem}.ipynb"
        binder = f"https://mybinder.org/v2/gh/example-org/example-book/main?urlpath=lab/tree/{reader}"
        colab = f"https://colab.research.google.com/github/example-org/example-book/blob/main/{reader}"
        assert binder in links, f"{stem}: no Binder button for {reader}"
        assert colab in links, f"{stem}: no Colab button for {reader}"
        assert SAMPLE in links, f"{stem}: no repository button"
        assert f"../{reader}" in links and (site / reader).is_file(), f"{stem}: download"
        assert not any("chapters/" in x and x.endswith(".ipynb") for x in links), (
            f"{stem}: a button still offers the chapter source")
    intro = (site / "intro.html").read_text(encoding="utf-8")
    assert "https://mybinder.org/v2/gh/example-org/example-book/main" in intro
    assert "https://colab.research.google.com/github/example-org/example-book" in intro
    shutil.rmtree(book)


def test_without_a_repository_url_the_book_hides_the_buttons_and_says_how_to_run_it():
    if not (SITE / "intro.html").is_file():
        pytest.fail("build the book first: make book", pytrace=False)
    assert rn.repository_url() == "", "this test describes the book as committed, with no url"
    for stem in CHAPTERS:
        links = _links(SITE / "chapters" / f"{stem}.html")
        assert not [x for x in links if "mybinder" in x or "colab" in x], stem
        assert f"../notebooks/{stem}.ipynb" in links, f"{stem}: download the reader notebook"
    intro = (SITE / "intro.html").read_text(encoding="utf-8")
    assert "<code class=\"docutils literal notranslate\"><span class=\"pre\">make</span>" in intro
    assert "Run the chapters</strong> on your computer" in intro


def test_the_readme_badges_follow_the_repository_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert rn.readme_block(rn.repository_url()) in readme, "run `make notebooks`"
    block = rn.readme_block(SAMPLE)
    assert "https://mybinder.org/v2/gh/example-org/example-book/main?urlpath=lab/tree/" \
           "notebooks/01_history.ipynb" in block
    assert "https://colab.research.google.com/github/example-org/example-book/blob/main/" \
           "notebooks/01_history.ipynb" in block
    assert "mybinder" not in rn.readme_block("")
