#!/usr/bin/env bash
# Installs what is missing, builds Release, creates a demo database from the
# bundled demo data, runs the narrated demo scenario on it, then serves the
# REST API on it at http://127.0.0.1:8080 with demo users of both parties
# until Ctrl-C or SIGTERM.
#
#   ./run.sh         the demo, then the server
#   ./run.sh demo    the narrated demo only
# RELOS_DEMO_DB (default demo.db) and RELOS_PORT (default 8080) change where.
set -euo pipefail
cd "$(dirname "$0")"
MODE="${1:-serve}"
if [[ "$MODE" != serve && "$MODE" != demo ]]; then
  echo "usage: ./run.sh [serve|demo]" >&2
  exit 2
fi
scripts/setup.sh
BUILD=build
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRELOS_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
[[ -x scripts/build-data.sh ]] && scripts/build-data.sh "$BUILD"
RELOS="$BUILD/src/cli/relos"
DB="${RELOS_DEMO_DB:-demo.db}"
PORT="${RELOS_PORT:-8080}"
rm -f "$DB" "$DB-wal" "$DB-shm"
"$RELOS" --db "$DB" demo
[[ "$MODE" == demo ]] && exit 0

# Demo users: one per role of each party, all with the same demo password.
# For a demonstration on this machine only; real users get their own.
PASSWORD="relos-demo-password"
USERS=(
  "in-requester IN requester" "in-receiver IN receiver" "in-finance IN finance" "in-auditor IN auditor"
  "in-admin IN admin"
  "ru-approver RU approver" "ru-logistics RU logistics-officer" "ru-finance RU finance" "ru-auditor RU auditor"
  "ru-admin RU admin"
)
echo
echo "Demo users (password: $PASSWORD):"
for u in "${USERS[@]}"; do
  read -r name party role <<<"$u"
  printf '%s\n' "$PASSWORD" | "$RELOS" --db "$DB" user add "$name" --party "$party" --role "$role" --password-stdin >/dev/null
  printf '  %-14s %-3s %s\n' "$name" "$party" "$role"
done
cat <<HELP

Log in, then use the token:
  TOKEN=\$(curl -s -X POST http://127.0.0.1:$PORT/api/v1/sessions \\
            -H 'Content-Type: application/json' \\
            -d '{"name":"in-requester","password":"$PASSWORD"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
  curl -s http://127.0.0.1:$PORT/api/v1/orders -H "Authorization: Bearer \$TOKEN"
The web application: http://127.0.0.1:$PORT/ (docs/user-guide.md).
The API is described in docs/api.md and at http://127.0.0.1:$PORT/api/v1/openapi.json.

HELP
exec "$RELOS" --db "$DB" serve --port "$PORT"
