# The two commands of the README:
#   make run    set up, build the demo workspace, open JupyterLab on 00_start_here
#   make test   set up, build the demo workspace, run every test and re-check every notebook
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP_VERSION := 26.3
WORKSPACE := workspace/demo.sqlite
SANITIZE  := tests/nbval_sanitize.cfg
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup demo run test lint refresh-notebooks bench lock clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "pip==$(PIP_VERSION)"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@# No news pop-up over the notebooks: the machines here are often offline anyway.
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
	  > $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $@

demo: setup
	$(BIN)/cadre demo --db $(WORKSPACE) --replace

# JupyterLab refuses to run as root unless told; containers often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

run: demo
	cd notebooks && ../$(BIN)/jupyter lab $(ALLOW_ROOT) 00_start_here.ipynb

test: demo
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with $(SANITIZE) tests notebooks

lint: setup
	$(BIN)/ruff check cadre_lib tests benchmarks
	$(BIN)/ruff format --check cadre_lib tests benchmarks

# Re-execute the notebooks and save their outputs (after a deliberate change).
refresh-notebooks: demo
	$(BIN)/python -m cadre_lib.notebook_refresh notebooks/*.ipynb

bench: setup
	$(BIN)/python benchmarks/bench_store.py
	$(BIN)/python benchmarks/bench_import_time.py
	$(BIN)/python benchmarks/bench_import.py

# Re-pin every package after changing dependencies in pyproject.toml.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	PIP_CONSTRAINT= .lockenv/bin/python -m pip install --quiet "pip==$(PIP_VERSION)" -e ".[test]"
	{ head -2 constraints.txt; .lockenv/bin/python -m pip freeze --exclude-editable | grep -v '^cadre'; \
	  echo "setuptools==80.9.0"; } > constraints.new && mv constraints.new constraints.txt && rm -rf .lockenv

clean:
	rm -rf $(VENV) workspace .pytest_cache
