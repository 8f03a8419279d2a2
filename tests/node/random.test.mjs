// The package's random values (generateCodeVerifier, randomState, randomNonce, startLogin):
// crypto.getRandomValues through the wasm's own import (src/random.rs); without a usable
// `crypto` they fail with ERR_RANDOM, as they did through getrandom. Its own file: it
// replaces globalThis.crypto, and node --test runs each file in its own process.
import test from "node:test";
import assert from "node:assert/strict";
import { loadPackage } from "./helpers.mjs";

const m = await loadPackage();

test("random values are fresh base64url strings of 32 octets", () => {
  const seen = new Set();
  for (const f of [m.generateCodeVerifier, m.randomState, m.randomNonce]) {
    for (let i = 0; i < 20; i++) {
      const v = f();
      assert.match(v, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(!seen.has(v), "repeated value");
      seen.add(v);
    }
  }
});

test("without crypto.getRandomValues the random values fail with ERR_RANDOM", (t) => {
  const original = Object.getOwnPropertyDescriptor(globalThis, "crypto");
  t.after(() => Object.defineProperty(globalThis, "crypto", original));
  for (const value of [undefined, {}, { getRandomValues() { throw new Error("no entropy"); } }]) {
    Object.defineProperty(globalThis, "crypto", { value, configurable: true });
    for (const f of [m.generateCodeVerifier, m.randomState, m.randomNonce]) {
      assert.throws(f, { name: "VippsAuthError", code: "ERR_RANDOM", message: "the random number generator failed" });
    }
  }
});
