// The demo, end to end, as a person would use it: the Vipps emulator's consent page,
// the worker's code exchange, and the SPA's own ID-token validation, in real Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { chromium } from "playwright-core";

const { WWW_URL, WORKER_URL, EMULATOR_URL, WORKER_API_KEY, ARTIFACTS } = process.env;
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
});
after(async () => browser?.close());

/** A fresh browser profile (its own sessionStorage): what a second browser would be. */
async function freshPage() {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return page;
}

async function startLogin(page, button) {
  await page.goto(`${WWW_URL}/`);
  await page.click(button);
  await page.waitForURL((url) => url.href.startsWith(EMULATOR_URL));
  await page.waitForSelector("#approve");
}

async function errorText(page) {
  const box = page.locator("#error");
  await box.waitFor({ state: "visible", timeout: 20000 });
  return box.innerText();
}

test("a login approved at Vipps shows the verified claims and userinfo", async () => {
  const page = await freshPage();
  await startLogin(page, "#login");
  await page.click("#approve");
  await page.waitForURL(/callback\.html/);
  const card = page.locator("#claims-card");
  await card.waitFor({ state: "visible", timeout: 30000 });
  const text = await card.innerText();
  assert.match(text, /Ola Nordmann/);
  assert.match(text, /verified in this browser/);
  for (const claim of ["iss", "aud", "sub", "nonce", "at_hash"]) assert.match(text, new RegExp(`\\b${claim}\\b`));
  assert.match(text, /ola\.nordmann@example\.com/);
  await card.screenshot({ path: path.join(ARTIFACTS, "claims-card.png") });
  await page.screenshot({ path: path.join(ARTIFACTS, "demo-signed-in.png"), fullPage: true });
  await page.context().close();
});

test("a login denied at Vipps shows access_denied on the page", async () => {
  const page = await freshPage();
  await startLogin(page, "#login");
  await page.click("#deny");
  await page.waitForURL(/callback\.html/);
  const text = await errorText(page);
  assert.match(text, /ERR_AUTHORIZATION_RESPONSE/);
  assert.match(text, /access_denied/);
  assert.equal(await page.locator("#claims-card").isVisible(), false);
  await page.context().close();
});

test("a callback with a tampered state is refused on the page", async () => {
  const page = await freshPage();
  await startLogin(page, "#login");
  // Approve the same authorize request outside the page (the emulator's auto-approve), and
  // arrive at the callback with another state than the one this browser sent.
  const authorize = new URL(page.url());
  authorize.searchParams.set("emulator_auto_approve", "true");
  const approved = await fetch(authorize, { redirect: "manual" });
  assert.equal(approved.status, 302);
  const callback = approved.headers.get("location");
  assert.match(callback, /callback\.html\?code=/);
  const tampered = new URL(callback);
  tampered.searchParams.set("state", "tampered-state-0123456789");
  await page.goto(tampered.href);
  const text = await errorText(page);
  assert.match(text, /ERR_STATE_MISMATCH/);
  assert.equal(await page.locator("#claims-card").isVisible(), false);
  await page.context().close();
});

test("a login started in one browser finishes in another with the server-held session", async () => {
  const first = await freshPage();
  await startLogin(first, "#login-switch");
  const consentUrl = first.url();
  await first.context().close();

  // The user approves, and the app hands the return to another browser with empty storage.
  const second = await freshPage();
  await second.goto(consentUrl);
  await second.click("#approve");
  await second.waitForURL(/callback\.html/);
  const card = second.locator("#claims-card");
  await card.waitFor({ state: "visible", timeout: 30000 });
  const text = await card.innerText();
  assert.match(text, /Ola Nordmann/);
  assert.match(text, /validated by the worker/);

  // The session is single-use: the same callback again is refused.
  await second.reload();
  assert.match(await errorText(second), /ERR_/);
  await second.context().close();
});

test("the token panel gets an access token through the worker, then from its cache", async () => {
  const page = await freshPage();
  await page.goto(`${WWW_URL}/`);
  await page.waitForSelector("#get-accesstoken:enabled"); // the page is wired once the wasm is loaded
  assert.equal(await page.inputValue("#api-key"), WORKER_API_KEY);
  const table = page.locator("#token-result");
  await page.click("#get-accesstoken");
  await table.waitFor({ state: "visible", timeout: 20000 });
  await page.click("#get-accesstoken");
  await page.waitForFunction(() => document.querySelector('[data-field="cached"]')?.textContent === "yes");
  await page.click("#get-miami");
  await page.waitForFunction(() => document.querySelector('[data-field="endpoint"]')?.textContent === "/miami/token");
  await page.fill("#api-key", "wrong-key");
  await page.click("#get-accesstoken");
  assert.match(await errorText(page), /ERR_/);
  await page.context().close();
});

test("the worker is the one talking to Vipps: the emulator counted its token calls", async () => {
  const stats = await (await fetch(`${EMULATOR_URL}/_emulator/stats`)).json();
  assert.ok(stats["/access-management-1.0/access/oauth2/token"] >= 2, JSON.stringify(stats));
  assert.equal(stats["/accesstoken/get"], 1, "the second access token came from the worker's cache");
  assert.ok((await fetch(`${WORKER_URL}/healthz`)).ok);
});
