//! Credentials and settings, with the same environment variable names the worker uses.

use std::fmt;

/// How the Login token endpoint expects the client to authenticate (set per sales unit at Vipps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenAuthMethod {
    /// `Authorization: Basic base64(urlencode(client_id):urlencode(client_secret))` (the default).
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the form body.
    ClientSecretPost,
}

impl TokenAuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClientSecretBasic => "client_secret_basic",
            Self::ClientSecretPost => "client_secret_post",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "client_secret_basic" => Some(Self::ClientSecretBasic),
            "client_secret_post" => Some(Self::ClientSecretPost),
            _ => None,
        }
    }
}

/// Everything the emulator can be told. `Debug` never shows the secrets.
#[derive(Clone)]
pub struct Config {
    /// `VIPPS_CLIENT_ID`: Access Token API and Login client id.
    pub client_id: String,
    /// `VIPPS_CLIENT_SECRET`.
    pub client_secret: String,
    /// `VIPPS_SUBSCRIPTION_KEY`: `Ocp-Apim-Subscription-Key` for the Access Token API.
    pub subscription_key: String,
    /// `VIPPS_MSN`: the merchant serial number partners send instead of `client_id`.
    pub msn: String,
    /// `MIAMI_CLIENT_ID` (defaults to `client_id`).
    pub miami_client_id: String,
    /// `MIAMI_CLIENT_SECRET` (defaults to `client_secret`).
    pub miami_client_secret: String,
    /// `LOGIN_REDIRECT_URIS`: the registered redirect URIs (exact match).
    pub redirect_uris: Vec<String>,
    /// `LOGIN_TOKEN_AUTH`.
    pub token_auth: TokenAuthMethod,
    /// `EMULATOR_TOKEN_LIFETIME`: Access Token API token lifetime, seconds (test env: 3600).
    pub token_lifetime_secs: u64,
    /// `EMULATOR_CODE_LIFETIME`: authorization code lifetime, seconds.
    pub code_lifetime_secs: u64,
    /// `EMULATOR_LOGIN_TOKEN_LIFETIME`: Login access token / ID token lifetime, seconds.
    pub login_token_lifetime_secs: u64,
    /// `EMULATOR_MIAMI_TOKEN_LIFETIME`: miami token lifetime, seconds.
    pub miami_token_lifetime_secs: u64,
    /// `EMULATOR_KEY_GRACE_SECONDS`: how long a rotated-out key stays in the JWKS.
    pub key_grace_secs: u64,
    /// `EMULATOR_PUBLIC_URL` / `--public-url`: the base URL in issuer and endpoint URLs.
    /// `None` means `http://127.0.0.1:<bound port>`.
    pub public_url: Option<String>,
    /// `LOGIN_PARTNER_MSNS`: the merchants a partner may act for. When set, the Access Token
    /// API keys are partner keys: the token and backchannel endpoints accept
    /// `Authorization: Bearer <a token from /accesstoken/get>` with one of these as
    /// `Merchant-Serial-Number`, and authorize accepts them as `msn`.
    pub partner_msns: Vec<String>,
    /// `EMULATOR_CIBA_INTERVAL`: the `interval` of merchant-initiated logins, seconds.
    pub ciba_interval_secs: u64,
    /// `EMULATOR_CIBA_EXPIRES_IN`: the `expires_in` of merchant-initiated logins, seconds.
    pub ciba_expires_in_secs: u64,
}

pub const DEFAULT_REDIRECT_URIS: &str =
    "http://localhost:8080/callback.html,http://127.0.0.1:8080/callback.html";

impl Default for Config {
    fn default() -> Self {
        Self {
            client_id: "emulator-client-id".into(),
            client_secret: "emulator-client-secret".into(),
            subscription_key: "emulator-subscription-key".into(),
            msn: "123456".into(),
            miami_client_id: "emulator-client-id".into(),
            miami_client_secret: "emulator-client-secret".into(),
            redirect_uris: split_list(DEFAULT_REDIRECT_URIS),
            token_auth: TokenAuthMethod::ClientSecretBasic,
            token_lifetime_secs: 3600,
            code_lifetime_secs: 120,
            login_token_lifetime_secs: 3600,
            miami_token_lifetime_secs: 900,
            key_grace_secs: 60,
            public_url: None,
            partner_msns: Vec::new(),
            ciba_interval_secs: 5,
            ciba_expires_in_secs: 600,
        }
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

/// A merchant serial number: 4 to 6 digits.
pub fn is_msn(s: &str) -> bool {
    (4..=6).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

impl Config {
    /// Whether partner keys are on (`LOGIN_PARTNER_MSNS` is set).
    pub fn partner_mode(&self) -> bool {
        !self.partner_msns.is_empty()
    }

    /// Reads the process environment (see [`Config::from_lookup`]).
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds a config from a variable lookup: unset or empty variables keep the defaults.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let get = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let mut c = Self::default();
        if let Some(v) = get("VIPPS_CLIENT_ID") {
            c.client_id = v;
        }
        if let Some(v) = get("VIPPS_CLIENT_SECRET") {
            c.client_secret = v;
        }
        if let Some(v) = get("VIPPS_SUBSCRIPTION_KEY") {
            c.subscription_key = v;
        }
        if let Some(v) = get("VIPPS_MSN") {
            c.msn = v;
        }
        c.miami_client_id = get("MIAMI_CLIENT_ID").unwrap_or_else(|| c.client_id.clone());
        c.miami_client_secret =
            get("MIAMI_CLIENT_SECRET").unwrap_or_else(|| c.client_secret.clone());
        if let Some(v) = get("LOGIN_REDIRECT_URIS") {
            c.redirect_uris = split_list(&v);
        }
        if let Some(v) = get("LOGIN_TOKEN_AUTH") {
            c.token_auth = TokenAuthMethod::parse(&v).ok_or_else(|| {
                format!(
                    "LOGIN_TOKEN_AUTH must be client_secret_basic or client_secret_post, not '{v}'"
                )
            })?;
        }
        let secs = |name: &str, default: u64| -> Result<u64, String> {
            match get(name) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| format!("{name} must be a whole number of seconds, not '{v}'")),
            }
        };
        c.token_lifetime_secs = secs("EMULATOR_TOKEN_LIFETIME", c.token_lifetime_secs)?;
        c.code_lifetime_secs = secs("EMULATOR_CODE_LIFETIME", c.code_lifetime_secs)?;
        c.login_token_lifetime_secs =
            secs("EMULATOR_LOGIN_TOKEN_LIFETIME", c.login_token_lifetime_secs)?;
        c.miami_token_lifetime_secs =
            secs("EMULATOR_MIAMI_TOKEN_LIFETIME", c.miami_token_lifetime_secs)?;
        c.key_grace_secs = secs("EMULATOR_KEY_GRACE_SECONDS", c.key_grace_secs)?;
        c.ciba_interval_secs = secs("EMULATOR_CIBA_INTERVAL", c.ciba_interval_secs)?;
        c.ciba_expires_in_secs = secs("EMULATOR_CIBA_EXPIRES_IN", c.ciba_expires_in_secs)?;
        if c.ciba_interval_secs == 0 || c.ciba_expires_in_secs == 0 {
            return Err(
                "EMULATOR_CIBA_INTERVAL and EMULATOR_CIBA_EXPIRES_IN must be at least 1".into(),
            );
        }
        if let Some(v) = get("LOGIN_PARTNER_MSNS") {
            c.partner_msns = split_list(&v);
            if c.partner_msns.iter().any(|m| !is_msn(m)) {
                return Err("LOGIN_PARTNER_MSNS must be merchant serial numbers of 4-6 digits, comma-separated".into());
            }
        }
        if let Some(v) = get("EMULATOR_PUBLIC_URL") {
            c.public_url = Some(v);
        }
        if !is_msn(&c.msn) {
            return Err("VIPPS_MSN must be 4-6 digits".into());
        }
        if c.redirect_uris.is_empty() {
            return Err("LOGIN_REDIRECT_URIS must list at least one URI".into());
        }
        Ok(c)
    }

    /// The base URL without a trailing slash.
    pub fn base_url(&self) -> String {
        self.public_url
            .as_deref()
            .unwrap_or("http://127.0.0.1:7480")
            .trim_end_matches('/')
            .to_string()
    }

    /// `<base>/access-management-1.0/access/`.
    pub fn issuer(&self) -> String {
        format!("{}{}", self.base_url(), crate::ISSUER_PATH)
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("subscription_key", &"<redacted>")
            .field("msn", &self.msn)
            .field("miami_client_id", &self.miami_client_id)
            .field("miami_client_secret", &"<redacted>")
            .field("redirect_uris", &self.redirect_uris)
            .field("token_auth", &self.token_auth)
            .field("token_lifetime_secs", &self.token_lifetime_secs)
            .field("code_lifetime_secs", &self.code_lifetime_secs)
            .field("login_token_lifetime_secs", &self.login_token_lifetime_secs)
            .field("miami_token_lifetime_secs", &self.miami_token_lifetime_secs)
            .field("key_grace_secs", &self.key_grace_secs)
            .field("public_url", &self.public_url)
            .field("partner_msns", &self.partner_msns)
            .field("ciba_interval_secs", &self.ciba_interval_secs)
            .field("ciba_expires_in_secs", &self.ciba_expires_in_secs)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn miami_credentials_default_to_the_vipps_ones() {
        let c = Config::from_lookup(|n| match n {
            "VIPPS_CLIENT_ID" => Some("id".into()),
            "VIPPS_CLIENT_SECRET" => Some("sec".into()),
            "LOGIN_TOKEN_AUTH" => Some("client_secret_post".into()),
            "LOGIN_REDIRECT_URIS" => Some(" https://a/cb , https://b/cb ".into()),
            _ => None,
        })
        .expect("valid");
        assert_eq!(c.miami_client_id, "id");
        assert_eq!(c.miami_client_secret, "sec");
        assert_eq!(c.token_auth, TokenAuthMethod::ClientSecretPost);
        assert_eq!(c.redirect_uris, vec!["https://a/cb", "https://b/cb"]);
    }

    #[test]
    fn rejects_bad_settings() {
        assert!(Config::from_lookup(|n| (n == "LOGIN_TOKEN_AUTH").then(|| "x".into())).is_err());
        assert!(Config::from_lookup(|n| (n == "VIPPS_MSN").then(|| "12".into())).is_err());
        assert!(
            Config::from_lookup(|n| (n == "EMULATOR_CODE_LIFETIME").then(|| "-1".into())).is_err()
        );
    }

    #[test]
    fn reads_partner_msns_and_ciba_timings() {
        let c = Config::from_lookup(|n| match n {
            "LOGIN_PARTNER_MSNS" => Some(" 123456, 7890 ".into()),
            "EMULATOR_CIBA_INTERVAL" => Some("2".into()),
            "EMULATOR_CIBA_EXPIRES_IN" => Some("30".into()),
            _ => None,
        })
        .expect("valid");
        assert_eq!(c.partner_msns, vec!["123456", "7890"]);
        assert!(c.partner_mode());
        assert_eq!((c.ciba_interval_secs, c.ciba_expires_in_secs), (2, 30));
        assert!(!Config::default().partner_mode());
        assert!(
            Config::from_lookup(|n| (n == "LOGIN_PARTNER_MSNS").then(|| "123,456789".into()))
                .is_err()
        );
        assert!(
            Config::from_lookup(|n| (n == "EMULATOR_CIBA_INTERVAL").then(|| "0".into())).is_err()
        );
    }

    #[test]
    fn debug_hides_secrets() {
        let text = format!("{:?}", Config::default());
        assert!(!text.contains("emulator-client-secret"));
        assert!(!text.contains("emulator-subscription-key"));
    }
}
