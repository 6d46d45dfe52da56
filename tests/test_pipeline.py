"""The pipeline on the real raw data: reproducibility and the cleaning rules."""

import filecmp

import pandas as pd
import pytest

from coopbook import geo, paths, pipeline, schema
from coopbook.pipeline import corrections, ice287g
from coopbook.pipeline.files import sha256_file

pytestmark = pytest.mark.raw


def test_rebuild_equals_committed_tables(rebuilt):
    _, folder = rebuilt
    differ = [str(p) for p in pipeline.outputs()
              if not filecmp.cmp(folder / p, paths.DATA / p, shallow=False)]
    assert differ == [], f"data/ is stale; run `make data`: {differ}"


def test_february_2_morning_list_holds_1381_agreements(rebuilt):
    lists = rebuilt[0]["ice287g_lists"]
    row = lists[lists["list_id"] == "2026-02-02-am"]
    assert len(row) == 1
    assert int(row["agreements"].iloc[0]) == 1381
    assert row["file"].iloc[0] == "participatingAgencies02022026am.xlsx"


def test_every_raw_file_is_in_the_manifest_with_its_hash(rebuilt, raw_dir):
    manifest = rebuilt[0]["manifest"]
    ice = manifest[manifest["source"] == "ice-287g-lists"]
    files = sorted(p.name for p in (raw_dir / "ice-287g-lists").glob("*.xlsx"))
    assert sorted(ice["file"]) == files
    sample = ice.iloc[0]
    assert sample["sha256"] == sha256_file(raw_dir / "ice-287g-lists" / sample["file"])


def test_no_row_is_dropped_silently(rebuilt, raw_dir):
    """Rows read + blank rows skipped = every row under the header, file by file."""
    import python_calamine

    manifest = rebuilt[0]["manifest"].set_index("file")
    for name in ["participatingAgencies05182026am.xlsx", "ParticipatingEntities-20210113002027.xlsx"]:
        book = python_calamine.CalamineWorkbook.from_path(str(raw_dir / "ice-287g-lists" / name))
        body = book.get_sheet_by_index(0).to_python()[1:]
        assert manifest.at[name, "rows"] + manifest.at[name, "blank_rows"] == len(body)


def test_models_add_up_and_states_are_known(rebuilt):
    frames = rebuilt[0]
    lists = frames["ice287g_lists"].dropna(subset=["agreements"])
    assert (lists["jem"] + lists["wso"] + lists["tfm"] == lists["agreements"]).all()
    codes = set(frames["ice287g_list_state_model"]["state"])
    assert codes <= set(geo.FIPS)
    assert {"GU", "MP"} <= codes  # territories are kept, and flagged
    latest = frames["ice287g_agreements_latest"]
    assert latest.loc[latest["state"].isin(["GU", "MP"]), "territory"].all()
    assert not latest.loc[~latest["state"].isin(geo.TERRITORIES), "territory"].any()


def test_state_typos_are_read_through_the_corrections_file():
    rows = pd.DataFrame({"file": "x.xlsx", "row": [2, 3, 4, 5],
                         "STATE": ["PENNSLYVANIA", " UTAHJ ", "West Viriginia",
                                   "Northern Mariana Islands"],
                         "LAW ENFORCEMENT AGENCY": "A", "SUPPORT TYPE": "Jail", "SIGNED": None,
                         "TYPE": None, "COUNTY": None})
    fixes = corrections.read()
    assert ice287g.tidy(rows, fixes)["state"].tolist() == ["PA", "UT", "WV", "MP"]
    assert len(fixes.used["state_names"]) == 3
    assert geo.normalize_state("ATLANTIS") is None


def test_identical_captures_are_collapsed(rebuilt):
    lists = rebuilt[0]["ice287g_lists"]
    for kind, captured in lists[lists["kind"] != "ice_published"].groupby("kind"):
        captured = captured.sort_values("stamp")
        same = captured["content_sha256"].eq(captured["content_sha256"].shift())
        assert not same.any(), f"{kind}: identical consecutive captures left apart"
    captured = lists[lists["kind"] != "ice_published"]
    capture_files = len(list((paths.raw_dir() / "ice-287g-lists").glob("*-2*.xlsx")))
    assert captured["captures"].sum() == capture_files  # every capture file is counted once
    manifest = rebuilt[0]["manifest"]
    ice = manifest[manifest["source"] == "ice-287g-lists"]
    members = ice[ice["status"] != "partial"].groupby("list_id").size()
    assert (members.reindex(lists["list_id"]).dropna() == lists.set_index("list_id")[
        "captures"].reindex(members.index).dropna()).all()


def test_flagged_lists_and_their_reasons(rebuilt, raw_dir):
    lists = rebuilt[0]["ice287g_lists"].set_index("file")
    # Named January 2025 but listing agreements signed in late 2025: a year typo.
    for name in ["participatingAgencies01052025pm.xlsx", "participatingAgencies01092025pm.xlsx",
                 "participatingAgencies08022025pm.xlsx"]:
        assert lists.at[name, "status"] == "misdated"
        assert not lists.at[name, "in_series"]
    # The stated reasons in inputs/corrections/known_issues.csv hold.
    assert lists.at["participatingAgencies04212025am.xlsx", "content_sha256"] == \
        lists.at["participatingAgencies03062025am.xlsx", "content_sha256"]
    fixes = corrections.read()
    partial = ice287g.parse_name(raw_dir / "ice-287g-lists" / "participatingAgencies09222025pm.xlsx",
                                 fixes)
    ice287g.read_rows(partial, fixes)
    assert partial.status == "partial" and partial.rows is None
    flagged = lists["status"].value_counts().drop("ok").to_dict()
    assert flagged == {"misdated": 4, "stale": 1, "partial": 1}


def test_signed_typo_is_counted_not_hidden(rebuilt):
    manifest = rebuilt[0]["manifest"]
    typos = manifest[manifest["signed_typos"] > 0]
    assert len(typos) == 9 and typos["file"].str.contains("07..2025").all()


def test_month_table_uses_last_list_seen_in_each_month(rebuilt):
    frames = rebuilt[0]
    lists = frames["ice287g_lists"].set_index("list_id")
    table = frames["ice287g_month_state_model"]
    assert (table["jem"] + table["wso"] + table["tfm"] == table["agreements"]).all()
    month = table.groupby("month")["agreements"].sum()
    assert month["2026-05"] == lists.at["2026-05-18-am", "agreements"]
    # Captured unchanged from 2024-12-18 to 2025-02-15: January 2025 shows that list.
    run = lists.loc["2024-12-18T025939"]
    assert run["last_seen"] >= pd.Timestamp("2025-02-01")
    assert month["2025-01"] == run["agreements"] == 135
    assert month.index.is_monotonic_increasing and month.index.is_unique


def test_latest_table_is_the_newest_list(rebuilt):
    frames = rebuilt[0]
    lists = frames["ice287g_lists"]
    newest = lists[lists["in_series"]].sort_values("stamp").iloc[-1]
    assert len(frames["ice287g_agreements_latest"]) == newest["agreements"]
    assert newest["list_id"] == frames["qa_summary"].set_index("check").at[
        "newest list in the series", "value"]


def test_written_tables_pass_their_schema(rebuilt):
    """Every processed table passes its schema when read back from disk."""
    _, folder = rebuilt
    for name in pipeline.TABLES:
        spec = schema.table_spec(name)
        table = schema.parse(name, schema.read_csv_text(folder / spec["file"]))
        assert len(table) > 0
        assert isinstance(table, pd.DataFrame)
