"""Print the book's handouts (coopbook.site.handouts) to PDF beside their built pages.

    python -m coopbook.devtools.handouts [--site _build/html]

Debian's headless Chromium, through the shared harness, prints each page of
teaching/handouts/ with the book's print stylesheet (no request leaves 127.0.0.1) to
<site>/teaching/handouts/NAME.pdf, and reports the printed pages; a handout longer than
four US Letter pages fails the run. `make book` and `make student` call it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coopbook import paths
from coopbook.devtools import browser
from coopbook.site.handouts import FOLDER, MAX_PAGES, titles


def print_all(site: Path, root: Path | None = None) -> dict[str, int]:
    """Print every handout page of a built site to PDF beside it; name -> printed pages."""
    names = titles(root)
    missing = [n for n in names if not (site / FOLDER / f"{n}.html").exists()]
    if missing:
        raise SystemExit(f"{site}: no built page for the handouts {', '.join(missing)}; "
                         "build the book first (make book)")
    pages = {}
    with browser.serve(site) as base, browser.chromium() as chromium:
        context = chromium.new_context()
        browser.block_off_host(context)
        page = context.new_page()
        for name in names:
            page.goto(f"{base}{FOLDER}/{name}.html", wait_until="load")
            page.emulate_media(media="print")
            pdf = page.pdf(format="Letter", prefer_css_page_size=True)
            (site / FOLDER / f"{name}.pdf").write_bytes(pdf)
            pages[name] = browser.pdf_pages(pdf)
        context.close()
    return pages


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Print the book's handouts to PDF.")
    ap.add_argument("--site", type=Path, default=paths.ROOT / "_build" / "html")
    args = ap.parse_args(argv)
    pages = print_all(args.site)
    long = {n: p for n, p in pages.items() if p > MAX_PAGES}
    print(f"Printed {len(pages)} handouts to {args.site / FOLDER}/*.pdf "
          f"({sum(pages.values())} Letter pages): "
          + ", ".join(f"{n} {p}" for n, p in pages.items()))
    if long:
        print("Longer than " + str(MAX_PAGES) + " pages: "
              + ", ".join(f"{n} ({p})" for n, p in long.items()), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
