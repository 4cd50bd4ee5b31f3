//! What is read or opened once per index segment and kept while the
//! segment is searched: a segment never changes, so it stays right until
//! the segment is merged away.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tantivy::index::SegmentId;
use tantivy::{SegmentOrdinal, SegmentReader};

/// One `T` per segment of the searchers seen, made on first use.
pub struct PerSegment<T> {
    entries: RwLock<HashMap<SegmentId, Arc<T>>>,
}

impl<T> Default for PerSegment<T> {
    fn default() -> Self {
        PerSegment {
            entries: RwLock::default(),
        }
    }
}

impl<T> PerSegment<T> {
    /// The `T` of the segment `ord` of `searcher`, made by `make` when this
    /// segment has none yet.
    pub fn get(
        &self,
        searcher: &tantivy::Searcher,
        ord: SegmentOrdinal,
        make: impl FnOnce(&SegmentReader) -> tantivy::Result<T>,
    ) -> tantivy::Result<Arc<T>> {
        let segment = searcher.segment_reader(ord);
        let key = segment.segment_id();
        let cached = self
            .entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        if let Some(value) = cached {
            return Ok(value);
        }
        let value = Arc::new(make(segment)?);
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        // Segments merged away since are dropped.
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        entries.retain(|id, _| live.contains(id));
        entries.insert(key, value.clone());
        Ok(value)
    }
}
