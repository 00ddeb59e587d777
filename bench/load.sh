#!/usr/bin/env bash
# Load + lower the whole certified corpus in one process, and compare side by side with a
# parse-only baseline (Python's json module: strict, no positions, no model) on the same files.
#
#   bash bench/load.sh [RUNS]
#
# Prints the median wall time of RUNS runs (default 7) of each command, peak memory, and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
CORPUS=../shared/corpus/powerplatform/certified
[ -d "$CORPUS" ] || { echo "corpus not found at $CORPUS"; exit 2; }
cargo build --release -q -p connector-gen
BIN=target/release/connector-gen

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_cmd() { # prints the median seconds of RUNS runs of "$@"
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    echo "scale=4; ($e - $s) / 1000000000" | bc
  done | median
}
peak_kb() { { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null || true; } | tail -1; }

files=$(find "$CORPUS" -type f | wc -l)
bytes=$(find "$CORPUS" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "corpus: $files files, $bytes bytes, $(nproc) cores"

ours=$(time_cmd "$BIN" inspect "$CORPUS" --format json)
ours_1=$(time_cmd env RAYON_NUM_THREADS=1 "$BIN" inspect "$CORPUS" --format json)
ours_mem=$(peak_kb "$BIN" inspect "$CORPUS" --format json)
baseline=$(mktemp --suffix=.py)
trap 'rm -f "$baseline"' EXIT
cat > "$baseline" <<'PY'
import json, os, sys
for d, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        try:
            json.loads(open(os.path.join(d, f), 'rb').read().decode('utf-8-sig'))
        except Exception:
            pass
PY
py=$(time_cmd python3 "$baseline" "$CORPUS")
printf '%-62s %8s s\n' "connector-gen inspect (load+lower+JSON out, 2 threads)" "$ours"
printf '%-62s %8s s\n' "connector-gen inspect (1 thread)" "$ours_1"
printf '%-62s %8s s\n' "python3 json.loads, parse only, no locations, no model" "$py"
echo "peak memory (2 threads): ${ours_mem} KB"
echo "ratio python-parse-only / connector-gen: $(echo "scale=2; $py / $ours" | bc)x"
echo "throughput: $(echo "scale=1; $bytes / $ours / 1000000" | bc) MB/s"
