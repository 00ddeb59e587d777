#!/usr/bin/env bash
# `validate --fix` on a temporary copy of the certified corpus: the findings each fixable rule
# reports before and after, and wall time and peak memory of `validate`, `--diff` and `--fix`
# side by side (median of RUNS runs each, default 5; every `--fix` run on a fresh copy).
#
#   bash bench/fix.sh [RUNS] [PROFILE]     (PROFILE: certification (default) or default)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
PROFILE=${2:-certification}
CORPUS=../shared/corpus/powerplatform/certified
[ -d "$CORPUS" ] || { echo "corpus not found at $CORPUS"; exit 2; }
cargo build --release -q -p connector-gen
BIN=$PWD/target/release/connector-gen
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
echo "machine: $(nproc) cores; profile $PROFILE"

fresh() { rm -rf "$TMP/c"; cp -r "$CORPUS" "$TMP/c"; }
median() { sort -n | awk '{a[NR]=$0} END {split(a[int((NR+1)/2)], m, " "); printf "%s s, %s KB", m[1], m[2]}'; }
timed() { # label, then the arguments after `validate .`
  local label=$1; shift
  local m
  m=$(for _ in $(seq "$RUNS"); do
    fresh
    (cd "$TMP/c" && { /usr/bin/time -f "%e %M" "$BIN" validate . --profile "$PROFILE" "$@" >/dev/null 2>"$TMP/err" || true; } && tail -1 "$TMP/err")
  done | median)
  echo "$label: median $m (of $RUNS runs)"
}

fresh
(cd "$TMP/c" && "$BIN" validate . --profile "$PROFILE" --format json > "$TMP/before.json" || true)
(cd "$TMP/c" && "$BIN" validate . --profile "$PROFILE" --fix --unsafe-fixes | tail -1 || true)
(cd "$TMP/c" && "$BIN" validate . --profile "$PROFILE" --format json > "$TMP/after.json" || true)
python3 - "$TMP/before.json" "$TMP/after.json" <<'PY'
import collections, json, sys
def read(p):
    d = json.load(open(p))
    n, f = collections.Counter(), collections.Counter()
    for x in d["diagnostics"]:
        n[x["code"]] += 1
        if "fix" in x:
            f[(x["code"], x["fix"]["safety"])] += 1
    return d["summary"], n, f
(sb, nb, fb), (sa, na, fa) = read(sys.argv[1]), read(sys.argv[2])
print("| rule | fix | before | fixable | after |")
print("|---|---|---|---|---|")
for (code, safety), k in sorted(fb.items()):
    print(f"| {code} | {safety} | {nb[code]} | {k} | {na[code]} |")
others = {c: (nb[c], na[c]) for c in set(nb) | set(na) if nb[c] != na[c] and not any(c == k[0] for k in fb)}
for c, (b, a) in sorted(others.items()):
    print(f"| {c} | - | {b} | 0 | {a} |")
print(f"findings: {sum(nb.values())} before, {sum(na.values())} after; fixable left: {sum(fa.values())}")
PY
timed "validate" 
timed "validate --diff --unsafe-fixes" --diff --unsafe-fixes
timed "validate --fix" --fix
timed "validate --fix --unsafe-fixes" --fix --unsafe-fixes
