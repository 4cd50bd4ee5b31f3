//! Article ids of hits, from the id field's fast column.
//!
//! Reading one id from a string column decompresses a block of its
//! dictionary (and makes a decompression context to do it), which cost more
//! than the search itself when only ids were asked for. A segment never
//! changes, so its ids are read once, in one pass over the dictionary, and
//! kept while the segment is searched.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{DocAddress, SegmentReader};

/// The ids of one segment, by term ordinal, and each document's ordinal.
struct SegmentIds {
    ords: Column<u64>,
    ids: Vec<Box<str>>,
}

impl SegmentIds {
    fn read(segment: &SegmentReader, field: &str) -> tantivy::Result<SegmentIds> {
        let Some(column) = segment.fast_fields().str(field)? else {
            return Ok(SegmentIds {
                ords: Column::build_empty_column(segment.max_doc()),
                ids: Vec::new(),
            });
        };
        let mut ids = Vec::with_capacity(column.num_terms());
        let mut stream = column.dictionary().stream()?;
        while stream.advance() {
            ids.push(String::from_utf8_lossy(stream.key()).into());
        }
        Ok(SegmentIds {
            ords: column.ords().clone(),
            ids,
        })
    }

    fn get(&self, doc: u32) -> &str {
        self.ords
            .first(doc)
            .and_then(|ord| self.ids.get(ord as usize))
            .map_or("", |id| id)
    }
}

/// The ids of the segments searched so far.
pub struct IdCache {
    field: String,
    segments: RwLock<HashMap<SegmentId, Arc<SegmentIds>>>,
}

impl IdCache {
    /// A cache of the ids in the fast string field `field`.
    pub fn new(field: &str) -> IdCache {
        IdCache {
            field: field.to_string(),
            segments: RwLock::default(),
        }
    }

    /// The id of the article at `address` ("" when it has none).
    pub fn id(&self, searcher: &tantivy::Searcher, address: DocAddress) -> tantivy::Result<String> {
        let segment = searcher.segment_reader(address.segment_ord);
        let key = segment.segment_id();
        let cached = self
            .segments
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        let ids = match cached {
            Some(ids) => ids,
            None => {
                let ids = Arc::new(SegmentIds::read(segment, &self.field)?);
                let mut segments = self.segments.write().unwrap_or_else(|e| e.into_inner());
                // Segments merged away since are dropped.
                let live: Vec<SegmentId> = searcher
                    .segment_readers()
                    .iter()
                    .map(|s| s.segment_id())
                    .collect();
                segments.retain(|id, _| live.contains(id));
                segments.insert(key, ids.clone());
                ids
            }
        };
        Ok(ids.get(address.doc_id).to_string())
    }
}
