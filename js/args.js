// The arguments of a call into the wasm, as one JSON array (src/js/args.rs reads it with
// the API's checks and messages). Values JSON cannot carry become a marker object whose
// one member is named "\0", so the wasm can still refuse them by name: functions, symbols,
// bigints and non-finite numbers ("\0": typeof), properties whose getter threw
// ("unreadable"), and KeySets ("KeySet", or "freed" after `free()`).

const UNREADABLE = { "\0": "unreadable" };

/** The marker of each live or freed KeySet (set by js/keyset.js). */
export const markers = new WeakMap();

function replacer(_key, v) {
  const t = typeof v;
  if (t === "object" && v !== null && markers.has(v)) return { "\0": markers.get(v) };
  if (t === "function" || t === "symbol" || t === "bigint" || (t === "number" && !Number.isFinite(v))) return { "\0": t };
  return v;
}

/** JSON text of an argument list; "" (which the wasm refuses as unreadable) when it has none. */
export function encode(args) {
  try {
    return JSON.stringify(args, replacer);
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
