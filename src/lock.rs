//! Locking a mutex whose holder panicked. Every mutex in tolk guards data a panic cannot leave
//! half-changed for its readers (a cache, a list of written files, a part of a search index, a
//! text waiting for its page), so the data is taken as it is rather than the panic spread to
//! every thread that asks next.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// The guard of `mutex`, poisoned or not.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The data of a mutex held alone (no lock needed), poisoned or not.
pub fn get_mut<T>(mutex: &mut Mutex<T>) -> &mut T {
    mutex.get_mut().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poisoned_mutex_still_gives_its_data() {
        let mutex = Mutex::new(vec![1]);
        let _ = std::panic::catch_unwind(|| {
            let mut guard = lock(&mutex);
            guard.push(2);
            panic!("a holder panics");
        });
        assert!(mutex.is_poisoned());
        assert_eq!(*lock(&mutex), vec![1, 2]);
        let mut mutex = mutex;
        get_mut(&mut mutex).push(3);
        assert_eq!(*lock(&mutex), vec![1, 2, 3]);
    }
}
