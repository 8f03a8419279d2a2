#!/usr/bin/env bash
# The main job: the Vipps emulator, the worker and the demo SPA together, on one command.
# Ctrl-C stops all of it. Ports and settings: see scripts/stack.sh and the README.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/bootstrap.sh"
source "$root/scripts/stack.sh"
trap stack_stop EXIT
trap 'exit 130' INT TERM
stack_build
stack_start
cat <<MSG

  vipps-auth demo is running.

    Open:      $WWW_URL/
    Worker:    $WORKER_URL   (API key for /accesstoken and /miami/token: $WORKER_API_KEY)
    Emulator:  ${EMULATOR_URL:-(real Vipps: DEMO_VIPPS=real)}

  Press Ctrl-C to stop.

MSG
wait
