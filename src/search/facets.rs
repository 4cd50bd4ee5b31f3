//! Facet counts over every matching document.
//!
//! Counts come from the fast (columnar) term ordinals of each facet field,
//! so counting costs one array increment per value of each match, and no
//! stored document is read. Ordinals are turned into strings once per
//! segment, only for values that occurred.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts the values of several string fast fields over all matches.
pub struct FacetCounter {
    fields: Vec<String>,
}

impl FacetCounter {
    /// Counts the values of the named fields (schema field names).
    pub fn new(fields: Vec<String>) -> FacetCounter {
        FacetCounter { fields }
    }
}

/// Per-field value counts, in the order the fields were given.
pub type FacetFruit = Vec<HashMap<String, u64>>;

/// The per-segment state of [`FacetCounter`].
pub struct SegmentFacetCounter {
    columns: Vec<Option<(StrColumn, Vec<u32>)>>,
}

impl Collector for FacetCounter {
    type Fruit = FacetFruit;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let columns = self
            .fields
            .iter()
            .map(|name| {
                let column = segment.fast_fields().str(name)?;
                Ok(column.map(|c| {
                    let n = c.num_terms();
                    (c, vec![0u32; n])
                }))
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(SegmentFacetCounter { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut merged: FacetFruit = vec![HashMap::new(); self.fields.len()];
        for fruit in segments {
            for (total, counts) in merged.iter_mut().zip(fruit) {
                for (value, n) in counts {
                    *total.entry(value).or_default() += n;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in self.columns.iter_mut().flatten() {
            for ord in column.ords().values_for_doc(doc) {
                counts[ord as usize] += 1;
            }
        }
    }

    fn harvest(self) -> FacetFruit {
        self.columns
            .into_iter()
            .map(|column| {
                let mut out = HashMap::new();
                let Some((column, counts)) = column else {
                    return out;
                };
                let mut value = String::new();
                for (ord, &n) in counts.iter().enumerate() {
                    if n == 0 {
                        continue;
                    }
                    value.clear();
                    if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                        out.insert(value.clone(), u64::from(n));
                    }
                }
                out
            })
            .collect()
    }
}
