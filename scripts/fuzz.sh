#!/usr/bin/env bash
# The libFuzzer targets in fuzz/, built by clang in their own build
# directory (every library instrumented; -DRELOS_FUZZ=ON).
#
#   scripts/fuzz.sh build      configure and build them only (then
#                              `ctest --test-dir build-fuzz -L fuzz` runs each
#                              for RELOS_FUZZ_SECONDS, 12 s by default)
#   scripts/fuzz.sh [SECONDS]  build, then run each target SECONDS (default
#                              300) from its seed corpus fuzz/corpus/NAME
#
# What a run finds is kept in BUILD/fuzz/corpus/NAME; a crash is written to
# BUILD/fuzz/crash-NAME-* and the run stops there. Replay one with
# BUILD/fuzz/relos_NAME_fuzz FILE. BUILD is build-fuzz unless
# RELOS_FUZZ_BUILD names another. (./test.sh does not build these: a clang
# build of every library is more than its time budget allows; it replays
# each target's seed corpus through the GCC build instead, fuzz/CMakeLists.txt.)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${RELOS_FUZZ_BUILD:-build-fuzz}"
TARGETS=(json_body http_request)

CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELOS_FUZZ=ON >/dev/null
binaries=()
for t in "${TARGETS[@]}"; do binaries+=("relos_${t}_fuzz"); done
cmake --build "$BUILD" -j"${JOBS:-$(nproc)}" --target "${binaries[@]}"
[[ "${1:-}" == build ]] && exit 0

seconds="${1:-300}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 build | $0 [SECONDS]" >&2
  exit 2
fi
for t in "${TARGETS[@]}"; do
  echo "fuzz: $t for ${seconds}s"
  mkdir -p "$BUILD/fuzz/corpus/$t"
  dict=()
  [[ -f "fuzz/$t.dict" ]] && dict=("-dict=fuzz/$t.dict")
  "$BUILD/fuzz/relos_${t}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "${dict[@]}" -artifact_prefix="$BUILD/fuzz/crash-$t-" "$BUILD/fuzz/corpus/$t" "fuzz/corpus/$t"
done
