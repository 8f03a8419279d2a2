//! Integration tests: each test starts its own emulator on 127.0.0.1:0 and talks real HTTP.

mod helpers;

mod access_token;
mod ciba;
mod cli;
mod control;
mod login_authorize;
mod login_token;
mod miami;
mod partner;
mod secrets;
mod userinfo;
