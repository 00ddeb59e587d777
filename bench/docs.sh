#!/usr/bin/env bash
# `connector-gen docs` for the whole certified corpus: wall time, peak memory and the site's size
# on disk (median of RUNS runs, default 5), beside `validate` of the same corpus in the same run
# (what loading costs on its own). With Chromium and playwright-core (.ci/run installs them),
# also full-page screenshots of the corpus site's index and of one connector page.
#
#   bash bench/docs.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
CORPUS=../shared/corpus/powerplatform/certified
[ -d "$CORPUS" ] || { echo "corpus not found at $CORPUS"; exit 2; }
cargo build --release -q -p connector-gen
BIN=target/release/connector-gen
OUT=$(mktemp -d /tmp/connector-docs-bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
echo "machine: $(nproc) cores; corpus: $(ls "$CORPUS" | wc -l) connector folders, $(du -sh "$CORPUS" | cut -f1)"

median() { # label, command...
  local label=$1; shift
  for _ in $(seq "$RUNS"); do
    # Exit 1 is expected: 4 definitions of the corpus cannot be read (and get no page).
    { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null || true; } | tail -1
  done | sort -n | awk -v l="$label" '{a[NR]=$0} END {split(a[int((NR+1)/2)], m, " "); printf "%-28s median wall %s s, peak memory %d MB (of %d runs)\n", l, m[1], m[2]/1024, NR}'
}

{ "$BIN" docs "$CORPUS" -o "$OUT/site" 2>&1 || true; } | tail -1
median "docs" "$BIN" docs "$CORPUS" -o "$OUT/site"
median "docs --findings" "$BIN" docs "$CORPUS" -o "$OUT/site-findings" --findings
median "validate (same corpus)" "$BIN" validate "$CORPUS" --format json
echo "site: $(find "$OUT/site" -name '*.html' | wc -l) pages, $(find "$OUT/site" -type f | wc -l) files, $(du -sb "$OUT/site" | cut -f1) bytes ($(du -sh "$OUT/site" | cut -f1) on disk)"
largest=$(find "$OUT/site" -name index.html -printf '%s %P\n' | sort -n | tail -1)
echo "largest page: $largest"

PW=${PLAYWRIGHT_CORE:-.tools/browser/node_modules/playwright-core}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ -f "$PW/index.mjs" ] && [ -x "$CHROMIUM" ]; then
  SHOTS=target/docs-site/corpus
  node generator/tests/browser/check_site.mjs "$PWD/$PW" "$CHROMIUM" "$OUT/site" "$SHOTS" \
    '{"crawl": false, "screenshots": {"index": "index.html", "connector": "office-365-users/index.html"}}' >/dev/null
  echo "screenshots: $SHOTS/index.png, $SHOTS/connector.png, $SHOTS/connector-phone.png"
else
  echo "screenshots skipped: playwright-core or chromium not installed (bash .ci/run installs them)"
fi
