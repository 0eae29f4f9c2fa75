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

# The demo (the default database, no mail server set) writes the emails
# members ask for into data/mail/ as .eml files, sending nothing.
if [ -z "${DATABASE_URL:-}" ] && [ -z "${YIGHIN_SMTP_URL:-}" ]; then
  export YIGHIN_SMTP_URL="file://$PWD/data/mail"
  export YIGHIN_MAIL_FROM="${YIGHIN_MAIL_FROM:-Yighin demo <events@example.org>}"
  say "demo: emails are written into data/mail/ as .eml files, not sent"
fi

say "serving"
exec target/release/yighin "$@"
