// Shared by the demo pages: loading the wasm package and the demo settings, talking to the
// worker, keeping what a login needs in this browser, and showing results and errors on the
// page (not only in the console).
import init, { KeySet, verifyJwt } from "./pkg/vipps_auth.js";

const SESSION_KEY = "vipps-auth-demo:login";
const SERVER_SESSION_PREFIX = "vipps-auth-demo:session:";
/** How long the worker keeps a started login (worker/README.md): older keys are dropped. */
const SERVER_SESSION_TTL_MS = 10 * 60 * 1000;

/** Loads the wasm module once. */
export async function loadPackage() {
  await init();
}

/** The demo's settings: where the worker is (written by `make demo`; never a secret). */
export async function demoSettings() {
  const res = await fetch("demo-config.json", { cache: "no-store" });
  if (!res.ok) throw new Error(`demo-config.json: HTTP ${res.status}`);
  return res.json();
}

/**
 * Calls the worker and turns its JSON errors into thrown errors with their code. A 2xx answer
 * comes back as `{status, json}` when `withStatus` (202 means something else than 200).
 */
export async function callWorker(settings, path, { method = "GET", body, withStatus = false } = {}) {
  const headers = {};
  if (body !== undefined) headers["content-type"] = "application/json";
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
    err.retryAfter = Number(res.headers.get("retry-after")) || undefined;
    throw err;
  }
  return withStatus ? { status: res.status, json } : json;
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

/**
 * The `sessionKey` of a server-held login started in this browser, under its `state`. In
 * `localStorage`, so that every tab of this browser has it (the user may come back in a new
 * tab) and no other browser does; removed as soon as the login is finished or refused.
 */
export const serverSessions = {
  save(state, sessionKey) {
    localStorage.setItem(SERVER_SESSION_PREFIX + state, JSON.stringify({ sessionKey, startedAt: Date.now() }));
  },
  key(state) {
    const raw = localStorage.getItem(SERVER_SESSION_PREFIX + state);
    return raw ? JSON.parse(raw).sessionKey : undefined;
  },
  remove(state) {
    localStorage.removeItem(SERVER_SESSION_PREFIX + state);
  },
  /** The logins started here that may still be waiting, newest first; drops expired ones. */
  pending() {
    const out = [];
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const name = localStorage.key(i);
      if (!name?.startsWith(SERVER_SESSION_PREFIX)) continue;
      const { sessionKey, startedAt } = JSON.parse(localStorage.getItem(name));
      if (Date.now() - startedAt > SERVER_SESSION_TTL_MS) localStorage.removeItem(name);
      else out.push({ state: name.slice(SERVER_SESSION_PREFIX.length), sessionKey, startedAt });
    }
    return out.sort((a, b) => b.startedAt - a.startedAt);
  },
};

/**
 * A `/login/token` or `/login/result` answer of a server-held login: the worker validated the
 * claims against its session; this browser checks the ID token's signature itself.
 */
export async function verifiedServerLogin(settings, answer) {
  await verifyJwt(answer.idToken, KeySet.remote(`${settings.workerUrl}/login/jwks`));
  return {
    claims: answer.claims,
    userinfo: answer.userinfo,
    how: "Signature verified in this browser; claims validated by the worker against its server-held session.",
  };
}

/** Shows a finished login: the claims and userinfo, and how they were checked. */
export function showLogin(result) {
  const card = document.getElementById("claims-card");
  const info = result.userinfo ?? {};
  card.querySelector('[data-field="name"]').textContent = info.name ?? result.claims.sub;
  document.getElementById("verification").textContent = result.how;
  fillTable(document.getElementById("claims"), result.claims);
  fillTable(document.getElementById("userinfo"), info);
  card.hidden = false;
}

const HINTS = {
  ERR_STATE_MISMATCH: "The state in the callback is not the one this browser sent: the login was not started here, or the link was tampered with.",
  ERR_AUTHORIZATION_RESPONSE: "The login was not completed.",
  ERR_CALLBACK_ISSUER: "The callback names another issuer than this login's (RFC 9207): it did not come from Vipps.",
  ERR_HTTP: "An upstream call failed.",
  ERR_SIGNATURE_INVALID: "The ID token's signature does not verify.",
  ERR_CLAIM_EXPIRED: "The ID token has expired.",
  ERR_CLAIM_NONCE: "The ID token's nonce is not the one this browser sent.",
  ERR_LOGIN_SESSION: "The server-held login session is unknown, used or expired, or was not started in this browser.",
  ERR_SCOPE_NOT_ALLOWED: "The login asked Vipps for more personal data than this site allows (the login link was changed on its way): nobody was signed in. Start again from this site.",
  ERR_RATE_LIMITED: "Too many requests from this address: wait a minute and try again.",
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
