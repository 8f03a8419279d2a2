// The arguments of a call into the wasm, as one JSON array (src/js/args.rs reads it with
// the API's checks and messages). Values JSON cannot carry become a marker object whose
// one member is named "\0", so the wasm can still refuse them by name: functions, symbols,
// bigints and non-finite numbers ("\0": typeof), properties whose getter threw
// ("unreadable"), KeySets ("KeySet", or "freed" after `free()`), and a token sent apart
// ("token", `APART`).

const UNREADABLE = { "\0": "unreadable" };

/** The marker of each live or freed KeySet (set by js/keyset.js), and of `APART`. */
export const markers = new WeakMap();

/**
 * Stands for a token sent apart from the JSON, as `call`'s `token` bytes (src/js/args.rs
 * `token_arg`): `JSON.stringify` of a ~1 KB token and the wasm's scan of it cost more than
 * the whole rest of a call's arguments.
 */
export const APART = {};
markers.set(APART, "token");

function replacer(_key, v) {
  const t = typeof v;
  if (t === "object" && v !== null && markers.has(v)) return { "\0": markers.get(v) };
  if (t === "function" || t === "symbol" || t === "bigint" || (t === "number" && !Number.isFinite(v))) return { "\0": t };
  return v;
}

/** An options object as `pick` made it: own members named by the package, read already. */
class Picked {}

/**
 * JSON text of one value, as `JSON.stringify(v, replacer)` writes it; strings, finite
 * numbers, booleans, `null` and picked option objects without the replacer's calls (a
 * verification encodes a token and an options object every time).
 */
function json(v) {
  const t = typeof v;
  if (t === "string") return JSON.stringify(v);
  if (t === "boolean" || v === null || (t === "number" && Number.isFinite(v))) return String(v);
  if (v === undefined) return undefined;
  if (markers.has(v)) return JSON.stringify(replacer("", v));
  if (!(v instanceof Picked)) return JSON.stringify(v, replacer);
  let out = "";
  // The names are the package's own (plain identifiers): no escaping needed.
  for (const name of Object.keys(v)) {
    const text = json(v[name]);
    if (text !== undefined) out += `${out ? "," : ""}"${name}":${text}`;
  }
  return "{" + out + "}";
}

/** JSON text of an argument list; "" (which the wasm refuses as unreadable) when it has none. */
export function encode(args) {
  try {
    return "[" + args.map((v) => json(v) ?? "null").join(",") + "]";
  } catch {
    return "";
  }
}

/**
 * The named fields of an options object, read as property gets (so inherited properties and
 * getters count, unknown keys are ignored); anything but an object is passed on as is, for
 * the wasm to refuse.
 */
export function pick(o, names) {
  if (o === null || typeof o !== "object" || Array.isArray(o)) return o;
  const out = new Picked();
  for (const name of names) {
    try {
      out[name] = o[name];
    } catch {
      out[name] = UNREADABLE;
    }
  }
  return out;
}
