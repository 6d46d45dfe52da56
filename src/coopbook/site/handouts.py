"""Printable handouts: the pages in teaching/handouts/, also as PDF files.

A handout is a page of the book (teaching/handouts/NAME.md, its title the first "# " line).
After the HTML build, `python -m coopbook.devtools.handouts` prints each one with Debian's
headless Chromium, through the book's own print stylesheet, to
<site>/teaching/handouts/NAME.pdf: no network, no other tool. `make book` does both.

Pages link a handout with the role {handout}`NAME`: the handout's title (its web page) and
"PDF" (the printed file). An unknown NAME is an error that names the page and the line, and
the list of handouts there are.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from docutils import nodes

from coopbook import paths

FOLDER = "teaching/handouts"
MAX_PAGES = 4  # a handout prints in 1-4 US Letter pages
TITLE = re.compile(r"^# (.+)$", re.MULTILINE)


def titles(root: Path | None = None) -> dict[str, str]:
    """name -> title of every handout page (the folder's index lists them)."""
    out = {}
    for path in sorted(((root or paths.ROOT) / FOLDER).glob("*.md")):
        if path.stem == "index":
            continue
        m = TITLE.search(path.read_text(encoding="utf-8"))
        if not m:
            raise ValueError(f"{FOLDER}/{path.name}: a handout needs a '# Title' line")
        out[path.stem] = m.group(1).strip()
    return out


def _relative(docname: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(docname) or ".")


def handout_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    handout = text.strip()
    known = env.app.coop_handouts
    if handout not in known:
        msg = inliner.reporter.error(
            f"{{handout}}`{handout}`: no page {FOLDER}/{handout}.md; the handouts are "
            f"{', '.join(sorted(known)) or 'none'}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    page = _relative(env.docname, f"{FOLDER}/{handout}.html")
    pdf = _relative(env.docname, f"{FOLDER}/{handout}.pdf")
    out = nodes.inline(classes=["coop-handout"])
    out += nodes.reference("", known[handout], refuri=page, internal=True)
    # " (PDF)" is for the screen: on paper the handout's title is the reference.
    alt = nodes.inline(classes=["coop-handout-alt"])
    alt += nodes.Text(" (")
    alt += nodes.reference("", "PDF", refuri=pdf, classes=["coop-handout-pdf"])
    alt += nodes.Text(")")
    out += alt
    return [out], []


def _read_titles(app) -> None:
    # Once per build, before any page is read: every {handout} link needs the titles.
    app.coop_handouts = titles(Path(app.srcdir))


def setup(app) -> None:
    app.add_role("handout", handout_role)
    app.connect("builder-inited", _read_titles)
