"""The reader notebooks in real clients (the `slow` group; `make test` runs it).

* JupyterLab, started here, driven by headless Debian Chromium with every request that
  leaves 127.0.0.1 blocked: each reader notebook runs all its cells with no error, every
  chart draws, a bound Vega-Lite control changes its chart, and each ipywidgets explorer
  is shown once and changes its output when operated.
* A Colab-like virtualenv (Colab's pandas 2.2.2, numpy 2.0.2, altair 5.5.0, ipywidgets
  7.7.1, with ipykernel and nbconvert; tests/colab-like-requirements.txt), cached as
  .venv-colab-<hash>: each reader notebook, copied alone into an empty folder with
  COOPBOOK_REPO set, executes with no error, installs nothing, and glues the same values.
* Binder's install (binder/) resolves on Python 3.11 without the test or build stack.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from coopbook import paths
from coopbook.devtools import browser as harness

pytestmark = pytest.mark.slow

ROOT = paths.ROOT
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
COLAB_PINS = ROOT / "tests" / "colab-like-requirements.txt"
RUN_TIMEOUT_MS = 240_000


def _env(**extra) -> dict:
    """The environment of a reader: no book-mode rendering, the checkout named."""
    env = {k: v for k, v in os.environ.items() if k != "COOPBOOK_RENDER"}
    env.update(COOPBOOK_REPO=str(ROOT), PYTHONDONTWRITEBYTECODE="1", **extra)
    return env


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def _charts_in(path: Path) -> int:
    """How many chart cells a reader notebook has (each stores a picture of its chart)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(1 for c in cells for o in c.get("outputs", []) if "image/svg+xml" in o["data"])


# --------------------------------------------------------------------------- Binder


def test_binder_install_resolves_on_python_311_without_the_test_or_build_stack(tmp_path):
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    assert sys.version_info[:2] == (3, 11), "run the tests with Python 3.11, as Binder does"
    report = tmp_path / "report.json"
    subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
                    "--quiet", "--report", str(report), "-r",
                    str(ROOT / "binder" / "requirements.txt")], check=True, cwd=tmp_path)
    names = {i["metadata"]["name"].lower().replace("_", "-")
             for i in json.loads(report.read_text())["install"]}
    assert {"pandas", "altair", "ipywidgets", "jupyterlab", "ipykernel"} <= names
    stack = {"pytest", "playwright", "nbval", "jupyter-book", "myst-nb", "vl-convert-python",
             "ruff", "nbqa", "axe-playwright-python", "python-calamine", "sphinx"}
    assert not names & stack, f"Binder would install the test or build stack: {names & stack}"
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install --no-deps -e ." in post and os.access(ROOT / "binder" / "postBuild",
                                                               os.X_OK)


# --------------------------------------------------------------------------- Colab-like


@pytest.fixture(scope="module")
def colab_python() -> Path:
    """Python of the Colab-like virtualenv, built once per version of its pins."""
    key = hashlib.sha256(COLAB_PINS.read_bytes()).hexdigest()[:12]
    venv = ROOT / f".venv-colab-{key}"
    python = venv / "bin" / "python"
    if not (venv / ".complete").is_file():
        for old in ROOT.glob(".venv-colab-*"):
            shutil.rmtree(old)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(COLAB_PINS)],
                       check=True)
        (venv / ".complete").touch()
    return python


def _freeze(python: Path) -> str:
    return subprocess.run([str(python), "-m", "pip", "freeze", "--exclude-editable"],
                          check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_reader_notebook_runs_alone_in_a_colab_like_environment(colab_python, notebook,
                                                                     tmp_path):
    alone = tmp_path / notebook.name
    shutil.copy(notebook, alone)
    before = _freeze(colab_python)
    run = subprocess.run(
        [str(colab_python), "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
         "--inplace", "--ExecutePreprocessor.timeout=300", str(alone)],
        cwd=tmp_path, env=_env(), capture_output=True, text=True, check=False)
    assert run.returncode == 0, f"{notebook.name} failed on Colab's versions:\n{run.stderr[-3000:]}"
    assert _freeze(colab_python) == before, "the setup cell changed Colab's packages"
    cells = json.loads(alone.read_text(encoding="utf-8"))["cells"]
    outputs = [o for c in cells if c["cell_type"] == "code" for o in c["outputs"]]
    errors = [o for o in outputs if o["output_type"] == "error"
              or (o["output_type"] == "stream" and o["name"] == "stderr")]
    assert not errors, f"{notebook.name}: {errors[:2]}"
    setup_out = "".join(_text(o.get("text")) for o in cells[0]["outputs"])
    assert "Ready:" in setup_out and "Installing" not in setup_out, setup_out
    live = sum("coop-live-chart" in _text(o.get("data", {}).get("text/html")) for o in outputs)
    assert live == _charts_in(notebook), f"{notebook.name}: {live} live charts"
    assert list(tmp_path.iterdir()) == [alone], "the notebook wrote files beside itself"


def test_colab_versions_glue_the_same_values_as_the_stored_chapters(colab_python):
    code = """
import json, sys
from IPython.lib.pretty import pretty
from coopbook import paths, reader
from coopbook.reader_notebooks import format_plain_text, glued_values
bad = []
for path in sorted((paths.ROOT / "chapters").glob("*.ipynb")):
    stored = glued_values(json.loads(path.read_text()))
    reader.GLUED.clear()
    reader.prepare(path.stem, {}, install=False)
    got = {k: pretty(v) for k, v in reader.GLUED.items()}
    for key in sorted(set(stored) | set(got)):
        a, b = format_plain_text(stored.get(key, "<missing>"), ""), \\
            format_plain_text(got.get(key, "<missing>"), "")
        if a != b:
            bad.append(f"{path.stem} {key}: stored {a!r}, Colab versions {b!r}")
print(json.dumps(bad))
"""
    run = subprocess.run([str(colab_python), "-c", code], env=_env(PYTHONPATH=str(ROOT / "src")),
                         capture_output=True, text=True, check=False, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    assert json.loads(run.stdout.strip().splitlines()[-1]) == []


# --------------------------------------------------------------------------- JupyterLab


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving copies of the reader notebooks (so runs never touch notebooks/)."""
    home = tmp_path_factory.mktemp("lab")
    work = home / "work"
    work.mkdir()
    for nb in NOTEBOOKS:
        shutil.copy(nb, work / nb.name)
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Every cell in the page at once, so that the test sees every output.
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser",
           f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
           "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    env = _env(JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "rt"))
    log = (home / "lab.log").open("w")
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"JupyterLab did not start:\n{(home / 'lab.log').read_text()[-3000:]}")
            time.sleep(0.3)
    try:
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    with harness.chromium() as b:
        yield b


_RUN_ALL = """async () => {
    const app = window.jupyterapp;
    const panel = app.shell.currentWidget;
    await panel.context.ready;
    await panel.sessionContext.ready;
    await app.commands.execute('notebook:run-all-cells');
    const cells = panel.content.model.cells;
    const out = [];
    for (let i = 0; i < cells.length; i++) {
        const c = cells.get(i);
        if (c.type !== 'code') continue;
        out.push({count: c.executionCount, outputs: c.outputs.toJSON()});
    }
    return out;
}"""

_CHARTS = """() => [...document.querySelectorAll('.coop-live-chart')].map(el => ({
    id: el.id, state: el.dataset.state || '', svg: !!el.querySelector('svg'),
    binds: el.querySelectorAll('.vega-bind').length, text: el.textContent.slice(0, 200)}))"""


def _svg(page, chart_id: str) -> str:
    return page.eval_on_selector(f"#{chart_id}", "el => el.querySelector('svg').outerHTML")


def _operate_a_bound_control(page, chart_id: str) -> str:
    """Change the chart's first Vega-Lite control; return what was done."""
    bind = page.locator(f"#{chart_id} .vega-bind").first
    if bind.locator("select").count():
        select = bind.locator("select").first
        values = select.evaluate("s => [...s.options].map(o => o.value)")
        other = next(v for v in values if v != select.input_value())
        select.select_option(other)
        return f"select -> {other!r}"
    from test_site import _CHANGE_CONTROL  # the site's tests operate controls the same way

    did = page.evaluate(_CHANGE_CONTROL, [chart_id, 0])
    assert "error" not in did, f"chart {chart_id}: {did}"
    return f"{did['kind']} {did['name']!r} -> {did.get('to')!r}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_reader_notebook_runs_in_jupyterlab_offline_with_charts_and_explorers(
        lab, browser, notebook):
    base, token = lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked: list[str] = []
    page_errors: list[str] = []
    harness.block_off_host(context, blocked)
    page = context.new_page()
    page.on("pageerror", lambda err: page_errors.append(str(err)))
    try:
        page.goto(f"{base}/lab/workspaces/{notebook.stem}/tree/{notebook.name}?reset&token={token}",
                  wait_until="load")
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.shell.currentWidget && "
            "window.jupyterapp.shell.currentWidget.sessionContext", timeout=60_000)
        page.set_default_timeout(RUN_TIMEOUT_MS)
        cells = page.evaluate(_RUN_ALL)
        page.set_default_timeout(15_000)
        assert all(c["count"] for c in cells), f"{notebook.name}: not every cell ran"
        errors = [o for c in cells for o in c["outputs"] if o["output_type"] == "error"
                  or (o["output_type"] == "stream" and o.get("name") == "stderr")]
        assert not errors, f"{notebook.name}: error output {errors[:2]}"

        want = _charts_in(notebook)
        page.wait_for_function(
            f"() => document.querySelectorAll('.coop-live-chart').length === {want} && "
            "[...document.querySelectorAll('.coop-live-chart')].every(el => "
            "el.dataset.state === 'drawn' || el.dataset.state === 'error')", timeout=60_000)
        charts = page.evaluate(_CHARTS)
        bad = [c for c in charts if c["state"] != "drawn" or not c["svg"]]
        assert not bad, f"{notebook.name}: charts not drawn: {bad}"
        bound = [c for c in charts if c["binds"]]
        for chart in bound:
            before = _svg(page, chart["id"])
            did = _operate_a_bound_control(page, chart["id"])
            try:
                page.wait_for_function(
                    "([id, b]) => document.querySelector('#' + id + ' svg').outerHTML !== b",
                    arg=[chart["id"], before], timeout=5_000)
            except PlaywrightError:  # a timeout is the failure this test reports
                pytest.fail(f"{notebook.name}: {did} left chart {chart['id']} unchanged")
        _check_explorers(page, notebook)
        assert not blocked, f"{notebook.name}: requests to other hosts: {sorted(set(blocked))}"
        assert not page_errors, f"{notebook.name}: page errors: {page_errors}"
    finally:
        context.close()


def _check_explorers(page, notebook: Path) -> None:
    source = notebook.read_text(encoding="utf-8")
    if "show_state_explorer()" in source:
        menus = page.locator(".jp-OutputArea .widget-dropdown select")
        assert menus.count() == 1, f"{notebook.name}: {menus.count()} state menus (want one)"
        out = page.locator(".jp-OutputArea .widget-output").first
        page.wait_for_function("() => /agencies on the newest list/.test("
                               "document.querySelector('.jp-OutputArea .widget-output')"
                               ".textContent)", timeout=30_000)
        before = out.inner_text()
        values = menus.first.evaluate("s => [...s.options].map(o => o.value)")
        menus.first.select_option(next(v for v in values if v != menus.first.input_value()))
        page.wait_for_function("b => { const t = document.querySelector("
                               "'.jp-OutputArea .widget-output').innerText; "
                               "return t !== b && /agencies on the newest list/.test(t); }",
                               arg=before, timeout=30_000)
        after = out.inner_text()
        assert re.search(r"\d+ agencies on the newest list", after)
        assert after.split(":")[0] != before.split(":")[0], "the explorer shows the same state"
    if "leverage.explorer(" in source:
        sliders = page.locator(".jp-OutputArea .widget-slider")
        assert sliders.count() == 3, f"{notebook.name}: {sliders.count()} sliders (want 3)"
        answer = page.locator(".jp-OutputArea .widget-html").filter(has_text="At large")
        assert answer.count() == 1, f"{notebook.name}: the leverage explorer shows {answer.count()}"
        before = answer.inner_text()
        handle = sliders.nth(2).locator(".noUi-handle, .ui-slider-handle").first
        handle.focus()
        for _ in range(10):
            handle.press("ArrowLeft")
        page.wait_for_function(
            "b => [...document.querySelectorAll('.jp-OutputArea .widget-html')]"
            ".some(el => /At large/.test(el.innerText) && el.innerText !== b)",
            arg=before, timeout=15_000)
