# Open Data Luzern: the one entry point for development tasks (`make help`).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export PYTHONDONTWRITEBYTECODE := 1
# Browser tests (tests/browser): Debian's Chromium, driven by Playwright; axe-core from npm.
CHROMIUM := /usr/bin/chromium
BROWSER_TESTS := tests/browser
AXE := $(BROWSER_TESTS)/node_modules/axe-core/axe.min.js
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# docs/deploy.md's nginx site and systemd units are checked by a test (nginx -t, systemd-analyze).
NGINX := /usr/sbin/nginx
SYSTEMD_ANALYZE := /usr/bin/systemd-analyze

.DEFAULT_GOAL := help
.PHONY: help install run demo pipelines serve test test-unit test-browser browser-tools deploy-tools lint fmt check bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/.installed browser-tools deploy-tools ## create .venv, install the project with its dev tools, Chromium, axe-core, nginx

browser-tools: $(CHROMIUM) $(AXE) ## Chromium (apt, where missing) and axe-core (npm) for the browser tests

# Debian's Chromium: Playwright drives it (a browser download by Playwright itself fails here).
$(CHROMIUM):
	@command -v apt-get >/dev/null 2>&1 || { \
	  echo "error: $(CHROMIUM) is missing and apt-get is not available;" \
	       "install Chromium so that $(CHROMIUM) exists (Debian package: chromium)" >&2; exit 1; }
	$(SUDO) apt-get update -q
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
	@test -x $@ || { echo "error: apt-get installed chromium, but $@ is missing" >&2; exit 1; }

deploy-tools: $(NGINX) $(SYSTEMD_ANALYZE) ## nginx and systemd-analyze (apt, where missing) for the deployment guide's test

$(NGINX) $(SYSTEMD_ANALYZE):
	@command -v apt-get >/dev/null 2>&1 || { \
	  echo "error: $@ is missing and apt-get is not available;" \
	       "install nginx-light and systemd (Debian packages)" >&2; exit 1; }
	$(SUDO) apt-get update -q
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	  $(if $(findstring nginx,$@),nginx-light,systemd)
	@test -x $@ || { echo "error: apt-get ran, but $@ is missing" >&2; exit 1; }

# axe-core into tests/browser/node_modules (git-ignored), as pinned in package-lock.json.
$(AXE): $(BROWSER_TESTS)/package.json $(BROWSER_TESTS)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  command -v apt-get >/dev/null 2>&1 || { \
	    echo "error: npm is missing and apt-get is not available; install Node.js with npm" >&2; exit 1; }; \
	  $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm; }
	npm ci --prefix $(BROWSER_TESTS) --no-audit --no-fund
	@touch $@

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

test: lint check browser-tools ## lint, ogd check and the whole test suite with the browser tests (what CI runs)
	$(BIN)/pytest -q -m "not benchmark"

test-browser: install ## browser tests only (headless Chromium; screenshots in tests/browser/output)
	$(BIN)/pytest -q -m browser $(BROWSER_TESTS)

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
