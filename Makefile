# Two commands set everything up on a fresh machine: `make demo` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system

.PHONY: demo test lint bench bench-million eval fuzz clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,web,spark,ocr]'
	touch $(STAMP)

# Debian packages the tests drive: Chromium (the HTML report in a real browser), LibreOffice
# (.doc/.wps/.odt input, and opening the DOCX report), Noto CJK (the PDFs the tests lay out),
# Java 17 (PySpark's JVM, for yuanwen.spark); pdftoppm with poppler-data's Chinese CMaps and img2pdf
# (the scans the OCR tests make).
$(SYSTEM_STAMP): | $(STAMP)
	@if ! command -v chromium >/dev/null || ! command -v soffice >/dev/null || ! fc-list :lang=zh | grep -qi noto \
		|| ! command -v java >/dev/null || ! command -v pdftoppm >/dev/null || ! command -v img2pdf >/dev/null \
		|| [ ! -d /usr/share/poppler/cMap/Adobe-GB1 ]; then \
		echo "installing chromium, libreoffice-writer-nogui, fonts-noto-cjk, openjdk-17-jre-headless, poppler-utils, poppler-data, img2pdf (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium libreoffice-writer-nogui fonts-noto-cjk fontconfig openjdk-17-jre-headless \
			poppler-utils poppler-data img2pdf >/dev/null; \
	fi
	touch $@

# The example has critical findings, so `check` exits 1 by design; the demo itself succeeds.
demo: $(STAMP)
	$(BIN)/yuanwen check examples/reprint.txt --source examples/source.txt || [ $$? -eq 1 ]
	mkdir -p build && $(BIN)/yuanwen compile examples/booklet.toml -o build/booklet.docx

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

# The 15 slowest tests are printed, so a later session sees where the suite's time grows
# (the project keeps `make test` within 20 minutes on two cores).
test: lint $(SYSTEM_STAMP)
	$(BIN)/pytest -q --durations=15

bench: $(STAMP) $(SYSTEM_STAMP)
	$(BIN)/python benchmarks/bench_check.py
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_render.py
	$(BIN)/python benchmarks/bench_hostile.py
	$(BIN)/python benchmarks/bench_library.py --texts 10000
	$(BIN)/python benchmarks/bench_ocr.py
	$(BIN)/python benchmarks/bench_web_report.py
	$(BIN)/python benchmarks/bench_audit.py
	$(BIN)/python benchmarks/bench_web_load.py
	$(BIN)/python benchmarks/bench_lint.py
	$(BIN)/python benchmarks/bench_compile.py

# The library at a million texts (issue 21): import, size, sources and quotations found, keyword
# search; ~15 GB under /tmp, an hour or more on two cores (on a loaded machine the import took 28
# minutes and the keyword index, built by the first search, over an hour). Writes
# benchmarks/out/library-1000000.json; `--library FILE` with `--no-search`, then `--no-find`, splits it in two runs.
bench-million: $(STAMP)
	$(BIN)/python benchmarks/bench_library.py --texts 1000000 --queries 300

# Edits of every kind planted in corpus texts: per-kind precision and recall, critical recall, findings
# per planted edit (tests/test_evaluation.py holds the floors `make test` enforces).
eval: $(STAMP)
	$(BIN)/python tests/evaluation.py

# Hypothesis's random exploration, which `make test` leaves out so that no test depends on luck:
# every property test, drawn anew FUZZ_ROUNDS times; keep each failure it prints as an @example.
FUZZ_ROUNDS ?= 5
fuzz: $(STAMP)
	for round in $$(seq $(FUZZ_ROUNDS)); do $(BIN)/pytest -q -m hypothesis --hypothesis-profile fuzz -p no:cacheprovider || exit 1; done

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
