#!/usr/bin/env bash
# Builds Yighin for release, then measures it: seeds a fresh database
# (SQLite in a temporary folder, or the empty PostgreSQL database named by
# DATABASE_URL), starts the server, loads it over loopback and prints one
# table with the budgets, with the feed written by other libraries beside
# ours and Lighthouse (mobile) on the pages a member opens. Extra arguments go to the benchmark (--tiny for a quick run
# that only proves it works).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_build_tools
ensure_bench_tools

say "building (release)"
cargo leptos build --release --precompress
cargo build --release -p yighin-bench

say "measuring"
exec target/release/yighin-bench --server target/release/yighin \
  --tools bench/tools "$@"
