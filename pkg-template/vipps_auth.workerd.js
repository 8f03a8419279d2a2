// The package's entry in Cloudflare Workers (`exports` conditions `workerd`, `worker`): the
// wasm imported as a module (wrangler bundles it as one) and instantiated synchronously on
// import, since Workers refuse to compile wasm bytes at run time.
import module from "./vipps_auth_bg.wasm";
import { initSync } from "./vipps_auth.js";

initSync({ module });

export * from "./vipps_auth.js";
export { default } from "./vipps_auth.js";
