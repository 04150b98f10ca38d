#!/usr/bin/env bash
# Writes the two sets of twenty small generated instances used in
# docs/benchmarks.md into bench/berth/instances (reproducible: fixed seeds).
#
#   bench/berth/generate_small_sets.sh BUILD_DIR
#
# sc*: shaped like Cordeau et al.'s I2 set: 25-60 ships, 3-10 berths,
#      handling times 10-50 varying by up to 50% with the berth, 10% of
#      ship-berth pairs forbidden, berth windows, loads 0.7-1.2, every
#      other instance weighted 1-3.
# sh*: congested: the same sizes at loads 1.3-1.6, handling varying by
#      30%, 20% of pairs forbidden (queues of several ships per berth).
set -euo pipefail
BIN="${1:?build directory}/src/berth/relos_berth_bench"
out=$(cd "$(dirname "$0")" && pwd)/instances
sizes=(25x5 25x7 25x10 35x5 35x7 35x10 45x5 45x7 45x10 55x5 55x7 55x10 30x3 40x4 50x6 60x5 60x8 60x10 40x7 50x10)
cordeau_loads=(0.7 0.8 0.9 0.8 0.9 1.0 0.9 1.0 0.7 1.0 0.8 0.9 1.0 1.1 0.9 1.0 1.1 0.8 1.2 1.2)
congested_loads=(1.3 1.5 1.6 1.4 1.5 1.6 1.3 1.5 1.6 1.4 1.5 1.6 1.3 1.4 1.5 1.3 1.5 1.6 1.4 1.5)
for k in "${!sizes[@]}"; do
  n=${sizes[$k]%x*}
  m=${sizes[$k]#*x}
  num=$(printf %02d $((k + 1)))
  weighted=()
  w=""
  if (( (k + 1) % 2 == 0 )); then weighted=(--weighted); w=w; fi
  "$BIN" generate --ships "$n" --berths "$m" --seed $((101 + k)) --load "${cordeau_loads[$k]}" \
    --min-handling 10 --max-handling 50 --forbidden 0.1 --variation 0.5 "${weighted[@]}" \
    > "$out/sc${num}_${n}x${m}${w}.txt"
  "$BIN" generate --ships "$n" --berths "$m" --seed $((201 + k)) --load "${congested_loads[$k]}" \
    --min-handling 10 --max-handling 50 --forbidden 0.2 --variation 0.3 "${weighted[@]}" \
    > "$out/sh${num}_${n}x${m}${w}.txt"
done
