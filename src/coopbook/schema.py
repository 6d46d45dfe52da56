"""Validate the processed tables against data/schema.json.

Every error names the file, the line, the column and the offending value, so
that a reader who edits a table by hand learns exactly what went wrong.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths
from .errors import DataError, first_bad


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(paths.SCHEMA.read_text())


def table_spec(name: str) -> dict:
    """The spec of a data/ table, or of a hand-kept input (inputs/corrections/)."""
    tables = {**schema()["tables"], **schema().get("inputs", {})}
    if name not in tables:
        raise KeyError(f"no table {name!r} in {paths.SCHEMA.name}; known: {sorted(tables)}")
    return tables[name]


# Numeric types: the text they accept, what a bad value is called, the pandas dtype.
NUMERIC = {"integer": (r"-?\d+", "not an integer", "Int64"),
           "number": (r"-?\d+(\.\d+)?", "not a number", "Float64")}


def _fail_first(file: str, bad: pd.Series, column: str, what: str, raw: pd.Series) -> None:
    first_bad(bad.reindex(raw.index, fill_value=False), file, what, column=column, values=raw)


def columns(name: str, compiled: bool = False) -> list[dict]:
    """A table's column specs; with compiled=True only those typed by hand in inputs/compiled/
    (not the ones the pipeline derives)."""
    return [c for c in table_spec(name)["columns"] if not (compiled and c.get("derived"))]


def parse(name: str, text: pd.DataFrame, file: str | None = None,
          compiled: bool = False) -> pd.DataFrame:
    """Check a table read as strings and return it with typed columns.

    Empty strings are missing values. Raises DataError at the first problem.
    With compiled=True the table is a hand-compiled input from inputs/compiled/, which has
    every column except the derived ones.
    """
    spec = table_spec(name)
    file = file or spec["file"]
    cols = columns(name, compiled)
    expected = [c["name"] for c in cols]
    if list(text.columns) != expected:
        missing = [c for c in expected if c not in text.columns]
        extra = [c for c in text.columns if c not in expected]
        raise DataError(file, f"columns do not match the schema (missing {missing}, "
                              f"unexpected {extra}, expected order {expected})")
    text = text.reset_index(drop=True)
    out = pd.DataFrame(index=text.index)
    for col in cols:
        name_, kind = col["name"], col["type"]
        raw = text[name_].astype("string")
        empty = raw.isna() | raw.str.strip().eq("")
        if col.get("required"):
            _fail_first(file, empty, name_, "required value is missing", raw)
        present = raw[~empty]
        if kind == "string":
            values = raw.where(~empty, pd.NA)
        elif kind in NUMERIC:
            pattern, what, dtype = NUMERIC[kind]
            _fail_first(file, ~present.str.fullmatch(pattern), name_, what, raw)
            values = pd.to_numeric(raw.where(~empty, None)).astype(dtype)
        elif kind == "boolean":
            _fail_first(file, ~present.isin(["True", "False"]), name_, "not True or False", raw)
            values = raw.map({"True": True, "False": False}).astype("boolean")
        elif kind in ("date", "datetime"):
            fmt = "%Y-%m-%d" if kind == "date" else "%Y-%m-%dT%H:%M:%S"
            parsed = pd.to_datetime(present, format=fmt, errors="coerce")
            _fail_first(file, parsed.isna(), name_, f"not a {kind} ({fmt})", raw)
            values = pd.to_datetime(raw.where(~empty, None), format=fmt)
        else:
            raise DataError(paths.SCHEMA.name, f"unknown type {kind!r} for {name_}")
        if "allowed" in col:
            _fail_first(file, ~present.isin(col["allowed"]), name_,
                        f"not one of {col['allowed']}", raw)
        if "pattern" in col:
            _fail_first(file, ~present.str.fullmatch(col["pattern"]), name_,
                        f"does not match {col['pattern']}", raw)
        for bound, op in (("min", "lt"), ("max", "gt")):
            if bound in col:
                _fail_first(file, getattr(values[~empty], op)(col[bound]), name_,
                            f"{'below' if op == 'lt' else 'above'} {col[bound]}", raw)
        out[name_] = values
    key = [k for k in spec.get("primary_key") or [] if k in out.columns]
    if key:
        dup = out.duplicated(key, keep=False)
        if dup.any():
            i = dup.idxmax()
            raise DataError(file, f"duplicate key {key} = {out.loc[i, key].tolist()}",
                            row=int(i) + 2, unit="line")
    return out


def to_text(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Format a typed table as the strings written to CSV (and validate them)."""
    spec = table_spec(name)
    out = pd.DataFrame(index=frame.index)
    for col in spec["columns"]:
        values = frame[col["name"]]
        if col["type"] == "date":
            text = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
        elif col["type"] == "datetime":
            text = pd.to_datetime(values).dt.strftime("%Y-%m-%dT%H:%M:%S")
        elif col["type"] == "boolean":
            text = values.map(lambda v: "" if pd.isna(v) else str(bool(v)))
        else:
            text = values.map(lambda v: "" if v is None or pd.isna(v) else str(v))
        out[col["name"]] = text.fillna("").astype(str)
    parse(name, out)
    return out


def read_csv_text(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)


def dictionary_markdown() -> str:
    """The data dictionary, generated from the schema."""
    lines = ["# Data dictionary", "",
             "Generated from `schema.json` by the pipeline (`make data`); do not edit by hand.",
             ""]
    specs = [("tables", spec) for spec in schema()["tables"].values()]
    specs += [("inputs", spec) for spec in schema().get("inputs", {}).values()]
    for section, spec in specs:
        shown = spec["file"] if section == "tables" else "../" + spec["file"]
        lines += [f"## `{shown}`: {spec['title']}", "", f"Unit: {spec['unit']}.", ""]
        if spec.get("primary_key"):
            lines += [f"Key: {', '.join(spec['primary_key'])}.", ""]
        lines += ["| column | type | required | allowed values | description |",
                  "| --- | --- | --- | --- | --- |"]
        for c in spec["columns"]:
            allowed = ", ".join(c.get("allowed", []))
            if "min" in c or "max" in c:
                allowed = (allowed + " " if allowed else "") + \
                    f"{c.get('min', '')}..{c.get('max', '')}".strip()
            lines.append(f"| `{c['name']}` | {c['type']} | {'yes' if c.get('required') else 'no'}"
                         f" | {allowed} | {c['description']} |")
        lines.append("")
    return "\n".join(lines)
