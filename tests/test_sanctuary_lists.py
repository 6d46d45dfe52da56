"""The DHS (May 2025) and DOJ (Aug 2025) sanctuary lists: counts, fixes, and raw-data errors."""

import shutil

import pytest

from coopbook.errors import DataError
from coopbook.pipeline import sanctuary_lists as sl

MANIFEST_KEYS = {"source", "file", "sha256", "bytes", "kind", "date", "date_basis", "stamp",
                 "sheets", "rows", "blank_rows", "signed_typos", "status", "list_id", "note"}


# --------------------------------------------------------------------------- real files


@pytest.fixture(scope="module")
def dhs(raw_dir):
    return sl.build_dhs(raw_dir / sl.DHS_SOURCE)


@pytest.fixture(scope="module")
def doj(raw_dir):
    return sl.build_doj(raw_dir / sl.DOJ_SOURCE)


def test_dhs_counts(dhs):
    table, _ = dhs
    assert list(table.columns) == sl.DHS_COLUMNS
    assert len(table) == 605
    assert table["entry"].tolist() == list(range(1, 606))
    assert table["listed_as"].value_counts().to_dict() == {"County": 391, "City": 200, "State": 14}
    assert table["state"].nunique() == 36  # 35 states and DC
    assert table["state"].value_counts().head(5).to_dict() == {
        "CA": 112, "IL": 104, "CO": 54, "WA": 41, "VA": 32}
    assert table["name_kind"].value_counts().to_dict() == {
        "county": 391, "city": 198, "state": 14, "district": 1, "city-county": 1}
    assert table["state_name"].notna().all()
    assert not table.duplicated(["state", "listed_as", "jurisdiction"]).any()


def test_dhs_states_in_blocks_and_heading_order(dhs, raw_dir):
    table, _ = dhs
    order = list(dict.fromkeys(table["state"]))
    blocks = (table["state"] != table["state"].shift()).sum()
    assert blocks == len(order) == 36
    parsed = sl.read_dhs_text(raw_dir / sl.DHS_SOURCE / sl.DHS_TEXT)
    assert order == parsed.states
    # Section boundaries the text cannot show, and the Indiana/Kansas one it does.
    assert table.loc[table["state"] == "NV", "jurisdiction"].tolist() == ["Las Vegas City"]
    assert table.loc[table["state"] == "NE", "jurisdiction"].str.endswith("County").all()
    assert table.loc[table["state"] == "IN", "jurisdiction"].tolist() == ["Monroe County"]


def test_dhs_state_entries_carry_dhs_notes(dhs):
    table, _ = dhs
    states = table[table["listed_as"] == "State"]
    assert (states["jurisdiction"] == states["state_name"]).all()
    assert (states["name_kind"] == "state").all()
    assert states["note"].str.startswith("Self-Identification as a State").sum() == 13
    ri = table[(table["state"] == "RI") & (table["listed_as"] == "State")].iloc[0]
    assert ri["note"] == "Court Order Requiring State Sanctuary Requirements"
    dc = table[table["state"] == "DC"]
    assert len(dc) == 1
    dc = dc.iloc[0]
    assert (dc["listed_as"], dc["jurisdiction"], dc["name_kind"], bool(dc["label_flag"])) == (
        "City", "District of Columbia", "district", False)
    assert dc["note"] == "Self-Identification as Local Sanctuary Jurisdiction"
    # No note line survives as a jurisdiction.
    assert not table["jurisdiction"].str.contains("Self-Identification|Court Order").any()


def test_dhs_flagged_mislabels_kept_as_printed(dhs):
    table, _ = dhs
    flagged = table[table["label_flag"]]
    assert flagged[["state", "listed_as", "jurisdiction", "name_kind"]].values.tolist() == [
        ["KS", "County", "Lawrence", "city"],
        ["KS", "City", "Douglas County", "county"],
    ]
    assert flagged["note"].str.contains("kept as printed").all()
    baltimore = table[table["jurisdiction"].str.startswith("Baltimore")]
    assert baltimore[["listed_as", "jurisdiction", "label_flag"]].values.tolist() == [
        ["County", "Baltimore County", False], ["City", "Baltimore City", False]]
    nola = table[table["state"] == "LA"].iloc[0]
    assert (nola["jurisdiction"], nola["listed_as"], nola["name_kind"]) == (
        "New Orleans/Orleans (Parish)", "City", "city-county")


def test_dhs_page_break_repeat_counted_once(dhs):
    table, manifest = dhs
    nicollet = table[table["jurisdiction"] == "Nicollet County"]
    assert len(nicollet) == 1 and nicollet.iloc[0]["state"] == "MN"
    assert "PAGE-BREAK" in nicollet.iloc[0]["note"]
    text = next(m for m in manifest if m["kind"] == "text")
    assert (text["rows"], text["blank_rows"]) == (606, 4)


def test_dhs_names_as_printed(dhs):
    table, _ = dhs
    names = set(table["jurisdiction"])
    assert {"Doña Ana County", "Clarion County", "Oak Park Village", "Las Vegas City",
            "Town of Vail", "Represa"} <= names
    assert (table["jurisdiction"] == table["jurisdiction"].str.split().str.join(" ")).all()
    # Only the flagged rows and the page-break repeat carry a pipeline note.
    piped = table[table["note"].str.contains("pipeline:")]
    assert sorted(piped["jurisdiction"]) == ["Douglas County", "Lawrence", "Nicollet County"]


def test_dhs_manifest(dhs):
    _, manifest = dhs
    assert [m["kind"] for m in manifest] == ["parsed_csv", "pdf", "text"]
    for m in manifest:
        assert set(m) == MANIFEST_KEYS
        assert m["source"] == "dhs-sanctuary-list-2025"
        assert m["date"] == sl.DHS_DATE and m["date_basis"] == "published"
        assert len(m["sha256"]) == 64 and m["bytes"] > 0 and m["status"] == "ok"
    assert manifest[0]["rows"] == 605


def test_doj(doj):
    table, manifest = doj
    assert list(table.columns) == sl.DOJ_COLUMNS
    assert len(table) == 35
    assert table["level"].value_counts().to_dict() == {"State": 13, "City": 18, "County": 4}
    dc = table[table["state"] == "DC"]
    assert dc[["level", "jurisdiction"]].values.tolist() == [["State", "District of Columbia"]]
    assert table["entry"].tolist() == list(range(1, 36))
    assert "San Francisco City" in set(table["jurisdiction"])  # as transcribed, not corrected
    (m,) = manifest
    assert set(m) == MANIFEST_KEYS
    assert (m["kind"], m["rows"], m["date"]) == ("transcribed_csv", 35, sl.DOJ_DATE)


# --------------------------------------------------------------------------- synthetic


def test_name_kind_rules():
    assert sl.name_kind("California") == "state"
    assert sl.name_kind("District of Columbia") == "district"
    assert sl.name_kind("Athens-Clarke County") == "county"
    assert sl.name_kind("Orleans Parish") == "county"
    assert sl.name_kind("New Orleans/Orleans (Parish)") == "city-county"
    assert sl.name_kind("City of Boise") == "city"
    assert sl.name_kind("Baltimore City") == "city"
    assert sl.name_kind("Lawrence") == "city"
    assert sl.label_note("County", "city").startswith("DHS lists it under a county heading")
    assert sl.label_note("City", "city-county") == ""


@pytest.fixture
def dhs_copy(raw_dir, tmp_path):
    """A writable copy of the DHS folder."""
    folder = tmp_path / sl.DHS_SOURCE
    shutil.copytree(raw_dir / sl.DHS_SOURCE, folder)
    for p in folder.iterdir():
        p.chmod(0o644)
    return folder


def _edit(path, old, new, count=1):
    """Replace text in a copied file, keeping its line endings (the CSV's are CRLF)."""
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    assert old in text, old
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text.replace(old, new, count))


def _raises(folder, file, match, row=None, column=None, build=sl.build_dhs):
    with pytest.raises(DataError, match=match) as info:
        build(folder)
    err = info.value
    assert err.file == file and file in str(err)
    if row is not None:
        assert err.row == row and f"row {row}" in str(err)
    if column is not None:
        assert err.column == column and repr(column) in str(err)
    return err


def test_csv_missing_column(dhs_copy):
    _edit(dhs_copy / sl.DHS_CSV, "state,listed_as,jurisdiction,note", "state,listed_as,name,note")
    _raises(dhs_copy, sl.DHS_CSV, "missing column", row=1, column="jurisdiction")


def test_csv_unknown_state(dhs_copy):
    _edit(dhs_copy / sl.DHS_CSV, "Alaska,City,City of Anchorage", "Atlantis,City,City of Anchorage")
    _raises(dhs_copy, sl.DHS_CSV, "Atlantis", row=2, column="state")


def test_csv_unknown_listed_as(dhs_copy):
    _edit(dhs_copy / sl.DHS_CSV, "California,County,Alameda County",
          "California,Borough,Alameda County")
    _raises(dhs_copy, sl.DHS_CSV, "Borough", row=4, column="listed_as")


def test_text_unknown_heading(dhs_copy):
    _edit(dhs_copy / sl.DHS_TEXT, "Cities\u00a0", "Boroughs")
    _raises(dhs_copy, sl.DHS_TEXT, "unknown heading 'Boroughs'", row=45, column="heading")


def test_text_unknown_state_heading(dhs_copy):
    _edit(dhs_copy / sl.DHS_TEXT, "\nGeorgia\n", "\nGeorgiana\n")
    _raises(dhs_copy, sl.DHS_TEXT, "Georgiana", row=31, column="state heading")


def test_csv_row_not_in_text(dhs_copy):
    _edit(dhs_copy / sl.DHS_CSV, "California,County,Amador County,\r\n",
          "California,County,Amador County,\r\nCalifornia,County,Atlantis County,\r\n")
    _raises(dhs_copy, sl.DHS_CSV, "Atlantis County", row=6, column="jurisdiction")


def test_csv_duplicated_row(dhs_copy):
    _edit(dhs_copy / sl.DHS_CSV, "California,County,Amador County,\r\n",
          "California,County,Amador County,\r\nCalifornia,County,Amador County,\r\n")
    _raises(dhs_copy, sl.DHS_CSV, "repeats row 5", row=6, column="jurisdiction")


def test_text_entry_missing_from_csv(dhs_copy):
    _edit(dhs_copy / sl.DHS_CSV, "California,County,Amador County,\r\n", "")
    _raises(dhs_copy, sl.DHS_TEXT, "'Amador County' is missing", row=51, column="entry")


def test_csv_extra_rows_at_end(dhs_copy):
    with open(dhs_copy / sl.DHS_CSV, "a", encoding="utf-8", newline="") as f:
        f.write("Wisconsin,City,Green Bay,\r\n")
    _raises(dhs_copy, sl.DHS_CSV, "Green Bay", row=607, column="jurisdiction")


def test_note_outside_state_or_dc(dhs_copy):
    _edit(dhs_copy / sl.DHS_TEXT, "Cities\nCity of Honolulu",
          "Cities\nSelf-Identification as Local Sanctuary Jurisdiction")
    _raises(dhs_copy, sl.DHS_TEXT, "outside the District of Columbia", column="entry")


def test_state_boundary_in_doubt(dhs_copy):
    # The CSV puts Kansas's only county-heading entry in Indiana: the text says otherwise,
    # and a one-entry heading group cannot out-vote it, so the run stops.
    _edit(dhs_copy / sl.DHS_CSV, "Kansas,County,Lawrence", "Indiana,County,Lawrence")
    _raises(dhs_copy, sl.DHS_CSV, "boundary in doubt", row=294, column="state")


def test_parse_fixes_applied(dhs_copy):
    """Each derivable fix, on a damaged copy of the CSV (and text), is applied and noted."""
    csv_path, text_path = dhs_copy / sl.DHS_CSV, dhs_copy / sl.DHS_TEXT
    # NOTE-AS-NAME: the note line parsed as the jurisdiction.
    _edit(csv_path, "Colorado,State,Colorado,Self-Identification as a State Sanctuary Jurisdiction",
          "Colorado,State,Self-Identification as a State Sanctuary Jurisdiction,")
    # CSV-SPACES: stray whitespace.
    _edit(csv_path, "California,County,Butte County,", "California,County, Butte  County ,")
    # WRONG-HEADING: a county put under City.
    _edit(csv_path, "California,County,Colusa County,", "California,City,Colusa County,")
    # WRONG-STATE: one California county put under Oregon.
    _edit(csv_path, "California,County,Glenn County,", "Oregon,County,Glenn County,")
    # SPLIT-NAME: the text prints a name over two lines, the CSV has it whole.
    _edit(text_path, "\nSan Luis Obispo County\n", "\nSan Luis\nObispo County\n")
    table, manifest = sl.build_dhs(dhs_copy)
    assert len(table) == 605
    row = table.set_index("jurisdiction")
    co = table[(table["state"] == "CO") & (table["listed_as"] == "State")].iloc[0]
    assert co["jurisdiction"] == "Colorado"
    assert co["note"].startswith("Self-Identification as a State Sanctuary Jurisdiction | "
                                 "pipeline:")
    assert "NOTE-AS-NAME" in co["note"]
    assert "CSV-SPACES" in row.at["Butte County", "note"]
    assert row.at["Colusa County", "listed_as"] == "County"
    assert "WRONG-HEADING" in row.at["Colusa County", "note"]
    assert row.at["Glenn County", "state"] == "CA"
    assert "WRONG-STATE" in row.at["Glenn County", "note"]
    assert "SPLIT-NAME" in row.at["San Luis Obispo County", "note"]
    assert "5 row(s) corrected" in manifest[0]["note"]
    # Nothing else changed.
    assert table["label_flag"].sum() == 2


def test_dhs_missing_file(dhs_copy):
    (dhs_copy / sl.DHS_PDF).unlink()
    _raises(dhs_copy, sl.DHS_PDF, "missing")


def _doj(tmp_path, body):
    folder = tmp_path / sl.DOJ_SOURCE
    folder.mkdir()
    (folder / sl.DOJ_CSV).write_text(body, encoding="utf-8")
    return folder


DOJ_OK = "level,jurisdiction,state\nState,Delaware,DE\nCounty,Cook County,IL\nCity,Newark,NJ\n"


def test_doj_synthetic_ok(tmp_path):
    table, manifest = sl.build_doj(_doj(tmp_path, DOJ_OK + "\n"))
    assert table["level"].tolist() == ["State", "County", "City"]
    assert table["state_name"].tolist() == ["Delaware", "Illinois", "New Jersey"]
    assert (manifest[0]["rows"], manifest[0]["blank_rows"]) == (3, 1)


@pytest.mark.parametrize("body, match, row, column", [
    ("level,jurisdiction\nState,Delaware\n", "missing column", 1, "state"),
    (DOJ_OK + "Town,Hoboken,NJ\n", "level is not one of", 5, "level"),
    (DOJ_OK + "City,Hoboken,ZZ\n", "not a state postal code", 5, "state"),
    (DOJ_OK + "City,,NJ\n", "empty cell", 5, "jurisdiction"),
    (DOJ_OK + "City,Newark,NJ\n", "repeats row 4", 5, "jurisdiction"),
    (DOJ_OK + "State,Delaware,MD\n", "does not name its state", 5, "jurisdiction"),
])
def test_doj_malformed(tmp_path, body, match, row, column):
    _raises(_doj(tmp_path, body), sl.DOJ_CSV, match, row=row, column=column, build=sl.build_doj)
