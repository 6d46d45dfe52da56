"""The project's compiled tables (inputs/compiled/): every row cited, every value checked.

The files in inputs/compiled/ are typed by hand from cited sources, so the checks here
are the guard rails: bad input stops the pipeline with a message that names the
file, line and column, and every citation resolves in the bibliography.
"""

import shutil

import pandas as pd
import pytest
from pybtex.database import parse_file

from coopbook import load, paths, schema
from coopbook.errors import DataError
from coopbook.pipeline import compiled

CURATED = {name: schema.table_spec(name)["compiled"] for name in compiled.COMPILED_TABLES}


def test_every_bib_file_is_built_and_keys_are_unique():
    listed = {p.relative_to(paths.ROOT).as_posix() for p in compiled.bib_files()}
    on_disk = {p.relative_to(paths.ROOT).as_posix() for p in (paths.ROOT / "bib").glob("*.bib")}
    assert on_disk <= listed, f"bib files not in _config.yml bibtex_bibfiles: {on_disk - listed}"
    seen: dict[str, str] = {}
    for f in compiled.bib_files():
        for key in parse_file(f).entries:
            assert key not in seen, f"{key} is defined in both {seen[key]} and {f.name}"
            seen[key] = f.name


@pytest.mark.parametrize("name", compiled.COMPILED_TABLES)
def test_every_row_has_a_source_that_exists(name):
    keys = compiled.bib_keys()
    table = load.table(name)
    assert len(table) > 0
    assert table["source"].notna().all()
    cited = {k for cell in table["source"] for k in cell.split(";")}
    assert cited <= keys, f"{name}: unknown keys {sorted(cited - keys)}"


def test_data_tables_equal_a_rebuild_from_the_compiled_inputs():
    tables, rows = compiled.read_all()
    for name, frame in tables.items():
        written = schema.read_csv_text(paths.DATA / schema.table_spec(name)["file"])
        assert schema.to_text(name, frame).equals(written), f"data/ {name} is stale: make data"
    manifest = load.manifest()
    for row in rows:
        hit = manifest[(manifest["source"] == "compiled") & (manifest["file"] == row["file"])]
        assert len(hit) == 1 and hit["sha256"].iloc[0] == row["sha256"], row["file"]


def _copy_root(tmp_path):
    """A throwaway copy of what compiled.read_all reads: config, bibliographies, inputs/compiled/."""
    for rel in ("_config.yml", "references.bib"):
        shutil.copy(paths.ROOT / rel, tmp_path / rel)
    shutil.copytree(paths.ROOT / "bib", tmp_path / "bib")
    shutil.copytree(paths.ROOT / "inputs" / "compiled", tmp_path / "inputs" / "compiled")
    return tmp_path


def _edit(path, line, column, value):
    frame = schema.read_csv_text(path)
    frame.loc[line - 2, column] = value
    frame.to_csv(path, index=False)


def test_copy_builds(tmp_path):
    tables, _ = compiled.read_all(_copy_root(tmp_path))
    assert set(tables) == set(compiled.COMPILED_TABLES)


@pytest.mark.parametrize(("table", "column", "value", "message"), [
    ("state_laws", "source", "NoSuchKey2099", "unknown citation key"),
    ("state_laws", "source", "", "required value is missing"),
    ("state_laws", "direction", "sideways", "not one of"),
    ("state_laws", "state", "ZZ", "unknown postal code"),
    ("state_laws", "mandates_287g", "maybe", "not True or False"),
    ("state_laws", "state_agencies_only", "maybe", "not True or False"),
    ("state_laws", "state_agencies_only", "true", "only on a row that mandates or bans"),
    ("cases", "outcome", "won", "not one of"),
    ("cases", "decided", "2025-13-45", "not a date"),
    ("timeline", "category", "army", "not one of"),
    ("timeline", "event", "x" * 81, "does not match"),
    ("timeline", "place", "TX", "not its postal code"),
    ("leverage_inputs", "value", "seventy", "not a number"),
    ("state_population", "population", "-5", "below 1"),
    ("state_population", "population", "5.5", "not an integer"),
])
def test_bad_compiled_cells_are_named(tmp_path, table, column, value, message):
    root = _copy_root(tmp_path)
    rel = CURATED[table][0]
    _edit(root / rel, 2, column, value)
    with pytest.raises(DataError) as err:
        compiled.read_all(root)
    text = str(err.value)
    assert message in text
    assert rel.split("/")[-1] in text and "line 2" in text and column in text


def test_a_case_needs_a_date_and_pending_means_undecided(tmp_path):
    root = _copy_root(tmp_path)
    path = root / CURATED["cases"][0]
    frame = schema.read_csv_text(path)
    frame.loc[0, ["filed", "decided"]] = ""
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="needs a decision date or a filing date"):
        compiled.read_all(root)
    frame = schema.read_csv_text(path)
    decided = frame.index[frame["decided"] != ""][0]
    frame.loc[decided, "outcome"] = "pending"
    frame.loc[0, "decided"] = "2000-01-01"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="'pending' must go with an empty"):
        compiled.read_all(root)


def test_a_row_with_an_unquoted_comma_is_named_by_file_and_line(tmp_path):
    root = _copy_root(tmp_path)
    path = root / CURATED["cases"][0]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + ",an extra cell\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as err:
        compiled.read_all(root)
    text = str(err.value)
    assert "cases.csv, line 4" in text and "double quotes" in text, text


def test_a_missing_compiled_file_is_named(tmp_path):
    root = _copy_root(tmp_path)
    (root / CURATED["polls"][0]).unlink()
    with pytest.raises(DataError, match="polls.csv: missing"):
        compiled.read_all(root)


def test_derived_columns():
    cases = load.table("cases")
    expected = cases["decided"].fillna(cases["filed"])
    assert cases["date"].equals(expected)
    assert (cases["year"] == cases["date"].dt.year).all()
    assert cases.loc[cases["year"] == 2017, "era"].eq("2017-2020").all()
    assert cases.loc[cases["year"] == 2025, "era"].eq("2025-2026").all()
    timeline = load.table("timeline")
    assert timeline["date"].is_monotonic_increasing
    assert set(timeline["collection"]) == {"history", "sanctuary", "standoff"}
    laws = load.table("state_laws")
    assert (laws.loc[laws["state"] == "CA", "state_name"] == "California").all()


def test_population_sums_to_the_published_census_total():
    pop = load.table("state_population")
    states_and_dc = pop[~pop["state"].isin(["PR", "GU", "MP", "VI", "AS"])]
    assert len(states_and_dc) == 51
    # The 2020 Census resident population of the 50 states and DC (Census Bureau, 2021).
    assert states_and_dc["population"].sum() == 331_449_281
    assert pd.api.types.is_integer_dtype(pop["population"])


def test_state_laws_flag_the_laws_that_reach_state_agencies_only(tmp_path):
    """The chapter's lists of states that ban or require 287(g) qualify a law that binds
    only state agencies (Virginia's orders); the flag must be there, and boolean."""
    laws = load.table("state_laws")
    assert "state_agencies_only" in laws.columns
    assert pd.api.types.is_bool_dtype(laws["state_agencies_only"])
    assert laws["state_agencies_only"].notna().all()
    flagged = laws[laws["state_agencies_only"]]
    assert set(flagged["state"]) == {"VA"} and len(flagged) == 2
    assert (flagged["mandates_287g"] | flagged["bans_287g"]).all()
    # A compiled file without the column is refused, by name.
    root = _copy_root(tmp_path)
    path = root / CURATED["state_laws"][0]
    schema.read_csv_text(path).drop(columns=["state_agencies_only"]).to_csv(path, index=False)
    with pytest.raises(DataError, match=r"missing \['state_agencies_only'\]"):
        compiled.read_all(root)
