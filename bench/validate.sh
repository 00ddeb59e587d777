#!/usr/bin/env bash
# Validation speed: connector-gen validate vs Spectral (spectral:oas) and Redocly CLI, side by
# side in one run, on the same 100-file sample of the certified corpus and on the whole corpus.
#
#   bash bench/validate.sh [RUNS]
#
# Spectral and Redocly are installed from npm into bench/.tools (or $TOOLS) on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
CORPUS=../shared/corpus/powerplatform/certified
TOOLS=${TOOLS:-bench/.tools}
[ -d "$CORPUS" ] || { echo "corpus not found at $CORPUS"; exit 2; }
cargo build --release -q -p connector-gen
OURS=target/release/connector-gen
if [ ! -x "$TOOLS/node_modules/.bin/spectral" ] || [ ! -x "$TOOLS/node_modules/.bin/redocly" ]; then
  echo "installing @stoplight/spectral-cli and @redocly/cli into $TOOLS"
  mkdir -p "$TOOLS"
  npm install --no-audit --no-fund --prefix "$TOOLS" @stoplight/spectral-cli @redocly/cli >/dev/null
fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1
SPECTRAL="$TOOLS/node_modules/.bin/spectral"
REDOCLY="$TOOLS/node_modules/.bin/redocly"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'extends: ["spectral:oas"]\n' > "$work/.spectral.yaml"

mapfile -t all < <(find "$CORPUS" -iname 'apiDefinition.swagger.json' | sort)
# Redocly stops at the first file it cannot parse; compare on the definitions that parse
# (connector-gen reports the 4 others with their line and column).
mapfile -t unparsable < <("$OURS" validate --format json "${all[@]}" 2>/dev/null | python3 -c 'import json,sys; print("\n".join(sorted({d["file"] for d in json.load(sys.stdin)["diagnostics"] if d["code"]=="PP0001" and d["file"].lower().endswith("apidefinition.swagger.json")})))')
parseable=()
for f in "${all[@]}"; do
  skip=0; for u in "${unparsable[@]}"; do [ "$f" = "$u" ] && skip=1; done
  [ $skip = 0 ] && parseable+=("$f")
done
sample=("${parseable[@]:0:100}")
echo "corpus: ${#all[@]} definitions; sample: ${#sample[@]}; $(nproc) cores; $RUNS runs each (median)"
echo "versions: connector-gen $($OURS --version | cut -d' ' -f2), spectral $($SPECTRAL --version 2>/dev/null | head -1), redocly $($REDOCLY --version 2>/dev/null | grep -E "^[0-9]" | head -1)"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
secs() { # median wall seconds of RUNS runs of "$@" (output discarded; exit codes ignored)
  for _ in $(seq "$RUNS"); do
    local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    echo "scale=3; ($e - $s) / 1000000000" | bc
  done | median
}
peak_mb() { { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null || true; } | tail -1 | awk '{printf "%.0f", $1/1024}'; }

row() { printf '%-44s %10s s %10s ms/file %8s MB\n' "$1" "$2" "$(echo "scale=2; $2 * 1000 / $3" | bc)" "$4"; }

echo "unparsable definitions left out: ${#unparsable[@]}"
redocly_all=$("$REDOCLY" lint --format=stylish "${all[@]}" 2>&1 | grep -c '^validating' || true)
echo "redocly given all ${#all[@]} definitions validates $redocly_all and stops at the first it cannot parse"
for set in sample parseable; do
  if [ $set = sample ]; then files=("${sample[@]}"); else files=("${parseable[@]}"); fi
  n=${#files[@]}
  echo; echo "== $set ($n definitions)"
  t_ours=$(secs "$OURS" validate "${files[@]}"); m_ours=$(peak_mb "$OURS" validate "${files[@]}")
  t_spec=$(secs "$SPECTRAL" lint --ruleset "$work/.spectral.yaml" --quiet "${files[@]}"); m_spec=$(peak_mb "$SPECTRAL" lint --ruleset "$work/.spectral.yaml" --quiet "${files[@]}")
  t_redo=$(secs "$REDOCLY" lint --format=stylish "${files[@]}"); m_redo=$(peak_mb "$REDOCLY" lint --format=stylish "${files[@]}")
  row "connector-gen validate" "$t_ours" "$n" "$m_ours"
  row "spectral lint (spectral:oas)" "$t_spec" "$n" "$m_spec"
  row "redocly lint (recommended)" "$t_redo" "$n" "$m_redo"
  echo "ratio spectral / connector-gen: $(echo "scale=1; $t_spec / $t_ours" | bc)x   redocly / connector-gen: $(echo "scale=1; $t_redo / $t_ours" | bc)x"
done
echo
echo "rules: connector-gen $($OURS rules --format json | grep -c '"code"')"
