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
RULES = {
    "pipeline": ({"errors", "schema", "geo", "paths", "pipeline"}, set()),
    "load": ({"schema", "paths", "errors"}, set()),
    "analysis": ({"load", "geo", "analysis"}, {"altair", "ipywidgets", "IPython"}),
}


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


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if layer_of(p) in RULES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_layer_imports_only_what_its_rule_allows(path):
    allowed, banned = RULES[layer_of(path)]
    own, other = imports(path)
    assert own <= allowed, f"{path.name} imports {sorted(own - allowed)} of coopbook"
    assert not other & banned, f"{path.name} imports {sorted(other & banned)}"


def test_the_rules_cover_the_layers_that_exist():
    assert {layer_of(p) for p in MODULES} == set(RULES)


def test_the_scanner_sees_forbidden_imports_of_every_form():
    probe = PACKAGE / "analysis" / "probe.py"
    own, other = imports(probe, "import altair\nfrom .. import charts\nfrom ..viz import x\n"
                                "from coopbook.pipeline import ice287g\nimport coopbook.load\n")
    assert own == {"charts", "viz", "pipeline", "load"} and other == {"altair"}
