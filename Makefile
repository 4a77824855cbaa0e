# The two commands in README.md: `make site` and `make test`.
# Each one creates .venv/ and installs the pinned Python packages it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --disable-pip-version-check --quiet
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test check new-post new-page translations i18n-extract i18n-update i18n-compile i18n-init clean

## Build the whole bilingual site into site/ (installs the fonts and libraries it needs where it can;
## PRODUCTION=1: refuse placeholder publisher settings, as the deploy workflow does)
site: $(VENV)/.site-deps
	bash scripts/system-deps.sh site
	$(BIN)/python -m scripts build$(if $(PRODUCTION), --production)

## Preview at http://127.0.0.1:8000/ and rebuild on every save (another port: make serve PORT=8001)
PORT ?= 8000
serve: $(VENV)/.site-deps
	bash scripts/system-deps.sh site
	$(BIN)/python -m scripts serve --addr 127.0.0.1:$(PORT)

## Run every test (installs Chromium, Japanese fonts and Node.js where it can)
test: $(VENV)/.test-deps
	bash scripts/system-deps.sh test
	@$(MAKE) --no-print-directory node_modules/.npm-deps
	@# Every test but Lighthouse on every core (pytest-xdist; the tests that read the one scan of
	@# the site share a worker: tests/conftest.py); then Lighthouse alone, so its performance figures
	@# are not measured beside other work. Both runs share one build of the site, and one run id
	@# for the gate's records (the accessibility results table wants one complete run).
	export GATE_RUN_ID=$$(date -u +%Y%m%dT%H%M%SZ)-$$$$ && \
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadgroup -m "not lighthouse" && \
	$(BIN)/python -m pytest -m lighthouse

# Browser-gate tools from npm (axe-core, Lighthouse), pinned in package-lock.json.
# package.json's "overrides" pin two "latest" ranges inside Lighthouse so `npm ci` accepts the lock.
node_modules/.npm-deps: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Check every page in seconds, without building: front matter, links, alt text, facts ... (CONTRIBUTING.md)
check: $(VENV)/.site-deps
	$(BIN)/python -m scripts check$(if $(PRODUCTION), --production)

## Start a news post in Japanese and English:
##   make new-post SLUG=new-lessons TITLE_JA="新しい教材をのせました" TITLE_EN="New lesson material" [CATEGORY=teachers] [DATE=2026-12-01]
new-post: $(VENV)/.site-deps
	$(BIN)/python -m scripts new post --slug "$(SLUG)" --title-ja "$(TITLE_JA)" --title-en "$(TITLE_EN)" $(if $(CATEGORY),--category "$(CATEGORY)") $(if $(DATE),--date "$(DATE)")

## Start a page in Japanese and English: make new-page PAGE=about/contact TITLE_JA="…" TITLE_EN="…"
new-page: $(VENV)/.site-deps
	$(BIN)/python -m scripts new page --path "$(PAGE)" --title-ja "$(TITLE_JA)" --title-en "$(TITLE_EN)"

## Translations: every English page as current / stale / missing / orphaned (README: "Keeping translations current")
translations: $(VENV)/.site-deps
	$(BIN)/python -m scripts translations status

## UI strings: collect new strings from templates into locales/messages.pot
i18n-extract: $(VENV)/.site-deps
	$(BIN)/pybabel extract -F babel.cfg -k N_ --sort-by-file --no-wrap --omit-header -o locales/messages.pot overrides scripts

## UI strings: add new strings from messages.pot to each language's messages.po
i18n-update: i18n-extract
	$(BIN)/pybabel update -i locales/messages.pot -d locales --no-wrap --ignore-obsolete

## UI strings: compile each messages.po and list strings still to translate
i18n-compile: $(VENV)/.site-deps
	$(BIN)/python -m scripts catalogs

## UI strings: start a catalog for a new language, e.g. make i18n-init LANG=ko
i18n-init: i18n-extract
	$(BIN)/pybabel init -i locales/messages.pot -d locales -l $(LANG) --no-wrap

clean:
	rm -rf site .cache .site-building-* .site-old-*

$(VENV)/.site-deps: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { echo "Python 3.10 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -c 'import ensurepip' 2>/dev/null || { echo "ERROR: Python の venv がありません。次を実行してから、もう一度どうぞ / Python's venv is missing; run this, then try again: sudo apt-get install python3-venv"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements-test.txt requirements.txt $(VENV)/.site-deps
	$(PIP) -r requirements-test.txt
	touch $@
