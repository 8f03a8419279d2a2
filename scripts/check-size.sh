#!/usr/bin/env bash
# Fails when the package's wasm (after wasm-opt) plus its JS glue exceeds the gzip budget.
# Usage: scripts/check-size.sh [pkg-dir] ; budget override: VIPPS_AUTH_SIZE_BUDGET (bytes)
set -euo pipefail
pkg="${1:-$(cd "$(dirname "$0")/.." && pwd)/pkg}"
# The ceiling enforced now is the measured size plus a small margin, so the package cannot
# grow unnoticed; the target is 40960 B (40 KB). Lower this as the package shrinks.
target=40960
budget="${VIPPS_AUTH_SIZE_BUDGET:-64400}"
wasm=$(gzip -9c "$pkg/vipps_auth_bg.wasm" | wc -c)
glue=$(gzip -9c "$pkg/vipps_auth.js" | wc -c)
total=$((wasm + glue))
raw=$(wc -c <"$pkg/vipps_auth_bg.wasm")
echo "size: wasm ${raw} B raw, ${wasm} B gzip; JS glue ${glue} B gzip; total ${total} B gzip (ceiling ${budget} B, target ${target} B)"
if [ "$total" -gt "$budget" ]; then
  echo; echo "size: OVER BUDGET by $((total - budget)) B" >&2
  exit 1
fi
