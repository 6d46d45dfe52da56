"""Explorers for live notebooks (ipywidgets). The static book shows none of them:
a widget without a kernel would be a dead control."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd
from IPython.display import display

from .. import geo, load
from ..analysis import places, stats
from .render import book_mode


def state_summary(state: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A state's agencies on the newest list and its agreements by month and model.

    `state` may be a name or a postal code, in any case; an unknown place raises
    KeyError with a message that names it and suggests close matches.
    """
    code = geo.lookup_state(state)
    latest = load.agreements_latest()
    agencies = stats.agency_table(latest[latest["state"] == code])
    monthly = load.month_state_model()
    monthly = monthly[monthly["state"] == code].set_index("month").drop(columns="state")
    return agencies, monthly


def finder_text(query: str, limit: int = 20) -> str:
    """What the "Find your place" page shows for a query, as plain text."""
    found = places.find(query)
    if not found:
        return (f"Nothing in the book's data matches {query.strip()!r}. The finder knows the "
                "agencies on ICE's 287(g) lists since 2021 and the places on the DHS and DOJ "
                "lists of 2025; every state still has a page (pick it in the menu).")
    lines = [f"{len(found)} match{'es' if len(found) != 1 else ''} for {query.strip()!r}:"]
    for e in found[:limit]:
        where = "" if e.layer == "state" else f", {geo.NAME_BY_POSTAL[e.state]}"
        lines.append(f"  {e.name}{where}: {places.describe(e)}")
    if len(found) > limit:
        lines.append(f"  ... and {len(found) - limit} more: type more to narrow them.")
    return "\n".join(lines)


def state_explorer() -> w.VBox:
    """A state menu, a free-text box, and the selected state's agencies and timeline."""
    codes = sorted(set(load.agreements_latest()["state"]))
    options = [(geo.NAME_BY_POSTAL[c], c) for c in codes]
    menu = w.Dropdown(options=options, value="TX" if "TX" in codes else codes[0],
                      description="State:")
    typed = w.Text(placeholder="a state, county, city or agency", description="Look up:",
                   continuous_update=False)
    out = w.Output()

    def show(code: str) -> None:
        out.clear_output()
        with out:
            try:
                agencies, monthly = state_summary(code)
            except KeyError as exc:
                print(exc.args[0])
                return
            name = geo.NAME_BY_POSTAL[geo.lookup_state(code)]
            print(f"{name}: {len(agencies)} agencies on the newest list")
            display(monthly.tail(12))
            display(agencies)

    def look_up(text: str) -> None:
        """A state shows its summary; any other place goes through the finder's rules."""
        try:
            geo.lookup_state(text)
        except KeyError:
            out.clear_output()
            with out:
                print(finder_text(text))
            return
        show(text)

    menu.observe(lambda change: show(change["new"]), names="value")
    typed.observe(lambda change: look_up(change["new"]), names="value")
    show(menu.value)
    return w.VBox([w.HBox([menu, typed]), out])


def show_state_explorer() -> w.VBox | None:
    """The explorer for a live notebook, None in the built book (which shows nothing).

    It is returned, not displayed: as a cell's last expression Jupyter shows it once.
    """
    if book_mode():
        return None
    return state_explorer()
