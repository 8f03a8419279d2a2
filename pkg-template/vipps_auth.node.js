// The package's entry in Node >= 20 (`exports` condition `node`, SSR bundles included): the
// browser build, initialized on import from the wasm beside this file. scripts/build-pkg.sh
// generates vipps_auth.node.cjs (for `require`) from this file.
import { readFileSync } from "node:fs";
import { initSync } from "./vipps_auth.js";

initSync({ module: readFileSync(new URL("./vipps_auth_bg.wasm", import.meta.url)) });

export * from "./vipps_auth.js";
export { default } from "./vipps_auth.js";
