// The start page: a normal login (PKCE and state kept in this browser), a login with a
// server-held session (survives a browser switch), and the worker's token service.
import { startLogin } from "./pkg/vipps_auth.js";
import { loadPackage, demoSettings, callWorker, saveLogin, showError } from "./common.js";

const callbackUrl = new URL("callback.html", location.href).href;

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
  const start = startLogin({
    authorizationEndpoint: config.authorizationEndpoint,
    clientId: config.clientId,
    redirectUri,
    scope: config.scope,
  });
  saveLogin({ flow: "browser", state: start.state, nonce: start.nonce, codeVerifier: start.codeVerifier, redirectUri });
  location.assign(start.url);
}

async function loginWithServerSession(settings) {
  const config = await callWorker(settings, "/login/config");
  const redirectUri = pickRedirectUri(config);
  const { url, state } = await callWorker(settings, "/login/start", { method: "POST", body: { redirectUri } });
  saveLogin({ flow: "server", state, redirectUri });
  location.assign(url);
}

function showToken(endpoint, answer) {
  const table = document.getElementById("token-result");
  const fields = {
    endpoint,
    // Enough of the token to see it change; the whole value stays out of the page.
    token: `${answer.accessToken.slice(0, 12)}… (${answer.accessToken.length} chars)`,
    tokenType: answer.tokenType,
    expiresOn: `${new Date(answer.expiresOn * 1000).toLocaleString()} (in ${Math.round(answer.expiresOn - Date.now() / 1000)} s)`,
    cached: answer.cached ? "yes" : "no (fetched from Vipps now)",
  };
  for (const [name, value] of Object.entries(fields)) table.querySelector(`[data-field="${name}"]`).textContent = value;
  table.hidden = false;
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
  const apiKey = document.getElementById("api-key");
  apiKey.value = settings.apiKey ?? "";
  wire("login", () => login(settings));
  wire("login-switch", () => loginWithServerSession(settings));
  wire("get-accesstoken", async () =>
    showToken("/accesstoken", await callWorker(settings, "/accesstoken", { method: "POST", apiKey: apiKey.value })));
  wire("get-miami", async () => {
    const scope = document.getElementById("miami-scope").value.trim();
    const body = scope ? { scope } : {};
    showToken("/miami/token", await callWorker(settings, "/miami/token", { method: "POST", body, apiKey: apiKey.value }));
  });
} catch (err) {
  showError(err);
}
