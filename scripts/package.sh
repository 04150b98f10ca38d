#!/usr/bin/env bash
# Builds the Debian package of relos (docs/operations.md, "Install the
# Debian package"): a Release build in build-rel, its data (sea-lane network
# and web application, scripts/build-data.sh), then `cpack -G DEB`. Prints
# the path of the .deb.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${RELOS_PACKAGE_BUILD:-build-rel}"
scripts/setup.sh
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRELOS_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target relos
scripts/build-data.sh "$BUILD"
(cd "$BUILD" && cpack -G DEB -D CPACK_STRIP_FILES=ON >/dev/null)
ls "$BUILD"/relos_*.deb
