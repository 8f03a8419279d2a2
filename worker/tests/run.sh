#!/usr/bin/env bash
# The worker's test suite, in workerd against the local Vipps emulator:
#   0. runs the crate's host unit tests,
#   1. builds the worker (worker-build --release) and the emulator,
#   2. starts two emulators on free ports (one set to client_secret_post),
#   3. runs tests/worker.test.mjs under Node 22 (node --test), which drives the built worker
#      in miniflare (workerd) with the Durable Objects and rate limits wrangler.toml declares,
#      then tests/login-session.test.mjs (logins bound to the starting browser, their attacks,
#      concurrency, faults, rate limits), then tests/hardening.test.mjs (service bindings,
#      upstream faults under traffic, a secret-leak sweep) against a third emulator whose
#      credentials are marker strings,
#      tests/ciba.test.mjs (merchant-initiated login) against two more emulators,
#      and tests/partner-login.test.mjs (partner login) against one with partner keys on,
#   4. checks that `wrangler deploy --dry-run` builds the worker.
# Every process it starts is stopped on success and on failure (scripts/stack.sh, which the
# demo and the end-to-end tests start their processes with too). Needs no network beyond
# the npm registry on first run (npm ci).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"   # worker/
root="$(cd "$here/.." && pwd)"
source "$root/scripts/stack.sh"
trap stack_stop EXIT
trap 'exit 130' INT TERM
cd "$here"
tmp="$stack_tmp"

log() { printf '\n== %s\n' "$*"; }

# --- tools ----------------------------------------------------------------------------
if [[ ! -x node_modules/.bin/node || ! -x node_modules/.bin/wrangler ]]; then
  log "npm ci (Node 22, wrangler, miniflare, wasm-opt)"
  npm ci --no-audit --no-fund
fi
bin="$here/node_modules/.bin"
node="$bin/node"
export PATH="$bin:$PATH"
stack_worker_env
command -v worker-build >/dev/null || { echo "worker-build is missing: cargo install worker-build --version 0.8.7 --locked" >&2; exit 1; }

# --- host unit tests -----------------------------------------------------------------
log "cargo test -p vipps-auth-worker (host)"
cargo test -q -p vipps-auth-worker

# --- build ----------------------------------------------------------------------------
log "worker-build --release"
worker-build --release
log "build the emulator"
cargo build -q -p vipps-emulator

wasm="$here/build/index_bg.wasm"
printf 'worker bundle: %s bytes wasm, %s bytes gzip; index.js %s bytes\n' \
  "$(wc -c <"$wasm")" "$(gzip -9 -c "$wasm" | wc -c)" "$(wc -c <"$here/build/index.js")"

# --- emulators ------------------------------------------------------------------------
# start_emulator NAME [VAR=value ...]: starts one on a free port, sets url_NAME.
start_emulator() {
  local name="$1"; shift
  stack_emulator "$name" 0 "$@"
  printf -v "url_$name" '%s' "$stack_url"
  echo "emulator $name at $stack_url"
}
log "start the emulators"
# Access Token API tokens live 70 s, so one is due for refresh (under 60 s left) after 10 s.
start_emulator main EMULATOR_TOKEN_LIFETIME=70 EMULATOR_KEY_GRACE_SECONDS=0
# A sales unit set to client_secret_post.
start_emulator post LOGIN_TOKEN_AUTH=client_secret_post
# The hardening tests' emulator: every secret is a unique marker string that no answer and no
# log line may contain.
export MARK_CLIENT_SECRET="MARKER-client-secret-0f5e2a9d71"
export MARK_SUBSCRIPTION_KEY="MARKER-subscription-key-8b3c6e4f20"
export MARK_API_KEY="MARKER-worker-api-key-d94a17c35e"
export MARK_MIAMI_SECRET="MARKER-miami-secret-27e8f0b6a3"
export MARK_MIAMI_CLIENT_ID="marker-miami-client-id"
start_emulator hardening VIPPS_CLIENT_SECRET="$MARK_CLIENT_SECRET" VIPPS_SUBSCRIPTION_KEY="$MARK_SUBSCRIPTION_KEY" \
  MIAMI_CLIENT_ID="$MARK_MIAMI_CLIENT_ID" MIAMI_CLIENT_SECRET="$MARK_MIAMI_SECRET"
# Merchant-initiated login: polls every 2 s, partner keys on for two merchants; and one whose
# logins expire after 4 s.
start_emulator ciba EMULATOR_CIBA_INTERVAL=2 LOGIN_PARTNER_MSNS=123456,654321
start_emulator ciba_short EMULATOR_CIBA_INTERVAL=1 EMULATOR_CIBA_EXPIRES_IN=4
# Partner login: partner keys on for two merchants.
start_emulator partner LOGIN_PARTNER_MSNS=123456,654321

# --- tests ----------------------------------------------------------------------------
log "node --test tests/worker.test.mjs (miniflare / workerd)"
EMULATOR_URL="$url_main" EMULATOR_POST_URL="$url_post" WORKER_TEST_TMP="$tmp" \
  "$node" --test --test-concurrency=1 --test-reporter=spec tests/worker.test.mjs 2>&1 | tee "$tmp/node-test.log"
log "node --test tests/login-session.test.mjs (bound sessions, attacks, rate limits)"
EMULATOR_URL="$url_main" WORKER_TEST_TMP="$tmp" \
  "$node" --test --test-concurrency=1 --test-reporter=spec tests/login-session.test.mjs 2>&1 | tee -a "$tmp/node-test.log"
log "node --test tests/hardening.test.mjs (service bindings, faults under traffic, secret sweep)"
HARDENING_EMULATOR_URL="$url_hardening" WORKER_TEST_TMP="$tmp" \
  "$node" --test --test-concurrency=1 --test-reporter=spec tests/hardening.test.mjs 2>&1 | tee -a "$tmp/node-test.log"
log "node --test tests/ciba.test.mjs (merchant-initiated login)"
CIBA_EMULATOR_URL="$url_ciba" CIBA_SHORT_EMULATOR_URL="$url_ciba_short" WORKER_TEST_TMP="$tmp" \
  "$node" --test --test-concurrency=1 --test-reporter=spec tests/ciba.test.mjs 2>&1 | tee -a "$tmp/node-test.log"
log "node --test tests/partner-login.test.mjs (partner login)"
PARTNER_EMULATOR_URL="$url_partner" WORKER_TEST_TMP="$tmp" \
  "$node" --test --test-concurrency=1 --test-reporter=spec tests/partner-login.test.mjs 2>&1 | tee -a "$tmp/node-test.log"
# workerd's console output (the worker's logs) is part of that output: no secret may show.
if grep -F -e emulator-client-secret -e emulator-subscription-key -e test-worker-api-key \
  -e "$MARK_CLIENT_SECRET" -e "$MARK_SUBSCRIPTION_KEY" -e "$MARK_API_KEY" -e "$MARK_MIAMI_SECRET" \
  "$tmp/node-test.log"; then
  echo "a secret appeared in the worker's output" >&2
  exit 1
fi

# --- deploy dry run -------------------------------------------------------------------
log "wrangler deploy --dry-run"
"$bin/wrangler" deploy --dry-run --outdir "$tmp/dry-run" >"$tmp/dry-run.log" 2>&1 \
  || { cat "$tmp/dry-run.log" >&2; exit 1; }
ls "$tmp/dry-run" >/dev/null
grep -E "Total Upload|gzip" "$tmp/dry-run.log" || true

log "worker tests passed"
