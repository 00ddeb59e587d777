#!/usr/bin/env bash
# Webhook notifications durably accepted per second: the runtime's listener (signed callback
# URL, each notification committed to SQLite in WAL mode with synchronous=FULL before its 202,
# concurrent ones grouped into one transaction) loaded by wrk from a separate process on
# loopback. Checks afterwards that the state file holds every notification wrk saw accepted.
#
#   bash bench/webhook.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_=${1:-10}
CONNS=${2:-64}
if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)"
  apt-get install -y wrk >/dev/null
fi
cargo build --release -q -p connector-sdk --features runtime --example webhook_listener
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"id":"17-3","email":"a@example.com","fields":{"name":"Ann","score":42}}'
wrk.headers["Content-Type"] = "application/json"
LUA
mkfifo "$work/in"
target/release/examples/webhook_listener "$work/state.db" < "$work/in" > "$work/url" 2> "$work/err" &
pid=$!
exec 3> "$work/in"
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.05; done
url=$(head -1 "$work/url")
echo "machine: $(nproc) cores; wrk $(wrk --version 2>&1 | head -1 | cut -d' ' -f2); $CONNS connections, 2 threads, ${SECONDS_}s"
wrk -t2 -c"$CONNS" -d"${SECONDS_}s" --latency -s "$work/post.lua" "$url" | tee "$work/wrk"
exec 3>&-
wait $pid || true
cat "$work/err"
accepted=$(awk '/requests in/ {print $1}' "$work/wrk")
bad=$(awk '/Non-2xx/ {print $NF}' "$work/wrk"); bad=${bad:-0}
stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from inbox').fetchone()[0])" "$work/state.db")
echo "requests: $accepted, non-2xx: $bad, rows in the state file: $stored"
