// Shared by the demo pages: loading the wasm package and the demo settings, talking to the
// worker, and showing errors on the page (not only in the console).
import init from "./pkg/vipps_auth.js";

const SESSION_KEY = "vipps-auth-demo:login";

/** Loads the wasm module once. */
export async function loadPackage() {
  await init();
}

/** The demo's settings: where the worker is, and the demo API key (written by `make demo`). */
export async function demoSettings() {
  const res = await fetch("demo-config.json", { cache: "no-store" });
  if (!res.ok) throw new Error(`demo-config.json: HTTP ${res.status}`);
  return res.json();
}

/** Calls the worker and turns its JSON errors into thrown errors with their code. */
export async function callWorker(settings, path, { method = "GET", body, apiKey } = {}) {
  const headers = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  const res = await fetch(settings.workerUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = new Error(json?.message ?? `HTTP ${res.status} from ${path}`);
    err.code = json?.error ?? "ERR_HTTP";
    err.status = res.status;
    throw err;
  }
  return json;
}

export function saveLogin(value) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));
}

/** The saved login for this state, removed on reading: it is single-use. */
export function takeLogin() {
  const raw = sessionStorage.getItem(SESSION_KEY);
  sessionStorage.removeItem(SESSION_KEY);
  return raw ? JSON.parse(raw) : undefined;
}

const HINTS = {
  ERR_STATE_MISMATCH: "The state in the callback is not the one this browser sent: the login was not started here, or the link was tampered with.",
  ERR_AUTHORIZATION_RESPONSE: "Vipps did not complete the login.",
  ERR_HTTP: "An upstream call failed.",
  ERR_SIGNATURE_INVALID: "The ID token's signature does not verify.",
  ERR_CLAIM_EXPIRED: "The ID token has expired.",
  ERR_CLAIM_NONCE: "The ID token's nonce is not the one this browser sent.",
  ERR_LOGIN_SESSION: "The server-held login session is unknown, used or expired.",
};

/** Shows an error on the page, with its stable code and Vipps' own error when there is one. */
export function showError(err) {
  console.error(err);
  const box = document.getElementById("error");
  box.replaceChildren();
  const title = document.createElement("strong");
  title.textContent = HINTS[err.code] ?? "Something went wrong.";
  const detail = document.createElement("p");
  const code = document.createElement("code");
  code.textContent = err.code ?? err.name ?? "Error";
  detail.append(code, " ", err.message ?? String(err));
  box.append(title, detail);
  if (err.vippsError) {
    const vipps = document.createElement("p");
    vipps.textContent = `Vipps said: ${err.vippsError}${err.vippsErrorDescription ? ` (${err.vippsErrorDescription})` : ""}`;
    box.append(vipps);
  }
  box.hidden = false;
}

const TIME_CLAIMS = new Set(["exp", "iat", "nbf", "auth_time", "rat", "updated_at"]);

function display(name, value) {
  if (TIME_CLAIMS.has(name) && Number.isInteger(value)) return `${value} (${new Date(value * 1000).toLocaleString()})`;
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Fills a two-column table from an object; epoch-second claims are shown as dates too. */
export function fillTable(table, object) {
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const [name, value] of Object.entries(object ?? {})) {
    const row = body.insertRow();
    const th = document.createElement("th");
    th.textContent = name;
    row.append(th);
    row.insertCell().textContent = display(name, value);
  }
}
