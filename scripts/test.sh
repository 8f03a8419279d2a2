#!/usr/bin/env bash
# Every test suite of the project, in order; stops at the first failing stage and names it.
# Called by `make test` (the README's test command) and so by CI's .ci/run.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

vectors=${VIPPS_AUTH_VECTORS:-$root/../shared/vectors}
if [ -d "$vectors" ]; then
  export VIPPS_AUTH_VECTORS=$(cd "$vectors" && pwd)
else
  printf '\n!!! SKIPPED: the test vectors were not found at %s (set VIPPS_AUTH_VECTORS);\n!!! the Wycheproof and RFC vector suites will say so and skip.\n\n' "$vectors"
fi

passed=0
stage() { # name, command...
  local name=$1
  shift
  printf '\n==> %s\n' "$name"
  if "$@"; then
    passed=$((passed + 1))
  else
    printf '\n==> FAILED: %s\n' "$name"
    printf 'stages: %d passed, 1 failed\n' "$passed"
    exit 1
  fi
}

stage "bootstrap (installs what is missing)" scripts/bootstrap.sh
stage "rustfmt (every crate)" cargo fmt --all --check
stage "rustfmt (fuzz targets)" cargo fmt --manifest-path fuzz/Cargo.toml --check
stage "host tests: core, npm package operations, emulator" cargo test --workspace --exclude vipps-auth-worker
stage "core dependencies: nothing of the JS world on wasm32" scripts/check-core-deps.sh
stage "clippy (host)" cargo clippy --workspace --exclude vipps-auth-worker --all-targets -- -D warnings
stage "clippy (wasm32, core)" cargo clippy --target wasm32-unknown-unknown -p vipps-auth --lib -- -D warnings
# The package's wasm apart from its tests: a test build links wasm-bindgen-test's std, which
# the package's no_std build (with its own panic handler) must not meet.
stage "clippy (wasm32, npm package build)" cargo clippy --target wasm32-unknown-unknown -p vipps-auth-wasm --lib -- -D warnings
stage "clippy (wasm32, wasm-bindgen tests)" cargo clippy --target wasm32-unknown-unknown -p vipps-auth-wasm -p vipps-auth-browser-tests --tests -- -D warnings
stage "clippy (wasm32, worker)" cargo clippy --target wasm32-unknown-unknown -p vipps-auth-worker --all-targets -- -D warnings
stage "JS entry type-checked (tsc --checkJs)" node_modules/.bin/tsc -p js/tsconfig.json
stage "fuzzing the parsers (${FUZZ_SECONDS:-30} s per target)" scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
stage "browser package: Chromium, Node, types, size" scripts/test-browser.sh
stage "packed package where users run it: Vite, webpack, esbuild, Rollup, Node, SSR, Worker, CSP, tsc" scripts/test-package.sh
stage "worker in workerd against the emulator" worker/tests/run.sh
stage "end to end: the demo in headless Chromium" tests/e2e/run.sh
printf 'stages: %d passed, 0 failed\n' "$passed"
