# pmo-sim: every recipe bootstraps .venv itself; nothing needs `activate`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT ?= out

.PHONY: demo test lint format lab bench workshop workshop-notebook data clean fuzz

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

# ruff, the layer contract ([tool.importlinter] in pyproject.toml, docs/architecture.md),
# mypy on the package ([tool.mypy]).
lint: $(STAMP)
	$(PY) -m ruff check pmo_sim tests benchmarks
	$(PY) -m ruff format --check pmo_sim tests benchmarks
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff format pmo_sim tests benchmarks
	$(PY) -m ruff check --fix pmo_sim tests benchmarks

test: lint
	$(PY) -m pytest -q

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

# The workshop room: participants answer on their phones, the facilitator's board follows
# (docs/workshop.md). WORKSHOP_DB: one answer file per engagement, resumed when it exists.
# Prints the participant link, the join code and the facilitator's link.
# WORKSHOP_IP=0.0.0.0 serves the room's network (default: this laptop only).
WORKSHOP_DB ?= $(OUT)/workshop/workshop.sqlite
WORKSHOP_SCENARIO ?= scenarios/baseline.yaml
WORKSHOP_PORT ?= 8800
WORKSHOP_IP ?= 127.0.0.1
WORKSHOP_CLIENT ?=
workshop: $(STAMP)
	$(VENV)/bin/pmo-sim workshop serve "$(WORKSHOP_DB)" --host $(WORKSHOP_IP) --port $(WORKSHOP_PORT) \
	  $(if $(WORKSHOP_CLIENT),--client "$(WORKSHOP_CLIENT)")

# The facilitator's notebook as a page (Voila): capture form, live results, capacity what-if,
# on the same answer file. Open http://127.0.0.1:$(NOTEBOOK_PORT)/.
NOTEBOOK_PORT ?= 8866
workshop-notebook: $(STAMP)
	mkdir -p "$(dir $(WORKSHOP_DB))"
	PMO_WORKSHOP_DB="$(abspath $(WORKSHOP_DB))" PMO_WORKSHOP_SCENARIO="$(abspath $(WORKSHOP_SCENARIO))" \
	  $(VENV)/bin/voila notebooks/workshop.ipynb --no-browser --port $(NOTEBOOK_PORT) --Voila.ip=127.0.0.1

# The bad-input contract on a larger seeded fuzz corpus than `make test` runs
# (tests/fuzz_corpus.py): every case exits 0, or 2 naming the file, in time, writing nothing.
FUZZ_SEED ?= 2026
FUZZ_CASES ?= 1500
fuzz: $(STAMP)
	PMO_SIM_FUZZ_SEED=$(FUZZ_SEED) PMO_SIM_FUZZ_CASES=$(FUZZ_CASES) $(PY) -m pytest -q tests/test_fuzz_contract.py

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# Refresh the packaged copies (pmo_sim/data/X) of the user-facing files (X) after an edit;
# tests/test_packaging.py checks that each pair is identical (docs/architecture.md).
data:
	$(PYTHON) -c "import pathlib, shutil; d = pathlib.Path('pmo_sim/data'); \
	[shutil.copyfile(t, p) for p in d.rglob('*') if p.is_file() and (t := p.relative_to(d)).is_file()]"

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
