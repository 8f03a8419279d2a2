//! What the wasm keeps between calls: verifications between their steps ([`super::verify`])
//! by the handle the JS side gave each, and the last key set used, parsed, with its text
//! ([`super::keyset`]). Everything kept is only a cache: the JS side can always send what an
//! entry was made from, so a missing entry costs a parse, never a different answer. That lets
//! the pending calls bound themselves the simplest way: when full they start over, so calls
//! nobody finishes (abandoned after an error) cannot pile up.
//!
//! Both live in `static` `Mutex`es read with `try_lock`: wasm is single threaded, so they
//! are never contended, an unavailable lock reads as a miss, and the wasm gets none of the
//! panicking paths of `lock`, `RefCell` or `thread_local!`.

use alloc::{string::String, vec::Vec};

use crate::sync::Mutex;

use super::keyset::KeptSet;
use super::verify::Pending;

/// Most verifications kept between their steps.
pub const MAX_PENDING: usize = 64;

/// The last JWK set text used and the set parsed from it.
pub static SET: Mutex<Option<(String, KeptSet)>> = Mutex::new(None);

static PENDING: Mutex<Vec<(u32, Pending)>> = Mutex::new(Vec::new());

/// Keeps the pending verification `handle`, replacing one of that handle. Handle 0 is never
/// kept (the host tests' calls, and the JS counter should it wrap past 2^32), nor is anything
/// when the lock is unavailable: a later `take_pending` reads either as a miss.
pub fn keep_pending(handle: u32, pending: Pending) {
    if handle == 0 {
        return;
    }
    let Ok(mut kept) = PENDING.try_lock() else { return };
    take(&mut kept, handle);
    if kept.len() >= MAX_PENDING {
        kept.clear();
    }
    kept.push((handle, pending));
}

/// Removes and answers the pending verification `handle`.
pub fn take_pending(handle: u32) -> Option<Pending> {
    take(&mut *PENDING.try_lock().ok()?, handle)
}

/// How many verifications are kept (for tests).
pub fn pending_len() -> usize {
    PENDING.try_lock().map_or(0, |kept| kept.len())
}

/// Removes entry `handle`, swapping the last entry into its place (order does not matter to
/// a store that starts over rather than dropping the oldest).
fn take(kept: &mut Vec<(u32, Pending)>, handle: u32) -> Option<Pending> {
    let at = kept.iter().position(|(h, _)| *h == handle)?;
    let last = kept.pop()?;
    match kept.get_mut(at) {
        Some(slot) => Some(core::mem::replace(slot, last).1),
        None => Some(last.1),
    }
}
