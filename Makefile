# Two commands for a new user: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
DB ?= data/scst.duckdb
DEMO := data/demo/extracts
YESTERDAY := $(shell date -d yesterday +%F 2>/dev/null || $(PYTHON) -c "import datetime as d; print(d.date.today() - d.timedelta(days=1))")
PORT ?= 8501

.PHONY: install run images test test-deps lint nightly demo browser clean

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

# The demo Trust's extracts, as of yesterday: written to a new folder, then swapped in whole.
demo: install
	rm -rf $(DEMO).new
	$(BIN)/python -m scst_metrics.demo --out $(DEMO).new --as-of $(YESTERDAY) --seed 1
	rm -rf $(DEMO) && mv $(DEMO).new $(DEMO)

# What the scheduler runs each night for the demo: a fresh demo drop, then the load.
nightly: demo
	$(BIN)/python -m scst_metrics.load --extracts $(DEMO) --db $(DB)

$(DB):
	$(MAKE) nightly

run: install images $(DB)
	SCST_DB=$(DB) $(BIN)/streamlit run app.py --server.port $(PORT)

# Chart images and board packs need Chromium on the server: installed when we can (root), else
# the board still starts and its image buttons say how to install it.
images:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Chart images and board packs need Chromium: sudo apt-get install -y chromium"; fi; }

# Debian's Chromium: for browser tests (Playwright) and server-side chart images (kaleido).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Install Chromium first: sudo apt-get install -y chromium"; exit 1; fi; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/vulture

# PostgreSQL (the notes tests start their own server) and Node.js with npm (the sign-in tests'
# OpenID Connect provider, installed from tests/oidc/package-lock.json).
test-deps:
	@need=""; \
	{ command -v initdb || ls /usr/lib/postgresql/*/bin/initdb; } >/dev/null 2>&1 || need="$$need postgresql"; \
	command -v node >/dev/null 2>&1 || need="$$need nodejs"; \
	command -v npm >/dev/null 2>&1 || need="$$need npm"; \
	if [ -n "$$need" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$need; \
	  else echo "Install first: sudo apt-get install -y$$need"; exit 1; fi; fi
	@test -f tests/oidc/node_modules/oidc-provider/package.json || \
	  npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error

test: install browser test-deps lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) data/demo $(DB) test-artifacts
