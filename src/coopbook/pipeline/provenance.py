"""Where each raw folder comes from: one small YAML file per folder in inputs/sources/.

The pipeline refuses a raw folder without one, and a provenance file without its
fields, so data/README.md can say for every table who produced it and under what
licence.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .. import paths
from ..errors import DataError
from .files import manifest_row

FOLDER = paths.ROOT / "inputs" / "sources"
FIELDS = ("folder", "title", "producer", "url", "archiver", "commit", "date", "licence", "files")


def read(raw: Path, folder: Path | None = None) -> tuple[list[dict], list[dict]]:
    """The provenance record of every raw folder, and their manifest rows."""
    folder = folder or FOLDER
    records, rows = [], []
    for sub in sorted(p for p in raw.iterdir() if p.is_dir()):
        path = folder / f"{sub.name}.yml"
        rel = f"inputs/sources/{path.name}"
        if not path.exists():
            raise DataError(rel, f"missing: the raw folder {sub.name}/ needs a provenance file "
                            f"with {', '.join(FIELDS)}")
        try:
            record = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError as exc:
            raise DataError(rel, f"not valid YAML ({exc})") from None
        missing = [f for f in FIELDS if f not in record]
        if missing:
            raise DataError(rel, f"missing field(s) {missing}")
        if record["folder"] != sub.name:
            raise DataError(rel, f"names the folder {record['folder']!r}, not {sub.name!r}",
                            column="folder")
        records.append({k: str(record[k] or "") for k in FIELDS})
        rows.append(manifest_row("sources", path, "source_yaml", file=rel,
                                 note=f"provenance of raw folder {sub.name}/"))
    return records, rows
