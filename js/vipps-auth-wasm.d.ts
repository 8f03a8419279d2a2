// The wasm-bindgen glue of npm-wasm/ as js/ imports it ("vipps-auth-wasm", an alias esbuild
// resolves to the glue wasm-pack generates): for `tsc --checkJs` over js/, which runs before
// anything is built. scripts/build-pkg.sh checks that the generated glue declares `call` as
// below, word for word.
export function call(op: number, request: Uint8Array | number[], token: Uint8Array | number[], keys: Uint8Array | number[] | null | undefined, body: Uint8Array | number[]): string;
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
export type SyncInitInput = BufferSource | WebAssembly.Module;
export default function init(module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<unknown>;
export function initSync(module: { module: SyncInitInput } | SyncInitInput): unknown;
