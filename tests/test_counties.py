"""County geography: ICE's COUNTY cells matched to us-atlas counties, the arc tools that
cut a state's counties (or the national map's) out of the atlas, and the map data."""

import datetime as dt
import random

import pandas as pd
import pytest
from test_history import _raw_copy
from test_raw_errors import write

from coopbook import geo, load, paths, pipeline
from coopbook.analysis import places
from coopbook.errors import DataError
from coopbook.pipeline import atlas, corrections, ice287g
from coopbook.site import places as site_places


@pytest.fixture(scope="module")
def counties():
    return load.counties_topojson()


@pytest.fixture(scope="module")
def index(counties):
    return geo.county_index(counties)


# --- matching names ------------------------------------------------------------------------

@pytest.mark.parametrize("state, text, fips", [
    ("TX", "Harris County", "48201"),
    ("LA", "Saint Landry County", "22097"),      # Saint = St.; a parish written "County"
    ("LA", "St. Landry Parish", "22097"),
    ("MO", "Saint Francois County", "29187"),
    ("MD", "Prince George's County", "24033"),   # apostrophe
    ("FL", "Miami-Dade County", "12086"),        # hyphen
    ("GA", "Dekalb County", "13089"),            # case
    ("MD", "Baltimore County", "24005"),         # a county and a city share the name
    ("MD", "Baltimore City", "24510"),
    ("VA", "Fairfax County", "51059"),
    ("VA", "Fairfax City", "51600"),
    ("AK", "Matanuska-Susitna Borough", "02170"),
])
def test_a_county_name_finds_its_fips_code(index, state, text, fips):
    assert geo.match_county(index, geo.FIPS[state], text) == fips


@pytest.mark.parametrize("state, text", [("MA", "Crow Wing County"), ("TX", "Overton County"),
                                         ("OK", "Wichita County")])
def test_a_name_no_county_has_matches_nothing(index, state, text):
    assert geo.match_county(index, geo.FIPS[state], text) is None


def test_every_county_cell_is_placed_or_explained():
    """Every agreement whose COUNTY names a county has a code in that state; the rest are a
    spreadsheet #NA mark or a correction row that says it names no one county."""
    ag = load.agreements()
    named = ag[ag["county"].notna()]
    placed = named[named["county_fips"].notna()]
    assert (placed["county_fips"].str[:2] == placed["state"].map(geo.FIPS)).all()
    fixes = corrections.read().rows("county_names")
    none = {(r.state, r.raw) for r in fixes.itertuples() if pd.isna(r.county_fips)}
    unplaced = named[named["county_fips"].isna()]
    explained = unplaced["county"].str.upper().isin(atlas.NO_COUNTY) | pd.Series(
        [(s, c) in none for s, c in zip(unplaced["state"], unplaced["county"])],
        index=unplaced.index, dtype=bool)
    assert explained.all(), unplaced[~explained][["agreement_id", "county"]]
    assert ag.loc[ag["county"].isna(), "county_fips"].isna().all()


def test_a_correction_row_is_read_with_its_reason():
    fixes = corrections.read()
    locate = atlas.county_locator(load.counties_topojson(), fixes)
    assert locate("FL", "Lake Conty") == "12069"
    assert locate("NC", "Albemarle County") is None
    assert locate("TX", "#NA") is None
    assert fixes.rows("county_names")["reason"].str.len().gt(20).all()


def test_an_unknown_county_stops_the_run_naming_file_row_and_value(tmp_path):
    row = ["TEXAS", "Nowhere County Sheriff's Office", "County", "Nowhere County",
           "Jail Enforcement Model", dt.date(2025, 1, 10), "link"]
    write(tmp_path, "participatingAgencies04012025am.xlsx", [row])
    fixes = corrections.read()
    locate = atlas.county_locator(load.counties_topojson(), fixes)
    with pytest.raises(DataError) as err:
        ice287g.build(tmp_path, fixes, locate)
    message = str(err.value)
    assert message.startswith("2025-04-01-am, row 2, column 'COUNTY'"), message
    assert "'Nowhere County'" in message and "county_names.csv" in message


def test_a_failed_run_leaves_data_as_it_was(tmp_path, raw_dir):
    raw = _raw_copy(raw_dir, tmp_path, lists=False)
    write(raw / "ice-287g-lists", "participatingAgencies04012025am.xlsx",
          [["OHIO", "Atlantis County Sheriff's Office", "County", "Atlantis County",
            "Warrant Service Officer", dt.date(2025, 1, 10), "link"]])
    out = tmp_path / "out"
    out.mkdir()
    (out / "sentinel.csv").write_text("kept\n")
    with pytest.raises(DataError, match="Atlantis County"):
        pipeline.run(raw, out)
    assert sorted(p.name for p in out.iterdir()) == ["sentinel.csv"]


def test_a_correction_that_points_to_another_state_is_refused(tmp_path):
    fixes = corrections.read()
    bad = pd.DataFrame([{"state": "TX", "raw": "Lake Conty", "county_fips": "12069",
                         "reason": "wrong on purpose"}])
    fixes.tables["county_names"] = bad
    with pytest.raises(DataError, match=r"county_names.csv, line 2, column 'county_fips'"):
        atlas.county_locator(load.counties_topojson(), fixes)


# --- cutting and joining arcs --------------------------------------------------------------

def _rings(topo):
    """Each geometry's rings as closed point sequences (start and direction normalised)."""
    positions = geo.arc_positions(topo)
    out = {}
    for g in topo["objects"]["counties"]["geometries"]:
        rings = g["arcs"] if g["type"] == "Polygon" else [r for p in g["arcs"] for r in p]
        shapes = []
        for ring in rings:
            points = []
            for a in ring:
                seq = positions[a] if a >= 0 else positions[~a][::-1]
                points += seq if not points else seq[1:]
            points = points[:-1] if points[0] == points[-1] else points
            k = points.index(min(points))
            shapes.append(tuple(points[k:] + points[:k]))
        out[g["id"]] = sorted(shapes)
    return out


def test_joining_arcs_keeps_every_shape_point_for_point(counties):
    random.seed(287)
    ids = {g["id"] for g in random.sample(counties["objects"]["counties"]["geometries"], 400)}
    cut = geo.subset(counties, "counties", ids.__contains__)
    joined = geo.merge_arcs(cut)
    assert len(joined["arcs"]) < len(cut["arcs"])
    assert _rings(joined) == _rings(cut)
    assert set(_rings(cut)) == ids


def test_a_state_cut_holds_exactly_its_counties(counties):
    shapes = geo.state_counties(counties, "48")
    ids = [g["id"] for g in shapes["objects"]["counties"]["geometries"]]
    every = [g["id"] for g in counties["objects"]["counties"]["geometries"] if g["id"][:2] == "48"]
    assert sorted(ids) == sorted(every) and len(ids) == 254
    rings = [ring for g in shapes["objects"]["counties"]["geometries"]
             for ring in (g["arcs"] if g["type"] == "Polygon"
                          else [r for polygon in g["arcs"] for r in polygon])]
    used = {a if a >= 0 else ~a for ring in rings for a in ring}
    assert used == set(range(len(shapes["arcs"])))


# --- the map data --------------------------------------------------------------------------

def test_the_national_map_file_holds_the_counties_the_analysis_counts(counties):
    """One MultiPolygon per set of models, counting the counties the analysis counts, each
    county's polygons drawn unless simplifying flattened them (the QA table names any
    county left with none)."""
    import json

    from coopbook.viz import placecharts

    assert placecharts.NATIONAL_FILE == str(atlas.NATIONAL_OUT)
    assert placecharts.NATIONAL_OBJECT == atlas.NATIONAL_OBJECT
    topo = json.loads((paths.DATA / atlas.NATIONAL_OUT).read_text())
    groups = topo["objects"][atlas.NATIONAL_OBJECT]["geometries"]
    table = places.national_counties()
    expected = table["models"].str.replace(", ", ",").value_counts()
    assert {g["properties"]["m"]: g["properties"]["c"] for g in groups} == expected.to_dict()
    assert all(g["type"] == "MultiPolygon" for g in groups)
    # Every polygon left still winds as an exterior ring must (else d3 fills the globe).
    positions = geo.arc_positions(topo)
    assert all(geo.ring_area(positions, p[0]) < 0 for g in groups for p in g["arcs"])
    # No more polygons than the atlas has for those counties, and few of them dropped.
    wanted = set(table["fips"])
    atlas_polygons = sum(1 if g["type"] == "Polygon" else len(g["arcs"])
                         for g in counties["objects"]["counties"]["geometries"]
                         if g["id"] in wanted)
    drawn = sum(len(g["arcs"]) for g in groups)
    assert atlas_polygons * 0.9 <= drawn <= atlas_polygons
    qa = pd.read_csv(paths.DATA / "qa" / "summary.csv", dtype=str, keep_default_na=False)
    assert qa["check"].str.startswith("counties too small to draw on the national").sum() == 1


def test_a_flattened_or_inside_out_polygon_is_dropped():
    # Arc 0: a clockwise square (an exterior ring); arc 1: the same square run the other way
    # (a ring turned inside out); arc 2: a ring flattened to a line.
    square = [[0, 0], [0, 4], [4, 0], [0, -4], [-4, 0]]
    topo = {"type": "Topology", "arcs": [square, [[0, 0], [4, 0], [0, 4], [-4, 0], [0, -4]],
                                         [[0, 0], [3, 0], [-3, 0]]],
            "objects": {"o": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0]], "id": "a"},
                {"type": "MultiPolygon", "arcs": [[[0], [1]], [[1]], [[2]]], "id": "b"},
                {"type": "Polygon", "arcs": [[2]], "id": "c"}]}}}
    positions = geo.arc_positions(topo)
    assert geo.ring_area(positions, [0]) < 0 < geo.ring_area(positions, [1])
    assert geo.ring_area(positions, [2]) == 0 and geo.ring_area(positions, [~0]) > 0
    out = {g["id"]: g for g in geo.drop_collapsed(topo, "o")["objects"]["o"]["geometries"]}
    assert out["a"]["arcs"] == [[[0]]]
    assert out["b"]["arcs"] == [[[0], [1]]]  # the hole inside the first polygon stays
    assert out["c"]["arcs"] == []
    assert topo["objects"]["o"]["geometries"][2]["arcs"] == [[2]]  # the input is unchanged


def test_a_state_page_lists_every_county_level_agency(counties):
    """Every active county-level agency of a state is on its page: shaded on the map, or
    listed as one the map cannot place."""
    for code in ("TX", "NC", "MA", "VA"):
        text = site_places.state_page(code, counties)
        active = places.active(code)
        for agency in active.loc[active["agency_type"] == "County", "agency"]:
            assert agency.replace("&", "&amp;").replace("'", "&#x27;") in text, (code, agency)
        n = len(places.county_agreements(code))
        if n:
            assert f"{n} of {len(geo.state_counties(counties, geo.FIPS[code])['objects']['counties']['geometries'])} counties" in text
