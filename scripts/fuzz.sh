#!/usr/bin/env bash
# The libFuzzer targets in fuzz/ (docs/testing.md), built by clang with
# AddressSanitizer and UBSan in their own build directory (-DRELOS_FUZZ=ON).
#
#   scripts/fuzz.sh brief      build json_body and http_request (a few small
#                              libraries) and run each for RELOS_FUZZ_SECONDS
#                              (12 by default) under ctest, both at once:
#                              what ./test.sh does
#   scripts/fuzz.sh build      build all three, api_request included (it
#                              links nearly every library: minutes longer)
#   scripts/fuzz.sh [SECONDS]  build all three, then run each SECONDS
#                              (default 300) from its seed corpus
#
# What a run finds is kept in BUILD/fuzz/corpus/NAME; a crash is written to
# BUILD/fuzz/crash-NAME-*, the run stops there and this script fails. Replay
# one with BUILD/fuzz/relos_NAME_fuzz FILE. BUILD is build-fuzz unless
# RELOS_FUZZ_BUILD names another.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${RELOS_FUZZ_BUILD:-build-fuzz}"
BRIEF=(json_body http_request)
ALL=(json_body http_request api_request)

CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELOS_FUZZ=ON \
  -DRELOS_FUZZ_SECONDS="${RELOS_FUZZ_SECONDS:-12}" >/dev/null
build() {
  local binaries=()
  for t in "$@"; do binaries+=("relos_${t}_fuzz"); done
  cmake --build "$BUILD" -j"${JOBS:-$(nproc)}" --target "${binaries[@]}"
}

case "${1:-}" in
  brief)
    build "${BRIEF[@]}"
    exec ctest --test-dir "$BUILD" -L '^fuzz$' --output-on-failure -j"$(nproc)"
    ;;
  build)
    build "${ALL[@]}"
    exit 0
    ;;
esac

seconds="${1:-300}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 brief | build | [SECONDS]" >&2
  exit 2
fi
build "${ALL[@]}"
for t in "${ALL[@]}"; do
  corpus="$t"
  [[ "$t" == api_request ]] && corpus=http_request  # the same bytes, through the whole API
  echo "fuzz: $t for ${seconds}s"
  mkdir -p "$BUILD/fuzz/corpus/$t"
  dict=()
  [[ -f "fuzz/$corpus.dict" ]] && dict=("-dict=fuzz/$corpus.dict")
  "$BUILD/fuzz/relos_${t}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "${dict[@]}" -artifact_prefix="$BUILD/fuzz/crash-$t-" "$BUILD/fuzz/corpus/$t" "fuzz/corpus/$corpus"
done
