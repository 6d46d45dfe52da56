"""Explorers for live notebooks (ipywidgets). The static book shows none of them:
a widget without a kernel would be a dead control."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd
from IPython.display import display

from .. import geo, load
from ..analysis import stats
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


def state_explorer() -> w.VBox:
    """A state menu, a free-text box, and the selected state's agencies and timeline."""
    codes = sorted(set(load.agreements_latest()["state"]))
    options = [(geo.NAME_BY_POSTAL[c], c) for c in codes]
    menu = w.Dropdown(options=options, value="TX" if "TX" in codes else codes[0],
                      description="State:")
    typed = w.Text(placeholder="or type a state name or code", description="Look up:",
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

    menu.observe(lambda change: show(change["new"]), names="value")
    typed.observe(lambda change: show(change["new"]), names="value")
    show(menu.value)
    return w.VBox([w.HBox([menu, typed]), out])


def show_state_explorer() -> w.VBox | None:
    """The explorer for a live notebook, None in the built book (which shows nothing).

    It is returned, not displayed: as a cell's last expression Jupyter shows it once.
    """
    if book_mode():
        return None
    return state_explorer()
