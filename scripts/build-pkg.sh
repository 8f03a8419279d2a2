#!/usr/bin/env bash
# Builds the npm package of vipps-auth into pkg/:
#   wasm-pack build --release --target web (wasm-opt from npm binaryen 132, never Debian's),
#   then minifies the JS glue with npm esbuild (whitespace and syntax only, names are kept),
#   then merges the hand-written pkg-template/ (package.json fields, README) into it.
# Usage: scripts/build-pkg.sh [out-dir]   (default: pkg)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/pkg}"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/esbuild ]; then
  npm ci --no-audit --no-fund >/dev/null
fi
# npm's wasm-opt first on PATH: Debian's binaryen (108) produces modules that fail to load.
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# -p vipps-auth only: building together with the worker would unify features.
wasm-pack --quiet build --release --target web --mode no-install --out-dir "$out" --out-name vipps_auth . -- -p vipps-auth >/dev/null

# The glue's JSDoc duplicates the .d.ts (where editors read it) and is a third of its gzip
# size: minify whitespace and syntax only, so identifiers (KeySet, stack traces) stay readable.
node_modules/.bin/esbuild "$out/vipps_auth.js" --format=esm --minify-whitespace --minify-syntax \
  --legal-comments=none --log-level=warning --allow-overwrite --outfile="$out/vipps_auth.js"

node - "$out" "$root/pkg-template" <<'JS'
const fs = require("fs"), path = require("path");
const [out, tpl] = process.argv.slice(2);
const generated = JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8"));
const template = JSON.parse(fs.readFileSync(path.join(tpl, "package.json"), "utf8"));
const merged = { ...template, version: generated.version };
fs.writeFileSync(path.join(out, "package.json"), JSON.stringify(merged, null, 2) + "\n");
for (const f of fs.readdirSync(tpl)) {
  if (f !== "package.json") fs.copyFileSync(path.join(tpl, f), path.join(out, f));
}
fs.rmSync(path.join(out, ".gitignore"), { force: true });
for (const f of merged.files) {
  if (!fs.existsSync(path.join(out, f))) { console.error(`build-pkg: ${f} is listed in files but missing`); process.exit(1); }
}
JS
echo "built $out"
