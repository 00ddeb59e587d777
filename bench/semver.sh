#!/usr/bin/env bash
# Our version bumps for generated crates against cargo-semver-checks' verdict on the same
# crates, over real before/after pairs of certified connectors.
#
# For each pair: the old definition is generated at 1.0.0 (so that major, minor and patch are
# three different bumps), then the new one is generated over it, which sets the version from our
# diff; cargo-semver-checks then compares the two crates' public APIs (`--release-type patch`,
# so it reports the bump it requires rather than checking ours). cargo-semver-checks is
# installed from crates.io into target/semver-bench/tools (not by CI).
#
#   bash bench/semver.sh [PAIRS]    # PAIRS: how many pairs, spread over the 331 (default 30; `all`)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PAIRS_DIR=../shared/corpus/changes/certified
[ -d "$PAIRS_DIR" ] || { echo "corpus not found at $PAIRS_DIR"; exit 2; }
WANT=${1:-30}
WORK=$ROOT/target/semver-bench
TOOLS=$WORK/tools
SEMVER_CHECKS_VERSION=0.51.0
mkdir -p "$WORK"
if ! "$TOOLS/bin/cargo-semver-checks" --version 2>/dev/null | grep -q "$SEMVER_CHECKS_VERSION"; then
  echo "installing cargo-semver-checks $SEMVER_CHECKS_VERSION into $TOOLS"
  cargo install -q --locked --root "$TOOLS" cargo-semver-checks --version "$SEMVER_CHECKS_VERSION"
fi
export PATH="$TOOLS/bin:$PATH"
cargo build --release -q -p connector-gen
BIN=$ROOT/target/release/connector-gen
export CARGO_TARGET_DIR=$WORK/target

mapfile -t ALL < <(find "$PAIRS_DIR" -mindepth 1 -maxdepth 1 -type d | LC_ALL=C sort)
if [ "$WANT" = all ]; then WANT=${#ALL[@]}; fi
STEP=$(( ${#ALL[@]} / WANT )); [ "$STEP" -ge 1 ] || STEP=1

PAIR_DIR=$(mktemp -d /tmp/semver-pair.XXXXXX)
trap 'rm -rf "$PAIR_DIR"' EXIT
RESULTS=$WORK/results.tsv
printf 'connector\tours\tsemver-checks\tour reasons\tsemver-checks lints\n' > "$RESULTS"
echo "machine: $(nproc) cores; $(cargo semver-checks --version); $WANT of ${#ALL[@]} pairs"
n=0
for ((i = 0; i < ${#ALL[@]} && n < WANT; i += STEP)); do
  pair=${ALL[$i]}
  name=$(basename "$pair")
  n=$((n + 1))
  # Outside the repository: a generated crate is not a member of this workspace.
  w=$PAIR_DIR
  rm -rf "$w" && mkdir -p "$w"
  if ! "$BIN" generate "$pair/old" -o "$w/crate" --name connector --version 1.0.0 >"$w/old.log" 2>&1; then
    printf '%s\tnot generated\t-\t%s\t-\n' "$name" "$(tail -1 "$w/old.log")" >> "$RESULTS"; continue
  fi
  cp -r "$w/crate" "$w/old"
  if ! "$BIN" generate "$pair/new" -o "$w/crate" --name connector >"$w/new.log" 2>&1; then
    printf '%s\tnot generated\t-\t%s\t-\n' "$name" "$(tail -1 "$w/new.log")" >> "$RESULTS"; continue
  fi
  version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$w/crate/Cargo.toml" | head -1)
  case "$version" in
    2.0.0) ours=major ;;
    1.1.0) ours=minor ;;
    *) ours=none ;;  # 1.0.1 (nothing a rule reports) or 1.0.0 (the same definition)
  esac
  # Our reasons: every change of the diff, counted by rule (generate lists only the first few).
  reasons=$("$BIN" diff "$w/old/definition" "$pair/new" --format json --fail-on never 2>/dev/null \
    | python3 -c 'import json, sys, collections
c = collections.Counter(x["code"] + " " + x["name"] for x in json.load(sys.stdin)["changes"])
print(", ".join(k + "×" + str(n) for k, n in sorted(c.items())))' || true)
  if cargo semver-checks check-release --manifest-path "$w/crate/Cargo.toml" --baseline-root "$w/old" \
      --release-type patch >"$w/semver.log" 2>&1; then
    theirs=none
  elif grep -q 'semver requires new major version' "$w/semver.log"; then
    theirs=major
  elif grep -q 'semver requires new minor version' "$w/semver.log"; then
    theirs=minor
  else
    theirs=error
    tail -5 "$w/semver.log" | sed 's/^/    /'
  fi
  lints=$(grep -oE '^--- failure [a-z_]+' "$w/semver.log" | sed 's/--- failure //' | sort | tr '\n' ' ' || true)
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$ours" "$theirs" "$reasons" "$lints" >> "$RESULTS"
  printf '%-40s ours %-6s semver-checks %s\n' "$name" "$ours" "$theirs"
done

echo
echo "== results: $RESULTS (wall time ${SECONDS} s)"
awk -F'\t' 'NR > 1 && $3 != "-" && $3 != "error" {
    total++; if ($2 == $3) same++
    rank["none"] = 0; rank["minor"] = 1; rank["major"] = 2
    if (rank[$2] >= rank[$3]) safe++
    pair[$2 " / " $3]++
  }
  END {
    printf "%d pairs compared: same bump %d (%.0f%%); ours at least theirs %d (%.0f%%)\n", total, same, 100 * same / total, safe, 100 * safe / total
    for (k in pair) printf "  ours / semver-checks  %-16s %d\n", k, pair[k]
  }' "$RESULTS"
