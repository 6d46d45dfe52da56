"""The book's one chart theme: colours, sizes and fonts every chart shares."""

from __future__ import annotations

import altair as alt

# Okabe-Ito, safe for the common forms of color blindness; every chart also
# separates series by dash, shape or label, never by color alone.
MODEL_ORDER = ["Total", "TFM", "WSO", "JEM"]

# One name per model everywhere (legends, menus, tooltips): the full name, with ICE's
# short code that the tables use.
MODEL_LABELS = {
    "Total": "All agreements",
    "JEM": "Jail Enforcement Model (JEM)",
    "WSO": "Warrant Service Officer (WSO)",
    "TFM": "Task Force Model (TFM)",
}

MODEL_COLORS = {"Total": "#000000", "TFM": "#009E73", "WSO": "#E69F00", "JEM": "#0072B2"}

MODEL_DASH = {"Total": [1, 0], "TFM": [6, 3], "WSO": [2, 2], "JEM": [8, 2, 2, 2]}

SEQUENTIAL = "viridis"

# Fixed widths: Vega's "container" sizing does not reach into concatenated views, and
# one width for every chart keeps the page even. On narrow screens the site's script
# (coopbook.js, capWidths) narrows each view to fit.
WIDTH = 560

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


@alt.theme.register("coopbook", enable=True)
def theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": 600, "continuousHeight": 320, "stroke": None},
            "title": {"fontSize": 16, "anchor": "start", "subtitleColor": "#444444",
                      "subtitleFontSize": 13},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": "#333333",
                     "titleColor": "#222222", "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "top"},
            "range": {"category": list(MODEL_COLORS.values())},
        }
    }


def source_line(text: str) -> str:
    """A chart subtitle naming its source."""
    return f"Source: {text}"
