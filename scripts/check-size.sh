#!/usr/bin/env bash
# Fails when what a browser downloads, gzip -9 per file, exceeds the budget: the browser entry
# vipps_auth.js (hand-written js/ + wasm-bindgen glue) plus the wasm (after wasm-opt). The Node
# and Workers entries (vipps_auth.node.js, .node.cjs, .workerd.js) never reach a browser: their
# sizes are printed, not counted.
# Usage: scripts/check-size.sh [pkg-dir] ; budget override: VIPPS_AUTH_SIZE_BUDGET (bytes)
set -euo pipefail
pkg="${1:-$(cd "$(dirname "$0")/.." && pwd)/pkg}"
# The budget is the target, 40960 B (40 KB gzip): the package may not grow past it unnoticed.
# BENCHMARKS.md ("Browser package size") records each step's figures.
target=40960
budget="${VIPPS_AUTH_SIZE_BUDGET:-$target}"
total=0
parts=""
for f in "$pkg"/vipps_auth.js "$pkg"/vipps_auth_bg.wasm; do
  [ -e "$f" ] || continue
  gz=$(gzip -9c "$f" | wc -c)
  total=$((total + gz))
  parts="$parts $(basename "$f") $(wc -c <"$f") B raw, $gz B gzip;"
done
echo "size:$parts total ${total} B gzip (ceiling ${budget} B, target ${target} B)"
others=""
for f in "$pkg"/vipps_auth.node.js "$pkg"/vipps_auth.node.cjs "$pkg"/vipps_auth.workerd.js; do
  [ -e "$f" ] && others="$others $(basename "$f") $(wc -c <"$f") B raw, $(gzip -9c "$f" | wc -c) B gzip;"
done
[ -z "$others" ] || echo "size (not downloaded by browsers):$others"
if [ "$total" -gt "$budget" ]; then
  echo; echo "size: OVER BUDGET by $((total - budget)) B" >&2
  exit 1
fi
