"""The pipeline's command line: `python -m coopbook.pipeline [--raw DIR] [--out DIR] [--check]`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .. import paths
from ..errors import DataError


def main(argv: list[str] | None = None) -> int:
    from . import __doc__ as doc
    from . import check, run

    ap = argparse.ArgumentParser(prog="python -m coopbook.pipeline",
                                 description=doc.splitlines()[0])
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
    except DataError as exc:
        print(f"pipeline stopped: {exc}", file=sys.stderr)
        return 2
    lists, summary = frames["ice287g_lists"], frames["qa_summary"]
    print(f"read {len(frames['manifest'])} files -> {len(lists)} distinct lists "
          f"({int(lists['in_series'].sum())} in series) in {time.perf_counter() - start:.1f} s; "
          f"wrote {args.out}")
    for row in summary[summary["status"].eq("info")].itertuples():
        print(f"  {row.check} ({row.scope}): {row.value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
