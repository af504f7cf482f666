# Frontlines: `make demo` runs the main job on the embedded defaults; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.frontlines-setup
FUZZ_EXAMPLES ?= 5000

.PHONY: setup demo serve test bench eval fuzz docs clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/ensure-postgres.sh scripts/ensure-chromium.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,geo,ray]'
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-chromium.sh
	$(BIN)/python -c "from frontlines.nlp import load_model; load_model()"
	touch $(STAMP)

demo: setup
	$(BIN)/frontlines demo --examples examples --out out

serve: setup
	test -f out/frontlines-demo.db || $(BIN)/frontlines demo --examples examples --out out --quiet
	@echo "Frontlines demo: http://127.0.0.1:$${PORT:-8000}/  (API: /docs)"
	$(BIN)/frontlines serve --db sqlite:///$(CURDIR)/out/frontlines-demo.db --port $${PORT:-8000} --initial examples/.maps/lebanon-syria-border-2017-07.csv

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m benchmarks

eval: setup
	bash scripts/eval-all.sh

fuzz: setup  # examples per target: make fuzz FUZZ_EXAMPLES=20000
	FRONTLINES_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/test_fuzz_*.py

docs: setup
	$(BIN)/python -m frontlines.docs > docs/cli.md

clean:
	rm -rf out build dist *.egg-info .pytest_cache
