#!/usr/bin/env bash
# Installs what is missing, builds with AddressSanitizer and UBSan, starts a
# throwaway PostgreSQL cluster in a temporary directory (stopped and removed
# on exit, also on failure), and runs every test with ctest: the storage
# conformance suite and the CLI and server end-to-end tests run on SQLite
# and on PostgreSQL. Then the two small libFuzzer targets (fuzz/), built by
# clang in build-fuzz, run RELOS_FUZZ_SECONDS each (12 by default, 0 skips
# them); a crash fails the run (docs/testing.md).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
BUILD=build-asan
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELOS_SANITIZE=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
[[ -x scripts/build-data.sh ]] && scripts/build-data.sh "$BUILD"
PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/relos-pg.XXXXXX")"
trap 'scripts/pg-test-cluster.sh stop "$PG_DIR"' EXIT
RELOS_TEST_POSTGRES_URL="$(scripts/pg-test-cluster.sh start "$PG_DIR")"
export RELOS_TEST_POSTGRES_URL
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)" "$@"
if [[ "${RELOS_FUZZ_SECONDS:-12}" != 0 ]]; then
  scripts/fuzz.sh brief
fi
