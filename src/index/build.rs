//! Indexing a set of directories: walk → read → tag → document → index.
//!
//! Files are read, parsed and tagged by worker threads; tantivy's writer
//! threads analyze and write. Every record either reaches the index or is
//! reported with its file, record number and reason. Documents are upserted
//! by id, so indexing the same archive twice leaves the same index.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::document::to_document;
use super::NewsIndex;
use crate::archive::{self, walk::FoundFile, SourceFile};
use crate::entities::Tagger;

/// Options of an indexing run.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub roots: Vec<PathBuf>,
    /// Worker threads for reading and tagging (and tantivy writer threads).
    pub threads: usize,
    /// Memory budget of tantivy's writer, in MB.
    pub memory_mb: usize,
}

/// A file or record that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skip {
    pub path: String,
    /// The record within the file, when the file was partly readable.
    pub record: Option<usize>,
    pub reason: String,
}

/// What an indexing run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub files_seen: usize,
    pub files_read: usize,
    pub records_read: usize,
    pub indexed: usize,
    pub duplicates: usize,
    pub bytes_read: u64,
    pub skipped: Vec<Skip>,
    #[serde(skip)]
    pub elapsed: Duration,
    /// Documents in the index after the run.
    pub documents: u64,
}

/// Indexes every file under `options.roots` into `index`.
pub fn build(index: &NewsIndex, tagger: &Tagger, options: &BuildOptions) -> Result<Summary> {
    let started = Instant::now();
    let threads = options.threads.max(1);
    let (files, walk_errors) = archive::walk::walk(&options.roots);
    let budget = (options.memory_mb.max(threads * 16)) * 1_000_000;
    let mut writer: IndexWriter<TantivyDocument> = index
        .index
        .writer_with_num_threads(threads, budget)
        .context("cannot open the index for writing (is another `akhbar index` running on it?)")?;

    let next = AtomicUsize::new(0);
    let bytes = AtomicU64::new(0);
    let seen_ids: Mutex<HashSet<String>> = Mutex::new(HashSet::new());
    let skipped: Mutex<Vec<Skip>> = Mutex::new(
        walk_errors
            .into_iter()
            .map(|e| Skip {
                path: e.path.display().to_string(),
                record: None,
                reason: e.reason,
            })
            .collect(),
    );
    let counts = Counts::default();

    std::thread::scope(|scope| -> Result<()> {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(i) else {
                            return Ok(());
                        };
                        index_file(
                            index, tagger, &writer, file, &seen_ids, &skipped, &counts, &bytes,
                        )?;
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("indexing worker panicked")?;
        }
        Ok(())
    })?;

    writer.commit().context("cannot commit the index")?;
    writer
        .wait_merging_threads()
        .context("cannot finish merging index segments")?;
    let reader = index.index.reader()?;
    reader.reload()?;
    let documents = reader.searcher().num_docs();

    let mut skipped = skipped.into_inner().expect("no worker panicked");
    skipped.sort_by(|a, b| (&a.path, a.record).cmp(&(&b.path, b.record)));
    Ok(Summary {
        files_seen: files.len(),
        files_read: counts.files_read.load(Ordering::Relaxed),
        records_read: counts.records_read.load(Ordering::Relaxed),
        indexed: counts.indexed.load(Ordering::Relaxed),
        duplicates: counts.duplicates.load(Ordering::Relaxed),
        bytes_read: bytes.load(Ordering::Relaxed),
        skipped,
        elapsed: started.elapsed(),
        documents,
    })
}

#[derive(Default)]
struct Counts {
    files_read: AtomicUsize,
    records_read: AtomicUsize,
    indexed: AtomicUsize,
    duplicates: AtomicUsize,
}

#[allow(clippy::too_many_arguments)]
fn index_file(
    index: &NewsIndex,
    tagger: &Tagger,
    writer: &IndexWriter<TantivyDocument>,
    file: &FoundFile,
    seen_ids: &Mutex<HashSet<String>>,
    skipped: &Mutex<Vec<Skip>>,
    counts: &Counts,
    bytes: &AtomicU64,
) -> Result<()> {
    let skip = |record: Option<usize>, reason: String| {
        skipped.lock().expect("no worker panicked").push(Skip {
            path: file.path.display().to_string(),
            record,
            reason,
        });
    };
    let data = match std::fs::read(&file.path) {
        Ok(data) => data,
        Err(e) => {
            skip(None, format!("cannot read file: {e}"));
            return Ok(());
        }
    };
    bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
    if data.iter().all(u8::is_ascii_whitespace) {
        skip(None, "empty file".into());
        return Ok(());
    }
    let text = match archive::decode(&data) {
        Ok(text) => text,
        Err(reason) => {
            skip(None, reason);
            return Ok(());
        }
    };
    let head = &text[..floor_char_boundary(text, 512)];
    let Some(format) = archive::detect(&file.path, head) else {
        let ext = file
            .path
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_else(|| "no extension".into());
        skip(
            None,
            format!(
                "unsupported file type ({ext}); akhbar reads TREC-like XML, JSON Lines and .txt"
            ),
        );
        return Ok(());
    };
    counts.files_read.fetch_add(1, Ordering::Relaxed);
    let source = SourceFile {
        rel_path: &file.rel_path,
        text,
    };
    // A reader bug must cost one file, not the run.
    let records =
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| format.read(&source))) {
            Ok(records) => records,
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("unknown error");
                skip(
                    None,
                    format!(
                        "internal error in the {} reader ({message}); please report this file",
                        format.name()
                    ),
                );
                return Ok(());
            }
        };
    for record in records {
        let article = match record {
            Ok(article) => article,
            Err(e) => {
                skip(
                    Some(e.record),
                    format!("{} record: {}", format.name(), e.reason),
                );
                continue;
            }
        };
        counts.records_read.fetch_add(1, Ordering::Relaxed);
        if !seen_ids
            .lock()
            .expect("no worker panicked")
            .insert(article.id.clone())
        {
            counts.duplicates.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        let texts: Vec<&str> = article
            .title
            .as_deref()
            .into_iter()
            .chain(std::iter::once(article.body.as_str()))
            .collect();
        let entities = tagger.tag(&texts);
        let doc = to_document(&index.schema, &article, &entities);
        writer.delete_term(Term::from_field_text(index.schema.fields.id, &article.id));
        writer
            .add_document(doc)
            .context("cannot add a document to the index")?;
        counts.indexed.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
