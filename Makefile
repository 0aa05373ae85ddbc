# Open Data Luzern: the one entry point for development tasks (`make help`).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help install run demo pipelines serve test test-unit lint fmt check bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/.installed ## create .venv and install the project with its dev tools

run: install ## build the demo instance (sources, every pipeline) and serve http://127.0.0.1:5000
	$(BIN)/ogd demo --if-missing
	$(BIN)/ogd run
	$(BIN)/ogd serve

lint: install ## ruff lint and format check, mypy --strict on ogd/
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: install ## format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## check every pipeline, schema and catalogue file
	$(BIN)/ogd check

test-unit: install ## unit tests only (seconds)
	$(BIN)/pytest tests/unit -q

test: lint check ## lint, ogd check and the whole test suite (what CI runs)
	$(BIN)/pytest -q -m "not benchmark"

bench: install ## benchmarks (never part of make test)
	$(BIN)/pytest -q -m benchmark tests/benchmarks -s

clean: ## remove the demo instance (var/)
	rm -rf var

.PHONY: translations
translations: install ## extract UI strings (babel.cfg) and update the fr/it/en catalogues in web/translations
	$(BIN)/pybabel extract -F babel.cfg --sort-by-file --project "Open Data Luzern" -o web/translations/messages.pot .
	for lang in fr it en; do \
	  if [ -f web/translations/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update -i web/translations/messages.pot -d web/translations -l $$lang --no-fuzzy-matching; \
	  else \
	    $(BIN)/pybabel init -i web/translations/messages.pot -d web/translations -l $$lang; \
	  fi; \
	done
