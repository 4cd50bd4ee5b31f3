//! The on-disk index: a tantivy index plus a small metadata file recording
//! which schema and analyzer built it.

pub mod build;
mod claims;
mod dedup;
pub mod document;
pub mod inflight;
pub mod interrupt;
pub mod manifest;
pub mod merge;
pub mod progress;
pub mod readonly;
pub mod schema;
pub mod stats;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, MmapDirectory, INDEX_WRITER_LOCK};
use tantivy::Index;

pub use schema::NewsSchema;

use crate::analysis;
use crate::archive::Article;
use crate::entities::Entities;

/// The metadata file kept beside tantivy's own files.
const META_FILE: &str = "akhbar.json";

/// Why an index could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("no index at {path}: build one with `akhbar index <DIR> --index {path}`")]
    NotFound { path: PathBuf },
    #[error("{path} is not an akhbar index (no {META_FILE}); choose another --index path, or remove the directory")]
    NotAnIndex { path: PathBuf },
    #[error("the index at {path} was built with {found}, but this akhbar uses {expected}: re-index with `akhbar index <DIR>... --index {path} --rebuild`")]
    VersionMismatch {
        path: PathBuf,
        found: String,
        expected: String,
    },
    /// The cause follows as the error's source (not in the message, which
    /// would say it twice where the chain is printed).
    #[error("cannot open the index at {path}")]
    Other {
        path: PathBuf,
        #[source]
        source: anyhow::Error,
    },
}

/// What `akhbar.json` records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexMeta {
    pub schema_version: u32,
    pub schema_hash: String,
    pub analyzer_version: u32,
    /// The akhbar release that created the index (informational).
    pub created_by: String,
}

impl IndexMeta {
    fn current(schema: &NewsSchema) -> IndexMeta {
        IndexMeta {
            schema_version: schema.version,
            schema_hash: schema.hash.clone(),
            analyzer_version: analysis::ANALYZER_VERSION,
            created_by: format!("akhbar {}", env!("CARGO_PKG_VERSION")),
        }
    }

    fn describe(&self) -> String {
        format!(
            "schema v{} ({}) and analyzer v{}",
            self.schema_version, self.schema_hash, self.analyzer_version
        )
    }
}

/// An open akhbar index.
pub struct NewsIndex {
    pub index: Index,
    pub schema: NewsSchema,
    pub path: PathBuf,
    pub meta: IndexMeta,
}

impl NewsIndex {
    /// Opens an existing index, checking that this binary's schema and
    /// analyzers are the ones that built it.
    pub fn open(path: &Path) -> Result<NewsIndex, OpenError> {
        NewsIndex::open_with(path, false)
    }

    /// Opens an existing index to search it, also where the user may read
    /// it but not write (see [`readonly`]). Not for indexing.
    pub fn open_read_only(path: &Path) -> Result<NewsIndex, OpenError> {
        NewsIndex::open_with(path, true)
    }

    fn open_with(path: &Path, read_only: bool) -> Result<NewsIndex, OpenError> {
        let schema = NewsSchema::builtin().map_err(|source| OpenError::Other {
            path: path.to_path_buf(),
            source,
        })?;
        if !path.exists() {
            return Err(OpenError::NotFound {
                path: path.to_path_buf(),
            });
        }
        let meta_path = path.join(META_FILE);
        let meta_text = fs::read_to_string(&meta_path).map_err(|_| OpenError::NotAnIndex {
            path: path.to_path_buf(),
        })?;
        let meta: IndexMeta = serde_json::from_str(&meta_text).map_err(|e| OpenError::Other {
            path: path.to_path_buf(),
            source: anyhow::anyhow!(
                "{META_FILE} is unreadable ({e}); rebuild the index with --rebuild"
            ),
        })?;
        let expected = IndexMeta::current(&schema);
        if meta.schema_version != expected.schema_version
            || meta.schema_hash != expected.schema_hash
            || meta.analyzer_version != expected.analyzer_version
        {
            return Err(OpenError::VersionMismatch {
                path: path.to_path_buf(),
                found: meta.describe(),
                expected: expected.describe(),
            });
        }
        let index = if read_only {
            MmapDirectory::open(path)
                .map_err(tantivy::TantivyError::from)
                .and_then(|directory| Index::open(readonly::LockFallback(directory)))
        } else {
            Index::open_in_dir(path)
        }
        .map_err(|e| OpenError::Other {
            path: path.to_path_buf(),
            source: e.into(),
        })?;
        analysis::register(index.tokenizers());
        Ok(NewsIndex {
            index,
            schema,
            path: path.to_path_buf(),
            meta,
        })
    }

    /// Creates a new, empty index at `path` (which must not hold one).
    pub fn create(path: &Path) -> anyhow::Result<NewsIndex> {
        let schema = NewsSchema::builtin()?;
        if path.exists() && fs::read_dir(path)?.next().is_some() {
            anyhow::bail!(
                "{} exists and is not empty; choose another --index path or pass --rebuild",
                path.display()
            );
        }
        fs::create_dir_all(path)
            .with_context(|| format!("cannot create index directory {}", path.display()))?;
        let index = Index::create_in_dir(path, schema.schema.clone())
            .with_context(|| format!("cannot create an index in {}", path.display()))?;
        analysis::register(index.tokenizers());
        let meta = IndexMeta::current(&schema);
        let meta_path = path.join(META_FILE);
        fs::write(&meta_path, serde_json::to_string_pretty(&meta)?)
            .with_context(|| format!("cannot write {}", meta_path.display()))?;
        Ok(NewsIndex {
            index,
            schema,
            path: path.to_path_buf(),
            meta,
        })
    }

    /// Creates an index held in memory only: for checks on a handful of
    /// documents (analysis cases) that should leave nothing on disk.
    pub fn in_memory() -> anyhow::Result<NewsIndex> {
        let schema = NewsSchema::builtin()?;
        let index = Index::create_in_ram(schema.schema.clone());
        analysis::register(index.tokenizers());
        let meta = IndexMeta::current(&schema);
        Ok(NewsIndex {
            index,
            schema,
            path: PathBuf::new(),
            meta,
        })
    }

    /// An index in memory of these articles, untagged, in one committed
    /// segment: for searching a handful of texts (analysis cases, tests).
    pub fn in_memory_of(articles: impl IntoIterator<Item = Article>) -> anyhow::Result<NewsIndex> {
        let index = NewsIndex::in_memory()?;
        let mut writer = index
            .index
            .writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)
            .context("cannot open an in-memory index writer")?;
        for article in articles {
            writer.add_document(document::to_document(
                &index.schema,
                &article,
                &Entities::default(),
            ))?;
        }
        writer
            .commit()
            .context("cannot commit an in-memory index")?;
        Ok(index)
    }

    /// [`NewsIndex::in_memory_of`] articles `d0`, `d1`, … with these bodies.
    #[cfg(test)]
    pub fn in_memory_of_bodies<S: AsRef<str>>(bodies: &[S]) -> anyhow::Result<NewsIndex> {
        NewsIndex::in_memory_of(bodies.iter().enumerate().map(|(i, body)| Article {
            id: format!("d{i}"),
            body: body.as_ref().to_string(),
            ..Article::default()
        }))
    }

    /// Opens the index at `path`, creating it when nothing is there.
    pub fn open_or_create(path: &Path) -> anyhow::Result<NewsIndex> {
        match NewsIndex::open(path) {
            Ok(index) => Ok(index),
            Err(OpenError::NotFound { .. }) => NewsIndex::create(path),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether `dir` holds an akhbar index (its metadata file and
    /// tantivy's).
    pub fn is_index(dir: &Path) -> bool {
        dir.join(META_FILE).is_file() && dir.join("meta.json").is_file()
    }

    /// Removes an akhbar index directory (refusing anything else).
    pub fn remove(path: &Path) -> anyhow::Result<()> {
        if !path.exists() {
            return Ok(());
        }
        if !path.join(META_FILE).exists() {
            anyhow::bail!(
                "refusing to remove {}: it is not an akhbar index (no {META_FILE})",
                path.display()
            );
        }
        // Not under a run that is writing to it.
        let directory = MmapDirectory::open(path)
            .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
        let _lock = directory
            .acquire_lock(&INDEX_WRITER_LOCK)
            .map_err(|e| match e {
                LockError::LockBusy => anyhow::anyhow!(
                    "not removing {}: another `akhbar index` is writing to it",
                    path.display()
                ),
                other => anyhow::anyhow!("cannot lock {}: {other}", path.display()),
            })?;
        fs::remove_dir_all(path)
            .map_err(|e| anyhow::anyhow!("cannot remove {}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_being_written_is_not_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idx");
        let index = NewsIndex::create(&path).unwrap();
        let writer = index
            .index
            .writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)
            .unwrap();
        let e = NewsIndex::remove(&path).unwrap_err();
        assert!(e.to_string().contains("another `akhbar index`"), "{e}");
        assert!(path.join(META_FILE).exists());
        drop(writer);
        NewsIndex::remove(&path).unwrap();
        assert!(!path.exists());
    }
}
