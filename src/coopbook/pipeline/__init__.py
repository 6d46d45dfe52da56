"""Rebuild data/ from ../shared/data/raw and inputs/: `python -m coopbook.pipeline` (`make data`).

Options: --raw DIR (default: $COOPBOOK_RAW or ../shared/data/raw), --out DIR
(default: data/), --check (rebuild into a temporary folder and compare with data/).

This package is the only code that reads raw files or inputs/. Each source module
has the same shape: `TABLES` (the data/ tables it writes) and `build(raw, fixes)`,
which reads and validates its files and returns a `Built` (tables, manifest rows,
QA rows, other files). REGISTRY below is the one list of them; a new table is added
to its module's TABLES and to data/schema.json, nowhere else.

Nothing is written until every table is built, validated against the schema and
every QA invariant passes; then all files are written at once (into a temporary
folder, then moved into place), so a failed run leaves --out as it was.
"""

from __future__ import annotations

import filecmp
import os
import tempfile
from pathlib import Path

import pandas as pd

from .. import paths, schema
from ..errors import DataError
from . import atlas, compiled, corrections, ice287g, provenance, qa, readme, sanctuary_lists
from .files import Built

# Source modules, in the order their tables appear in data/.
REGISTRY = (ice287g, sanctuary_lists, compiled, atlas)
TABLES = tuple(t for module in REGISTRY for t in module.TABLES) + ("qa_summary", "manifest")


def build(raw: Path) -> tuple[dict[str, pd.DataFrame], dict[Path, str]]:
    """Every table and every other output file, in memory. Raises DataError."""
    fixes = corrections.read()
    sources, source_rows = provenance.read(raw)
    counties = atlas.Counties(raw, fixes)
    built: list[Built] = [ice287g.build(raw / "ice-287g-lists", fixes, counties)]
    built += [module.build(raw, fixes) for module in REGISTRY[1:]]
    frames: dict[str, pd.DataFrame] = {}
    files: dict[Path, str] = {}
    manifest_rows: list[dict] = []
    qa_rows: list[dict] = []
    for b in built:
        frames.update(b.tables)
        files.update(b.files)
        manifest_rows += b.manifest
        qa_rows += b.qa
    county_files, county_qa = atlas.county_files(frames["ice287g_agreements"], counties.topology)
    files.update(county_files)
    qa_rows += county_qa
    manifest_rows += fixes.manifest() + source_rows
    frames["manifest"] = pd.DataFrame(manifest_rows)
    frames["qa_summary"] = qa.summary(frames, qa_rows, fixes)
    failed = frames["qa_summary"][frames["qa_summary"]["status"].eq("fail")]
    if len(failed):
        first = failed.iloc[0]
        raise DataError("data/qa/summary.csv", f"QA check failed: {first['check']} "
                        f"({first['scope']}): {first['value']}; nothing was written")
    texts = {Path(schema.table_spec(name)["file"]): _csv(schema.to_text(name, frames[name]))
             for name in TABLES}
    texts.update(files)
    texts[Path("DICTIONARY.md")] = schema.dictionary_markdown()
    texts[Path("README.md")] = readme.markdown(sources, frames, fixes)
    return frames, texts


def _csv(text: pd.DataFrame) -> str:
    return text.to_csv(index=False, lineterminator="\n")


def run(raw: Path, out: Path) -> dict[str, pd.DataFrame]:
    """Build everything, then write it into `out` at once."""
    frames, texts = build(raw)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".pipeline-") as tmp:
        for rel, text in texts.items():
            (Path(tmp) / rel).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / rel).write_text(text)
        for rel in texts:
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(Path(tmp) / rel, out / rel)
    return frames


def outputs() -> list[Path]:
    """Every file the pipeline writes into data/ (schema.json is written by hand)."""
    return ([Path(schema.table_spec(n)["file"]) for n in TABLES]
            + [atlas.GEO_OUT, atlas.COUNTIES_OUT, atlas.NATIONAL_OUT,
               Path("DICTIONARY.md"), Path("README.md")])


def check(raw: Path) -> list[str]:
    """Rebuild into a temporary folder; return the outputs that differ from data/."""
    with tempfile.TemporaryDirectory() as tmp:
        run(raw, Path(tmp))
        return [str(p) for p in outputs()
                if not (paths.DATA / p).exists()
                or not filecmp.cmp(Path(tmp) / p, paths.DATA / p, shallow=False)]


def main(argv: list[str] | None = None) -> int:
    from .__main__ import main as cli

    return cli(argv)


__all__ = ["REGISTRY", "TABLES", "DataError", "build", "check", "main", "outputs", "run"]
