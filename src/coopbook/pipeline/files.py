"""What every source module shares: file hashes and the manifest row of a file read."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest_row(source: str, path: Path, kind: str, *, file: str | None = None,
                 date: dt.date | None = None, date_basis: str | None = None,
                 stamp: dt.datetime | None = None, sheets: str = "", rows: int = 0,
                 blank_rows: int = 0, signed_typos: int = 0, status: str = "ok",
                 list_id: str = "", note: str = "") -> dict:
    """One row of data/manifest.csv: which file was read, its hash, and what came of it."""
    return {"source": source, "file": file or path.name, "sha256": sha256_file(path),
            "bytes": path.stat().st_size, "kind": kind, "date": date, "date_basis": date_basis,
            "stamp": stamp, "sheets": sheets, "rows": rows, "blank_rows": blank_rows,
            "signed_typos": signed_typos, "status": status, "list_id": list_id, "note": note}


@dataclass
class Built:
    """What a source module returns: its tables, the manifest rows of the files it read,
    and its rows for data/qa/summary.csv."""

    tables: dict[str, pd.DataFrame]
    manifest: list[dict]
    qa: list[dict] = field(default_factory=list)
    files: dict[Path, str] = field(default_factory=dict)  # other outputs: path in data/ -> text
