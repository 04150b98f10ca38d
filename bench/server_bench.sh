#!/usr/bin/env bash
# Server benchmarks (docs/benchmarks.md, "Server"), on a Release build
# configured with -DRELOS_BUILD_BENCH=ON:
#
#   (a) wrk, 1,000 concurrent keep-alive connections for SECONDS each:
#       /healthz (the hello-world route) and /api/v1/openapi.json (the
#       cached read route), one after the other on the same server; also
#       /api/v1/items (an authenticated, uncached database read) for
#       comparison; then /healthz and openapi.json again under a fixed
#       offered load below saturation (PACED_RPS, 10,000 requests/s by
#       default; bench/wrk_paced.lua). Prints requests/s, p50 and p99
#       latency and the ratio.
#   (b) full order lifecycles per second through the API (bench/server_bench.cc)
#       against the database's own insert-and-commit rate, in alternating
#       blocks, on SQLite and on a durable throwaway PostgreSQL cluster.
#
# usage: bench/server_bench.sh BUILD_DIR [SECONDS]     (default 15)
# Everything runs on 127.0.0.1 and stops by itself; the load average is
# printed before each part, since other work on the machine moves the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="$(cd "${1:?usage: bench/server_bench.sh BUILD_DIR [SECONDS]}" && pwd)"
SECS="${2:-15}"
RELOS="$BUILD/src/cli/relos"
CLIENT="$BUILD/bench/relos_server_bench"
for f in "$RELOS" "$CLIENT"; do [[ -x "$f" ]] || { echo "server_bench: $f not built" >&2; exit 1; }; done
command -v wrk >/dev/null || { echo "server_bench: wrk missing (scripts/setup.sh installs it)" >&2; exit 1; }
# 1,000 connections need as many descriptors in the server and in wrk.
hard="$(ulimit -Hn)"
if [[ "$hard" == unlimited || "$hard" -ge 65536 ]]; then ulimit -n 65536; else ulimit -n "$hard"; fi
(( $(ulimit -n) >= 4096 )) || { echo "server_bench: open-file limit $(ulimit -n) is too low for 1,000 connections" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/relos-server-bench.XXXXXX")"
chmod 0755 "$WORK"
SERVER_PID=""
PG_DIR=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [[ -n "$PG_DIR" ]] && scripts/pg-test-cluster.sh stop "$PG_DIR"
  rm -rf "$WORK"
}
trap cleanup EXIT

load() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"; }

# add_user DB NAME PARTY ROLE: adds the user and prints an API token for it.
add_user() {
  printf 'benchmark password\n' | "$RELOS" --db "$1" user add "$2" --party "$3" --role "$4" --password-stdin >/dev/null
  "$RELOS" --db "$1" user token "$2" --label bench
}

# start_server DB: relos serve on an ephemeral port; sets PORT.
start_server() {
  "$RELOS" --db "$1" serve --port 0 --io-threads 2 --workers 4 --web-root none --log-format text \
    >"$WORK/serve.out" 2>/dev/null &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 200); do
    PORT="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/serve.out")"
    [[ -n "$PORT" ]] && return 0
    sleep 0.05
  done
  echo "server_bench: the server did not start" >&2
  exit 1
}
stop_server() {
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || true
  SERVER_PID=""
}

echo "== (a) 1,000 keep-alive connections, wrk ${SECS}s per route =="
load
DB="$WORK/read.db"
"$RELOS" --db "$DB" init --demo-registry >/dev/null
TOKEN="$(add_user "$DB" in-req IN requester)"
start_server "$DB"
# wrk: requests/s, p50 and p99 (in ms) of one route.
measure() {
  wrk -t2 -c1000 -d"${SECS}s" --timeout 10s --latency "$@" >"$WORK/wrk.txt"
  local rps p50 p99 errors
  rps="$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.txt")"
  p50="$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")"
  p99="$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")"
  errors="$(grep -E 'Socket errors|Non-2xx' "$WORK/wrk.txt" | tr -s ' ' | paste -sd';' - || true)"
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") ${errors:-none}"
}
# wrk prints latencies as 812.00us, 3.21ms or 1.02s.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }'
}
URL="http://127.0.0.1:$PORT"
curl -sf "$URL/api/v1/openapi.json" -o "$WORK/openapi.json"
echo "openapi.json: $(wc -c <"$WORK/openapi.json") bytes; /healthz: $(curl -s "$URL/healthz" | wc -c) bytes"
read -r hello_rps hello_p50 hello_p99 hello_err < <(measure "$URL/healthz")
read -r cached_rps cached_p50 cached_p99 cached_err < <(measure "$URL/api/v1/openapi.json")
read -r items_rps items_p50 items_p99 items_err < <(measure -H "Authorization: Bearer $TOKEN" "$URL/api/v1/items")
# The same 1,000 connections under a fixed offered load below saturation
# (PACED_RPS requests/s, 10,000 by default): each waits a random 0..2x
# (1000 / PACED_RPS per connection) before each request (bench/wrk_paced.lua).
# Closed loop, every connection always has a request outstanding and the
# mean latency is connections / throughput (Little's law: 1,000 / 25,000
# requests/s = 40 ms); the paced run's latency is the server's under load.
PACED_RPS="${PACED_RPS:-10000}"
mean_ms=$((1000 * 1000 / PACED_RPS))
read -r phello_rps phello_p50 phello_p99 phello_err < <(measure -s bench/wrk_paced.lua "$URL/healthz" -- "$mean_ms")
read -r pcached_rps pcached_p50 pcached_p99 pcached_err < <(measure -s bench/wrk_paced.lua "$URL/api/v1/openapi.json" -- "$mean_ms")
stop_server
printf '%-40s %12s %9s %9s  %s\n' route requests/s p50_ms p99_ms errors
printf '%-40s %12s %9s %9s  %s\n' "/healthz (hello world)" "$hello_rps" "$hello_p50" "$hello_p99" "$hello_err"
printf '%-40s %12s %9s %9s  %s\n' "/api/v1/openapi.json (cached)" "$cached_rps" "$cached_p50" "$cached_p99" "$cached_err"
printf '%-40s %12s %9s %9s  %s\n' "/api/v1/items (token, database)" "$items_rps" "$items_p50" "$items_p99" "$items_err"
printf '%-40s %12s %9s %9s  %s\n' "/healthz, offered ${PACED_RPS}/s" "$phello_rps" "$phello_p50" "$phello_p99" "$phello_err"
printf '%-40s %12s %9s %9s  %s\n' "/api/v1/openapi.json, offered ${PACED_RPS}/s" "$pcached_rps" "$pcached_p50" "$pcached_p99" "$pcached_err"
awk -v c="$cached_rps" -v h="$hello_rps" -v p="$cached_p99" -v q="$pcached_p99" 'BEGIN {
  printf "cached / hello-world throughput: %.2f (target >= 0.5); cached p99 %.2f ms closed loop, %.2f ms at the offered load (target < 20 ms)\n", c / h, p, q }'

# (b) on one database: users for every step, the server, the client.
lifecycles() { # DB LABEL
  local db="$1" label="$2"
  "$RELOS" --db "$db" init --demo-registry >/dev/null
  {
    echo "requester $(add_user "$db" b-req IN requester)"
    echo "approver $(add_user "$db" b-app RU approver)"
    echo "logistics-officer $(add_user "$db" b-log RU logistics-officer)"
    echo "receiver $(add_user "$db" b-rec IN receiver)"
  } >"$WORK/tokens"
  start_server "$db"
  load
  local out
  out="$("$CLIENT" --port "$PORT" --db "$db" --tokens "$WORK/tokens" --seconds "$((SECS * 2))" --clients 4)"
  stop_server
  echo "$out" | sed "s/^/$label: /"
}

echo
echo "== (b) order lifecycles through the API vs the database's insert-and-commit rate, $((SECS * 2))s each =="
lifecycles "$WORK/lifecycle.db" SQLite
PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/relos-bench-pg.XXXXXX")"
PG_URL="$(RELOS_PG_DURABLE=1 scripts/pg-test-cluster.sh start "$PG_DIR")"
psql "$PG_URL" -qc "CREATE DATABASE relos_bench" >/dev/null
lifecycles "${PG_URL/\/postgres?//relos_bench?}" "PostgreSQL (durable: fsync on, synchronous_commit on)"
