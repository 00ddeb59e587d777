#!/usr/bin/env bash
# Two checkouts of this repository side by side in one run (e.g. before and after a
# restructuring): the clean release build of the `connector-gen` binary, loading the certified
# corpus (`inspect --format json`, as bench/load.sh), generating oxide nexus and the whole
# certified corpus (as bench/generate.sh, without the progenitor half), and the SDK's overhead
# example (bench/sdk-overhead.sh). Runs of the two are interleaved so that the machine's drift
# falls on both alike.
#
#   bash bench/before-after.sh OLD_CHECKOUT NEW_CHECKOUT [RUNS]
#
# Each checkout is built from clean into its own target directory under $WORK (default: a new
# temporary directory), one after the other.
set -euo pipefail
OLD=$(cd "$1" && pwd)
NEW=$(cd "$2" && pwd)
RUNS=${3:-7}
cd "$(dirname "$0")/.."
CORPUS=$(pwd)/../shared/corpus
[ -d "$CORPUS" ] || { echo "corpus not found at $CORPUS"; exit 2; }
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
echo "machine: $(nproc) cores, $(rustc --version); runs: $RUNS"
echo "old: $OLD ($(git -C "$OLD" rev-parse --short HEAD))"
echo "new: $NEW ($(git -C "$NEW" rev-parse --short HEAD))"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { # wall seconds of "$@"
  local s e
  s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
  echo "scale=4; ($e - $s) / 1000000000" | bc
}
ratio() { echo "scale=3; $2 / $1" | bc; }

echo "== clean release build of connector-gen (cargo build --release -p connector-gen)"
for side in OLD NEW; do
  dir=${!side}
  rm -rf "$WORK/target-$side"
  t=$(cd "$dir" && seconds env CARGO_TARGET_DIR="$WORK/target-$side" cargo build --release -q -p connector-gen)
  printf -v "build_$side" '%s' "$t"
  printf '%-4s %8s s\n' "$side" "$t"
done
echo "ratio new/old: $(ratio "$build_OLD" "$build_NEW")"
BIN_OLD=$WORK/target-OLD/release/connector-gen
BIN_NEW=$WORK/target-NEW/release/connector-gen

# label, runs, command with BIN standing for the binary: medians of interleaved runs.
compare() {
  local label=$1 runs=$2; shift 2
  local old=() new=()
  for _ in $(seq "$runs"); do
    old+=("$(seconds "${@//BIN/$BIN_OLD}")")
    new+=("$(seconds "${@//BIN/$BIN_NEW}")")
  done
  local mo mn
  mo=$(printf '%s\n' "${old[@]}" | median)
  mn=$(printf '%s\n' "${new[@]}" | median)
  printf '%-58s old %8s s  new %8s s  new/old %s\n' "$label" "$mo" "$mn" "$(ratio "$mo" "$mn")"
}

echo "== loading and generating (medians)"
compare "inspect certified corpus --format json (load+lower)" "$RUNS" \
  BIN inspect "$CORPUS/powerplatform/certified" --format json
compare "generate oxide nexus" "$RUNS" \
  BIN generate "$CORPUS/openapi/oxide__nexus.json" -o "$WORK/nexus" --force
compare "generate the whole certified corpus" 3 \
  BIN generate "$CORPUS/powerplatform/certified" -o "$WORK/corpus" --force

echo "== connector-sdk overhead (connector-sdk/examples/overhead.rs), old then new"
for side in OLD NEW; do
  dir=${!side}
  echo "-- $side"
  (cd "$dir" && CARGO_TARGET_DIR="$WORK/target-$side" cargo run --release -q -p connector-sdk --example overhead -- 20000 5)
done
