#!/usr/bin/env bash
# Every suite of the browser package; exits non-zero on any failure.
#   1. wasm-bindgen-test suites (the npm package's operations, npm-wasm/, and Wycheproof RSA
#      through the worker's Rust WebCrypto layer, tests/browser) in headless Chromium
#   2. the same suites under Node
#   3. the package build (wasm-pack --target web + wasm-opt from npm binaryen, esbuild bundle
#      of js/) and its size budget
#   4. the Node suites over the built package: tests/node (the async API, JWKS rotation /
#      cooldown / single flight / timeout, discovery) and tests/vectors (Wycheproof RSA, JWS
#      and JWK-set vectors through the package)
#   5. tsc --noEmit over tests/types/example.ts against the package's .d.ts
#   6. tests/browser-smoke (index.html, and the Wycheproof vectors page) in headless Chromium
#      (playwright-core)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
step() { printf '\n== %s\n' "$*"; }

[ -x node_modules/.bin/wasm-opt ] && [ -x node_modules/.bin/esbuild ] && [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund

step "wasm-bindgen-test in headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 WASM_BINDGEN_TEST_WEBDRIVER_JSON="$root/webdriver.json" CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  cargo test --target wasm32-unknown-unknown -p vipps-auth-wasm -p vipps-auth-browser-tests

step "wasm-bindgen-test under Node"
cargo test --target wasm32-unknown-unknown -p vipps-auth-wasm -p vipps-auth-browser-tests

step "build the npm package"
scripts/build-pkg.sh "$root/pkg"
# The size budget is checked now but reported last, so every other suite still runs.
size_ok=1
scripts/check-size.sh "$root/pkg" || size_ok=0

step "Node suites over the built package"
VIPPS_AUTH_PKG="$root/pkg" node --test tests/node/ tests/vectors/

step "TypeScript declarations (tsc --noEmit)"
tsc -p tests/types/tsconfig.json
echo "tsc: ok"

step "browser smoke page and vectors in headless Chromium"
VIPPS_AUTH_PKG="$root/pkg" node tests/browser-smoke/run.mjs

if [ "$size_ok" = 0 ]; then
  step "FAILED: the package is over its gzip size budget (see the size line above)"
  exit 1
fi
step "all browser-package suites passed"
