# zwgk — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/zwgk
PORT ?= 8000
export ZWGK_VAR_DIR ?= $(CURDIR)/var

.PHONY: all install run demo serve test lint test-sqlite test-postgres test-browser browser-deps fonts ocr screenshots clean

all: install

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# setup.py builds zwgk/text/_scan.c (screening's per-character loops) with the machine's C compiler:
# Debian's gcc is installed when missing (as root), and Debian's own Python needs python3-dev for its headers.
$(VENV)/.installed: $(BIN)/activate pyproject.toml setup.py zwgk/text/_scan.c
	@command -v cc >/dev/null || ( [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc) ) || \
		echo "zwgk needs a C compiler for zwgk/text/_scan.c: apt-get install gcc"
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed   ## venv + the project (installs the `zwgk` command in $(VENV)/bin)

# Serve the demo county on SQLite: portal at http://127.0.0.1:$(PORT)/ (PORT=8000 unless given), back office at /admin/.
run: install fonts ocr
	mkdir -p $(ZWGK_VAR_DIR)
	$(BIN)/zwgk migrate --noinput -v0
	@if [ ! -f $(ZWGK_VAR_DIR)/.demo-loaded ]; then $(BIN)/zwgk demo && touch $(ZWGK_VAR_DIR)/.demo-loaded; fi
	$(BIN)/zwgk reindex   # resumable: indexes only what a migration emptied or a crash left out
	$(BIN)/zwgk collectstatic --noinput -v0
	$(BIN)/zwgk db_worker & trap 'kill $$!' EXIT; $(BIN)/zwgk runserver 127.0.0.1:$(PORT)

demo: install
	mkdir -p $(ZWGK_VAR_DIR)
	$(BIN)/zwgk migrate --noinput -v0
	$(BIN)/zwgk demo --reset

lint: install
	$(BIN)/ruff check zwgk tests bench
	$(BIN)/ruff format --check zwgk tests bench
	ZWGK_VAR_DIR=$$(mktemp -d) $(BIN)/zwgk makemigrations --check --dry-run -v0

test-sqlite: install fonts ocr
	mkdir -p $(ZWGK_VAR_DIR)
	ZWGK_TASKS=immediate $(BIN)/pytest -q -m "not browser" -p no:cacheprovider

# PostgreSQL runs when reachable (CI always has it); otherwise the run says so and is skipped.
test-postgres: install fonts ocr
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3)" 2>/dev/null; then \
		ZWGK_TASKS=immediate DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not browser" -p no:cacheprovider; \
	else echo "PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL run"; fi

browser-deps:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)

# A TrueType CJK font that reportlab embeds in PDF letters (Debian's fonts-wqy-microhei, 5 MB).
# Without root or apt the platform still runs: letters are then issued as DOCX only and `zwgk check` says why.
FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
fonts:
	@test -f $(FONT) || [ -n "$$ZWGK_CJK_FONT" ] || \
		( [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || \
		   (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei)) ) || \
		echo "PDF letters need a CJK font: apt-get install fonts-wqy-microhei (or set ZWGK_CJK_FONT)"

# OCR of images and scanned PDFs (zwgk/screening/ocr.py): Debian's Tesseract and its Simplified Chinese
# model, and LibreOffice for old .doc/.wps files. Without them such files are reported 无法读取，需人工审查.
ocr:
	@command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx chi_sim || \
		( [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim >/dev/null 2>&1 || \
		   (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim)) ) || \
		echo "OCR needs Tesseract: apt-get install tesseract-ocr tesseract-ocr-chi-sim"
	@command -v soffice >/dev/null || ( [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null 2>&1 ) || \
		echo "old .doc/.wps files need LibreOffice: apt-get install libreoffice-writer-nogui"

test-browser: install browser-deps
	mkdir -p $(ZWGK_VAR_DIR)
	ZWGK_TASKS=immediate $(BIN)/pytest -q -m browser -p no:cacheprovider

# The clerk's guide's pictures (docs/screenshots/): the browser tests that take them, then shrunk and copied.
screenshots: install browser-deps
	mkdir -p $(ZWGK_VAR_DIR)
	ZWGK_TASKS=immediate ZWGK_SCREENSHOT_DIR=$(ZWGK_VAR_DIR)/screenshots $(BIN)/pytest -q -p no:cacheprovider \
		tests/browser/test_application_flow.py tests/browser/test_dashboard_todo.py tests/browser/test_portal_look.py
	$(BIN)/python scripts/docs_screenshots.py $(ZWGK_VAR_DIR)/screenshots

test: lint test-sqlite test-postgres test-browser

clean:
	rm -rf $(VENV) var
