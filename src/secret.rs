//! Newtypes for values that must never be printed: credentials, tokens, PKCE verifiers,
//! authorization codes, `state`, `nonce` and login session keys.
//!
//! Their `Debug` prints only the type's name. Long-lived credentials and access tokens
//! are `Clone` (they are reused for their whole validity); single-use values (PKCE
//! verifier, authorization code, `state`, `nonce`) are not, so a copy cannot linger.
//! The value is reached only through `secret()`, a name that stands out in review.

use alloc::string::String;
use core::fmt;

macro_rules! secret_newtype {
    ($(#[$doc:meta])* $name:ident $(, $derive:ident)*) => {
        $(#[$doc])*
        #[derive($($derive),*)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The value itself. Never log it.
            pub fn secret(&self) -> &str {
                &self.0
            }

            /// Gives the value up.
            pub fn into_secret(self) -> String {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }
    };
}

secret_newtype!(
    /// An OAuth client secret (`client_secret`, Vipps portal).
    ClientSecret, Clone
);
secret_newtype!(
    /// The `Ocp-Apim-Subscription-Key` of the Vipps portal.
    SubscriptionKey, Clone
);
secret_newtype!(
    /// A bearer access token (Access Token API, partner token, Login).
    AccessToken, Clone
);
secret_newtype!(
    /// A PKCE `code_verifier` (RFC 7636 section 4.1). Single use.
    CodeVerifier
);
secret_newtype!(
    /// An OAuth authorization `code` (RFC 6749 section 4.1.2). Single use.
    AuthorizationCode
);
secret_newtype!(
    /// An OAuth `state` value (RFC 6749 section 10.12). Single use.
    State
);
secret_newtype!(
    /// An OpenID Connect `nonce` (OpenID Connect Core 1.0 section 3.1.2.1). Single use.
    Nonce
);
secret_newtype!(
    /// The key that binds a server-held login session to the browser that started it
    /// (RFC 9700 section 4.7, login CSRF; the IETF browser-based-apps BCP): only that browser
    /// holds it, the server keeps only its SHA-256. Single use.
    SessionKey
);

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // `black_box` keeps the optimiser from turning the fold into an early exit.
    core::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_value() {
        let printed = format!(
            "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            ClientSecret::new("s3cr3t-client"),
            SubscriptionKey::new("s3cr3t-sub"),
            AccessToken::new("s3cr3t-token"),
            CodeVerifier::new("s3cr3t-verifier"),
            AuthorizationCode::new("s3cr3t-code"),
            State::new("s3cr3t-state"),
            Nonce::new("s3cr3t-nonce"),
            SessionKey::new("s3cr3t-session-key"),
        );
        assert!(!printed.contains("s3cr3t"), "{printed}");
        assert!(printed.contains("ClientSecret(<redacted>)"));
    }

    #[test]
    fn secret_gives_the_value_back() {
        let v = CodeVerifier::new("abc");
        assert_eq!(v.secret(), "abc");
        assert_eq!(v.into_secret(), "abc");
    }

    #[test]
    fn constant_time_eq_compares_content_and_length() {
        assert!(constant_time_eq(b"abcdefgh", b"abcdefgh"));
        assert!(!constant_time_eq(b"abcdefgh", b"abcdefgX"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(constant_time_eq(b"", b""));
    }
}
