#!/usr/bin/env bash
# Polling events per second through the trigger runtime (connector-sdk/examples/polling_rate.rs):
# pages of 100 events and pages of 1 (one durable state commit per poll).
#
#   bash bench/polling.sh
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(rustc --version)"
cargo run --release -q -p connector-sdk --features runtime --example polling_rate -- 200000 100
cargo run --release -q -p connector-sdk --features runtime --example polling_rate -- 5000 1
