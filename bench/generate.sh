#!/usr/bin/env bash
# Generation speed and the cost of the generated code, side by side with progenitor.
#
#   bash bench/generate.sh [RUNS]
#
# 1. Whole certified corpus: `connector-gen generate` of every connector (median of RUNS runs).
# 2. Every OpenAPI 3.0 document of the corpus, with connector-gen and with cargo-progenitor
#    (installed from crates.io into bench/.tools, or $TOOLS, on first use): generation time,
#    lines generated, or the failure.
# 3. For the documents both accept: crate-only `cargo check` time of each generated crate
#    (dependencies checked first and excluded; the crate is touched and checked RUNS times,
#    without incremental state, as a freshly generated crate is checked the first time).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
ROOT=$(pwd)
CORPUS=../shared/corpus
TOOLS=${TOOLS:-$ROOT/bench/.tools}
[ -d "$CORPUS" ] || { echo "corpus not found at $CORPUS"; exit 2; }
cargo build --release -q -p connector-gen
OURS=$ROOT/target/release/connector-gen
if [ ! -x "$TOOLS/bin/cargo-progenitor" ]; then
  echo "installing cargo-progenitor into $TOOLS"
  cargo install -q --locked --root "$TOOLS" cargo-progenitor
fi
PROG=$TOOLS/bin/cargo-progenitor
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
export CARGO_TARGET_DIR=$work/target

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s%N; }
secs() { echo "scale=4; ($2 - $1) / 1000000000" | bc; }
lines() { find "$1/src" -name '*.rs' -exec cat {} + 2>/dev/null | wc -l; }

echo "machine: $(nproc) cores; $("$PROG" --version 2>/dev/null || echo cargo-progenitor); connector-gen $("$OURS" --version | awk '{print $2}')"
echo
echo "## Whole certified corpus"
runs=()
for _ in $(seq "$RUNS"); do
  rm -rf "$work/corpus"
  s=$(now); "$OURS" generate "$CORPUS/powerplatform/certified" -o "$work/corpus" 2>"$work/corpus.log" || true; e=$(now)
  runs+=("$(secs "$s" "$e")")
done
crates=$(grep -c '^Generated' "$work/corpus.log" || true)
total_lines=$(find "$work/corpus" -name lib.rs -exec cat {} + | wc -l)
echo "connector-gen generate: $crates crates, $total_lines lines, median $(printf '%s\n' "${runs[@]}" | median) s of $RUNS runs"
echo
echo "## OpenAPI 3.0 documents: generation"
printf '| document | connector-gen s | lines | progenitor s | lines | progenitor |\n|---|---|---|---|---|---|\n'
both=()
for doc in "$CORPUS"/openapi/*.json "$CORPUS"/openapi/*.yaml; do
  grep -qE '"openapi" *: *"3\.0|^openapi: *["'"'"']?3\.0' "$doc" || continue
  name=$(basename "$doc" | sed -E 's/\.[a-z]*$//; s/[^A-Za-z0-9]+/-/g' | tr 'A-Z' 'a-z')
  ours_t=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$work/ours-$name"
    s=$(now); "$OURS" generate "$doc" -o "$work/ours-$name" --name "ours-$name" >/dev/null 2>&1 || true; e=$(now)
    ours_t+=("$(secs "$s" "$e")")
  done
  ours_m=$(printf '%s\n' "${ours_t[@]}" | median)
  ours_l=$(lines "$work/ours-$name")
  input=$doc
  prog_t=(); prog_ok=yes; prog_err=""
  for _ in $(seq "$RUNS"); do
    rm -rf "$work/prog-$name"
    s=$(now)
    if ! "$PROG" progenitor -i "$input" -o "$work/prog-$name" -n "prog-$name" -v 0.1.0 >"$work/prog-$name.log" 2>&1; then
      prog_ok=no
    fi
    e=$(now)
    prog_t+=("$(secs "$s" "$e")")
  done
  if [ $prog_ok = yes ]; then
    prog_m=$(printf '%s\n' "${prog_t[@]}" | median)
    prog_l=$(lines "$work/prog-$name")
    ratio=$(echo "scale=1; $prog_m / $ours_m" | bc)
    printf '| %s | %s | %s | %s | %s | ok (%s× slower) |\n' "$name" "$ours_m" "$ours_l" "$prog_m" "$prog_l" "$ratio"
    both+=("$name")
  else
    prog_err=$(grep -m1 -iE 'panic|error' "$work/prog-$name.log" | cut -c1-120 | tr '|' '/')
    printf '| %s | %s | %s | – | – | refused: %s |\n' "$name" "$ours_m" "$ours_l" "$prog_err"
  fi
done
echo
echo "## Crate-only cargo check of the generated crates (deps excluded)"
printf '| document | connector-gen s | progenitor s | ratio |\n|---|---|---|---|\n'
check_time() { # dir -> median seconds of RUNS crate-only checks
  (cd "$1" && CARGO_INCREMENTAL=0 cargo check -q >/dev/null 2>&1) || { echo fail; return; }
  for _ in $(seq "$RUNS"); do
    touch "$1/src/lib.rs"
    s=$(now); (cd "$1" && CARGO_INCREMENTAL=0 cargo check -q >/dev/null 2>&1) || true; e=$(now)
    secs "$s" "$e"
  done | median
}
for name in "${both[@]}"; do
  cp Cargo.lock "$work/ours-$name/Cargo.lock"
  o=$(check_time "$work/ours-$name")
  p=$(check_time "$work/prog-$name")
  if [ "$o" = fail ] || [ "$p" = fail ]; then
    printf '| %s | %s | %s | – |\n' "$name" "$o" "$p"
  else
    printf '| %s | %s | %s | %s× |\n' "$name" "$o" "$p" "$(echo "scale=2; $p / $o" | bc)"
  fi
done
echo
echo "work directory: $work"
