//! A byte budget for documents on their way into the index.
//!
//! tantivy queues up to 10,000 documents between `add_document` and its
//! indexing threads, whatever their size: 10,000 long articles would be
//! gigabytes. Each document here carries a permit for its estimated size,
//! released when tantivy drops it after indexing, and a worker waits while
//! the documents in flight exceed the budget.

use std::sync::{Arc, Condvar, Mutex};

use tantivy::schema::document::Document;
use tantivy::TantivyDocument;

/// Bytes of documents in flight, with a limit.
#[derive(Debug)]
pub struct ByteBudget {
    limit: usize,
    state: Mutex<State>,
    freed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    used: usize,
    /// Workers waiting for room.
    waiting: usize,
    /// The largest request among them.
    wanted: usize,
}

impl State {
    /// Waiters are woken when the bytes in flight fall to this, not at
    /// every document freed: the indexer frees a document at a time, and a
    /// wake-up for each (a system call on the indexing thread, a context
    /// switch for each worker) let the workers trail it in lock step. Half
    /// the limit, or lower when a waiter needs more room than that.
    fn wake_at(&self, limit: usize) -> usize {
        (limit / 2).min(limit.saturating_sub(self.wanted))
    }
}

impl ByteBudget {
    pub fn new(limit: usize) -> Arc<ByteBudget> {
        Arc::new(ByteBudget {
            limit,
            state: Mutex::new(State::default()),
            freed: Condvar::new(),
        })
    }

    /// Waits until `bytes` fit (a document larger than the whole budget
    /// waits until nothing else is in flight), then takes them.
    pub fn acquire(self: &Arc<ByteBudget>, bytes: usize) -> Permit {
        let mut state = self.state.lock().expect("budget lock");
        if state.used > 0 && state.used + bytes > self.limit {
            state.waiting += 1;
            state.wanted = state.wanted.max(bytes);
            while state.used > 0 && state.used + bytes > self.limit {
                state = self.freed.wait(state).expect("budget lock");
            }
            state.waiting -= 1;
            if state.waiting == 0 {
                state.wanted = 0;
            }
        }
        state.used += bytes;
        Permit {
            budget: Arc::clone(self),
            bytes,
        }
    }

    /// Bytes currently in flight.
    pub fn used(&self) -> usize {
        self.state.lock().expect("budget lock").used
    }
}

/// A share of a [`ByteBudget`], given back when dropped.
#[derive(Debug)]
pub struct Permit {
    budget: Arc<ByteBudget>,
    bytes: usize,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut state = self.budget.state.lock().expect("budget lock");
        let before = state.used;
        state.used -= self.bytes;
        let wake_at = state.wake_at(self.budget.limit);
        if state.waiting > 0 && (state.used == 0 || (before > wake_at && state.used <= wake_at)) {
            self.budget.freed.notify_all();
        }
    }
}

/// A document holding its permit until the indexer is done with it.
#[derive(Debug)]
pub struct BudgetedDoc {
    pub doc: TantivyDocument,
    pub permit: Permit,
}

impl Document for BudgetedDoc {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }

    fn into_tantivy_document(self) -> TantivyDocument {
        self.doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn waits_for_room_and_frees_on_drop() {
        let budget = ByteBudget::new(100);
        let a = budget.acquire(60);
        let b = budget.clone();
        let waiter = std::thread::spawn(move || {
            let _p = b.acquire(60);
            b.used()
        });
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(budget.used(), 60, "the second permit must wait");
        drop(a);
        assert_eq!(waiter.join().unwrap(), 60);
        assert_eq!(budget.used(), 0);
        // Larger than the budget: admitted alone.
        let big = budget.acquire(500);
        assert_eq!(budget.used(), 500);
        drop(big);
    }

    /// Waiters wake when half the budget is free, or enough for the
    /// largest of them, not at every permit returned.
    #[test]
    fn wakes_waiters_when_enough_is_free() {
        let budget = ByteBudget::new(100);
        let permits: Vec<Permit> = (0..10).map(|_| budget.acquire(10)).collect();
        let b = budget.clone();
        let waiter = std::thread::spawn(move || {
            let _p = b.acquire(10);
        });
        while budget.state.lock().unwrap().waiting == 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
        let mut permits = permits.into_iter();
        for _ in 0..4 {
            drop(permits.next());
        }
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(budget.used(), 60, "woken before half the budget was free");
        drop(permits.next());
        waiter.join().unwrap();
        assert_eq!(budget.used(), 50);

        // A waiter wanting 80 is woken when 80 are free.
        let big_waiter = {
            let b = budget.clone();
            std::thread::spawn(move || {
                let _p = b.acquire(80);
                b.used()
            })
        };
        while budget.state.lock().unwrap().waiting == 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
        for _ in 0..3 {
            drop(permits.next());
        }
        assert_eq!(big_waiter.join().unwrap(), 20 + 80);
        assert_eq!(budget.used(), 20);
        drop(permits);
        assert_eq!(budget.used(), 0);
    }
}
