"""Sphinx extension: reuse sphinxcontrib-bibtex's formatted bibliography between builds.

Why: sphinxcontrib-bibtex (2.7) formats every entry of every ``{bibliography}`` in its
``env-updated`` handler on *every* build, even one where no .bib file and no document
changed; for this book's ~360 entries that is most of a no-change rebuild (about 0.9 s
of pybtex and latexcodec work, 2 s under a profiler).

What: the ``cite`` domain is replaced (``app.add_domain(..., override=True)``, Sphinx's
own way to extend a domain) by a subclass whose ``env_updated`` first computes a key
from everything sphinxcontrib-bibtex's formatting reads:

* the content (SHA-256) of each .bib file and ``bibtex_encoding``;
* each bibliography directive (its document, id, bib files, style, list type, label and
  key prefixes, filter, listed keys and citation ids);
* each citation reference's document and cited keys, in order, and the order of the
  documents (which sets the citation order);
* ``bibtex_tooltips`` and ``bibtex_tooltips_style``;
* the versions of sphinxcontrib-bibtex, pybtex and pybtex-docutils, and this module's
  ``CACHE_VERSION``.

When the key equals the one stored with the last formatting, the stored citations (the
very objects sphinxcontrib-bibtex made, kept in the pickled build environment under
``_build/.doctrees``) are put back and nothing is formatted; otherwise
sphinxcontrib-bibtex formats as usual and its result is stored with the new key. The
output is therefore byte-identical to a build without this extension. A formatting that
logged a warning (duplicate key, missing field, ...) is not stored, so the next build
formats again and repeats the warning, as it would without the cache.

Editing a .bib file or a citation changes the key; ``make clean`` (or deleting
``_build/.doctrees``) drops the cache. Bump ``CACHE_VERSION`` when this key logic changes.
A pybtex style or plugin defined inside the book would need adding to the key: the book
uses only pybtex's built-in styles.
"""

from __future__ import annotations

import ast
import hashlib
import logging
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging as sphinx_logging
from sphinxcontrib.bibtex.domain import BibtexDomain, get_docnames

CACHE_VERSION = 1
DATA_KEY = "coopbook_bibcache"  # in the cite domain's data: (key, list of citations)
PACKAGES = ("sphinxcontrib-bibtex", "pybtex", "pybtex-docutils")
# sphinxcontrib-bibtex's loggers are sphinx.util.logging ones, named "sphinx." + module.
BIBTEX_LOGGER = "sphinx.sphinxcontrib.bibtex"

logger = sphinx_logging.getLogger(__name__)


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, or a marker when it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "missing"


def bibliography_state(bibliographies: dict) -> list:
    """What each bibliography directive contributes to the formatting, as plain data."""
    return [
        (key.docname, key.id_, value.line, [str(p) for p in value.bibfiles], value.style,
         value.list_, value.enumtype, value.start, value.labelprefix, value.keyprefix,
         ast.dump(value.filter_), list(value.keys),
         [(k, list(node["ids"])) for k, node in value.citation_nodes.items()])
        for key, value in bibliographies.items()
    ]


def citation_ref_state(citation_refs: list) -> list:
    """The document and cited keys of each citation reference, in order (line numbers,
    ids and pre/post texts are not read when entries are formatted)."""
    return [(ref.docname, [target.key for target in ref.targets]) for ref in citation_refs]


def cache_key(*, bibfiles: list[Path], encoding: str, bibliographies: dict,
              citation_refs: list, docnames: list[str], tooltips: bool,
              tooltips_style: str) -> str:
    """A digest of every input of sphinxcontrib-bibtex's env-updated formatting."""
    state = (
        CACHE_VERSION,
        [(name, version(name)) for name in PACKAGES],
        encoding,
        [(str(p), file_digest(p)) for p in bibfiles],
        bibliography_state(bibliographies),
        citation_ref_state(citation_refs),
        list(docnames),
        bool(tooltips),
        tooltips_style,
    )
    return hashlib.sha256(repr(state).encode("utf-8")).hexdigest()


class _Warnings(logging.Handler):
    """Counts the warnings sphinxcontrib-bibtex logs while it formats."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class CachedBibtexDomain(BibtexDomain):
    """sphinxcontrib-bibtex's ``cite`` domain, formatting only when its inputs changed."""

    def _key(self) -> str:
        config = self.env.config
        return cache_key(
            bibfiles=list(self.bibdata.bibfiles),
            encoding=self.bibdata.encoding,
            bibliographies=self.bibliographies,
            citation_refs=self.citation_refs,
            docnames=list(get_docnames(self.env)),
            tooltips=config.bibtex_tooltips,
            tooltips_style=config.bibtex_tooltips_style,
        )

    def env_updated(self):
        key = self._key()
        stored = self.data.get(DATA_KEY)
        if stored is not None and stored[0] == key:
            # A fresh list: clear_doc may have pruned the previous one of a re-read page.
            self.data["citations"] = list(stored[1])
            logger.verbose("bibcache: bibliography unchanged, reusing %d formatted entries",
                           len(stored[1]))
            return []
        self.data.pop(DATA_KEY, None)
        counter = _Warnings()
        bibtex_logger = logging.getLogger(BIBTEX_LOGGER)
        bibtex_logger.addHandler(counter)
        try:
            result = super().env_updated()
        finally:
            bibtex_logger.removeHandler(counter)
        if not counter.count:
            self.data[DATA_KEY] = (key, list(self.citations))
        logger.verbose("bibcache: formatted %d entries%s", len(self.citations),
                       "" if not counter.count else " (with warnings: not cached)")
        return result


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    app.add_domain(CachedBibtexDomain, override=True)
    # No "env_version": Sphinx would list it in searchindex.js, and the output must stay
    # byte-identical to a build without this extension (CACHE_VERSION is in the key).
    return {"parallel_read_safe": True, "parallel_write_safe": True}
