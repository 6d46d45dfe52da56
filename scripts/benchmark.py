"""Measure the book's build and page costs and print them beside their targets.

    python scripts/benchmark.py [--skip-build] [--skip-nbval] [--json bench/out.json] [--runs N]

Steps: a clean build (rm -rf _build, then `jb build . -W -n --keep-going`), a no-change
rebuild, the handouts printed to PDF, the student edition's build, the nbval check of the stored notebook outputs, the data pipeline into a
temporary folder, and per page of the built site (in headless Chromium): its own bytes
(the HTML plus every same-origin file it fetches outside _static/, i.e. its data) and the
time from navigation start to its first drawn chart (median of --runs loads).

Exceeding a target is only reported; the exit status is non-zero only when a step itself
fails (a build, nbval or the pipeline exits non-zero, or a page cannot be measured).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from coopbook.devtools import browser as harness
from coopbook.site import protocol

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
SITE = harness.site_dir()
BUILD_CMD = [str(VENV_BIN / "jb"), "build", ".", "-W", "-n", "--keep-going"]
# As `make test` runs it: in this environment's kernel, with charts rendered for the book
# (COOPBOOK_RENDER=book), which is how the stored outputs were made.
NBVAL_CMD = [str(VENV_BIN / "python"), "-m", "pytest", "--nbval", "--nbval-current-env",
             "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "chapters/", "what_changed.ipynb",
             "teaching/no_code.ipynb", "-q",
             "-p", "no:cacheprovider"]
NBVAL_ENV = {"COOPBOOK_RENDER": "book"}
# Targets: (limit, unit). Steps without a target are reported as measured.
TARGETS = {
    "clean build": (60.0, "s"),
    "no-change rebuild": (3.0, "s"),
    "first chart": (1000.0, "ms"),
    "page own bytes": (300.0, "KB"),
}

# Records, inside the page, when the first chart is marked drawn. Polling from Python
# after wait_for_selector would add the round trip to the measurement.
FIRST_DRAWN_JS = """
(() => {
  const seen = () => document.querySelector('.coop-chart[data-state="drawn"]');
  new MutationObserver((_, obs) => {
    if (window.__coopFirstDrawn === undefined && seen()) {
      window.__coopFirstDrawn = performance.now();
      obs.disconnect();
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-state']});
})();
"""


def run_step(name: str, cmd: list[str], env: dict | None = None) -> dict:
    """Run a command, timing it; keep the tail of its output if it fails."""
    print(f"[{name}] {' '.join(cmd)}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - start
    result = {"step": name, "seconds": round(seconds, 2), "returncode": proc.returncode}
    if proc.returncode:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-15:]
        result["error"] = "\n".join(tail)
        print(f"[{name}] FAILED (exit {proc.returncode}):\n" + result["error"], file=sys.stderr)
    return result


def measure_pages(runs: int, phone: bool = True) -> list[dict]:
    """Own bytes and first-chart time of each page, each load in a fresh (uncached) context.

    One load per page records its bytes; a page with charts is then loaded `runs` more
    times and the median first-chart time is reported, since single loads vary by a few
    hundred milliseconds.
    """
    results = []
    with harness.serve(SITE) as base, harness.chromium() as browser:
        for path in harness.site_pages(SITE):
            row = _measure_page(browser, base, path)
            row["first_chart_ms"] = None
            if phone and "error" not in row and path.startswith("chapters/"):
                row["phone"] = _phone_load(browser, base, path)
                row["printed_pages"] = _printed_pages(browser, base, path)
                row["draw_ms"] = _draw_times(browser, base, path)
            if "error" not in row and row.pop("has_chart"):
                # Timed loads listen to no network events: recording every response,
                # as the bytes load above does, slows the page it measures.
                times = [_first_chart(browser, base, path) for _ in range(runs)]
                row["first_chart_ms"] = round(statistics.median(times))
                row["first_chart_runs_ms"] = times
            results.append(row)
    return results


LONG_TASKS_JS = """
window.__coopLong = [];
new PerformanceObserver(l => l.getEntries().forEach(e => window.__coopLong.push(e.duration)))
  .observe({type: 'longtask', buffered: true});
"""
PHONE = harness.PHONE
CPU_SLOWDOWN = 4


def _phone_load(browser, base: str, path: str, settle_ms: int = 6000) -> dict:
    """A load on a 390 px touch phone with the CPU slowed 4x: total blocking time (the sum
    of each long task's time over 50 ms, from navigation to `settle_ms` after load) and the
    bytes transferred, the page's shared files included."""
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        transferred = []
        page.on("response", lambda r: transferred.append(r))
        page.add_init_script(LONG_TASKS_JS)
        page.goto(base + path, wait_until="load", timeout=60_000)
        page.wait_for_timeout(settle_ms)
        tasks = page.evaluate("() => window.__coopLong")
        total = sum(int(r.headers.get("content-length", 0)) for r in transferred
                    if r.status == 200)
        return {"blocking_ms": round(sum(max(0.0, t - 50) for t in tasks)),
                "long_tasks": len(tasks), "transferred_kb": round(total / 1024, 1)}
    finally:
        context.close()


DRAW_TIMES_JS = """
window.__coopDraw = {};
new MutationObserver(changes => changes.forEach(c => {
  const s = c.target.dataset && c.target.dataset.state;
  if (s) (window.__coopDraw[c.target.id] = window.__coopDraw[c.target.id] || {})[s] = performance.now();
})).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-state']});
"""


def _draw_times(browser, base: str, path: str) -> list[int]:
    """Each chart's draw, in ms from the moment it starts drawing (it comes within 400 px of
    the screen, or the one before it finishes) to drawn, as a reader scrolls through."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(DRAW_TIMES_JS)
        page.goto(base + path, wait_until="load")
        harness.scroll_through(page)
        page.wait_for_function(harness.ALL_SETTLED_JS, timeout=60_000)
        times = page.evaluate("() => Object.values(window.__coopDraw)")
        return sorted(round(t["drawn"] - t["drawing"]) for t in times if "drawn" in t)
    finally:
        context.close()


def _printed_pages(browser, base: str, path: str) -> int:
    """Letter pages of the page printed from a browser, every chart drawn first."""
    context, visit = harness.open_page(browser, base + path)
    try:
        visit.page.emulate_media(media="print")
        return harness.pdf_pages(visit.page.pdf(format="Letter"))
    finally:
        context.close()


def _first_chart(browser, base: str, path: str) -> float:
    """Milliseconds from navigation start to the first chart drawn, in a fresh context."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(FIRST_DRAWN_JS)
        # Charts are drawn when they come into view: the reader goes straight to the first
        # one as soon as the page is parsed, and the time counts from navigation.
        page.goto(base + path, wait_until="domcontentloaded")
        page.evaluate("() => document.querySelector('.coop-chart').scrollIntoView()")
        page.wait_for_selector(".coop-chart[data-state=drawn]", state="attached", timeout=10_000)
        return round(page.evaluate("() => window.__coopFirstDrawn ?? performance.now()"))
    finally:
        context.close()


def _measure_page(browser, base: str, path: str) -> dict:
    """The page's own bytes: its HTML and the data files it fetches (not _static/)."""
    context = browser.new_context()
    page = context.new_page()
    v = harness.watch(page, record_responses=True)
    row = {"page": path}
    try:
        doc = page.goto(base + path, wait_until="load")
        if doc is None or doc.status != 200:
            raise RuntimeError(f"HTTP {doc.status if doc else '?'} for {path}")
        row["has_chart"] = page.locator(".coop-chart").count() > 0
        if row["has_chart"]:  # charts fetch their data files while they draw
            # Charts are drawn as they come into view: scroll to each, as a reader would,
            # so that the bytes counted are those of a full read.
            for chart in page.locator(".coop-chart").all():
                chart.scroll_into_view_if_needed()
                page.wait_for_timeout(50)
            page.wait_for_selector(".coop-chart[data-state=drawn]", state="attached",
                                   timeout=10_000)
        harness.wait_quiet(v, strict=True)
        own = {}
        for resp in v.responses:
            url = urlsplit(resp.url)
            if (url.netloc != urlsplit(base).netloc or url.path.startswith("/_static/")
                    or url.path in harness.SHARED):
                continue
            if resp.status == 200:  # redirects and 304s have no body of their own
                own[url.path] = len(resp.body())
        row["own_bytes"] = sum(own.values())
        row["own_files"] = sorted(own)
        # A long table's other rows wait in _tables/ until the reader uses the table
        # (coopbook.site.extension.lazy_tables): reported beside the page's own bytes.
        lazy = re.compile(r'"src":"((?:\.\./)*' + protocol.TABLES_DIR + r'/[0-9a-f]+\.json)"')
        on_demand = set(lazy.findall(page.content()))
        row["table_bytes"] = sum(
            (SITE / urlsplit(urljoin(base + path, src)).path.lstrip("/")).stat().st_size
            for src in on_demand)
    except Exception as exc:  # noqa: BLE001 - any failure makes this page's measure fail
        row["error"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        context.close()
    return row


def verdict(key: str, value: float | None) -> str:
    if value is None:
        return ""
    limit, _ = TARGETS[key]
    return "ok" if value <= limit else "OVER"


def print_table(steps: list[dict], pages: list[dict]) -> None:
    lines = [f"{'step':<22} {'measured':>12} {'target':>10}  status"]
    for s in steps:
        target = TARGETS.get(s["step"])
        tgt = f"<= {target[0]:g} {target[1]}" if target else "-"
        status = "FAILED" if s.get("returncode") else (verdict(s["step"], s["seconds"])
                                                      if target else "")
        lines.append(f"{s['step']:<22} {s['seconds']:>10.2f} s {tgt:>10}  {status}")
    print("\n".join(lines))
    if not pages:
        return
    fb, fc = TARGETS["page own bytes"], TARGETS["first chart"]
    width = max(len(p["page"]) for p in pages)
    print()
    print(f"{'page':<{width}} {'own KB':>9} {'target':>9}  {'':4} {'1st chart':>10} "
          f"{'target':>10}  {'':4} {'tables KB':>9}  own files")
    for p in pages:
        if "error" in p:
            print(f"{p['page']:<{width}} FAILED: {p['error']}")
            continue
        kb = p["own_bytes"] / 1024
        ms = p["first_chart_ms"]
        ms_text = f"{ms} ms" if ms is not None else "no chart"
        files = ", ".join(f.lstrip("/") for f in p["own_files"])
        print(f"{p['page']:<{width}} {kb:>9.1f} {'<= ' + format(fb[0], 'g'):>9}  "
              f"{verdict('page own bytes', kb):4} {ms_text:>10} {'<= ' + format(fc[0], 'g'):>10}"
              f"  {verdict('first chart', ms):4} {p.get('table_bytes', 0) / 1024:>9.1f}  {files}")
    print("(tables KB: a long table's other rows, fetched only when the reader searches, "
          "sorts or pages it)")
    places = [p["own_bytes"] / 1024 for p in pages
              if p["page"].startswith("places/") and p["page"] != "places/index.html"
              and "error" not in p]
    if places:
        print(f"\nState pages ({len(places)}): own bytes median "
              f"{statistics.median(places):.1f} KB (target <= 150), max {max(places):.1f} KB "
              f"(target <= 300)")
    phones = [p for p in pages if "phone" in p]
    if phones:
        print(f"\nOn a 390 px touch phone at {CPU_SLOWDOWN}x CPU slowdown (one load each):")
        print(f"{'page':<{width}} {'blocking':>10} {'long tasks':>11} {'transferred':>12} "
              f"{'printed':>8} {'slowest draw':>13}")
        for p in phones:
            ph = p["phone"]
            slowest = f"{max(p['draw_ms'])} ms" if p.get("draw_ms") else "-"
            print(f"{p['page']:<{width}} {ph['blocking_ms']:>7} ms {ph['long_tasks']:>11} "
                  f"{ph['transferred_kb']:>9} KB {p.get('printed_pages', '?'):>4} pp "
                  f"{slowest:>12}")
        print("(printed: Letter pages, every chart drawn first; target <= 12. slowest draw: "
              "the longest of the page's chart draws, from its start as the reader scrolls "
              "near it to drawn, unthrottled; target <= 1000 ms)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-build", action="store_true", help="measure the existing _build")
    ap.add_argument("--skip-nbval", action="store_true", help="do not run the nbval check")
    ap.add_argument("--json", type=Path, metavar="OUT", help="also write the results here")
    ap.add_argument("--skip-phone", action="store_true",
                    help="do not measure the chapters on a slowed phone")
    ap.add_argument("--runs", type=int, default=7, metavar="N",
                    help="loads per page; the median first-chart time is reported (default 3)")
    args = ap.parse_args(argv)

    steps = []
    if not args.skip_build:
        # As on a fresh clone: no _build and no generated place pages. The first build
        # writes one state page (COOPBOOK_PLACES=1: the table of contents lists places/*,
        # which must match a page for a warning-free build), the second all of them; the
        # difference divided by the pages added is what each added page costs.
        for name, env in (("clean build, one state page", {"COOPBOOK_PLACES": "1"}),
                          ("clean build", {})):
            shutil.rmtree(ROOT / "_build", ignore_errors=True)
            shutil.rmtree(ROOT / "places", ignore_errors=True)
            steps.append(run_step(name, BUILD_CMD, env))
        steps.append(run_step("no-change rebuild", BUILD_CMD))
        # The classroom kit: its handouts printed to PDF, and the student edition built
        # from the same sources (`make book` and `make student` run the same commands).
        steps.append(run_step("handouts to PDF", [str(VENV_BIN / "python"), "-m",
                                                  "coopbook.devtools.handouts"]))
        student = ROOT / "_build" / "student"
        steps.append(run_step("student edition config", [str(VENV_BIN / "python"), "-m",
                                                         "coopbook.site.student"]))
        steps.append(run_step("student edition build", BUILD_CMD + [
            "--config", str(student / "_config.yml"), "--toc", str(student / "_toc.yml"),
            "--path-output", str(student)]))
        n = len(list((ROOT / "places").glob("*.md"))) - 2  # the finder and the first state
        if n > 0 and not any(s.get("returncode") for s in steps):
            grow = (steps[1]["seconds"] - steps[0]["seconds"]) / n
            steps.append({"step": f"per added state page ({n})", "seconds": round(grow, 3),
                          "returncode": 0})
    if not args.skip_nbval:
        steps.append(run_step("nbval", NBVAL_CMD, NBVAL_ENV))
    with tempfile.TemporaryDirectory() as tmp:
        steps.append(run_step("pipeline", [str(VENV_BIN / "python"), "-m", "coopbook.pipeline",
                                           "--out", tmp]))

    pages = []
    if (SITE / "index.html").is_file():
        pages = measure_pages(args.runs, phone=not args.skip_phone)
    else:
        steps.append({"step": "measure pages", "seconds": 0.0, "returncode": 1,
                      "error": f"no built site at {SITE}"})

    sys.stderr.flush()
    print_table(steps, pages)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"steps": steps, "pages": pages, "targets": TARGETS},
                                        indent=2) + "\n")
    failed = [s["step"] for s in steps if s.get("returncode")] + \
             [p["page"] for p in pages if "error" in p]
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
