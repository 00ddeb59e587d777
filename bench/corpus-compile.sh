#!/usr/bin/env bash
# The core acceptance of `generate`: every loadable connector of the certified corpus, and every
# OpenAPI document of the corpus, generated into one workspace each and `cargo check`ed.
#
#   bash bench/corpus-compile.sh [certified|openapi|all]
#
# Prints counts (definitions, crates generated, crates failing to compile), the failures, and the
# time of each step. Exit 1 when a generated crate does not compile.
set -euo pipefail
cd "$(dirname "$0")/.."
WHICH=${1:-all}
ROOT=$(pwd)
CORPUS=../shared/corpus
[ -d "$CORPUS" ] || { echo "corpus not found at $CORPUS"; exit 2; }
cargo build --release -q -p connector-gen
GEN=$ROOT/target/release/connector-gen
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$work/target}
status=0

run() {
  local name=$1 input=$2
  local ws=$work/$name
  rm -rf "$ws"
  local defs
  defs=$(find "$input" -maxdepth 2 \( -iname 'apiDefinition.swagger.json' -o -iname '*.json' -o -iname '*.yaml' \) \
    -not -iname 'apiProperties.json' -not -iname 'settings.json' -not -iname 'SOURCES.md' | wc -l)
  local t0 t1 t2
  t0=$(date +%s.%N)
  "$GEN" generate "$input" -o "$ws" 2> "$work/$name-generate.log" || true
  t1=$(date +%s.%N)
  local crates
  crates=$(grep -c '^Generated' "$work/$name-generate.log" || true)
  local refused
  refused=$(grep '^error: .*nothing was generated' "$work/$name-generate.log" | sed 's/^error: //; s/: [0-9]* error(s).*//' || true)
  cp Cargo.lock "$ws/Cargo.lock"
  (cd "$ws" && cargo check --workspace --offline --message-format short -q) > "$work/$name-check.log" 2>&1 || true
  t2=$(date +%s.%N)
  local failing
  failing=$(grep -o "could not compile \`[^\`]*\`" "$work/$name-check.log" | sort -u || true)
  local nfail
  nfail=$(printf '%s' "$failing" | grep -c . || true)
  printf '%s: %s definitions, %s crates generated in %.2f s, cargo check of the workspace %.0f s, %s crates fail to compile\n' \
    "$name" "$defs" "$crates" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$nfail"
  if [ -n "$refused" ]; then
    echo "  not generated (the definition cannot be read; see the log):"
    printf '%s\n' "$refused" | sed 's/^/    /'
  fi
  if [ "$nfail" != 0 ]; then
    printf '%s\n' "$failing" | sed 's/^/    /'
    grep -E '^(error|warning)' "$work/$name-check.log" | head -20
    status=1
  fi
  local warnings
  warnings=$(grep -c '^warning' "$work/$name-check.log" || true)
  echo "  compiler warnings: $warnings   logs: $work/$name-*.log"
}

case $WHICH in
  certified) run certified "$CORPUS/powerplatform/certified" ;;
  openapi) run openapi "$CORPUS/openapi" ;;
  all) run certified "$CORPUS/powerplatform/certified"; run openapi "$CORPUS/openapi" ;;
  *) echo "usage: $0 [certified|openapi|all]"; exit 2 ;;
esac
exit $status
