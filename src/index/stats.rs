//! What an index holds: documents, size, date range, sources, versions and
//! the last commit. Computed from the index itself (and the commit payload),
//! for `akhbar stats` and anything else that serves an index.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;
use tantivy::DateTime;

use super::manifest::CommitInfo;
use super::NewsIndex;
use crate::archive::date;

/// Articles of one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceCount {
    pub source: String,
    pub documents: u64,
}

/// A summary of an index.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Live documents (articles).
    pub documents: u64,
    /// Bytes of the index directory on disk.
    pub size_bytes: u64,
    pub segments: usize,
    /// Deleted documents whose space is not reclaimed yet.
    pub deleted_documents: u64,
    /// Earliest and latest article date (RFC 3339, UTC).
    pub date_min: Option<String>,
    pub date_max: Option<String>,
    /// Articles without a date.
    pub undated: u64,
    /// Articles per source, most first; articles without one under "".
    pub sources: Vec<SourceCount>,
    pub schema_version: u32,
    pub schema_hash: String,
    pub analyzer_version: u32,
    /// When the last commit was made (RFC 3339, UTC), if akhbar recorded it.
    pub last_commit: Option<String>,
}

/// Computes the statistics of an open index.
pub fn compute(index: &NewsIndex) -> Result<Stats> {
    let reader = index.index.reader()?;
    let searcher = reader.searcher();
    let mut documents = 0;
    let mut deleted = 0;
    let mut undated = 0;
    let (mut min, mut max): (Option<DateTime>, Option<DateTime>) = (None, None);
    let mut sources: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        documents += u64::from(segment.num_docs());
        deleted += u64::from(segment.num_deleted_docs());
        let dates = segment.fast_fields().date("date")?;
        let source = segment.fast_fields().str("source")?;
        let mut counts = vec![0u64; source.as_ref().map_or(0, |c| c.num_terms())];
        let mut without_source = 0;
        for doc in segment.doc_ids_alive() {
            match dates.first(doc) {
                Some(d) => {
                    let d = DateTime::from_timestamp_nanos(d.into_timestamp_nanos());
                    min = Some(min.map_or(d, |m| m.min(d)));
                    max = Some(max.map_or(d, |m| m.max(d)));
                }
                None => undated += 1,
            }
            let mut any = false;
            if let Some(column) = &source {
                for ord in column.ords().values_for_doc(doc) {
                    counts[ord as usize] += 1;
                    any = true;
                }
            }
            if !any {
                without_source += 1;
            }
        }
        if let Some(column) = &source {
            let mut value = String::new();
            for (ord, &n) in counts.iter().enumerate() {
                value.clear();
                if n > 0 && column.ord_to_str(ord as u64, &mut value)? {
                    *sources.entry(value.clone()).or_default() += n;
                }
            }
        }
        if without_source > 0 {
            *sources.entry(String::new()).or_default() += without_source;
        }
    }
    let mut sources: Vec<SourceCount> = sources
        .into_iter()
        .map(|(source, documents)| SourceCount { source, documents })
        .collect();
    sources.sort_by(|a, b| b.documents.cmp(&a.documents).then(a.source.cmp(&b.source)));
    let payload = index.index.load_metas()?.payload;
    Ok(Stats {
        documents,
        size_bytes: dir_size(&index.path),
        segments: searcher.segment_readers().len(),
        deleted_documents: deleted,
        date_min: min.map(date::format),
        date_max: max.map(date::format),
        undated,
        sources,
        schema_version: index.meta.schema_version,
        schema_hash: index.meta.schema_hash.clone(),
        analyzer_version: index.meta.analyzer_version,
        last_commit: CommitInfo::parse(payload.as_deref()).map(|i| i.committed_at),
    })
}

/// Total size of the files in a directory (not recursive: an index is flat).
pub fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
