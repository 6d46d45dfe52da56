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
