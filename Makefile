# DocuFlow OCR. `make up` runs the product locally; `make test` runs every test.
# Both install what they need first (scripts/bootstrap.sh).

SHELL := /bin/bash
UV ?= uv
RUN := $(UV) run --frozen
# Where the shared Textract fixtures live (read in place, never copied into the repo).
export DOCUFLOW_SHARED_DIR ?= $(abspath ../shared)
PYTEST_WORKERS ?= 2
# `make SERIAL=1 a b c` runs a, b, c one after another even under -j (test-checks).
ifdef SERIAL
.NOTPARALLEL:
endif

.PHONY: bootstrap up web-build seed test test-checks test-pipeline test-unit test-py312 test-static test-web test-e2e eval-ci lint fmt compose \
        screenshots \
        bench-parse bench-e2e bench-offline-ocr eval deploy destroy clean

bootstrap:
	@./scripts/bootstrap.sh

## Run the whole stack on the Docker-free local cloud (Ctrl-C stops it). It keeps its state
## in .localcloud/<port> across restarts; `make up FRESH=1` discards it and starts clean.
up: bootstrap web-build
	$(RUN) docuflow up $(if $(FRESH),--fresh)

## The web app's production build (frontend/dist), served by `make up` pointed at the local API.
## `npm run build` writes the demo's data first (`docuflow demo-data frontend/public/demo`).
web-build:
	@if [ -f frontend/package.json ]; then cd frontend && npm run --silent build; fi

## Upload the fixture documents to a running `make up`, so there are real jobs to look at.
seed:
	$(RUN) docuflow seed

## Every test: lint, unit and handler tests, static checks, web tests, end to end, accuracy.
## Two lanes side by side, each one target after another: the end-to-end suite, which
## spends much of its time waiting on the pipeline, then the accuracy figures
## (test-pipeline); beside it everything else (test-checks). Each lane's output is
## printed whole when it ends (--output-sync); a failure in either lane fails `make test`
## (with -k the rest of both lanes still runs).
test: bootstrap
	@$(MAKE) --no-print-directory -j2 --output-sync=recurse test-checks test-pipeline

test-checks:
	@$(call lane,lint test-unit test-py312 test-static test-web)

test-pipeline:
	@$(call lane,test-e2e eval-ci)

# A lane: targets one after another (SERIAL) even under -j, and how long they took.
define lane
started=$$(date +%s); $(MAKE) --no-print-directory SERIAL=1 $(1); code=$$?; \
echo "make $@: $$(( $$(date +%s) - started )) s ($(1)), exit $$code"; exit $$code
endef

## What the Lambda images run is tested on Python 3.12, their runtime (test-py312): the
## handler tests and the runtime core's unit tests. Everything else (the tooling, the
## local cloud) on 3.11, the default. The runtime core runs on 3.11 as well inside the
## local cloud, which the e2e suite drives end to end.
PY312_TESTS ?= tests/handlers tests/unit/services tests/unit/extraction tests/unit/einvoice tests/unit/domain tests/unit/vendors

test-unit:
	$(RUN) pytest -n $(PYTEST_WORKERS) tests --ignore=tests/static $(addprefix --ignore=,$(PY312_TESTS))

test-py312:
	UV_PROJECT_ENVIRONMENT=.venv312 UV_PYTHON_DOWNLOADS=never $(UV) sync --frozen --quiet --python "$$(./scripts/find-python.sh 3.12)"
	.venv312/bin/python -m pytest -n $(PYTEST_WORKERS) -q -p no:cacheprovider $(wildcard $(PY312_TESTS))

test-static:
	$(RUN) pytest -n $(PYTEST_WORKERS) tests/static

## The demo data afresh, Vitest over it, the demo build and the Playwright demo smoke (npm run test:ci).
test-web:
	@if [ -f frontend/package.json ]; then cd frontend && npm run --silent test:ci; fi

## Every screen at desktop and phone width into docs/screenshots/ (generated docs, not a
## check, so not part of `make test`; the 390 px check of every screen is).
screenshots:
	cd frontend && npm run --silent screenshots

## One local cloud, the e2e suite (e2e/) and the web app's Playwright flow against it (e2e/runner.py).
## E2E_WORKERS=2 runs the fuzzer on a second pytest worker beside the pipeline tests.
E2E_WORKERS ?= 1
test-e2e:
	$(RUN) python -m e2e.runner --workers $(E2E_WORKERS)

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy
	$(RUN) lint-imports --no-cache
	terraform fmt -check -recursive infra
	$(RUN) python -m docuflow_tools.compose_file --check
	@if [ -f frontend/package.json ]; then cd frontend && npm run --silent lint && npm run --silent typecheck; fi

fmt:
	$(RUN) ruff check --fix .
	$(RUN) ruff format .
	terraform fmt -recursive infra

## Rewrite docker-compose.yml's per-function blocks from services/functions.json.
compose:
	$(RUN) python -m docuflow_tools.compose_file

bench-parse:
	$(RUN) python -m docuflow_tools.bench.parse

## The pipeline benchmark: N invoices through the local cloud, upload to final status, and
## where the time went. `make bench-e2e N=12 CONCURRENCY=1` is the idle single-document run;
## `make bench-e2e BURST=1000 OCR_TPS=5` the throughput run against Textract's quota
## (`TIMEOUT=` seconds to wait for every job, 1800 by default; 1,000 at 0.5 a second need over 2,000).
bench-e2e:
	$(RUN) python -m docuflow_tools.bench.pipeline $(if $(N),-n $(N)) \
		$(if $(CONCURRENCY),--concurrency $(CONCURRENCY)) $(if $(SEED),--seed $(SEED)) \
		$(if $(BURST),--burst $(BURST)) $(if $(OCR_TPS),--ocr-tps $(OCR_TPS)) \
		$(if $(OCR_MAX_JOBS),--ocr-max-jobs $(OCR_MAX_JOBS)) $(if $(TIMEOUT),--timeout $(TIMEOUT))

## Pages per second of the offline OCR engine (text layer and Tesseract paths).
bench-offline-ocr:
	$(RUN) python -m docuflow_tools.bench.offline_ocr

## Build and push the Lambda image to ECR and apply Terraform with its digest (docs/deploy-aws.md).
deploy:
	./scripts/deploy.sh

destroy:
	./scripts/destroy.sh

## Accuracy figures of the offline engine + parser: on a freshly generated labelled set, and
## on the real-invoice corpus (../shared/corpus/invoices) as given and as degraded scans.
## Fails (exit 3) when a corpus figure falls below the checked-in floor
## (tools/docuflow_tools/evaluation/corpus_floor.json).
EVAL_N ?= 20
EVAL_HINT_PAIRS ?= 10
EVAL_CORPUS ?= $(DOCUFLOW_SHARED_DIR)/corpus/invoices
eval:
	@started=$$(date +%s); \
	$(MAKE) --no-print-directory eval-ci && \
	echo && echo "== Real invoices as degraded scans (Tesseract)" && \
	$(RUN) docuflow eval "$(EVAL_CORPUS)" --scans --floor && \
	echo && echo "make eval: $$(( $$(date +%s) - started )) s"

## What `make test` measures: the generated set, vendor hints and the real corpus as given,
## held to the floor. The scans (Tesseract on ~90 degraded pages, several minutes) are
## measured by `make eval`, against their own floor.
eval-ci:
	@started=$$(date +%s); \
	rm -rf .generated/eval && \
	$(RUN) docuflow generate .generated/eval -n $(EVAL_N) && \
	echo && echo "== Generated invoices" && $(RUN) docuflow eval .generated/eval && \
	echo && echo "== Vendor hints (generated pairs)" && \
	$(RUN) docuflow eval-hints --pairs $(EVAL_HINT_PAIRS) && \
	echo && echo "== Real invoices ($(EVAL_CORPUS))" && \
	$(RUN) docuflow eval "$(EVAL_CORPUS)" --floor && \
	echo && echo "make eval-ci: $$(( $$(date +%s) - started )) s"

clean:
	rm -rf .localcloud .generated .pytest_cache .mypy_cache .ruff_cache
