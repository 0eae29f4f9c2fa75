# Installs what building and testing Yighin needs, skipping whatever is
# already there at the right version. Sourced by run.sh and test.sh.

CARGO_LEPTOS_VERSION=0.3.10
# Must equal the `wasm-bindgen` version pinned in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130

say() { printf '\n== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_build_tools() {
  export PATH="$HOME/.cargo/bin:$PATH"
  command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (takes a while, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  command -v npm >/dev/null || { say "installing Node.js and npm"; as_root apt-get update -q; as_root apt-get install -y -q nodejs npm; }
  # wasm-opt (binaryen) for release builds and Playwright for tests, pinned by
  # end2end/package-lock.json.
  if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing npm packages of end2end/"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
  export PATH="$PWD/end2end/node_modules/.bin:$PATH"
}

ensure_test_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v curl >/dev/null || missing+=(curl)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  # The deployment examples in deploy/ are checked by the programs that
  # read them.
  command -v systemd-analyze >/dev/null || missing+=(systemd)
  command -v caddy >/dev/null || missing+=(caddy)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v tor >/dev/null || missing+=(tor)
  # A real SMTP server on loopback for the mail tests (Debian's Python).
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
  # An independent reader of the QR codes Yighin draws: rendered to PNG,
  # then decoded.
  command -v rsvg-convert >/dev/null || missing+=(librsvg2-bin)
  command -v zbarimg >/dev/null || missing+=(zbar-tools)
  # Reads back the flyer the browser tests print to PDF.
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  # Makes the test photos (GPS, maker notes, XMP, a thumbnail) and reads
  # the posters made of them, independently of the Rust image crates.
  /usr/bin/python3 -c 'import PIL' 2>/dev/null || missing+=(python3-pil)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    as_root apt-get update -q
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "${missing[@]}"
  fi
}

# What the benchmark runs besides Yighin (not the tests): Lighthouse, the
# Chromium it drives, and the feed writers ours is compared with (Node's
# ical-generator, Python's icalendar), pinned in bench/tools/.
ensure_bench_tools() {
  ensure_test_packages
  if [ ! -x bench/tools/node_modules/.bin/lighthouse ] || [ bench/tools/package-lock.json -nt bench/tools/node_modules/.package-lock.json ]; then
    say "installing the benchmark's npm packages (bench/tools/)"
    (cd bench/tools && npm ci --no-audit --no-fund)
  fi
  if [ ! -x bench/tools/.venv/bin/python ] || [ bench/tools/requirements.txt -nt bench/tools/.venv/installed ]; then
    say "installing the benchmark's Python packages (bench/tools/.venv)"
    python3 -m venv bench/tools/.venv || { as_root apt-get update -q; as_root apt-get install -y -q python3-venv; python3 -m venv bench/tools/.venv; }
    bench/tools/.venv/bin/pip install -q -r bench/tools/requirements.txt
    touch bench/tools/.venv/installed
  fi
}
