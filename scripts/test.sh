#!/usr/bin/env bash
# Runs every test: formatting and lints, unit tests, database tests on SQLite
# and on a throwaway PostgreSQL, router tests, and browser tests in Chromium
# with JavaScript on and off.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_build_tools
ensure_test_packages

scratch=$(mktemp -d)
chmod 755 "$scratch"
pg_ctl=""
server_pid=""
smtp_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$smtp_pid" ] && kill "$smtp_pid" 2>/dev/null || true
  [ -n "$pg_ctl" ] && $pg_ctl stop -m fast >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A PostgreSQL server of our own in a temporary folder, on loopback only.
# initdb and postgres refuse to run as root, so as root they run as the
# `postgres` user that Debian's package creates.
start_postgres() {
  local bin port run_as=()
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  port=$(free_port)
  mkdir -p "$scratch/pg"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$scratch/pg"
    run_as=(runuser -u postgres --)
  fi
  "${run_as[@]}" "$bin/initdb" -D "$scratch/pg/data" -A trust -U postgres -E UTF8 >/dev/null
  pg_ctl="${run_as[*]} $bin/pg_ctl -D $scratch/pg/data"
  $pg_ctl -w -l "$scratch/pg/log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $scratch/pg -c fsync=off" start >/dev/null
  export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  export YIGHIN_REQUIRE_POSTGRES=1
}

say "formatting and lints"
cargo fmt --all -- --check
cargo clippy --all-targets -p app --features ssr -- -D warnings
cargo clippy --all-targets -p yighin -- -D warnings
cargo clippy --all-targets -p yighin-bench -- -D warnings
cargo clippy -p frontend --features hydrate --target wasm32-unknown-unknown -- -D warnings
# The optimised browser build that the run command serves lays out types
# the debug build never does (it once passed the recursion limit unseen).
cargo build -p frontend --lib --target wasm32-unknown-unknown --no-default-features \
  --features hydrate --profile wasm-release --target-dir target/front

say "unit, database and router tests (SQLite and PostgreSQL)"
start_postgres
# A hang must fail the run, not use up CI's time.
timeout 1200 cargo test -p app --features ssr
timeout 1200 cargo test -p yighin

say "browser tests (Chromium, JavaScript on and off)"
# The server binary carries the site it was built with: the tests run a
# copy of it alone in a folder, as an install would.
cargo leptos build
cargo clippy -p yighin --features embed-site -- -D warnings
mkdir -p "$scratch/installed"
cp target/debug/yighin "$scratch/installed/yighin"
port=$(free_port)
export DATABASE_URL="sqlite://$scratch/e2e/yighin.db"
# A real SMTP server on loopback takes the emails the browser tests ask for.
mail_port=$(free_port)
/usr/bin/python3 server/tests/smtp_sink.py "$mail_port" "$scratch/mail" > "$scratch/smtp.log" &
smtp_pid=$!
export MAIL_FOLDER="$scratch/mail"
# The organiser flow signs in as this admin (see end2end/tests/organise.spec.ts).
printf '%s\n' 'e2e admin passphrase' | RUST_LOG=warn target/debug/yighin create-admin e2e-admin
(cd "$scratch/installed" && YIGHIN_LISTEN="127.0.0.1:$port" YIGHIN_BASE_URL="http://127.0.0.1:$port" \
  YIGHIN_SMTP_URL="smtp://127.0.0.1:$mail_port" YIGHIN_MAIL_FROM="Yighin tests <events@example.org>" \
  YIGHIN_DEMO=true RUST_LOG=warn exec ./yighin) &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null
(cd end2end && BASE_URL="http://127.0.0.1:$port" timeout 1200 npx playwright test)

say "the benchmark, at a tiny size (it proves the command works; no time is judged)"
cargo build -p yighin-bench
(unset DATABASE_URL; timeout 600 target/debug/yighin-bench --tiny --server target/debug/yighin)
