// The thrown errors of the package (DESIGN.md): an `Error` whose `name` is "VippsAuthError",
// with `code` and, when the failure came from Vipps, `vippsError`, `vippsErrorDescription`
// and `status`. The wasm exports answer `{ok}` or `{err}` JSON (src/js/reply.rs); `err`
// already carries the core's code and message, so wording lives in one place.

/** A VippsAuthError from `{code, message, vippsError?, vippsErrorDescription?, status?}`. */
export function vippsAuthError(fields) {
  return Object.assign(new Error(fields.message), { name: "VippsAuthError" }, fields);
}

/** The value of a wasm export's reply, or its error thrown. */
export function unwrap(reply) {
  const r = JSON.parse(reply);
  if (r.err) throw vippsAuthError(r.err);
  return r.ok;
}

/**
 * "name: message" of a thrown JS value, at most 200 code points of message, as the core's
 * `platform::describe` words it; platform messages carry no secret of ours.
 */
export function describe(e) {
  return e instanceof Error ? `${e.name}: ${Array.from(String(e.message)).slice(0, 200).join("")}` : "a non-Error value was thrown";
}
