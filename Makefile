# Redress: build, run and test on Debian 12.
#
#   make deps    install the Debian packages (scripts/install-deps.sh)
#   make build   configure and build into build/
#   make run     build, then serve on 127.0.0.1:50051 with var/redress.db
#                (extra server flags: make run ARGS="--listen 0.0.0.0:50051")
#   make test    build, then run every test against SQLite and a throwaway
#                PostgreSQL server: the C++ tests on the ASan + UBSan tree
#                (build-asan/, fuzz smokes included), the script-driven and
#                client tests on build/ (scripts/run-tests.sh)
#   make bench   build, then run the benchmark (bench/run_bench.sh, ~10-15 min;
#                knobs in bench/README.md) and write bench/RESULTS.md
#   make torture the long reliability tests (tests/reliability/torture.sh:
#                kill -9, PostgreSQL outage, disk full, replicas, SIGTERM)
#   make soak    mixed load for SOAK_SECONDS (default 1800) with RSS, fds,
#                database size and latency sampled (not part of make test)
#   make docs    render the API reference docs/api/redress.v1.md from proto/
#   make clean   remove build/ and the sanitizer build trees
#
# Sanitizers and fuzzing (clang from Debian; separate build trees):
#   make test-asan  build into build-asan/ with ASan + UBSan (undefined
#                   behaviour fatal) and the libFuzzer targets, run every test
#   make test-tsan  build into build-tsan/ with TSan, run every test
#   make fuzz       build-asan/'s fuzz targets (tests/fuzz), FUZZ_SECONDS each
#                   (default 120), starting from tests/fuzz/corpus/

BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
ARGS       ?=
SOAK_SECONDS ?= 1800
SOAK_BACKEND ?= sqlite
ASAN_BUILD_DIR ?= build-asan
TSAN_BUILD_DIR ?= build-tsan
FUZZ_SECONDS   ?= 120
# Sanitizer trees: clang (libFuzzer needs it), -O1 with line tables: quicker
# to build, and every report still names file and line.
# The benchmark tool is not built there (its smoke test runs on build/).
SANITIZER_CMAKE = -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
                  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
                  -DREDRESS_BUILD_BENCH=OFF

.PHONY: all deps configure build run test bench torture soak docs clean \
        build-asan test-asan build-tsan test-tsan fuzz

all: build

deps:
	bash scripts/install-deps.sh

# Re-running the configure step is cheap; CMake only regenerates what changed.
configure: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	mkdir -p var
	@echo "make run: development mode (no --access-config) -- callers name themselves in x-redress-actor, personal data is withheld; for bearer tokens and roles see README 'Security' (--access-config)"
	exec $(BUILD_DIR)/server/redressd --database sqlite:var/redress.db $(ARGS)

# Every test runs once: the script-driven ones that drive redressd and
# redressctl from outside (tamper matrix, end-to-end, reliability, benchmark
# smoke, report rendering) and the non-ctest steps (linters, docs, client
# packages) on build/, the release binaries users run; everything else -- all
# unit, store, core and API tests, and a smoke of every fuzz target -- on the
# ASan + UBSan tree. Keeps make test within 25 min on 2 cores; make test-asan
# runs everything on the ASan tree.
RELEASE_TESTS ?= ^(audit_tamper_matrix|e2e_.*|reliability_.*|bench_smoke|report_render_chromium)$$
test: build build-asan
	BUILD_DIR=$(BUILD_DIR) bash scripts/run-tests.sh -R '$(RELEASE_TESTS)'
	BUILD_DIR=$(ASAN_BUILD_DIR) CTEST_ONLY=1 bash scripts/run-tests.sh -E '$(RELEASE_TESTS)'

build-asan: deps
	cmake -S . -B $(ASAN_BUILD_DIR) $(SANITIZER_CMAKE) -DREDRESS_SANITIZE=address -DREDRESS_FUZZ=ON
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)

test-asan: build-asan
	BUILD_DIR=$(ASAN_BUILD_DIR) bash scripts/run-tests.sh

build-tsan: deps
	cmake -S . -B $(TSAN_BUILD_DIR) $(SANITIZER_CMAKE) -DREDRESS_SANITIZE=thread
	cmake --build $(TSAN_BUILD_DIR) -j $(JOBS)

test-tsan: build-tsan
	BUILD_DIR=$(TSAN_BUILD_DIR) bash scripts/run-tests.sh

fuzz: build-asan
	bash scripts/fuzz.sh $(ASAN_BUILD_DIR) $(FUZZ_SECONDS)

bench: build
	bash bench/run_bench.sh $(BUILD_DIR)

torture: build
	BUILD_DIR=$(BUILD_DIR) bash tests/reliability/torture.sh

soak: build
	mkdir -p var
	bash scripts/with-postgres.sh /usr/bin/python3 tests/reliability/reliability.py soak \
	  --redressd $(BUILD_DIR)/server/redressd --redressctl $(BUILD_DIR)/clients/cli/redressctl \
	  --backend $(SOAK_BACKEND) --seconds $(SOAK_SECONDS) --report var/soak-report.md

docs: deps
	bash scripts/gen-docs.sh

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) $(TSAN_BUILD_DIR)
