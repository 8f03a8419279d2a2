// The callback page. A login this browser started itself: check the state, let the worker
// exchange the code, verify the ID token here. A server-held login started in this browser:
// finish it with this browser's sessionKey. One started in another browser (or by someone
// else): let the worker finish it for the browser that holds the key, show no identity, and
// send the user back there.
//
// Every callback URL is checked against the issuer of /login/config (RFC 9207: Vipps may add
// `iss`; one that is not that issuer is refused before any code exchange). A callback with an
// `error` is shown neutrally: anyone can craft a callback URL, so its `error_description` is
// never shown, as Vipps' words or at all, and its `error` only when it is a known code.
import { parseCallback, KeySet, validateIdToken } from "./pkg/vipps_auth.js";
import {
  loadPackage,
  demoSettings,
  callWorker,
  takeLogin,
  serverSessions,
  verifiedServerLogin,
  showLogin,
  showError,
} from "./common.js";

async function finishBrowserLogin(settings, config, saved) {
  // Throws ERR_STATE_MISMATCH for a tampered or foreign state, ERR_AUTHORIZATION_RESPONSE on
  // deny, ERR_CALLBACK_ISSUER for an `iss` of another issuer.
  const { code } = parseCallback(location.href, saved.state, { issuer: config.issuer });
  const answer = await callWorker(settings, "/login/token", {
    method: "POST",
    body: { code, codeVerifier: saved.codeVerifier, redirectUri: saved.redirectUri, nonce: saved.nonce, msn: saved.msn },
  });
  const keys = KeySet.remote(`${settings.workerUrl}/login/jwks`);
  const claims = await validateIdToken(answer.idToken, {
    issuer: config.issuer,
    ...(saved.msn ? { msn: saved.msn } : { clientId: config.clientId }),
    nonce: saved.nonce,
    keys,
  });
  return { claims, userinfo: answer.userinfo, how: "Signature and claims (issuer, audience, nonce, times) verified in this browser." };
}

async function finishServerLogin(settings, config, state, sessionKey) {
  const { code } = parseCallback(location.href, state, { issuer: config.issuer });
  try {
    const answer = await callWorker(settings, "/login/token", { method: "POST", body: { code, state, sessionKey } });
    return await verifiedServerLogin(settings, answer);
  } finally {
    serverSessions.remove(state);
  }
}

/** Whether the user says they started this login elsewhere (asked before anything is sent). */
function confirmHandOff() {
  const card = document.getElementById("handoff-confirm");
  card.hidden = false;
  return new Promise((resolve) => {
    const answer = (yes) => () => {
      card.hidden = true;
      resolve(yes);
    };
    document.getElementById("confirm-handoff").addEventListener("click", answer(true), { once: true });
    document.getElementById("cancel-handoff").addEventListener("click", answer(false), { once: true });
  });
}

/**
 * Not started in this browser: the worker keeps the login for the browser that started it.
 * The user confirms first: a link to a login someone else started (phishing for the
 * identity, login CSRF) is then cancelled without anything being sent.
 */
async function handOff(settings, config, stateFromUrl) {
  const { code, state } = parseCallback(location.href, stateFromUrl, { issuer: config.issuer });
  status.hidden = true;
  if (!(await confirmHandOff())) {
    document.getElementById("handoff-cancelled").hidden = false;
    return;
  }
  const reply = await callWorker(settings, "/login/token", { method: "POST", body: { code, state }, withStatus: true });
  if (reply.status !== 202 || reply.json?.status !== "handed_off") {
    throw Object.assign(new Error(`unexpected answer ${reply.status} from /login/token`), { code: "ERR_HTTP" });
  }
  document.getElementById("handed-off").hidden = false;
}

/**
 * The `error` codes of an authorization response shown by name: RFC 6749 section 4.1.2.1 and
 * those Vipps documents; any other is "unrecognised".
 */
const KNOWN_ERRORS = new Set([
  "invalid_request", "unauthorized_client", "access_denied", "unsupported_response_type", "invalid_scope",
  "server_error", "temporarily_unavailable", "login_required", "invalid_app_callback_uri",
  "app_callback_uri_not_registered", "outdated_app_version", "wrong_challenge", "unknown_reject_reason",
]);

/**
 * An error of the callback as the page may show it: for ERR_AUTHORIZATION_RESPONSE a neutral
 * sentence with the error code if known, without the callback's own text (its
 * `error_description` is whatever the link's author wrote, not necessarily Vipps).
 */
function shown(err) {
  if (err?.code !== "ERR_AUTHORIZATION_RESPONSE") return err;
  const known = KNOWN_ERRORS.has(err.vippsError) ? err.vippsError : "unrecognised";
  return { code: err.code, message: `The login was not completed (error code: ${known}).` };
}

const status = document.getElementById("status");
try {
  await loadPackage();
  const settings = await demoSettings();
  const saved = takeLogin();
  const stateFromUrl = new URL(location.href).searchParams.get("state") ?? "";
  const sessionKey = serverSessions.key(stateFromUrl);
  const config = await callWorker(settings, "/login/config");
  if (saved?.flow === "browser") {
    showLogin(await finishBrowserLogin(settings, config, saved));
  } else if (sessionKey) {
    showLogin(await finishServerLogin(settings, config, stateFromUrl, sessionKey));
  } else {
    await handOff(settings, config, stateFromUrl);
  }
  status.hidden = true;
} catch (err) {
  status.hidden = true;
  showError(shown(err));
}
