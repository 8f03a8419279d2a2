#!/usr/bin/env bash
# Builds the npm package of vipps-auth into pkg/:
#   1. wasm-pack build --release --target web of npm-wasm/ (the package's wasm: its operations
#      over the core, one export) into a temp dir (wasm-opt from npm binaryen 132, never
#      Debian's): the wasm and its glue, whose `call` declaration must be the one js/ is
#      type-checked against (js/vipps-auth-wasm.d.ts);
#   2. npm esbuild bundles the hand-written entry module js/index.js (the public API: option
#      objects, promises, fetch, crypto.subtle) with that glue into one vipps_auth.js, fully
#      minified (--keep-names cost 530 B gzip; `KeySet.name` is the class's own static
#      field, and errors are told apart by `name` "VippsAuthError" and `code`);
#   3. the hand-written pkg-template/ (package.json fields and `exports`, README, vipps_auth.d.ts,
#      the Node and Workers entries, which import vipps_auth.js and initialize it) is merged in;
#   4. vipps_auth.node.cjs, for `require` in Node, is generated from vipps_auth.node.js by
#      esbuild (one CommonJS file: the browser build and the Node entry's initialization), so
#      the entry code exists once. tests/node/entries.test.mjs checks that both agree.
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
glue="$(mktemp -d)"
trap 'rm -rf "$glue"' EXIT

wasm-pack --quiet build --release --target web --mode no-install --out-dir "$glue" --out-name vipps_auth npm-wasm >/dev/null
declared="$(grep -o 'export function call(.*;' "$glue/vipps_auth.d.ts")"
if ! grep -qF "$declared" js/vipps-auth-wasm.d.ts; then
  echo "build-pkg: wasm-bindgen declares \`$declared\`; js/vipps-auth-wasm.d.ts does not" >&2
  exit 1
fi

mkdir -p "$out"
# The glue loads `new URL("vipps_auth_bg.wasm", import.meta.url)`: the bundle sits beside it.
node_modules/.bin/esbuild js/index.js --bundle --format=esm --platform=neutral --minify \
  --alias:vipps-auth-wasm="$glue/vipps_auth.js" --legal-comments=none --log-level=warning --outfile="$out/vipps_auth.js"
cp "$glue/vipps_auth_bg.wasm" "$out/"

node - "$out" "$root/pkg-template" "$glue" <<'JS'
const fs = require("fs"), path = require("path");
const [out, tpl, glue] = process.argv.slice(2);
const generated = JSON.parse(fs.readFileSync(path.join(glue, "package.json"), "utf8"));
const template = JSON.parse(fs.readFileSync(path.join(tpl, "package.json"), "utf8"));
const merged = { ...template, version: generated.version };
fs.writeFileSync(path.join(out, "package.json"), JSON.stringify(merged, null, 2) + "\n");
for (const f of fs.readdirSync(tpl)) {
  if (f !== "package.json") fs.copyFileSync(path.join(tpl, f), path.join(out, f));
}
JS
# import.meta.url has no CommonJS form: the file's own URL, from __filename.
node_modules/.bin/esbuild "$out/vipps_auth.node.js" --bundle --format=cjs --platform=node --minify \
  --define:import.meta.url=__vipps_auth_url --banner:js='var __vipps_auth_url=require("url").pathToFileURL(__filename).href;' \
  --legal-comments=none --log-level=warning --outfile="$out/vipps_auth.node.cjs"
node -e '
const fs = require("fs"), path = require("path"), out = process.argv[1];
for (const f of JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8")).files) {
  if (!fs.existsSync(path.join(out, f))) { console.error(`build-pkg: ${f} is listed in files but missing`); process.exit(1); }
}' "$out"
echo "built $out"
