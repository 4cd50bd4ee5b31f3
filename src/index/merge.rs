//! A merge policy with a ceiling on merge size.
//!
//! tantivy reads the segments it merges through memory maps, so a merge of
//! large segments brings their whole files into the process's resident
//! memory. Capping the documents a merge may combine keeps an indexing run's
//! peak memory independent of the archive's size; the price is more
//! segments in very large indexes.

use std::collections::HashMap;

use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::SegmentMeta;

/// tantivy's log merge policy, minus the merges over `max_docs` documents.
#[derive(Debug)]
pub struct BoundedMerges {
    inner: LogMergePolicy,
    max_docs: u64,
}

impl BoundedMerges {
    pub fn new(max_docs: u64) -> BoundedMerges {
        BoundedMerges {
            inner: LogMergePolicy::default(),
            max_docs,
        }
    }

    /// The ceiling for a memory budget: a quarter of it, at an assumed 4 KB
    /// of index per article (ANT averages under 3 KB).
    pub fn for_budget(memory_bytes: usize) -> BoundedMerges {
        BoundedMerges::new((memory_bytes / 4 / 4096).max(10_000) as u64)
    }
}

impl MergePolicy for BoundedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs: HashMap<_, u64> = segments
            .iter()
            .map(|s| (s.id(), u64::from(s.num_docs())))
            .collect();
        self.inner
            .compute_merge_candidates(segments)
            .into_iter()
            .filter(|candidate| {
                candidate
                    .0
                    .iter()
                    .map(|id| docs.get(id).copied().unwrap_or(0))
                    .sum::<u64>()
                    <= self.max_docs
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, STRING};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn merges_over_the_ceiling_are_dropped() {
        let mut builder = Schema::builder();
        let id = builder.add_text_field("id", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for segment in 0..8 {
            for i in 0..10 {
                writer
                    .add_document(doc!(id => format!("{segment}-{i}")))
                    .unwrap();
            }
            writer.commit().unwrap();
        }
        let segments = index.searchable_segment_metas().unwrap();
        assert_eq!(segments.len(), 8);
        assert_eq!(
            BoundedMerges::new(100)
                .compute_merge_candidates(&segments)
                .len(),
            1
        );
        assert!(BoundedMerges::new(50)
            .compute_merge_candidates(&segments)
            .is_empty());
    }
}
