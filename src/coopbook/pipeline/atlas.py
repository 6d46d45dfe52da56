"""The us-atlas shapes: states lightened for the book's maps, counties as published,
and the county each 287(g) agreement's COUNTY cell names (its five-digit FIPS code)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .. import geo
from ..errors import DataError
from . import qa
from .corrections import Corrections
from .files import Built, manifest_row

FOLDER = "us-atlas"
TABLES = ()
GEO_OUT = Path("geo") / "us_states.topo.json"
COUNTIES_OUT = Path("geo") / "us_counties.topo.json"
NATIONAL_OUT = Path("geo") / "us_counties_287g.topo.json"
NATIONAL_OBJECT = "models"  # its one object: a MultiPolygon per set of models
MODELS = ("JEM", "WSO", "TFM")
COUNTY_NAMES = "inputs/corrections/county_names.csv"
# Spreadsheet "not available" marks that ICE leaves in the COUNTY column: no county given.
NO_COUNTY = frozenset({"#NA", "#N/A", "N/A", "NA"})


def present(raw: Path, name: str) -> Path:
    """The path of a us-atlas file, which must exist."""
    src = raw / FOLDER / name
    if not src.exists():
        raise DataError(str(src), f"missing: the book's maps need us-atlas/{name}")
    return src


def read(raw: Path, name: str, needs: str) -> dict:
    """A us-atlas TopoJSON file, checked to be a topology holding object `needs`."""
    src = present(raw, name)
    try:
        topo = json.loads(src.read_text())
    except json.JSONDecodeError as exc:
        raise DataError(src.name, f"not valid JSON ({exc})") from None
    if topo.get("type") != "Topology" or needs not in topo.get("objects", {}):
        raise DataError(src.name, f"not a TopoJSON topology with a {needs!r} object")
    if needs == "counties":
        for n, g in enumerate(topo["objects"]["counties"]["geometries"]):
            gid = str(g.get("id", ""))
            if len(gid) != 5 or not gid.isdigit() or "name" not in g.get("properties", {}):
                raise DataError(src.name, "a county shape without a five-digit id and a name",
                                row=n, column="id", value=g.get("id"), unit="geometry")
    return topo


def build(raw: Path, fixes: Corrections) -> Built:
    """The state shapes and the manifest rows of the atlas's files. The county files are
    written from the run's one reading of the counties (Counties, county_files)."""
    folder = raw / FOLDER
    states = read(raw, "states-10m.json", "states")
    note = ("us-atlas@3.0.1 (ISC licence); states simplified for the book's maps "
            "(coopbook.geo.simplify_topology); counties kept as published, without the "
            "states and nation objects")
    rows = [manifest_row(FOLDER, f, kind, note=note)
            for f, kind in ((folder / "states-10m.json", "topojson"),
                            (present(raw, "counties-10m.json"), "topojson"),
                            (folder / "LICENSE", "licence"))]
    return Built({}, rows, files={
        GEO_OUT: json.dumps(geo.simplify_topology(states), separators=(",", ":"))})


class Counties:
    """The atlas's counties for one run, read when first needed (so that a bad ICE list is
    reported before a missing atlas): .topology, and calling it locates a county."""

    def __init__(self, raw: Path, fixes: Corrections):
        self.raw, self.fixes = raw, fixes
        self._topology: dict | None = None
        self._locate: Callable[[str, str], str | None] | None = None

    @property
    def topology(self) -> dict:
        if self._topology is None:
            self._topology = read(self.raw, "counties-10m.json", "counties")
        return self._topology

    def __call__(self, state: str, text: str) -> str | None:
        if self._locate is None:
            self._locate = county_locator(self.topology, self.fixes)
        return self._locate(state, text)


def county_locator(counties: dict, fixes: Corrections) -> Callable[[str, str], str | None]:
    """A function (state, ICE's COUNTY text) -> the county's FIPS code, or None where a row
    of inputs/corrections/county_names.csv says the text names no one county. A text that
    matches no county and has no correction raises LookupError saying what to do; a
    spreadsheet "not available" mark (#NA, #N/A) is no county."""
    index = geo.county_index(counties)
    ids = {g["id"] for g in counties["objects"]["counties"]["geometries"]}
    table = fixes.rows("county_names")
    fixed: dict[tuple[str, str], tuple[str | None, int]] = {}
    for i, row in table.iterrows():
        code = row["county_fips"] if pd.notna(row["county_fips"]) else None
        line = int(i) + 2
        if code is not None and (code not in ids or code[:2] != geo.FIPS.get(row["state"])):
            raise DataError(COUNTY_NAMES, f"{code} is not a county of {row['state']} in "
                            "us-atlas/counties-10m.json", row=line, column="county_fips",
                            unit="line")
        if geo.match_county(index, geo.FIPS.get(row["state"], ""), row["raw"]) is not None:
            raise DataError(COUNTY_NAMES, "the name already matches a county of the atlas: "
                            "the correction is not needed", row=line, column="raw",
                            value=row["raw"], unit="line")
        fixed[(row["state"], " ".join(str(row["raw"]).split()))] = (code, int(i))

    def locate(state: str, text: str) -> str | None:
        if str(text).strip().upper() in NO_COUNTY:
            return None
        hit = fixed.get((state, " ".join(str(text).split())))
        if hit is not None:
            fixes.mark("county_names", hit[1])
            return hit[0]
        code = geo.match_county(index, geo.FIPS.get(state, ""), text)
        if code is None:
            raise LookupError(f"names no county of {state} in us-atlas/counties-10m.json; "
                              f"add a row to {COUNTY_NAMES} (the county's FIPS code, or none, "
                              "and the reason)")
        return code

    return locate


def county_files(agreements: pd.DataFrame, counties: dict) -> tuple[dict[Path, str], list[dict]]:
    """The county shapes as published (without the states and nation objects), and the
    national county map's shapes; with QA rows on what that map cannot draw."""
    national, too_small = _national(agreements, counties)
    rows = [qa.info("counties too small to draw on the national county map (a polygon "
                    "flattened by simplifying is dropped)", str(NATIONAL_OUT),
                    "; ".join(too_small) or "none")]
    return {COUNTIES_OUT: json.dumps(geo.subset(counties, "counties", lambda _: True),
                                     separators=(",", ":")),
            NATIONAL_OUT: national}, rows


def _national(agreements: pd.DataFrame, counties: dict) -> tuple[str, list[str]]:
    """The national county map's shapes: the counties where an agency of type County
    holds an agreement on the newest list, arcs joined and re-quantized for a map of the
    whole country, and gathered into one MultiPolygon per set of models (properties m:
    the models, such as "JEM,WSO"; c: how many counties), so that the file stays light
    enough for the chapter's page. Each county's name is on its state's page. Also returns
    the counties left with no polygon to draw ("51670 Hopewell, VA")."""
    mine = agreements[(agreements["status"] == "active") & (agreements["agency_type"] == "County")
                      & agreements["county_fips"].notna()]
    models = {fips: ",".join(sorted(set(g["model"]), key=MODELS.index))
              for fips, g in mine.groupby("county_fips", sort=True)}
    shapes = geo.subset(counties, "counties", models.__contains__)
    shapes = geo.simplify_topology(geo.merge_arcs(shapes), factor=(25, 100), tolerance=1.0)
    shapes = geo.drop_collapsed(shapes, "counties")
    polygons: dict[str, list] = {}
    count: dict[str, int] = {}
    too_small = []
    for g in shapes["objects"]["counties"]["geometries"]:
        key = models[g["id"]]
        if not g["arcs"]:
            state = mine.loc[mine["county_fips"] == g["id"], "state"].iloc[0]
            too_small.append(f"{g['id']} {g['properties']['name']}, {state}")
        polygons.setdefault(key, []).extend(g["arcs"])  # MultiPolygon arcs (drop_collapsed)
        count[key] = count.get(key, 0) + 1
    order = sorted(polygons, key=lambda k: [MODELS.index(m) for m in k.split(",")])
    shapes["objects"] = {NATIONAL_OBJECT: {"type": "GeometryCollection", "geometries": [
        {"type": "MultiPolygon", "arcs": polygons[k], "properties": {"m": k, "c": count[k]}}
        for k in order]}}
    return json.dumps(shapes, separators=(",", ":")), too_small
