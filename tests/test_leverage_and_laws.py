"""The leverage model and the state-law summary behave as the chapters say."""

import json

import pandas as pd
import pytest
import vl_convert

from coopbook.analysis import law_directions, leverage
from coopbook.viz import levercharts


def test_at_large_arithmetic():
    assert leverage.at_large(3000, 0.7, 1.0) == pytest.approx(900)
    assert leverage.at_large(3000, 0.7, 0.0) == pytest.approx(3000)
    assert leverage.at_large(3000, 0.0, 0.5) == pytest.approx(3000)
    assert leverage.at_large(2000, 0.5, 0.5) == pytest.approx(1500)
    assert leverage.through_jails(2000, 0.5, 0.5) == pytest.approx(500)


@pytest.mark.parametrize(("args", "message"), [
    ((3000, 1.5, 0.5), "jail_share must be a share between 0 and 1"),
    ((3000, 0.5, -0.1), "cooperating_share must be a share between 0 and 1"),
    ((-1, 0.5, 0.5), "goal must be zero or more"),
])
def test_at_large_rejects_impossible_inputs(args, message):
    with pytest.raises(ValueError, match=message):
        leverage.at_large(*args)


def _vega(chart):
    return vl_convert.vegalite_to_vega(chart.to_dict(), vl_version="6.1")


def test_explorable_has_three_sliders_and_computes_the_model_in_the_page():
    vega = _vega(levercharts.explorable(3000, 0.7, 0.6, reference=1000, reference_label="x",
                                     description="A teaching model."))
    binds = {s["name"]: s["bind"] for s in vega["signals"] if "bind" in s}
    assert set(binds) == {"goal", "jail_share", "coop_share"}
    assert all(b["input"] == "range" for b in binds.values())
    values = {s["name"]: s["value"] for s in vega["signals"] if "bind" in s}
    assert values == {"goal": 3000, "jail_share": 0.7, "coop_share": 0.6}
    text = json.dumps(vega)
    # The formula travels in the page as a Vega expression over the three signals.
    assert "goal * (1 - jail_share * coop_share)" in text
    assert vega["description"] == "A teaching model."


def test_the_live_twin_is_absent_from_the_book():
    # Tests run in book mode (conftest), where a widget would be a dead control.
    assert levercharts.explorer(3000, 0.7, 0.6) is None


LAWS = pd.DataFrame({
    "state": ["TX", "TX", "CA", "CO", "CO", "OR"],
    "law": ["SB 4", "SB 8", "SB 54", "HB 1124", "Old mandate", "Repealed law"],
    "year": [2017, 2025, 2017, 2019, 2006, 1990],
    "direction": ["requires", "requires", "restricts", "restricts", "requires", "requires"],
    "mandates_287g": [False, True, False, False, False, False],
    "bans_287g": [False, False, False, True, False, False],
    "state_agencies_only": [False] * 6,
    "status": ["in_force", "in_force", "in_force", "partly_blocked", "repealed", "superseded"],
})


def test_direction_by_state_counts_only_laws_in_effect():
    out = law_directions.direction_by_state(LAWS).set_index("state")
    assert len(out) == 51 and "GU" not in out.index
    assert out.loc["TX", "direction"] == "requires" and out.loc["TX", "mandates_287g"]
    assert out.loc["CA", "direction"] == "restricts"
    # Colorado's repealed mandate does not make it a state "in both directions".
    assert out.loc["CO", "direction"] == "restricts" and out.loc["CO", "bans_287g"]
    assert out.loc["OR", "direction"] == "none"
    assert out.loc["TX", "laws"] == "SB 4 (2017); SB 8 (2025)"


def test_both_directions():
    rows = pd.concat([LAWS, LAWS.iloc[[2]].assign(state="TX", law="X")], ignore_index=True)
    assert law_directions.direction_by_state(rows).set_index("state").loc["TX", "direction"] == "both"


def test_the_live_twin_recomputes_when_a_slider_moves(monkeypatch):
    # In a live notebook (not book mode) the twin is three sliders and the answer in words.
    monkeypatch.delenv("COOPBOOK_RENDER", raising=False)  # the mode is read at each call
    box = levercharts.explorer(3000, 0.5, 0.5)
    goal, jail, coop, result = box.children
    assert (goal.value, jail.value, coop.value) == (3000, 0.5, 0.5)
    assert "At large: <b>2,250</b> a day (75% of the goal)" in result.value
    coop.value = 1.0
    assert "At large: <b>1,500</b> a day" in result.value
    assert "Through cooperating jails: <b>1,500</b> a day" in result.value
    jail.value = 0.0
    assert "At large: <b>3,000</b> a day (100% of the goal)" in result.value
