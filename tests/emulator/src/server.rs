//! The router, and the accept loop that can really drop a connection (the `drop` fault).

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{Request, StatusCode, Uri};
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower_service::Service;

use crate::config::Config;
use crate::faults::{inject_faults, DropConnection};
use crate::state::AppState;
use crate::stats::count_requests;
use crate::util::oauth_error;
use crate::{access_token, ciba, control, discovery, login, miami, userinfo};

async fn not_found(uri: Uri) -> Response {
    oauth_error(
        StatusCode::NOT_FOUND,
        "not_found",
        &format!("No endpoint at {}", uri.path()),
    )
}

async fn method_not_allowed() -> Response {
    oauth_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "This endpoint does not accept that method.",
    )
}

/// The emulator's router. `config.public_url` should be set (see [`serve`], which fills it
/// from the bound address); without it URLs use `http://127.0.0.1:7480`.
///
/// A bare router cannot drop connections: the `drop` fault needs [`serve`].
pub fn app(config: Config) -> Router {
    let state = AppState::new(config);
    Router::new()
        .route(
            crate::ACCESS_TOKEN_PATH,
            post(access_token::get_access_token),
        )
        .route(crate::MIAMI_TOKEN_PATH, post(miami::miami_token))
        .route(crate::DISCOVERY_PATH, get(discovery::openid_configuration))
        .route(crate::JWKS_PATH, get(discovery::jwks))
        .route(crate::AUTHORIZE_PATH, get(login::authorize::authorize))
        .route(crate::CONSENT_PATH, post(login::consent::consent))
        .route(crate::LOGIN_TOKEN_PATH, post(login::token::token))
        .route(crate::USERINFO_PATH, get(userinfo::userinfo))
        .route(
            crate::CIBA_AUTHENTICATION_PATH,
            post(ciba::backchannel::authentication),
        )
        .route("/_emulator/ciba/approve", post(ciba::control::approve))
        .route("/_emulator/ciba/deny", post(ciba::control::deny))
        .route("/_emulator/ciba/expire", post(ciba::control::expire))
        .route("/_emulator/rotate-keys", post(control::rotate_keys))
        .route(
            "/_emulator/faults",
            post(control::set_fault)
                .get(control::list_faults)
                .delete(control::clear_faults),
        )
        .route(
            "/_emulator/id-token-claims",
            post(control::set_id_token_claims),
        )
        .route(
            "/_emulator/token-response-fields",
            post(control::set_token_response_fields),
        )
        .route("/_emulator/stats", get(control::stats))
        .route("/_emulator/clock", post(control::set_clock))
        .route("/_emulator/reset", post(control::reset))
        .route(
            "/_emulator/authorization-iss",
            post(control::set_authorization_iss),
        )
        .route("/_emulator/config", get(control::config))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state.clone(), inject_faults))
        .layer(from_fn_with_state(state.clone(), count_requests))
        .with_state(state)
}

/// The error a connection ends with when a `drop` fault closes it.
#[derive(Debug)]
struct DroppedByFault;

impl std::fmt::Display for DroppedByFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an emulated fault")
    }
}

impl std::error::Error for DroppedByFault {}

/// The base URL for a bound address: loopback when bound to every interface.
fn base_for(addr: SocketAddr) -> String {
    let ip = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else if addr.is_ipv6() {
        format!("[{}]", addr.ip())
    } else {
        addr.ip().to_string()
    };
    format!("http://{ip}:{}", addr.port())
}

/// Serves the emulator on `listener` until the task is dropped. Fills `config.public_url`
/// from the bound address when it is unset.
pub async fn serve(listener: TcpListener, mut config: Config) -> std::io::Result<()> {
    if config.public_url.is_none() {
        config.public_url = Some(base_for(listener.local_addr()?));
    }
    let router = app(config);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors and the like: wait a moment and go on.
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                let mut router = router.clone();
                async move {
                    let resp = match router.call(req.map(Body::new)).await {
                        Ok(resp) => resp,
                        Err(never) => match never {},
                    };
                    if resp.extensions().get::<DropConnection>().is_some() {
                        return Err(DroppedByFault);
                    }
                    Ok(resp)
                }
            });
            // Errors here are client disconnects and dropped-by-fault connections.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// A running emulator started by [`spawn`]. Dropping it does not stop the server; call
/// [`Running::stop`].
pub struct Running {
    /// The bound address (always `127.0.0.1:<port>`).
    pub addr: SocketAddr,
    /// `http://127.0.0.1:<port>`: where to send requests.
    pub base_url: String,
    /// The base URL in the issuer and endpoint URLs (`base_url` unless `public_url` was set).
    pub public_url: String,
    pub handle: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// `<public url>/access-management-1.0/access/`: the `iss` of the ID tokens.
    pub fn issuer(&self) -> String {
        format!("{}{}", self.public_url, crate::ISSUER_PATH)
    }

    /// `<base_url><path>`: a URL to send a request to.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub fn stop(self) {
        self.handle.abort();
    }
}

/// Binds `127.0.0.1:0` and serves the emulator on a background task of the current runtime.
pub async fn spawn(mut config: Config) -> std::io::Result<Running> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let base_url = base_for(addr);
    if config.public_url.is_none() {
        config.public_url = Some(base_url.clone());
    }
    let public_url = config.base_url();
    let handle = tokio::spawn(serve(listener, config));
    Ok(Running {
        addr,
        base_url,
        public_url,
        handle,
    })
}
