"""Searchable tables: what the page carries, and the site extension's split of a long table
into the rows a page shows and a file of all its rows (fetched when first needed)."""

import json
import re

import pandas as pd

from coopbook.site import extension, protocol
from coopbook.viz import tables


def _html(n: int) -> str:
    frame = pd.DataFrame({"State": ["Texas", "Ohio"] * (n // 2) + ["Iowa"] * (n % 2),
                          "Agency": [f"Agency </script> {i}" for i in range(n)],
                          "Signed": list(range(n))})
    return tables.SearchableTable(frame, "Agencies", "Search", "agencies")._repr_html_()


def _payload(html: str) -> dict:
    return json.loads(re.search(r'class="coop-table-data">(.*?)</script>', html, re.DOTALL)[1])


def _decoded(data: dict) -> list[list]:
    dicts = data.get("dicts") or {}
    return [[dicts[str(i)][v] if str(i) in dicts else v for i, v in enumerate(r)]
            for r in data["rows"]]


def test_a_short_table_stays_whole_in_the_page(tmp_path):
    html = _html(protocol.TABLE_PAGE)
    assert extension.lazy_tables(html, lambda name: name, tmp_path) == html
    assert not list(tmp_path.iterdir())


def test_a_long_table_keeps_its_first_rows_and_writes_the_rest_to_a_file(tmp_path):
    html = _html(57)
    whole = _payload(html)
    out = extension.lazy_tables(html, lambda name: f"../{protocol.TABLES_DIR}/{name}", tmp_path)
    head = _payload(out)
    assert head["total"] == 57 and head["columns"] == whole["columns"]
    assert head["rows"] == _decoded(whole)[:protocol.TABLE_PAGE]
    files = list(tmp_path.iterdir())
    assert [head["src"]] == [f"../{protocol.TABLES_DIR}/{files[0].name}"]
    assert _decoded(json.loads(files[0].read_text())) == _decoded(whole)
    # A cell that holds "</script>" cannot end the page's script early.
    script = re.search(r'class="coop-table-data">(.*?)</script>', out, re.DOTALL)[1]
    assert "</" not in script
    # The page is otherwise unchanged: the search box, the pager, Show all.
    assert out.replace(script, "") == html.replace(re.search(
        r'class="coop-table-data">(.*?)</script>', html, re.DOTALL)[1], "")
    # The same table twice writes one file.
    extension.lazy_tables(html + html, lambda name: name, tmp_path)
    assert len(list(tmp_path.iterdir())) == 1


def _sourced(n: int) -> str:
    frame = pd.DataFrame({"case": [f"Case {i}" for i in range(n)],
                          "source": ["Smith2020a;Jones2021b", "Smith2020a"] * (n // 2)})
    return tables.SearchableTable(frame, "Cases", "Search", "cases")._repr_html_()


WORKS = {"Smith2020a": ("id7", "Smith, 2020"), "Jones2021b": ("id9", "Jones and Lee, 2021")}


def test_a_source_column_carries_links_to_the_bibliography_for_each_key(tmp_path):
    out = extension.table_citations(_sourced(4), WORKS, "../bibliography.html")
    data = _payload(out)
    assert data["cites"] == {"1": {"Smith2020a": ["../bibliography.html#id7", "Smith, 2020"],
                                   "Jones2021b": ["../bibliography.html#id9",
                                                  "Jones and Lee, 2021"]}}
    # A long table keeps them in the page (the first rows need them), not in its rows file.
    long = extension.table_citations(_sourced(30), WORKS, "../bibliography.html")
    split = extension.lazy_tables(long, lambda name: name, tmp_path)
    assert _payload(split)["cites"] == data["cites"]
    assert "cites" not in json.loads(next(tmp_path.iterdir()).read_text())


def test_a_table_without_a_source_column_is_left_as_it_is():
    html = _html(12)
    assert extension.table_citations(html, WORKS, "b.html") == html


def test_a_key_missing_from_the_bibliography_fails_the_build_naming_it():
    try:
        extension.table_citations(_sourced(2), {"Smith2020a": WORKS["Smith2020a"]}, "b.html")
    except ValueError as err:
        assert "Jones2021b" in str(err) and "'source'" in str(err)
    else:
        raise AssertionError("an unknown key passed")


def test_a_work_is_labelled_as_the_text_cites_it():
    from pybtex.database import Entry, Person

    def entry(*people, year="2021"):
        e = Entry("misc", fields={"year": year, "title": "T"})
        for p in people:
            e.add_person(Person(p), "author")
        return e

    assert extension._author_year(entry("Agarwal, Neel")) == "Agarwal, 2021"
    assert extension._author_year(entry("{U.S. Supreme Court}")) == "U.S. Supreme Court, 2021"
    assert extension._author_year(entry("Smith, A", "Jones, B")) == "Smith and Jones, 2021"
    assert extension._author_year(entry("A, X", "B, Y", "C, Z")) == "A et al., 2021"
    assert extension._author_year(entry(r"{Fenwick \& West}")) == "Fenwick & West, 2021"
