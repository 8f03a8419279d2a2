// The package's entries (pkg-template/package.json `exports`): the browser build throws
// ERR_NOT_INITIALIZED until init, the Node entries (ESM and the generated CommonJS one) are
// ready on import and agree, and VippsAuthError's `instanceof` holds across both copies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { pkgDir } from "./helpers.mjs";

const require = createRequire(import.meta.url);
// RFC 7636 appendix B.
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const fresh = (file) => import(`${pathToFileURL(path.join(pkgDir, file)).href}?${Math.random()}`);

test("the browser build throws ERR_NOT_INITIALIZED naming init() until init has run", async () => {
  const mod = await fresh("vipps_auth.js");
  const calls = [
    () => mod.codeChallengeS256(VERIFIER),
    () => mod.endpoints("test"),
    () => mod.randomState(),
    () => mod.KeySet.fromJwks({ keys: [] }),
  ];
  for (const call of calls) {
    assert.throws(call, (e) => e instanceof mod.VippsAuthError && e.name === "VippsAuthError"
      && e.code === "ERR_NOT_INITIALIZED" && e.message.includes("await init()"));
  }
  await assert.rejects(mod.discover("https://login.example/"), (e) => e.code === "ERR_NOT_INITIALIZED");
  mod.initSync({ module: readFileSync(path.join(pkgDir, "vipps_auth_bg.wasm")) });
  assert.equal(mod.codeChallengeS256(VERIFIER), CHALLENGE);
});

test("the browser build's init() resolves to nothing and readies the package", async () => {
  const mod = await fresh("vipps_auth.js");
  assert.equal(await mod.default({ module_or_path: readFileSync(path.join(pkgDir, "vipps_auth_bg.wasm")) }), undefined);
  assert.equal(mod.codeChallengeS256(VERIFIER), CHALLENGE);
});

test("the Node ESM and CommonJS entries are ready on import and export the same API", async () => {
  const esm = await fresh("vipps_auth.node.js");
  const cjs = require(path.join(pkgDir, "vipps_auth.node.cjs"));
  assert.deepEqual(Object.keys(cjs).filter((k) => k !== "__esModule").sort(), Object.keys(esm).sort());
  assert.equal(esm.codeChallengeS256(VERIFIER), CHALLENGE);
  assert.equal(cjs.codeChallengeS256(VERIFIER), CHALLENGE);
  assert.deepEqual(cjs.endpoints("production"), esm.endpoints("production"));
});

test("instanceof VippsAuthError holds across the ESM and CommonJS copies, and only for its errors", async () => {
  const esm = await fresh("vipps_auth.node.js");
  const cjs = require(path.join(pkgDir, "vipps_auth.node.cjs"));
  for (const [thrower, other] of [[esm, cjs], [cjs, esm]]) {
    let caught;
    try { thrower.endpoints("staging"); } catch (e) { caught = e; }
    assert.ok(caught instanceof thrower.VippsAuthError);
    assert.ok(caught instanceof other.VippsAuthError);
    assert.ok(caught instanceof Error);
    assert.equal(caught.name, "VippsAuthError");
    assert.equal(caught.code, "ERR_INVALID_PARAMS");
    assert.match(caught.message, /env/);
  }
  for (const value of [new Error("x"), { code: "ERR_INVALID_PARAMS", name: "VippsAuthError" }, null, "VippsAuthError"]) {
    assert.equal(value instanceof esm.VippsAuthError, false);
  }
});
