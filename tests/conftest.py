"""Shared test setup.

Charts render for the built book in every test and in nbval's kernel, so that
stored notebook outputs and fresh executions are compared like for like.
"""

import os

os.environ.setdefault("COOPBOOK_RENDER", "book")

import pytest

from coopbook import paths


@pytest.fixture(scope="session")
def raw_dir():
    raw = paths.raw_dir()
    if not (raw / "ice-287g-lists").is_dir():
        pytest.skip(f"raw data not present at {raw}")
    return raw


@pytest.fixture(scope="session")
def rebuilt(raw_dir, tmp_path_factory):
    """The pipeline run once from raw into a temporary folder: (tables, folder).

    The tables are read back from that folder with the book's own validating loader.
    """
    from coopbook import load, pipeline

    out = tmp_path_factory.mktemp("data")
    pipeline.run(raw_dir, out)
    return {name: load.table(name, out) for name in pipeline.TABLES}, out


@pytest.fixture(scope="session")
def site():
    """The built site under test (coopbook.devtools.browser.site_dir); fails when unbuilt."""
    from coopbook.devtools import browser

    folder = browser.site_dir()
    if not (folder / "index.html").is_file():
        pytest.fail("build the book first: make book", pytrace=False)
    return folder
