// The demo, end to end, as people would use it (and misuse it): the Vipps emulator's consent
// page, the worker's code exchange, and the SPA's own checks, in real Chromium. Each browser
// context is a separate browser profile (its own storage): what another browser, another
// device or another person would be.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { launchChromium } from "./chromium.mjs";

const { WWW_URL, WORKER_URL, EMULATOR_URL, WORKER_API_KEY, ARTIFACTS, WWW_DIR } = process.env;
let browser;

before(async () => {
  browser = await launchChromium();
});
after(async () => browser?.close());

/** A fresh browser profile (its own sessionStorage and localStorage). */
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

/** Clicks the server-held login and answers the authorize URL the waiting tab shows. */
async function startServerLogin(page) {
  await page.goto(`${WWW_URL}/`);
  await page.click("#login-switch");
  await page.locator("#waiting").waitFor({ state: "visible", timeout: 20000 });
  const url = await page.getAttribute("#vipps-link", "href");
  assert.ok(url.startsWith(EMULATOR_URL), url);
  return url;
}

/** Approves an authorize URL at the emulator without a browser: the callback URL it redirects to. */
async function approveElsewhere(authorizeUrl) {
  const res = await fetch(`${authorizeUrl}&emulator_auto_approve=true`, { redirect: "manual" });
  assert.equal(res.status, 302);
  const callback = res.headers.get("location");
  assert.match(callback, /callback\.html\?code=/);
  return callback;
}

/** On the callback page of a login another browser started: says "yes, I started it elsewhere". */
async function confirmHandOff(page) {
  await page.locator("#handoff-confirm").waitFor({ state: "visible", timeout: 20000 });
  await page.click("#confirm-handoff");
}

async function errorText(page) {
  const box = page.locator("#error");
  await box.waitFor({ state: "visible", timeout: 20000 });
  return box.innerText();
}

async function signedIn(page) {
  const card = page.locator("#claims-card");
  await card.waitFor({ state: "visible", timeout: 30000 });
  return card.innerText();
}

/** Nothing identifying in the page or in the profile's storage. */
async function assertNoIdentity(page) {
  const seen = await page.evaluate(() => ({
    text: document.body.innerText,
    html: document.documentElement.outerHTML,
    storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
  }));
  for (const needle of ["Ola", "Nordmann", "ola.nordmann", "4712345678", "eyJ"]) {
    assert.ok(!seen.html.includes(needle) && !seen.storage.includes(needle), `no identity (${needle}) in the page or its storage`);
  }
  assert.equal(await page.locator("#claims-card").isVisible(), false);
}

/** Calls the worker from a page (as that browser, with its Origin). */
function fromPage(page, route, body) {
  return page.evaluate(
    async ([url, body]) => {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      return { status: res.status, text: await res.text() };
    },
    [`${WORKER_URL}${route}`, body],
  );
}

const forgedKey = () => randomBytes(32).toString("base64url");
const tokenCalls = async () =>
  (await (await fetch(`${EMULATOR_URL}/_emulator/stats`)).json())["/access-management-1.0/access/oauth2/token"] ?? 0;

test("a login approved at Vipps shows the verified claims and userinfo", async () => {
  const page = await freshPage();
  await startLogin(page, "#login");
  await page.click("#approve");
  await page.waitForURL(/callback\.html/);
  const text = await signedIn(page);
  assert.match(text, /Ola Nordmann/);
  assert.match(text, /verified in this browser/);
  for (const claim of ["iss", "aud", "sub", "nonce", "at_hash"]) assert.match(text, new RegExp(`\\b${claim}\\b`));
  assert.match(text, /ola\.nordmann@example\.com/);
  await page.locator("#claims-card").screenshot({ path: path.join(ARTIFACTS, "claims-card.png") });
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
  // Approve the same authorize request outside the page, and arrive at the callback with
  // another state than the one this browser sent.
  const tampered = new URL(await approveElsewhere(page.url()));
  tampered.searchParams.set("state", "tampered-state-0123456789");
  await page.goto(tampered.href);
  assert.match(await errorText(page), /ERR_STATE_MISMATCH/);
  assert.equal(await page.locator("#claims-card").isVisible(), false);
  await page.context().close();
});

test("a server-held login finished in the browser that started it signs in there, with its sessionKey", async () => {
  const page = await freshPage();
  await startServerLogin(page);
  await page.click("#vipps-link");
  await page.waitForSelector("#approve");
  await page.click("#approve");
  await page.waitForURL(/callback\.html/);
  const text = await signedIn(page);
  assert.match(text, /Ola Nordmann/);
  assert.match(text, /validated by the worker/);
  const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(":session:")));
  assert.deepEqual(keys, [], "the sessionKey is removed once used");
  await page.context().close();
});

test("(a) the hand-off: started in A, approved in B; B shows no identity and sends the user back, A signs in by itself", async () => {
  const a = await freshPage();
  const authorizeUrl = await startServerLogin(a);
  const b = await freshPage();
  await b.goto(authorizeUrl);
  await b.click("#approve");
  await b.waitForURL(/callback\.html/);
  await confirmHandOff(b);
  await b.locator("#handed-off").waitFor({ state: "visible", timeout: 20000 });
  assert.match(await b.locator("#handed-off").innerText(), /Go back to the browser where you started/);
  await assertNoIdentity(b);
  await b.screenshot({ path: path.join(ARTIFACTS, "demo-handed-off.png"), fullPage: true });

  const text = await signedIn(a); // A polls /login/result and signs in without a click
  assert.match(text, /Ola Nordmann/);
  assert.match(text, /validated by the worker/);
  assert.equal(await a.locator("#waiting").isVisible(), false);
  await a.screenshot({ path: path.join(ARTIFACTS, "demo-signed-in-by-itself.png"), fullPage: true });
  await a.context().close();
  await b.context().close();
});

test("(b) login CSRF: a victim opening the callback of a login the attacker started and approved is not signed in and sees no identity", async () => {
  const attacker = await freshPage();
  const callback = await approveElsewhere(await startServerLogin(attacker));
  const victim = await freshPage();
  // Asked first, the victim (who started nothing) cancels: nothing reaches the worker.
  const exchanges = await tokenCalls();
  await victim.goto(callback);
  await victim.locator("#handoff-confirm").waitFor({ state: "visible", timeout: 20000 });
  await assertNoIdentity(victim);
  await victim.click("#cancel-handoff");
  await victim.locator("#handoff-cancelled").waitFor({ state: "visible", timeout: 20000 });
  assert.equal(await tokenCalls(), exchanges, "the attacker's code was not exchanged");
  // A victim who says yes all the same is still not signed in, and sees nothing.
  await victim.reload();
  await confirmHandOff(victim);
  await victim.locator("#handed-off").waitFor({ state: "visible", timeout: 20000 });
  await assertNoIdentity(victim);
  // The login went to the browser holding the key: the attacker's own, as the attacker.
  assert.match(await signedIn(attacker), /Ola Nordmann/);
  await assertNoIdentity(victim);
  await attacker.context().close();
  await victim.context().close();
});

test("(c) a leaked callback URL replayed in another browser gets no identity, before or after the owner uses it", async () => {
  // Leaked before the owner's browser used it (a synced history, a proxy log): the thief is
  // first, and still gets nothing; the owner's browser then signs in with its key.
  const owner = await freshPage();
  const authorizeUrl = await startServerLogin(owner);
  await owner.click("#vipps-link"); // at Vipps in this tab: the owner's way back is the callback
  await owner.waitForSelector("#approve");
  const leaked = await approveElsewhere(authorizeUrl);
  const thief = await freshPage();
  await thief.goto(leaked);
  await confirmHandOff(thief);
  await thief.locator("#handed-off").waitFor({ state: "visible", timeout: 20000 });
  await assertNoIdentity(thief);
  await owner.goto(leaked);
  assert.match(await signedIn(owner), /Ola Nordmann/);

  // Replayed after the login: refused outright.
  const late = await freshPage();
  await late.goto(leaked);
  await confirmHandOff(late);
  assert.match(await errorText(late), /ERR_LOGIN_SESSION/);
  await assertNoIdentity(late);
  for (const page of [owner, thief, late]) await page.context().close();
});

test("(d) a forged sessionKey gets nothing from /login/result or /login/token, and spoils nothing for the real browser", async () => {
  const owner = await freshPage();
  const authorizeUrl = await startServerLogin(owner);
  const state = new URL(authorizeUrl).searchParams.get("state");
  const callback = await approveElsewhere(authorizeUrl);
  const code = new URL(callback).searchParams.get("code");

  const forger = await freshPage();
  await forger.goto(`${WWW_URL}/`);
  for (const r of [
    await fromPage(forger, "/login/result", { state, sessionKey: forgedKey() }),
    await fromPage(forger, "/login/token", { code, state, sessionKey: forgedKey() }),
  ]) {
    assert.equal(r.status, 400, r.text);
    assert.equal(JSON.parse(r.text).error, "ERR_LOGIN_SESSION");
    assert.ok(!/Ola|idToken|claims/.test(r.text), r.text);
  }
  // Handed off by a third browser; the forger still gets nothing, the owner signs in.
  const other = await freshPage();
  await other.goto(callback);
  await confirmHandOff(other);
  await other.locator("#handed-off").waitFor({ state: "visible", timeout: 20000 });
  const late = await fromPage(forger, "/login/result", { state, sessionKey: forgedKey() });
  assert.equal(late.status, 400, late.text);
  assert.match(await signedIn(owner), /Ola Nordmann/);
  for (const page of [owner, forger, other]) await page.context().close();
});

test("the token panel shows how a server calls the worker, without the key; the line works with the key from the terminal", async () => {
  const page = await freshPage();
  await page.goto(`${WWW_URL}/`);
  const line = page.locator("#curl-accesstoken");
  await page.waitForFunction(() => document.getElementById("curl-accesstoken").textContent.includes("curl"));
  const curl = await line.innerText();
  assert.match(curl, /\$WORKER_API_KEY/);
  assert.ok(!(await page.content()).includes(WORKER_API_KEY), "the key is not in the page");
  const run = async () => {
    const { stdout } = await promisify(execFile)("bash", ["-c", curl], { env: { ...process.env, WORKER_API_KEY } });
    return JSON.parse(stdout);
  };
  const first = await run();
  assert.equal(first.tokenType, "Bearer");
  const second = await run();
  assert.equal(second.cached, true);
  assert.equal(second.accessToken, first.accessToken);
  await page.context().close();
});

test("no page or file the demo serves holds WORKER_API_KEY", async () => {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.push(path.relative(WWW_DIR, full));
    }
  };
  walk(WWW_DIR);
  assert.ok(files.includes("demo-config.json") && files.includes("index.html") && files.some((f) => f.endsWith(".wasm")), files.join(" "));
  for (const file of files) {
    const res = await fetch(`${WWW_URL}/${file.split(path.sep).join("/")}`);
    assert.equal(res.status, 200, file);
    const body = Buffer.from(await res.arrayBuffer());
    assert.ok(!body.includes(WORKER_API_KEY), `${file} holds the worker's API key`);
  }
  // And nothing a page loads or shows.
  const page = await freshPage();
  const bodies = [];
  page.on("response", async (res) => bodies.push(await res.body().catch(() => Buffer.alloc(0))));
  await page.goto(`${WWW_URL}/`);
  await page.waitForFunction(() => document.getElementById("curl-accesstoken").textContent.includes("curl"));
  await page.goto(`${WWW_URL}/callback.html`);
  await page.locator("#error").waitFor({ state: "visible", timeout: 20000 });
  assert.ok(bodies.length >= 5);
  for (const body of bodies) assert.ok(!body.includes(WORKER_API_KEY), "a response to the page holds the key");
  await page.context().close();
});

/** Sends a request head and `sent` of a body, then drops the connection after `holdMs`. */
function dropHalfSentBody(contentLength, sent, holdMs) {
  const { hostname, port } = new URL(WORKER_URL);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST /login/token HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${contentLength}\r\n\r\n${sent}`,
      );
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, holdMs);
    });
    socket.on("error", resolve);
  });
}

test("the demo's worker survives clients that drop a half-sent body", async () => {
  await dropHalfSentBody("10000000000", '{"', 1500);
  await dropHalfSentBody("10000", '{"', 1500);
  await Promise.all(Array.from({ length: 5 }, () => dropHalfSentBody("2000", '{"code"', 300)));
  const health = await fetch(`${WORKER_URL}/healthz`);
  assert.equal(health.status, 200);
  const config = await fetch(`${WORKER_URL}/login/config`);
  assert.equal(config.status, 200, "and still serves logins");
});

test("the worker is the one talking to Vipps: the emulator counted its token calls", async () => {
  const stats = await (await fetch(`${EMULATOR_URL}/_emulator/stats`)).json();
  assert.ok(stats["/access-management-1.0/access/oauth2/token"] >= 5, JSON.stringify(stats));
  assert.equal(stats["/accesstoken/get"], 1, "the second access token came from the worker's cache");
  assert.ok((await fetch(`${WORKER_URL}/healthz`)).ok);
});

test("a crafted callback's error text never shows on the page, as Vipps' words or at all", async () => {
  const marker = "Call-support-at-+4799999999-MARKER";
  const craftedCode = "pay_the_fee_MARKER";
  const shownText = async (page) => {
    const text = await errorText(page);
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    return { text, html };
  };
  // Opened cold (the link an attacker sends) and in a browser that started a login (the state matches).
  const cold = await freshPage();
  await cold.goto(`${WWW_URL}/callback.html?error=access_denied&error_description=${marker}&state=crafted-state-0123456789`);
  const started = await freshPage();
  await startLogin(started, "#login");
  const state = new URL(started.url()).searchParams.get("state");
  await started.goto(`${WWW_URL}/callback.html?error=${craftedCode}&error_description=${marker}&state=${state}`);
  for (const [page, code] of [[cold, "access_denied"], [started, "unrecognised"]]) {
    const { text, html } = await shownText(page);
    assert.match(text, /ERR_AUTHORIZATION_RESPONSE/);
    assert.match(text, new RegExp(`error code: ${code}`));
    assert.ok(!text.includes("MARKER") && !html.includes("MARKER"), text);
    assert.ok(!/Vipps said/.test(text), text);
    await page.context().close();
  }
});

test("with iss in Vipps' redirects (RFC 9207), a login succeeds; a callback with another iss is refused before any token exchange", async () => {
  const setIss = (enabled) => fetch(`${EMULATOR_URL}/_emulator/authorization-iss`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ enabled }),
  });
  assert.equal((await setIss(true)).status, 200);
  try {
    const issuer = (await (await fetch(`${EMULATOR_URL}/_emulator/config`)).json()).issuer;
    const page = await freshPage();
    await startLogin(page, "#login");
    await page.click("#approve");
    await page.waitForURL(/callback\.html/);
    assert.equal(new URL(page.url()).searchParams.get("iss"), issuer, "the emulator sent iss");
    assert.match(await signedIn(page), /Ola Nordmann/);
    await page.context().close();

    for (const flow of ["#login", "#login-switch"]) {
      const victim = await freshPage();
      const authorizeUrl = flow === "#login" ? (await startLogin(victim, flow), victim.url()) : await startServerLogin(victim);
      const callback = new URL(await approveElsewhere(authorizeUrl));
      assert.equal(callback.searchParams.get("iss"), issuer);
      callback.searchParams.set("iss", "https://evil.example/access-management-1.0/access/");
      const before = await tokenCalls();
      await victim.goto(callback.href);
      assert.match(await errorText(victim), /ERR_CALLBACK_ISSUER/, flow);
      assert.equal(await tokenCalls(), before, `no token exchange (${flow})`);
      assert.equal(await victim.locator("#claims-card").isVisible(), false);
      await victim.context().close();
    }
  } finally {
    await setIss(false);
  }
});
