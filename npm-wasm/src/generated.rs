//! The files generated from the table of operations (`operations.rs`): `js/operations.js`,
//! which the JS entry reads its operation ids, parameter and field lists, types and refusal
//! reasons from, and the error-code union of `pkg-template/vipps_auth.d.ts`. The tests here
//! fail when a committed file is not what the table generates; run them with
//! `VIPPS_AUTH_REGENERATE=1` to write the files instead:
//!
//! ```sh
//! VIPPS_AUTH_REGENERATE=1 cargo test -p vipps-auth-wasm generated
//! ```

use std::path::PathBuf;

use vipps_auth::{ErrorKind, ERROR_CODES};

use crate::input::reason;
use crate::operations::{Options, Type, JS_ERRORS, OPERATIONS};

/// The marker lines around the generated part of the `.d.ts`.
const DTS_START: &str =
    "// generated:error-codes (npm-wasm/src/generated.rs): do not edit until the end marker";
const DTS_END: &str = "// generated:error-codes:end";
/// The heading of docs/errors.md above the JS entry's codes (`JS_ERRORS`).
const JS_CODES_HEADING: &str = "## Codes the JS entry adds";

impl Type {
    /// The type's name in `js/operations.js`.
    fn js_name(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Number => "number",
            Type::Boolean => "boolean",
            Type::Strings => "strings",
            Type::Scope => "scope",
            Type::Record => "record",
            Type::Jwks => "jwks",
            Type::Token => "token",
            Type::KeySet => "keySet",
            Type::Options(options) => options.name,
        }
    }
}

fn list(pairs: &[(&str, Type)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(name, ty)| format!(r#"["{name}", "{}"]"#, ty.js_name()))
        .collect();
    format!("[{}]", items.join(", "))
}

/// The text of `js/operations.js`.
fn operations_js() -> String {
    let mut out = String::from(
        "// @ts-check\n\
         // Generated from the table of operations, npm-wasm/src/operations.rs, by npm-wasm/src/generated.rs:\n\
         // do not edit (VIPPS_AUTH_REGENERATE=1 cargo test -p vipps-auth-wasm generated writes it again).\n\n\
         /**\n * Every operation of the wasm by its JS name: `id` for `call`, and its parameters in order as\n\
         \x20* [name, type]. A type is one of REASONS' keys, or an options type of OPTIONS.\n\
         \x20* @type {Record<string, {id: number, params: [string, string][]}>}\n */\n\
         export const OPERATIONS = {\n",
    );
    let mut options: Vec<&Options> = Vec::new();
    for (id, op) in OPERATIONS.iter().enumerate() {
        out += &format!(
            "  \"{}\": {{ id: {id}, params: {} }},\n",
            op.name,
            list(op.params)
        );
        for (_, ty) in op.params {
            if let Type::Options(o) = ty {
                if !options.iter().any(|known| known.name == o.name) {
                    options.push(o);
                }
            }
        }
    }
    out += "};\n\n/**\n * The fields of each options type, [name, type], read by name (own or\n\
             \x20* inherited, getters too, but never from Object.prototype: js/request.js; other members\n\
             \x20* are ignored).\n * @type {Record<string, [string, string][]>}\n */\n\
             export const OPTIONS = {\n";
    for o in options {
        out += &format!("  {}: {},\n", o.name, list(o.fields));
    }
    out += "};\n\n/**\n * Why a value is refused, by type (`options` for every options type), and for a value that\n\
             \x20* is not a string in a `record`, a freed `KeySet`, and a property whose getter threw.\n\
             \x20* @type {Record<string, string>}\n */\nexport const REASONS = {\n";
    let types = [
        Type::String,
        Type::Number,
        Type::Boolean,
        Type::Strings,
        Type::Scope,
        Type::Record,
        Type::Jwks,
        Type::Token,
        Type::KeySet,
    ];
    for ty in types {
        out += &format!("  {}: \"{}\",\n", ty.js_name(), ty.reason());
    }
    for (name, text) in [
        ("options", reason::OBJECT),
        ("recordValue", reason::RECORD_VALUE),
        ("freed", reason::FREED),
        ("unreadable", reason::UNREADABLE),
    ] {
        out += &format!("  {name}: \"{text}\",\n");
    }
    // The message as the core writes it, with the two values as template placeholders.
    let message = ErrorKind::InvalidParams {
        param: "\u{1}",
        reason: "\u{2}",
    }
    .message();
    let template = message
        .replace('`', "\\`")
        .replace('\u{1}', "${param}")
        .replace('\u{2}', "${reason}");
    out += &format!(
        "}};\n\n/**\n * The `err` of a refused argument, as the wasm answers it (ErrorKind::InvalidParams).\n\
         \x20* @param {{string}} param\n * @param {{string}} reason\n */\n\
         export function invalidParams(param, reason) {{\n  \
         return {{ code: \"{}\", message: `{template}`, cause: {{ param }} }};\n}}\n",
        ErrorKind::InvalidParams { param: "", reason: "" }.code()
    );
    out += "\n/**\n * The errors the JS entry throws itself (JS_ERRORS of the table), by code.\n\
             \x20* @type {Record<string, {code: string, message: string}>}\n */\nexport const JS_ERRORS = {\n";
    for (code, message) in JS_ERRORS {
        out += &format!("  {code}: {{ code: \"{code}\", message: \"{message}\" }},\n");
    }
    out += "};\n";
    out
}

/// The codes the package can throw: every code some operation lists, in the core's order,
/// then the JS entry's own.
fn package_codes() -> Vec<&'static str> {
    ERROR_CODES
        .iter()
        .copied()
        .filter(|code| OPERATIONS.iter().any(|op| op.errors.contains(code)))
        .chain(JS_ERRORS.iter().map(|(code, _)| *code))
        .collect()
}

/// The generated part of the `.d.ts`, markers included.
fn error_code_union() -> String {
    let mut out = format!("{DTS_START}\n/** Every stable error code a `VippsAuthError` can carry. */\nexport type VippsAuthErrorCode =\n");
    for line in package_codes().chunks(4) {
        let quoted: Vec<String> = line.iter().map(|c| format!("\"{c}\"")).collect();
        out += &format!("| {}\n", quoted.join(" | "));
    }
    out.pop();
    out += &format!(";\n{DTS_END}");
    out
}

fn repo_file(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
}

/// Checks (or, with `VIPPS_AUTH_REGENERATE=1`, writes) `path`, whose current text is `old`.
fn check(path: &str, old: &str, new: &str) {
    if std::env::var_os("VIPPS_AUTH_REGENERATE").is_some() {
        std::fs::write(repo_file(path), new).unwrap();
    } else {
        assert!(old == new, "{path} is not what npm-wasm/src/operations.rs generates: run VIPPS_AUTH_REGENERATE=1 cargo test -p vipps-auth-wasm generated");
    }
}

#[test]
fn js_operations_is_generated_from_the_table() {
    let path = "js/operations.js";
    let old = std::fs::read_to_string(repo_file(path)).unwrap_or_default();
    check(path, &old, &operations_js());
}

#[test]
fn the_dts_error_code_union_is_generated_from_the_table() {
    let path = "pkg-template/vipps_auth.d.ts";
    let old = std::fs::read_to_string(repo_file(path)).unwrap();
    let (Some(start), Some(end)) = (old.find(DTS_START), old.find(DTS_END)) else {
        panic!("{path} has no {DTS_START:?} ... {DTS_END:?} block");
    };
    let new = format!(
        "{}{}{}",
        &old[..start],
        error_code_union(),
        &old[end + DTS_END.len()..]
    );
    check(path, &old, &new);
}

#[test]
fn docs_errors_md_lists_the_js_entrys_codes_in_their_own_table() {
    // The core's test reads the table up to this heading; the codes after it are the JS entry's.
    let docs = include_str!("../../docs/errors.md");
    let Some((_, js_part)) = docs.split_once(JS_CODES_HEADING) else {
        panic!("docs/errors.md has no {JS_CODES_HEADING:?} section");
    };
    let documented: Vec<&str> = js_part
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .collect();
    let defined: Vec<&str> = JS_ERRORS.iter().map(|(code, _)| *code).collect();
    assert_eq!(documented, defined);
}

#[test]
fn the_generated_refusal_is_the_wasms_own() {
    // invalidParams in js/operations.js answers what reply.rs writes for the same error.
    let reply = crate::reply::write(Err(ErrorKind::InvalidParams {
        param: "p",
        reason: "r",
    }
    .into()));
    assert_eq!(
        reply,
        r#"{"err":{"code":"ERR_INVALID_PARAMS","message":"invalid parameter `p`: r","cause":{"param":"p"}}}"#
    );
    assert!(operations_js().contains("return { code: \"ERR_INVALID_PARAMS\", message: `invalid parameter \\`${param}\\`: ${reason}`, cause: { param } };"));
}
