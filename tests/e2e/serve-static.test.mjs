// scripts/serve-static.mjs, the demo's file server, against the requests that broke it
// (review finding L11): a bad percent-escape must be a 400 and leave the server up, and a
// sibling directory sharing the root's prefix must stay out of reach. Node >= 20.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rawRequest, startServeStatic } from "./serve-static-process.mjs";

const base = mkdtempSync(join(tmpdir(), "serve-static-"));
const www = join(base, "www");
let child;
let port;

/** A raw GET (no client-side normalisation of the path). */
const get = (path) => rawRequest({ port, path });

before(async () => {
  mkdirSync(www);
  mkdirSync(join(base, "www-evil"));
  writeFileSync(join(www, "index.html"), "demo page");
  writeFileSync(join(base, "www-evil", "secret.txt"), "outside the root");
  ({ child, port } = await startServeStatic(www));
});

after(() => {
  child?.kill();
  rmSync(base, { recursive: true, force: true });
});

test("a bad percent-escape is 400 and the server keeps serving", async () => {
  for (const path of ["/%E0%A4%A", "/%", "/%zz"]) {
    assert.equal((await get(path)).status, 400, path);
  }
  const page = await get("/");
  assert.equal(page.status, 200);
  assert.equal(page.text, "demo page");
});

test("a sibling directory that shares the root's prefix is refused", async () => {
  const r = await get("/..%2fwww-evil/secret.txt");
  assert.equal(r.status, 403);
  assert.ok(!r.text.includes("outside the root"));
  assert.equal((await get("/..%2f..%2fetc/passwd")).status, 403);
});
