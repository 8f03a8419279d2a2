//! What a `LoginSession` object keeps, and how a presented key is compared with it.

use core::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use vipps_auth::secret::constant_time_eq;

/// How long a started login may be finished (from `/login/start` to the code).
pub const SESSION_TTL_SECS: i64 = 600;
/// How long a login finished for another browser waits for the starting one to collect it.
pub const RESULT_TTL_SECS: i64 = 300;

/// SHA-256 of a `sessionKey`, hex: all the object keeps of the key.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct KeyHash(String);

impl KeyHash {
    pub fn of(key: &str) -> Self {
        KeyHash(
            Sha256::digest(key.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        )
    }

    /// Compared in time that depends on neither value (both are 64 hex characters; a stored
    /// hash of another length compares as unequal all the same).
    pub fn matches(&self, stored: &KeyHash) -> bool {
        constant_time_eq(self.0.as_bytes(), stored.0.as_bytes())
    }

    /// A hash no key has (64 characters outside hex), to compare against when there is no
    /// session, so that an unknown session costs the same comparison as a wrong key.
    pub fn none() -> Self {
        KeyHash("-".repeat(64))
    }
}

impl fmt::Debug for KeyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyHash(<redacted>)")
    }
}

/// What `/login/start` made for the exchange. Never leaves the object once stored.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Started {
    pub nonce: String,
    pub code_verifier: String,
    pub redirect_uri: String,
    /// The merchant a partner started the login for (`msn` of `/login/start`, partner mode):
    /// the exchange authenticates for it and checks it in the ID token's `msn` claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msn: Option<String>,
    /// The scope the authorize URL asked for: the exchange refuses a login Vipps granted more
    /// (the URL passed through the caller, who may have changed it). `None` only in a session
    /// stored before the worker kept it; `LOGIN_SCOPE` still limits that one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Whether the answer carries userinfo: the starting browser's choice at `/login/start`,
    /// never that of whoever sends the code (a browser without the key must not decide what
    /// the starting browser gets).
    #[serde(default = "yes")]
    pub include_userinfo: bool,
}

fn yes() -> bool {
    true
}

/// Where a session is.
#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "camelCase")]
pub enum Phase {
    /// Waiting for the code.
    Started(Started),
    /// Exchanged for a browser without the key: the answer (JSON) waits for the key's holder.
    HandedOff { answer: String },
}

/// One session, as stored (JSON under one storage key).
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub key_hash: KeyHash,
    /// Epoch seconds after which the session is gone, whatever its phase.
    pub expires_at: i64,
    #[serde(flatten)]
    pub phase: Phase,
}

impl Record {
    pub fn is_live(&self, now: i64) -> bool {
        now < self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::{KeyHash, Phase, Record, Started};

    #[test]
    fn a_key_matches_only_its_own_hash() {
        let stored = KeyHash::of("key-one");
        assert!(KeyHash::of("key-one").matches(&stored));
        assert!(!KeyHash::of("key-two").matches(&stored));
        assert!(!KeyHash::none().matches(&stored));
        assert!(!KeyHash::of("key-one").matches(&KeyHash::none()));
    }

    #[test]
    fn neither_the_hash_nor_the_record_prints_a_secret() {
        let key = "s3cr3t-session-key";
        assert!(!format!("{:?}", KeyHash::of(key)).contains(&KeyHash::of(key).0));
        let record = Record {
            key_hash: KeyHash::of(key),
            expires_at: 10,
            phase: Phase::Started(Started {
                nonce: "n".into(),
                code_verifier: "v".into(),
                redirect_uri: "https://a/cb".into(),
                msn: Some("123456".into()),
                scope: Some("openid name".into()),
                include_userinfo: false,
            }),
        };
        let json = serde_json::to_string(&record).unwrap();
        assert!(!json.contains(key), "the key itself is never stored");
        let back: Record = serde_json::from_str(&json).unwrap();
        assert!(KeyHash::of(key).matches(&back.key_hash));
        assert!(back.is_live(9) && !back.is_live(10));
        let Phase::Started(started) = back.phase else {
            panic!("not started")
        };
        assert_eq!(started.scope.as_deref(), Some("openid name"));
        assert!(!started.include_userinfo);
    }

    #[test]
    fn a_session_stored_before_scope_and_include_userinfo_were_kept_still_reads() {
        let json = r#"{"keyHash":"ab","expiresAt":10,"phase":"started","nonce":"n","codeVerifier":"v","redirectUri":"https://a/cb"}"#;
        let Phase::Started(started) = serde_json::from_str::<Record>(json).unwrap().phase else {
            panic!("not started")
        };
        assert_eq!(started.scope, None);
        assert!(started.include_userinfo);
    }
}
