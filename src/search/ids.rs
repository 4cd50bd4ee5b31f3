//! Article ids of hits, from the id field's fast column.
//!
//! Reading one id from a string column decompresses a block of its
//! dictionary (and makes a decompression context to do it), which cost more
//! than the search itself when only ids were asked for. A segment never
//! changes, so its ids are read once, in one pass over the dictionary, and
//! kept while the segment is searched.

use tantivy::columnar::Column;
use tantivy::{DocAddress, SegmentReader};

use super::segments::PerSegment;

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
    segments: PerSegment<SegmentIds>,
}

impl IdCache {
    /// A cache of the ids in the fast string field `field`.
    pub fn new(field: &str) -> IdCache {
        IdCache {
            field: field.to_string(),
            segments: PerSegment::default(),
        }
    }

    /// The id of the article at `address` ("" when it has none).
    pub fn id(&self, searcher: &tantivy::Searcher, address: DocAddress) -> tantivy::Result<String> {
        let ids = self
            .segments
            .get(searcher, address.segment_ord, |segment| {
                SegmentIds::read(segment, &self.field)
            })?;
        Ok(ids.get(address.doc_id).to_string())
    }
}
