//! What the wasm keeps between calls: verifications between their steps ([`super::verify`]),
//! by the handle the JS side gave each, and the last key set used with its text
//! ([`super::keyset`]). Everything kept is only a cache: the JS side always sends what an
//! entry was made from, so a missing entry costs a parse, never a different answer. That
//! lets the registry bound itself the simplest way: when full it starts over, so entries
//! nobody takes (a call abandoned after an error) cannot grow it.
//!
//! Both live in `static` `Mutex`es read with `try_lock`: wasm is single threaded, so they
//! are never contended, an unavailable lock reads as a miss, and the wasm gets none of the
//! panicking paths of `lock`, `RefCell` or `thread_local!`.

use alloc::{string::String, vec::Vec};
use super::verify::Pending;
use crate::jose::jwk::JwkSet;
use crate::sync::Mutex;

/// Most verifications kept between their steps.
pub const MAX_KEPT: usize = 64;

/// The last JWK set text used and the set parsed from it.
pub static SET: Mutex<Option<(String, JwkSet)>> = Mutex::new(None);

/// The entries by handle.
struct Registry {
    entries: Vec<(u32, Pending)>,
}

static KEPT: Mutex<Registry> = Mutex::new(Registry { entries: Vec::new() });

/// Keeps `value` under `id`, replacing an entry with that id. Handle 0 is never kept (the
/// host tests' calls, and the JS counter should it wrap past 2^32), nor is anything when
/// the lock is unavailable: a later `take` reads either as a miss.
pub fn keep(id: u32, value: Pending) {
    if id == 0 {
        return;
    }
    let Ok(mut registry) = KEPT.try_lock() else { return };
    take_entry(&mut registry, id);
    if registry.entries.len() >= MAX_KEPT {
        registry.entries.clear();
    }
    registry.entries.push((id, value));
}

/// How many entries are kept (for tests).
pub fn len() -> usize {
    KEPT.try_lock().map_or(0, |registry| registry.entries.len())
}

/// Removes and answers the entry `id`.
pub fn take(id: u32) -> Option<Pending> {
    take_entry(&mut *KEPT.try_lock().ok()?, id)
}

/// Removes entry `id`, swapping the last entry into its place (order does not matter to a
/// registry that starts over rather than dropping the oldest).
fn take_entry(registry: &mut Registry, id: u32) -> Option<Pending> {
    let at = registry.entries.iter().position(|(i, _)| *i == id)?;
    let last = registry.entries.pop()?;
    match registry.entries.get_mut(at) {
        Some(slot) => Some(core::mem::replace(slot, last).1),
        None => Some(last.1),
    }
}
