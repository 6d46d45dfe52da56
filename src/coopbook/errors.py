"""One error type for bad input, and one helper that finds the first bad row.

Every message names the file, the row (or line) and the column, and the value
when there is one, so that whoever edits a raw file, a correction or a compiled
table learns exactly what is wrong and where.
"""

from __future__ import annotations

import pandas as pd


class DataError(ValueError):
    """A file the pipeline or a loader cannot accept: raw, correction, compiled or data/."""

    def __init__(self, file: str, what: str, row: int | None = None,
                 column: str | None = None, value: object = None, unit: str = "row"):
        where = file
        if row is not None:
            where += f", {unit} {row}"
        if column is not None:
            where += f", column {column!r}"
        message = f"{where}: {what}"
        if value is not None:
            message += f" (value {value!r})"
        super().__init__(message)
        self.file, self.row, self.column, self.value = file, row, column, value


def first_bad(bad: pd.Series, file: str | pd.Series, what: str, column: str | None = None,
              values: pd.Series | None = None, rows: pd.Series | None = None,
              unit: str = "line") -> None:
    """Raise DataError at the first row where `bad` is true, if any.

    `file` and `rows` may be per-row Series (a frame of many raw files); by default a
    row's number is its CSV line (index + 2, the header being line 1).
    """
    bad = bad.fillna(False).astype(bool)
    if not bad.any():
        return
    i = bad.idxmax()
    name = file.at[i] if isinstance(file, pd.Series) else file
    row = int(rows.at[i]) if rows is not None else int(i) + 2
    value = values.at[i] if values is not None else None
    raise DataError(name, what, row=row, column=column, value=value, unit=unit)
