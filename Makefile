# The book's commands. Two are all a newcomer needs:
#   make book   set up everything, build the book and its printable handouts, say where to open it
#   make test   set up everything, build the book and its student edition, run every test
# and for teachers:
#   make student  the student edition (exercise solutions and teacher pages left out)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-12)
# Every notebook of the book: the chapters and the pages built from notebooks.
NOTEBOOKS := chapters what_changed.ipynb teaching/no_code.ipynb
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: setup book student serve lab notebooks data execute chromium testtools test lint bench clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

# The handouts (teaching/handouts/) are printed to PDF from the built pages by Debian's
# headless chromium (coopbook.devtools.handouts), beside their pages.
book: setup chromium
	$(BIN)/jb build . -W -n --keep-going
	$(BIN)/python -m coopbook.devtools.handouts
	@echo
	@echo "The book is built. Open _build/html/index.html in a browser,"
	@echo "or run 'make serve' and open http://127.0.0.1:8000/ (search works only when served)."

# The student edition: the same sources, solutions hidden, no teacher pages
# (coopbook.site.student), in _build/student/_build/html.
STUDENT := _build/student
student: setup chromium
	$(BIN)/python -m coopbook.site.student
	$(BIN)/jb build . -W -n --keep-going --config $(STUDENT)/_config.yml --toc $(STUDENT)/_toc.yml --path-output $(STUDENT)
	$(BIN)/python -m coopbook.devtools.handouts --site $(STUDENT)/_build/html
	@echo
	@echo "The student edition is built. Open $(STUDENT)/_build/html/index.html in a browser."

serve:
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory _build/html

# Open the first chapter's reader notebook in JupyterLab, with the live explorers that the
# web page cannot run. Jupyter refuses root unless told; containers often run as root.
lab: setup
	$(BIN)/jupyter lab notebooks/01_history.ipynb $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# Write the reader notebooks (notebooks/*.ipynb) from the chapters: plain Markdown with the
# glued numbers filled in, one setup cell, starter cells for the exercises. A test fails
# when they are stale.
notebooks: setup
	$(BIN)/python -m coopbook.reader_notebooks

# Rebuild data/ from ../shared/data/raw (the tests check the result equals what is committed).
data: setup
	$(BIN)/python -m coopbook.pipeline

# Re-run every notebook and store its outputs (do this after editing a chapter or data/),
# then write the reader notebooks from them.
execute: setup
	$(BIN)/python scripts/execute_notebooks.py
	$(BIN)/python -m coopbook.reader_notebooks
	$(BIN)/python -m coopbook.teacher_key

# The browser tests use Debian's chromium; install it when it is missing (needs root).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq chromium >/dev/null; }

# The test tools from the npm registry (axe-core, which the browser tests inject), exactly as
# package-lock.json pins them. Needs node and npm (Debian's nodejs and npm packages).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { \
	  echo "Installing Debian's nodejs and npm for the test tools"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(AXE)

testtools: $(AXE)

test: setup chromium testtools book student lint
	COOPBOOK_RENDER=book $(BIN)/python -m pytest tests $(NOTEBOOKS) $(NBVAL) -p no:cacheprovider

lint: setup
	$(BIN)/ruff check src tests scripts
	$(BIN)/nbqa ruff $(NOTEBOOKS) --ignore E402,F401

bench: setup chromium testtools
	$(BIN)/python scripts/benchmark.py

clean:
	rm -rf _build
