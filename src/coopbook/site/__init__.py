"""The site: the Sphinx extension (`coopbook.site.extension`), the page protocol that the
extension, the charts, the tests and the benchmark share (`coopbook.site.protocol`), and the
script, styles and vendored Vega it ships (`static/coopbook`)."""

from pathlib import Path

STATIC = Path(__file__).parent / "static" / "coopbook"
