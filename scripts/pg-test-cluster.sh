#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests, in a directory of its own.
#
#   scripts/pg-test-cluster.sh start DIR   initdb + pg_ctl start in DIR (which
#                                          must exist and be empty); prints the
#                                          superuser URL on stdout
#   scripts/pg-test-cluster.sh stop DIR    stops the cluster and removes DIR
#
# The server listens only on a Unix socket inside DIR (no TCP port to clash
# with anything), trusts local connections, and runs with fsync off (unless
# RELOS_PG_DURABLE=1, as the server benchmark sets, keeps PostgreSQL's
# durable defaults): it holds
# test data only. PostgreSQL refuses to run as root, so under root (as in CI)
# the cluster runs as the `postgres` system user that Debian's postgresql-15
# package creates. The URL names the superuser role `relos` and the database
# `postgres`; tests create a scratch database per test from it.
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
cmd="${1:-}"
dir="${2:-}"
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    [[ -x "$PG_BIN/initdb" ]] || { echo "pg-test-cluster: no $PG_BIN/initdb (install postgresql-15)" >&2; exit 1; }
    dir="$(cd "$dir" && pwd)"
    if [[ $(id -u) -eq 0 ]]; then
      chown postgres: "$dir"
      # The owner must be able to reach DIR: mktemp directories are 0700,
      # and the socket inside must be reachable by the tests' user.
      chmod 0755 "$dir"
    fi
    as_owner "$PG_BIN/initdb" -D "$dir/data" -U relos -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    # Test data only: no durability, no TCP, enough connections for
    # concurrent test processes each holding a small pool.
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [[ "${RELOS_PG_DURABLE:-0}" == 1 ]] && durability=""
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -k $dir $durability -c max_connections=200" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql:///postgres?host=$dir&user=relos"
    ;;
  stop)
    if [[ -d "$dir/data" ]]; then
      as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
