# The README's two commands: `make build` (set up, then build output/ from seeds/) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: setup build test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: setup
	$(VENV)/bin/kg build

test: setup
	$(VENV)/bin/python -m pytest -q

clean:
	rm -rf output .pytest_cache
