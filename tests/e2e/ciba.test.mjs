// The demo's merchant-initiated login panel (CIBA) in headless Chromium: the page asks the
// demo's merchant backend (/merchant/, which alone holds WORKER_API_KEY) to start a login for
// the emulator's test user, "Open the Vipps app" approves it as the phone would, and the
// page shows the claims once the worker has them. Run by tests/e2e/run.sh on the demo stack.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "./chromium.mjs";

const { WWW_URL, EMULATOR_URL, WORKER_API_KEY, ARTIFACTS } = process.env;
let browser;

before(async () => {
  browser = await launchChromium();
});
after(async () => browser?.close());

const emulatorStats = async () => (await fetch(`${EMULATOR_URL}/_emulator/stats`)).json();

test("the CIBA panel starts a login for the test user, the Vipps-app button approves it, and the claims show", async () => {
  const { testUser } = await (await fetch(`${EMULATOR_URL}/_emulator/config`)).json();
  const context = await browser.newContext({ viewport: { width: 1000, height: 1400 } });
  const page = await context.newPage();
  const bodies = [];
  page.on("response", async (res) => bodies.push(await res.body().catch(() => Buffer.alloc(0))));
  await page.goto(`${WWW_URL}/`);
  await page.waitForFunction(() => !document.getElementById("ciba-start").disabled);
  assert.equal(await page.inputValue("#ciba-phone"), testUser.phoneNumber);
  const before = (await emulatorStats())["ciba-poll"] ?? 0;
  await page.click("#ciba-start");
  await page.locator("#ciba-approve").waitFor({ state: "visible", timeout: 20000 });
  const authReqId = await page.innerText("#ciba-auth-req-id");
  assert.ok(authReqId.length > 8, authReqId);
  // Nothing is handed out before the user approves.
  assert.ok(await page.locator("#ciba-claims-card").isHidden());
  await page.click("#ciba-approve");
  await page.locator("#ciba-claims-card").waitFor({ state: "visible", timeout: 45000 });
  const claims = await page.innerText("#ciba-claims");
  assert.match(claims, /\bsub\b/);
  assert.match(claims, /\biss\b/);
  assert.match(await page.innerText("#ciba-userinfo"), new RegExp(testUser.email.replace(".", "\\.")));
  assert.ok(((await emulatorStats())["ciba-poll"] ?? 0) > before, "the worker polled Vipps");
  await page.screenshot({ path: `${ARTIFACTS}/ciba-panel.png`, fullPage: true });
  for (const body of bodies) assert.ok(!body.includes(WORKER_API_KEY), "a response to the page holds the key");
  assert.ok(!(await page.content()).includes(WORKER_API_KEY));
  await context.close();
});

test("the merchant backend takes JSON from its own origin only: another site cannot start a login with it", async () => {
  const before = (await emulatorStats())["/vipps-login-ciba/api/backchannel/authentication"] ?? 0;
  const phoneNumber = "4712345678";
  const form = await fetch(`${WWW_URL}/merchant/ciba/start`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `phoneNumber=${phoneNumber}`,
  });
  assert.equal(form.status, 403);
  const crossSite = await fetch(`${WWW_URL}/merchant/ciba/start`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "https://evil.example" },
    body: JSON.stringify({ phoneNumber }),
  });
  assert.equal(crossSite.status, 403);
  assert.equal(crossSite.headers.get("access-control-allow-origin"), null);
  const after = (await emulatorStats())["/vipps-login-ciba/api/backchannel/authentication"] ?? 0;
  assert.equal(after, before, "no login reached Vipps");
});
