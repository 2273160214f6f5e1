# Every target installs what it needs first (idempotent, quick when nothing changed).
SHELL := /bin/bash
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
VENV := $(ROOT)/.venv
PY := $(VENV)/bin/python
STAMPS := $(ROOT)/.stamps

# Keep every tool's state inside the project: the compiler folder ape-solidity
# reads, ape's data folder, and Anvil from node_modules on PATH.
export SOLCX_BINARY_PATH := $(ROOT)/.solcx
export APE_DATA_FOLDER := $(ROOT)/.ape
export PATH := $(VENV)/bin:$(ROOT)/node_modules/.bin:$(PATH)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: chromium help setup compile compile-shanghai test test-contracts test-python test-fast test-fast-contracts test-fast-contracts-a test-fast-python-then-contracts-b test-fast-python lint format typecheck demo deploy train eval bench bench-gas bench-gas-builds bench-inference bench-e2e fuzz audit clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup: $(STAMPS)/python $(STAMPS)/npm $(STAMPS)/solc ## venv, Python packages, npm packages, solc wrapper

$(STAMPS)/python: pyproject.toml
	@command -v python3 >/dev/null || { echo "error: python3 (3.11+) is not installed" >&2; exit 1; }
	@mkdir -p $(STAMPS)
	@test -x $(PY) || python3 -m venv $(VENV)
	@# A CPU machine takes the local CPU wheel of torch; a bare `torch` would pull a
	@# several-GB CUDA build. Where a CUDA torch is already present it is kept.
	@if ! $(PY) -c 'import torch' 2>/dev/null; then \
	  if command -v nvidia-smi >/dev/null 2>&1; then $(PY) -m pip install -q 'torch>=2.4'; \
	  else $(PY) -m pip install -q torch==2.13.0; fi; fi
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm is not installed (apt-get install nodejs npm)" >&2; exit 1; }
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STAMPS)/solc: tools/solc.cjs $(STAMPS)/npm
	@mkdir -p $(SOLCX_BINARY_PATH) $(STAMPS)
	@# ape-solidity finds compilers only as solc-v<version> in SOLCX_BINARY_PATH;
	@# a symlink (not a copy) lets the wrapper find node_modules.
	ln -sf $(ROOT)/tools/solc.cjs $(SOLCX_BINARY_PATH)/solc-v0.8.37
	@touch $@

compile: setup ## compile the contracts (ape + solcjs)
	ape compile
	@# Safe's own contracts (npm package) for the guard's tests, the SDK tests and the demo.
	ape pm compile safe --version 1.4.1
	@# A first compile leaves ape's copies of the dependencies in contracts/.cache (OpenZeppelin
	@# and Safe: over 600 files), and ape looks for the project's sources among only the first
	@# 500 files under contracts/: with the copies there, `ape test` misses contracts in
	@# subfolders. They are a cache; remove them.
	rm -rf contracts/.cache

# The shanghai build (chains without Cancun opcodes, e.g. Ganache 7): same sources,
# storage-slot reentrancy guard, its own artifacts file (contracts/README.md).
SHANGHAI_BUILD := .build/shanghai.json
compile-shanghai: setup $(SHANGHAI_BUILD) ## compile the shanghai build for Ganache (.build/shanghai.json)

$(SHANGHAI_BUILD): $(shell find contracts -name '*.sol' -not -path '*/.cache/*') ape-config.yaml tools/compile_build.py oracle/chain/builds.py
	$(PY) tools/compile_build.py shanghai
	@# The compile copies the dependencies into contracts/.cache again; with them there, ape
	@# sees only the first 500 files under contracts/ and `ape test` misses project contracts.
	rm -rf contracts/.cache

# The contract half (in-process EVM, CPU-bound, then the Slither gate) runs beside the Python
# half (mostly waiting on Anvil, validators and phases), each one's output printed whole.
test: setup compile compile-shanghai chromium lint ## everything CI runs: lint, contracts, audit, oracle, e2e, explorer, demo
	$(MAKE) --no-print-directory --output-sync=target -j2 test-contracts test-python

test-contracts:
	@# In-process EVM: the contract tests travel in time per block (Anvil follows the wall clock).
	ape test tests/contracts --network ethereum:local:test -q
	$(PY) scripts/audit_contracts.py

test-python:
	$(PY) -m pytest -p no:ape_test tests/oracle tests/security tests/e2e tests/explorer tests/demo -q

# `unit` is applied by tests/conftest.py to every test that starts no process (no Anvil,
# validator, demo or browser) and is not the long fuzz. Each test process is
# single-threaded, so the work is cut into two jobs of about equal CPU time for the two
# cores: the contract files a-g, and the Python unit tests followed by the contract
# files h-z (2:44 wall on 2 Dec, idle: contracts a-g 1:55, Python 1:18, h-z 1:01). Each job's
# output is printed whole when it ends.
CONTRACT_UNIT_A := $(sort $(wildcard tests/contracts/test_[a-g]*.py))
CONTRACT_UNIT_B := $(filter-out $(CONTRACT_UNIT_A),$(sort $(wildcard tests/contracts/test_*.py)))

test-fast: setup compile ## unit tests only: contracts in-process and Python, no processes
	$(MAKE) --no-print-directory --output-sync=target -j2 test-fast-contracts-a test-fast-python-then-contracts-b

test-fast-contracts-a:
	ape test $(CONTRACT_UNIT_A) --network ethereum:local:test -q -m unit

test-fast-python-then-contracts-b: test-fast-python
	ape test $(CONTRACT_UNIT_B) --network ethereum:local:test -q -m unit

test-fast-contracts:
	ape test tests/contracts --network ethereum:local:test -q -m unit

test-fast-python:
	$(PY) -m pytest -p no:ape_test tests/oracle tests/security tests/explorer -q -m unit

lint: setup ## ruff check, ruff format --check, mypy (strict on oracle/chain, oracle/validator)
	ruff check oracle tests scripts bench
	ruff format --check oracle tests scripts bench
	mypy

format: setup
	ruff format oracle tests scripts bench
	ruff check --fix oracle tests scripts bench

deploy: setup compile ## deploy to a local Anvil that ape starts
	ape run deploy --network ethereum:local:foundry

# The explorer tests drive Debian's Chromium headless (no browser downloads).
chromium: ## install Debian's chromium for the explorer tests (when missing)
	@test -x /usr/bin/chromium || { \
	  command -v apt-get >/dev/null || { echo "error: /usr/bin/chromium is missing and apt-get is not available: install Chromium" >&2; exit 1; }; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

# DEMO_EXIT=1 exits after the report; ORACLE_DEMO_MODEL=tiny uses the seconds-to-train
# test model (CI); see oracle/demo/settings.py for the other variables.
demo: setup compile $(if $(filter ganache,$(ORACLE_DEMO_CHAIN)),compile-shanghai) ## the whole system end to end on a local Anvil (ORACLE_DEMO_CHAIN=ganache: Ganache); explorer until Ctrl-C
	$(PY) -m oracle.demo

train: setup ## fine-tune the default model into models/default
	oracle train

bench: setup compile ## all benchmarks; results in bench/results/
	$(PY) bench/gas.py
	$(PY) bench/inference.py

bench-gas: setup compile ## gas per validator-verdict, naive vs batched vs relayed (bench/results/gas.json)
	$(PY) bench/gas.py

bench-gas-builds: setup compile compile-shanghai ## gas of the shanghai build vs prague: the storage-slot guard (bench/results/gas-builds.json)
	$(PY) bench/gas_builds.py

bench-inference: setup ## verdict throughput vs transformers' pipeline (bench/results/inference-<device>.json)
	$(PY) bench/inference.py

bench-e2e: setup compile ## N validator processes on Anvil: finalized/min, latency (bench/results/e2e.json)
	$(PY) bench/e2e.py

eval: setup ## evaluate models/default: own test, disjoint validation, outside set (+ parts), held-out
	oracle eval --suite --out models/default/eval-suite.json

audit: setup ## Slither on the contracts: fails on high/medium or on an untriaged finding (docs/security.md)
	$(PY) scripts/audit_contracts.py

clean: ## remove build outputs (keeps the venv, node_modules and models)
	rm -rf .build contracts/.cache deployments

fuzz: setup compile ## long stateful fuzz of the oracle's invariants (INVARIANT_EXAMPLES x INVARIANT_STEPS)
	INVARIANT_EXAMPLES=$${INVARIANT_EXAMPLES:-200} INVARIANT_STEPS=$${INVARIANT_STEPS:-60} \
	  ape test tests/contracts/test_invariants.py --network ethereum:local:test -q
