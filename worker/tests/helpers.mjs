// Shared setup of the worker's node tests (worker.test.mjs, hardening.test.mjs): the built
// worker in miniflare (workerd) against a local Vipps emulator. Node >= 22.
//
// `harness({...})` returns the functions a test file uses, bound to one emulator, one set of
// base bindings and one list of secrets that must never show in an answer. Every request made
// through it has a time limit, so a hang fails the test instead of stalling the run.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

export const WORKER_DIR = fileURLToPath(new URL("..", import.meta.url));
export const TMP = process.env.WORKER_TEST_TMP ?? mkdtempSync(join(tmpdir(), "vipps-worker-"));
export const REDIRECT = "http://localhost:8080/callback.html";
export const ORIGIN = "http://localhost:8080";
/** The worker's name when miniflare runs several workers (service bindings point at it). */
export const WORKER_NAME = "vipps-auth";

/** The time limit of one request made by a test, unless the call says otherwise. */
export const REQUEST_TIMEOUT_MS = 20_000;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Settles `promise` or fails with "<what>: no answer within <ms> ms". */
export async function within(ms, what, promise) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (a hang)`)), ms);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What wrangler.toml configures, as wrangler itself turns it into miniflare options (the
 * Durable Objects and the `[[ratelimits]]` bindings): the tests run the deployed shape, not
 * a copy of it. Its `[vars]` and any `.dev.vars` are not used: each test sets its bindings.
 */
export const WRANGLER = unstable_getMiniflareWorkerOptions(join(WORKER_DIR, "wrangler.toml")).workerOptions;

/** Rate limits high enough that only the tests about them ever meet one. */
export const UNLIMITED = Object.fromEntries(
  Object.entries(WRANGLER.ratelimits).map(([name, r]) => [name, { ...r, simple: { ...r.simple, limit: 1_000_000 } }]),
);

/**
 * The options of the worker itself, as one entry of miniflare's `workers`. `ratelimits`
 * replaces wrangler.toml's limits (default: {@link UNLIMITED}).
 */
export function workerOptions(bindings, { ratelimits = UNLIMITED } = {}) {
  return {
    name: WORKER_NAME,
    modules: true,
    scriptPath: join(WORKER_DIR, "build/index.js"),
    modulesRoot: join(WORKER_DIR, "build"),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"], fallthrough: true }],
    compatibilityDate: WRANGLER.compatibilityDate,
    bindings: Object.fromEntries(Object.entries(bindings).filter(([, v]) => v !== undefined)),
    durableObjects: WRANGLER.durableObjects,
    ratelimits,
  };
}

/** A miniflare `Log` that hands every line to `sink` instead of printing it. */
class CapturingLog extends Log {
  constructor(sink) {
    super(LogLevel.DEBUG);
    this.sink = sink;
  }
  log(message) {
    this.sink(`[miniflare] ${message}`);
  }
}

/**
 * @param {object} o
 * @param {string} o.emulatorUrl the emulator the worker talks to
 * @param {object} o.bindings the worker's base bindings
 * @param {string[]} o.secrets strings no answer may contain
 * @param {boolean} [o.capture] keep every answer (`responses`) and the worker's log output (`logs`)
 */
export function harness({ emulatorUrl, bindings: baseBindings, secrets, capture = false }) {
  const started = [];
  /** Every answer seen: {route, status, headers, text}; only with `capture`. */
  const responses = [];
  /** The worker's console and miniflare's log, line by line; only with `capture`. */
  const logs = [];

  const captureOptions = () =>
    capture
      ? {
          log: new CapturingLog((line) => logs.push(line)),
          handleRuntimeStdio(stdout, stderr) {
            // Keep it (the sweep scans it) and still print it (run.sh scans the output too).
            for (const [stream, out] of [
              [stdout, process.stdout],
              [stderr, process.stderr],
            ]) {
              stream.on("data", (chunk) => {
                logs.push(chunk.toString());
                out.write(chunk);
              });
            }
          },
        }
      : {};

  /**
   * Starts the worker with `bindings` over the base ones. `extraWorkers` are further miniflare
   * worker entries (e.g. a caller with a service binding to this worker); the worker itself
   * stays the first, so `dispatchFetch` reaches it. `ratelimits` replaces the limits.
   */
  function worker(bindings = {}, persistDir = undefined, { extraWorkers = [], ratelimits } = {}) {
    const own = workerOptions({ ...baseBindings, ...bindings }, { ratelimits });
    const shared = { durableObjectsPersist: persistDir ?? false, ...captureOptions() };
    const mf = extraWorkers.length
      ? new Miniflare({ ...shared, workers: [own, ...extraWorkers] })
      : new Miniflare({ ...shared, ...own });
    started.push(mf);
    return mf;
  }

  async function stop(mf) {
    const i = started.indexOf(mf);
    if (i >= 0) started.splice(i, 1);
    await mf.dispose();
  }

  const stopAll = async () => {
    await Promise.allSettled(started.splice(0).map((mf) => mf.dispose()));
  };

  function assertNoSecrets(route, res, text) {
    const all = text + JSON.stringify([...res.headers]);
    for (const s of secrets) assert.ok(!all.includes(s), `a secret leaked into the answer of ${route}`);
  }

  /** Reads an answer (with the time limit), checks it for secrets and keeps it when capturing. */
  async function settle(route, res, timeoutMs) {
    const text = await within(timeoutMs, route, res.text());
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (capture) responses.push({ route, status: res.status, headers: [...res.headers], text });
    assertNoSecrets(route, res, text);
    return { status: res.status, headers: res.headers, text, json };
  }

  /** A request to the worker; `fetcher` defaults to `mf.dispatchFetch` (or e.g. a caller worker's `fetch`). */
  async function call(mf, method, path, { body, headers = {}, raw, timeoutMs = REQUEST_TIMEOUT_MS, fetcher, label } = {}) {
    const init = { method, headers: { ...headers } };
    if (raw !== undefined) init.body = raw;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] ??= "application/json";
    }
    const route = label ?? `${method} ${path}`;
    const send = fetcher ?? ((url, i) => mf.dispatchFetch(url, i));
    const res = await within(timeoutMs, route, send(`http://worker.test${path}`, init));
    return settle(route, res, timeoutMs);
  }

  const bearer = (key) => ({ Authorization: `Bearer ${key}` });

  async function emulator(method, path, body) {
    const res = await within(
      REQUEST_TIMEOUT_MS,
      `emulator ${path}`,
      fetch(`${emulatorUrl}${path}`, {
        method,
        headers: body ? { "Content-Type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      }),
    );
    assert.ok(res.ok, `emulator ${path}: ${res.status}`);
    return res.json();
  }
  const stats = async () => emulator("GET", "/_emulator/stats");
  const count = async (path) => (await stats())[path] ?? 0;
  const fault = (spec) => emulator("POST", "/_emulator/faults", spec);
  const clearFaults = () =>
    within(REQUEST_TIMEOUT_MS, "emulator DELETE /_emulator/faults", fetch(`${emulatorUrl}/_emulator/faults`, { method: "DELETE" }));

  /** Follows the emulator's authorize URL with auto-approval; returns the callback's query. */
  async function approve(url) {
    const res = await within(REQUEST_TIMEOUT_MS, "emulator authorize", fetch(`${url}&emulator_auto_approve=true`, { redirect: "manual" }));
    assert.equal(res.status, 302, await res.text());
    const location = new URL(res.headers.get("location"));
    return Object.fromEntries(location.searchParams);
  }

  /**
   * An SPA-style login: PKCE, state and nonce made by the "browser" (this test), asking for
   * `scope` (default: `/login/config`'s).
   */
  async function spaAuthorize(mf, { redirectUri = REDIRECT, scope } = {}) {
    const cfg = (await call(mf, "GET", "/login/config")).json;
    const verifier = b64url(randomBytes(32));
    const nonce = b64url(randomBytes(16));
    const state = b64url(randomBytes(16));
    const url = new URL(cfg.authorizationEndpoint);
    for (const [k, v] of Object.entries({
      response_type: "code",
      client_id: cfg.clientId,
      redirect_uri: redirectUri,
      scope: scope ?? cfg.scope,
      state,
      nonce,
      code_challenge: b64url(createHash("sha256").update(verifier).digest()),
      code_challenge_method: "S256",
    }))
      url.searchParams.set(k, v);
    const cb = await approve(url.toString());
    assert.equal(cb.state, state);
    return { code: cb.code, codeVerifier: verifier, redirectUri, nonce };
  }

  /**
   * A server-held login: `/login/start`, then the user approves at the emulator. Answers what
   * the starting browser holds (`state`, `sessionKey`, the authorize `url`) and the callback's
   * `code`. `again()` approves the same authorize URL once more: a new code for the session.
   */
  async function serverLogin(mf, { headers = {} } = {}) {
    const start = await call(mf, "POST", "/login/start", { headers, body: { redirectUri: REDIRECT } });
    assert.equal(start.status, 200, start.text);
    const { url, state, sessionKey } = start.json;
    const cb = await approve(url);
    assert.equal(cb.state, state);
    return { url, state, sessionKey, code: cb.code, nonce: new URL(url).searchParams.get("nonce"), again: async () => (await approve(url)).code };
  }

  return {
    worker,
    stop,
    stopAll,
    call,
    settle,
    bearer,
    emulator,
    stats,
    count,
    fault,
    clearFaults,
    approve,
    spaAuthorize,
    serverLogin,
    responses,
    logs,
  };
}

export const b64url = (buf) => Buffer.from(buf).toString("base64url");

export function assertError(r, status, code) {
  assert.equal(r.status, status, `${r.status} ${r.text}`);
  assert.equal(r.json?.error, code, r.text);
  assert.equal(typeof r.json.message, "string");
}
