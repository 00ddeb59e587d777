#!/usr/bin/env bash
# `diff` over the 331 real before/after pairs of certified connectors in one process: wall time
# and peak memory (median of RUNS runs, default 5).
#
#   bash bench/diff.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
PAIRS=../shared/corpus/changes/certified
[ -d "$PAIRS" ] || { echo "corpus not found at $PAIRS"; exit 2; }
cargo build --release -q -p connector-gen --example diff_pairs
BIN=target/release/examples/diff_pairs
echo "machine: $(nproc) cores"
"$BIN" "$PAIRS"
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" "$BIN" "$PAIRS" 2>&1 >/dev/null | tail -1
done | sort -n | awk '{a[NR]=$0} END {split(a[int((NR+1)/2)], m, " "); printf "median wall %s s, peak memory %s KB (of %d runs)\n", m[1], m[2], NR}'
