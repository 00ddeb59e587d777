#!/usr/bin/env bash
# Postman → OpenAPI: connector-gen convert vs postman2openapi, side by side in one run, on every
# collection of ../shared/corpus/postman: one process per collection for both tools (output on
# stdout, redirected to a file), and connector-gen's batch mode (the directory in one process).
#
#   bash bench/postman.sh [RUNS]
#
# postman2openapi is installed with `cargo install --locked postman2openapi-cli` into
# bench/.tools/p2o (or $TOOLS/p2o) on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
CORPUS=../shared/corpus/postman
TOOLS=${TOOLS:-bench/.tools}
[ -d "$CORPUS" ] || { echo "corpus not found at $CORPUS"; exit 2; }
cargo build --release -q -p connector-gen
OURS=target/release/connector-gen
P2O="$TOOLS/p2o/bin/postman2openapi"
if [ ! -x "$P2O" ]; then
  echo "installing postman2openapi-cli into $TOOLS/p2o"
  cargo install --locked --quiet postman2openapi-cli --root "$TOOLS/p2o"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ours" "$work/p2o"
mapfile -t files < <(find "$CORPUS" -maxdepth 1 -name '*.json' | sort)
echo "corpus: ${#files[@]} collections; $(nproc) cores; $RUNS runs each (median)"
echo "versions: connector-gen $($OURS --version | cut -d' ' -f2), $($P2O --version)"

run_batch() { rm -rf "$work/batch"; "$OURS" convert "$CORPUS" --to openapi3 -o "$work/batch" 2>/dev/null || true; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
secs() {
  for _ in $(seq "$RUNS"); do
    local s e; s=$(date +%s%N); "$@"; e=$(date +%s%N)
    echo "scale=3; ($e - $s) / 1000000000" | bc
  done | median
}
# One process per collection for both tools, timed collection by collection (the two tools
# alternate on each collection, so that neither always runs on a warmer machine): the time ratio
# is taken only on the collections both converted.
python3 - "$OURS" "$P2O" "$work" "$RUNS" "${files[@]}" <<'TIMES'
import json, os, statistics, subprocess, sys, time
ours, p2o, work, runs, files = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
tools = {"ours": [ours, "convert", None, "--to", "openapi3"], "p2o": [p2o, "-f", "json", None]}
times = {tool: {os.path.basename(f): [] for f in files} for tool in tools}
for _ in range(runs):
    for f in files:
        name = os.path.basename(f)
        for tool, argv in tools.items():
            argv = [f if a is None else a for a in argv]
            with open(os.path.join(work, tool, name), "wb") as out:
                s = time.perf_counter()
                subprocess.run(argv, stdout=out, stderr=subprocess.DEVNULL)
                times[tool][name].append(time.perf_counter() - s)
json.dump({tool: {n: statistics.median(t) for n, t in per.items()} for tool, per in times.items()},
          open(os.path.join(work, "times.json"), "w"))
TIMES
t_batch=$(secs run_batch)
"$OURS" validate --format json "${files[@]}" > "$work/diagnostics.json" 2>/dev/null || true

python3 - "$CORPUS" "$work" "$t_batch" <<'EOF'
import json, os, re, sys
corpus, work = sys.argv[1], sys.argv[2]
t_batch = float(sys.argv[3])
times = json.load(open(os.path.join(work, "times.json")))
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

def requests(doc):
    def walk(items):
        return sum(1 if "request" in i else walk(i.get("item", [])) for i in items if isinstance(i, dict))
    return walk(doc["item"]) if "item" in doc else len(doc.get("requests", []))

def operations(path):
    try:
        doc = json.load(open(path))
    except Exception:
        return None
    return sum(1 for item in doc.get("paths", {}).values() for m in item if m in METHODS)

try:
    import jsonschema
    schema = json.load(open("tests/schemas/openapi-3.0.json"))
    validator = jsonschema.Draft4Validator(schema)
except ImportError:
    validator = None

def quality(path):
    """(valid against the OpenAPI 3.0 schema, paths that OpenAPI counts as one, `{{` left in URLs)"""
    try:
        doc = json.load(open(path))
    except Exception:
        return None
    valid = validator.is_valid(doc) if validator else None
    shapes = [re.sub(r"\{[^}]*\}", "{}", p) for p in doc.get("paths", {})]
    clashes = len(shapes) - len(set(shapes))
    urls = [s.get("url", "") for s in doc.get("servers", [])] + list(doc.get("paths", {}))
    left = sum(1 for u in urls if "{{" in u)
    return valid, clashes, left

diags = json.load(open(os.path.join(work, "diagnostics.json")))["diagnostics"]
def count(code, name):
    return sum(1 for d in diags if d["code"] == code and os.path.basename(d["file"]) == name)

rows, tot = [], dict(req=0, ours=0, merged=0, skipped=0, p2o=0, p2o_failed=0, ours_failed=0)
qual = {"ours": [0, 0, 0], "p2o": [0, 0, 0]}
for name in sorted(os.listdir(corpus)):
    if not name.endswith(".json"):
        continue
    req = requests(json.load(open(os.path.join(corpus, name))))
    ours = operations(os.path.join(work, "ours", name))
    p2o = operations(os.path.join(work, "p2o", name))
    merged, skipped = count("PP0120", name), count("PP0121", name)
    tot["req"] += req
    tot["merged"] += merged
    tot["skipped"] += skipped
    if ours is None:
        tot["ours_failed"] += 1
    else:
        tot["ours"] += ours
    if p2o is None:
        tot["p2o_failed"] += 1
    else:
        tot["p2o"] += p2o
    rows.append((name, req, ours, merged, skipped, p2o))
    for tool in ("ours", "p2o"):
        q = quality(os.path.join(work, tool, name))
        if q:
            qual[tool][0] += 1 if q[0] else 0
            qual[tool][1] += q[1]
            qual[tool][2] += q[2]

print()
print(f"{'collection':<52} {'requests':>8} {'ours ops':>8} {'merged':>6} {'skipped':>7} {'p2o ops':>8}")
for name, req, ours, merged, skipped, p2o in rows:
    show = lambda v: "FAILED" if v is None else str(v)
    print(f"{name[:52]:<52} {req:>8} {show(ours):>8} {merged:>6} {skipped:>7} {show(p2o):>8}")
print()
accounted = tot["ours"] + tot["merged"] + tot["skipped"]
print(f"requests in the corpus: {tot['req']}")
print(f"connector-gen: {tot['ours']} operations + {tot['merged']} requests merged into an operation with the same method and path + "
      f"{tot['skipped']} skipped, each named in a diagnostic = {accounted} of {tot['req']} requests accounted for "
      f"({100 * accounted / tot['req']:.1f} %); {tot['ours_failed']} collections failed")
print(f"postman2openapi: {tot['p2o']} operations, no diagnostics ({tot['req'] - tot['p2o']} requests not in the output, unaccounted for); "
      f"{tot['p2o_failed']} collections gave no document")
for tool, label in (("ours", "connector-gen"), ("p2o", "postman2openapi")):
    v, c, l = qual[tool]
    print(f"{label}: {v} documents valid against the OpenAPI 3.0 schema" + ("" if validator else " (python jsonschema missing: not checked)")
          + f"; {c} paths that OpenAPI counts as the same path (differing only in parameter names); {l} server URLs or paths with `{{{{var}}}}` left in")
# Time only where both tools wrote a document: a collection a tool fails on is no speed.
common = [r[0] for r in rows if r[2] is not None and r[5] is not None]
t_ours = sum(times["ours"][n] for n in common)
t_p2o = sum(times["p2o"][n] for n in common)
t_ours_all = sum(times["ours"].values())
print(f"time, one process per collection (median of the runs, per collection), on the {len(common)} of {len(rows)} collections both converted: "
      f"connector-gen {t_ours:.3f} s, postman2openapi {t_p2o:.3f} s")
if len(common) == len(rows):
    print(f"time ratio postman2openapi / connector-gen: {t_p2o / t_ours:.2f}x")
else:
    print(f"time ratio postman2openapi / connector-gen on those {len(common)}: {t_p2o / t_ours:.2f}x "
          f"(no ratio over all {len(rows)}: postman2openapi did not convert {len(rows) - len(common)})")
print(f"connector-gen, all {len(rows)} collections, one process each: {t_ours_all:.3f} s; "
      f"batch (the directory in one process, atomic file writes): {t_batch:.3f} s")
EOF
