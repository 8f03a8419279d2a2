//! Whom a login is for and how the worker authenticates for it at Vipps, in one place for
//! the authorize URL, the code exchange (`/login/start`, `/login/token`) and
//! merchant-initiated login (`/login/ciba/*`).
//!
//! Without `LOGIN_PARTNER_MSNS` the worker is the sales unit: `client_id` in the authorize
//! URL, its client secret at the token endpoint, `aud` checked. With it the worker is a Vipps
//! partner acting for one of the listed merchants (Vipps Login API, "Partner keys"):
//! `msn=<merchant MSN>` in the authorize URL, `Authorization: Bearer <Access Token API token
//! fetched with the partner keys>` and `Merchant-Serial-Number` at the token and backchannel
//! endpoints, and the ID token's `msn` claim checked instead of `aud`.

use vipps_auth::authorize::ClientIdentity;
use vipps_auth::id_token::Audience;
use vipps_auth::secret::AccessToken;
use vipps_auth::token::client_auth::ClientAuth;
use vipps_auth::ErrorKind;
use worker::Env;

use crate::config::Config;
use crate::error::{Result, WorkerError};
use crate::routes::tokens::partner_access_token;

fn invalid(reason: &'static str) -> WorkerError {
    WorkerError::Core(
        ErrorKind::InvalidParams {
            param: "msn",
            reason,
        }
        .into(),
    )
}

/// The merchant a caller names: in partner mode (`LOGIN_PARTNER_MSNS` set) required and one
/// of the list; otherwise refused, so that no caller can turn a sales unit's worker into a
/// partner's (docs/decisions.md).
pub fn merchant(config: &Config<'_>, msn: Option<String>) -> Result<Option<String>> {
    let msns = config.partner_msns()?;
    match (msns.is_empty(), msn) {
        (true, None) => Ok(None),
        (true, Some(_)) => Err(invalid(
            "this worker is not a partner (LOGIN_PARTNER_MSNS is not set)",
        )),
        (false, None) => Err(invalid("is required: LOGIN_PARTNER_MSNS is set")),
        (false, Some(msn)) if msns.contains(&msn) => Ok(Some(msn)),
        (false, Some(_)) => Err(invalid("is not one of LOGIN_PARTNER_MSNS")),
    }
}

/// Who the authorize URL names: `client_id`, or a partner's `msn`.
pub fn identity(config: &Config<'_>, msn: Option<&str>) -> Result<ClientIdentity> {
    Ok(match msn {
        Some(msn) => ClientIdentity::Msn(msn.to_owned()),
        None => ClientIdentity::ClientId(config.client_id()?),
    })
}

/// How the worker authenticates at the token and backchannel endpoints: the sales unit's
/// client secret (`LOGIN_TOKEN_AUTH`), or the partner's cached Access Token API token (one
/// upstream call however many logins: `TokenCache`) with the merchant's MSN.
pub async fn client_auth(env: &Env, config: &Config<'_>, msn: Option<&str>) -> Result<ClientAuth> {
    Ok(match msn {
        Some(msn) => ClientAuth::Partner {
            access_token: AccessToken::new(partner_access_token(env, config).await?),
            msn: msn.to_owned(),
        },
        None => config.login_client()?.into_client_auth(),
    })
}

/// What the ID token must be for: this client (`aud`), or the merchant (`msn` claim), since
/// a partner cannot know its merchants' client ids.
pub fn audience(config: &Config<'_>, msn: Option<&str>) -> Result<Audience> {
    Ok(match msn {
        Some(msn) => Audience::Msn(msn.to_owned()),
        None => Audience::ClientId(config.client_id()?),
    })
}
