"""A table that readers can search and sort in the static page, with no kernel.

In the built book the rows travel as compact JSON inside the page and the
site's own script (coopbook.js) draws them, 10 at a time or all at once; a long
table's page keeps its first rows only and fetches the rest when the reader first
searches, sorts or pages (coopbook.site.extension.lazy_tables). In a live notebook
the same call returns the pandas DataFrame, which Jupyter shows as usual.
"""

from __future__ import annotations

import hashlib
import html
import json

import pandas as pd

from ..site import protocol
from .render import book_mode


class SearchableTable:
    def __init__(self, frame: pd.DataFrame, caption: str, label: str, unit: str):
        self.frame, self.caption, self.label, self.unit = frame, caption, label, unit

    def _repr_html_(self) -> str:
        cols = list(self.frame.columns)
        frame = self.frame.astype(object).where(self.frame.notna(), "")
        # Columns with few distinct values travel as indexes into a list of those values.
        dicts = {}
        for i, col in enumerate(cols):
            values = sorted(frame[col].astype(str).unique())
            if len(values) <= 255 and len(values) < len(frame) / 4:
                dicts[str(i)] = values
                frame[col] = frame[col].astype(str).map({v: k for k, v in enumerate(values)})
        rows = frame.values.tolist()
        payload = json.dumps({"columns": cols, "dicts": dicts, "rows": rows, "unit": self.unit},
                             separators=(",", ":"), ensure_ascii=False, default=str)
        payload = payload.replace("</", "<\\/")
        uid = protocol.TABLE_ID + hashlib.sha256(payload.encode()).hexdigest()[:12]
        head = "".join(
            f'<th scope="col"><button type="button" data-col="{i}">{html.escape(c)}'
            f'<span class="coop-sort" aria-hidden="true"></span></button></th>'
            for i, c in enumerate(cols)
        )
        return (
            f'<div class="{protocol.TABLE}" id="{uid}">'
            f'<label for="{uid}-q">{html.escape(self.label)}</label> '
            f'<input type="search" id="{uid}-q" autocomplete="off" spellcheck="false">'
            f'<p class="{protocol.TABLE_COUNT}" aria-live="polite">{len(rows)} {self.unit}</p>'
            f'<div class="coop-table-scroll" tabindex="0" role="region" '
            f'aria-label="{html.escape(self.caption)}">'
            f"<table><caption>{html.escape(self.caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody></tbody></table></div>"
            f'<div class="coop-table-pages"><button type="button" data-page="-1">Previous'
            f'</button> <span class="coop-table-page"></span> <button type="button" '
            f'data-page="1">Next</button> <button type="button" data-all aria-pressed="false">'
            f"Show all</button></div>"
            f'<script type="application/json" class="{protocol.TABLE_DATA}">{payload}</script>'
            f"</div><script>window.{protocol.TABLES}&&window.{protocol.TABLES}();</script>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self._repr_html_(),
                "text/plain": f"[table] {self.caption}: {len(self.frame)} {self.unit}"}


def searchable(frame: pd.DataFrame, caption: str, label: str = "Search the table",
               unit: str = "rows"):
    """A searchable, sortable table in the built book; the DataFrame itself in live Jupyter."""
    if not book_mode():
        return frame
    return SearchableTable(frame, caption, label, unit)


class StaticTable:
    """A short plain HTML table with a caption: read as is, printed as is, no script."""

    def __init__(self, frame: pd.DataFrame, caption: str):
        self.frame, self.caption = frame, caption

    def _repr_html_(self) -> str:
        head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in self.frame.columns)
        labels = [html.escape(str(c), quote=True) for c in self.frame.columns]
        body = "".join(
            "<tr>" + "".join(f'<td data-label="{label}">{html.escape(str(v))}</td>'
                             for label, v in zip(labels, row)) + "</tr>"
            for row in self.frame.fillna("").itertuples(index=False))
        return (f'<div class="{protocol.STATIC_TABLE}"><table><caption>{html.escape(self.caption)}'
                f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self._repr_html_(),
                "text/plain": f"[table] {self.caption}: {len(self.frame)} rows"}


def static(frame: pd.DataFrame, caption: str):
    """A short table as plain HTML in the built book; the DataFrame itself in live Jupyter."""
    if not book_mode():
        return frame
    return StaticTable(frame, caption)
