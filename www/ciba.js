// The merchant-initiated login panel (CIBA, Vipps "Login from phone number"): the merchant
// starts a login for a phone number, the user approves in the Vipps app, the merchant gets
// the identity. The merchant's side is the demo's own backend (/merchant/, see
// scripts/demo-merchant.mjs), which holds WORKER_API_KEY: this page never does. With the
// emulator, "Open the Vipps app" approves as the user's phone would.
import { fillTable, showError } from "./common.js";

const $ = (id) => document.getElementById(id);

async function merchant(path, body) {
  const res = await fetch(`merchant/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => undefined);
  if (!res.ok) {
    const err = new Error(json?.message ?? json?.error_description ?? `HTTP ${res.status} from ${path}`);
    err.code = json?.error ?? "ERR_HTTP";
    throw err;
  }
  return { status: res.status, json };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls through the merchant backend as the worker says (`retryAfter`), until an answer. */
async function waitForIdentity(authReqId, interval) {
  for (;;) {
    const { status, json } = await merchant("ciba/poll", { authReqId });
    if (status === 200) return json;
    $("ciba-status").textContent = "Waiting for the user to approve in the Vipps app…";
    await sleep(1000 * Math.max(1, json?.retryAfter ?? interval));
  }
}

async function run(settings) {
  $("ciba-start").disabled = true;
  $("ciba-claims-card").hidden = true;
  $("error").hidden = true;
  try {
    const { json: started } = await merchant("ciba/start", { phoneNumber: $("ciba-phone").value.trim() });
    $("ciba-auth-req-id").textContent = started.authReqId;
    $("ciba-waiting").hidden = false;
    const approve = $("ciba-approve");
    approve.hidden = !settings.emulator;
    approve.disabled = false;
    approve.onclick = async () => {
      approve.disabled = true;
      try {
        await merchant("ciba/approve", { authReqId: started.authReqId });
      } catch (e) {
        showError(e);
      }
    };
    const identity = await waitForIdentity(started.authReqId, started.interval);
    $("ciba-status").textContent = "Approved: the worker checked the ID token and handed the identity out once.";
    approve.hidden = true;
    fillTable($("ciba-claims"), identity.claims);
    fillTable($("ciba-userinfo"), identity.userinfo ?? {});
    $("ciba-claims-card").hidden = false;
  } catch (e) {
    $("ciba-status").textContent = "The login did not finish.";
    showError(e);
  } finally {
    $("ciba-start").disabled = false;
  }
}

async function main() {
  let settings;
  try {
    settings = (await merchant("config")).json;
  } catch {
    // No merchant backend (serve-static.mjs without --merchant): the panel says so.
    $("ciba-status").textContent = "The demo's merchant backend is not running (serve-static.mjs --merchant).";
    return;
  }
  if (settings.phoneNumber) $("ciba-phone").value = settings.phoneNumber;
  $("ciba-start").disabled = false;
  $("ciba-start").addEventListener("click", () => run(settings));
}

main();
