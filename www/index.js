// The start page: a normal login (PKCE and state kept in this browser), a login with a
// server-held session (the identity comes back to this browser only, wherever the user
// approves), and how a server calls the worker's token service.
import { startLogin } from "./pkg/vipps_auth.js";
import {
  loadPackage,
  demoSettings,
  callWorker,
  saveLogin,
  serverSessions,
  verifiedServerLogin,
  showLogin,
  showError,
} from "./common.js";

const callbackUrl = new URL("callback.html", location.href).href;
/** How often the waiting tab asks the worker (well inside its rate limit for /login/result). */
const POLL_MS = 2000;

function pickRedirectUri(config) {
  if (!config.redirectUris.includes(callbackUrl)) {
    throw Object.assign(new Error(`${callbackUrl} is not in LOGIN_REDIRECT_URIS (${config.redirectUris.join(", ")})`), {
      code: "ERR_INVALID_PARAMS",
    });
  }
  return callbackUrl;
}

async function login(settings) {
  const config = await callWorker(settings, "/login/config");
  const redirectUri = pickRedirectUri(config);
  // A partner's worker (LOGIN_PARTNER_MSNS) lists merchants instead of a client id: the demo
  // logs in for the first one.
  const msn = config.msns?.[0];
  const start = startLogin({
    authorizationEndpoint: config.authorizationEndpoint,
    ...(msn ? { msn } : { clientId: config.clientId }),
    redirectUri,
    scope: config.scope,
  });
  saveLogin({ flow: "browser", state: start.state, nonce: start.nonce, codeVerifier: start.codeVerifier, redirectUri, msn });
  location.assign(start.url);
}

async function loginWithServerSession(settings) {
  const config = await callWorker(settings, "/login/config");
  const redirectUri = pickRedirectUri(config);
  const msn = config.msns?.[0];
  const { url, state, sessionKey } = await callWorker(settings, "/login/start", { method: "POST", body: { redirectUri, msn } });
  // The key stays in this browser: it is what makes the identity come back here only.
  serverSessions.save(state, sessionKey);
  await waitForLogin(settings, { state, sessionKey }, url);
}

/**
 * Shows where to approve, then asks the worker for the login until it comes back (from
 * wherever the user approved), is refused, or the session expires.
 */
async function waitForLogin(settings, session, url) {
  const waiting = document.getElementById("waiting");
  const status = document.getElementById("waiting-status");
  if (url) {
    document.getElementById("vipps-link").href = url;
    document.getElementById("vipps-url").textContent = url;
  } else {
    document.getElementById("vipps-link").hidden = true;
    status.textContent = "Waiting for a login started earlier in this browser…";
  }
  waiting.hidden = false;
  for (;;) {
    let reply;
    try {
      reply = await callWorker(settings, "/login/result", { method: "POST", body: session, withStatus: true });
    } catch (err) {
      if (err.code === "ERR_RATE_LIMITED") {
        await sleep((err.retryAfter ?? 60) * 1000);
        continue;
      }
      const finishedElsewhere = err.code === "ERR_LOGIN_SESSION" && !serverSessions.key(session.state);
      serverSessions.remove(session.state);
      waiting.hidden = true;
      if (finishedElsewhere) {
        status.textContent = "The login finished in another tab of this browser.";
        return;
      }
      throw err;
    }
    if (reply.status === 200) {
      serverSessions.remove(session.state);
      waiting.hidden = true;
      showLogin(await verifiedServerLogin(settings, reply.json));
      return;
    }
    await sleep(POLL_MS);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The copyable curl lines for a server: the key comes from the terminal, never this page. */
function showServerCalls(settings) {
  const auth = `-H "Authorization: Bearer $WORKER_API_KEY"`;
  document.getElementById("curl-accesstoken").textContent = `curl -s -X POST ${auth} ${settings.workerUrl}/accesstoken`;
  document.getElementById("curl-miami").textContent =
    `curl -s -X POST ${auth} -H "Content-Type: application/json" -d '{"scope":"donations:read"}' ${settings.workerUrl}/miami/token`;
}

/** Attaches an action to a button and enables it (buttons start disabled until the wasm is ready). */
function wire(id, action) {
  const button = document.getElementById(id);
  button.disabled = false;
  button.addEventListener("click", async () => {
    document.getElementById("error").hidden = true;
    button.disabled = true;
    try {
      await action();
    } catch (err) {
      showError(err);
    } finally {
      button.disabled = false;
    }
  });
}

try {
  await loadPackage();
  const settings = await demoSettings();
  showServerCalls(settings);
  wire("login", () => login(settings));
  wire("login-switch", () => loginWithServerSession(settings));
  // A login started here before a reload is still waited for.
  const [pending] = serverSessions.pending();
  if (pending) await waitForLogin(settings, { state: pending.state, sessionKey: pending.sessionKey });
} catch (err) {
  showError(err);
}
