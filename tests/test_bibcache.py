"""coopbook.site.bibcache: the key that decides when sphinxcontrib-bibtex's formatted
bibliography may be reused, and the reuse itself. Nothing here builds the book; the
byte-identical output is checked by building (see the module's docstring)."""

import ast
import logging
import os
from pathlib import Path

import pytest
import yaml
from docutils import nodes
from sphinxcontrib.bibtex.citation_target import CitationTarget
from sphinxcontrib.bibtex.directives import BibliographyKey, BibliographyValue
from sphinxcontrib.bibtex.domain import BibtexDomain
from sphinxcontrib.bibtex.roles import CitationRef

from coopbook import paths
from coopbook.site import bibcache

ENTRY = "@misc{Doe2020a,\n  author = {Doe, Jane},\n  title = {{A Title}},\n  year = {2020}\n}\n"


def bibliographies(bib: Path, **changes) -> dict:
    citation = nodes.citation(ids=["id1"])
    value = BibliographyValue(
        line=3, bibfiles=[bib], style="alpha", list_="citation", enumtype="arabic",
        start=1, labelprefix="", keyprefix="", filter_=ast.parse("cited"),
        citation_nodes={"Doe2020a": citation}, keys=[])
    return {BibliographyKey("bibliography", "id0"): value._replace(**changes)}


def ref(docname="chapters/01", keys=("Doe2020a",), line=10, ref_id="id5", pre=""):
    return CitationRef(citation_ref_id=ref_id, docname=docname, line=line,
                       targets=[CitationTarget(key=k, pre=pre, post="") for k in keys])


def key_of(bib: Path, bibs=None, refs=None, docnames=("intro", "chapters/01", "bibliography"),
           tooltips=True, tooltips_style=""):
    return bibcache.cache_key(
        bibfiles=[bib], encoding="utf-8-sig",
        bibliographies=bibliographies(bib) if bibs is None else bibs,
        citation_refs=[ref()] if refs is None else refs, docnames=list(docnames),
        tooltips=tooltips, tooltips_style=tooltips_style)


@pytest.fixture
def bib(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(ENTRY)
    return path


def test_the_key_is_stable_and_ignores_what_the_formatting_does_not_read(bib):
    first = key_of(bib)
    assert key_of(bib) == first
    os.utime(bib, (1, 1))  # a touch: same content, new mtime
    assert key_of(bib) == first
    # a citation moved to another line, given another id or a pre-text
    assert key_of(bib, refs=[ref(line=99, ref_id="id9", pre="see")]) == first


def test_an_edited_bib_entry_changes_the_key(bib):
    first = key_of(bib)
    bib.write_text(ENTRY.replace("A Title", "A New Title"))
    assert key_of(bib) != first
    bib.write_text(ENTRY)
    assert key_of(bib) == first
    bib.unlink()
    assert key_of(bib) != first


@pytest.mark.parametrize("change", [
    {"refs": [ref(keys=("Doe2020a", "Roe2021"))]},    # another work cited
    {"refs": [ref(docname="chapters/02")]},           # cited from another page
    {"refs": [ref(), ref(docname="intro")]},          # cited once more
    {"refs": []},                                     # no longer cited
    {"docnames": ("chapters/01", "intro", "bibliography")},  # pages reordered
    {"tooltips": False},
    {"tooltips_style": "plain"},
])
def test_a_changed_citation_or_setting_changes_the_key(bib, change):
    assert key_of(bib, **change) != key_of(bib)


@pytest.mark.parametrize("field,value", [
    ("style", "plain"), ("keyprefix", "x-"), ("labelprefix", "B"), ("list_", "bullet"),
    ("filter_", ast.parse("True")), ("keys", ["Roe2021"]),
    ("citation_nodes", {"Doe2020a": nodes.citation(ids=["id2"])}),
])
def test_a_changed_bibliography_directive_changes_the_key(bib, field, value):
    assert key_of(bib, bibs=bibliographies(bib, **{field: value})) != key_of(bib)


class FakeDomain(bibcache.CachedBibtexDomain):
    """The cached domain without a Sphinx environment: a given key, a counted formatting."""

    def __init__(self, key: str, warn: bool = False):
        self.data = {"citations": [], "bibliographies": {}, "citation_refs": []}
        self.key, self.warn, self.formatted = key, warn, 0

    def _key(self):
        return self.key


@pytest.fixture
def fake_format(monkeypatch):
    """BibtexDomain.env_updated replaced by one that 'formats' two citations."""
    def env_updated(self):
        self.formatted += 1
        self.data["citations"][:] = [f"citation {self.formatted}a", f"citation {self.formatted}b"]
        if self.warn:
            logging.getLogger("sphinx.sphinxcontrib.bibtex.domain").warning("duplicate label")
        return []
    monkeypatch.setattr(BibtexDomain, "env_updated", env_updated)


def test_formatting_is_reused_while_the_key_holds(fake_format):
    domain = FakeDomain("k1")
    assert domain.env_updated() == [] and domain.formatted == 1
    stored = list(domain.citations)
    domain.data["citations"] = []  # as clear_doc leaves it for a re-read bibliography page
    domain.env_updated()
    assert domain.formatted == 1 and domain.citations == stored
    domain.key = "k2"  # a .bib file or a citation changed
    domain.env_updated()
    assert domain.formatted == 2 and domain.citations == ["citation 2a", "citation 2b"]
    assert domain.data[bibcache.DATA_KEY][0] == "k2"


def test_a_formatting_that_warned_is_not_reused(fake_format):
    domain = FakeDomain("k1", warn=True)
    domain.env_updated()
    domain.env_updated()
    assert domain.formatted == 2 and bibcache.DATA_KEY not in domain.data


def test_the_book_loads_the_cache():
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text())
    assert "coopbook.site.bibcache" in config["sphinx"]["extra_extensions"]
    assert config["bibtex_bibfiles"]
