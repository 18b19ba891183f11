# Redress: build, run and test on Debian 12.
#
#   make deps    install the Debian packages (scripts/install-deps.sh)
#   make build   configure and build into build/
#   make run     build, then serve on 127.0.0.1:50051 with var/redress.db
#                (extra server flags: make run ARGS="--listen 0.0.0.0:50051")
#   make test    build, then run every test against SQLite and a throwaway
#                PostgreSQL server (scripts/run-tests.sh)
#   make bench   build, then run the benchmark (bench/run_bench.sh, ~10-15 min;
#                knobs in bench/README.md) and write bench/RESULTS.md
#   make torture the long reliability tests (tests/reliability/torture.sh:
#                kill -9, PostgreSQL outage, disk full, replicas, SIGTERM)
#   make soak    mixed load for SOAK_SECONDS (default 1800) with RSS, fds,
#                database size and latency sampled (not part of make test)
#   make docs    render the API reference docs/api/redress.v1.md from proto/
#   make clean   remove build/

BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
ARGS       ?=
SOAK_SECONDS ?= 1800
SOAK_BACKEND ?= sqlite

.PHONY: all deps configure build run test bench torture soak docs clean

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
	exec $(BUILD_DIR)/server/redressd --database sqlite:var/redress.db $(ARGS)

test: build
	BUILD_DIR=$(BUILD_DIR) bash scripts/run-tests.sh

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
	rm -rf $(BUILD_DIR)
