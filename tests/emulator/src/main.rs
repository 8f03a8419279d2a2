#![forbid(unsafe_code)]
//! `vipps-emulator [--host HOST] [--port PORT] [--public-url URL]`

use std::io::Write;
use std::process::ExitCode;

use vipps_emulator::{serve, Config};

const USAGE: &str = "\
vipps-emulator: a local emulator of the Vipps MobilePay authentication endpoints

Usage: vipps-emulator [--host HOST] [--port PORT] [--public-url URL]

  --host HOST        address to listen on (default 127.0.0.1)
  --port PORT        port to listen on (default 7480; 0 picks a free port)
  --public-url URL   base URL used in the issuer and endpoint URLs
                     (default http://<host>:<port>; env EMULATOR_PUBLIC_URL)
  -h, --help         this text
  -V, --version      the version

Credentials and settings come from the environment (VIPPS_CLIENT_ID, VIPPS_CLIENT_SECRET,
VIPPS_SUBSCRIPTION_KEY, VIPPS_MSN, MIAMI_CLIENT_ID, MIAMI_CLIENT_SECRET, LOGIN_REDIRECT_URIS,
LOGIN_TOKEN_AUTH, EMULATOR_TOKEN_LIFETIME, EMULATOR_CODE_LIFETIME, ...): see README.md.
On start it prints one line: `vipps-emulator listening on http://HOST:PORT`.
";

struct Args {
    host: String,
    port: u16,
    public_url: Option<String>,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        host: "127.0.0.1".into(),
        port: 7480,
        public_url: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(None);
            }
            "-V" | "--version" => {
                println!("vipps-emulator {}", env!("CARGO_PKG_VERSION"));
                return Ok(None);
            }
            "--host" => args.host = value("--host")?,
            "--port" => {
                let v = value("--port")?;
                args.port = v
                    .parse()
                    .map_err(|_| format!("--port must be 0-65535, not '{v}'"))?;
            }
            "--public-url" => args.public_url = Some(value("--public-url")?),
            other => return Err(format!("unknown argument '{other}' (try --help)")),
        }
    }
    Ok(Some(args))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(a)) => a,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vipps-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let mut config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("vipps-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    if args.public_url.is_some() {
        config.public_url = args.public_url;
    }
    let listener = match tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "vipps-emulator: cannot listen on {}:{}: {e}",
                args.host, args.port
            );
            return ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("vipps-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let shown_host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else if addr.is_ipv6() {
        format!("[{}]", addr.ip())
    } else {
        addr.ip().to_string()
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "vipps-emulator listening on http://{shown_host}:{}",
        addr.port()
    );
    let _ = out.flush();
    drop(out);
    match serve(listener, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vipps-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}
