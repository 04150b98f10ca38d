#!/usr/bin/env bash
# Installs whatever relos needs that this Debian 12 machine lacks: Debian
# packages from scripts/apt-packages.txt, then the npm packages that the
# build uses (coastline data for the sea-lane network, the web front end).
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t wanted < <(grep -v '^\s*#' scripts/apt-packages.txt | sed '/^\s*$/d')
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm: the machine image may carry them from another source
# (NodeSource's nodejs bundles npm), so only fall back to Debian's when absent.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm packages for build-time data (see tools/package.json).
if [[ -f tools/package.json && ! -d tools/node_modules ]]; then
  (cd tools && npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error)
fi

# The web application (web/): npm ci when the lockfile changed, then the
# Vite build into web/dist when any source is newer than the last build.
# scripts/build-data.sh copies web/dist next to the relos binary.
if [[ -f web/package.json ]]; then
  if [[ ! -d web/node_modules || web/package-lock.json -nt web/node_modules/.package-lock.json ]]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
  if [[ ! -f web/dist/index.html ]] ||
     [[ -n "$(find web/src web/index.html web/vite.config.ts web/tsconfig.json web/package-lock.json \
              -newer web/dist/index.html -print -quit)" ]]; then
    (cd web && npm run --silent build >/dev/null)
    echo "setup: built the web application into web/dist"
  fi
fi
