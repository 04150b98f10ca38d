#!/usr/bin/env bash
# Installs what is missing, builds Release, creates a demo database from the
# bundled demo data and runs the main job: the narrated demo scenario.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
BUILD=build
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRELOS_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
[[ -x scripts/build-data.sh ]] && scripts/build-data.sh "$BUILD"
RELOS="$BUILD/src/cli/relos"
DB="${RELOS_DEMO_DB:-demo.db}"
rm -f "$DB" "$DB-wal" "$DB-shm"
"$RELOS" --db "$DB" demo
