"""Hand-kept fixes to the raw data, read from inputs/corrections/ (one CSV per kind).

Each row is keyed on the wrong value, says what it means, and gives a reason. The
files are validated against their spec in data/schema.json ("inputs"), so a bad row
is named by file, line and column. Every use of a row is counted: a row that matches
nothing in the raw data is reported in data/qa/summary.csv, never kept silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths, schema
from ..errors import DataError
from .files import manifest_row

FOLDER = paths.ROOT / "inputs" / "corrections"
KINDS = ("file_names", "known_issues", "agency_types", "state_names", "agency_aliases",
         "agency_distinct", "county_names")


@dataclass
class Corrections:
    """The correction tables, typed, and a count of how often each row was used."""

    tables: dict[str, pd.DataFrame]
    folder: Path
    used: dict[str, set[int]] = field(default_factory=dict)

    def rows(self, kind: str) -> pd.DataFrame:
        return self.tables[kind]

    def mark(self, kind: str, index: int) -> None:
        self.used.setdefault(kind, set()).add(int(index))

    def lookup(self, kind: str, key: str, value: str) -> pd.Series | None:
        """The row of `kind` whose `key` column equals value (and mark it used), or None."""
        frame = self.tables[kind]
        hit = frame.index[frame[key].eq(value)]
        if len(hit) == 0:
            return None
        self.mark(kind, hit[0])
        return frame.loc[hit[0]]

    def unused(self) -> list[tuple[str, int, str]]:
        """(file, line, its cells except the reason) of every correction that matched nothing."""
        out = []
        for kind, frame in self.tables.items():
            for i in frame.index:
                if i not in self.used.get(kind, set()):
                    cells = frame.drop(columns="reason").loc[i].dropna().astype(str)
                    out.append((f"inputs/corrections/{kind}.csv", int(i) + 2, " | ".join(cells)))
        return out

    def manifest(self) -> list[dict]:
        return [manifest_row("corrections", self.folder / f"{kind}.csv", "correction_csv",
                             file=f"inputs/corrections/{kind}.csv", rows=len(frame),
                             note=schema.table_spec(kind)["title"])
                for kind, frame in self.tables.items()]


def read(folder: Path | None = None) -> Corrections:
    folder = folder or FOLDER
    tables = {}
    for kind in KINDS:
        path = folder / f"{kind}.csv"
        if not path.exists():
            raise DataError(str(path), "missing: every kind of correction has its file "
                            "(a header row alone when there is none)")
        text = schema.read_csv_text(path)
        text = text.map(lambda v: " ".join(v.split()) if isinstance(v, str) else v)
        tables[kind] = schema.parse(kind, text, file=f"inputs/corrections/{kind}.csv")
    return Corrections(tables, folder)
