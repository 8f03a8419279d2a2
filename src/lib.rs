//! vipps-auth core (being assembled).
#![forbid(unsafe_code)]
