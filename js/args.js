// The arguments of a call into the wasm, as one JSON array (src/js/args.rs reads it with
// the API's checks and messages). Values JSON cannot carry become a marker object whose
// one member is named "\0", so the wasm can still refuse them by name: functions, symbols,
// bigints and non-finite numbers ("\0": typeof), properties whose getter threw
// ("unreadable"), KeySets ("KeySet", or "freed" after `free()`), and a token sent apart
// ("text", `IN_TEXT`).

const UNREADABLE = { "\0": "unreadable" };

/** The marker of each live or freed KeySet (set by js/keyset.js), and of `IN_TEXT`. */
export const markers = new WeakMap();

/**
 * Stands for a token the call sends as its `text` bytes instead (src/js/args.rs
 * `token_arg`): not JSON-escaped here, nor scanned as JSON in the wasm.
 */
export const IN_TEXT = {};
markers.set(IN_TEXT, "text");

function replacer(_key, v) {
  const t = typeof v;
  if (t === "object" && v !== null && markers.has(v)) return { "\0": markers.get(v) };
  if (t === "function" || t === "symbol" || t === "bigint" || (t === "number" && !Number.isFinite(v))) return { "\0": t };
  return v;
}

/**
 * JSON text of an argument list; "" (which the wasm refuses as unreadable) when it has none.
 * Each argument on its own, so a string (a token: the long one) skips the replacer's calls.
 */
export function encode(args) {
  try {
    let out = "[";
    for (let i = 0; i < args.length; i++) {
      const v = args[i];
      out += (i ? "," : "") + ((typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v, replacer)) ?? "null");
    }
    return out + "]";
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
  const out = {};
  for (const name of names) {
    try {
      out[name] = o[name];
    } catch {
      out[name] = UNREADABLE;
    }
  }
  return out;
}
