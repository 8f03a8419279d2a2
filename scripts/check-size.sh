#!/usr/bin/env bash
# Fails when the package's shipped code, gzip -9 per file, exceeds the budget: every .js
# file (the bundled entry: hand-written js/ + wasm-bindgen glue) plus the wasm (after wasm-opt).
# Usage: scripts/check-size.sh [pkg-dir] ; budget override: VIPPS_AUTH_SIZE_BUDGET (bytes)
set -euo pipefail
pkg="${1:-$(cd "$(dirname "$0")/.." && pwd)/pkg}"
# The budget is the target, 40960 B (40 KB gzip): the package may not grow past it unnoticed.
# BENCHMARKS.md ("Browser package size") records each step's figures.
target=40960
budget="${VIPPS_AUTH_SIZE_BUDGET:-$target}"
total=0
parts=""
for f in "$pkg"/*.js "$pkg"/*.wasm; do
  [ -e "$f" ] || continue
  gz=$(gzip -9c "$f" | wc -c)
  total=$((total + gz))
  parts="$parts $(basename "$f") $(wc -c <"$f") B raw, $gz B gzip;"
done
echo "size:$parts total ${total} B gzip (ceiling ${budget} B, target ${target} B)"
if [ "$total" -gt "$budget" ]; then
  echo; echo "size: OVER BUDGET by $((total - budget)) B" >&2
  exit 1
fi
