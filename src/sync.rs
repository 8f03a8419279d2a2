//! The `Mutex` of the JS API's caches (`js::registry`), with std's `try_lock` signature but
//! built on `spin` (the npm package links no std). Only `try_lock` is offered: wasm is
//! single threaded, so a lock is never contended and an unavailable one reads as a miss.

/// A mutual-exclusion lock whose only access is [`Mutex::try_lock`].
pub struct Mutex<T>(spin::Mutex<T>);

/// The guard of a held [`Mutex`].
pub type MutexGuard<'a, T> = spin::MutexGuard<'a, T>;

/// The lock was held.
#[derive(Debug)]
pub struct WouldBlock;

impl<T> Mutex<T> {
    /// A lock around `value`.
    pub const fn new(value: T) -> Self {
        Self(spin::Mutex::new(value))
    }

    /// The guarded value, or `Err` when the lock is held.
    pub fn try_lock(&self) -> Result<MutexGuard<'_, T>, WouldBlock> {
        self.0.try_lock().ok_or(WouldBlock)
    }
}
