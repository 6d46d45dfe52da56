"""The us-atlas state shapes, lightened for the book's maps."""

from __future__ import annotations

import json
from pathlib import Path

from .. import geo
from ..errors import DataError
from .corrections import Corrections
from .files import Built, manifest_row

FOLDER = "us-atlas"
TABLES = ()
GEO_OUT = Path("geo") / "us_states.topo.json"


def build(raw: Path, fixes: Corrections) -> Built:
    folder = raw / FOLDER
    src = folder / "states-10m.json"
    if not src.exists():
        raise DataError(str(src), "missing: the state map needs us-atlas/states-10m.json")
    try:
        topo = json.loads(src.read_text())
    except json.JSONDecodeError as exc:
        raise DataError(src.name, f"not valid JSON ({exc})") from None
    if topo.get("type") != "Topology" or "states" not in topo.get("objects", {}):
        raise DataError(src.name, "not a TopoJSON topology with a 'states' object")
    note = "us-atlas@3.0.1 (ISC licence); simplified for the book's maps " \
           "(coopbook.geo.simplify_topology)"
    rows = [manifest_row(FOLDER, f, kind, note=note)
            for f, kind in ((src, "topojson"), (folder / "LICENSE", "licence"))]
    return Built({}, rows, files={
        GEO_OUT: json.dumps(geo.simplify_topology(topo), separators=(",", ":"))})
