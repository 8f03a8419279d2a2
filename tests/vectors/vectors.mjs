// Project Wycheproof vectors through the browser package, shared by the Node suite
// (vectors.test.mjs) and the Chromium page (index.html, run.mjs):
// - RSA PKCS#1 v1.5 SHA-256 (2048 / 3072 / 4096) through the package's WebCrypto module
//   (js/webcrypto.js: JWK import + verify), every case;
// - json_web_signature_test.json: every RS256 / ES256 case through `verifyJwt`;
// - json_web_key_test.json: every case through `KeySet.fromJwks` + `verifyJwt`.
// `pkg` is the imported package (initialised), `crypto` the imported js/webcrypto.js,
// `load(name)` the parsed vector file. Each check returns {name, checked, failures}.

const hex = (s) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
const b64url = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

export async function rsaFile(crypto, name, doc) {
  const failures = [];
  let checked = 0;
  for (const group of doc.testGroups) {
    const { n, e } = group.keyJwk;
    let key;
    try {
      key = await crypto.importKey({ kty: "RSA", n, e }, "RS256");
    } catch {
      key = undefined;
    }
    for (const t of group.tests) {
      checked += 1;
      const want = t.result === "valid";
      let got = false;
      if (key) {
        try {
          got = await crypto.verify("RS256", key, hex(t.sig), hex(t.msg));
        } catch (err) {
          failures.push(`tcId ${t.tcId}: WebCrypto failed: ${err.message}`);
          continue;
        }
      }
      if (got !== want) failures.push(`tcId ${t.tcId}: expected ${t.result} (${t.comment})`);
    }
  }
  return { name, checked, failures, min: 250 };
}

function payloadIsObject(jws) {
  try {
    const v = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(b64url(jws.split(".")[1] ?? "")));
    return v !== null && typeof v === "object" && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** A valid JWS whose payload is not a JWT (verifyJwt refuses it as malformed): its signature
 *  checked directly with each key of the set under the allowed algorithms. */
async function signatureVerifies(crypto, jws, set, algs) {
  const [h, p, s] = jws.split(".");
  if (s === undefined) return false;
  let alg;
  try {
    alg = JSON.parse(new TextDecoder().decode(b64url(h))).alg;
  } catch {
    return false;
  }
  if (!algs.includes(alg)) return false;
  for (const jwk of set.keys ?? []) {
    try {
      const key = await crypto.importKey(jwk, alg);
      if (await crypto.verify(alg, key, b64url(s), new TextEncoder().encode(`${h}.${p}`))) return true;
    } catch { /* not this key */ }
  }
  return false;
}

/** One JWS case: undefined when the outcome is the expected one, else why not. */
async function jwsCase(pkg, crypto, jws, set, algs, valid) {
  let keys;
  try {
    keys = pkg.KeySet.fromJwks(JSON.stringify(set));
  } catch (e) {
    return valid ? `fromJwks refused: ${e.code}` : undefined;
  }
  const token = typeof jws === "string" ? jws : JSON.stringify(jws);
  try {
    await pkg.verifyJwt(token, keys, { algorithms: algs });
    return valid ? undefined : "an invalid case verified";
  } catch (e) {
    if (e.name !== "VippsAuthError") return `threw ${e.name}: ${e.message}`;
    if (!valid) return undefined;
    if (e.code === "ERR_JWT_MALFORMED" && !payloadIsObject(token) && (await signatureVerifies(crypto, token, set, algs))) return undefined;
    return `a valid case failed with ${e.code}`;
  }
}

export async function jwsFile(pkg, crypto, doc) {
  const failures = [];
  let checked = 0;
  for (const group of doc.testGroups) {
    const alg = group.public?.alg;
    if (alg !== "RS256" && alg !== "ES256") continue;
    for (const t of group.tests) {
      const valid = t.result === "valid" && typeof t.jws === "string" && !t.jws.startsWith("{");
      const why = await jwsCase(pkg, crypto, t.jws, { keys: [group.public] }, [alg], valid);
      if (why) failures.push(`tcId ${t.tcId}: ${why}`);
      checked += 1;
    }
  }
  return { name: "json_web_signature_test.json (RS256/ES256 through verifyJwt)", checked, failures, min: 250 };
}

export async function jwkFile(pkg, crypto, doc) {
  const failures = [];
  let checked = 0;
  for (const group of doc.testGroups) {
    // Groups with only symmetric ("private") keys must never verify: no HMAC here.
    let set, symmetricOnly = false;
    if (group.public && "keys" in group.public) set = group.public;
    else if (group.public) set = { keys: [group.public] };
    else { set = group.private ?? {}; symmetricOnly = true; }
    for (const t of group.tests) {
      const valid = t.result === "valid" && !symmetricOnly;
      const why = await jwsCase(pkg, crypto, t.jws, set, ["RS256", "ES256"], valid);
      if (why) failures.push(`tcId ${t.tcId}: ${why}`);
      checked += 1;
    }
  }
  return { name: "json_web_key_test.json (KeySet.fromJwks + verifyJwt)", checked, failures, min: 1 };
}

/** Every vector check; `load(file)` gives the parsed `wycheproof/<file>`. */
export async function runAll(pkg, crypto, load) {
  const results = [];
  for (const bits of [2048, 3072, 4096]) {
    const name = `rsa_signature_${bits}_sha256_test.json`;
    results.push(await rsaFile(crypto, `${name} (js/webcrypto.js)`, await load(name)));
  }
  results.push(await jwsFile(pkg, crypto, await load("json_web_signature_test.json")));
  results.push(await jwkFile(pkg, crypto, await load("json_web_key_test.json")));
  return results;
}
