//! OpenID Connect Discovery 1.0, sans-IO: the entry module fetches (`js/http.js`); these
//! exports build the request (section 4.1) and check the response, including that its
//! `issuer` is exactly the one asked for (section 4.3).


use alloc::string::String;
use super::args::{string_arg, Args};
use super::reply::{reply, Members};
use crate::discovery;
use crate::http::HttpResponse;

/// `discover([issuerOrConfigUrl])`, first half: `{url, headers}` of the discovery request.
pub fn discovery_request(args: &str) -> String {
    reply((|| {
        let args = Args::parse(args)?;
        let request = discovery::discovery_request(string_arg(args.get(0), "issuerOrConfigUrl")?)?;
        let mut headers = Members::new();
        for (name, v) in &request.headers {
            headers.string(name, v);
        }
        Ok(Members::new().string("url", &request.url).json("headers", &headers.finish()).finish())
    })())
}

/// Second half: the checked provider metadata from the response's status and body.
pub fn discovery_response(args: &str, status: u16, body: &[u8]) -> String {
    reply((|| {
        let args = Args::parse(args)?;
        let url = string_arg(args.get(0), "issuerOrConfigUrl")?;
        let response = HttpResponse::new(status, body);
        let metadata = discovery::process_discovery_response(&response, &discovery::issuer_from(url))?;
        Ok(metadata.raw().to_json())
    })())
}
