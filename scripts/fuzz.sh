#!/usr/bin/env bash
# Builds and runs every cargo-fuzz target of the core (fuzz/fuzz_targets/*.rs) for a time
# budget each, and prints one line per target: executions, exec/s, coverage, corpus size.
# Exits non-zero when a target crashes (a panic, an input slower than -timeout, more memory
# than -rss_limit_mb), when the build fails, or when cargo-fuzz or nightly is missing.
#
#   scripts/fuzz.sh [seconds-per-target]     default 30
#
# Environment:
#   FUZZ_TARGETS      space-separated subset of targets (default: all)
#   FUZZ_WORK         where the growing corpora, crash artifacts and logs are kept
#                     (default: <target dir>/fuzz-work); seeds come from fuzz/seeds/<target>/
#   CARGO_TARGET_DIR  respected: the fuzz build goes to $CARGO_TARGET_DIR/fuzz
#                     (default fuzz/target, git-ignored)
#
# Built with --sanitizer none (the core is #![forbid(unsafe_code)]: AddressSanitizer would find
# nothing safe Rust does not check already, at about twice the cost) and --debug-assertions
# (overflow checks on, so an arithmetic overflow is a panic, i.e. a crash).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
secs=${1:-30}
case $secs in '' | *[!0-9]*) echo "usage: $0 [seconds-per-target]" >&2; exit 2 ;; esac

say() { printf '[fuzz] %s\n' "$*"; }

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  say "the nightly toolchain is missing; cargo-fuzz needs it: rustup toolchain install nightly --profile minimal" >&2
  exit 3
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "cargo-fuzz is missing: run scripts/bootstrap.sh (cargo install cargo-fuzz --version 0.13.2 --locked)" >&2
  exit 3
fi

base=${CARGO_TARGET_DIR:-$root/fuzz/target}
target_dir=$base/fuzz
work=${FUZZ_WORK:-$base/fuzz-work}
mkdir -p "$work"
all_targets=$(cd "$root/fuzz/fuzz_targets" && ls -- *.rs | sed 's/\.rs$//')
targets=${FUZZ_TARGETS:-$all_targets}
common=(--fuzz-dir "$root/fuzz" --sanitizer none --debug-assertions --target-dir "$target_dir")

# Longest input per target: past each parser's own size limit, so the limit itself is fuzzed.
max_len() {
  case $1 in
    jwt_parse) echo 17408 ;;      # MAX_TOKEN_LEN (16 KiB) + 1 KiB
    callback_parse) echo 9216 ;;  # MAX_CALLBACK_LEN (8 KiB) + 1 KiB
    *) echo 8192 ;;
  esac
}

say "building ($(echo $targets))"
build_log=$work/build.log
if [ -z "${FUZZ_TARGETS:-}" ]; then
  cargo +nightly fuzz build "${common[@]}" >"$build_log" 2>&1 || { cat "$build_log" >&2; say "build failed" >&2; exit 1; }
else
  for t in $targets; do
    cargo +nightly fuzz build "${common[@]}" "$t" >"$build_log" 2>&1 || { cat "$build_log" >&2; say "build of $t failed" >&2; exit 1; }
  done
fi

failed=()
for t in $targets; do
  corpus=$work/corpus/$t
  artifacts=$work/artifacts/$t/
  log=$work/$t.log
  mkdir -p "$corpus" "$artifacts"
  rc=0
  # New inputs go to the first corpus directory; the committed seeds are read only.
  cargo +nightly fuzz run "${common[@]}" "$t" "$corpus" "$root/fuzz/seeds/$t" -- \
    -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
    -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  # libFuzzer's own corpus figure (inputs kept / their total size), from its last status line.
  corp=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2)
  if [ "$rc" -eq 0 ]; then
    status=ok
  else
    status="CRASH (exit $rc; see $log and $artifacts)"
    failed+=("$t")
    grep -m5 -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" | sed 's/^/[fuzz]   /' >&2 || true
  fi
  printf '[fuzz] %-16s %4ss  execs %-10s exec/s %-7s cov %-5s ft %-5s corpus %-11s %s\n' \
    "$t" "$secs" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$status"
done

if [ "${#failed[@]}" -gt 0 ]; then
  say "crashed: ${failed[*]}" >&2
  exit 1
fi
say "no crashes"
