//! The `vipps-emulator` binary: readiness line, port 0, env overrides, argument errors.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_vipps-emulator");

/// Kills the child when dropped, even if the test panics.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(args: &[&str], env: &[(&str, &str)]) -> (Guard, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = Guard(cmd.spawn().expect("binary starts"));
    let stdout = child.0.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("a line");
    (child, line.trim_end().to_string())
}

#[tokio::test]
async fn binary_prints_listening_line_and_serves_with_env_overrides() {
    let started = Instant::now();
    let (_child, line) = start(
        &["--port", "0"],
        &[("VIPPS_CLIENT_ID", "cli-client"), ("VIPPS_MSN", "4321")],
    );
    let elapsed = started.elapsed();
    let base = line
        .strip_prefix("vipps-emulator listening on ")
        .expect("the readiness line")
        .to_string();
    assert!(base.starts_with("http://127.0.0.1:"));
    let port: u16 = base
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    assert_ne!(port, 0);
    assert!(elapsed.as_millis() < 2000, "start-up took {elapsed:?}");
    let config: serde_json::Value = reqwest::get(format!("{base}/_emulator/config"))
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(config["clientId"], "cli-client");
    assert_eq!(config["msn"], "4321");
    assert_eq!(
        config["issuer"],
        format!("{base}/access-management-1.0/access/")
    );
}

#[tokio::test]
async fn binary_uses_public_url_for_the_issuer() {
    let (_child, line) = start(&["--port=0", "--public-url", "http://vipps.test:9"], &[]);
    let base = line
        .strip_prefix("vipps-emulator listening on ")
        .expect("line");
    let config: serde_json::Value = reqwest::get(format!("{base}/_emulator/config"))
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(
        config["issuer"],
        "http://vipps.test:9/access-management-1.0/access/"
    );
}

#[test]
fn binary_rejects_bad_arguments_and_settings() {
    let status = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = Command::new(BIN);
        cmd.args(args).stdout(Stdio::null()).stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.status().expect("runs").code()
    };
    assert_eq!(status(&["--port", "70000"], &[]), Some(2));
    assert_eq!(status(&["--bogus"], &[]), Some(2));
    assert_eq!(
        status(&["--port", "0"], &[("LOGIN_TOKEN_AUTH", "none")]),
        Some(2)
    );
    assert_eq!(status(&["--help"], &[]), Some(0));
}
