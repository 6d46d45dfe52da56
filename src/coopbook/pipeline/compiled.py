"""Read the project's own compiled tables (inputs/compiled/) into validated data/ tables.

No official machine-readable table of state cooperation laws, court cases,
events, polls or published leverage figures exists, so the project compiles
them by hand in `inputs/compiled/`, one row per fact, each row checked against the
source it cites. This module is the only way they reach `data/`:

* every file is validated against its table in data/schema.json (types,
  allowed values, required cells), and errors name the file, line and column;
* every `source` cell must name keys that exist in the book's bibliography;
* derived columns (year, era, state name...) are computed here, not typed;
* each compiled file is hashed into the manifest like a raw file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from .. import geo, paths, schema
from ..errors import DataError, first_bad
from .corrections import Corrections
from .files import Built, manifest_row

BIB_ENTRY = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
ERAS = ((2013, "1992-2013"), (2016, "2014-2016"), (2020, "2017-2020"), (2024, "2021-2024"),
        (2026, "2025-2026"))
COMPILED_TABLES = ("timeline", "state_laws", "cases", "leverage_inputs", "polls",
                  "state_population")


def bib_files(root: Path | None = None) -> list[Path]:
    """The bibliography files the book is built with (bibtex_bibfiles in _config.yml)."""
    root = root or paths.ROOT
    config = yaml.safe_load((root / "_config.yml").read_text())
    return [root / f for f in config["bibtex_bibfiles"]]


def bib_keys(files: list[Path] | None = None) -> set[str]:
    keys: set[str] = set()
    for f in files or bib_files():
        keys |= set(BIB_ENTRY.findall(f.read_text()))
    return keys


def check_sources(frame: pd.DataFrame, file: str, keys: set[str]) -> None:
    for i, cell in frame["source"].items():
        unknown = [k for k in str(cell).split(";") if k not in keys]
        if unknown:
            raise DataError(file, f"unknown citation key(s) {unknown}; add the source to "
                            "references.bib or a file in bib/ (listed in _config.yml)",
                            row=int(i) + 2, column="source", unit="line")


def read(name: str, path: Path, keys: set[str]) -> pd.DataFrame:
    """One compiled file, typed and checked (derived columns not yet added)."""
    if not path.exists():
        raise DataError(str(path), f"missing (table {name!r} is compiled from it)")
    where = f"{path.parent.name}/{path.name}"
    try:
        text = schema.read_csv_text(path)
    except pd.errors.ParserError as err:
        # e.g. "Expected 18 fields in line 33, saw 19": a comma in an unquoted cell
        found = re.search(r"line (\d+), saw (\d+)", str(err))
        if not found:
            raise DataError(where, f"cannot be read as CSV ({err})") from None
        raise DataError(where, f"has {found[2]} cells where the header has "
                        f"{len(path.read_text(encoding='utf-8').splitlines()[0].split(','))}; "
                        "a cell with a comma must be in double quotes",
                        row=int(found[1]), unit="line") from None
    # Hand-typed booleans may be written in lower case.
    for col in schema.columns(name, compiled=True):
        if col["type"] == "boolean" and col["name"] in text:
            text[col["name"]] = text[col["name"]].replace({"true": "True", "false": "False"})
    text = text.map(lambda v: " ".join(v.split()) if isinstance(v, str) else v)
    frame = schema.parse(name, text, file=where, compiled=True)
    check_sources(frame, where, keys)
    return frame


def _state_names(frame: pd.DataFrame, file: str) -> pd.Series:
    first_bad(~frame["state"].isin(list(geo.NAME_BY_POSTAL)), file, "unknown postal code",
              column="state", values=frame["state"])
    return frame["state"].map(geo.NAME_BY_POSTAL)


def _state_lists(frame: pd.DataFrame, file: str) -> None:
    """Every code in a 'states' cell must be a known postal code."""
    cells = frame["states"].fillna("")
    unknown = cells.map(lambda c: any(s not in geo.NAME_BY_POSTAL for s in c.split(";") if s))
    first_bad(unknown, file, "unknown postal code", column="states", values=frame["states"])


def era(year: int) -> str:
    for last, label in ERAS:
        if year <= last:
            return label
    raise ValueError(f"year {year} is after the last era")


def derive(name: str, parts: list[tuple[Path, pd.DataFrame]]) -> pd.DataFrame:
    """Add the derived columns of a table and put its rows in a stable order."""
    if name == "timeline":
        frames = []
        for path, frame in parts:
            coded = frame["place"].str.fullmatch(r"[A-Z]{2}|.*, [A-Z]{2}").fillna(False)
            first_bad(coded, f"{path.parent.name}/{path.name}",
                      "write the state's name, not its postal code", column="place",
                      values=frame["place"])
            where = f"{path.parent.name}/{path.name}"
            _state_lists(frame, where)
            named = frame["place"].fillna("").map(
                lambda p: {c for c, n in geo.NAME_BY_POSTAL.items()
                           if re.search(rf"\b{re.escape(n)}\b(?!, )", p)
                           and not (n == "Virginia" and "West Virginia" in p)})
            listed = frame["states"].fillna("").map(lambda c: set(filter(None, c.split(";"))))
            first_bad(pd.Series([not n <= s for n, s in zip(named, listed)], index=frame.index),
                      where, "a state named in 'place' is missing from 'states'",
                      column="states", values=frame["states"])
            frames.append(frame.assign(collection=path.stem.removeprefix("timeline_")))
        out = pd.concat(frames, ignore_index=True)
        out["year"] = out["date"].dt.year.astype("Int64")
        return out.sort_values(["date", "event"], kind="stable").reset_index(drop=True)
    (path, frame), = parts
    file = f"{path.parent.name}/{path.name}"
    if name == "state_laws":
        # The scope flag qualifies a 287(g) rule; on any other row it would say nothing.
        first_bad(frame["state_agencies_only"] & ~(frame["mandates_287g"] | frame["bans_287g"]),
                  file, "state_agencies_only is true only on a row that mandates or bans "
                  "287(g) agreements", column="state_agencies_only")
        frame = frame.assign(state_name=_state_names(frame, file))
        return frame.sort_values(["state", "year", "law"], kind="stable").reset_index(drop=True)
    if name == "polls":
        first_bad(frame["field_end"].isna() & frame["published"].isna(), file,
                  "a poll needs its field dates or its publication date",
                  column="field_end/published")
        return frame.reset_index(drop=True)
    if name == "state_population":
        _state_names(frame, file)
        return frame.sort_values("state").reset_index(drop=True)
    if name == "cases":
        _state_lists(frame, file)
        date = frame["decided"].fillna(frame["filed"])
        first_bad(date.isna(), file, "a case needs a decision date or a filing date",
                  column="filed/decided")
        first_bad(frame["filed"].notna() & frame["decided"].notna()
                  & (frame["decided"] < frame["filed"]), file, "decided before it was filed",
                  column="decided")
        # A pending row has no decision date; a decided row has one (interim rulings
        # such as injunctions are decisions too).
        first_bad(frame["outcome"].eq("pending") != frame["decided"].isna(), file,
                  "'pending' must go with an empty 'decided' and any other outcome with a date",
                  column="outcome", values=frame["outcome"])
        first_bad(frame["decided"].isna() != frame["decided_precision"].isna(), file,
                  "give it exactly when 'decided' is given", column="decided_precision")
        recent_federal = frame["matchup"].eq("federal_v_state_local") & (
            frame["filed"] >= pd.Timestamp("2025-01-20"))
        first_bad(recent_federal != frame["jurisdictions_sued"].notna(), file,
                  "list the jurisdictions named in every federal suit filed since "
                  "2025-01-20, and only there", column="jurisdictions_sued")
        frame = frame.assign(date=date, year=date.dt.year.astype("Int64"))
        frame["era"] = frame["year"].map(era)
        return frame.sort_values(["date", "case"], kind="stable").reset_index(drop=True)
    return frame.reset_index(drop=True)


def read_all(root: Path | None = None) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Every compiled table, derived and validated, and the manifest rows of its files."""
    root = root or paths.ROOT
    keys = bib_keys(bib_files(root))
    tables, rows = {}, []
    for name in COMPILED_TABLES:
        parts = []
        for rel in schema.table_spec(name)["compiled"]:
            path = root / rel
            frame = read(name, path, keys)
            parts.append((path, frame))
            rows.append(manifest_row(
                "compiled", path, "compiled_csv", file=rel, rows=len(frame),
                note=f"compiled by the project with a citation per row; feeds "
                     f"data/{schema.table_spec(name)['file']}"))
        tables[name] = derive(name, parts)
    return tables, rows


TABLES = COMPILED_TABLES


def build(raw: Path, fixes: Corrections) -> Built:
    """The compiled tables (they come from inputs/compiled/, not from the raw folder)."""
    tables, rows = read_all()
    return Built(tables, rows)
