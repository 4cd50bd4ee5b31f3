//! `GET /stats`: what the index holds and which versions built it.

use std::fs;
use std::time::SystemTime;

use anyhow::{Context as _, Result};
use serde::Serialize;
use tantivy::time::format_description::well_known::Rfc3339;
use tantivy::time::OffsetDateTime;

use crate::index::NewsIndex;

/// The figures `GET /stats` answers with.
#[derive(Debug, Serialize)]
pub struct IndexStats {
    pub path: String,
    /// Live articles (updated and deleted ones not counted).
    pub documents: u64,
    pub segments: usize,
    /// Bytes of all the index's files.
    pub size_bytes: u64,
    pub schema_version: u32,
    pub schema_hash: String,
    pub analyzer_version: u32,
    pub created_by: String,
    /// When the last commit was written (RFC 3339, UTC).
    pub last_commit: Option<String>,
}

/// Reads the index's committed state from disk: what a search started now
/// would see, give or take the reader's reload delay.
pub fn index_stats(index: &NewsIndex) -> Result<IndexStats> {
    let metas = index
        .index
        .searchable_segment_metas()
        .context("cannot read the index's segment list")?;
    let mut size_bytes = 0;
    let mut last_commit = None;
    for entry in fs::read_dir(&index.path)
        .with_context(|| format!("cannot list {}", index.path.display()))?
    {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_file() {
            size_bytes += meta.len();
        }
        if entry.file_name() == "meta.json" {
            last_commit = meta.modified().ok().map(rfc3339);
        }
    }
    Ok(IndexStats {
        path: index.path.display().to_string(),
        documents: metas.iter().map(|m| u64::from(m.num_docs())).sum(),
        segments: metas.len(),
        size_bytes,
        schema_version: index.meta.schema_version,
        schema_hash: index.meta.schema_hash.clone(),
        analyzer_version: index.meta.analyzer_version,
        created_by: index.meta.created_by.clone(),
        last_commit,
    })
}

fn rfc3339(time: SystemTime) -> String {
    OffsetDateTime::from(time)
        .replace_nanosecond(0)
        .unwrap_or_else(|_| OffsetDateTime::from(time))
        .format(&Rfc3339)
        .unwrap_or_default()
}
