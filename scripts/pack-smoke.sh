#!/usr/bin/env bash
# npm pack of the built package, installed into a fresh temp project that imports it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pkg="${1:-$root/pkg}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$pkg" && npm pack --silent --pack-destination "$tmp" >/dev/null)
tarball="$(ls "$tmp"/vipps-auth-*.tgz)"
echo "pack: $(basename "$tarball") ($(wc -c <"$tarball") B): $(tar tzf "$tarball" | tr '\n' ' ')"
mkdir "$tmp/app"
cd "$tmp/app"
echo '{"name":"app","private":true,"type":"module"}' >package.json
npm install --silent --no-audit --no-fund --offline "$tarball" >/dev/null
cat >main.mjs <<'JS'
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import init, { initSync, endpoints, startLogin, parseCallback, KeySet } from "vipps-auth";
const require = createRequire(import.meta.url);
initSync({ module: readFileSync(require.resolve("vipps-auth/vipps_auth_bg.wasm")) });
const e = endpoints("production");
const l = startLogin({ authorizationEndpoint: e.authorizationEndpoint, clientId: "c", redirectUri: "https://a/cb", scope: "openid" });
if (parseCallback(`https://a/cb?code=c1&state=${l.state}`, l.state).code !== "c1") throw new Error("callback");
if (typeof init !== "function" || typeof KeySet.remote !== "function") throw new Error("exports");
console.log("pack: installed package imports and runs");
JS
node main.mjs
