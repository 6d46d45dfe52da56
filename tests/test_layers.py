"""The package's layers import only what ../shared/ARCHITECTURE.md allows.

The rules are read from each module's imports (the ast, not the text), so a new module
falls under its layer's rule without a change here.
"""

import ast
from pathlib import Path

import pytest

from coopbook import paths

PACKAGE = paths.ROOT / "src" / "coopbook"
# layer -> (may import, from the package), and third-party modules it must never import.
# A top-level module (errors.py, geo.py, ...) is its own layer.
DRAWING = {"altair", "ipywidgets", "IPython"}
RAW_READERS = {"python_calamine", "openpyxl"}
RULES = {
    "pipeline": ({"errors", "schema", "geo", "paths", "pipeline"}, DRAWING),
    "load": ({"schema", "paths", "errors"}, DRAWING | RAW_READERS),
    "analysis": ({"load", "geo", "analysis", "errors"}, DRAWING | RAW_READERS),
    "viz": ({"analysis", "load", "geo", "site", "viz", "paths"}, RAW_READERS),
    "site": ({"analysis", "viz", "load", "geo", "paths", "site"}, RAW_READERS),
    "devtools": ({"site", "paths", "devtools"}, DRAWING | RAW_READERS),
    "errors": (set(), DRAWING),
    "paths": (set(), DRAWING),
    "geo": (set(), DRAWING | {"pandas"}),
    "schema": ({"paths", "errors"}, DRAWING),
    "reader": ({"paths"}, RAW_READERS),
    "reader_notebooks": ({"paths", "reader", "site"}, DRAWING),
    "teacher_key": ({"paths", "reader", "reader_notebooks"}, DRAWING | RAW_READERS),
}
# What the drawing and site layers must never reach: the raw files.
NEVER = {"viz": {"pipeline"}, "site": {"pipeline"}, "devtools": {"pipeline", "analysis", "viz"}}


def layer_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def imports(path: Path, source: str | None = None) -> tuple[set[str], set[str]]:
    """(coopbook modules, top-level third-party modules) a file imports."""
    tree = ast.parse(path.read_text() if source is None else source)
    rel = path.relative_to(PACKAGE)
    package = list(rel.parts[:-1])
    own, other = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")
                (own.add(top[1]) if top[0] == "coopbook" and len(top) > 1 else other.add(top[0]))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                parts = base + (node.module.split(".") if node.module else [])
                if parts:
                    own.add(parts[0])
                else:  # "from . import x" at the package's top level
                    own.update(a.name for a in node.names)
                if node.module is None and base:
                    own.add(base[0])
            elif node.module and node.module.split(".")[0] == "coopbook":
                rest = node.module.split(".")[1:]
                own.update(rest[:1] or [a.name for a in node.names])
            elif node.module:
                other.add(node.module.split(".")[0])
    return own, other


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if layer_of(p) != "__init__")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_layer_imports_only_what_its_rule_allows(path):
    allowed, banned = RULES[layer_of(path)]
    own, other = imports(path)
    assert own <= allowed, f"{path.name} imports {sorted(own - allowed)} of coopbook"
    assert not own & NEVER.get(layer_of(path), set())
    assert not other & banned, f"{path.name} imports {sorted(other & banned)}"


def test_the_rules_cover_the_layers_that_exist():
    assert {layer_of(p) for p in MODULES} == set(RULES)


def test_notebooks_import_only_load_analysis_viz_and_glue():
    """Chapters hold prose and one-line calls: never the pipeline, never a private name."""
    import json
    notebooks = (sorted((paths.ROOT / "chapters").glob("*.ipynb")) + [paths.ROOT / "what_changed.ipynb"]
                 + sorted((paths.ROOT / "teaching").glob("*.ipynb")))
    for nb in notebooks:
        cells = json.loads(nb.read_text())["cells"]
        source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        tree = ast.parse("\n".join(l for l in source.splitlines() if not l.lstrip().startswith(("%", "!"))))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("coopbook"):
                parts = node.module.split(".")
                first = parts[1] if len(parts) > 1 else None
                names = [a.name for a in node.names]
                layer = first or names[0]
                assert layer not in {"pipeline"} and not any(n.startswith("_") for n in names), (
                    f"{nb.name} imports {node.module}: {names}")
                if first is None:
                    assert set(names) <= {"load", "geo", "reader", "paths"}, f"{nb.name}: {names}"
                else:
                    assert first in {"analysis", "viz", "geo", "load"}, f"{nb.name}: {node.module}"
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                assert False, f"{nb.name} uses a private name: .{node.attr}"


def test_the_scanner_sees_forbidden_imports_of_every_form():
    probe = PACKAGE / "analysis" / "probe.py"
    own, other = imports(probe, "import altair\nfrom .. import charts\nfrom ..viz import x\n"
                                "from coopbook.pipeline import ice287g\nimport coopbook.load\n")
    assert own == {"charts", "viz", "pipeline", "load"} and other == {"altair"}


def test_the_site_script_spells_the_page_protocol_as_python_does():
    """coopbook.js reads what the Python side writes: one list of names for both."""
    from coopbook.site import STATIC, protocol

    script = (STATIC / "coopbook.js").read_text()
    for name in (protocol.CHARTS_QUEUE, protocol.DRAW, protocol.DRAW_ALL, protocol.VIEWS,
                 protocol.TABLES):
        assert f"window.{name}" in script, name
    for cls in (protocol.TABLE, protocol.TABLE_DATA, protocol.TABLE_COUNT, protocol.CITE_GROUP,
                protocol.CITE_REST):
        assert cls in script, cls
    css = (STATIC / "coopbook.css").read_text()
    for cls in (protocol.CHART, protocol.TABLE, protocol.STATIC_TABLE, protocol.VERDICT,
                protocol.CHAPTER_REFS, protocol.CITE_REST):
        assert "." + cls in css, cls


def test_the_tests_and_the_benchmark_drive_the_browser_through_one_harness():
    """Only coopbook.devtools.browser names Chromium, launches it or finds axe-core; the
    browser tests and scripts/benchmark.py import it."""
    harness = PACKAGE / "devtools" / "browser.py"
    assert "/usr/bin/chromium" in harness.read_text()
    users = [paths.ROOT / "tests" / "test_site.py", paths.ROOT / "scripts" / "benchmark.py",
             paths.ROOT / "tests" / "test_real_clients.py"]
    for path in users:
        assert "coopbook.devtools" in path.read_text(), f"{path.name} does not use the harness"
    own = [p for p in [*paths.ROOT.joinpath("tests").glob("*.py"),
                       *paths.ROOT.joinpath("scripts").glob("*.py"),
                       *PACKAGE.rglob("*.py")] if p not in (harness, Path(__file__))]
    for path in own:
        text = path.read_text()
        for spelled in ("/usr/bin/chromium", "chromium.launch(", "axe.min.js",
                        "axe_playwright_python"):
            assert spelled not in text, f"{path.name} spells {spelled!r}: use the harness"
