// The speed page: vipps-auth (the built npm package) and jose / oauth4webapi (esbuild bundles)
// on the same tokens and keys, in one page. bench/browser.mjs calls window.runBench().
import init, * as vipps from "/pkg/vipps_auth.js";
import * as jose from "/bundles/page-jose.js";
import * as oauth from "/bundles/page-oauth4webapi.js";

const now = () => performance.now();

/** Runs an async operation back to back (each awaited) for `ms`; returns ops/s. */
async function runAsync(op, n, ms) {
  let i = 0;
  const t0 = now();
  let t = t0;
  while (t - t0 < ms) {
    await op(i++ % n);
    if ((i & 7) === 0) t = now();
  }
  t = now();
  return (i / (t - t0)) * 1000;
}

/** Runs a synchronous operation in batches of 64 for `ms`; returns ops/s. */
function runSync(op, n, ms) {
  let i = 0;
  let sink = 0;
  const t0 = now();
  let t = t0;
  while (t - t0 < ms) {
    for (let k = 0; k < 64; k++) sink ^= op(i++ % n) ? 1 : 0;
    t = now();
  }
  globalThis.__sink = sink;
  return (i / (t - t0)) * 1000;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function check(cond, what) {
  if (!cond) throw new Error(`bench self-check failed: ${what}`);
}

window.runBench = async ({ roundMs, warmMs, rounds }) => {
  await init();
  const data = await (await fetch("/data.json")).json();
  const { tokens, nonces, verifiers, jwks, issuer, clientId } = data;
  const n = tokens.length;

  const keys = vipps.KeySet.fromJwks(jwks);
  const joseKeys = jose.createLocalJWKSet(jwks);
  const joseOpts = { issuer, audience: clientId, algorithms: ["RS256"], clockTolerance: 30 };

  const subjects = {
    "vipps-auth verifyJwt": { kind: "async", op: (i) => vipps.verifyJwt(tokens[i], keys, { algorithms: ["RS256"] }) },
    "vipps-auth validateIdToken": {
      kind: "async",
      op: (i) => vipps.validateIdToken(tokens[i], { issuer, clientId, nonce: nonces[i], keys }),
    },
    "jose jwtVerify": {
      kind: "async",
      // The same checks as validateIdToken: signature, alg, iss, aud, exp/iat, and the nonce.
      op: async (i) => {
        const { payload } = await jose.jwtVerify(tokens[i], joseKeys, joseOpts);
        if (payload.nonce !== nonces[i]) throw new Error("nonce");
        return payload;
      },
    },
    "vipps-auth codeChallengeS256": { kind: "sync", op: (i) => vipps.codeChallengeS256(verifiers[i]) },
    "oauth4webapi calculatePKCECodeChallenge": { kind: "async", op: (i) => oauth.calculatePKCECodeChallenge(verifiers[i]) },
    "vipps-auth decodeJwt": { kind: "sync", op: (i) => vipps.decodeJwt(tokens[i]) },
    "jose decodeJwt": { kind: "sync", op: (i) => jose.decodeJwt(tokens[i]) },
  };

  // Self-checks: every subject gives the same answers before anything is timed.
  for (let i = 0; i < n; i++) {
    const a = await subjects["vipps-auth validateIdToken"].op(i);
    const b = await subjects["jose jwtVerify"].op(i);
    const c = (await subjects["vipps-auth verifyJwt"].op(i)).claims;
    check(a.sub === b.sub && c.sub === b.sub && a.nonce === nonces[i], `claims of token ${i}`);
    check(vipps.codeChallengeS256(verifiers[i]) === (await oauth.calculatePKCECodeChallenge(verifiers[i])), `challenge ${i}`);
    check(vipps.decodeJwt(tokens[i]).claims.jti === jose.decodeJwt(tokens[i]).jti, `decode ${i}`);
  }
  let rejected = false;
  try {
    await vipps.validateIdToken(tokens[0], { issuer, clientId, nonce: "wrong", keys });
  } catch (e) {
    rejected = e.code === "ERR_CLAIM_NONCE";
  }
  check(rejected, "validateIdToken rejects a wrong nonce");

  const names = Object.keys(subjects);
  const run = (s, ms) => (s.kind === "async" ? runAsync(s.op, n, ms) : runSync(s.op, n, ms));
  for (const name of names) await run(subjects[name], warmMs);
  const samples = Object.fromEntries(names.map((k) => [k, []]));
  // Rounds interleave the subjects, so a burst of load from outside hits all of them alike.
  for (let r = 0; r < rounds; r++) {
    for (const name of names) {
      samples[name].push(await run(subjects[name], roundMs));
      await new Promise((res) => setTimeout(res, 0));
    }
  }
  return {
    tokens: n,
    results: names.map((name) => ({ name, kind: subjects[name].kind, median: median(samples[name]), samples: samples[name] })),
  };
};

window.__ready = true;
