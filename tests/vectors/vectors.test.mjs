// The Wycheproof vectors (vectors.mjs) through the built package under Node.
// Vectors: $VIPPS_AUTH_VECTORS, else ../shared/vectors or ../../shared/vectors beside the
// checkout; without them this prints SKIPPED and passes.
import test from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadPackage } from "../node/helpers.mjs";
import { runAll } from "./vectors.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const vectorsDir = [process.env.VIPPS_AUTH_VECTORS, path.join(repo, "../shared/vectors"), path.join(repo, "../../shared/vectors")]
  .filter(Boolean).find((d) => existsSync(path.join(d, "wycheproof/json_web_signature_test.json")));

test("Wycheproof vectors through the package (Node)", async (t) => {
  if (!vectorsDir) {
    console.log(`SKIPPED: vectors not found at ${process.env.VIPPS_AUTH_VECTORS ?? "../shared/vectors, ../../shared/vectors"} (set VIPPS_AUTH_VECTORS)`);
    t.skip("vectors not found");
    return;
  }
  const pkg = await loadPackage();
  const crypto = await import(pathToFileURL(path.join(repo, "js/webcrypto.js")).href);
  const load = (name) => JSON.parse(readFileSync(path.join(vectorsDir, "wycheproof", name), "utf8"));
  for (const r of await runAll(pkg, crypto, load)) {
    console.log(`${r.name}: ${r.checked} cases, ${r.failures.length} unexpected`);
    assert.deepEqual(r.failures, [], r.name);
    assert.ok(r.checked >= r.min, `${r.name}: only ${r.checked} cases`);
  }
});
