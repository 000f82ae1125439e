# pmo-sim: every recipe bootstraps .venv itself; nothing needs `activate`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT ?= out

.PHONY: demo test lint format lab bench workshop clean

# .venv is rebuilt when pyproject.toml changes (the stamp is the file target).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name pmo-sim --display-name "pmo-sim (Python 3)" >/dev/null
	touch $(STAMP)

$(VENV): $(STAMP)

demo: $(STAMP)
	$(PY) -m pmo_sim.demo --out $(OUT)

# ruff, the layer contract ([tool.importlinter] in pyproject.toml, docs/architecture.md).
lint: $(STAMP)
	$(PY) -m ruff check pmo_sim tests benchmarks
	$(PY) -m ruff format --check pmo_sim tests benchmarks
	$(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	$(PY) -m ruff format pmo_sim tests benchmarks
	$(PY) -m ruff check --fix pmo_sim tests benchmarks

test: lint
	$(PY) -m pytest -q

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

# The live workshop as a page (Voila). WORKSHOP_DB: one answer file per engagement, resumed
# when it exists. Open http://127.0.0.1:$(WORKSHOP_PORT)/ (docs/workshop.md).
WORKSHOP_DB ?= $(OUT)/workshop/workshop.sqlite
WORKSHOP_SCENARIO ?= scenarios/baseline.yaml
WORKSHOP_PORT ?= 8866
WORKSHOP_IP ?= 127.0.0.1
workshop: $(STAMP)
	mkdir -p "$(dir $(WORKSHOP_DB))"
	PMO_WORKSHOP_DB="$(abspath $(WORKSHOP_DB))" PMO_WORKSHOP_SCENARIO="$(abspath $(WORKSHOP_SCENARIO))" \
	  $(VENV)/bin/voila notebooks/workshop.ipynb --no-browser --port $(WORKSHOP_PORT) --Voila.ip=$(WORKSHOP_IP)

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
