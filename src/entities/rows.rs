//! The name model's weight rows, keyed by feature hash, in one
//! open-addressing table.
//!
//! Scoring a token looks up some eighty features at random in a table of
//! about ten megabytes, larger than the caches: with a general hash map
//! each lookup waits for its control bytes, then for its bucket, one miss
//! after another. Here a key and its row share one slot, the keys are
//! hashes already (their low bits pick the slot), and [`Rows::prefetch`]
//! lets a caller request every slot of a token before reading any.

use crate::prefetch::prefetch;

/// Keys are feature hashes; 0 marks a free slot, so a row whose key is 0
/// is kept apart.
const FREE: u64 = 0;

#[derive(Clone)]
pub(crate) struct Rows<V: Copy + Default> {
    slots: Box<[Slot<V>]>,
    len: usize,
    zero: Option<V>,
}

#[derive(Clone, Copy, Default)]
struct Slot<V> {
    key: u64,
    value: V,
}

impl<V: Copy + Default> Default for Rows<V> {
    fn default() -> Self {
        Rows {
            slots: Box::default(),
            len: 0,
            zero: None,
        }
    }
}

impl<V: Copy + Default> Rows<V> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len + self.zero.is_some() as usize
    }

    /// Makes room for `more` rows beyond those held without growing again.
    pub fn reserve(&mut self, more: usize) {
        let wanted = ((self.len + more) * 2).next_power_of_two().max(16);
        if wanted > self.slots.len() {
            self.resize(wanted);
        }
    }

    /// Adds or replaces the row of `key`.
    pub fn insert(&mut self, key: u64, value: V) {
        if key == FREE {
            self.zero = Some(value);
            return;
        }
        // At most half the slots in use: a key the table does not hold is
        // told after two or three slots, most often in the same cache line.
        if (self.len + 1) * 2 > self.slots.len() {
            self.resize((self.slots.len() * 2).max(16));
        }
        let i = self.find(key);
        if self.slots[i].key == FREE {
            self.len += 1;
        }
        self.slots[i] = Slot { key, value };
    }

    /// The row of `key`.
    #[inline]
    pub fn get(&self, key: u64) -> Option<&V> {
        if key == FREE {
            return self.zero.as_ref();
        }
        if self.slots.is_empty() {
            return None;
        }
        let slot = &self.slots[self.find(key)];
        (slot.key == key).then_some(&slot.value)
    }

    /// Starts fetching the slot where the search for `key` starts.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        if !self.slots.is_empty() {
            prefetch(&self.slots[self.home(key)]);
        }
    }

    /// Every key and its row, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &V)> {
        self.zero.iter().map(|v| (FREE, v)).chain(
            self.slots
                .iter()
                .filter(|s| s.key != FREE)
                .map(|s| (s.key, &s.value)),
        )
    }

    #[inline]
    fn home(&self, key: u64) -> usize {
        key as usize & (self.slots.len() - 1)
    }

    /// The slot holding `key`, else the free slot where it would go.
    #[inline]
    fn find(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let k = self.slots[i].key;
            if k == key || k == FREE {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    fn resize(&mut self, size: usize) {
        let old = std::mem::replace(
            &mut self.slots,
            vec![Slot::default(); size].into_boxed_slice(),
        );
        for slot in old.iter().filter(|s| s.key != FREE) {
            let i = self.find(slot.key);
            self.slots[i] = *slot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_replaces_and_grows() {
        let mut rows: Rows<u32> = Rows::default();
        assert_eq!(rows.get(5), None);
        rows.prefetch(5);
        // Keys that share their low bits probe past each other.
        let keys: Vec<u64> = (1..=1000u64).map(|k| k << 20 | 7).collect();
        for (n, &k) in keys.iter().enumerate() {
            rows.insert(k, n as u32);
        }
        rows.insert(0, 99);
        rows.insert(keys[3], 1234);
        assert_eq!(rows.len(), 1001);
        assert_eq!(rows.get(0), Some(&99));
        assert_eq!(rows.get(keys[3]), Some(&1234));
        assert_eq!(rows.get(keys[999]), Some(&999));
        assert_eq!(rows.get(8 << 20), None);
        assert_eq!(rows.get(1001 << 20 | 7), None);
        let mut seen: Vec<u64> = rows.iter().map(|(k, _)| k).collect();
        seen.sort_unstable();
        assert_eq!(seen.len(), 1001);
        assert_eq!(seen[0], 0);
        rows.reserve(5000);
        assert_eq!(rows.get(keys[500]), Some(&500));
    }
}
