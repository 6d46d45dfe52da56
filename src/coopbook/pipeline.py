"""Rebuild data/ from ../shared/data/raw: `python -m coopbook.pipeline` (or `make data`).

Options: --raw DIR (default: $COOPBOOK_RAW or ../shared/data/raw), --out DIR
(default: data/), --check (rebuild into a temporary folder and compare with data/).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from . import curated, geo, ice287g, paths, sanctuary_lists, schema

TABLES = ("ice287g_lists", "ice287g_agreements_latest", "ice287g_list_state_model",
          "ice287g_month_state_model", "dhs_sanctuary_list", "doj_sanctuary_list",
          *curated.CURATED_TABLES, "manifest")
GEO_OUT = Path("geo") / "us_states.topo.json"


def _atlas(raw: Path) -> tuple[dict, list[dict]]:
    """The states TopoJSON, lightened for on-screen maps, and its manifest rows."""
    folder = raw / "us-atlas"
    src = folder / "states-10m.json"
    if not src.exists():
        raise ice287g.RawDataError(str(src), "missing: the state map needs us-atlas/states-10m.json")
    try:
        topo = json.loads(src.read_text())
    except json.JSONDecodeError as exc:
        raise ice287g.RawDataError(src.name, f"not valid JSON ({exc})") from None
    if topo.get("type") != "Topology" or "states" not in topo.get("objects", {}):
        raise ice287g.RawDataError(src.name, "not a TopoJSON topology with a 'states' object")
    topo = geo.simplify_topology(topo)
    rows = []
    for f, kind in ((src, "topojson"), (folder / "LICENSE", "licence")):
        rows.append({"source": "us-atlas", "file": f.name, "sha256": ice287g.sha256_file(f),
                     "bytes": f.stat().st_size, "kind": kind, "date": None, "date_basis": None,
                     "stamp": None, "sheets": "", "rows": 0, "blank_rows": 0, "signed_typos": 0, "status": "ok",
                     "list_id": "", "note": "us-atlas@3.0.1 (ISC licence); simplified "
                     "for the book's maps (coopbook.geo.simplify_topology)"})
    return topo, rows


def run(raw: Path, out: Path) -> dict[str, pd.DataFrame]:
    result = ice287g.build(raw / "ice-287g-lists")
    topo, atlas_rows = _atlas(raw)
    dhs, dhs_rows = sanctuary_lists.build_dhs(raw / sanctuary_lists.DHS_SOURCE)
    doj, doj_rows = sanctuary_lists.build_doj(raw / sanctuary_lists.DOJ_SOURCE)
    compiled, compiled_rows = curated.build()
    extra = atlas_rows + dhs_rows + doj_rows + compiled_rows
    manifest = pd.concat([result.manifest, pd.DataFrame(extra)], ignore_index=True)
    frames = {
        "ice287g_lists": result.lists,
        "ice287g_agreements_latest": result.agreements_latest,
        "ice287g_list_state_model": result.list_state_model,
        "ice287g_month_state_model": result.month_state_model,
        "dhs_sanctuary_list": dhs,
        "doj_sanctuary_list": doj,
        **compiled,
        "manifest": manifest,
    }
    out.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        text = schema.to_text(name, frames[name])
        text.to_csv(out / schema.table_spec(name)["file"], index=False, lineterminator="\n")
    (out / GEO_OUT).parent.mkdir(parents=True, exist_ok=True)
    (out / GEO_OUT).write_text(json.dumps(topo, separators=(",", ":")))
    (out / "DICTIONARY.md").write_text(schema.dictionary_markdown())
    return frames


def outputs() -> list[Path]:
    return [Path(schema.table_spec(n)["file"]) for n in TABLES] + [GEO_OUT, Path("DICTIONARY.md")]


def check(raw: Path) -> list[str]:
    """Rebuild into a temporary folder; return the outputs that differ from data/."""
    with tempfile.TemporaryDirectory() as tmp:
        run(raw, Path(tmp))
        return [str(p) for p in outputs()
                if not (paths.DATA / p).exists()
                or not filecmp.cmp(Path(tmp) / p, paths.DATA / p, shallow=False)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=paths.raw_dir())
    ap.add_argument("--out", type=Path, default=paths.DATA)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    try:
        if args.check:
            diff = check(args.raw)
            if diff:
                print("data/ differs from a rebuild from raw: " + ", ".join(diff), file=sys.stderr)
                return 1
            print(f"data/ matches a rebuild from {args.raw} ({time.perf_counter() - start:.1f} s)")
            return 0
        frames = run(args.raw, args.out)
    except (ice287g.RawDataError, schema.SchemaError, curated.CuratedDataError) as exc:
        print(f"pipeline stopped: {exc}", file=sys.stderr)
        return 2
    lists = frames["ice287g_lists"]
    print(f"read {len(frames['manifest'])} raw files -> {len(lists)} distinct lists "
          f"({int(lists['in_series'].sum())} in series) in {time.perf_counter() - start:.1f} s; "
          f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
