#!/usr/bin/env python3
"""Sequential full logins against a running emulator for a bounded time (loopback only):
GET authorize (emulator_auto_approve=true) -> POST token (RS256-signed ID token).

Usage: python3 login.py http://127.0.0.1:PORT [SECONDS]
"""
import base64
import hashlib
import http.client
import statistics
import sys
import time
import urllib.parse

base = urllib.parse.urlparse(sys.argv[1])
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
if base.hostname not in ("127.0.0.1", "localhost", "::1"):
    sys.exit("loopback only")
issuer_path = "/access-management-1.0/access/"
verifier = "bench-verifier-0123456789-0123456789-0123456789"
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
redirect = "http://localhost:8080/callback.html"
auth = "Basic " + base64.b64encode(b"emulator-client-id:emulator-client-secret").decode()
query = urllib.parse.urlencode({
    "client_id": "emulator-client-id", "response_type": "code", "scope": "openid name email",
    "state": "bench-state-123", "nonce": "n", "redirect_uri": redirect,
    "code_challenge": challenge, "code_challenge_method": "S256", "emulator_auto_approve": "true",
})
conn = http.client.HTTPConnection(base.hostname, base.port)
latencies = []
deadline = time.perf_counter() + seconds
while time.perf_counter() < deadline:
    t0 = time.perf_counter()
    conn.request("GET", f"{issuer_path}oauth2/auth?{query}")
    r = conn.getresponse(); r.read()
    assert r.status == 302, r.status
    code = urllib.parse.parse_qs(urllib.parse.urlparse(r.getheader("location")).query)["code"][0]
    body = urllib.parse.urlencode({"grant_type": "authorization_code", "code": code,
                                   "redirect_uri": redirect, "code_verifier": verifier})
    conn.request("POST", f"{issuer_path}oauth2/token", body,
                 {"content-type": "application/x-www-form-urlencoded", "authorization": auth})
    r = conn.getresponse(); r.read()
    assert r.status == 200, r.status
    latencies.append((time.perf_counter() - t0) * 1000)
n = len(latencies)
print(f"logins={n} in {seconds:.0f}s -> {n / seconds:.0f}/s; per login median={statistics.median(latencies):.2f}ms p99={sorted(latencies)[int(n * 0.99) - 1]:.2f}ms")
