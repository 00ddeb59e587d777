#!/usr/bin/env bash
# Validation speed: connector-gen validate vs Spectral (spectral:oas) and Redocly CLI, side by
# side in one run, on the certified corpus files every tool reads (and a 100-file sample of
# them); each run's count of files processed is checked, and a partial run prints no ratio.
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

# Spectral takes its arguments as globs: a path with `(` or `[` (13 folders of the corpus, e.g.
# "Asite (Canada)") matches nothing and is skipped without an error. Every tool therefore reads
# copies under names without such characters.
mkdir -p "$work/defs"
all=()
while IFS= read -r f; do
  name=$(basename "$(dirname "$f")" | tr -c 'A-Za-z0-9_.-' '_')
  cp "$f" "$work/defs/$name.swagger.json"
  all+=("$work/defs/$name.swagger.json")
done < <(find "$CORPUS" -iname 'apiDefinition.swagger.json' | sort)
# Each tool's readable files: connector-gen reports the ones it cannot read (PP0001) and goes on;
# Redocly stops at the first file it cannot parse (bench/peers.py leaves that one out and tries
# again). The comparison is on the files every tool reads, and each run's count of files
# processed is checked: a partial run prints no ratio.
mapfile -t ours_unreadable < <("$OURS" validate --format json "${all[@]}" 2>/dev/null | python3 -c 'import json,sys; print("\n".join(sorted({d["file"] for d in json.load(sys.stdin)["diagnostics"] if d["code"]=="PP0001" and d["file"].lower().endswith(".swagger.json")})))')
mapfile -t redocly_readable < <(python3 bench/peers.py redocly-readable "$REDOCLY" "${all[@]}" 2>"$work/redocly-unreadable")
common=()
for f in "${redocly_readable[@]}"; do
  skip=0; for u in "${ours_unreadable[@]}"; do [ "$f" = "$u" ] && skip=1; done
  [ $skip = 0 ] && common+=("$f")
done
sample=("${common[@]:0:100}")
echo "corpus: ${#all[@]} definitions; read by every tool: ${#common[@]}; sample: ${#sample[@]}; $(nproc) cores; $RUNS runs each (median)"
echo "versions: connector-gen $($OURS --version | cut -d' ' -f2), spectral $($SPECTRAL --version 2>/dev/null | head -1), redocly $($REDOCLY --version 2>/dev/null | grep -E "^[0-9]" | head -1)"

echo "left out:"
for u in "${ours_unreadable[@]}"; do echo "  connector-gen cannot read (PP0001, reported with line and column, the run goes on): $u"; done
sed 's/^/  /' "$work/redocly-unreadable"
echo "redocly given all ${#all[@]} definitions validates $(python3 bench/peers.py redocly-count "$REDOCLY" "${all[@]}") and stops"
{ sed 's/^redocly cannot read: //' "$work/redocly-unreadable"; printf '%s\n' "${ours_unreadable[@]}"; } | sort -u | while IFS= read -r f; do
  echo "  alone: redocly validates $(python3 bench/peers.py redocly-count "$REDOCLY" "$f") of 1, spectral lints $(python3 bench/peers.py spectral-count "$SPECTRAL" "$work/.spectral.yaml" "$f") of 1: $f"
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
secs() { # median wall seconds of RUNS runs of "$@" (output discarded; exit codes ignored)
  for _ in $(seq "$RUNS"); do
    local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    echo "scale=3; ($e - $s) / 1000000000" | bc
  done | median
}
peak_mb() { { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null || true; } | tail -1 | awk '{printf "%.0f", $1/1024}'; }

row() { printf '%-44s %10s s %10s ms/file %8s MB  %s\n' "$1" "$2" "$(echo "scale=2; $2 * 1000 / $3" | bc)" "$4" "$5"; }

for set in sample common; do
  if [ $set = sample ]; then files=("${sample[@]}"); else files=("${common[@]}"); fi
  n=${#files[@]}
  echo; echo "== $set ($n definitions)"
  # What each tool processed of the n.
  c_ours=$({ "$OURS" validate --format json "${files[@]}" 2>/dev/null || true; } | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["connectors"])')
  c_spec=$(python3 bench/peers.py spectral-count "$SPECTRAL" "$work/.spectral.yaml" "${files[@]}")
  c_redo=$(python3 bench/peers.py redocly-count "$REDOCLY" "${files[@]}")
  t_ours=$(secs "$OURS" validate "${files[@]}"); m_ours=$(peak_mb "$OURS" validate "${files[@]}")
  t_spec=$(secs "$SPECTRAL" lint --ruleset "$work/.spectral.yaml" --quiet "${files[@]}"); m_spec=$(peak_mb "$SPECTRAL" lint --ruleset "$work/.spectral.yaml" --quiet "${files[@]}")
  t_redo=$(secs "$REDOCLY" lint --format=stylish "${files[@]}"); m_redo=$(peak_mb "$REDOCLY" lint --format=stylish "${files[@]}")
  row "connector-gen validate" "$t_ours" "$n" "$m_ours" "processed $c_ours of $n"
  row "spectral lint (spectral:oas)" "$t_spec" "$n" "$m_spec" "processed $c_spec of $n"
  row "redocly lint (recommended)" "$t_redo" "$n" "$m_redo" "processed $c_redo of $n"
  ratio() { # name, its count, its time
    if [ "$c_ours" != "$n" ] || [ "$2" != "$n" ]; then echo "$1 / connector-gen: no ratio (a partial run)";
    else echo "$1 / connector-gen: $(echo "scale=1; $3 / $t_ours" | bc)x"; fi
  }
  echo "ratios: $(ratio spectral "$c_spec" "$t_spec");  $(ratio redocly "$c_redo" "$t_redo")"
done
echo
echo "rules: connector-gen $($OURS rules --format json | grep -c '"code"')"
