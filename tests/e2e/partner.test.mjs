// The demo on a partner's worker (LOGIN_PARTNER_MSNS, the emulator's partner keys), in
// headless Chromium: both login buttons authorize with `msn=` and no `client_id`, the worker
// exchanges the code with the partner's Bearer token and the merchant's MSN, and the page
// shows the merchant's `msn` claim; the CIBA panel starts its logins for the merchant too.
// Run by tests/e2e/run.sh on a second stack
// (PARTNER_MSN is the merchant the demo logs in for).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "./chromium.mjs";

const { WWW_URL, EMULATOR_URL, PARTNER_MSN } = process.env;
let browser;

before(async () => {
  browser = await launchChromium();
});
after(async () => browser?.close());

const partnerTokens = async () => (await (await fetch(`${EMULATOR_URL}/_emulator/stats`)).json())["partner-token"] ?? 0;

/** Approves the authorize page the browser is on (checking it names the merchant), back to the callback. */
async function approveAsMerchant(page) {
  await page.waitForURL((url) => url.href.startsWith(EMULATOR_URL));
  const authorize = new URL(page.url());
  assert.equal(authorize.searchParams.get("msn"), PARTNER_MSN);
  assert.ok(!authorize.searchParams.has("client_id"), authorize.href);
  await page.waitForSelector("#approve");
  await page.click("#approve");
  await page.waitForURL(/callback\.html/);
  const card = page.locator("#claims-card");
  await card.waitFor({ state: "visible", timeout: 30000 });
  return card.innerText();
}

for (const [button, how] of [
  ["#login", /verified in this browser/],
  ["#login-switch", /validated by the worker/],
]) {
  test(`partner login (${button}): msn= at Vipps, Bearer + Merchant-Serial-Number at the token endpoint, the msn claim shown`, async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    const before = await partnerTokens();
    await page.goto(`${WWW_URL}/`);
    await page.click(button);
    if (button === "#login-switch") {
      await page.locator("#waiting").waitFor({ state: "visible", timeout: 20000 });
      await page.click("#vipps-link");
    }
    const text = await approveAsMerchant(page);
    assert.match(text, /Ola Nordmann/);
    assert.match(text, how);
    assert.match(text, new RegExp(`\\bmsn\\s+${PARTNER_MSN}\\b`));
    assert.equal((await partnerTokens()) - before, 1, "the emulator saw the partner's Bearer token once");
    await context.close();
  });
}

test("the CIBA panel on a partner's demo starts the login for the merchant: the claims carry its msn", async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1400 } });
  const page = await context.newPage();
  await page.goto(`${WWW_URL}/`);
  await page.waitForFunction(() => !document.getElementById("ciba-start").disabled);
  await page.click("#ciba-start");
  await page.locator("#ciba-approve").waitFor({ state: "visible", timeout: 20000 });
  await page.click("#ciba-approve");
  await page.locator("#ciba-claims-card").waitFor({ state: "visible", timeout: 45000 });
  assert.match(await page.innerText("#ciba-claims"), new RegExp(`\\bmsn\\s+${PARTNER_MSN}\\b`));
  await context.close();
});
