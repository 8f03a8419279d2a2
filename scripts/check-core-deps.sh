#!/usr/bin/env bash
# The core crate `vipps-auth` has nothing of the JS world in its dependency tree on wasm32:
# no wasm-bindgen, js-sys, web-sys, and no getrandom (whose wasm_js backend is JS): the npm
# package's wasm (npm-wasm/) and the worker (worker/) bring those themselves. Fails, naming
# the crate, when one appears; prints the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=$(cargo tree -p vipps-auth --target wasm32-unknown-unknown -e normal,build --prefix none --format '{p}')
printf '%s\n' "$tree"
if found=$(grep -E '^(wasm-bindgen|js-sys|web-sys|getrandom)( |-)' <<<"$tree"); then
  printf '\ncore dependencies: the JS world reached the core: %s\n' "$found" >&2
  exit 1
fi
echo "core dependencies: nothing of the JS world"
