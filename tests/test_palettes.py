"""The book's colours stay apart for readers with red-green colour blindness.

Each palette is simulated for deuteranopia and protanopia (Machado, Oliveira and
Fernandes, 2009, severity 1) and compared in CIE Lab: any two colours of a palette must
differ by a delta E of at least 15 (clearly distinct at a glance), or, where they do not,
the chart must tell them apart by shape or dash as well.
"""

import itertools

import pytest

from coopbook.viz import lawcharts, listcharts, placecharts, theme, timelines

MACHADO = {
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
}
APART = 15.0


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(rgb: list[float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(colour: str, deficiency: str | None) -> tuple[float, float, float]:
    """A colour as Lab, as a reader with the deficiency (or none) sees it."""
    h = colour.lstrip("#")
    rgb = [_linear(int(h[i:i + 2], 16) / 255) for i in (0, 2, 4)]
    if deficiency:
        m = MACHADO[deficiency]
        rgb = [min(1.0, max(0.0, sum(m[r][k] * rgb[k] for k in range(3)))) for r in range(3)]
    return _lab(rgb)


def delta(a: str, b: str, deficiency: str | None) -> float:
    return sum((p - q) ** 2 for p, q in zip(seen(a, deficiency), seen(b, deficiency))) ** 0.5


# palette, and the shapes or dashes that go with its colours (None: colour alone)
PALETTES = {
    "models (lines)": (list(theme.MODEL_COLORS.values()), list(map(str, theme.MODEL_DASH.values()))),
    "county maps": (placecharts.MAP_COLORS, None),
    "law directions": (lawcharts.DIRECTION_COLORS, lawcharts.DIRECTION_SHAPES),
    "timeline actors": (timelines.CATEGORY_COLORS, timelines.CATEGORY_SHAPES),
    "court outcomes (also stacked bars)": (timelines.OUTCOME_COLORS, None),
    "federal lists": (listcharts.LIST_COLORS, None),
}


def test_the_simulation_is_right_where_it_is_known():
    # Red and green, told apart by normal vision, merge under deuteranopia; black and
    # white stay apart under any deficiency.
    assert delta("#ff0000", "#00aa00", None) > 50
    assert delta("#ff0000", "#00aa00", "deuteranopia") < delta("#ff0000", "#00aa00", None) / 2
    assert delta("#000000", "#ffffff", "deuteranopia") > 95


@pytest.mark.parametrize("deficiency", list(MACHADO))
@pytest.mark.parametrize("name", list(PALETTES))
def test_palette_colours_stay_apart_or_have_shapes(name, deficiency):
    colours, marks = PALETTES[name]
    close = [(a, b, round(delta(a, b, deficiency), 1))
             for a, b in itertools.combinations(colours, 2) if delta(a, b, deficiency) < APART]
    if marks is None:
        assert not close, f"{name} under {deficiency}: {close}"
    else:
        assert len(set(marks)) == len(marks) == len(colours), f"{name}: {marks}"
