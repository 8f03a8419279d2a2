//! The Vipps Login authorization request: an OpenID Connect authentication request with the
//! authorization code flow and PKCE (OpenID Connect Core 1.0 section 3.1.2.1, RFC 6749
//! section 4.1.1, RFC 7636 section 4.3), with the Vipps Login API's additions
//! (`msn` for partners, `requested_flow`, `app_callback_uri`, `final_redirect_is_app`).
//!
//! [`build_authorize_url`] lints the request before building the URL, so that a mistake
//! fails here with a named parameter instead of as an opaque error page at Vipps.
//! [`start_login`] generates `state`, `nonce` and the PKCE pair itself.
//!
//! Scopes beyond Vipps' documented list (`openid`, `name`, `email`, `phoneNumber`,
//! `address`, `birthDate`, `nin`, ...) are allowed on purpose: Vipps adds scopes over time.

use alloc::{borrow::ToOwned, string::String, vec::Vec};
use core::fmt;
use core::str::FromStr;

use crate::base64;
use crate::error::{Error, ErrorKind, Result};
use crate::pkce;
use crate::random::{self, Random};
use crate::secret::{CodeVerifier, Nonce, State};
use crate::url_check;
use crate::urlencoded;

/// Random octets behind a generated `state` or `nonce` (43 base64url characters).
const RANDOM_VALUE_OCTETS: usize = 32;
/// Vipps requires a `state` of at least 8 characters.
pub const STATE_MIN_LEN: usize = 8;
/// A `state` of about 1000 characters or more makes Vipps answer 502; 512 leaves room.
pub const STATE_MAX_LEN: usize = 512;

/// The parameters this module sets itself; `extra_params` may not repeat them.
const STANDARD_PARAMS: &[&str] = &[
    "response_type",
    "client_id",
    "msn",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "requested_flow",
    "app_callback_uri",
    "final_redirect_is_app",
    "acr_values",
];

/// A fresh `state` (RFC 6749 section 10.12): 32 octets from `random` as 43 base64url
/// characters.
pub fn random_state(random: &mut impl Random) -> Result<State> {
    Ok(State::new(random::urlsafe_string(
        random,
        RANDOM_VALUE_OCTETS,
    )?))
}

/// A fresh `nonce` (OpenID Connect Core 1.0 section 3.1.2.1 and 15.5.2): 32 octets from
/// `random` as 43 base64url characters.
pub fn random_nonce(random: &mut impl Random) -> Result<Nonce> {
    Ok(Nonce::new(random::urlsafe_string(
        random,
        RANDOM_VALUE_OCTETS,
    )?))
}

/// Whether `value` has exactly the shape [`random_state`] and [`random_nonce`] make: 32
/// octets as 43 canonical base64url characters. A server that keeps something per `state`
/// checks this before looking anything up, so a guessed or garbage value costs no lookup.
pub fn is_random_value(value: &str) -> bool {
    // 32 octets are 43 characters; the length check spares decoding anything longer.
    value.len() == 43
        && base64::decode_url(value).is_ok_and(|octets| octets.len() == RANDOM_VALUE_OCTETS)
}

/// Who the request is for: a merchant's `client_id`, or, for partners using the Vipps
/// partner keys, the merchant's `msn` (Merchant Serial Number) instead. Exactly one is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientIdentity {
    /// The sales unit's `client_id` from the Vipps portal.
    ClientId(String),
    /// The Merchant Serial Number (4-6 digits), sent as `msn` by partners.
    Msn(String),
}

/// The Vipps Login `requested_flow` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestedFlow {
    /// `automatic_return_from_vipps_app`: the Vipps app sends the user back to the browser
    /// by itself (who may land in a different browser than the one that started).
    AutomaticReturnFromVippsApp,
    /// `app_to_app`: the Vipps app returns to the merchant's app at `app_callback_uri`.
    AppToApp,
    /// `app_to_app_v2`: like `app_to_app`, and Vipps requires PKCE for it.
    AppToAppV2,
}

impl RequestedFlow {
    /// The Vipps name, as sent in `requested_flow`.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestedFlow::AutomaticReturnFromVippsApp => "automatic_return_from_vipps_app",
            RequestedFlow::AppToApp => "app_to_app",
            RequestedFlow::AppToAppV2 => "app_to_app_v2",
        }
    }

    /// Whether the flow returns to an app and therefore needs `app_callback_uri`.
    pub fn is_app_to_app(self) -> bool {
        matches!(self, RequestedFlow::AppToApp | RequestedFlow::AppToAppV2)
    }
}

impl fmt::Display for RequestedFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RequestedFlow {
    type Err = Error;

    /// Parses the Vipps name (case-sensitive), e.g. `app_to_app`.
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "automatic_return_from_vipps_app" => Ok(RequestedFlow::AutomaticReturnFromVippsApp),
            "app_to_app" => Ok(RequestedFlow::AppToApp),
            "app_to_app_v2" => Ok(RequestedFlow::AppToAppV2),
            _ => Err(ErrorKind::InvalidParams {
                param: "requestedFlow",
                reason: "must be automatic_return_from_vipps_app, app_to_app or app_to_app_v2",
            }
            .into()),
        }
    }
}

/// A Vipps Login authorization request (OpenID Connect Core 1.0 section 3.1.2.1).
/// `Debug` hides `state` and `nonce`.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizeRequest {
    /// The authorization endpoint, e.g. `https://api.vipps.no/access-management-1.0/access/oauth2/auth`
    /// (best read from discovery).
    pub authorization_endpoint: String,
    /// `client_id`, or `msn` for partners.
    pub identity: ClientIdentity,
    /// `redirect_uri`; must match one registered in the Vipps portal exactly.
    pub redirect_uri: String,
    /// Scopes; must include `openid`. Entries holding spaces are split; duplicates dropped.
    pub scope: Vec<String>,
    /// `state` (8..=512 printable ASCII characters).
    pub state: String,
    /// `nonce`, strongly recommended (it binds the ID token to this request).
    pub nonce: Option<String>,
    /// The S256 `code_challenge`; required (PKCE is always on in this library).
    pub code_challenge: Option<String>,
    /// Vipps' `requested_flow`.
    pub requested_flow: Option<RequestedFlow>,
    /// Vipps' `app_callback_uri`: required with, and only allowed with, an app-to-app flow.
    pub app_callback_uri: Option<String>,
    /// Vipps' `final_redirect_is_app`.
    pub final_redirect_is_app: Option<bool>,
    /// `acr_values` (OpenID Connect Core 1.0 section 3.1.2.1).
    pub acr_values: Option<String>,
    /// Further parameters, sent last in the given order; they may not repeat a standard one.
    pub extra_params: Vec<(String, String)>,
}

impl AuthorizeRequest {
    /// A request with the required parts and everything optional left out; `state`,
    /// `nonce` and `code_challenge` are empty, ready for [`start_login`].
    pub fn new(
        authorization_endpoint: impl Into<String>,
        identity: ClientIdentity,
        redirect_uri: impl Into<String>,
        scope: Vec<String>,
    ) -> Self {
        AuthorizeRequest {
            authorization_endpoint: authorization_endpoint.into(),
            identity,
            redirect_uri: redirect_uri.into(),
            scope,
            state: String::new(),
            nonce: None,
            code_challenge: None,
            requested_flow: None,
            app_callback_uri: None,
            final_redirect_is_app: None,
            acr_values: None,
            extra_params: Vec::new(),
        }
    }
}

impl fmt::Debug for AuthorizeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizeRequest")
            .field("authorization_endpoint", &self.authorization_endpoint)
            .field("identity", &self.identity)
            .field("redirect_uri", &self.redirect_uri)
            .field("scope", &self.scope)
            .field("state", &"<redacted>")
            .field("nonce", &self.nonce.as_ref().map(|_| "<redacted>"))
            .field("code_challenge", &self.code_challenge)
            .field("requested_flow", &self.requested_flow)
            .field("app_callback_uri", &self.app_callback_uri)
            .field("final_redirect_is_app", &self.final_redirect_is_app)
            .field("acr_values", &self.acr_values)
            .field("extra_params", &self.extra_params)
            .finish()
    }
}

fn invalid<T>(param: &'static str, reason: &'static str) -> Result<T> {
    Err(ErrorKind::InvalidParams { param, reason }.into())
}

/// RFC 3986 section 3.1: `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
fn is_scheme(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

fn has_space_or_control(s: &str) -> bool {
    s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// An absolute URI (RFC 3986 section 4.3) without a fragment, as RFC 6749 section 3.1.2
/// requires of a redirection endpoint. `http(s)` URIs must name a host; other schemes
/// (app callback URIs such as `myapp://vipps`) only need something after the colon.
fn check_redirect_uri(uri: &str, param: &'static str) -> Result<()> {
    if uri.is_empty() {
        return invalid(param, "is required");
    }
    if has_space_or_control(uri) {
        return invalid(param, "must not contain spaces or control characters");
    }
    if uri.contains('#') {
        return invalid(
            param,
            "must not contain a fragment (RFC 6749 section 3.1.2)",
        );
    }
    let Some((scheme, rest)) = uri.split_once(':') else {
        return invalid(param, "must be an absolute URI (RFC 6749 section 3.1.2)");
    };
    if !is_scheme(scheme) || rest.is_empty() {
        return invalid(param, "must be an absolute URI (RFC 6749 section 3.1.2)");
    }
    if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
        let authority = rest
            .strip_prefix("//")
            .map(|r| r.split(['/', '?']).next().unwrap_or_default());
        match authority
            .filter(|a| !a.contains('@'))
            .map(url_check::parse_authority)
        {
            Some(Ok(_)) => {}
            _ => return invalid(param, "must name a host (RFC 6749 section 3.1.2)"),
        }
    }
    Ok(())
}

fn check_identity(identity: &ClientIdentity) -> Result<()> {
    match identity {
        ClientIdentity::ClientId(id) if id.trim().is_empty() => {
            invalid("clientId", "must not be empty")
        }
        ClientIdentity::ClientId(id) if has_space_or_control(id) => {
            invalid("clientId", "must not contain spaces or control characters")
        }
        ClientIdentity::Msn(msn) if msn.is_empty() => invalid("msn", "must not be empty"),
        ClientIdentity::Msn(msn)
            if !(4..=6).contains(&msn.len()) || !msn.bytes().all(|b| b.is_ascii_digit()) =>
        {
            invalid("msn", "must be 4 to 6 digits")
        }
        _ => Ok(()),
    }
}

/// RFC 6749 section 3.3: `scope-token = 1*NQCHAR`, `NQCHAR = %x21 / %x23-5B / %x5D-7E`.
pub(crate) fn is_nqchar(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E)
}

/// Splits every entry on spaces, drops empty pieces and duplicates (first one wins),
/// and checks the tokens (RFC 6749 section 3.3) and that `openid` is present
/// (OpenID Connect Core 1.0 section 3.1.2.1).
fn normalize_scope(scope: &[String]) -> Result<Vec<&str>> {
    let mut tokens: Vec<&str> = Vec::new();
    for token in scope
        .iter()
        .flat_map(|entry| entry.split(' '))
        .filter(|t| !t.is_empty())
    {
        if !token.bytes().all(is_nqchar) {
            return invalid(
                "scope",
                "scope tokens may contain only printable ASCII other than space, \" and \\",
            );
        }
        if !tokens.contains(&token) {
            tokens.push(token);
        }
    }
    if tokens.is_empty() {
        return invalid("scope", "must not be empty");
    }
    if !tokens.contains(&"openid") {
        return invalid(
            "scope",
            "must contain openid (OpenID Connect Core 1.0 section 3.1.2.1)",
        );
    }
    Ok(tokens)
}

/// RFC 6749 Appendix A.5: `state = 1*VSCHAR` (printable ASCII, `%x20-7E`), with Vipps'
/// length limits (at least 8; about 1000+ gives a 502, so at most 512 here).
/// The same rule is applied to `nonce`.
fn check_opaque_value(value: &str, param: &'static str) -> Result<()> {
    if value.len() < STATE_MIN_LEN {
        return invalid(param, "must be at least 8 characters");
    }
    if value.len() > STATE_MAX_LEN {
        return invalid(param, "must be at most 512 characters");
    }
    if !value.bytes().all(|b| (0x20..=0x7E).contains(&b)) {
        return invalid(param, "may contain only printable ASCII characters");
    }
    Ok(())
}

fn check_flow(req: &AuthorizeRequest) -> Result<()> {
    // Vipps: app_to_app_v2 requires PKCE. PKCE is always required below as well, but this
    // rule stays explicit so that it survives any change to that default.
    if req.requested_flow == Some(RequestedFlow::AppToAppV2) && req.code_challenge.is_none() {
        return invalid(
            "codeChallenge",
            "app_to_app_v2 requires PKCE (a code_challenge)",
        );
    }
    let app_to_app = req.requested_flow.is_some_and(RequestedFlow::is_app_to_app);
    match &req.app_callback_uri {
        Some(uri) if app_to_app => check_redirect_uri(uri, "appCallbackUri"),
        Some(_) => invalid(
            "appCallbackUri",
            "is allowed only with requestedFlow app_to_app or app_to_app_v2",
        ),
        None if app_to_app => invalid(
            "appCallbackUri",
            "is required with requestedFlow app_to_app and app_to_app_v2",
        ),
        None => Ok(()),
    }
}

/// Extra parameters must have a name, must not repeat a standard parameter (compared
/// case-insensitively) and must not repeat each other (RFC 6749 section 3.1: parameters
/// MUST NOT be included more than once).
fn check_extra_params(extra: &[(String, String)]) -> Result<()> {
    for (i, (name, _)) in extra.iter().enumerate() {
        if name.is_empty() {
            return invalid("extraParams", "a parameter name must not be empty");
        }
        if STANDARD_PARAMS.iter().any(|s| s.eq_ignore_ascii_case(name)) {
            return invalid(
                "extraParams",
                "may not set a standard parameter (use the dedicated field)",
            );
        }
        if extra
            .iter()
            .take(i)
            .any(|(earlier, _)| earlier.eq_ignore_ascii_case(name))
        {
            return invalid("extraParams", "a parameter name appears more than once");
        }
    }
    Ok(())
}

/// Lints `req` and builds the authorization URL (OpenID Connect Core 1.0 section 3.1.2.1,
/// RFC 6749 section 4.1.1, RFC 7636 section 4.3, Vipps Login API).
///
/// Parameters come in a fixed order: `response_type=code`, `client_id` or `msn`,
/// `redirect_uri`, `scope`, `state`, `nonce`, `code_challenge`, `code_challenge_method=S256`
/// (always sent: Vipps defaults to `plain`), `requested_flow`, `app_callback_uri`,
/// `final_redirect_is_app`, `acr_values`, then `extra_params`. Values are percent-encoded
/// (space as `%20`). An endpoint that already has a query is extended with `&`.
///
/// Fails with `InvalidParams` naming the JS-side parameter (`authorizationEndpoint`,
/// `clientId`, `msn`, `redirectUri`, `scope`, `state`, `nonce`, `codeChallenge`,
/// `appCallbackUri`, `extraParams`).
pub fn build_authorize_url(req: &AuthorizeRequest) -> Result<String> {
    url_check::check_authorization_endpoint_url(
        &req.authorization_endpoint,
        "authorizationEndpoint",
    )?;
    check_identity(&req.identity)?;
    check_redirect_uri(&req.redirect_uri, "redirectUri")?;
    let mut scope = String::new();
    for token in normalize_scope(&req.scope)? {
        if !scope.is_empty() {
            scope.push(' ');
        }
        scope.push_str(token);
    }
    check_opaque_value(&req.state, "state")?;
    if let Some(nonce) = &req.nonce {
        check_opaque_value(nonce, "nonce")?;
    }
    check_flow(req)?;
    let Some(challenge) = &req.code_challenge else {
        return invalid(
            "codeChallenge",
            "is required: this library always uses PKCE (S256)",
        );
    };
    pkce::validate_code_challenge_s256(challenge)?;
    check_extra_params(&req.extra_params)?;

    let endpoint = &req.authorization_endpoint;
    let separator = match endpoint.find('?') {
        None => "?",
        Some(_) if endpoint.ends_with('?') || endpoint.ends_with('&') => "",
        Some(_) => "&",
    };
    let mut url = crate::text::concat(&[endpoint, separator]);
    let query_start = url.len();
    // What `urlencoded::encode_pairs` writes, appended pair by pair.
    let mut put = |name: &str, value: &str| {
        if url.len() > query_start {
            url.push('&');
        }
        urlencoded::push_pair(&mut url, name, value);
    };
    put("response_type", "code");
    match &req.identity {
        ClientIdentity::ClientId(id) => put("client_id", id),
        ClientIdentity::Msn(msn) => put("msn", msn),
    }
    put("redirect_uri", &req.redirect_uri);
    put("scope", &scope);
    put("state", &req.state);
    if let Some(nonce) = &req.nonce {
        put("nonce", nonce);
    }
    put("code_challenge", challenge);
    put(
        "code_challenge_method",
        pkce::CodeChallengeMethod::S256.as_str(),
    );
    if let Some(flow) = req.requested_flow {
        put("requested_flow", flow.as_str());
    }
    if let Some(uri) = &req.app_callback_uri {
        put("app_callback_uri", uri);
    }
    if let Some(is_app) = req.final_redirect_is_app {
        put(
            "final_redirect_is_app",
            if is_app { "true" } else { "false" },
        );
    }
    if let Some(acr) = &req.acr_values {
        put("acr_values", acr);
    }
    for (name, value) in &req.extra_params {
        put(name, value);
    }
    Ok(url)
}

/// A started login: the URL to send the user to, and the values to keep (in session
/// storage or a server-side session) until the callback. `Debug` shows only the URL.
#[derive(Debug)]
pub struct LoginStart {
    /// The authorization URL.
    pub url: String,
    /// The `state` sent; compare the callback's with it ([`crate::callback::parse_callback`]).
    pub state: State,
    /// The `nonce` sent; the ID token must carry it.
    pub nonce: Nonce,
    /// The PKCE verifier; sent with the code to the token endpoint.
    pub code_verifier: CodeVerifier,
}

/// Starts a login (OpenID Connect Core 1.0 section 3.1.2.1 with RFC 7636): generates a
/// fresh `state`, `nonce` and PKCE verifier from `random`, puts them and the S256 challenge into `req`
/// and builds the URL with [`build_authorize_url`].
///
/// `req` must leave `state` empty and `nonce` / `code_challenge` unset: a request that
/// already carries one is refused (`InvalidParams`) rather than silently changed.
pub fn start_login(mut req: AuthorizeRequest, random: &mut impl Random) -> Result<LoginStart> {
    if !req.state.is_empty() {
        return invalid("state", "must not be set: startLogin generates it");
    }
    if req.nonce.is_some() {
        return invalid("nonce", "must not be set: startLogin generates it");
    }
    if req.code_challenge.is_some() {
        return invalid("codeChallenge", "must not be set: startLogin generates it");
    }
    let state = random_state(random)?;
    let nonce = random_nonce(random)?;
    let code_verifier = pkce::generate_code_verifier(random)?;
    req.code_challenge = Some(pkce::code_challenge_s256(code_verifier.secret())?);
    req.state = state.secret().to_owned();
    req.nonce = Some(nonce.secret().to_owned());
    let url = build_authorize_url(&req)?;
    Ok(LoginStart {
        url,
        state,
        nonce,
        code_verifier,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::OsRandom;

    const ENDPOINT: &str = "https://apitest.vipps.no/access-management-1.0/access/oauth2/auth";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn minimal() -> AuthorizeRequest {
        let mut req = AuthorizeRequest::new(
            ENDPOINT,
            ClientIdentity::ClientId("client-123".into()),
            "https://example.com/callback",
            vec!["openid".into()],
        );
        req.state = "state-1234".into();
        req.code_challenge = Some(CHALLENGE.into());
        req
    }

    fn lint_error(req: &AuthorizeRequest) -> (&'static str, &'static str) {
        match build_authorize_url(req).map_err(Error::into_kind) {
            Err(ErrorKind::InvalidParams { param, reason }) => (param, reason),
            other => panic!("expected InvalidParams, got {other:?}"),
        }
    }

    fn with(edit: impl FnOnce(&mut AuthorizeRequest)) -> AuthorizeRequest {
        let mut req = minimal();
        edit(&mut req);
        req
    }

    fn query_of(url: &str) -> Vec<(String, String)> {
        let (_, query) = url.split_once('?').unwrap();
        urlencoded::decode_pairs(query).unwrap()
    }

    #[test]
    fn builds_the_minimal_url_exactly() {
        assert_eq!(
            build_authorize_url(&minimal()).unwrap(),
            "https://apitest.vipps.no/access-management-1.0/access/oauth2/auth?response_type=code\
             &client_id=client-123&redirect_uri=https%3A%2F%2Fexample.com%2Fcallback&scope=openid\
             &state=state-1234&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
        );
    }

    #[test]
    fn builds_a_full_url_with_every_parameter_in_the_stable_order() {
        let req = with(|r| {
            r.scope = vec!["openid name".into(), "email".into(), "name".into()];
            r.nonce = Some("nonce-5678".into());
            r.requested_flow = Some(RequestedFlow::AppToApp);
            r.app_callback_uri = Some("myapp://vipps".into());
            r.final_redirect_is_app = Some(true);
            r.acr_values = Some("urn:x".into());
            r.extra_params = vec![("ui_locales".into(), "nb".into())];
        });
        assert_eq!(
            build_authorize_url(&req).unwrap(),
            "https://apitest.vipps.no/access-management-1.0/access/oauth2/auth?response_type=code\
             &client_id=client-123&redirect_uri=https%3A%2F%2Fexample.com%2Fcallback&scope=openid%20name%20email\
             &state=state-1234&nonce=nonce-5678&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
             &code_challenge_method=S256&requested_flow=app_to_app&app_callback_uri=myapp%3A%2F%2Fvipps\
             &final_redirect_is_app=true&acr_values=urn%3Ax&ui_locales=nb"
        );
    }

    #[test]
    fn sends_msn_instead_of_client_id_for_partners() {
        let url = build_authorize_url(&with(|r| r.identity = ClientIdentity::Msn("123456".into())))
            .unwrap();
        assert!(
            url.contains("?response_type=code&msn=123456&redirect_uri="),
            "{url}"
        );
        assert!(!url.contains("client_id"), "{url}");
    }

    #[test]
    fn sends_final_redirect_is_app_false_and_automatic_return_flow() {
        let req = with(|r| {
            r.final_redirect_is_app = Some(false);
            r.requested_flow = Some(RequestedFlow::AutomaticReturnFromVippsApp);
        });
        let url = build_authorize_url(&req).unwrap();
        assert!(
            url.ends_with("&code_challenge_method=S256&requested_flow=automatic_return_from_vipps_app&final_redirect_is_app=false"),
            "{url}"
        );
    }

    #[test]
    fn percent_encodes_spaces_unicode_ampersands_and_equals_in_values() {
        let req = with(|r| {
            r.state = "a b&c=d/e?f".into();
            r.acr_values = Some("æ ø".into());
            r.extra_params = vec![("login_hint".into(), "x&y=z+1".into())];
        });
        let url = build_authorize_url(&req).unwrap();
        assert!(url.contains("&state=a%20b%26c%3Dd%2Fe%3Ff&"), "{url}");
        assert!(url.contains("&acr_values=%C3%A6%20%C3%B8&"), "{url}");
        assert!(url.ends_with("&login_hint=x%26y%3Dz%2B1"), "{url}");
        let pairs = query_of(&url);
        assert!(pairs.contains(&("state".into(), "a b&c=d/e?f".into())));
        assert!(pairs.contains(&("login_hint".into(), "x&y=z+1".into())));
    }

    #[test]
    fn appends_to_an_endpoint_that_already_has_a_query() {
        let url = build_authorize_url(&with(|r| {
            r.authorization_endpoint = "https://x.example/auth?tenant=a".into()
        }))
        .unwrap();
        assert!(
            url.starts_with("https://x.example/auth?tenant=a&response_type=code&client_id="),
            "{url}"
        );
        let url = build_authorize_url(&with(|r| {
            r.authorization_endpoint = "https://x.example/auth?".into()
        }))
        .unwrap();
        assert!(
            url.starts_with("https://x.example/auth?response_type=code&"),
            "{url}"
        );
    }

    #[test]
    fn accepts_https_endpoints_and_http_only_on_loopback_hosts() {
        for ok in [
            "https://api.vipps.no/access-management-1.0/access/oauth2/auth",
            "HTTPS://api.vipps.no:443/auth",
            "http://localhost:8080/auth",
            "http://127.0.0.1/auth",
            "http://[::1]:9000/auth",
        ] {
            assert!(
                build_authorize_url(&with(|r| r.authorization_endpoint = ok.into())).is_ok(),
                "{ok}"
            );
        }
    }

    #[test]
    fn rejects_endpoints_that_are_not_absolute_https_or_loopback_http() {
        for (bad, why) in [
            ("http://api.vipps.no/auth", "use https"),
            ("http://localhost.evil.example/auth", "use https"),
            ("ftp://api.vipps.no/auth", "absolute"),
            ("/oauth2/auth", "absolute"),
            ("api.vipps.no/auth", "absolute"),
            ("", "empty"),
            ("https:///auth", "no host"),
            ("https://api.vipps.no:x/auth", "port"),
            ("https://user:pw@api.vipps.no/auth", "credentials"),
            ("https://api.vipps.no/auth#frag", "fragment"),
            ("https://api.vipps.no/a uth", "whitespace"),
        ] {
            let (param, reason) = lint_error(&with(|r| r.authorization_endpoint = bad.into()));
            assert_eq!(param, "authorizationEndpoint", "{bad}");
            assert!(reason.contains(why), "{bad}: {reason}");
        }
    }

    #[test]
    fn rejects_an_empty_client_id() {
        for bad in ["", "   "] {
            let (param, reason) =
                lint_error(&with(|r| r.identity = ClientIdentity::ClientId(bad.into())));
            assert_eq!((param, reason), ("clientId", "must not be empty"));
        }
        let (param, _) = lint_error(&with(|r| {
            r.identity = ClientIdentity::ClientId("a b".into())
        }));
        assert_eq!(param, "clientId");
    }

    #[test]
    fn accepts_msn_of_four_to_six_digits() {
        for ok in ["1234", "12345", "123456"] {
            assert!(
                build_authorize_url(&with(|r| r.identity = ClientIdentity::Msn(ok.into()))).is_ok(),
                "{ok}"
            );
        }
    }

    #[test]
    fn rejects_msn_that_is_empty_or_not_four_to_six_digits() {
        let (param, reason) =
            lint_error(&with(|r| r.identity = ClientIdentity::Msn(String::new())));
        assert_eq!((param, reason), ("msn", "must not be empty"));
        for bad in ["123", "1234567", "12a45", " 1234", "١٢٣٤"] {
            let (param, reason) =
                lint_error(&with(|r| r.identity = ClientIdentity::Msn(bad.into())));
            assert_eq!((param, reason), ("msn", "must be 4 to 6 digits"), "{bad}");
        }
    }

    #[test]
    fn accepts_absolute_redirect_uris_including_custom_schemes() {
        for ok in [
            "https://example.com/cb?x=1",
            "http://localhost:3000/cb",
            "com.example.app:/cb",
            "myapp://cb",
        ] {
            assert!(
                build_authorize_url(&with(|r| r.redirect_uri = ok.into())).is_ok(),
                "{ok}"
            );
        }
    }

    #[test]
    fn rejects_redirect_uris_that_are_relative_or_have_a_fragment() {
        for (bad, why) in [
            ("", "required"),
            ("/callback", "absolute"),
            ("callback", "absolute"),
            ("1app:/cb", "absolute"),
            ("myapp:", "absolute"),
            ("https://example.com/cb#x", "fragment"),
            ("https:/example.com/cb", "host"),
            ("https://", "host"),
            ("https://example.com/c b", "spaces"),
        ] {
            let (param, reason) = lint_error(&with(|r| r.redirect_uri = bad.into()));
            assert_eq!(param, "redirectUri", "{bad}");
            assert!(reason.contains(why), "{bad}: {reason}");
        }
    }

    #[test]
    fn splits_scope_entries_on_spaces_and_drops_duplicates_keeping_order() {
        let req = with(|r| {
            r.scope = vec![
                "name  openid".into(),
                "email name".into(),
                "openid".into(),
                "".into(),
            ]
        });
        let url = build_authorize_url(&req).unwrap();
        assert!(url.contains("&scope=name%20openid%20email&"), "{url}");
    }

    #[test]
    fn allows_scopes_beyond_the_documented_vipps_list() {
        let url = build_authorize_url(&with(|r| {
            r.scope = vec!["openid".into(), "vipps:future_scope".into()]
        }))
        .unwrap();
        assert!(
            url.contains("&scope=openid%20vipps%3Afuture_scope&"),
            "{url}"
        );
    }

    #[test]
    fn rejects_empty_scope() {
        for bad in [vec![], vec!["".to_string()], vec!["   ".to_string()]] {
            let (param, reason) = lint_error(&with(|r| r.scope = bad.clone()));
            assert_eq!((param, reason), ("scope", "must not be empty"), "{bad:?}");
        }
    }

    #[test]
    fn rejects_scope_without_openid() {
        for bad in ["name email", "OpenID", "openid_extra"] {
            let (param, reason) = lint_error(&with(|r| r.scope = vec![bad.into()]));
            assert_eq!(param, "scope");
            assert!(reason.contains("must contain openid"), "{bad}: {reason}");
        }
    }

    #[test]
    fn rejects_scope_tokens_with_characters_outside_nqchar() {
        for bad in [
            "openid na\"me",
            "openid na\\me",
            "openid\tname",
            "openid navn\u{e6}",
            "openid\n",
        ] {
            let (param, reason) = lint_error(&with(|r| r.scope = vec![bad.into()]));
            assert_eq!(param, "scope", "{bad:?}");
            assert!(reason.contains("printable ASCII"), "{bad:?}: {reason}");
        }
    }

    #[test]
    fn accepts_state_of_8_to_512_printable_ascii_characters() {
        for ok in [
            "12345678".to_string(),
            "~".repeat(512),
            " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".into(),
        ] {
            assert!(
                build_authorize_url(&with(|r| r.state = ok.clone())).is_ok(),
                "{ok}"
            );
        }
    }

    #[test]
    fn rejects_state_shorter_than_eight_characters() {
        for bad in ["", "1234567"] {
            let (param, reason) = lint_error(&with(|r| r.state = bad.into()));
            assert_eq!((param, reason), ("state", "must be at least 8 characters"));
        }
    }

    #[test]
    fn rejects_state_longer_than_512_characters() {
        let (param, reason) = lint_error(&with(|r| r.state = "a".repeat(513)));
        assert_eq!((param, reason), ("state", "must be at most 512 characters"));
    }

    #[test]
    fn rejects_state_with_characters_outside_printable_ascii() {
        for bad in ["abcdefgh\n", "abcdefgh\u{7f}", "abcdefghæ", "abc\tdefgh"] {
            let (param, reason) = lint_error(&with(|r| r.state = bad.into()));
            assert_eq!(
                (param, reason),
                ("state", "may contain only printable ASCII characters"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn applies_the_state_rules_to_a_nonce_and_omits_an_absent_one() {
        assert!(build_authorize_url(&with(|r| r.nonce = Some("n0nce-ok".into()))).is_ok());
        assert!(!build_authorize_url(&minimal()).unwrap().contains("nonce"));
        for bad in ["", "short", "nonce-with-\u{e6}"] {
            let (param, _) = lint_error(&with(|r| r.nonce = Some(bad.into())));
            assert_eq!(param, "nonce", "{bad:?}");
        }
        let (param, _) = lint_error(&with(|r| r.nonce = Some("n".repeat(513))));
        assert_eq!(param, "nonce");
    }

    #[test]
    fn rejects_a_request_without_code_challenge() {
        let (param, reason) = lint_error(&with(|r| r.code_challenge = None));
        assert_eq!(param, "codeChallenge");
        assert!(reason.contains("always uses PKCE"), "{reason}");
    }

    #[test]
    fn rejects_code_challenge_that_is_not_43_base64url_characters() {
        for bad in [
            "",
            "plain-verifier",
            &CHALLENGE[..42],
            &format!("{CHALLENGE}A"),
            &CHALLENGE.replace('-', "+"),
        ] {
            let (param, _) = lint_error(&with(|r| r.code_challenge = Some(bad.to_string())));
            assert_eq!(param, "codeChallenge", "{bad}");
        }
    }

    #[test]
    fn rejects_app_to_app_v2_without_pkce() {
        let req = with(|r| {
            r.requested_flow = Some(RequestedFlow::AppToAppV2);
            r.app_callback_uri = Some("myapp://vipps".into());
            r.code_challenge = None;
        });
        let (param, reason) = lint_error(&req);
        assert_eq!(param, "codeChallenge");
        assert!(reason.contains("app_to_app_v2 requires PKCE"), "{reason}");
    }

    #[test]
    fn accepts_app_to_app_v2_with_pkce_and_an_app_callback_uri() {
        let req = with(|r| {
            r.requested_flow = Some(RequestedFlow::AppToAppV2);
            r.app_callback_uri = Some("myapp://vipps".into());
        });
        let url = build_authorize_url(&req).unwrap();
        assert!(
            url.ends_with("&requested_flow=app_to_app_v2&app_callback_uri=myapp%3A%2F%2Fvipps"),
            "{url}"
        );
    }

    #[test]
    fn rejects_app_callback_uri_without_an_app_to_app_flow() {
        for flow in [None, Some(RequestedFlow::AutomaticReturnFromVippsApp)] {
            let req = with(|r| {
                r.requested_flow = flow;
                r.app_callback_uri = Some("myapp://vipps".into());
            });
            let (param, reason) = lint_error(&req);
            assert_eq!(param, "appCallbackUri");
            assert!(reason.contains("only with"), "{reason}");
        }
    }

    #[test]
    fn rejects_an_app_to_app_flow_without_app_callback_uri() {
        for flow in [RequestedFlow::AppToApp, RequestedFlow::AppToAppV2] {
            let (param, reason) = lint_error(&with(|r| r.requested_flow = Some(flow)));
            assert_eq!(param, "appCallbackUri");
            assert!(reason.contains("is required"), "{reason}");
        }
    }

    #[test]
    fn rejects_an_app_callback_uri_that_is_not_absolute() {
        let req = with(|r| {
            r.requested_flow = Some(RequestedFlow::AppToApp);
            r.app_callback_uri = Some("vipps-callback".into());
        });
        let (param, reason) = lint_error(&req);
        assert_eq!(param, "appCallbackUri");
        assert!(reason.contains("absolute"), "{reason}");
    }

    #[test]
    fn sends_extra_params_last_in_the_given_order() {
        let req =
            with(|r| r.extra_params = vec![("b".into(), "2".into()), ("a".into(), "".into())]);
        let url = build_authorize_url(&req).unwrap();
        assert!(url.ends_with("&code_challenge_method=S256&b=2&a="), "{url}");
    }

    #[test]
    fn rejects_extra_params_that_override_a_standard_parameter_in_any_case() {
        for name in [
            "state",
            "STATE",
            "Code_Challenge_Method",
            "client_id",
            "msn",
            "response_type",
            "acr_values",
        ] {
            let (param, reason) =
                lint_error(&with(|r| r.extra_params = vec![(name.into(), "x".into())]));
            assert_eq!(param, "extraParams", "{name}");
            assert!(reason.contains("standard parameter"), "{name}: {reason}");
        }
    }

    #[test]
    fn rejects_extra_params_with_an_empty_or_repeated_name() {
        let (param, reason) = lint_error(&with(|r| {
            r.extra_params = vec![(String::new(), "x".into())]
        }));
        assert_eq!(param, "extraParams");
        assert!(reason.contains("empty"), "{reason}");
        let (param, reason) = lint_error(&with(|r| {
            r.extra_params = vec![("prompt".into(), "x".into()), ("Prompt".into(), "y".into())]
        }));
        assert_eq!(param, "extraParams");
        assert!(reason.contains("more than once"), "{reason}");
    }

    #[test]
    fn requested_flow_round_trips_through_its_vipps_name() {
        for flow in [
            RequestedFlow::AutomaticReturnFromVippsApp,
            RequestedFlow::AppToApp,
            RequestedFlow::AppToAppV2,
        ] {
            assert_eq!(flow.as_str().parse::<RequestedFlow>().unwrap(), flow);
            assert_eq!(flow.to_string(), flow.as_str());
        }
        assert_eq!(
            "app_to_app_v2".parse::<RequestedFlow>().unwrap(),
            RequestedFlow::AppToAppV2
        );
    }

    #[test]
    fn rejects_unknown_requested_flow_names() {
        for bad in ["", "APP_TO_APP", "app-to-app", "web_redirect"] {
            match bad.parse::<RequestedFlow>().map_err(Error::into_kind) {
                Err(ErrorKind::InvalidParams { param, .. }) => assert_eq!(param, "requestedFlow"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn generated_values_have_the_random_value_shape_and_nothing_else_does() {
        assert!(is_random_value(
            random_state(&mut OsRandom).unwrap().secret()
        ));
        assert!(is_random_value(
            random_nonce(&mut OsRandom).unwrap().secret()
        ));
        let good = random_state(&mut OsRandom).unwrap().into_secret();
        assert!(!is_random_value(&good[..42]), "too short");
        assert!(!is_random_value(&format!("{good}A")), "too long");
        assert!(
            !is_random_value(&format!("{}=", &good[..42])),
            "outside base64url"
        );
        assert!(
            !is_random_value(&format!("{}+", &good[..42])),
            "standard base64"
        );
        // The 43rd character carries 4 bits of data and 2 zero bits: `B` sets one of those.
        assert!(
            !is_random_value(&format!("{}B", &good[..42])),
            "non-canonical"
        );
        assert!(!is_random_value(""));
        assert!(!is_random_value("state-1234"));
    }

    #[test]
    fn random_state_and_nonce_are_43_fresh_url_safe_characters() {
        let (s1, s2) = (
            random_state(&mut OsRandom).unwrap(),
            random_state(&mut OsRandom).unwrap(),
        );
        let (n1, n2) = (
            random_nonce(&mut OsRandom).unwrap(),
            random_nonce(&mut OsRandom).unwrap(),
        );
        for v in [s1.secret(), n1.secret()] {
            assert_eq!(v.len(), 43);
            assert!(
                v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{v}"
            );
            assert!(check_opaque_value(v, "state").is_ok());
        }
        assert_ne!(s1.secret(), s2.secret());
        assert_ne!(n1.secret(), n2.secret());
    }

    #[test]
    fn start_login_generates_state_nonce_and_a_matching_s256_challenge() {
        let mut req = with(|r| {
            r.state = String::new();
            r.code_challenge = None;
        });
        req.scope = vec!["openid name".into()];
        let start = start_login(req, &mut OsRandom).unwrap();
        let pairs = query_of(&start.url);
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(get("state"), start.state.secret());
        assert_eq!(get("nonce"), start.nonce.secret());
        assert_eq!(
            get("code_challenge"),
            pkce::code_challenge_s256(start.code_verifier.secret()).unwrap()
        );
        assert_eq!(get("code_challenge_method"), "S256");
        assert_eq!(get("scope"), "openid name");
        assert!(pkce::validate_code_verifier(start.code_verifier.secret()).is_ok());
        assert_ne!(start.state.secret(), start.nonce.secret());
    }

    #[test]
    fn start_login_refuses_a_request_that_already_carries_state_nonce_or_challenge() {
        let fresh = || {
            with(|r| {
                r.state = String::new();
                r.code_challenge = None;
            })
        };
        assert!(start_login(fresh(), &mut OsRandom).is_ok());
        type Edit = fn(&mut AuthorizeRequest);
        let cases: [(&str, Edit); 3] = [
            ("state", |r| r.state = "preset-state".into()),
            ("nonce", |r| r.nonce = Some("preset-nonce".into())),
            ("codeChallenge", |r| {
                r.code_challenge = Some(CHALLENGE.into())
            }),
        ];
        for (expected, edit) in cases {
            let mut req = fresh();
            edit(&mut req);
            match start_login(req, &mut OsRandom).map_err(Error::into_kind) {
                Err(ErrorKind::InvalidParams { param, reason }) => {
                    assert_eq!(param, expected);
                    assert!(reason.contains("generates it"), "{reason}");
                }
                other => panic!("{expected}: {other:?}"),
            }
        }
    }

    #[test]
    fn start_login_still_lints_the_rest_of_the_request() {
        let req = with(|r| {
            r.state = String::new();
            r.code_challenge = None;
            r.scope = vec!["name".into()];
        });
        assert!(matches!(
            start_login(req, &mut OsRandom).map_err(Error::into_kind),
            Err(ErrorKind::InvalidParams { param: "scope", .. })
        ));
    }

    #[test]
    fn debug_output_hides_state_nonce_and_verifier() {
        let req = with(|r| {
            r.state = "sekrit-state".into();
            r.nonce = Some("sekrit-nonce".into());
        });
        let printed = format!("{req:?}");
        assert!(!printed.contains("sekrit"), "{printed}");
        assert!(printed.contains("client-123"), "{printed}");

        let fresh = with(|r| {
            r.state = String::new();
            r.code_challenge = None;
        });
        let start = start_login(fresh, &mut OsRandom).unwrap();
        let printed = format!("{start:?}");
        assert!(printed.contains(&start.url), "{printed}");
        let without_url = printed.replace(&start.url, "");
        for secret in [
            start.state.secret(),
            start.nonce.secret(),
            start.code_verifier.secret(),
        ] {
            assert!(!without_url.contains(secret), "{printed}");
        }
    }
}
