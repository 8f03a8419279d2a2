#!/usr/bin/env python3
"""Time from spawning vipps-emulator to its readiness line, over N runs.

Usage: python3 startup.py PATH/TO/vipps-emulator [N]
"""
import statistics
import subprocess
import sys
import time

binary = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = p.stdout.readline().decode()
    times.append((time.perf_counter() - t0) * 1000)
    p.kill()
    p.wait()
    assert line.startswith("vipps-emulator listening on http://127.0.0.1:"), line
print(f"runs={runs} min={min(times):.1f}ms median={statistics.median(times):.1f}ms max={max(times):.1f}ms")
