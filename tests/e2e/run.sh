#!/usr/bin/env bash
# End-to-end: the whole demo stack (emulator, the worker on Miniflare/workerd, www/) on free
# ports, driven by headless Chromium (playwright-core, Debian's /usr/bin/chromium) with several
# browser contexts (other browsers, other people) from node --test, then the demo on a partner's
# worker (LOGIN_PARTNER_MSNS) on a second stack. Screenshots go to
# test-artifacts/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/scripts/stack.sh"
trap stack_stop EXIT
trap 'exit 130' INT TERM

# Tests never touch the demo's default ports or the caller's settings.
unset VIPPS_BASE_URL VIPPS_ENV LOGIN_REDIRECT_URIS ALLOWED_ORIGINS DEMO_VIPPS LOGIN_PARTNER_MSNS LOGIN_SCOPE LOGIN_HANDOFF \
  UPSTREAM_TIMEOUT_MS
EMULATOR_PORT=$(stack_free_port)
WORKER_PORT=$(stack_free_port)
WWW_PORT=$(stack_free_port)
export WORKER_API_KEY=e2e-worker-api-key

# The demo's file server and its merchant backend on their own first (no stack needed).
node --test "$root/tests/e2e/serve-static.test.mjs" "$root/tests/e2e/demo-merchant.test.mjs"

stack_build
stack_start
mkdir -p "$root/test-artifacts"
WWW_URL="$WWW_URL" WORKER_URL="$WORKER_URL" EMULATOR_URL="$EMULATOR_URL" WORKER_API_KEY="$WORKER_API_KEY" \
  WWW_DIR="$root/www" ARTIFACTS="$root/test-artifacts" node --test --test-concurrency=1 --test-timeout=90000 "$root/tests/e2e/demo.test.mjs" "$root/tests/e2e/ciba.test.mjs"

# Partner mode: the same demo on a second stack whose emulator (partner keys) and worker have
# LOGIN_PARTNER_MSNS; the first stack is stopped first (the pages' demo-config.json is shared).
stack_stop
stack_tmp=$(mktemp -d "${TMPDIR:-/tmp}/vipps-auth-stack.XXXXXX")
unset VIPPS_BASE_URL LOGIN_REDIRECT_URIS ALLOWED_ORIGINS
export LOGIN_PARTNER_MSNS=123456,654321
EMULATOR_PORT=$(stack_free_port)
WORKER_PORT=$(stack_free_port)
WWW_PORT=$(stack_free_port)
stack_start
WWW_URL="$WWW_URL" EMULATOR_URL="$EMULATOR_URL" PARTNER_MSN=123456 \
  node --test --test-concurrency=1 --test-timeout=90000 "$root/tests/e2e/partner.test.mjs"
