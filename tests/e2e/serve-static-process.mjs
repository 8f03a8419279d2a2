// scripts/serve-static.mjs as a child process for the node tests that attack it, and a raw
// HTTP request to it (node's fetch normalises paths and will not set Host).
import { spawn } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("../../scripts/serve-static.mjs", import.meta.url));

/**
 * Starts serve-static on a free loopback port with `args` after the port (e.g. `--merchant`).
 * @returns {Promise<{child: import("node:child_process").ChildProcess, port: number}>}
 */
export async function startServeStatic(dir, args = [], env = process.env) {
  const child = spawn(process.execPath, [SERVER, dir, "0", ...args], { stdio: ["ignore", "pipe", "inherit"], env });
  const port = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      const m = /on http:\/\/127\.0\.0\.1:(\d+)/.exec(chunk.toString());
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (code) => reject(new Error(`serve-static exited (${code})`)));
  });
  return { child, port };
}

/** One request with exactly this path and these headers; resolves to {status, headers, text}. */
export function rawRequest({ port, path, method = "GET", headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
