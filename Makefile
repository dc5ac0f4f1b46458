# The two commands of the README:
#   make run    set up, build the demo workspace if there is none, open JupyterLab on 00_start_here
#   make test   set up, build a demo of its own, run every test and re-check every notebook
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP_VERSION := 26.3
# The trainers' workspace: built once, then kept. No target here replaces it. (`:=`, not `?=`:
# only `make run WORKSPACE=…` changes it, never an environment variable of that common name.)
WORKSPACE := workspace/demo.sqlite
# The tests' workspace: rebuilt by every `make test`, so a trainer's data never changes
# what the tests and the notebooks' saved outputs compare, and the tests never touch theirs.
TEST_WORKSPACE := build/test/demo.sqlite
LAB_ARGS :=
SANITIZE  := tests/nbval_sanitize.cfg
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup demo run test-demo test lint docs refresh-notebooks bench lock clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "pip==$(PIP_VERSION)"
	$(BIN)/python -m pip install --quiet -e ".[test,docs]"
	@# No news pop-up over the notebooks: the machines here are often offline anyway.
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
	  > $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $@

# Builds the demo where there is no workspace yet; a workspace already there is kept as it is.
demo: setup
	$(BIN)/cadre demo --db $(WORKSPACE) --if-missing

# The notebooks run in notebooks/: a file path is made absolute, a database URL is passed as it is.
WORKSPACE_URL = $(if $(findstring ://,$(WORKSPACE)),$(WORKSPACE),$(abspath $(WORKSPACE)))

# JupyterLab refuses to run as root unless told; containers often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

run: demo
	cd notebooks && CADRE_DB_URL="$(WORKSPACE_URL)" ../$(BIN)/jupyter lab $(ALLOW_ROOT) $(LAB_ARGS) 00_start_here.ipynb

test-demo: setup
	rm -rf build/test
	$(BIN)/cadre demo --db $(TEST_WORKSPACE)

test: test-demo lint docs
	CADRE_DB_URL="$(CURDIR)/$(TEST_WORKSPACE)" \
	  $(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with $(SANITIZE) tests notebooks

# Formatting, lint, and the import rules of the layout (pyproject.toml, [tool.importlinter]).
lint: setup
	$(BIN)/ruff check cadre_lib tests benchmarks tools
	$(BIN)/ruff format --check cadre_lib tests benchmarks tools
	$(BIN)/lint-imports

# The documentation site, into build/site/: the API reference pages are written from each
# stage's __all__ first; strict, so a broken link or a public name without a docstring fails.
docs: setup
	$(BIN)/python tools/docs_reference.py
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# Re-execute the notebooks on the tests' demo and save their outputs (after a deliberate change).
refresh-notebooks: test-demo
	CADRE_DB_URL="$(CURDIR)/$(TEST_WORKSPACE)" $(BIN)/python tools/refresh_notebooks.py notebooks/*.ipynb

bench: setup
	$(BIN)/python -m pip install --quiet -e ".[test,bench,docs]"
	$(BIN)/python benchmarks/bench_store.py
	$(BIN)/python benchmarks/bench_import_time.py
	$(BIN)/python benchmarks/bench_import.py

# Re-pin every package after changing dependencies in pyproject.toml.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	PIP_CONSTRAINT= .lockenv/bin/python -m pip install --quiet "pip==$(PIP_VERSION)" -e ".[test,bench,docs]"
	{ head -2 constraints.txt; .lockenv/bin/python -m pip freeze --exclude-editable | grep -v '^cadre'; \
	  echo "setuptools==80.9.0"; } > constraints.new && mv constraints.new constraints.txt && rm -rf .lockenv

# Removes the environment and the tests' scratch files; the workspace/ folder is never touched.
clean:
	rm -rf $(VENV) build .pytest_cache
