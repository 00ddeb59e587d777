#!/usr/bin/env bash
# `connector-gen serve` on a fleet: events delivered per second with 1, 2 and 3 instances on
# PostgreSQL and one on SQLite (side by side, twice), failover time after kill -9, and durable
# webhook notifications per second into the PostgreSQL inbox beside the SQLite one (wrk from a
# separate process). Starts its own PostgreSQL cluster on 127.0.0.1 (.ci/postgres.sh).
#
#   bash bench/serve.sh [FEEDS] [ITEMS] [KILLS] [WRK_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
FEEDS=${1:-30}; ITEMS=${2:-1000}; KILLS=${3:-10}; SECS=${4:-10}
if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)"
  apt-get install -y wrk >/dev/null
fi
PG_DIR="$(mktemp -d /tmp/serve-bench-pg.XXXXXX)"
source .ci/postgres.sh start "$PG_DIR"
work=$(mktemp -d)
trap 'bash .ci/postgres.sh stop "$PG_DIR"; rm -rf "$PG_DIR" "$work"' EXIT
cargo build --release -q -p connector-gen --bin connector-gen --example serve_bench
cargo build --release -q -p connector-sdk --features runtime --example webhook_listener

echo "== triggers: events delivered per second, failover"
target/release/examples/serve_bench "$FEEDS" "$ITEMS" "$KILLS"

echo "== webhooks: durable notifications per second (wrk, 64 connections, ${SECS}s)"
cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"id":"17-3","email":"a@example.com","fields":{"name":"Ann","score":42}}'
wrk.headers["Content-Type"] = "application/json"
LUA
psql "$CONNECTOR_TEST_POSTGRES" -qc "CREATE DATABASE bench_inbox"
PG_INBOX="${CONNECTOR_TEST_POSTGRES%/*}/bench_inbox"
for state in "$work/state.db" "$PG_INBOX"; do
  rm -f "$work/url" "$work/in"; mkfifo "$work/in"
  target/release/examples/webhook_listener "$state" < "$work/in" > "$work/url" 2> "$work/err" &
  pid=$!
  exec 3> "$work/in"
  for _ in $(seq 200); do [ -s "$work/url" ] && break; sleep 0.05; done
  url=$(head -1 "$work/url")
  case "$state" in postgres*) label=PostgreSQL;; *) label=SQLite;; esac
  echo "-- $label inbox"
  wrk -t2 -c64 -d"${SECS}s" --latency -s "$work/post.lua" "$url" > "$work/wrk"
  grep -E "Requests/sec|50%|99%|requests in|Non-2xx" "$work/wrk" || true
  exec 3>&-
  wait $pid || true
  if [ "$label" = PostgreSQL ]; then
    stored=$(psql "$PG_INBOX" -qAtc "select count(*) from inbox")
  else
    stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from inbox').fetchone()[0])" "$work/state.db")
  fi
  echo "rows stored: $stored"
done
