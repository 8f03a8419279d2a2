#!/usr/bin/env bash
# The main job: the Vipps emulator, the worker and the demo SPA together.
set -euo pipefail
echo "make demo: the demo (www/) is not assembled yet; see issue 'The main job' for what is left." >&2
exit 1
