//! The worker's settings, read from wrangler `[vars]` and secrets under the names DESIGN.md
//! lists. Each route reads only what it needs, so a missing secret for one route does not
//! break another; a missing required setting is `ERR_CONFIG` naming the setting, never
//! showing a value.

use sha2::{Digest, Sha256};
use vipps_auth::discovery::{Endpoints, Environment};
use vipps_auth::secret::{ClientSecret, SubscriptionKey};
use vipps_auth::token::access_token::{AccessTokenCredentials, SystemHeaders};
use vipps_auth::token::client_auth::ClientAuth;
use vipps_auth::token::login::TokenEndpointAuth;
use worker::Env;

use crate::error::{Result, WorkerError};

/// The scope `/login/start` and `/login/config` use unless `LOGIN_SCOPE` says otherwise.
pub const DEFAULT_LOGIN_SCOPE: &str = "openid name email phoneNumber";
/// Per-attempt timeout for calls to Vipps unless `UPSTREAM_TIMEOUT_MS` says otherwise.
pub const DEFAULT_UPSTREAM_TIMEOUT_MS: u32 = 8_000;

/// Lazy access to the worker's settings.
pub struct Config<'a> {
    env: &'a Env,
}

/// The Login client: who exchanges codes, and how it authenticates.
pub struct LoginClient {
    pub client_id: String,
    pub client_secret: ClientSecret,
    pub auth: TokenEndpointAuth,
}

impl LoginClient {
    /// The credentials as the core's token-endpoint client authentication.
    pub fn into_client_auth(self) -> ClientAuth {
        ClientAuth::ClientSecret {
            client_id: self.client_id,
            client_secret: self.client_secret,
            method: self.auth,
        }
    }
}

impl<'a> Config<'a> {
    pub fn new(env: &'a Env) -> Self {
        Config { env }
    }

    /// A setting's value, trimmed; unset and empty are the same.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = self.env.var(name).ok()?.to_string();
        let trimmed = value.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_owned())
    }

    fn require(&self, name: &'static str) -> Result<String> {
        self.get(name).ok_or(WorkerError::Config {
            setting: name,
            reason: "is not set",
        })
    }

    /// The Vipps endpoints: `VIPPS_BASE_URL` when set, else those of `VIPPS_ENV`.
    pub fn endpoints(&self) -> Result<Endpoints> {
        if let Some(base) = self.get("VIPPS_BASE_URL") {
            return Endpoints::for_base_url(&base).map_err(|_| WorkerError::Config {
                setting: "VIPPS_BASE_URL",
                reason: "is not a valid base URL (https, or http on loopback; no query)",
            });
        }
        let env: Environment =
            self.require("VIPPS_ENV")?
                .parse()
                .map_err(|_| WorkerError::Config {
                    setting: "VIPPS_ENV",
                    reason: "must be test or production",
                })?;
        Ok(Endpoints::for_environment(env))
    }

    /// The `Merchant-Serial-Number`, if set (4-6 digits).
    pub fn msn(&self) -> Result<Option<String>> {
        match self.get("VIPPS_MSN") {
            None => Ok(None),
            Some(msn)
                if (4..=6).contains(&msn.len()) && msn.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Ok(Some(msn))
            }
            Some(_) => Err(WorkerError::Config {
                setting: "VIPPS_MSN",
                reason: "must be 4-6 digits",
            }),
        }
    }

    /// The Access Token API credentials.
    pub fn access_token_credentials(&self) -> Result<AccessTokenCredentials> {
        let version = env!("CARGO_PKG_VERSION");
        Ok(AccessTokenCredentials {
            client_id: self.require("VIPPS_CLIENT_ID")?,
            client_secret: ClientSecret::new(self.require("VIPPS_CLIENT_SECRET")?),
            subscription_key: SubscriptionKey::new(self.require("VIPPS_SUBSCRIPTION_KEY")?),
            merchant_serial_number: self.msn()?,
            system: SystemHeaders {
                name: Some(
                    self.get("VIPPS_SYSTEM_NAME")
                        .unwrap_or_else(|| "vipps-auth-worker".into()),
                ),
                version: Some(
                    self.get("VIPPS_SYSTEM_VERSION")
                        .unwrap_or_else(|| version.into()),
                ),
                plugin_name: Some(
                    self.get("VIPPS_SYSTEM_PLUGIN_NAME")
                        .unwrap_or_else(|| "vipps-auth".into()),
                ),
                plugin_version: Some(
                    self.get("VIPPS_SYSTEM_PLUGIN_VERSION")
                        .unwrap_or_else(|| version.into()),
                ),
            },
        })
    }

    /// The partner (miami) credentials: `MIAMI_CLIENT_ID` / `MIAMI_CLIENT_SECRET`, each
    /// defaulting to the `VIPPS_` one.
    pub fn miami_credentials(&self) -> Result<(String, ClientSecret)> {
        let id = match self.get("MIAMI_CLIENT_ID") {
            Some(id) => id,
            None => self.require("VIPPS_CLIENT_ID")?,
        };
        let secret = match self.get("MIAMI_CLIENT_SECRET") {
            Some(s) => s,
            None => self.require("VIPPS_CLIENT_SECRET")?,
        };
        Ok((id, ClientSecret::new(secret)))
    }

    /// The Login client id (public).
    pub fn client_id(&self) -> Result<String> {
        self.require("VIPPS_CLIENT_ID")
    }

    /// The Login client with its secret and token endpoint auth method.
    pub fn login_client(&self) -> Result<LoginClient> {
        let auth = match self.get("LOGIN_TOKEN_AUTH") {
            None => TokenEndpointAuth::ClientSecretBasic,
            Some(v) => v.parse().map_err(|_| WorkerError::Config {
                setting: "LOGIN_TOKEN_AUTH",
                reason: "must be client_secret_basic or client_secret_post",
            })?,
        };
        Ok(LoginClient {
            client_id: self.require("VIPPS_CLIENT_ID")?,
            client_secret: ClientSecret::new(self.require("VIPPS_CLIENT_SECRET")?),
            auth,
        })
    }

    /// `LOGIN_REDIRECT_URIS`, comma separated; required for login.
    pub fn redirect_uris(&self) -> Result<Vec<String>> {
        Ok(split_list(&self.require("LOGIN_REDIRECT_URIS")?))
    }

    /// Whether `uri` is exactly one of `LOGIN_REDIRECT_URIS`.
    pub fn check_redirect_uri(&self, uri: &str) -> Result<()> {
        if self.redirect_uris()?.iter().any(|u| u == uri) {
            Ok(())
        } else {
            Err(WorkerError::RedirectUriNotAllowed)
        }
    }

    /// `ALLOWED_ORIGINS`, comma separated; unset means no cross-origin caller.
    pub fn allowed_origins(&self) -> Vec<String> {
        self.get("ALLOWED_ORIGINS")
            .map(|v| split_list(&v))
            .unwrap_or_default()
    }

    /// Whether a server-held login may be handed off to a browser without its `sessionKey`
    /// (`LOGIN_HANDOFF`: `on`, the default, or `off`). Off, `{code, state}` without the key is
    /// `ERR_LOGIN_SESSION` and nothing is exchanged: for deployments whose users never come
    /// back in another browser, which then cannot be phished through the hand-off
    /// (docs/security-model.md).
    pub fn handoff_allowed(&self) -> Result<bool> {
        match self.get("LOGIN_HANDOFF").as_deref() {
            None | Some("on") => Ok(true),
            Some("off") => Ok(false),
            Some(_) => Err(WorkerError::Config {
                setting: "LOGIN_HANDOFF",
                reason: "must be on or off",
            }),
        }
    }

    /// The Login scope (`LOGIN_SCOPE`, default [`DEFAULT_LOGIN_SCOPE`]).
    pub fn login_scope(&self) -> String {
        self.get("LOGIN_SCOPE")
            .unwrap_or_else(|| DEFAULT_LOGIN_SCOPE.into())
    }

    /// `LOGIN_PARTNER_MSNS`: the merchants this worker logs users in for as a Vipps partner
    /// (comma separated, each 4-6 digits). Empty when unset: the worker is not a partner.
    pub fn partner_msns(&self) -> Result<Vec<String>> {
        let msns = self
            .get("LOGIN_PARTNER_MSNS")
            .map(|v| split_list(&v))
            .unwrap_or_default();
        if msns
            .iter()
            .any(|m| !(4..=6).contains(&m.len()) || !m.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(WorkerError::Config {
                setting: "LOGIN_PARTNER_MSNS",
                reason: "must be merchant serial numbers of 4-6 digits, comma separated",
            });
        }
        Ok(msns)
    }

    /// `WORKER_API_KEY`, required by the guarded routes.
    pub fn api_key(&self) -> Result<String> {
        self.require("WORKER_API_KEY")
    }

    /// Per-attempt timeout for calls to Vipps (`UPSTREAM_TIMEOUT_MS`, 100..=60000).
    pub fn upstream_timeout_ms(&self) -> Result<u32> {
        match self.get("UPSTREAM_TIMEOUT_MS") {
            None => Ok(DEFAULT_UPSTREAM_TIMEOUT_MS),
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|ms| (100..=60_000).contains(ms))
                .ok_or(WorkerError::Config {
                    setting: "UPSTREAM_TIMEOUT_MS",
                    reason: "must be a number of milliseconds from 100 to 60000",
                }),
        }
    }
}

/// Whose credentials a request carries (for naming the setting in [`setting_error`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credentials {
    /// `VIPPS_CLIENT_ID` / `VIPPS_CLIENT_SECRET` (Access Token API, Login).
    Vipps,
    /// `MIAMI_CLIENT_ID` / `MIAMI_CLIENT_SECRET`, each defaulting to the `VIPPS_` one.
    Miami,
}

/// Maps a core request builder's refusal: a parameter that came from a setting (a secret
/// with a control character, an overlong `VIPPS_SYSTEM_*`) is the worker's configuration,
/// 500 `ERR_CONFIG` naming the setting, not the caller's `ERR_INVALID_PARAMS`. Other
/// parameters (the caller's scope, code, verifier) stay as they are.
pub fn setting_error(e: vipps_auth::Error, credentials: Credentials) -> WorkerError {
    let vipps_auth::ErrorKind::InvalidParams { param, reason } = *e.kind() else {
        return WorkerError::Core(e);
    };
    let setting = match (param, credentials) {
        ("clientId", Credentials::Miami) => "MIAMI_CLIENT_ID (or VIPPS_CLIENT_ID)",
        ("clientSecret", Credentials::Miami) => "MIAMI_CLIENT_SECRET (or VIPPS_CLIENT_SECRET)",
        ("clientId", Credentials::Vipps) => "VIPPS_CLIENT_ID",
        ("clientSecret", Credentials::Vipps) => "VIPPS_CLIENT_SECRET",
        ("subscriptionKey", _) => "VIPPS_SUBSCRIPTION_KEY",
        ("merchantSerialNumber", _) => "VIPPS_MSN",
        ("systemName", _) => "VIPPS_SYSTEM_NAME",
        ("systemVersion", _) => "VIPPS_SYSTEM_VERSION",
        ("systemPluginName", _) => "VIPPS_SYSTEM_PLUGIN_NAME",
        ("systemPluginVersion", _) => "VIPPS_SYSTEM_PLUGIN_VERSION",
        _ => return WorkerError::Core(e),
    };
    WorkerError::Config { setting, reason }
}

/// Splits a comma-separated list, dropping blanks.
pub fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A cache key: hex SHA-256 of the parts, so a key never shows a credential in clear.
pub fn cache_key(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::{cache_key, setting_error, split_list, Credentials};
    use crate::error::WorkerError;

    #[test]
    fn lists_are_split_on_commas_and_trimmed() {
        assert_eq!(
            split_list(" https://a/cb , ,https://b/cb,"),
            vec!["https://a/cb", "https://b/cb"]
        );
        assert!(split_list("").is_empty());
    }

    #[test]
    fn a_refused_setting_is_a_config_error_naming_it_and_a_refused_input_is_not() {
        let refused = |param| vipps_auth::ErrorKind::InvalidParams {
            param,
            reason: "contains a character outside visible ASCII",
        };
        let e = setting_error(refused("subscriptionKey").into(), Credentials::Vipps);
        assert_eq!(e.code(), "ERR_CONFIG");
        assert_eq!(e.status(), 500);
        assert!(e.to_string().contains("VIPPS_SUBSCRIPTION_KEY"));
        assert!(
            setting_error(refused("clientSecret").into(), Credentials::Miami)
                .to_string()
                .contains("MIAMI_CLIENT_SECRET")
        );
        let scope = setting_error(refused("scope").into(), Credentials::Miami);
        assert!(matches!(scope, WorkerError::Core(_)));
        assert_eq!(scope.code(), "ERR_INVALID_PARAMS");
        assert_eq!(scope.status(), 400);
    }

    #[test]
    fn cache_keys_are_hashes_that_keep_parts_apart() {
        let k = cache_key(&[
            "accesstoken",
            "https://apitest.vipps.no",
            "client-id",
            "123456",
            "",
        ]);
        assert_eq!(k.len(), 64);
        assert!(!k.contains("client-id"));
        assert_ne!(cache_key(&["ab", "c"]), cache_key(&["a", "bc"]));
        assert_ne!(
            k,
            cache_key(&[
                "accesstoken",
                "https://api.vipps.no",
                "client-id",
                "123456",
                ""
            ])
        );
    }
}
