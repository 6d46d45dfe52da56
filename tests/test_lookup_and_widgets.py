"""A place typed by a reader: known names work in any form; unknown ones get a clear message."""

import pytest

from coopbook import geo
from coopbook.viz import widgets


@pytest.mark.parametrize("typed", ["Texas", "texas", " TEXAS ", "TX", "tx"])
def test_known_state_in_any_form(typed):
    assert geo.lookup_state(typed) == "TX"


def test_unknown_place_is_named_with_suggestions():
    with pytest.raises(KeyError) as err:
        geo.lookup_state("Texsa")
    assert "'Texsa' is not a U.S. state, territory or postal code" in err.value.args[0]
    assert "Did you mean: Texas" in err.value.args[0]
    with pytest.raises(KeyError, match="'Gotham' is not a U.S. state"):
        geo.lookup_state("Gotham")


def test_state_summary_for_a_state_and_an_unknown_place():
    agencies, monthly = widgets.state_summary("Florida")
    assert len(agencies) > 100 and (agencies["State"] == "Florida").all()
    assert monthly.loc["2025-01"].sum() < monthly.iloc[-1].sum()
    with pytest.raises(KeyError, match="'Narnia' is not a U.S. state"):
        widgets.state_summary("Narnia")


def test_explorer_is_hidden_in_the_book_and_reacts_in_a_notebook(capsys):
    assert widgets.show_state_explorer() is None  # COOPBOOK_RENDER=book: no dead control
    explorer = widgets.state_explorer()
    menu, typed = explorer.children[0].children
    menu.value = "GA"
    assert "Georgia:" in capsys.readouterr().out
    typed.value = "Hennepen"
    assert "Hennepin County, Minnesota" in capsys.readouterr().out
    typed.value = "Zzyzx Springs"
    assert "Nothing in the book's data matches 'Zzyzx Springs'" in capsys.readouterr().out
    typed.value = "minnesota"
    assert "Minnesota:" in capsys.readouterr().out


def test_the_live_explorer_finds_a_county_with_a_typo_and_says_when_nothing_matches():
    assert "Hennepin County, Minnesota" in widgets.finder_text("Hennepen")
    text = widgets.finder_text("Zzyzx Springs")
    assert "'Zzyzx Springs'" in text and "every state still has a page" in text
