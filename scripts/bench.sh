#!/usr/bin/env bash
# make bench: vipps-auth against what a user would pick instead (jose, oauth4webapi), in one run:
#   1. size: the browser package and the worker bundle beside esbuild bundles of jose and
#      oauth4webapi (bench/size.mjs, entries in bench/entries/),
#   2. speed in headless Chromium, one page: the same RS256 tokens and keys through both
#      (bench/browser.mjs + bench/page.js), plus cold start,
#   3. the worker under load: wrangler dev (workerd) against the local emulator, wrk at 1, 10
#      and 100 connections on the cached POST /accesstoken, and the emulator's count of
#      upstream token calls.
# Then regenerates the section "Benchmarks against jose and oauth4webapi" of BENCHMARKS.md and
# prints it. Loopback only; every process it starts is stopped on exit. Bounded: about 2-3
# minutes once the tools are installed and the builds are warm (about 5 from cold builds);
# BENCH_LOAD_SECONDS (default 10) per load run, BENCH_* of bench/browser.mjs for the page.
# Benchmarks are not tests: nothing here asserts a timing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
started=$(date +%s)
say() { printf '[bench %3ds] %s\n' "$(($(date +%s) - started))" "$*" >&2; }

"$root/scripts/bootstrap.sh" >&2

# wrk, the load generator (Debian package), installed only when missing.
if ! command -v wrk >/dev/null 2>&1; then
  say "installing wrk"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi
# jose, oauth4webapi and esbuild at the exact versions of bench/package-lock.json.
if [ ! -d bench/node_modules ] || [ ! bench/node_modules/.package-lock.json -nt bench/package-lock.json ]; then
  say "npm ci in bench/"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

# The stack (emulator, wrangler dev, static server) on free ports, with none of the caller's
# settings; stack.sh stops its processes in stack_stop.
unset VIPPS_BASE_URL VIPPS_ENV LOGIN_REDIRECT_URIS ALLOWED_ORIGINS DEMO_VIPPS
source "$root/scripts/stack.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/vipps-bench.XXXXXX")
cleanup() {
  stack_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
results="$work/results"
mkdir -p "$results"

# Machine and versions, before anything loads the cores.
node - "$results/meta.json" <<JS
const fs = require("fs"), os = require("os");
const ver = (p) => { try { return JSON.parse(fs.readFileSync(p, "utf8")).version; } catch { return "?"; } };
const cpu = (fs.readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.*)$/m) || [, "unknown CPU"])[1];
fs.writeFileSync(process.argv[2], JSON.stringify({
  date: new Date().toISOString().slice(0, 10),
  command: "make bench",
  git: "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)",
  nproc: "$(nproc)",
  cpu,
  loadavg: os.loadavg().map((x) => x.toFixed(1)).join(" "),
  node: process.version,
  rustc: "$(rustc --version | cut -d' ' -f1-2)",
  wrk: "$( (wrk -v 2>&1 || true) | head -n1 | awk '{print $2}')",
  wrangler: ver("$root/worker/node_modules/wrangler/package.json"),
  jose: ver("$root/bench/node_modules/jose/package.json"),
  oauth4webapi: ver("$root/bench/node_modules/oauth4webapi/package.json"),
  esbuild: ver("$root/bench/node_modules/esbuild/package.json"),
}, null, 2));
JS

say "building the browser package"
"$root/scripts/build-pkg.sh" "$work/pkg" >&2
say "building the emulator"
cargo build -q -p vipps-emulator

# 2. Speed in Chromium first, while nothing else of ours runs.
say "speed in headless Chromium (about a minute)"
timeout 300 node bench/browser.mjs "$work/pkg" "$results/browser.json"

# 3. The worker under load. stack_start builds the worker (worker-build --release, through
# wrangler's [build] command) before serving it.
EMULATOR_PORT=$(stack_free_port)
WORKER_PORT=$(stack_free_port)
WWW_PORT=$(stack_free_port)
export WORKER_API_KEY=${WORKER_API_KEY:-demo-worker-api-key}
stack_start

# 1. Sizes: the worker bundle is the one wrangler dev just built.
say "sizes"
node bench/size.mjs "$work/pkg" "$root/worker/build" "$results/size.json"

say "priming the token cache"
prime=$(curl -fsS -X POST -H "Authorization: Bearer $WORKER_API_KEY" "$WORKER_URL/accesstoken")
grep -q '"accessToken"' <<<"$prime" || { say "POST /accesstoken did not answer a token: $prime"; exit 1; }
seconds=${BENCH_LOAD_SECONDS:-10}
baseline_seconds=$(( (seconds + 1) / 2 ))
runs=()
for c in 1 10 100; do
  say "wrk: POST /accesstoken, $c connection(s), ${seconds} s"
  line=$(wrk -t1 -c"$c" -d"${seconds}s" --timeout 5s -s bench/accesstoken.lua "$WORKER_URL/accesstoken" | tail -n 1)
  runs+=("{\"route\":\"POST /accesstoken\",\"connections\":$c,${line#\{}")
  # The baseline: the cheapest route (no Durable Object, no upstream), i.e. what wrangler dev
  # and workerd cost by themselves on this machine.
  say "wrk: GET /healthz (baseline), $c connection(s), ${baseline_seconds} s"
  line=$(BENCH_BASELINE=1 wrk -t1 -c"$c" -d"${baseline_seconds}s" --timeout 5s -s bench/accesstoken.lua "$WORKER_URL/healthz" | tail -n 1)
  runs+=("{\"route\":\"GET /healthz\",\"connections\":$c,${line#\{}")
done
stats=$(curl -fsS "$EMULATOR_URL/_emulator/stats")
node -e '
const [out, seconds, stats, ...runs] = process.argv.slice(1);
const upstreamCalls = JSON.parse(stats)["/accesstoken/get"] ?? 0;
require("fs").writeFileSync(out, JSON.stringify({ durationSec: Number(seconds), upstreamCalls, runs: runs.map((r) => JSON.parse(r)) }, null, 2));
' "$results/worker.json" "$seconds" "$stats" "${runs[@]}"
stack_stop

# BENCH_KEEP=<dir>: keep the raw JSON results there (bench/report.mjs can be re-run on them).
if [ -n "${BENCH_KEEP:-}" ]; then mkdir -p "$BENCH_KEEP" && cp "$results"/*.json "$BENCH_KEEP"/; fi
say "writing BENCHMARKS.md"
node bench/report.mjs "$results" "$root/BENCHMARKS.md"
say "done in $(($(date +%s) - started)) s"
