"""The browser harness that tests/ and scripts/benchmark.py share.

One place says which Chromium is driven and how (Debian's /usr/bin/chromium, headless;
`playwright install` is never needed), which pages of the built site exist, how the site
is served on 127.0.0.1, how a page is opened with every off-host request blocked and every
error recorded, when a page has settled, and where the axe-core script comes from (the
npm registry's current release, installed by `make` from package-lock.json).

The site folder is _build/html, or the folder named by COOPBOOK_SITE (to test a copy).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .. import paths
from ..site import protocol

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1"}
# Folders of theme assets and sources, and generated pages that are not the book's own.
SKIP_DIRS = {"_static", "_sources", "_images"}
SKIP_PAGES = {"genindex.html", "search.html"}
# Site-wide files outside _static/ that every page loads (and a browser caches once);
# they are not any page's own bytes.
SHARED = {"/searchindex.js"}
AXE_JS = paths.ROOT / "node_modules" / "axe-core" / "axe.min.js"
DRAW_TIMEOUT_MS = 10_000
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 3}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
CHARTS = "." + protocol.CHART
ALL_SETTLED_JS = f"""() => [...document.querySelectorAll('{CHARTS}')]
    .every(el => el.dataset.state === 'drawn' || el.dataset.state === 'error')"""


PDF_PAGE = re.compile(rb"/Type\s*/Page[^s]")


def pdf_pages(pdf: bytes) -> int:
    """The pages of a PDF that Chromium printed (its page objects, not the /Pages tree)."""
    return len(PDF_PAGE.findall(pdf))


def site_dir() -> Path:
    """The built site under test: COOPBOOK_SITE when set, else _build/html."""
    named = os.environ.get("COOPBOOK_SITE")
    return Path(named).resolve() if named else paths.ROOT / "_build" / "html"


def is_redirect(path: Path) -> bool:
    """True for stubs such as the index.html that sphinx-external-toc writes (a meta refresh)."""
    head = path.read_text(encoding="utf-8", errors="replace")[:500].lower()
    return 'http-equiv="refresh"' in head and "<body" not in head


def all_html(site: Path | None = None) -> list[Path]:
    """Every HTML file of the site outside the theme's asset folders."""
    site = site or site_dir()
    if not site.is_dir():
        return []
    return sorted(p for p in site.rglob("*.html")
                  if not SKIP_DIRS.intersection(p.relative_to(site).parts[:-1]))


def site_pages(site: Path | None = None) -> list[str]:
    """The book's own pages as URL paths relative to the site root, found by glob: redirect
    stubs, the index and the search page left out."""
    site = site or site_dir()
    pages = [p.relative_to(site).as_posix() for p in all_html(site) if not is_redirect(p)]
    return [p for p in pages if p not in SKIP_PAGES]


def axe_script() -> str:
    """The axe-core script to inject; a clear message when it has not been installed."""
    if not AXE_JS.is_file():
        raise FileNotFoundError(
            f"{AXE_JS} is missing: install the test tools with `npm ci` (make test does)")
    return AXE_JS.read_text(encoding="utf-8")


def axe_version() -> str:
    import json

    return json.loads((AXE_JS.parent / "package.json").read_text())["version"]


def is_local(url: str) -> bool:
    """True when the URL stays on this machine (data:, blob: and about: never leave it)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.hostname in LOCAL_HOSTS


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass  # keep test and benchmark output free of access logs


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 at a free port; yields the base URL (ending in /)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Debian's headless Chromium under Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def block_off_host(target, blocked: list[str] | None = None) -> None:
    """Route every request of a page or context: local ones go on, others are aborted
    (and recorded in `blocked`)."""
    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            if blocked is not None:
                blocked.append(r.request.url)
            r.abort()

    target.route("**/*", route)


@dataclass
class Visit:
    """A loaded page and everything it did while loading."""

    page: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    inflight: set = field(default_factory=set)
    responses: list = field(default_factory=list)


def watch(page, record_responses: bool = False) -> Visit:
    """Record a page's requests, errors and (optionally) responses; block off-host ones."""
    v = Visit(page)
    page.on("request", lambda req: (v.requests.append(req.url), v.inflight.add(req)))
    page.on("requestfinished", lambda req: v.inflight.discard(req))
    page.on("requestfailed", lambda req: v.inflight.discard(req))
    page.on("console", lambda msg: msg.type == "error" and v.console_errors.append(
        f"{msg.text} @ {msg.location.get('url', '')}:{msg.location.get('lineNumber', '')}"))
    page.on("pageerror", lambda err: v.page_errors.append(str(err)))
    if record_responses:
        page.on("response", lambda resp: v.responses.append(resp))
    block_off_host(page, v.blocked)
    return v


def wait_quiet(v: Visit, quiet_ms: int = 500, limit_ms: int = DRAW_TIMEOUT_MS,
               strict: bool = False) -> bool:
    """Wait until no request has been in flight for quiet_ms. Playwright's "networkidle"
    proved unreliable with this Chromium (it sometimes never fires), so quiet is judged
    from the page's own request events. Returns False (or raises, when strict) when the
    page is still busy after limit_ms."""
    deadline = time.monotonic() + limit_ms / 1000
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        v.page.wait_for_timeout(100)  # lets Playwright deliver the pending events
        if v.inflight:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_ms / 1000:
            return True
    if strict:
        raise TimeoutError(f"requests still in flight after {limit_ms / 1000:g} s: "
                           + ", ".join(r.url for r in v.inflight))
    return False


def scroll_through(page) -> None:
    """Scroll to every chart, as a reader does: charts are drawn as they come into view."""
    from playwright.sync_api import Error as PlaywrightError

    for chart in page.locator(CHARTS).all():
        with contextlib.suppress(PlaywrightError):
            chart.scroll_into_view_if_needed(timeout=2000)
            page.wait_for_timeout(50)
    page.evaluate("window.scrollTo(0, 0)")


def settle(v: Visit, quiet_ms: int = 500) -> None:
    """Scroll through the page, wait for every chart to be drawn (or fail) and the network
    to be quiet. A stuck chart is not an error here: the chart tests name it."""
    from playwright.sync_api import Error as PlaywrightError

    scroll_through(v.page)
    with contextlib.suppress(PlaywrightError):
        v.page.wait_for_function(ALL_SETTLED_JS, timeout=DRAW_TIMEOUT_MS)
    wait_quiet(v, quiet_ms)


def open_page(browser, url: str, *, device: dict | None = None, settled: bool = True,
              record_responses: bool = False) -> tuple[object, Visit]:
    """Open a URL in a fresh context (no shared cache), watched; returns (context, visit).
    The caller closes the context."""
    context = browser.new_context(**(device or {"viewport": {"width": 1280, "height": 900}}))
    page = context.new_page()
    page.set_default_timeout(DRAW_TIMEOUT_MS)
    v = watch(page, record_responses)
    page.goto(url, wait_until="load")
    if settled:
        settle(v)
    return context, v
