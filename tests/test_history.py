"""Agreement identity and history: stable ids, additions, removals, gaps, folds, refresh."""

import shutil

import openpyxl
import pandas as pd
import pytest
import python_calamine

from coopbook import load, paths, pipeline
from coopbook.errors import DataError
from coopbook.geo import NAME_BY_POSTAL
from coopbook.pipeline import corrections, history


def lists(*agencies_by_list):
    """A synthetic series: one list per argument, each a list of (state, agency, model)."""
    ids = [f"2025-06-{day:02d}-am" for day in range(1, len(agencies_by_list) + 1)]
    frames = {}
    for list_id, rows in zip(ids, agencies_by_list):
        frames[list_id] = pd.DataFrame(
            [{"row": n + 2, "state": s, "agency": a, "model": m, "agency_type": "County",
              "county": None, "signed": pd.Timestamp("2025-01-01")}
             for n, (s, a, m) in enumerate(rows)])
    series = pd.DataFrame({"list_id": ids, "date": pd.to_datetime([i[:10] for i in ids]),
                           "agreements": [len(r) for r in agencies_by_list]})
    return series, frames


def fixes_with(tmp_path, **extra_rows):
    """The project's correction files, copied, with extra rows appended per kind."""
    folder = tmp_path / "corrections"
    shutil.copytree(corrections.FOLDER, folder)
    for kind, rows in extra_rows.items():
        with open(folder / f"{kind}.csv", "a") as f:
            f.writelines(",".join(row) + "\n" for row in rows)
    return corrections.read(folder)


def empty_fixes(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    for kind in corrections.KINDS:
        header = (corrections.FOLDER / f"{kind}.csv").read_text().splitlines()[0]
        (folder / f"{kind}.csv").write_text(header + "\n")
    return corrections.read(folder)


HARRIS = ("TX", "Harris County Sheriff's Office", "JEM")
DALLAS = ("TX", "Dallas County Sheriff's Office", "JEM")
MIAMI = ("FL", "Miami Police Department", "TFM")


def test_ids_are_built_from_state_name_and_model_not_row_numbers(tmp_path):
    built = history.build(*lists([HARRIS, MIAMI], [MIAMI, HARRIS]), empty_fixes(tmp_path))
    ids = built.tables["ice287g_agreements"]["agreement_id"].tolist()
    assert ids == ["fl-miami-police-department-tfm", "tx-harris-county-sheriffs-office-jem"]


def test_case_and_punctuation_do_not_make_a_new_agreement(tmp_path):
    shouting = ("TX", "HARRIS COUNTY SHERIFFS OFFICE", "JEM")
    built = history.build(*lists([HARRIS], [shouting]), empty_fixes(tmp_path))
    table = built.tables["ice287g_agreements"]
    assert len(table) == 1 and table.at[0, "spellings"] == 2
    assert table.at[0, "agency"] == "HARRIS COUNTY SHERIFFS OFFICE"  # as ICE last spelled it
    assert built.tables["ice287g_changes"].empty


def test_additions_and_removals_are_dated_to_the_list_that_shows_them(tmp_path):
    built = history.build(*lists([HARRIS], [HARRIS, DALLAS], [DALLAS]), empty_fixes(tmp_path))
    changes = built.tables["ice287g_changes"]
    assert changes[["list_id", "previous_list", "change", "agency"]].values.tolist() == [
        ["2025-06-02-am", "2025-06-01-am", "added", "Dallas County Sheriff's Office"],
        ["2025-06-03-am", "2025-06-02-am", "removed", "Harris County Sheriff's Office"]]
    table = built.tables["ice287g_agreements"].set_index("agency")
    assert table.at["Harris County Sheriff's Office", "status"] == "removed"
    assert table.at["Harris County Sheriff's Office", "removed_on"] == "2025-06-03-am"
    assert table.at["Dallas County Sheriff's Office", "status"] == "active"


def test_an_agreement_that_vanishes_and_returns_has_a_gap_not_a_removal(tmp_path):
    built = history.build(*lists([HARRIS, MIAMI], [MIAMI], [MIAMI], [HARRIS, MIAMI]),
                          empty_fixes(tmp_path))
    assert built.tables["ice287g_changes"].empty
    gap = built.tables["ice287g_gaps"]
    assert gap[["missing_from", "back_on", "lists_missed"]].values.tolist() == [
        ["2025-06-02-am", "2025-06-04-am", 2]]
    table = built.tables["ice287g_agreements"].set_index("agreement_id")
    assert table.at["tx-harris-county-sheriffs-office-jem", "gaps"] == 1
    assert table.at["tx-harris-county-sheriffs-office-jem", "lists"] == 2
    assert {r["status"] for r in built.qa if r["status"] != "info"} == {"pass"}


def test_a_row_printed_twice_counts_once_and_the_totals_still_check(tmp_path):
    built = history.build(*lists([HARRIS, HARRIS, MIAMI], [HARRIS, MIAMI]), empty_fixes(tmp_path))
    assert len(built.tables["ice287g_agreements"]) == 2
    qa = {r["check"]: r for r in built.qa}
    assert qa["rows ICE printed twice on one list"]["value"] == "1"
    assert qa["agreements on each list plus its repeated rows equal the rows ICE listed"][
        "status"] == "pass"


def test_a_broken_series_fails_its_invariant(tmp_path):
    series, frames = lists([HARRIS], [HARRIS, MIAMI])
    series.loc[1, "agreements"] = 5  # claims more rows than the list holds
    built = history.build(series, frames, empty_fixes(tmp_path))
    qa = {r["check"]: r for r in built.qa}
    row = qa["agreements on each list plus its repeated rows equal the rows ICE listed"]
    assert row["status"] == "fail" and "2025-06-02-am" in row["value"]


def test_an_alias_with_a_model_folds_only_that_agreement(tmp_path):
    sheriff_tfm = ("NV", "Nye County Sheriff's Office", "TFM")
    sheriff_jem = ("NV", "Nye County Sheriff's Office", "JEM")
    attorney_tfm = ("NV", "Nye County Attorney's Office", "TFM")
    fixes = fixes_with(tmp_path, agency_aliases=[
        ("NV", "TFM", "Nye County Sheriff's Office", "Nye County Attorney's Office",
         "one agreement printed under the wrong agency")])
    built = history.build(*lists([sheriff_jem, sheriff_tfm], [sheriff_jem, attorney_tfm]), fixes)
    assert built.tables["ice287g_agreements"]["agreement_id"].tolist() == [
        "nv-nye-county-attorneys-office-tfm", "nv-nye-county-sheriffs-office-jem"]
    assert built.tables["ice287g_changes"].empty


def test_an_alias_folds_a_respelling_into_one_agreement(tmp_path):
    typo = ("TX", "Harris Couny Sheriff's Office", "JEM")
    fixes = fixes_with(tmp_path, agency_aliases=[
        ("TX", "", "Harris Couny Sheriff's Office", "Harris County Sheriff's Office",
         "typo in a test")])
    built = history.build(*lists([typo], [HARRIS]), fixes)
    table = built.tables["ice287g_agreements"]
    assert table["agreement_id"].tolist() == ["tx-harris-county-sheriffs-office-jem"]
    assert built.tables["ice287g_changes"].empty
    assert len(fixes.used["agency_aliases"]) == 1


def test_a_similar_name_that_is_not_folded_is_listed_for_review(tmp_path):
    typo = ("TX", "Harris Couny Sheriff's Office", "JEM")
    built = history.build(*lists([typo], [HARRIS]), empty_fixes(tmp_path))
    review = built.tables["identity_review"]
    assert review[["name_a", "name_b", "verdict"]].values.tolist() == [
        ["Harris Couny Sheriff's Office", "Harris County Sheriff's Office", "unreviewed"]]
    fixes = fixes_with(tmp_path, agency_distinct=[
        ("TX", "JEM", "Harris Couny Sheriff's Office", "Harris County Sheriff's Office",
         "kept apart in a test")])
    review = history.build(*lists([typo], [HARRIS]), fixes).tables["identity_review"]
    assert review["verdict"].tolist() == ["distinct"]
    assert review["reason"].tolist() == ["kept apart in a test"]


def test_an_alias_chain_is_refused_with_its_line(tmp_path):
    fixes = fixes_with(tmp_path, agency_aliases=[
        ("TX", "", "Harris Cnty SO", "Harris Couny Sheriff's Office", "first step"),
        ("TX", "", "Harris Couny Sheriff's Office", "Harris County Sheriff's Office", "second")])
    with pytest.raises(DataError, match=r"agency_aliases.csv, line \d+, column 'canonical'"):
        history.build(*lists([HARRIS]), fixes)


def test_a_correction_that_matches_nothing_is_reported(tmp_path):
    fixes = fixes_with(tmp_path, agency_aliases=[
        ("TX", "", "Nowhere Police Dept", "Nowhere Police Department", "matches no list")])
    history.build(*lists([HARRIS]), fixes)
    unused = [u for u in fixes.unused() if u[0].endswith("agency_aliases.csv")]
    assert unused[-1][2] == "TX | Nowhere Police Dept | Nowhere Police Department"


def test_a_bad_correction_row_is_named(tmp_path):
    fixes_folder = tmp_path / "bad"
    shutil.copytree(corrections.FOLDER, fixes_folder)
    with open(fixes_folder / "agency_aliases.csv", "a") as f:
        f.write("Texas,,Harris Cnty,Harris County,reason\n")
    with pytest.raises(DataError, match=r"agency_aliases.csv, line \d+, column 'state'"):
        corrections.read(fixes_folder)


# The real data: invariants hold and every correction is used.


@pytest.mark.raw
def test_every_invariant_in_the_qa_table_passes(rebuilt):
    qa = rebuilt[0]["qa_summary"]
    checks = qa[qa["status"] != "info"]
    assert len(checks) >= 8 and checks["status"].eq("pass").all(), checks
    assert not qa["check"].eq("correction matches nothing in the raw data").any(), \
        qa[qa["check"].eq("correction matches nothing in the raw data")]


@pytest.mark.raw
def test_changes_replay_to_the_newest_list(rebuilt):
    frames = rebuilt[0]
    table, changes = frames["ice287g_agreements"], frames["ice287g_changes"]
    active = set(table.loc[table["status"].eq("active"), "agreement_id"])
    first = frames["ice287g_lists"].query("in_series").sort_values("stamp")["list_id"].iloc[0]
    replay = set(table.loc[table["first_list"].eq(first), "agreement_id"])
    for row in changes.itertuples():
        (replay.add if row.change == "added" else replay.discard)(row.agreement_id)
    assert replay == active
    assert table["agreement_id"].is_unique


# A refresh: one more ICE list dropped into the raw folder.

def _raw_copy(raw, tmp_path, lists=True):
    """A raw folder of links to the real files, with its own ice-287g-lists/ to add to
    (holding links to the real lists, or nothing when `lists` is false)."""
    root = tmp_path / "raw"
    root.mkdir()
    for sub in raw.iterdir():
        if sub.name != "ice-287g-lists":
            (root / sub.name).symlink_to(sub)
    ice = root / "ice-287g-lists"
    ice.mkdir()
    for f in (raw / "ice-287g-lists").iterdir() if lists else ():
        (ice / f.name).symlink_to(f)
    return root


def _newest_rows(raw):
    newest = load.series().iloc[-1]
    book = python_calamine.CalamineWorkbook.from_path(str(raw / "ice-287g-lists" / newest["file"]))
    table = book.get_sheet_by_index(0).to_python()
    return newest, table[0], [r for r in table[1:] if any(str(v).strip() for v in r)]


def _write(path, header, rows):
    book = openpyxl.Workbook()
    for r in [header, *rows]:
        book.active.append(list(r))
    book.save(path)


@pytest.mark.raw
def test_a_newer_list_adds_and_removes_exactly_what_changed(raw_dir, tmp_path):
    root = _raw_copy(raw_dir, tmp_path)
    newest, header, rows = _newest_rows(raw_dir)
    col = {h.strip().upper(): i for i, h in enumerate(header)}
    agency, state = col["LAW ENFORCEMENT AGENCY"], col["STATE"]
    aliases = corrections.read().rows("agency_aliases")
    # Respell one agreement as a known variant from the alias table.
    on_list = {(history.normalize(r[agency]), str(r[state]).strip().upper()): i
               for i, r in enumerate(rows)}
    alias = next(a for a in aliases.itertuples()
                 if (history.normalize(a.canonical), NAME_BY_POSTAL[a.state].upper()) in on_list)
    respelled = on_list[(history.normalize(alias.canonical), NAME_BY_POSTAL[alias.state].upper())]
    rows[respelled] = list(rows[respelled])
    rows[respelled][agency] = alias.variant
    # Drop two agreements (agencies listed once), add one new agency.
    names = pd.Series([history.normalize(r[agency]) for r in rows])
    single = [i for i in range(len(rows)) if names.eq(names[i]).sum() == 1 and i != respelled]
    dropped = [rows[i] for i in single[:2]]
    kept = [r for i, r in enumerate(rows) if i not in single[:2]]
    new = list(kept[0])
    new[agency] = "Testville Police Department"
    kept.append(new)
    _write(root / "ice-287g-lists" / "participatingAgencies12312026am.xlsx", header, kept)

    out = tmp_path / "out"
    pipeline.run(root, out)
    changes = load.table("ice287g_changes", out)
    on_new = changes[changes["list_id"].eq("2026-12-31-am")]
    assert sorted(on_new["change"]) == ["added", "removed", "removed"]
    assert on_new["previous_list"].eq(newest["list_id"]).all()
    assert on_new.loc[on_new["change"].eq("added"), "agency"].tolist() == [
        "Testville Police Department"]
    assert sorted(on_new.loc[on_new["change"].eq("removed"), "agency"]) == sorted(
        " ".join(str(r[agency]).split()) for r in dropped)
    table = load.table("ice287g_agreements", out).set_index("agreement_id")
    respelled_ids = table.index[table["agency"].eq(" ".join(alias.variant.split()))]
    assert len(respelled_ids) == 1 and table.at[respelled_ids[0], "status"] == "active"
    assert respelled_ids[0] not in set(on_new["agreement_id"])
    qa = load.table("qa_summary", out).set_index("check")
    assert qa.at["newest list in the series", "value"] == "2026-12-31-am"


@pytest.mark.raw
def test_a_malformed_new_list_stops_and_writes_nothing(raw_dir, tmp_path, capsys):
    root = _raw_copy(raw_dir, tmp_path)
    _, header, rows = _newest_rows(raw_dir)
    col = {h.strip().upper(): i for i, h in enumerate(header)}
    bad = [list(r) for r in rows[:3]]
    bad[1][col["SIGNED"]] = "sometime in May"
    _write(root / "ice-287g-lists" / "participatingAgencies12312026am.xlsx", header, bad)
    out = tmp_path / "out"
    shutil.copytree(paths.DATA, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert pipeline.main(["--raw", str(root), "--out", str(out)]) == 2
    assert ("participatingAgencies12312026am.xlsx, row 3, column 'SIGNED': not a date "
            "(value 'sometime in May')") in capsys.readouterr().err
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.raw
def test_a_failed_qa_check_stops_the_pipeline_before_it_writes(raw_dir, tmp_path, monkeypatch):
    from coopbook.pipeline import qa

    real = qa.summary

    def broken(frames, rows, fixes):
        table = real(frames, rows, fixes)
        table.loc[0, "status"] = "fail"
        return table

    monkeypatch.setattr(qa, "summary", broken)
    out = tmp_path / "out"
    with pytest.raises(DataError, match=r"QA check failed: .*nothing was written"):
        pipeline.run(raw_dir, out)
    assert not out.exists()


def test_on_list_on_the_newest_list_is_its_active_agreements():
    """`changes.on_list` (what chapter 4 reads agency types from) agrees with the history's
    own status on the newest list: the same agreement ids, no more, no fewer."""
    from coopbook.analysis import changes

    history, newest = load.agreements(), load.series().iloc[-1]
    on = changes.on_list(history, load.gaps(), newest["date"])
    assert set(on["agreement_id"]) == set(history.loc[history["status"].eq("active"),
                                                      "agreement_id"])


def test_on_list_leaves_out_an_agreement_while_it_is_missing_from_the_list():
    from coopbook.analysis import changes

    day = pd.Timestamp
    history = pd.DataFrame({"agreement_id": ["a", "b"],
                            "first_date": [day("2025-01-01"), day("2025-09-01")],
                            "last_date": [day("2026-05-18"), day("2026-05-18")]})
    gaps = pd.DataFrame({"agreement_id": ["a"], "missing_date": [day("2025-06-01")],
                         "back_date": [day("2025-08-01")]})
    ids = {d: list(changes.on_list(history, gaps, day(d))["agreement_id"])
           for d in ("2025-05-31", "2025-06-01", "2025-08-01", "2025-09-01")}
    assert ids == {"2025-05-31": ["a"], "2025-06-01": [], "2025-08-01": ["a"],
                   "2025-09-01": ["a", "b"]}
