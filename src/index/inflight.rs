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
    used: Mutex<usize>,
    freed: Condvar,
}

impl ByteBudget {
    pub fn new(limit: usize) -> Arc<ByteBudget> {
        Arc::new(ByteBudget {
            limit,
            used: Mutex::new(0),
            freed: Condvar::new(),
        })
    }

    /// Waits until `bytes` fit (a document larger than the whole budget
    /// waits until nothing else is in flight), then takes them.
    pub fn acquire(self: &Arc<ByteBudget>, bytes: usize) -> Permit {
        let mut used = self.used.lock().expect("budget lock");
        while *used > 0 && *used + bytes > self.limit {
            used = self.freed.wait(used).expect("budget lock");
        }
        *used += bytes;
        Permit {
            budget: Arc::clone(self),
            bytes,
        }
    }

    /// Bytes currently in flight.
    pub fn used(&self) -> usize {
        *self.used.lock().expect("budget lock")
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
        let mut used = self.budget.used.lock().expect("budget lock");
        *used -= self.bytes;
        self.budget.freed.notify_all();
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
}
