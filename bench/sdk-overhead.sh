#!/usr/bin/env bash
# The runtime's overhead: an action called through connector-sdk vs the same request made with a
# bare reqwest client, against the same local axum server, side by side in one process.
#
#   bash bench/sdk-overhead.sh [REQUESTS] [ROUNDS]
#
# Prints allocations per request, p50/p99 latency and throughput at concurrency 1 and 64, and
# the ratios sdk/reqwest (see connector-sdk/examples/overhead.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(rustc --version)"
cargo run --release -q -p connector-sdk --example overhead -- "${1:-20000}" "${2:-5}"
