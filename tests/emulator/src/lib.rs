#![forbid(unsafe_code)]
//! A local emulator of the Vipps MobilePay authentication endpoints.
//!
//! It answers on loopback at the same paths as `https://apitest.vipps.no`: the Access Token
//! API (`POST /accesstoken/get`), the partner token endpoint (`POST /miami/v1/token`) and
//! Vipps Login (OIDC discovery, JWKS, authorize with a consent page, token, userinfo, partner
//! keys, merchant-initiated login (CIBA)), plus a control surface under `/_emulator/` (key
//! rotation, fault injection, stats, reset, config, approving or denying CIBA logins).
//!
//! The RSA keys it signs with are **test keys** committed in `keys/`: never trust them.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let running = vipps_emulator::spawn(vipps_emulator::Config::default()).await?;
//! println!("issuer: {}", running.issuer());
//! # Ok(()) }
//! ```

mod access_token;
mod ciba;
mod client_auth;
pub mod config;
mod control;
mod discovery;
mod faults;
mod keys;
mod login;
mod miami;
mod server;
mod state;
mod stats;
mod user;
mod userinfo;
mod util;

pub use config::{Config, TokenAuthMethod};
pub use server::{app, serve, spawn, Running};

/// Path prefix of Vipps Login (the issuer is `<base>` + this).
pub const ISSUER_PATH: &str = "/access-management-1.0/access/";
/// Path of the Access Token API.
pub const ACCESS_TOKEN_PATH: &str = "/accesstoken/get";
/// Path of the partner (specialized) token endpoint.
pub const MIAMI_TOKEN_PATH: &str = "/miami/v1/token";
/// Path of the userinfo endpoint.
pub const USERINFO_PATH: &str = "/vipps-userinfo-api/userinfo";
/// Path of the discovery document.
pub const DISCOVERY_PATH: &str = "/access-management-1.0/access/.well-known/openid-configuration";
/// Path of the JWKS.
pub const JWKS_PATH: &str = "/access-management-1.0/access/.well-known/jwks.json";
/// Path of the authorization endpoint.
pub const AUTHORIZE_PATH: &str = "/access-management-1.0/access/oauth2/auth";
/// Path the consent page posts its decision to (emulator only; Vipps shows its own pages).
pub const CONSENT_PATH: &str = "/access-management-1.0/access/oauth2/consent";
/// Path of the Login token endpoint.
pub const LOGIN_TOKEN_PATH: &str = "/access-management-1.0/access/oauth2/token";
/// Path of the backchannel (CIBA) authentication endpoint of merchant-initiated login.
pub const CIBA_AUTHENTICATION_PATH: &str = "/vipps-login-ciba/api/backchannel/authentication";
