#!/usr/bin/env bash
# A minified definition (everything on one line) with many operations: every diagnostic's line and
# column is looked up in one very long line; and the same definition indented (multi-line). Times
# `validate`, `convert --to openapi3` and `generate` and reads their peak memory, for each binary
# given (e.g. an older build beside this one), side by side in one run.
#
#   bash bench/one-line.sh [OPERATIONS] [BINARY...]
#
# OPERATIONS defaults to 100000; without BINARY, this checkout's release build is used.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
shift || true
if [ $# -eq 0 ]; then
  cargo build --release -q -p connector-gen
  set -- target/release/connector-gen
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$N" "$work/one-line.json" "$work/multi-line.json" <<'PY'
import json, sys
n, out, indented = int(sys.argv[1]), sys.argv[2], sys.argv[3]
paths = {}
for i in range(n):
    # Summaries end with a full stop and ids hold an underscore: two certification findings per
    # operation, each located in the one line.
    paths[f"/items{i}/{{id}}"] = {"get": {
        "operationId": f"Get_item{i}", "summary": f"Get item {i}.",
        "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
        "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Item"}}}}}
doc = {"swagger": "2.0", "info": {"title": "One line", "version": "1.0"},
       "host": "api.example.com", "basePath": "/", "schemes": ["https"], "paths": paths,
       "definitions": {"Item": {"type": "object", "properties": {"id": {"type": "string"}}}}}
open(out, "w").write(json.dumps(doc, separators=(",", ":")))
open(indented, "w").write(json.dumps(doc, indent=2))
PY
echo "machine: $(nproc) cores; definition: $N operations, $(wc -c <"$work/one-line.json") bytes on one line, $(wc -c <"$work/multi-line.json") bytes indented"
measure() { # label, command...: wall seconds and peak KB
  local label=$1; shift
  /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$work/err" || true
  # shellcheck disable=SC2046
  printf '%-70s %8s s %10s KB\n' "$label" $(tail -n 1 "$work/err")
}
for bin in "$@"; do
  rev=$bin
  for shape in one-line multi-line; do
    measure "$rev: $shape validate --profile certification --format json" \
      "$bin" validate "$work/$shape.json" --profile certification --format json
    measure "$rev: $shape convert --to openapi3" \
      "$bin" convert "$work/$shape.json" --to openapi3 -o "$work/$shape.openapi.json"
    rm -f "$work/$shape.openapi.json"
  done
  rm -rf "$work/crate"
  measure "$rev: generate --max-operations $N" \
    "$bin" generate "$work/one-line.json" -o "$work/crate" --max-operations "$N"
done
