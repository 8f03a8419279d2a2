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
    Worker:    $WORKER_URL
    Emulator:  ${EMULATOR_URL:-(real Vipps: DEMO_VIPPS=real)}

  The worker's token service is for servers: its API key is shown here, never in a page.
    export WORKER_API_KEY=$WORKER_API_KEY
    curl -s -X POST -H "Authorization: Bearer \$WORKER_API_KEY" $WORKER_URL/accesstoken
    curl -s -X POST -H "Authorization: Bearer \$WORKER_API_KEY" -H "Content-Type: application/json" \\
      -d '{"scope":"donations:read"}' $WORKER_URL/miami/token

  Press Ctrl-C to stop.

MSG
wait
