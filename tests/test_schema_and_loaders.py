"""Loading validates every table; a damaged table fails with file, line and column."""

import pandas as pd
import pytest

from coopbook import load, schema
from coopbook.analysis import stats
from coopbook.errors import DataError


def test_every_committed_table_loads_and_validates():
    for name in schema.schema()["tables"]:
        table = load.table(name)
        assert len(table) > 0


def test_loaders_return_typed_columns():
    lists = load.lists()
    assert str(lists["agreements"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(lists["date"])
    assert lists["in_series"].dtype == "boolean"


def damaged(tmp_path, name, edit):
    spec = schema.table_spec(name)
    text = schema.read_csv_text(load.paths.DATA / spec["file"])
    edit(text)
    text.to_csv(tmp_path / spec["file"], index=False)
    return tmp_path


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.__setitem__("agreements", t["agreements"].where(t.index != 4, "many")),
     "line 6, column 'agreements': not an integer (value 'many')"),
    (lambda t: t.__setitem__("status", t["status"].where(t.index != 0, "fine")),
     "line 2, column 'status': not one of"),
    (lambda t: t.__setitem__("date", t["date"].where(t.index != 2, "02/03/2025")),
     "line 4, column 'date': not a date"),
    (lambda t: t.__setitem__("list_id", t["list_id"].where(t.index != 3, t["list_id"][2])),
     "duplicate key ['list_id']"),
    (lambda t: t.pop("note"), "columns do not match the schema"),
    (lambda t: t.__setitem__("captures", t["captures"].where(t.index != 1, "0")),
     "line 3, column 'captures': below 1"),
])
def test_a_damaged_table_names_what_is_wrong(tmp_path, edit, message):
    folder = damaged(tmp_path, "ice287g_lists", edit)
    with pytest.raises(DataError) as err:
        load.table("ice287g_lists", folder)
    assert str(err.value).startswith("ice287g_lists.csv")
    assert message in str(err.value)


def test_a_missing_table_says_how_to_rebuild(tmp_path):
    with pytest.raises(FileNotFoundError, match="make data"):
        load.table("ice287g_lists", tmp_path)


def test_an_unknown_table_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="known: "):
        schema.table_spec("sanctuary_cities")


def test_list_lookup_by_date_and_its_errors():
    assert load.list_on("2026-02-02", "am")["agreements"] == 1381
    with pytest.raises(KeyError, match="no in-series list on 2026-02-01; nearest: "):
        load.list_on("2026-02-01")
    assert load.list_before("2025-01-20")["agreements"] == 135
    with pytest.raises(KeyError, match="no list on or before 2019-01-01"):
        load.list_before("2019-01-01")


def test_claim_arithmetic_on_the_list_of_february_6():
    part, total, share = stats.share_of("2026-02-06-am", ["TX", "FL", "GA"])
    assert (part, total) == (682, 1380)
    assert share < 0.5
    with pytest.raises(KeyError, match="no in-series list 'nope'"):
        stats.state_counts("nope")
    with pytest.raises(ValueError, match="postal codes"):
        stats.share_of("2026-02-06-am", ["Texas"])


def test_the_agency_table_has_one_row_per_agency():
    latest = load.agreements_latest()
    table = stats.agency_table(latest)
    assert len(table) == len(latest.drop_duplicates(["state", "agency"]))
    assert table["Models"].str.split(", ").map(len).sum() == len(latest)
