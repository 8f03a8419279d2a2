// The demo's merchant backend (demo only): the side of a merchant-initiated login (CIBA) that
// holds WORKER_API_KEY, which never reaches a page. Mounted under /merchant/ by
// scripts/serve-static.mjs --merchant, on the demo's own origin:
//
//   GET  /merchant/config        {phoneNumber?, emulator}: the emulator's test user's number
//   POST /merchant/ciba/start    {phoneNumber} -> the worker's /login/ciba/start answer
//   POST /merchant/ciba/poll     {authReqId}   -> the worker's /login/ciba/poll answer
//   POST /merchant/ciba/approve  {authReqId}   -> the emulator's /_emulator/ciba/approve: "the
//                                 user opens the Vipps app and approves" (emulator only; it
//                                 has no CORS and listens on loopback, so the page comes here)
//
// Settings from the environment: WORKER_URL, WORKER_API_KEY, EMULATOR_URL (optional), and
// LOGIN_PARTNER_MSNS (a partner's demo: logins are started for the first merchant).
// Only JSON POSTs from this origin are taken: another site's form cannot start a login here
// (a JSON content type needs a CORS preflight, which this server never answers). "This origin"
// is the loopback address it listens on (http://127.0.0.1:<port> or http://localhost:<port>),
// never what a request's Host header claims: a DNS-rebinding page (evil.example resolving to
// 127.0.0.1) sends Host and Origin both evil.example and would otherwise pass as same-origin.

const MAX_BODY = 4096;

function send(res, status, body) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on("data", (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error("body too large"), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The fields of a JSON object body, each a string, or a 400. */
async function fields(req, names) {
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch (e) {
    throw Object.assign(new Error(e.status ? e.message : "the body must be JSON"), { status: e.status ?? 400 });
  }
  const out = {};
  for (const name of names) {
    if (typeof body?.[name] !== "string") throw Object.assign(new Error(`${name} (a string) is required`), { status: 400 });
    out[name] = body[name];
  }
  return out;
}

/**
 * Whether the request names this server by the address it is bound to: its Host is
 * `127.0.0.1:<port>` or `localhost:<port>` (the port it was received on), and its Origin, when
 * sent, is that same host over http. Anything else (a DNS-rebinding page's own name) is refused.
 */
function fromOwnOrigin(req) {
  const port = req.socket.localPort;
  const host = req.headers.host;
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return false;
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${host}`;
}

/** The worker's answer, relayed as it is (status, JSON body). */
async function relay(res, response) {
  send(res, response.status, await response.text());
}

/**
 * A request handler for /merchant/ paths: answers and returns true, or returns false for
 * any other path.
 */
export function merchantBackend({ workerUrl, apiKey, emulatorUrl, msn } = {}) {
  if (!workerUrl || !apiKey) throw new Error("--merchant needs WORKER_URL and WORKER_API_KEY in the environment");
  const worker = (path, body) =>
    fetch(`${workerUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  return async function handle(req, res, path) {
    if (!path.startsWith("/merchant/")) return false;
    if (!fromOwnOrigin(req)) {
      send(res, 403, { error: "ERR_ORIGIN_NOT_ALLOWED", message: "this origin only" });
      return true;
    }
    try {
      if (path === "/merchant/config" && req.method === "GET") {
        let phoneNumber;
        if (emulatorUrl) phoneNumber = (await (await fetch(`${emulatorUrl}/_emulator/config`)).json()).testUser?.phoneNumber;
        send(res, 200, { phoneNumber, emulator: Boolean(emulatorUrl) });
        return true;
      }
      if (req.method !== "POST") {
        send(res, 405, { error: "ERR_METHOD_NOT_ALLOWED", message: "POST only" });
        return true;
      }
      if (!(req.headers["content-type"] ?? "").startsWith("application/json")) {
        send(res, 403, { error: "ERR_ORIGIN_NOT_ALLOWED", message: "JSON from this origin only" });
        return true;
      }
      switch (path) {
        case "/merchant/ciba/start": {
          const { phoneNumber } = await fields(req, ["phoneNumber"]);
          await relay(res, await worker("/login/ciba/start", { phoneNumber, msn }));
          return true;
        }
        case "/merchant/ciba/poll": {
          const { authReqId } = await fields(req, ["authReqId"]);
          await relay(res, await worker("/login/ciba/poll", { authReqId }));
          return true;
        }
        case "/merchant/ciba/approve": {
          const { authReqId } = await fields(req, ["authReqId"]);
          if (!emulatorUrl) {
            send(res, 404, { error: "ERR_NOT_FOUND", message: "approve in the real Vipps app" });
            return true;
          }
          await relay(
            res,
            await fetch(`${emulatorUrl}/_emulator/ciba/approve`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ authReqId }),
            }),
          );
          return true;
        }
        default:
          send(res, 404, { error: "ERR_NOT_FOUND", message: "no such merchant route" });
          return true;
      }
    } catch (e) {
      send(res, e.status ?? 502, { error: e.status ? "ERR_BAD_REQUEST" : "ERR_HTTP", message: e.message });
      return true;
    }
  };
}
