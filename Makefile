# Two commands on a fresh machine: `make demo` (demo briefings in reports/) and `make test`.
# Each creates the virtual environment it needs (.venv, pip) the first time.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
WORKERS ?=  # empty: parreport's default, one worker per core (fewer if memory is short)

.PHONY: demo test install bytecode clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library("pango-1.0") else "WeasyPrint needs the Pango library: apt-get install libpango-1.0-0 libpangoft2-1.0-0")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Python writes a module's bytecode on first import unless PYTHONDONTWRITEBYTECODE is set (as on some CI
# machines); then every process (the command, its workers, each report's kernel) compiles the package again.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q parreport

demo: bytecode
	$(BIN)/parreport run params/quarterly.yaml --out reports $(if $(WORKERS),--workers $(WORKERS))

# axe-core, for the HTML accessibility test (tests/test_html_accessibility.py, skipped without it or Chromium)
AXE_CORE = .cache/node/node_modules/axe-core/axe.min.js
$(AXE_CORE): Makefile
	@if command -v npm >/dev/null; then npm install --prefix .cache/node --no-save --no-package-lock --no-audit \
	  --no-fund --silent axe-core@4.14.1 || echo "axe-core not installed: the HTML accessibility test is skipped"; \
	else echo "npm not found: the HTML accessibility test is skipped"; fi

test: bytecode $(AXE_CORE)
	$(BIN)/python -m pytest -q

clean:
	rm -rf reports .pytest_cache .hypothesis
