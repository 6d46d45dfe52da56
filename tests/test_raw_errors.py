"""Bad raw input stops the pipeline with a message that names the file and the problem.

These tests write small workbooks of their own, so they run without ../shared.
"""

import datetime as dt
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from coopbook import pipeline
from coopbook.errors import DataError
from coopbook.pipeline import corrections, ice287g

HEADER = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA"]
GOOD = [
    ["TEXAS", "Harris County Sheriff's Office", "County", "Harris County",
     "Jail Enforcement Model", dt.date(2025, 1, 10), "link"],
    ["FLORIDA", "Miami Police Department", "Municipality", "Miami-Dade County",
     "Task Force Model", dt.date(2025, 1, 20), "link"],
]


def write(folder, name, rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = folder / name
    book.save(path)
    return path


def build(folder):
    """ice287g's tables for a folder of lists, with the project's corrections."""
    built = ice287g.build(folder, corrections.read())
    return SimpleNamespace(lists=built.tables["ice287g_lists"],
                           agreements_latest=built.tables["ice287g_agreements_latest"],
                           changes=built.tables["ice287g_changes"],
                           manifest=pd.DataFrame(built.manifest))


def test_a_clean_folder_builds(tmp_path):
    write(tmp_path, "participatingAgencies04012025am.xlsx", GOOD)
    write(tmp_path, "participatingAgencies04022025pm.xlsx", [GOOD[0], [" "] * 7, GOOD[1]])
    result = build(tmp_path)
    assert list(result.lists["agreements"]) == [2, 2]
    assert list(result.lists["list_id"]) == ["2025-04-01-am", "2025-04-02-pm"]
    assert result.manifest["blank_rows"].tolist() == [0, 1]
    assert set(result.agreements_latest["model"]) == {"JEM", "TFM"}


def test_identical_captures_collapse_but_publications_do_not(tmp_path):
    for stamp in ("20250221000000", "20250222000000"):
        write(tmp_path, f"participatingAgencies-{stamp}.xlsx", GOOD)
    write(tmp_path, "participatingAgencies-20250223000000.xlsx", GOOD[:1])
    result = build(tmp_path)
    assert result.lists["captures"].tolist() == [2, 1]
    assert result.lists["last_seen"].iloc[0] == dt.datetime(2025, 2, 22)


def test_a_list_dated_before_its_own_agreements_is_flagged_misdated(tmp_path):
    write(tmp_path, "participatingAgencies01052025pm.xlsx", GOOD)  # lists 2025-01-20
    write(tmp_path, "participatingAgencies04012025am.xlsx", GOOD)
    result = build(tmp_path)
    flagged = result.lists.set_index("list_id")
    assert flagged.at["2025-01-05-pm", "status"] == "misdated"
    assert not flagged.at["2025-01-05-pm", "in_series"]
    assert "after the date in its name" in flagged.at["2025-01-05-pm", "note"]


def test_an_impossible_signing_year_is_read_as_missing_and_counted(tmp_path):
    row = GOOD[0][:5] + [dt.date(5025, 7, 7), "link"]
    write(tmp_path, "participatingAgencies07082025pm.xlsx", [row, GOOD[1]])
    result = build(tmp_path)
    assert result.manifest["signed_typos"].tolist() == [1]
    assert result.lists["status"].tolist() == ["ok"]
    assert result.agreements_latest["signed"].isna().sum() == 1


@pytest.mark.parametrize("column, value, expected", [
    ("STATE", "ATLANTIS", "not a U.S. state or territory (value 'ATLANTIS')"),
    ("SUPPORT TYPE", "Border Model", "support type names no known model"),
    ("SIGNED", "someday", "not a date (value 'someday')"),
    ("TYPE", "Tribal", "unknown agency type"),
    ("LAW ENFORCEMENT AGENCY", "  ", "agency name is empty"),
])
def test_a_bad_cell_names_file_row_and_column(tmp_path, column, value, expected):
    bad = list(GOOD[1])
    bad[HEADER.index(column)] = value
    write(tmp_path, "participatingAgencies04012025am.xlsx", [GOOD[0], bad])
    with pytest.raises(DataError) as err:
        build(tmp_path)
    message = str(err.value)
    assert message.startswith("participatingAgencies04012025am.xlsx, row 3, column")
    assert repr(column) in message and expected in message


def test_an_unexpected_file_name_is_refused(tmp_path):
    write(tmp_path, "agencies-latest.xlsx", GOOD)
    with pytest.raises(DataError, match=r"agencies-latest.xlsx: unexpected file name"):
        build(tmp_path)


def test_an_impossible_date_in_a_name_is_refused(tmp_path):
    write(tmp_path, "participatingAgencies13452025am.xlsx", GOOD)
    with pytest.raises(DataError, match="holds no valid date"):
        build(tmp_path)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    (tmp_path / "participatingAgencies04012025am.xlsx").write_bytes(b"not a zip file")
    with pytest.raises(DataError, match="not a readable .xlsx workbook"):
        build(tmp_path)


def test_a_stray_file_is_refused(tmp_path):
    write(tmp_path, "participatingAgencies04012025am.xlsx", GOOD)
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(DataError, match=r"notes.txt: not an .xlsx file"):
        build(tmp_path)


def test_missing_and_unexpected_columns_are_refused(tmp_path):
    write(tmp_path, "participatingAgencies04012025am.xlsx", [r[:5] for r in GOOD], HEADER[:5])
    with pytest.raises(DataError, match=r"row 1: missing column\(s\) \['SIGNED'\]"):
        build(tmp_path)
    write(tmp_path, "participatingAgencies04012025am.xlsx", [r + ["x"] for r in GOOD],
          HEADER + ["NOTES"])
    with pytest.raises(DataError, match=r"unexpected column\(s\) \['NOTES'\]"):
        build(tmp_path)


def test_an_empty_list_is_refused(tmp_path):
    write(tmp_path, "participatingAgencies04012025am.xlsx", [])
    with pytest.raises(DataError, match="header but no rows"):
        build(tmp_path)


def test_the_command_line_reports_the_problem_and_exits_2(tmp_path, capsys):
    ice = tmp_path / "ice-287g-lists"
    ice.mkdir()
    write(ice, "participatingAgencies04012025am.xlsx", [["MARS"] + GOOD[0][1:]])
    assert pipeline.main(["--raw", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "pipeline stopped: participatingAgencies04012025am.xlsx, row 2, column 'STATE'" in err
    assert not (tmp_path / "out").exists()
