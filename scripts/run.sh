#!/usr/bin/env bash
# Builds Yighin for release and serves it on http://127.0.0.1:3000 with a
# SQLite database in ./data/ (created, migrated and given demo events on
# first start). Settings: see README.md; extra arguments go to the server.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_build_tools

say "building (release)"
cargo leptos build --release --precompress

say "serving"
exec target/release/yighin "$@"
