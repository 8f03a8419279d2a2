//! The table of the package's operations: the single source of the names, parameters and
//! error codes of the JS API (DESIGN.md, "Browser package"). The JS entry calls an operation
//! by its index here; `js/operations.js` (the ids, parameter and option field lists with their
//! types, and the refusal reasons) and the error-code union of `pkg-template/vipps_auth.d.ts`
//! are generated from this table, and `generated.rs` fails the tests when they are not current.
//!
//! The readers of `input.rs` check, in the tests, that every parameter and option field an
//! operation reads is declared here with the type it is read as: a field missing from the
//! table would be silently dropped by the JS entry, which sends only the declared ones.
//!
//! The table is a `const`: the wasm keeps only its `run` column ([`RUN`], extracted at compile
//! time), not the names, types and codes, which only the tests and the generator read.

use alloc::string::String;

use vipps_auth::Result;

use crate::input::{invalid, Call, Input};
use crate::ops::{authorize, callback, discovery, endpoints, jwt, keyset, pkce, verify};
use crate::reply::{self, Reply};

/// What a parameter or option field must be. The JS entry checks the JS value against it
/// before anything is encoded (`js/request.js`), which catches what JSON cannot carry
/// (functions, symbols, `undefined` inside objects, objects with `toJSON`); the wasm reads
/// the JSON with the same types and the same words (`input.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// A string.
    String,
    /// A finite number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An array of strings.
    Strings,
    /// A space-separated string or an array of strings (`scope`).
    Scope,
    /// An object whose values are strings (`extraParams`).
    Record,
    /// A JWK set (RFC 7517 section 5): an object, or its JSON text.
    Jwks,
    /// An options object with the fields of its [`Options`].
    Options(&'static Options),
    /// A JWT, a string; it crosses apart from the request, as `call`'s `token`.
    Token,
    /// A `KeySet` of the package; its JWK set crosses as `call`'s `keys`.
    KeySet,
}

/// An options type of the API: its name in the `.d.ts` and its fields, in reading order.
#[derive(Debug, PartialEq, Eq)]
#[allow(dead_code)] // read by the tests only
pub struct Options {
    /// The TypeScript name.
    pub name: &'static str,
    /// Each field's name and type.
    pub fields: &'static [(&'static str, Type)],
}

/// One operation of the wasm.
#[allow(dead_code)] // the wasm reads `run` only
pub struct Operation {
    /// The JS API's name for it.
    pub name: &'static str,
    /// The JS function's parameters, in order.
    pub params: &'static [(&'static str, Type)],
    /// Every error code the JS function can throw (its I/O included): the `.d.ts` union, and
    /// what the tests allow each operation to answer.
    pub errors: &'static [&'static str],
    /// The operation.
    pub run: Run,
}

/// An operation's function.
pub type Run = fn(&Input) -> Result<Reply>;

/// `AuthorizeParams` (OpenID Connect Core 1.0 section 3.1.2.1, with the Vipps additions).
pub const AUTHORIZE_PARAMS: Options = Options {
    name: "AuthorizeParams",
    fields: &[
        ("authorizationEndpoint", Type::String),
        ("clientId", Type::String),
        ("msn", Type::String),
        ("redirectUri", Type::String),
        ("scope", Type::Scope),
        ("requestedFlow", Type::String),
        ("appCallbackUri", Type::String),
        ("finalRedirectIsApp", Type::Boolean),
        ("acrValues", Type::String),
        ("extraParams", Type::Record),
        ("state", Type::String),
        ("nonce", Type::String),
        ("codeChallenge", Type::String),
    ],
};

/// `ParseCallbackOptions`.
pub const PARSE_CALLBACK_OPTIONS: Options = Options {
    name: "ParseCallbackOptions",
    fields: &[("issuer", Type::String)],
};

/// `RemoteKeySetOptions`.
pub const REMOTE_KEY_SET_OPTIONS: Options = Options {
    name: "RemoteKeySetOptions",
    fields: &[
        ("cacheMaxAgeSec", Type::Number),
        ("cooldownSec", Type::Number),
        ("timeoutMs", Type::Number),
    ],
};

/// `VerifyOptions`.
pub const VERIFY_OPTIONS: Options = Options {
    name: "VerifyOptions",
    fields: &[("algorithms", Type::Strings)],
};

/// `ValidateIdTokenOptions` (OpenID Connect Core 1.0 section 3.1.3.7).
pub const VALIDATE_ID_TOKEN_OPTIONS: Options = Options {
    name: "ValidateIdTokenOptions",
    fields: &[
        ("issuer", Type::String),
        ("clientId", Type::String),
        ("msn", Type::String),
        ("nonce", Type::String),
        ("keys", Type::KeySet),
        ("algorithms", Type::Strings),
        ("clockToleranceSec", Type::Number),
        ("now", Type::Number),
        ("maxAgeSec", Type::Number),
        ("accessToken", Type::String),
    ],
};

/// The errors the JS entry throws itself, without asking the wasm: code and message. The code
/// joins the core's in the `.d.ts` union and in docs/errors.md (its own table, tested in
/// `generated.rs`); `js/operations.js` carries each as an `err` the entry throws.
#[allow(dead_code)] // read by the generator only
pub const JS_ERRORS: &[(&str, &str)] = &[(
    "ERR_NOT_INITIALIZED",
    "vipps-auth is not initialized: call `await init()` (or `initSync({ module })`) once before any other function; in Node and Cloudflare Workers the package initializes itself on import",
)];

/// Every operation; its index is its id in `call`.
pub const OPERATIONS: &[Operation] = &[
    Operation {
        name: "endpoints",
        params: &[("env", Type::String)],
        errors: &["ERR_INVALID_PARAMS"],
        run: endpoints::endpoints,
    },
    Operation {
        name: "generateCodeVerifier",
        params: &[],
        errors: &["ERR_RANDOM"],
        run: pkce::generate_code_verifier,
    },
    Operation {
        name: "codeChallengeS256",
        params: &[("verifier", Type::String)],
        errors: &["ERR_INVALID_PARAMS"],
        run: pkce::code_challenge_s256,
    },
    Operation {
        name: "randomState",
        params: &[],
        errors: &["ERR_RANDOM"],
        run: pkce::random_state,
    },
    Operation {
        name: "randomNonce",
        params: &[],
        errors: &["ERR_RANDOM"],
        run: pkce::random_nonce,
    },
    Operation {
        name: "buildAuthorizeUrl",
        params: &[("params", Type::Options(&AUTHORIZE_PARAMS))],
        errors: &["ERR_INVALID_PARAMS"],
        run: authorize::build_authorize_url,
    },
    Operation {
        name: "startLogin",
        params: &[("params", Type::Options(&AUTHORIZE_PARAMS))],
        errors: &["ERR_INVALID_PARAMS", "ERR_RANDOM"],
        run: authorize::start_login,
    },
    Operation {
        name: "parseCallback",
        params: &[
            ("callbackUrl", Type::String),
            ("expectedState", Type::String),
            ("opts", Type::Options(&PARSE_CALLBACK_OPTIONS)),
        ],
        errors: &[
            "ERR_INVALID_PARAMS",
            "ERR_STATE_MISMATCH",
            "ERR_AUTHORIZATION_RESPONSE",
            "ERR_CALLBACK_MALFORMED",
            "ERR_CALLBACK_ISSUER",
        ],
        run: callback::parse_callback,
    },
    Operation {
        name: "decodeJwt",
        params: &[("token", Type::Token)],
        errors: &["ERR_INVALID_PARAMS", "ERR_JWT_MALFORMED"],
        run: jwt::decode_jwt,
    },
    Operation {
        name: "KeySet.fromJwks",
        params: &[("jwks", Type::Jwks)],
        errors: &["ERR_INVALID_PARAMS", "ERR_JWKS_MALFORMED"],
        run: keyset::from_jwks,
    },
    Operation {
        name: "KeySet.remote",
        params: &[
            ("jwksUri", Type::String),
            ("opts", Type::Options(&REMOTE_KEY_SET_OPTIONS)),
        ],
        errors: &[
            "ERR_INVALID_PARAMS",
            "ERR_JWKS_MALFORMED",
            "ERR_HTTP",
            "ERR_RESPONSE_MALFORMED",
            "ERR_NETWORK",
            "ERR_TIMEOUT",
        ],
        run: keyset::remote,
    },
    Operation {
        name: "verifyJwt",
        params: &[
            ("token", Type::Token),
            ("keys", Type::KeySet),
            ("opts", Type::Options(&VERIFY_OPTIONS)),
        ],
        errors: &[
            "ERR_INVALID_PARAMS",
            "ERR_JWT_MALFORMED",
            "ERR_JWT_UNSUPPORTED_HEADER",
            "ERR_ALG_NOT_ALLOWED",
            "ERR_KEY_NOT_FOUND",
            "ERR_KEY_AMBIGUOUS",
            "ERR_KEY_UNSUITABLE",
            "ERR_SIGNATURE_INVALID",
            "ERR_CRYPTO",
            // A remote key set's fetch.
            "ERR_JWKS_MALFORMED",
            "ERR_HTTP",
            "ERR_RESPONSE_MALFORMED",
            "ERR_NETWORK",
            "ERR_TIMEOUT",
        ],
        run: verify::verify_jwt,
    },
    Operation {
        name: "validateIdToken",
        params: &[
            ("token", Type::Token),
            ("opts", Type::Options(&VALIDATE_ID_TOKEN_OPTIONS)),
        ],
        errors: &[
            "ERR_INVALID_PARAMS",
            "ERR_JWT_MALFORMED",
            "ERR_JWT_UNSUPPORTED_HEADER",
            "ERR_ALG_NOT_ALLOWED",
            "ERR_KEY_NOT_FOUND",
            "ERR_KEY_AMBIGUOUS",
            "ERR_KEY_UNSUITABLE",
            "ERR_SIGNATURE_INVALID",
            "ERR_CRYPTO",
            // A remote key set's fetch.
            "ERR_JWKS_MALFORMED",
            "ERR_HTTP",
            "ERR_RESPONSE_MALFORMED",
            "ERR_NETWORK",
            "ERR_TIMEOUT",
            "ERR_CLAIM_EXPIRED",
            "ERR_CLAIM_NOT_YET_VALID",
            "ERR_CLAIM_ISSUER",
            "ERR_CLAIM_AUDIENCE",
            "ERR_CLAIM_NONCE",
            "ERR_CLAIM_AT_HASH",
            "ERR_CLAIM_AUTH_TIME",
            "ERR_CLAIM_MISSING",
            "ERR_CLAIM_INVALID",
        ],
        run: verify::validate_id_token,
    },
    Operation {
        name: "discover",
        params: &[("issuerOrConfigUrl", Type::String)],
        errors: &[
            "ERR_INVALID_PARAMS",
            "ERR_DISCOVERY_ISSUER",
            "ERR_HTTP",
            "ERR_RESPONSE_MALFORMED",
            "ERR_NETWORK",
            "ERR_TIMEOUT",
        ],
        run: discovery::discover,
    },
];

/// The `run` column of [`OPERATIONS`], by id.
static RUN: [Run; OPERATIONS.len()] = {
    // Filled with any operation first: every entry is overwritten below.
    let mut run: [Run; OPERATIONS.len()] = [pkce::random_state; OPERATIONS.len()];
    let mut id = 0;
    while id < OPERATIONS.len() {
        run[id] = OPERATIONS[id].run;
        id += 1;
    }
    run
};

/// Runs operation `op` on what `call` carried: the reply's JSON text.
pub fn run(op: u32, call: &Call<'_>) -> String {
    reply::write(match RUN.get(op as usize) {
        Some(run) => Input::read(op as usize, call).and_then(|input| run(&input)),
        None => Err(invalid("op", "is not an operation of this package")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_listed_code_is_a_core_code_and_names_are_distinct() {
        for (i, op) in OPERATIONS.iter().enumerate() {
            assert!(
                OPERATIONS.iter().take(i).all(|o| o.name != op.name),
                "{} twice",
                op.name
            );
            for code in op.errors {
                assert!(
                    vipps_auth::ERROR_CODES.contains(code),
                    "{}: {code}",
                    op.name
                );
            }
        }
    }

    #[test]
    fn an_unknown_operation_is_refused_not_a_panic() {
        let reply = run(
            OPERATIONS.len() as u32,
            &Call {
                request: b"{}",
                token: b"",
                keys: None,
                body: b"",
            },
        );
        assert!(reply.contains("ERR_INVALID_PARAMS"), "{reply}");
    }
}
