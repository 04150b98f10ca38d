#!/usr/bin/env bash
# Berth allocation benchmark: relos's optimiser against CBC alone on the same
# time-indexed model, side by side, on the instances in bench/berth/instances.
#
#   bench/berth_bench.sh [--relos-only | --cbc-only | --summary] BUILD_DIR OUT_DIR [GLOB]
#
# GLOB picks instances by file name (default '*'). Runs append; the summary
# takes the last run of each instance. BERTH_INSTANCES=DIR runs the files of
# another directory instead (published sets the project does not ship, e.g.
# Kramer et al.'s f200x15-*.txt and f250x20-*.txt: large limits).
#
# Small instances (s*.txt): relos gets 10 s, CBC alone 120 s.
# Large instances (l*.txt): relos gets 60 s, CBC alone 600 s.
# Each run appends one JSON line to OUT_DIR/relos.jsonl or OUT_DIR/cbc.jsonl;
# the summary joins them into the table of docs/benchmarks.md. CBC does not
# check its clock while solving the root LP of a large model, so a CBC run is
# killed 60 s after its limit and recorded as "no schedule". The CBC runs
# take about 45 minutes: start them with nohup in the background.
# Not part of ./test.sh.
set -euo pipefail
mode=all
case "${1:-}" in
  --relos-only) mode=relos; shift ;;
  --cbc-only) mode=cbc; shift ;;
  --summary) mode=summary; shift ;;
esac
BUILD=${1:?build directory}
OUT=${2:?output directory}
GLOB=${3:-*}
here=$(cd "$(dirname "$0")" && pwd)
instances=${BERTH_INSTANCES:-$here/berth/instances}
BIN="$BUILD/src/berth/relos_berth_bench"
mkdir -p "$OUT"

limit_for() {  # relos limit, cbc limit
  case "$(basename "$1")" in
    s*) echo "10 120" ;;
    *) echo "60 600" ;;
  esac
}

if [[ $mode == all || $mode == relos ]]; then
  for f in "$instances"/$GLOB.txt; do
    read -r mine _ < <(limit_for "$f")
    "$BIN" solve "$f" --time-limit "$mine" >> "$OUT/relos.jsonl"
  done
fi
if [[ $mode == all || $mode == cbc ]]; then
  for f in "$instances"/$GLOB.txt; do
    read -r _ theirs < <(limit_for "$f")
    started=$(date +%s)
    if ! line=$(timeout --signal=KILL $((theirs + 60)) "$BIN" baseline "$f" --time-limit "$theirs"); then
      read -r ships berths < <(tr -s ' \n' '  ' < "$f" | cut -d' ' -f1,2)
      line="{\"instance\": \"$f\", \"ships\": $ships, \"berths\": $berths, \"solver\": \"cbc-alone\", \"objective\": null, \"killed\": true, \"seconds\": $(( $(date +%s) - started ))}"
    fi
    echo "$line" >> "$OUT/cbc.jsonl"
  done
fi

python3 - "$OUT" <<'EOF'
import json, os, sys
out = sys.argv[1]
def load(name):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return {os.path.basename(d["instance"]): d for d in map(json.loads, filter(str.strip, f))}
relos, cbc = load("relos.jsonl"), load("cbc.jsonl")
print("| instance | ships x berths | relos objective | relos bound | optimal | relos s | CBC-alone objective | CBC bound | CBC s | relos / CBC |")
print("|---|---|---|---|---|---|---|---|---|---|")
for name in sorted(set(relos) | set(cbc)):
    r, c = relos.get(name, {}), cbc.get(name, {})
    size = f'{r.get("ships", c.get("ships"))} x {r.get("berths", c.get("berths"))}'
    ro, co = r.get("objective"), c.get("objective")
    ratio = f"{ro / co:.4f}" if ro and co else "n/a (CBC found none)" if ro and c else ""
    fmt = lambda v: "" if v is None else (f"{v:.1f}" if isinstance(v, float) else str(v))
    print(f'| {name} | {size} | {fmt(ro)} | {fmt(r.get("lower_bound"))} | {"yes" if r.get("proven_optimal") else "no"} '
          f'| {fmt(r.get("seconds"))} | {fmt(co) or "none"} | {fmt(c.get("lower_bound"))} | {fmt(c.get("seconds"))} | {ratio} |')
EOF
