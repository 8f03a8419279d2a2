//! ID-token claim validation: OpenID Connect Core 1.0 section 3.1.3.7 (steps numbered as
//! there), with the `at_hash` check of sections 3.1.3.6 / 3.3.2.11, the Vipps partner
//! variant that checks the `msn` claim instead of `aud`, and the `auth_req_id` claim of
//! Vipps' merchant-initiated login with redirect.
//!
//! [`validate`] takes a [`VerifiedJwt`], so the signature (steps 6 to 8) has already been
//! checked, under an algorithm the caller allowed, before any claim is read here.
//!
//! Times are whole seconds since the epoch (RFC 7519 section 2, NumericDate). This crate
//! reads them strictly: a JSON integer from 0 to [`MAX_NUMERIC_DATE`]; strings, fractions,
//! exponents, negative and absurd values are refused with [`ErrorKind::ClaimInvalid`].

use alloc::{borrow::ToOwned, string::String, vec::Vec};
use core::fmt;

use crate::sha256::sha256;

use crate::base64;
use crate::error::{ErrorKind, Result};
use crate::jose::{Algorithm, VerifiedJwt};
use crate::json;
use crate::secret::{constant_time_eq, AccessToken};

/// The default clock tolerance, in seconds, for `exp`, `iat`, `nbf` and `auth_time`.
pub const DEFAULT_CLOCK_TOLERANCE_SEC: i64 = 30;

/// The largest clock tolerance accepted, in seconds: beyond it the time checks mean little.
pub const MAX_CLOCK_TOLERANCE_SEC: i64 = 300;

/// The largest time accepted in a claim or as `now`: 9999-12-31T23:59:59Z.
pub const MAX_NUMERIC_DATE: i64 = 253_402_300_799;

/// Whom the token must be for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// A merchant's `client_id`: checked against `aud` and `azp` (steps 3 to 5).
    ClientId(String),
    /// A partner's merchant serial number: Vipps partners cannot check `aud` and check the
    /// `msn` claim instead (Vipps Login API, "Partner" flow).
    Msn(String),
}

/// What the caller expects of an ID token.
#[derive(Clone)]
pub struct IdTokenExpectations {
    /// The issuer, compared exactly (Vipps' ends with `/`).
    pub issuer: String,
    /// The client id, or for partners the `msn`.
    pub audience: Audience,
    /// The `nonce` sent in the authorization request, if one was sent.
    pub nonce: Option<String>,
    /// Allowed clock skew in seconds, 0 to [`MAX_CLOCK_TOLERANCE_SEC`]
    /// (default [`DEFAULT_CLOCK_TOLERANCE_SEC`]).
    pub clock_tolerance_sec: i64,
    /// The `max_age` sent in the authorization request, if any (OIDC Core 3.1.2.1).
    pub max_age_sec: Option<i64>,
    /// The access token issued with the ID token, to check `at_hash` against.
    pub access_token: Option<AccessToken>,
    /// For the redirect variant of merchant-initiated login: the `auth_req_id` of the login
    /// started, which the ID token's `auth_req_id` claim must equal (see [`validate`]).
    pub auth_req_id: Option<String>,
}

impl IdTokenExpectations {
    /// Expectations with no nonce, no `max_age`, no access token and the default tolerance.
    pub fn new(issuer: impl Into<String>, audience: Audience) -> Self {
        Self {
            issuer: issuer.into(),
            audience,
            nonce: None,
            clock_tolerance_sec: DEFAULT_CLOCK_TOLERANCE_SEC,
            max_age_sec: None,
            access_token: None,
            auth_req_id: None,
        }
    }
}

impl fmt::Debug for IdTokenExpectations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdTokenExpectations")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("nonce", &self.nonce.as_ref().map(|_| "<redacted>"))
            .field("clock_tolerance_sec", &self.clock_tolerance_sec)
            .field("max_age_sec", &self.max_age_sec)
            .field("access_token", &self.access_token)
            .field("auth_req_id", &self.auth_req_id)
            .finish()
    }
}

/// The `at_hash` of an access token (OpenID Connect Core 1.0 sections 3.1.3.6 and
/// 3.3.2.11): the base64url encoding of the left half of the hash of the token's ASCII
/// octets, the hash being the one of the ID token's `alg` (SHA-256 for RS256 and ES256).
pub fn at_hash(access_token: &str, alg: Algorithm) -> String {
    let digest = match alg {
        Algorithm::RS256 | Algorithm::ES256 => sha256(access_token.as_bytes()),
    };
    let half = digest.len() / 2;
    base64::encode_url(digest.get(..half).unwrap_or_default())
}

/// Validates the claims of a signature-checked ID token (OpenID Connect Core 1.0 section
/// 3.1.3.7) at time `now` (seconds since the epoch) and returns them.
///
/// Steps: 1 (decryption) does not apply, encrypted ID tokens are not supported;
/// 2 `iss`; 3 to 5 `aud` and `azp` (or the partner `msn`); 6 to 8 (signature and `alg`)
/// were done by the step that made the [`VerifiedJwt`]; 9 `exp`; 10 `iat`; `nbf`
/// (RFC 7519 section 4.1.5); `sub` (section 2); 11 `nonce`; 12 (`acr`) is not requested
/// by this API; 13 `auth_time`; `at_hash` (section 3.1.3.6); and, when expected, the
/// `auth_req_id` claim of Vipps' merchant-initiated login with redirect.
pub fn validate<'a>(
    token: &'a VerifiedJwt,
    expected: &IdTokenExpectations,
    now: i64,
) -> Result<&'a json::Object> {
    check_expectations(expected, now)?;
    let claims = token.claims();
    let tolerance = expected.clock_tolerance_sec;

    // Step 2: the issuer must exactly match, no normalisation.
    let iss = required_str(claims, "iss")?;
    if iss != expected.issuer {
        return Err(ErrorKind::ClaimIssuer {
            expected: expected.issuer.clone(),
            found: iss.to_owned(),
        }
        .into());
    }

    // Steps 3 to 5 (or the partner `msn` check that replaces them).
    match &expected.audience {
        Audience::ClientId(client_id) => check_audience(claims, client_id)?,
        Audience::Msn(msn) => check_msn(claims, msn)?,
    }

    // Step 9: the current time must be before `exp` (plus the tolerance).
    let exp = required_date(claims, "exp")?;
    if now > exp.saturating_add(tolerance) {
        return Err(ErrorKind::ClaimExpired { exp, now }.into());
    }

    // Step 10: `iat` must not be in the future.
    let iat = required_date(claims, "iat")?;
    if iat > now.saturating_add(tolerance) {
        return Err(ErrorKind::ClaimNotYetValid {
            claim: "iat",
            value: iat,
            now,
        }
        .into());
    }

    // RFC 7519 section 4.1.5: not to be accepted before `nbf`.
    if let Some(nbf) = optional_date(claims, "nbf")? {
        if nbf > now.saturating_add(tolerance) {
            return Err(ErrorKind::ClaimNotYetValid {
                claim: "nbf",
                value: nbf,
                now,
            }
            .into());
        }
    }

    // Section 2: `sub` is required, a non-empty string.
    if required_str(claims, "sub")?.is_empty() {
        return Err(ErrorKind::ClaimInvalid {
            claim: "sub",
            reason: "the subject is empty",
        }
        .into());
    }

    // Step 11: `nonce`.
    check_nonce(claims, expected.nonce.as_deref())?;

    // Step 13: with `max_age`, `auth_time` is required and must be recent enough.
    let auth_time = optional_date(claims, "auth_time")?;
    if let Some(max_age) = expected.max_age_sec {
        let Some(auth_time) = auth_time else {
            return Err(ErrorKind::ClaimMissing { claim: "auth_time" }.into());
        };
        if auth_time.saturating_add(max_age).saturating_add(tolerance) < now {
            return Err(ErrorKind::ClaimAuthTime {
                auth_time,
                max_age,
                now,
            }
            .into());
        }
    }

    // Section 3.1.3.6 (3.3.2.11): `at_hash`, when the token has one and the access token is given.
    if let (Some(claimed), Some(access_token)) = (claims.get("at_hash"), &expected.access_token) {
        let Some(claimed) = claimed.as_str() else {
            return Err(ErrorKind::ClaimInvalid {
                claim: "at_hash",
                reason: "not a string",
            }
            .into());
        };
        let computed = at_hash(access_token.secret(), token.alg());
        if !constant_time_eq(claimed.as_bytes(), computed.as_bytes()) {
            return Err(ErrorKind::ClaimAtHash.into());
        }
    }

    // Merchant-initiated login with redirect (Vipps Login API, "Redirect to browser", step
    // 3): the code reached the merchant through the user's browser without a `state`, so the
    // `auth_req_id` claim is what ties it to the login started: "The merchant must validate
    // that it contains the `auth_req_id` they have previously received".
    if let Some(expected_id) = &expected.auth_req_id {
        check_auth_req_id(claims, expected_id)?;
    }

    Ok(claims)
}

/// The `auth_req_id` check. Vipps' documentation names the claim `auth_req_id`, while the
/// example token on the same page carries `authReqId`; either spelling is read, every one
/// present must equal the login's (else [`ErrorKind::ClaimInvalid`]), and one must be present.
fn check_auth_req_id(claims: &json::Object, expected: &str) -> Result<()> {
    let mut found = false;
    for name in ["auth_req_id", "authReqId"] {
        if let Some(value) = claims.get(name) {
            if value.as_str() != Some(expected) {
                return Err(ErrorKind::ClaimInvalid {
                    claim: "auth_req_id",
                    reason: "not the auth_req_id of the login started",
                }
                .into());
            }
            found = true;
        }
    }
    if found {
        Ok(())
    } else {
        Err(ErrorKind::ClaimMissing {
            claim: "auth_req_id",
        }
        .into())
    }
}

/// Refuses expectations that would make a check meaningless.
fn check_expectations(expected: &IdTokenExpectations, now: i64) -> Result<()> {
    let bad = |param: &'static str, reason: &'static str| {
        Err(ErrorKind::InvalidParams { param, reason }.into())
    };
    if expected.issuer.is_empty() {
        return bad("issuer", "the issuer is empty");
    }
    match &expected.audience {
        Audience::ClientId(id) if id.is_empty() => {
            return bad("clientId", "the client id is empty")
        }
        Audience::Msn(msn) if msn.is_empty() => return bad("msn", "the msn is empty"),
        _ => {}
    }
    if expected.nonce.as_deref() == Some("") {
        return bad(
            "nonce",
            "the nonce is empty; leave it out when none was sent",
        );
    }
    if !(0..=MAX_CLOCK_TOLERANCE_SEC).contains(&expected.clock_tolerance_sec) {
        return bad("clockToleranceSec", "must be from 0 to 300 seconds");
    }
    if expected
        .max_age_sec
        .is_some_and(|m| !(0..=MAX_NUMERIC_DATE).contains(&m))
    {
        return bad("maxAgeSec", "must be a non-negative number of seconds");
    }
    if !(0..=MAX_NUMERIC_DATE).contains(&now) {
        return bad(
            "now",
            "must be seconds since the epoch, up to the year 9999",
        );
    }
    Ok(())
}

/// Steps 3 to 5: `aud` must list the client (3); with several audiences `azp` is required
/// (4); when `azp` is present it must be the client (5).
fn check_audience(claims: &json::Object, client_id: &str) -> Result<()> {
    let not_strings = ErrorKind::ClaimInvalid {
        claim: "aud",
        reason: "not a string or an array of strings",
    };
    let audiences: Vec<&str> = match claims.get("aud") {
        None => return Err(ErrorKind::ClaimMissing { claim: "aud" }.into()),
        Some(json::Value::String(s)) => vec![s.as_str()],
        Some(json::Value::Array(items)) => {
            let mut audiences = Vec::with_capacity(items.len());
            for item in items {
                audiences.push(item.as_str().ok_or_else(|| not_strings.clone())?);
            }
            audiences
        }
        Some(_) => return Err(not_strings.into()),
    };
    // Step 3.
    if !audiences.contains(&client_id) {
        return Err(ErrorKind::ClaimAudience {
            claim: "aud",
            reason: "aud does not contain the client id",
        }
        .into());
    }
    let azp = match claims.get("azp").map(json::Value::as_str) {
        None => None,
        Some(Some(azp)) => Some(azp),
        Some(None) => {
            return Err(ErrorKind::ClaimInvalid {
                claim: "azp",
                reason: "not a string",
            }
            .into())
        }
    };
    // Step 4.
    if audiences.len() > 1 && azp.is_none() {
        return Err(ErrorKind::ClaimAudience {
            claim: "azp",
            reason: "several audiences and no azp",
        }
        .into());
    }
    // Step 5.
    if azp.is_some_and(|azp| azp != client_id) {
        return Err(ErrorKind::ClaimAudience {
            claim: "azp",
            reason: "azp is not the client id",
        }
        .into());
    }
    Ok(())
}

/// The partner variant of steps 3 to 5: the `msn` claim must be the partner's merchant
/// serial number.
fn check_msn(claims: &json::Object, msn: &str) -> Result<()> {
    if required_str(claims, "msn")? != msn {
        return Err(ErrorKind::ClaimAudience {
            claim: "msn",
            reason: "msn is not the expected merchant serial number",
        }
        .into());
    }
    Ok(())
}

/// Step 11. With a nonce sent, the claim must equal it. Without one, Vipps sends
/// `nonce: ""`: absent or empty is accepted, any other value refused.
fn check_nonce(claims: &json::Object, expected: Option<&str>) -> Result<()> {
    let claim = match claims.get("nonce").map(json::Value::as_str) {
        None => None,
        Some(Some(nonce)) => Some(nonce),
        Some(None) => {
            return Err(ErrorKind::ClaimInvalid {
                claim: "nonce",
                reason: "not a string",
            }
            .into())
        }
    };
    let ok = match (expected, claim) {
        (Some(sent), Some(found)) => {
            !found.is_empty() && constant_time_eq(found.as_bytes(), sent.as_bytes())
        }
        (Some(_), None) => false,
        (None, found) => found.is_none_or(str::is_empty),
    };
    if ok {
        Ok(())
    } else {
        Err(ErrorKind::ClaimNonce.into())
    }
}

fn required_str<'a>(claims: &'a json::Object, claim: &'static str) -> Result<&'a str> {
    match claims.get(claim).map(json::Value::as_str) {
        None => Err(ErrorKind::ClaimMissing { claim }.into()),
        Some(Some(s)) => Ok(s),
        Some(None) => Err(ErrorKind::ClaimInvalid {
            claim,
            reason: "not a string",
        }
        .into()),
    }
}

fn required_date(claims: &json::Object, claim: &'static str) -> Result<i64> {
    match optional_date(claims, claim)? {
        Some(seconds) => Ok(seconds),
        None => Err(ErrorKind::ClaimMissing { claim }.into()),
    }
}

/// A NumericDate claim (RFC 7519 section 2), read strictly as a JSON integer in
/// `0..=MAX_NUMERIC_DATE`.
fn optional_date(claims: &json::Object, claim: &'static str) -> Result<Option<i64>> {
    let Some(value) = claims.get(claim) else {
        return Ok(None);
    };
    let json::Value::Number(n) = value else {
        return Err(ErrorKind::ClaimInvalid {
            claim,
            reason: "not a number",
        }
        .into());
    };
    let Some(seconds) = n.as_i64() else {
        return Err(ErrorKind::ClaimInvalid {
            claim,
            reason: "not an integer in range",
        }
        .into());
    };
    if !(0..=MAX_NUMERIC_DATE).contains(&seconds) {
        return Err(ErrorKind::ClaimInvalid {
            claim,
            reason: "out of range",
        }
        .into());
    }
    Ok(Some(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use sha2::{Digest, Sha256};

    const ISS: &str = "https://apitest.vipps.no/access-management-1.0/access/";
    const CLIENT: &str = "6b4c3c3e-client";
    const NOW: i64 = 1_700_000_000;
    const EXP: i64 = NOW + 3600;

    fn base_claims() -> json::Object {
        let mut c = json::Object::new();
        c.insert("iss", ISS);
        c.insert("aud", vec![json::Value::from(CLIENT)]);
        c.insert("exp", EXP);
        c.insert("iat", NOW - 10);
        c.insert("auth_time", NOW - 20);
        c.insert("sub", "c06c4afe-d9e1-4c5d-939a-177d752a0944");
        c.insert("nonce", "");
        c.insert("sid", "Lk-w7tZ4Q8KOzcOxOZvdnA");
        c.insert("jti", "b1a5b3c0-0000-4000-8000-000000000000");
        c
    }

    fn token(claims: json::Object) -> VerifiedJwt {
        let mut header = json::Object::new();
        header.insert("alg", "RS256");
        header.insert("kid", "public:0d6a4a8c-7e2b-4c6e-9f4f-0f6c4c2b8b8e");
        let b64 = |o: &json::Object| crate::base64::encode_url(o.to_json().as_bytes());
        let compact = crate::text::concat(&[&b64(&header), ".", &b64(&claims), ".AA"]);
        VerifiedJwt::new(Algorithm::RS256, crate::jose::jwt::parse(&compact).unwrap())
    }

    fn with(name: &str, value: impl Into<json::Value>) -> VerifiedJwt {
        let mut c = base_claims();
        c.insert(name, value);
        token(c)
    }

    fn without(name: &str) -> VerifiedJwt {
        let mut c = json::Object::new();
        for (n, v) in base_claims().iter().filter(|(n, _)| *n != name) {
            c.insert(n, v.clone());
        }
        token(c)
    }

    fn expect() -> IdTokenExpectations {
        IdTokenExpectations::new(ISS, Audience::ClientId(CLIENT.into()))
    }

    fn check(t: &VerifiedJwt, e: &IdTokenExpectations) -> Result<()> {
        validate(t, e, NOW).map(|_| ())
    }

    fn check_at(t: &VerifiedJwt, now: i64) -> Result<()> {
        validate(t, &expect(), now).map(|_| ())
    }

    fn strings(items: &[&str]) -> Vec<json::Value> {
        items.iter().map(|s| json::Value::from(*s)).collect()
    }

    /// An independent at_hash: SHA-256, left 128 bits, base64url without padding, written out here.
    fn reference_at_hash(access_token: &str) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let digest = Sha256::digest(access_token.as_bytes());
        let mut bits = String::new();
        for byte in &digest[..16] {
            bits.push_str(&format!("{byte:08b}"));
        }
        while bits.len() % 6 != 0 {
            bits.push('0');
        }
        (0..bits.len() / 6)
            .map(|i| {
                char::from(ALPHABET[usize::from_str_radix(&bits[i * 6..i * 6 + 6], 2).unwrap()])
            })
            .collect()
    }

    #[test]
    fn accepts_a_vipps_id_token_and_returns_its_claims() {
        let t = token(base_claims());
        assert_eq!(validate(&t, &expect(), NOW).unwrap(), &base_claims());
    }

    #[test]
    fn expectations_default_to_thirty_seconds_tolerance_and_no_optional_checks() {
        let e = expect();
        assert_eq!(e.clock_tolerance_sec, 30);
        assert_eq!(
            (
                e.nonce.is_none(),
                e.max_age_sec.is_none(),
                e.access_token.is_none()
            ),
            (true, true, true)
        );
    }

    // Step 2.

    #[test]
    fn rejects_token_from_another_issuer() {
        let other = "https://api.vipps.no/access-management-1.0/access/";
        assert_eq!(
            check(&with("iss", other), &expect()),
            Err(ErrorKind::ClaimIssuer {
                expected: ISS.into(),
                found: other.into()
            }
            .into())
        );
    }

    #[test]
    fn compares_the_issuer_exactly_without_normalising_the_trailing_slash() {
        assert_eq!(
            check(&with("iss", ISS.trim_end_matches('/')), &expect())
                .unwrap_err()
                .code(),
            "ERR_CLAIM_ISSUER"
        );
        let mut e = expect();
        e.issuer = ISS.trim_end_matches('/').into();
        assert_eq!(
            check(&token(base_claims()), &e).unwrap_err().code(),
            "ERR_CLAIM_ISSUER"
        );
    }

    #[test]
    fn rejects_token_without_a_string_issuer() {
        assert_eq!(
            check(&without("iss"), &expect()),
            Err(ErrorKind::ClaimMissing { claim: "iss" }.into())
        );
        assert_eq!(
            check(&with("iss", 1_i64), &expect()).unwrap_err().code(),
            "ERR_CLAIM_INVALID"
        );
    }

    // Steps 3 to 5.

    #[test]
    fn accepts_aud_as_a_string_or_a_one_entry_array() {
        assert_eq!(check(&with("aud", CLIENT), &expect()), Ok(()));
        assert_eq!(check(&with("aud", strings(&[CLIENT])), &expect()), Ok(()));
    }

    #[test]
    fn rejects_token_for_another_client() {
        let want: Result<()> = Err(ErrorKind::ClaimAudience {
            claim: "aud",
            reason: "aud does not contain the client id",
        }
        .into());
        assert_eq!(check(&with("aud", "someone-else"), &expect()), want);
        assert_eq!(
            check(&with("aud", strings(&["someone-else"])), &expect()),
            want
        );
        assert_eq!(check(&with("aud", strings(&[])), &expect()), want);
    }

    #[test]
    fn rejects_aud_array_with_an_extra_audience_and_no_azp() {
        assert_eq!(
            check(&with("aud", strings(&[CLIENT, "other"])), &expect()),
            Err(ErrorKind::ClaimAudience {
                claim: "azp",
                reason: "several audiences and no azp"
            }
            .into())
        );
    }

    #[test]
    fn accepts_aud_array_with_an_extra_audience_when_azp_is_the_client() {
        let mut c = base_claims();
        c.insert("aud", strings(&["other", CLIENT]));
        c.insert("azp", CLIENT);
        assert_eq!(check(&token(c), &expect()), Ok(()));
    }

    #[test]
    fn rejects_an_azp_naming_another_client() {
        let want: Result<()> = Err(ErrorKind::ClaimAudience {
            claim: "azp",
            reason: "azp is not the client id",
        }
        .into());
        assert_eq!(check(&with("azp", "other"), &expect()), want);
        let mut c = base_claims();
        c.insert("aud", strings(&[CLIENT, "other"]));
        c.insert("azp", "other");
        assert_eq!(check(&token(c), &expect()), want);
        assert_eq!(
            check(&with("azp", 5_i64), &expect()).unwrap_err().code(),
            "ERR_CLAIM_INVALID"
        );
    }

    #[test]
    fn rejects_aud_of_any_other_type() {
        let mut o = json::Object::new();
        o.insert("id", CLIENT);
        let bad: [json::Value; 4] = [
            7_i64.into(),
            o.into(),
            vec![json::Value::from(CLIENT), 7_i64.into()].into(),
            json::Value::Null,
        ];
        for value in bad {
            let code = check(&with("aud", value.clone()), &expect())
                .unwrap_err()
                .code();
            assert_eq!(code, "ERR_CLAIM_INVALID", "{value:?}");
        }
        assert_eq!(
            check(&without("aud"), &expect()),
            Err(ErrorKind::ClaimMissing { claim: "aud" }.into())
        );
    }

    #[test]
    fn partner_tokens_are_checked_by_msn_instead_of_aud() {
        let e = IdTokenExpectations::new(ISS, Audience::Msn("123456".into()));
        let mut c = base_claims();
        c.insert("aud", "partner-client-id-unknown-to-the-caller");
        c.insert("msn", "123456");
        assert_eq!(check(&token(c.clone()), &e), Ok(()));
        c.insert("msn", "654321");
        assert_eq!(
            check(&token(c.clone()), &e),
            Err(ErrorKind::ClaimAudience {
                claim: "msn",
                reason: "msn is not the expected merchant serial number"
            }
            .into())
        );
        c.insert("msn", 123456_i64);
        assert_eq!(
            check(&token(c), &e).unwrap_err().code(),
            "ERR_CLAIM_INVALID"
        );
        assert_eq!(
            check(&token(base_claims()), &e),
            Err(ErrorKind::ClaimMissing { claim: "msn" }.into())
        );
    }

    // Step 9.

    #[test]
    fn accepts_token_up_to_the_tolerance_after_exp() {
        assert_eq!(check_at(&token(base_claims()), EXP), Ok(()));
        assert_eq!(
            check_at(&token(base_claims()), EXP + DEFAULT_CLOCK_TOLERANCE_SEC),
            Ok(())
        );
    }

    #[test]
    fn rejects_token_one_second_past_exp_plus_tolerance() {
        let now = EXP + DEFAULT_CLOCK_TOLERANCE_SEC + 1;
        assert_eq!(
            check_at(&token(base_claims()), now),
            Err(ErrorKind::ClaimExpired { exp: EXP, now }.into())
        );
        let mut strict = expect();
        strict.clock_tolerance_sec = 0;
        assert_eq!(
            validate(&token(base_claims()), &strict, EXP).map(|_| ()),
            Ok(())
        );
        assert_eq!(
            validate(&token(base_claims()), &strict, EXP + 1)
                .unwrap_err()
                .code(),
            "ERR_CLAIM_EXPIRED"
        );
    }

    #[test]
    fn requires_exp_as_a_plain_integer() {
        assert_eq!(
            check(&without("exp"), &expect()),
            Err(ErrorKind::ClaimMissing { claim: "exp" }.into())
        );
        let reason = |t: &VerifiedJwt| match check(t, &expect()).map_err(Error::into_kind) {
            Err(ErrorKind::ClaimInvalid {
                claim: "exp",
                reason,
            }) => reason,
            other => panic!("{other:?}"),
        };
        assert_eq!(reason(&with("exp", EXP.to_string())), "not a number");
        for text in [
            format!("{EXP}.5"),
            format!("{EXP}.0"),
            "1.7e9".into(),
            "99999999999999999999".into(),
        ] {
            let doc = format!(r#"{{"exp":{text}}}"#);
            let value = json::parse_object(doc.as_bytes())
                .unwrap()
                .get("exp")
                .unwrap()
                .clone();
            assert_eq!(
                reason(&with("exp", value)),
                "not an integer in range",
                "{text}"
            );
        }
        assert_eq!(reason(&with("exp", -1_i64)), "out of range");
        assert_eq!(reason(&with("exp", MAX_NUMERIC_DATE + 1)), "out of range");
        assert_eq!(check(&with("exp", MAX_NUMERIC_DATE), &expect()), Ok(()));
    }

    // Step 10 and nbf.

    #[test]
    fn rejects_token_issued_in_the_future_beyond_the_tolerance() {
        assert_eq!(
            check(&with("iat", NOW + DEFAULT_CLOCK_TOLERANCE_SEC), &expect()),
            Ok(())
        );
        let iat = NOW + DEFAULT_CLOCK_TOLERANCE_SEC + 1;
        assert_eq!(
            check(&with("iat", iat), &expect()),
            Err(ErrorKind::ClaimNotYetValid {
                claim: "iat",
                value: iat,
                now: NOW
            }
            .into())
        );
    }

    #[test]
    fn requires_iat() {
        assert_eq!(
            check(&without("iat"), &expect()),
            Err(ErrorKind::ClaimMissing { claim: "iat" }.into())
        );
        assert_eq!(
            check(&with("iat", "yesterday"), &expect())
                .unwrap_err()
                .code(),
            "ERR_CLAIM_INVALID"
        );
    }

    #[test]
    fn rejects_token_used_before_nbf() {
        assert_eq!(
            check(&with("nbf", NOW + DEFAULT_CLOCK_TOLERANCE_SEC), &expect()),
            Ok(())
        );
        let nbf = NOW + DEFAULT_CLOCK_TOLERANCE_SEC + 1;
        assert_eq!(
            check(&with("nbf", nbf), &expect()),
            Err(ErrorKind::ClaimNotYetValid {
                claim: "nbf",
                value: nbf,
                now: NOW
            }
            .into())
        );
        assert_eq!(
            check(&with("nbf", NOW.to_string()), &expect())
                .unwrap_err()
                .code(),
            "ERR_CLAIM_INVALID"
        );
    }

    // Section 2: sub.

    #[test]
    fn requires_a_non_empty_string_subject() {
        assert_eq!(
            check(&without("sub"), &expect()),
            Err(ErrorKind::ClaimMissing { claim: "sub" }.into())
        );
        let empty: Result<()> = Err(ErrorKind::ClaimInvalid {
            claim: "sub",
            reason: "the subject is empty",
        }
        .into());
        assert_eq!(check(&with("sub", ""), &expect()), empty);
        assert_eq!(
            check(&with("sub", 42_i64), &expect()).unwrap_err().code(),
            "ERR_CLAIM_INVALID"
        );
    }

    // Step 11.

    #[test]
    fn accepts_the_nonce_that_was_sent() {
        let mut e = expect();
        e.nonce = Some("n-0S6_WzA2Mj".into());
        assert_eq!(check(&with("nonce", "n-0S6_WzA2Mj"), &e), Ok(()));
    }

    #[test]
    fn rejects_a_nonce_other_than_the_one_sent() {
        let mut e = expect();
        e.nonce = Some("n-0S6_WzA2Mj".into());
        for found in ["n-0S6_WzA2Mk", "n-0S6_WzA2M", "n-0S6_WzA2Mjx", ""] {
            assert_eq!(
                check(&with("nonce", found), &e),
                Err(ErrorKind::ClaimNonce.into()),
                "{found}"
            );
        }
        assert_eq!(
            check(&without("nonce"), &e),
            Err(ErrorKind::ClaimNonce.into())
        );
        assert_eq!(
            check(&with("nonce", 1_i64), &e).unwrap_err().code(),
            "ERR_CLAIM_INVALID"
        );
    }

    #[test]
    fn accepts_an_empty_or_absent_nonce_when_none_was_sent() {
        assert_eq!(check(&with("nonce", ""), &expect()), Ok(()));
        assert_eq!(check(&without("nonce"), &expect()), Ok(()));
    }

    #[test]
    fn rejects_a_nonce_when_none_was_sent() {
        assert_eq!(
            check(&with("nonce", "unexpected"), &expect()),
            Err(ErrorKind::ClaimNonce.into())
        );
    }

    // Step 13.

    #[test]
    fn accepts_auth_time_within_max_age_and_tolerance() {
        let mut e = expect();
        e.max_age_sec = Some(600);
        let oldest = NOW - 600 - DEFAULT_CLOCK_TOLERANCE_SEC;
        assert_eq!(check(&with("auth_time", oldest), &e), Ok(()));
    }

    #[test]
    fn rejects_auth_time_older_than_max_age() {
        let mut e = expect();
        e.max_age_sec = Some(600);
        let auth_time = NOW - 600 - DEFAULT_CLOCK_TOLERANCE_SEC - 1;
        let too_old: Result<()> = Err(ErrorKind::ClaimAuthTime {
            auth_time,
            max_age: 600,
            now: NOW,
        }
        .into());
        assert_eq!(check(&with("auth_time", auth_time), &e), too_old);
    }

    #[test]
    fn requires_auth_time_only_when_max_age_is_set() {
        assert_eq!(check(&without("auth_time"), &expect()), Ok(()));
        let mut e = expect();
        e.max_age_sec = Some(0);
        assert_eq!(
            check(&without("auth_time"), &e),
            Err(ErrorKind::ClaimMissing { claim: "auth_time" }.into())
        );
        assert_eq!(
            check(&with("auth_time", "recent"), &expect())
                .unwrap_err()
                .code(),
            "ERR_CLAIM_INVALID"
        );
    }

    // Section 3.1.3.6: at_hash.

    #[test]
    fn at_hash_matches_an_independent_computation_and_the_oidc_core_example() {
        for access_token in [
            "a",
            "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y",
            "eyJhbGciOi.x.y",
        ] {
            assert_eq!(
                at_hash(access_token, Algorithm::RS256),
                reference_at_hash(access_token)
            );
            assert_eq!(
                at_hash(access_token, Algorithm::ES256),
                reference_at_hash(access_token)
            );
        }
        // OpenID Connect Core 1.0 appendix A.3/A.4 example.
        assert_eq!(
            at_hash(
                "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y",
                Algorithm::RS256
            ),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
        assert_ne!(
            at_hash("a", Algorithm::RS256),
            at_hash("b", Algorithm::RS256)
        );
    }

    #[test]
    fn accepts_an_at_hash_that_matches_the_access_token() {
        let mut e = expect();
        e.access_token = Some(AccessToken::new("vipps-access-token-1"));
        assert_eq!(
            check(
                &with("at_hash", reference_at_hash("vipps-access-token-1")),
                &e
            ),
            Ok(())
        );
    }

    #[test]
    fn rejects_an_at_hash_of_another_access_token() {
        let mut e = expect();
        e.access_token = Some(AccessToken::new("vipps-access-token-1"));
        assert_eq!(
            check(
                &with("at_hash", reference_at_hash("vipps-access-token-2")),
                &e
            ),
            Err(ErrorKind::ClaimAtHash.into())
        );
        assert_eq!(
            check(&with("at_hash", 3_i64), &e).unwrap_err().code(),
            "ERR_CLAIM_INVALID"
        );
    }

    #[test]
    fn checks_at_hash_only_when_both_the_claim_and_the_access_token_are_there() {
        let mismatching = with("at_hash", reference_at_hash("some-other-token"));
        assert_eq!(check(&mismatching, &expect()), Ok(()));
        let mut e = expect();
        e.access_token = Some(AccessToken::new("vipps-access-token-1"));
        assert_eq!(check(&token(base_claims()), &e), Ok(()));
        assert_eq!(check(&mismatching, &e), Err(ErrorKind::ClaimAtHash.into()));
    }

    // Vipps merchant-initiated login with redirect: auth_req_id.

    fn expect_auth_req_id(id: &str) -> IdTokenExpectations {
        let mut e = expect();
        e.auth_req_id = Some(id.into());
        e
    }

    #[test]
    fn accepts_the_auth_req_id_of_the_login_started() {
        let e = expect_auth_req_id("7BzAY-SbVQJ38V-U0C7Z6k23_CY");
        assert_eq!(
            check(&with("auth_req_id", "7BzAY-SbVQJ38V-U0C7Z6k23_CY"), &e),
            Ok(())
        );
        // The spelling of Vipps' own example token.
        assert_eq!(
            check(&with("authReqId", "7BzAY-SbVQJ38V-U0C7Z6k23_CY"), &e),
            Ok(())
        );
    }

    #[test]
    fn refuses_a_code_of_another_login_by_its_auth_req_id() {
        let e = expect_auth_req_id("login-A");
        let another: Result<()> = Err(ErrorKind::ClaimInvalid {
            claim: "auth_req_id",
            reason: "not the auth_req_id of the login started",
        }
        .into());
        assert_eq!(check(&with("auth_req_id", "login-B"), &e), another);
        assert_eq!(check(&with("authReqId", "login-B"), &e), another);
        let mut c = base_claims();
        c.insert("auth_req_id", "login-A");
        c.insert("authReqId", "login-B");
        assert_eq!(check(&token(c), &e), another, "both spellings must agree");
        assert_eq!(
            check(&token(base_claims()), &e),
            Err(ErrorKind::ClaimMissing {
                claim: "auth_req_id"
            }
            .into())
        );
        assert_eq!(check(&with("auth_req_id", 5_i64), &e), another);
        // An empty expectation matches nothing but an empty claim, which no login has.
        assert_eq!(
            check(&with("auth_req_id", "login-A"), &expect_auth_req_id("")),
            another
        );
    }

    #[test]
    fn checks_auth_req_id_only_when_one_is_expected() {
        assert_eq!(check(&with("auth_req_id", "anything"), &expect()), Ok(()));
    }

    // The caller's expectations.

    #[test]
    fn rejects_meaningless_expectations() {
        let param =
            |e: &IdTokenExpectations, now: i64| match validate(&token(base_claims()), e, now)
                .map_err(Error::into_kind)
            {
                Err(ErrorKind::InvalidParams { param, .. }) => param,
                other => panic!("{other:?}"),
            };
        type Change = fn(&mut IdTokenExpectations);
        let cases: [(Change, &str); 6] = [
            (|e| e.issuer.clear(), "issuer"),
            (
                |e| e.audience = Audience::ClientId(String::new()),
                "clientId",
            ),
            (|e| e.audience = Audience::Msn(String::new()), "msn"),
            (|e| e.nonce = Some(String::new()), "nonce"),
            (|e| e.clock_tolerance_sec = -1, "clockToleranceSec"),
            (|e| e.max_age_sec = Some(-1), "maxAgeSec"),
        ];
        for (change, name) in cases {
            let mut e = expect();
            change(&mut e);
            assert_eq!(param(&e, NOW), name);
        }
        let mut e = expect();
        e.clock_tolerance_sec = MAX_CLOCK_TOLERANCE_SEC + 1;
        assert_eq!(param(&e, NOW), "clockToleranceSec");
        e.clock_tolerance_sec = MAX_CLOCK_TOLERANCE_SEC;
        assert_eq!(check(&token(base_claims()), &e), Ok(()));
        assert_eq!(param(&expect(), -1), "now");
    }

    #[test]
    fn debug_of_expectations_hides_the_nonce_and_access_token() {
        let mut e = expect();
        e.nonce = Some("s3cr3t-nonce".into());
        e.access_token = Some(AccessToken::new("s3cr3t-token"));
        let printed = format!("{e:?}");
        assert!(!printed.contains("s3cr3t"), "{printed}");
        assert!(printed.contains(ISS));
    }
}
