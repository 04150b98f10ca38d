#!/usr/bin/env bash
# Builds the data files that relos computes from installed inputs, with the
# relos binary of BUILD_DIR, and places the built web application. The data:
# the sea-lane network, from Natural Earth land polygons (npm world-atlas,
# installed by scripts/setup.sh into tools/node_modules) and the authored
# passages and ports tables. The output
# goes next to the executable, where relos finds it without configuration.
# Skips the work when the output is newer than every input (and the binary).
#
# usage: scripts/build-data.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:?usage: scripts/build-data.sh BUILD_DIR}"
RELOS="$BUILD/src/cli/relos"
[[ -x "$RELOS" ]] || { echo "build-data: $RELOS not built" >&2; exit 1; }

LAND=tools/node_modules/world-atlas/land-10m.json
PASSAGES=data/sealanes/passages.yaml
PORTS=data/sealanes/ports.yaml
OUT="$BUILD/src/cli/sealanes.bin"
if [[ ! -f "$LAND" ]]; then
  echo "build-data: $LAND missing; run scripts/setup.sh (npm install in tools/)" >&2
  exit 1
fi

fresh=1
[[ -f "$OUT" ]] || fresh=0
for input in "$LAND" "$PASSAGES" "$PORTS" "$RELOS"; do
  [[ $fresh -eq 1 && "$OUT" -nt "$input" ]] || fresh=0
done
if [[ $fresh -eq 1 ]]; then
  echo "build-data: $OUT is up to date"
else
  echo "build-data: building $OUT"
  "$RELOS" sealanes build --land "$LAND" --passages "$PASSAGES" --ports "$PORTS" --out "$OUT"
fi

# The web application built by scripts/setup.sh (web/dist) goes to
# BUILD/src/cli/web, where `relos serve` finds it without a flag.
if [[ -f web/dist/index.html ]]; then
  WEB="$BUILD/src/cli/web"
  if [[ ! -f "$WEB/index.html" || web/dist/index.html -nt "$WEB/index.html" ]]; then
    rm -rf "$WEB"
    cp -R web/dist "$WEB"
    echo "build-data: copied the web application to $WEB"
  fi
fi
