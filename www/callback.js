// The callback page: checks the state, lets the worker exchange the code, and verifies the
// ID token in this browser against the worker's JWKS before showing anything.
import { parseCallback, KeySet, validateIdToken, verifyJwt } from "./pkg/vipps_auth.js";
import { loadPackage, demoSettings, callWorker, takeLogin, showError, fillTable } from "./common.js";

async function finishBrowserLogin(settings, config, saved) {
  // Throws ERR_STATE_MISMATCH for a tampered or foreign state, ERR_AUTHORIZATION_RESPONSE on deny.
  const { code } = parseCallback(location.href, saved.state);
  const answer = await callWorker(settings, "/login/token", {
    method: "POST",
    body: { code, codeVerifier: saved.codeVerifier, redirectUri: saved.redirectUri, nonce: saved.nonce },
  });
  const keys = KeySet.remote(`${settings.workerUrl}/login/jwks`);
  const claims = await validateIdToken(answer.idToken, {
    issuer: config.issuer,
    clientId: config.clientId,
    nonce: saved.nonce,
    keys,
  });
  return { claims, userinfo: answer.userinfo, how: "Signature and claims (issuer, audience, nonce, times) verified in this browser." };
}

async function finishServerLogin(settings, stateFromUrl) {
  // Another browser may have started this login: the worker holds its state, nonce and verifier.
  const { code, state } = parseCallback(location.href, stateFromUrl);
  const answer = await callWorker(settings, "/login/token", { method: "POST", body: { code, state } });
  const keys = KeySet.remote(`${settings.workerUrl}/login/jwks`);
  await verifyJwt(answer.idToken, keys);
  return {
    claims: answer.claims,
    userinfo: answer.userinfo,
    how: "Signature verified in this browser; claims validated by the worker against its server-held session.",
  };
}

function show(result) {
  const card = document.getElementById("claims-card");
  const info = result.userinfo ?? {};
  card.querySelector('[data-field="name"]').textContent = info.name ?? result.claims.sub;
  document.getElementById("verification").textContent = result.how;
  fillTable(document.getElementById("claims"), result.claims);
  fillTable(document.getElementById("userinfo"), info);
  card.hidden = false;
}

const status = document.getElementById("status");
try {
  await loadPackage();
  const settings = await demoSettings();
  const saved = takeLogin();
  const stateFromUrl = new URL(location.href).searchParams.get("state") ?? "";
  let result;
  if (saved?.flow === "browser") {
    const config = await callWorker(settings, "/login/config");
    result = await finishBrowserLogin(settings, config, saved);
  } else {
    // A server-held session started here or in another browser (or nothing at all: the worker decides).
    result = await finishServerLogin(settings, saved?.state ?? stateFromUrl);
  }
  status.hidden = true;
  show(result);
} catch (err) {
  status.hidden = true;
  showError(err);
}
