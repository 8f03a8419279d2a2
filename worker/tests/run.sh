#!/usr/bin/env bash
# The worker's test suite, in workerd against the local Vipps emulator:
#   1. builds the worker (worker-build --release) and the emulator,
#   2. starts the emulator on a free port,
#   3. runs tests/worker.test.mjs under Node 22 (node --test), which drives the built worker
#      in miniflare (workerd) with Durable Objects,
#   4. checks that `wrangler deploy --dry-run` builds the worker.
# Every process it starts is stopped on success and on failure. Needs no network beyond
# the npm registry on first run (npm ci).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"   # worker/
root="$(cd "$here/.." && pwd)"
cd "$here"

export WRANGLER_SEND_METRICS=false
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/vipps-worker-test.XXXXXX")"
emulator_pid=""

cleanup() {
  local status=$?
  if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '\n== %s\n' "$*"; }

# --- tools ----------------------------------------------------------------------------
if [[ ! -x node_modules/.bin/node || ! -x node_modules/.bin/wrangler ]]; then
  log "npm ci (Node 22, wrangler, miniflare, wasm-opt)"
  npm ci --no-audit --no-fund
fi
bin="$here/node_modules/.bin"
node="$bin/node"
export PATH="$bin:$HOME/.cargo/bin:$PATH"
export WASM_BINDGEN_BIN="${WASM_BINDGEN_BIN:-$(command -v wasm-bindgen)}"
export WASM_OPT_BIN="${WASM_OPT_BIN:-$bin/wasm-opt}"
export ESBUILD_BIN="${ESBUILD_BIN:-$here/node_modules/@esbuild/linux-x64/bin/esbuild}"
command -v worker-build >/dev/null || { echo "worker-build is missing: cargo install worker-build --version 0.8.7 --locked" >&2; exit 1; }

# --- build ----------------------------------------------------------------------------
log "worker-build --release"
worker-build --release
log "build the emulator"
cargo build -q -p vipps-emulator
emulator_bin="$CARGO_TARGET_DIR/debug/vipps-emulator"

wasm="$here/build/index_bg.wasm"
printf 'worker bundle: %s bytes wasm, %s bytes gzip; index.js %s bytes\n' \
  "$(wc -c <"$wasm")" "$(gzip -9 -c "$wasm" | wc -c)" "$(wc -c <"$here/build/index.js")"

# --- emulator -------------------------------------------------------------------------
log "start the emulator"
# Access Token API tokens live 70 s, so one is due for refresh (under 60 s left) after 10 s.
EMULATOR_TOKEN_LIFETIME=70 EMULATOR_KEY_GRACE_SECONDS=0 \
  "$emulator_bin" --port 0 >"$tmp/emulator.out" 2>"$tmp/emulator.err" &
emulator_pid=$!
emulator_url=""
for _ in $(seq 1 100); do
  emulator_url="$(sed -n 's/^vipps-emulator listening on \(http[^ ]*\).*/\1/p' "$tmp/emulator.out" | head -n1)"
  [[ -n "$emulator_url" ]] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$tmp/emulator.err" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$emulator_url" ]] || { echo "the emulator did not start" >&2; exit 1; }
echo "emulator at $emulator_url"

# --- tests ----------------------------------------------------------------------------
log "node --test tests/worker.test.mjs (miniflare / workerd)"
EMULATOR_URL="$emulator_url" WORKER_TEST_TMP="$tmp" \
  "$node" --test --test-concurrency=1 --test-reporter=spec tests/worker.test.mjs

# --- deploy dry run -------------------------------------------------------------------
log "wrangler deploy --dry-run"
"$bin/wrangler" deploy --dry-run --outdir "$tmp/dry-run" >"$tmp/dry-run.log" 2>&1 \
  || { cat "$tmp/dry-run.log" >&2; exit 1; }
ls "$tmp/dry-run" >/dev/null
grep -E "Total Upload|gzip" "$tmp/dry-run.log" || true

log "worker tests passed"
