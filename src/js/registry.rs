//! What the wasm keeps between calls: verifications between their steps ([`super::verify`])
//! by the handle the JS side gave each, and parsed key sets ([`super::keyset`]) by the id
//! the JS side gave each set's text. Everything kept is only a cache: the JS side can always
//! send what an entry was made from, so a missing entry costs a parse (and, for a key set,
//! one more call asking for its text), never a different answer. That lets each store bound
//! itself the simplest way: when full it starts over, so entries nobody takes (a call
//! abandoned after an error, a `KeySet` the app dropped) cannot grow it.
//!
//! Both live in `static` `Mutex`es read with `try_lock`: wasm is single threaded, so they
//! are never contended, an unavailable lock reads as a miss, and the wasm gets none of the
//! panicking paths of `lock`, `RefCell` or `thread_local!`.

use alloc::vec::Vec;

use crate::sync::{Mutex, MutexGuard};

use super::keyset::KeptSet;
use super::verify::Pending;

/// Most verifications kept between their steps.
pub const MAX_PENDING: usize = 64;

/// Most parsed key sets kept (an app has one or two: its issuer's, perhaps a second).
pub const MAX_SETS: usize = 8;

/// Entries by id, at most `max` of them.
pub struct Store<T> {
    entries: Vec<(u32, T)>,
    max: usize,
}

impl<T> Store<T> {
    const fn new(max: usize) -> Self {
        Store { entries: Vec::new(), max }
    }

    /// Keeps `value` under `id`, replacing an entry with that id; id 0 is never kept (the
    /// host tests' calls, and the JS counters should one wrap past 2^32).
    fn keep(&mut self, id: u32, value: T) {
        if id == 0 {
            return;
        }
        self.take(id);
        if self.entries.len() >= self.max {
            self.entries.clear();
        }
        self.entries.push((id, value));
    }

    /// Removes and answers entry `id`, swapping the last entry into its place (order does
    /// not matter to a store that starts over rather than dropping the oldest).
    fn take(&mut self, id: u32) -> Option<T> {
        let at = self.entries.iter().position(|(i, _)| *i == id)?;
        let last = self.entries.pop()?;
        match self.entries.get_mut(at) {
            Some(slot) => Some(core::mem::replace(slot, last).1),
            None => Some(last.1),
        }
    }

    fn get(&self, id: u32) -> Option<&T> {
        self.entries.iter().find(|(i, _)| *i == id).map(|(_, v)| v)
    }
}

static PENDING: Mutex<Store<Pending>> = Mutex::new(Store::new(MAX_PENDING));
static SETS: Mutex<Store<KeptSet>> = Mutex::new(Store::new(MAX_SETS));

/// The store, unless its lock is unavailable (never, single threaded; a miss if it were).
fn lock<T>(store: &'static Mutex<Store<T>>) -> Option<MutexGuard<'static, Store<T>>> {
    store.try_lock().ok()
}

/// Keeps the pending verification `handle`.
pub fn keep_pending(handle: u32, pending: Pending) {
    if let Some(mut store) = lock(&PENDING) {
        store.keep(handle, pending);
    }
}

/// Removes and answers the pending verification `handle`.
pub fn take_pending(handle: u32) -> Option<Pending> {
    lock(&PENDING)?.take(handle)
}

/// How many verifications are kept (for tests).
pub fn pending_len() -> usize {
    lock(&PENDING).map_or(0, |store| store.entries.len())
}

/// Keeps the parsed key set `id`.
pub fn keep_set(id: u32, set: KeptSet) {
    if let Some(mut store) = lock(&SETS) {
        store.keep(id, set);
    }
}

/// Runs `f` on the kept key set `id`, or answers `None` when it is not kept.
pub fn with_set<R>(id: u32, f: impl FnOnce(&KeptSet) -> R) -> Option<R> {
    lock(&SETS)?.get(id).map(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_replaces_takes_and_starts_over_when_full() {
        let mut store = Store::new(3);
        store.keep(1, "a");
        store.keep(1, "b");
        store.keep(0, "never");
        assert_eq!(store.entries.len(), 1);
        assert_eq!(store.get(1), Some(&"b"));
        store.keep(2, "c");
        store.keep(3, "d");
        assert_eq!(store.take(1), Some("b"));
        assert_eq!(store.take(1), None);
        assert_eq!(store.get(3), Some(&"d"));
        store.keep(4, "e");
        store.keep(5, "f");
        assert_eq!(store.entries.len(), 1, "a full store starts over");
        assert_eq!(store.get(5), Some(&"f"));
    }
}
