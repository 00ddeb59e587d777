#!/usr/bin/env bash
# Runs one fuzz target (or all) with cargo fuzz, from its saved corpus (fuzz/corpus/TARGET), the
# handwritten seeds (fuzz/seeds/TARGET), the fixtures, and ../shared/corpus when it is there.
#
#   bash fuzz/run.sh TARGET [SECONDS]      one target (default 600 s)
#   bash fuzz/run.sh all [SECONDS]         every target in turn
#   bash fuzz/run.sh minimize TARGET       merge what a run found into a small corpus
#   bash fuzz/run.sh keep TARGET [N]       keep the N (200) smallest inputs of fuzz/corpus/TARGET
#
# Needs cargo-fuzz (`cargo install --locked cargo-fuzz`). cargo fuzz uses Rust's unstable
# sanitizer flags; on a stable toolchain this script sets RUSTC_BOOTSTRAP=1 for the fuzz build
# only. Findings land in fuzz/artifacts/TARGET; each fixed one goes to fuzz/regressions/TARGET,
# which the tests replay.
set -euo pipefail
cd "$(dirname "$0")"
TARGETS=(definition yaml api_properties postman codegen policies recurrence oauth_template store webhook listener files script fix)
SHARED=../../shared/corpus
export RUSTC_BOOTSTRAP=1

seeds() { # seed directories of a target, made under $work
  local t=$1 d="$work/$1"
  mkdir -p "$d"
  case $t in
    definition|codegen|fix)
      find ../fixtures -type f \( -name '*.json' -o -name '*.yaml' \) ! -iname 'apiProperties.json' -size -64k -exec cp --backup=numbered {} "$d/" \;
      [ -d "$SHARED" ] && find "$SHARED/openapi" "$SHARED/powerplatform/certified" -type f \( -iname 'apiDefinition.swagger.json' -o -name '*.yaml' -o -name '*.json' \) -size -24k 2>/dev/null | head -400 | while read -r f; do cp "$f" "$d/$(echo "$f" | md5sum | cut -c1-12).json"; done ;;
    yaml)
      find ../fixtures -type f -name '*.yaml' -exec cp --backup=numbered {} "$d/" \;
      [ -d "$SHARED" ] && find "$SHARED/openapi" -name '*.yaml' -size -64k -exec cp --backup=numbered {} "$d/" \; ;;
    postman)
      cp ../fixtures/postman/*.json "$d/"
      [ -d "$SHARED" ] && find "$SHARED/postman" -name '*.json' -size -64k -exec cp {} "$d/" \; ;;
    api_properties|policies)
      find ../fixtures -iname 'apiProperties.json' | while read -r f; do cp "$f" "$d/$(echo "$f" | md5sum | cut -c1-12).json"; done
      [ -d "$SHARED" ] && find "$SHARED/powerplatform/certified" -iname 'apiProperties.json' -size -16k | head -300 | while read -r f; do cp "$f" "$d/$(echo "$f" | md5sum | cut -c1-12).json"; done ;;
    script)
      find ../fixtures ../templates -iname '*.csx' | while read -r f; do cp "$f" "$d/$(echo "$f" | md5sum | cut -c1-12).csx"; done ;;
  esac
  echo "$d"
}

run() {
  local t=$1 secs=$2
  mkdir -p "corpus/$t" "artifacts/$t"
  local dirs=("corpus/$t" "$(seeds "$t")")
  [ -d "seeds/$t" ] && dirs+=("seeds/$t")
  [ -d "regressions/$t" ] && dirs+=("regressions/$t")
  echo "== $t: ${secs}s from ${dirs[*]}"
  cargo fuzz run --sanitizer none "$t" "${dirs[@]}" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 2>&1 | tee "$work/$t.log" | grep -E "^#[0-9]+.*(DONE|pulse)|stat::|SUMMARY|panicked|ERROR" || true
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case "${1:-}" in
  all) for t in "${TARGETS[@]}"; do run "$t" "${2:-600}"; done ;;
  minimize)
    t=$2; mkdir -p "$work/min"
    cargo fuzz run --sanitizer none "$t" "$work/min" "corpus/$t" -- -merge=1 -max_len=65536 >/dev/null 2>&1
    rm -rf "corpus/$t"; mv "$work/min" "corpus/$t"; echo "corpus/$t: $(ls "corpus/$t" | wc -l) files" ;;
  keep)
    t=$2; n=${3:-200}
    ls -S -r "corpus/$t" | tail -n +$((n + 1)) | while read -r f; do rm -f "corpus/$t/$f"; done
    echo "corpus/$t: $(ls "corpus/$t" | wc -l) files, $(du -sh "corpus/$t" | cut -f1)" ;;
  "") echo "usage: bash fuzz/run.sh TARGET|all [SECONDS] | minimize TARGET"; exit 2 ;;
  *) run "$1" "${2:-600}" ;;
esac
