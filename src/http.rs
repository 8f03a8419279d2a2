//! Plain HTTP request and response values: what the sans-IO core builds and reads.
//!
//! The browser and worker layers carry an [`HttpRequest`] over the wire and hand back an
//! [`HttpResponse`]; the core never performs I/O. `Debug` output shows header values only
//! for headers that cannot carry credentials, and never a body.

use alloc::{string::String, vec::Vec};
use core::fmt;

use crate::error::{ErrorKind, Result};
use crate::json;

/// The HTTP methods the Vipps APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// Header names whose values are printed by `Debug`; every other value is redacted.
const PRINTABLE_HEADERS: &[&str] = &[
    "accept",
    "content-type",
    "merchant-serial-number",
    "vipps-system-name",
    "vipps-system-version",
    "vipps-system-plugin-name",
    "vipps-system-plugin-version",
];

/// A request for the platform layer to send.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// Headers in order, names as Vipps documents them.
    pub headers: Vec<(String, String)>,
    /// The body; empty for none.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first header of that name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A response as the platform layer received it.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with no headers, for tests and simple glue.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// The first header of that name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Turns a non-2xx response into [`ErrorKind::Http`], carrying the OAuth `error` and
    /// `error_description` (RFC 6749 section 5.2) when the body has them. Vipps' other error
    /// shapes (`{"errorCode": ..., "errorMessage": ...}`, a list of such objects, problem+json
    /// `{"title", "detail"}`) are read too. The body itself is never copied into the error.
    pub fn error_for_status(&self) -> Result<&Self> {
        if self.is_success() {
            return Ok(self);
        }
        let (error, description) = oauth_error_fields(&self.body);
        Err(ErrorKind::Http {
            status: self.status,
            error,
            description,
        }
        .into())
    }

    /// Parses a 2xx body as a JSON object; a non-2xx response becomes [`ErrorKind::Http`].
    pub fn json_object(&self) -> Result<json::Object> {
        self.error_for_status()?;
        json::parse_object(&self.body).map_err(|_| {
            ErrorKind::ResponseMalformed {
                reason: "the body is not a JSON object",
            }
            .into()
        })
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Longest error text copied from an upstream body into an [`Error`].
const MAX_ERROR_TEXT: usize = 200;

fn short_text(v: Option<&json::Value>) -> Option<String> {
    let s = v?.as_str()?;
    // `chars().take` rather than slicing: a str slice brings a panic path with `core::fmt`.
    Some(s.chars().take(MAX_ERROR_TEXT).collect())
}

fn oauth_error_fields(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(value) = json::parse(body) else {
        return (None, None);
    };
    let object = match &value {
        json::Value::Object(o) => Some(o),
        json::Value::Array(items) => items.first().and_then(json::Value::as_object),
        _ => None,
    };
    let Some(o) = object else {
        return (None, None);
    };
    let error = short_text(o.get("error"))
        .or_else(|| short_text(o.get("errorCode")))
        .or_else(|| short_text(o.get("title")));
    let description = short_text(o.get("error_description"))
        .or_else(|| short_text(o.get("errorMessage")))
        .or_else(|| short_text(o.get("detail")));
    (error, description)
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

struct RedactedHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.0 {
            let printable = PRINTABLE_HEADERS
                .iter()
                .any(|p| p.eq_ignore_ascii_case(name));
            let shown: &str = if printable { value } else { "<redacted>" };
            list.entry(&format_args!("{name}: {shown}"));
        }
        list.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_credentials_and_bodies() {
        let req = HttpRequest {
            method: Method::Post,
            url: "https://apitest.vipps.no/accesstoken/get".into(),
            headers: vec![
                ("client_secret".into(), "SECRET-1".into()),
                ("Ocp-Apim-Subscription-Key".into(), "SECRET-2".into()),
                ("Authorization".into(), "Basic SECRET-3".into()),
                ("Merchant-Serial-Number".into(), "123456".into()),
            ],
            body: b"code=SECRET-4".to_vec(),
        };
        let printed = format!("{req:?}");
        assert!(!printed.contains("SECRET"), "{printed}");
        assert!(printed.contains("Merchant-Serial-Number: 123456"));
        let res = HttpResponse::new(200, &b"{\"access_token\":\"SECRET-5\"}"[..]);
        assert!(!format!("{res:?}").contains("SECRET"));
    }

    #[test]
    fn header_lookup_ignores_case() {
        let mut res = HttpResponse::new(200, Vec::new());
        res.headers
            .push(("Content-Type".into(), "application/json".into()));
        assert_eq!(res.header("content-type"), Some("application/json"));
        assert_eq!(res.header("x-missing"), None);
    }

    #[test]
    fn error_for_status_reads_oauth_error_bodies() {
        let res = HttpResponse::new(
            400,
            &br#"{"error":"invalid_grant","error_description":"code used"}"#[..],
        );
        assert_eq!(
            res.error_for_status().unwrap_err(),
            ErrorKind::Http {
                status: 400,
                error: Some("invalid_grant".into()),
                description: Some("code used".into())
            }
            .into()
        );
    }

    #[test]
    fn error_for_status_reads_vipps_error_arrays_and_problem_json() {
        let res = HttpResponse::new(
            401,
            &br#"[{"errorCode":"401","errorMessage":"bad key"}]"#[..],
        );
        assert_eq!(
            res.error_for_status()
                .unwrap_err()
                .vipps_error_description(),
            Some("bad key")
        );
        let res = HttpResponse::new(503, &br#"{"title":"Unavailable","detail":"try later"}"#[..]);
        assert_eq!(
            res.error_for_status().unwrap_err().vipps_error(),
            Some("Unavailable")
        );
    }

    #[test]
    fn error_for_status_survives_non_json_and_caps_text() {
        let res = HttpResponse::new(502, &b"<html>Bad gateway</html>"[..]);
        assert_eq!(
            res.error_for_status().unwrap_err(),
            ErrorKind::Http {
                status: 502,
                error: None,
                description: None
            }
            .into()
        );
        let long = format!(r#"{{"error":"{}"}}"#, "x".repeat(5000));
        let err = HttpResponse::new(400, long.into_bytes())
            .error_for_status()
            .unwrap_err();
        assert_eq!(err.vipps_error().unwrap().len(), MAX_ERROR_TEXT);
    }

    #[test]
    fn json_object_refuses_non_objects_on_success() {
        assert_eq!(
            HttpResponse::new(200, &b"[]"[..])
                .json_object()
                .unwrap_err()
                .code(),
            "ERR_RESPONSE_MALFORMED"
        );
        assert_eq!(
            HttpResponse::new(200, &b"{\"a\":1}"[..])
                .json_object()
                .unwrap()
                .len(),
            1
        );
    }
}
