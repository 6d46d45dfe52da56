"""Count each chapter's citations by the kind of source, and its "Check the claim" boxes.

    python scripts/source_counts.py [--rev COMMIT] [--markdown]

Reads the chapters' markdown cells (from the working tree, or from a commit with --rev, to
measure a before and an after by one rule) and the kinds in bib/source_kinds.csv (always
the working tree's: a key removed since has no kind and is counted as "unclassified").

primary = court or government; original = news or research; the rest (opinion, advocacy,
partisan, reference, aggregator) is neither. An advocacy group's or a party's own release is
counted as "the rest" even where it is the original of its own words: the share says how
much of a chapter rests on courts, governments, reporting and research.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from collections import Counter
from pathlib import Path

from coopbook.pipeline import compiled
from coopbook.site import extension

ROOT = Path(__file__).resolve().parents[1]
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
BOX = re.compile(r"\{admonition\}\s*Check the claim")
PRIMARY = {"court", "government"}
ORIGINAL = {"news", "research"}


def chapters(rev: str | None) -> dict[str, str]:
    """Chapter file name -> its markdown cells' text, at a commit or in the working tree."""
    if rev is None:
        files = {p.name: p.read_text() for p in sorted((ROOT / "chapters").glob("*.ipynb"))}
    else:
        names = subprocess.run(["git", "ls-tree", "--name-only", rev, "chapters/"], cwd=ROOT,
                               check=True, capture_output=True, text=True).stdout.split()
        files = {Path(n).name: subprocess.run(["git", "show", f"{rev}:{n}"], cwd=ROOT,
                                              check=True, capture_output=True, text=True).stdout
                 for n in names if n.endswith(".ipynb")}
    return {name: "\n".join("".join(c["source"]) for c in json.loads(text)["cells"]
                            if c["cell_type"] == "markdown")
            for name, text in files.items()}


def kinds() -> dict[str, str]:
    """The working tree's kinds, checked as the build checks them."""
    return extension.source_kinds(ROOT / extension.KINDS_FILE, compiled.bib_keys())


def count(text: str, kind_of: dict[str, str]) -> dict:
    cited = [k.strip() for group in CITE.findall(text) for k in group.split(",")]
    by_instance = Counter(kind_of.get(k, "unclassified") for k in cited)
    by_key = Counter(kind_of.get(k, "unclassified") for k in set(cited))

    def share(c: Counter, kinds: set[str]) -> float:
        total = sum(c.values())
        return round(100 * sum(c[k] for k in kinds) / total, 1) if total else 0.0

    return {"citations": len(cited), "keys": len(set(cited)),
            "primary_pct": share(by_instance, PRIMARY),
            "original_pct": share(by_instance, ORIGINAL),
            "primary_or_original_pct": share(by_instance, PRIMARY | ORIGINAL),
            "aggregator": by_instance["aggregator"], "partisan": by_instance["partisan"],
            "unclassified": by_instance["unclassified"],
            "keys_by_kind": dict(sorted(by_key.items())),
            "claim_boxes": len(BOX.findall(text))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", help="a commit to read the chapters from")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    kind_of = kinds()
    rows = {name: count(text, kind_of) for name, text in chapters(args.rev).items()}
    if not args.markdown:
        print(json.dumps(rows, indent=1))
        return
    print("| chapter | citations | keys | primary % | original % | primary or original % "
          "| aggregator | partisan | unclassified | Check the claim boxes |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in rows.items():
        print(f"| {name} | {r['citations']} | {r['keys']} | {r['primary_pct']} | "
              f"{r['original_pct']} | {r['primary_or_original_pct']} | {r['aggregator']} | "
              f"{r['partisan']} | {r['unclassified']} | {r['claim_boxes']} |")


if __name__ == "__main__":
    main()
