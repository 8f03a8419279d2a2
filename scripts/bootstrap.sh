#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need, idempotently: each step is
# skipped when what it installs is already there at the right version. Safe to run often.
# Facts behind each step: ../shared/TOOLCHAIN.md (when present) and docs/toolchain.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[bootstrap] %s\n' "$*"; }

# The exact wasm-bindgen version in Cargo.lock: the CLI must match the crate to the patch.
locked_version() {
  awk -v name="$1" '$1 == "name" && $3 == "\"" name "\"" { getline; gsub(/"/, "", $3); print $3; exit }' "$root/Cargo.lock"
}

cargo_tool() { # binary, crate, version, extra cargo-install flags...
  local bin=$1 crate=$2 version=$3
  shift 3
  if command -v "$bin" >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -qF "$version"; then
    say "$crate $version: present"
  else
    say "$crate $version: installing (a few minutes)"
    cargo install "$crate" --version "$version" "$@"
  fi
}

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown: present"
else
  rustup target add wasm32-unknown-unknown
fi

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  say "chromium + chromedriver: present"
else
  say "chromium + chromedriver: installing"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null
fi

wbg=$(locked_version wasm-bindgen)
# Not --locked: the CLI's own lockfile pins a crate version the registry index lacks (TOOLCHAIN.md).
cargo_tool wasm-bindgen wasm-bindgen-cli "$wbg"
cargo_tool wasm-pack wasm-pack 0.15.1 --locked
cargo_tool worker-build worker-build 0.8.7 --locked
# Fuzzing (scripts/fuzz.sh) runs cargo-fuzz on the nightly toolchain.
if rustup toolchain list | grep -q '^nightly'; then
  say "nightly toolchain: present"
else
  rustup toolchain install nightly --profile minimal
fi
if cargo fuzz --version >/dev/null 2>&1; then
  say "cargo-fuzz: present"
else
  say "cargo-fuzz 0.13.2: installing (a few minutes)"
  cargo install cargo-fuzz --version 0.13.2 --locked
fi

npm_install() { # dir
  local dir=$1
  [ -f "$dir/package.json" ] || return 0
  if [ -d "$dir/node_modules" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    say "npm packages in ${dir#"$root"/}: present"
  else
    say "npm packages in ${dir#"$root"/}: installing"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_install "$root"
npm_install "$root/worker"
say "done"
