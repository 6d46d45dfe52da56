"""Where the project's files are."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "_config.yml").exists() and (parent / "data").is_dir():
            return parent
    raise RuntimeError(
        "coopbook must be installed from a checkout of the book (pip install -e .): "
        f"no _config.yml found above {here}"
    )


ROOT = _find_root()
DATA = ROOT / "data"
SCHEMA = DATA / "schema.json"


def raw_dir() -> Path:
    """The read-only raw material: $COOPBOOK_RAW, else ../shared/data/raw beside the repo."""
    env = os.environ.get("COOPBOOK_RAW")
    return Path(env) if env else ROOT.parent / "shared" / "data" / "raw"
