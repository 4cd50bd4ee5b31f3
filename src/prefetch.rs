//! Asking the processor for memory ahead of use.
//!
//! Hash tables larger than the caches (the term cache, the name model's
//! rows) are read at random: one lookup after another, each waits for its
//! own cache miss. Requesting every slot a batch will read first lets the
//! misses overlap.

/// Starts fetching the cache lines that hold `item` into the caches; on
/// processors without a stable prefetch instruction in Rust, does nothing.
#[inline]
pub(crate) fn prefetch<T>(item: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let first = std::ptr::from_ref(item).cast::<i8>();
        let last = first.wrapping_add(std::mem::size_of::<T>().max(1) - 1);
        // SAFETY: a prefetch only hints the processor; it reads nothing and
        // never faults, and both addresses are inside `item`.
        unsafe {
            _mm_prefetch::<_MM_HINT_T0>(first);
            if (first as usize) >> 6 != (last as usize) >> 6 {
                _mm_prefetch::<_MM_HINT_T0>(last);
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}
