//! One module per route group.

pub mod ciba;
pub mod health;
pub mod login;
pub mod tokens;
