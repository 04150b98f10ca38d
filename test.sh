#!/usr/bin/env bash
# Installs what is missing, builds with AddressSanitizer and UBSan, and runs
# every test with ctest.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
BUILD=build-asan
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELOS_SANITIZE=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
[[ -x scripts/build-data.sh ]] && scripts/build-data.sh "$BUILD"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)" "$@"
