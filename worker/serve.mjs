// Serves the built worker (build/, from `worker-build --release`) on plain Miniflare/workerd,
// configured from wrangler.toml as wrangler itself reads it: the Durable Objects, the
// `[[ratelimits]]` bindings, `[vars]` and a local `.dev.vars`, then `--var NAME:VALUE`
// overrides. The demo (scripts/stack.sh) runs the worker this way instead of `wrangler dev`,
// whose dev proxy exits when a client drops a half-sent body (TOOLCHAIN.md, 2026-12):
// workerd answers such a client and keeps serving.
//
//   node serve.mjs --port 8787 [--host 127.0.0.1] [--persist DIR] [--var NAME:VALUE ...]
//
// Prints "vipps-auth worker listening on <url>" when ready; SIGINT/SIGTERM stop it. Node >= 22.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const here = fileURLToPath(new URL(".", import.meta.url));
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    host: { type: "string", default: "127.0.0.1" },
    persist: { type: "string" },
    var: { type: "string", multiple: true, default: [] },
  },
});

const vars = {};
for (const pair of values.var) {
  const at = pair.indexOf(":");
  if (at < 1) {
    console.error(`--var takes NAME:VALUE, not ${JSON.stringify(pair.slice(0, 40))}`);
    process.exit(2);
  }
  vars[pair.slice(0, at)] = pair.slice(at + 1);
}

const { workerOptions } = unstable_getMiniflareWorkerOptions(join(here, "wrangler.toml"));
const mf = new Miniflare({
  ...workerOptions,
  name: "vipps-auth",
  modules: true,
  scriptPath: join(here, "build/index.js"),
  modulesRoot: join(here, "build"),
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"], fallthrough: true }],
  bindings: { ...workerOptions.bindings, ...vars },
  host: values.host,
  port: Number(values.port),
  durableObjectsPersist: values.persist ?? false,
  log: new Log(LogLevel.INFO),
});

const url = await mf.ready;
console.log(`vipps-auth worker listening on ${url.origin}`);

const stop = async () => {
  await mf.dispose();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
