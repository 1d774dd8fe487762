# vivae: the front door. `make report` regenerates report/hw5.pdf; `make test` runs the tests.
# Both install what they need first (Debian 12 packages, as root) and work on a fresh clone.

SHELL      := /bin/bash
BUILD      ?= build
JOBS       ?= $(shell nproc)
RESULTS    ?= results
DATA_DIR   ?= data/mnist
SEED       ?= 546
# Pinned for byte-identical results: one OpenBLAS thread and a fixed kernel set.
export OPENBLAS_NUM_THREADS := 1
export OPENBLAS_CORETYPE    ?= $(shell grep -q avx2 /proc/cpuinfo 2>/dev/null && echo Haswell || echo Nehalem)
export SOURCE_DATE_EPOCH    ?= 1607990340
export FORCE_SOURCE_DATE    := 1

BUILD_PKGS := cmake g++ make libarmadillo-dev libopenblas-dev libboost-program-options-dev \
              libgtest-dev libbenchmark-dev
DATA_PKGS  := nodejs npm ca-certificates
PLOT_PKGS  := gnuplot-nox libgnuplot-iostream-dev
TEX_PKGS   := latexmk texlive-latex-base texlive-latex-recommended texlive-fonts-recommended \
              lmodern poppler-utils

SOURCES := CMakeLists.txt $(shell find src -name '*.cpp' -o -name '*.hpp' 2>/dev/null)

.PHONY: all deps deps-data deps-report build test bench verify data train figures report \
        check-repro clean help test-sanitize

all: build

help:
	@echo "make report   regenerate report/hw5.pdf (deps, data, build, vi_verify, vae_train, figures, LaTeX)"
	@echo "make test     build and run the test suite"
	@echo "make verify   run vi_verify into $(RESULTS)/p1/"
	@echo "make train    run vae_train into $(RESULTS)/p2/"
	@echo "make bench    Google Benchmark: enumeration and training-step rates"
	@echo "make deps     install missing Debian packages (root) or print the command"
	@echo "make clean    remove build output and generated results"

# --- dependencies --------------------------------------------------------------------------
define install_pkgs
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:" $$missing; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -q --no-install-recommends $$missing >/dev/null || \
	      { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $$missing >/dev/null; }; \
	  else \
	    echo "missing packages; run: sudo apt-get install -y --no-install-recommends $$missing"; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call install_pkgs,$(BUILD_PKGS))

deps-data:
	@command -v npm >/dev/null || { $(MAKE) --no-print-directory _deps-data; }

_deps-data:
	$(call install_pkgs,$(DATA_PKGS))

deps-report:
	$(call install_pkgs,$(PLOT_PKGS) $(TEX_PKGS))

# --- build ---------------------------------------------------------------------------------
$(BUILD)/Makefile: CMakeLists.txt | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS)

$(BUILD)/.built: $(SOURCES) $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS) --target vi_verify vae_train
	@touch $@

test: deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: deps build
	$(BUILD)/vivae_bench --benchmark_min_time=0.5

test-sanitize: deps
	cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIVAE_SANITIZE=ON -DVIVAE_BENCH=OFF >/dev/null
	cmake --build build-sanitize -j $(JOBS)
	cd build-sanitize && ctest --output-on-failure -j $(JOBS) --timeout 1200

# --- Problem 1 -----------------------------------------------------------------------------
verify: $(RESULTS)/p1/summary.json

$(RESULTS)/p1/summary.json: $(BUILD)/.built
	$(BUILD)/vi_verify --out $(RESULTS)/p1 --seed $(SEED) --quiet

clean:
	rm -rf $(BUILD) build-sanitize .repro $(RESULTS)/p1 $(RESULTS)/p2 report/generated report/figures \
	  report/hw5.pdf report/*.aux report/*.log report/*.fls report/*.fdb_latexmk report/*.out
