# The two commands the README opens with, and the pieces behind them.
.PHONY: demo test bootstrap bench

# The main job: emulator, worker and demo SPA together; prints the URL to open.
demo:
	@scripts/demo.sh

# Every test suite (installs what is missing first).
test:
	@scripts/test.sh

bootstrap:
	@scripts/bootstrap.sh

# vipps-auth against jose and oauth4webapi (size, speed in Chromium, the worker under load);
# regenerates its section of BENCHMARKS.md. Not part of `make test`.
bench:
	@scripts/bench.sh
