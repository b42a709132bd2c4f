# `make demo` and `make test` set everything up on a fresh clone (Python 3.11+).
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -qq --upgrade pip
	$(VENV)/bin/python -m pip install -qq -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

.PHONY: install demo test bench
install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/trackwire demo

test: $(STAMP)
	$(VENV)/bin/python -m pytest

BENCH_DB ?= /tmp/trackwire-bench.db
bench: $(STAMP)
	$(VENV)/bin/python -u bench/extraction.py
	$(VENV)/bin/python -u bench/crawl.py
	$(VENV)/bin/python -u bench/tagging.py
	$(VENV)/bin/python -u bench/make_store.py --stories 100000 --db $(BENCH_DB)
	$(VENV)/bin/python -u bench/store.py --db $(BENCH_DB)
	$(VENV)/bin/python -u bench/web.py --db $(BENCH_DB) --pg postgresql+psycopg://postgres@127.0.0.1:5432/test
	$(VENV)/bin/python -u bench/scaleout.py
