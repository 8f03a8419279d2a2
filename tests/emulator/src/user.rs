//! The single test user, and the claims each scope releases.

use serde_json::{json, Map, Value};

use crate::util::uuid_from_seed;

pub const GIVEN_NAME: &str = "Ola";
pub const FAMILY_NAME: &str = "Nordmann";
pub const EMAIL: &str = "ola.nordmann@example.com";
pub const PHONE_NUMBER: &str = "4712345678";
/// A phone number whose (emulated) app is too old for merchant-initiated login: the
/// backchannel endpoint answers `error_code=old_app`. Any number other than this one and
/// [`PHONE_NUMBER`] answers `error_code=invalid_user` (no account).
pub const OLD_APP_PHONE_NUMBER: &str = "4700000001";
pub const BIRTHDATE: &str = "1990-01-31";
pub const NIN: &str = "01019012345";

/// The scopes the authorize endpoint accepts.
pub const KNOWN_SCOPES: &[&str] = &[
    "openid",
    "name",
    "email",
    "phoneNumber",
    "address",
    "birthDate",
    "nin",
    "api_version_2",
];

/// The pairwise subject: stable per client (or per partner MSN).
pub fn subject(audience_key: &str) -> String {
    uuid_from_seed(&format!("vipps-emulator-test-user|{audience_key}"))
}

pub fn address() -> Value {
    json!({
        "address_type": "home",
        "street_address": "Robert Levins gate 5",
        "postal_code": "0154",
        "region": "Oslo",
        "country": "NO",
        "formatted": "Robert Levins gate 5\n0154 Oslo\nNO",
    })
}

/// The userinfo claims the granted scopes release (`sub` always).
pub fn claims(sub: &str, scopes: &[String]) -> Value {
    let mut m = Map::new();
    m.insert("sub".into(), json!(sub));
    for scope in scopes {
        match scope.as_str() {
            "name" => {
                m.insert("name".into(), json!(format!("{GIVEN_NAME} {FAMILY_NAME}")));
                m.insert("given_name".into(), json!(GIVEN_NAME));
                m.insert("family_name".into(), json!(FAMILY_NAME));
            }
            "email" => {
                m.insert("email".into(), json!(EMAIL));
                m.insert("email_verified".into(), json!(true));
            }
            "phoneNumber" => {
                m.insert("phone_number".into(), json!(PHONE_NUMBER));
            }
            "address" => {
                m.insert("address".into(), address());
                m.insert("other_addresses".into(), json!([]));
            }
            "birthDate" => {
                m.insert("birthdate".into(), json!(BIRTHDATE));
            }
            "nin" => {
                m.insert("nin".into(), json!(NIN));
            }
            _ => {}
        }
    }
    Value::Object(m)
}

/// Human-readable lines for the consent page.
pub fn consent_lines(scopes: &[String]) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    for scope in scopes {
        let line = match scope.as_str() {
            "name" => ("Name", format!("{GIVEN_NAME} {FAMILY_NAME}")),
            "email" => ("Email", EMAIL.to_string()),
            "phoneNumber" => ("Phone number", PHONE_NUMBER.to_string()),
            "address" => ("Address", "Robert Levins gate 5, 0154 Oslo, NO".to_string()),
            "birthDate" => ("Birth date", BIRTHDATE.to_string()),
            "nin" => ("National identity number", NIN.to_string()),
            _ => continue,
        };
        lines.push((line.0.to_string(), line.1));
    }
    lines
}
