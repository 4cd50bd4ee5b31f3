//! Term statistics for scoring, remembered while the index stays the same.
//!
//! Scoring a term needs the number of articles that contain it in the whole
//! index: one term dictionary lookup per segment, for every field a query
//! word is searched in (a headline of eight words is some seventy terms).
//! Those counts only change when the searcher sees new segments, so they are
//! kept for the current searcher generation and dropped when it changes.

use std::sync::Mutex;

use rustc_hash::FxHashMap;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::Term;

/// Most terms remembered; past this the memory starts afresh.
const MAX_TERMS: usize = 200_000;

#[derive(Default)]
struct Counts {
    generation: Option<u64>,
    doc_freqs: FxHashMap<Term, u64>,
    tokens: FxHashMap<Field, u64>,
}

/// Document frequencies and field lengths of the current generation.
#[derive(Default)]
pub struct StatsCache {
    counts: Mutex<Counts>,
}

impl StatsCache {
    /// The statistics of `searcher`, through this cache.
    pub fn provider<'a>(&'a self, searcher: &'a tantivy::Searcher) -> CachedStats<'a> {
        CachedStats {
            cache: self,
            searcher,
        }
    }

    fn with<R>(&self, generation: u64, f: impl FnOnce(&mut Counts) -> R) -> R {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.generation != Some(generation) || counts.doc_freqs.len() > MAX_TERMS {
            *counts = Counts {
                generation: Some(generation),
                ..Counts::default()
            };
        }
        f(&mut counts)
    }
}

/// A searcher's statistics, remembered in a [`StatsCache`].
pub struct CachedStats<'a> {
    cache: &'a StatsCache,
    searcher: &'a tantivy::Searcher,
}

impl CachedStats<'_> {
    fn generation(&self) -> u64 {
        self.searcher.generation().generation_id()
    }
}

impl Bm25StatisticsProvider for CachedStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let generation = self.generation();
        if let Some(n) = self
            .cache
            .with(generation, |c| c.tokens.get(&field).copied())
        {
            return Ok(n);
        }
        let n = self.searcher.total_num_tokens(field)?;
        self.cache.with(generation, |c| c.tokens.insert(field, n));
        Ok(n)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.searcher.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let generation = self.generation();
        if let Some(n) = self
            .cache
            .with(generation, |c| c.doc_freqs.get(term).copied())
        {
            return Ok(n);
        }
        let n = self.searcher.doc_freq(term)?;
        self.cache
            .with(generation, |c| c.doc_freqs.insert(term.clone(), n));
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexReader, ReloadPolicy};

    #[test]
    fn counts_follow_new_commits() {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.add_document(doc!(text => "a b")).unwrap();
        writer.commit().unwrap();
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .unwrap();
        let cache = StatsCache::default();
        let a = Term::from_field_text(text, "a");

        let searcher = reader.searcher();
        let stats = cache.provider(&searcher);
        assert_eq!(stats.doc_freq(&a).unwrap(), 1);
        assert_eq!(stats.doc_freq(&a).unwrap(), 1);
        assert_eq!(stats.total_num_tokens(text).unwrap(), 2);

        writer.add_document(doc!(text => "a c d")).unwrap();
        writer.commit().unwrap();
        reader.reload().unwrap();
        let searcher = reader.searcher();
        let stats = cache.provider(&searcher);
        assert_eq!(stats.doc_freq(&a).unwrap(), 2);
        assert_eq!(stats.total_num_tokens(text).unwrap(), 5);
        assert_eq!(stats.total_num_docs().unwrap(), 2);
    }
}
