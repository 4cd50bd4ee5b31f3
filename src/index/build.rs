//! Indexing a set of directories: walk → plan → read → dedup → tag →
//! document → index.
//!
//! The plan compares the files found with the [`Manifest`] of the last
//! commit: unchanged files are not read again, changed ones have their
//! documents deleted and are read anew, vanished ones are removed only when
//! asked (`prune`). Worker threads read, parse and tag files and analyze
//! each text once for the derived fields ([`crate::analysis::preanalyzed`],
//! from the tagger's tokens when tagging: one tokenization a text);
//! tantivy's writer threads tokenize the stored fields, replay the derived
//! fields' terms, and write. Every record either reaches the index,
//! is counted as a duplicate, or is reported with its file, record number
//! and reason. Commits happen periodically, each with the manifest that
//! describes it, so a killed run leaves a consistent index and the next run
//! finishes the job.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use tantivy::directory::error::LockError;
use tantivy::{IndexWriter, TantivyError, Term};

use super::claims::{Claims, Original, Superseded, Verdict};
use super::dedup::body_hash;
use super::document::{tag, to_indexing_document, Preanalysis};
use super::inflight::{BudgetedDoc, ByteBudget};
use super::interrupt::Stop;
use super::manifest::{rel_of, CommitInfo, FileState, Fnv, Manifest};
use super::merge::BoundedMerges;
use super::progress::{Progress, Snapshot};
use super::NewsIndex;
use crate::analysis;
use crate::archive::walk::FoundFile;
use crate::archive::{self, input, Article, Problem, ReadOptions};
use crate::entities::{Tagger, Tokens};

/// Options of an indexing run.
#[derive(Clone)]
pub struct BuildOptions {
    pub roots: Vec<PathBuf>,
    /// Worker threads for reading and tagging, and as many tantivy writer
    /// threads.
    pub threads: usize,
    /// Memory budget of the whole run, in MB (see [`Budget`]).
    pub memory_mb: usize,
    /// Format, encoding and field overrides (`max_record_bytes` is set from
    /// the memory budget).
    pub read: ReadOptions,
    /// Remove the documents of files that no longer exist.
    pub prune: bool,
    /// Time between commits.
    pub commit_interval: Duration,
    /// Write every skipped file or record here, as JSON Lines.
    pub report: Option<PathBuf>,
    /// Raised to end the run early: what was indexed is committed.
    pub stop: Stop,
}

impl BuildOptions {
    pub fn new(roots: Vec<PathBuf>) -> BuildOptions {
        BuildOptions {
            roots,
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            memory_mb: 512,
            read: ReadOptions::default(),
            prune: false,
            commit_interval: Duration::from_secs(60),
            report: None,
            stop: Stop::never(),
        }
    }
}

impl BuildOptions {
    /// Checks the options that could still fail the run once it changed
    /// something (`--rebuild` deletes the index first): the memory budget
    /// can be shared out, the report file can be created.
    pub fn validate(&self) -> Result<()> {
        Budget::new(self.memory_mb, self.threads.max(1))?;
        if let Some(report) = &self.report {
            // Opened without truncating: the run writes it from the start.
            std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(report)
                .with_context(|| format!("cannot create report file {}", report.display()))?;
        }
        Ok(())
    }
}

/// The largest `--memory-mb` taken (16 TB): more is a typo, and would
/// overflow the byte counts.
pub const MAX_MEMORY_MB: usize = 1 << 24;

/// The largest indexing arena tantivy takes per writer thread (it refuses
/// 4 GB less a 1 MB margin, or more): a larger budget leaves the rest to
/// the other uses.
const MAX_ARENA_BYTES: usize = u32::MAX as usize - 1_000_000 - 1;

/// How the memory budget is shared out.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// tantivy's indexing arenas (all threads).
    pub writer_bytes: usize,
    /// Documents between the workers and tantivy's indexing threads.
    pub in_flight_bytes: usize,
    /// The largest record (line, document, page) read into memory.
    pub max_record_bytes: usize,
}

impl Budget {
    /// Half for tantivy's arenas (at least 16 MB and at most about 4 GB for
    /// each of its `writer_threads`), an eighth for documents in flight, and per worker
    /// a record of at most a 32nd (1–64 MB) and its copies.
    pub fn new(memory_mb: usize, writer_threads: usize) -> Result<Budget> {
        if memory_mb > MAX_MEMORY_MB {
            bail!("--memory-mb {memory_mb} is more than the {MAX_MEMORY_MB} MB akhbar takes");
        }
        let total = memory_mb.max(32) << 20;
        Ok(Budget {
            writer_bytes: (total / 2)
                .max(writer_threads * (16 << 20))
                .min(writer_threads * MAX_ARENA_BYTES),
            in_flight_bytes: total / 8,
            max_record_bytes: (total / 32).clamp(1 << 20, 64 << 20),
        })
    }
}

/// A file or record that was not indexed (or was, with a caveat), and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skip {
    pub path: String,
    /// The record within the file, when the file was partly readable.
    pub record: Option<usize>,
    pub kind: Problem,
    pub reason: String,
}

/// Skips kept in memory for the summary; the report file has them all.
const KEPT_SKIPS: usize = 1000;

/// What an indexing run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    /// Files found under the roots.
    pub files_seen: usize,
    /// Files not read because they have not changed since they were indexed.
    pub files_unchanged: usize,
    /// Files that were new or changed (or pending from a killed run).
    pub files_queued: usize,
    /// Files opened by a reader.
    pub files_read: usize,
    /// Files whose documents were removed because they no longer exist.
    pub files_pruned: usize,
    /// Indexed files that no longer exist (kept without `prune`).
    pub files_missing: usize,
    pub records_read: usize,
    pub indexed: usize,
    pub duplicates: usize,
    /// Of the duplicates, articles not indexed because an article with
    /// another text has their id.
    pub id_conflicts: usize,
    pub bytes_read: u64,
    /// Skipped files and records, by kind.
    pub skipped_by_kind: BTreeMap<Problem, usize>,
    pub skipped_total: usize,
    /// The first skips (all of them are in the report file).
    pub skipped: Vec<Skip>,
    /// The first files and records indexed with a caveat (bytes replaced
    /// while decoding, an unterminated document).
    pub warnings: Vec<Skip>,
    pub warnings_total: usize,
    #[serde(skip)]
    pub elapsed: Duration,
    pub commits: usize,
    /// Documents in the index after the run.
    pub documents: u64,
    /// Size of the index directory after the run.
    pub index_bytes: u64,
    /// The signal that stopped the run before it read everything (what it
    /// indexed is committed; files it was reading are read again next run).
    pub interrupted: Option<i32>,
}

/// Indexes every file under `options.roots` into `index`.
pub fn build(
    index: &NewsIndex,
    tagger: &Tagger,
    options: &BuildOptions,
    progress: &dyn Progress,
) -> Result<Summary> {
    let started = Instant::now();
    let threads = options.threads.max(1);
    let budget = Budget::new(options.memory_mb, threads)?;
    let mut read = options.read.clone();
    read.max_record_bytes = budget.max_record_bytes;

    let reporter = Reporter::new(options.report.as_deref())?;
    // The index and the report may sit inside an archive (`cd archive &&
    // akhbar index . --report report.jsonl`): their own files are not
    // articles.
    let own: Vec<PathBuf> = std::iter::once(&index.path)
        .chain(options.report.as_ref())
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
        .collect();
    let (found, walk_errors) = archive::walk::walk_except(&options.roots, &own);
    for e in walk_errors {
        reporter.skip(
            e.path.display().to_string(),
            None,
            Problem::Unreadable,
            e.reason,
        );
    }
    let existing_docs = index.index.reader()?.searcher().num_docs();
    let options_print = options_fingerprint(&read);
    let plan = Plan::make(index, found, options.prune, existing_docs, options_print)?;

    // The writer's own handle on the index, with the tokenizers that
    // read the terms `to_indexing_document` computes ahead.
    let mut writing = index.index.clone();
    let tokenizers = tantivy::tokenizer::TokenizerManager::default();
    analysis::register_for_writing(&tokenizers);
    writing.set_tokenizers(tokenizers);
    let writer: IndexWriter<BudgetedDoc> = writing
        .writer_with_num_threads(threads, budget.writer_bytes)
        .map_err(|e| match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => anyhow!(
                "the index at {} is being written by another process (is another `akhbar index` running on it?)",
                index.path.display()
            ),
            other => anyhow::Error::new(other).context("cannot open the index for writing"),
        })?;
    writer.set_merge_policy(Box::new(BoundedMerges::for_budget(
        options.memory_mb.max(32) << 20,
    )));
    for rel in &plan.deletions {
        writer.delete_term(Term::from_field_text(index.schema.fields.path, rel));
    }

    let run = Run {
        index,
        tagger,
        read: &read,
        options: options_print,
        queue: &plan.queue,
        next: AtomicUsize::new(0),
        writer: RwLock::new(writer),
        in_flight: ByteBudget::new(budget.in_flight_bytes),
        files: Mutex::new(plan.files),
        stale_pending: &plan.stale_pending,
        claims: Mutex::new(Claims::new(plan.queue.len(), plan.kept)),
        reporter: &reporter,
        counts: Counts::default(),
        bytes: AtomicU64::new(0),
        failed: AtomicBool::new(false),
        generation: AtomicU64::new(plan.generation),
        started,
        last_commit: AtomicU64::new(started.elapsed().as_millis() as u64),
        committing: AtomicBool::new(false),
        commit_interval: options.commit_interval,
        commits: AtomicUsize::new(0),
        stop: &options.stop,
    };
    let bytes_total: u64 = plan.queue.iter().map(|f| f.size).sum();
    let done = AtomicBool::new(false);

    std::thread::scope(|scope| -> Result<()> {
        // Parked between ticks, and woken when the workers are done, so
        // that the run does not wait out a tick at the end.
        let ticker = scope.spawn(|| {
            let mut last = Instant::now();
            while !done.load(Ordering::Acquire) {
                std::thread::park_timeout(Duration::from_millis(50));
                if last.elapsed() >= progress.interval() {
                    last = Instant::now();
                    progress.update(&run.snapshot(bytes_total, started));
                }
            }
        });
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(|| run.work())).collect();
        let mut result = Ok(());
        for worker in workers {
            let r = worker
                .join()
                .unwrap_or_else(|_| Err(anyhow!("an indexing worker panicked")));
            if result.is_ok() {
                result = r;
            }
        }
        done.store(true, Ordering::Release);
        ticker.thread().unpark();
        let _ = ticker.join();
        result
    })?;
    progress.update(&run.snapshot(bytes_total, started));
    let interrupted = options.stop.signal();
    progress.message(if interrupted.is_some() {
        "interrupted: committing what was indexed"
    } else {
        "committing"
    });
    run.commit()?;
    let writer = run.writer.into_inner().expect("no worker panicked");
    // Merges are an optimization: a stopped run leaves them to the next.
    if interrupted.is_none() {
        progress.message("merging segments");
        writer
            .wait_merging_threads()
            .context("cannot finish merging index segments")?;
    }
    progress.finish();

    let reader = index.index.reader()?;
    reader.reload()?;
    let counts = &run.counts;
    let reported = reporter.finish()?;
    Ok(Summary {
        files_seen: plan.files_seen,
        files_unchanged: plan.unchanged,
        files_queued: plan.queue.len(),
        files_read: counts.files_read.load(Ordering::Relaxed),
        files_pruned: plan.pruned,
        files_missing: plan.missing,
        records_read: counts.records_read.load(Ordering::Relaxed),
        indexed: counts.indexed.load(Ordering::Relaxed),
        duplicates: counts.duplicates.load(Ordering::Relaxed),
        id_conflicts: counts.id_conflicts.load(Ordering::Relaxed),
        bytes_read: run.bytes.load(Ordering::Relaxed),
        skipped_by_kind: reported.skipped_by_kind,
        skipped_total: reported.skipped_total,
        skipped: reported.skipped,
        warnings: reported.warnings,
        warnings_total: reported.warnings_total,
        elapsed: started.elapsed(),
        commits: run.commits.load(Ordering::Relaxed),
        documents: reader.searcher().num_docs(),
        index_bytes: super::stats::dir_size(&index.path),
        interrupted,
    })
}

/// What a run has to do, decided before reading anything.
struct Plan {
    /// Files to read, in walk order.
    queue: Vec<FoundFile>,
    /// Relative paths whose documents are deleted before reading.
    deletions: Vec<String>,
    /// Manifest entries that stay (unchanged or not under the roots).
    files: HashMap<Box<str>, FileState>,
    /// Pending entries of an earlier run that this run does not read.
    stale_pending: Vec<(Box<str>, Box<str>)>,
    /// (id hash, body hash) of the articles that stay in the index.
    kept: Vec<[u64; 2]>,
    generation: u64,
    files_seen: usize,
    unchanged: usize,
    pruned: usize,
    missing: usize,
}

impl Plan {
    fn make(
        index: &NewsIndex,
        found: Vec<FoundFile>,
        prune: bool,
        existing_docs: u64,
        options: u32,
    ) -> Result<Plan> {
        let payload = index.index.load_metas()?.payload;
        let info = CommitInfo::parse(payload.as_deref());
        let generation = info.as_ref().map_or(0, |i| i.manifest);
        let (mut manifest, trusted) = match info {
            Some(info) => match Manifest::load(&index.path, info.manifest) {
                Ok(m) => (m, true),
                Err(e) => {
                    eprintln!(
                        "akhbar: warning: {e:#}; every file will be read again and replace its documents"
                    );
                    (Manifest::default(), existing_docs == 0)
                }
            },
            None => (Manifest::default(), existing_docs == 0),
        };

        let same_version = manifest.written_by == concat!("akhbar ", env!("CARGO_PKG_VERSION"));
        let pending: HashSet<&str> = manifest.pending.iter().map(|(k, _)| &**k).collect();

        let mut queue = Vec::new();
        let mut deletions = Vec::new();
        let mut walked = HashSet::with_capacity(found.len());
        let files_seen = found.len();
        let mut unchanged = 0;
        for file in found {
            let key = file.path.to_string_lossy();
            walked.insert(Fnv::hash(key.as_bytes()));
            match manifest.files.get(&*key) {
                Some(st)
                    if st.size == file.size
                        && st.mtime == file.mtime
                        && st.options == options
                        && (same_version || !st.failed) =>
                {
                    unchanged += 1;
                }
                Some(st) => {
                    deletions.push(rel_of(&key, st).to_string());
                    manifest.files.remove(&*key);
                    queue.push(file);
                }
                None => {
                    if !trusted || pending.contains(&*key) {
                        deletions.push(file.rel_path.clone());
                    }
                    queue.push(file);
                }
            }
        }

        // Entries whose files were not found.
        let mut pruned = 0;
        let mut missing = 0;
        let gone: Vec<Box<str>> = manifest
            .files
            .keys()
            .filter(|k| !walked.contains(&Fnv::hash(k.as_bytes())))
            .filter(|k| !std::path::Path::new(&***k).exists())
            .cloned()
            .collect();
        for key in gone {
            if prune {
                let state = manifest.files.remove(&key).expect("listed");
                deletions.push(rel_of(&key, &state).to_string());
                pruned += 1;
            } else {
                missing += 1;
            }
        }
        let mut stale_pending = Vec::new();
        for (key, rel) in std::mem::take(&mut manifest.pending) {
            if walked.contains(&Fnv::hash(key.as_bytes())) {
                continue;
            }
            if prune && !std::path::Path::new(&*key).exists() {
                deletions.push(rel.to_string());
                pruned += 1;
            } else {
                stale_pending.push((key, rel));
            }
        }

        // A deleted document may have been the one a duplicate deferred to:
        // files with duplicates are read again when anything is deleted.
        if !deletions.is_empty() && existing_docs > 0 {
            let recheck: Vec<Box<str>> = manifest
                .files
                .iter()
                .filter(|(_, st)| st.duplicates > 0)
                .map(|(k, _)| k.clone())
                .collect();
            for key in recheck {
                let state = manifest.files.remove(&key).expect("listed");
                let path = PathBuf::from(&*key);
                if !path.exists() {
                    continue;
                }
                let rel = rel_of(&key, &state).to_string();
                deletions.push(rel.clone());
                queue.push(FoundFile {
                    path,
                    rel_path: rel,
                    size: state.size,
                    mtime: state.mtime,
                });
                unchanged -= usize::from(walked.contains(&Fnv::hash(key.as_bytes())));
            }
        }
        if existing_docs == 0 {
            deletions.clear();
        }
        deletions.sort_unstable();
        deletions.dedup();

        let kept = manifest
            .files
            .values()
            .flat_map(|state| state.keys.iter().copied())
            .collect();
        Ok(Plan {
            queue,
            deletions,
            files: manifest.files,
            stale_pending,
            kept,
            generation,
            files_seen,
            unchanged,
            pruned,
            missing,
        })
    }
}

#[derive(Default)]
struct Counts {
    files_done: AtomicUsize,
    files_read: AtomicUsize,
    records_read: AtomicUsize,
    indexed: AtomicUsize,
    duplicates: AtomicUsize,
    id_conflicts: AtomicUsize,
}

/// A worker's working space, kept from one article to the next.
#[derive(Default)]
struct Work {
    tokens: Vec<Tokens>,
    preanalysis: Preanalysis,
}

/// The shared state of a run's workers.
struct Run<'a> {
    index: &'a NewsIndex,
    tagger: &'a Tagger,
    read: &'a ReadOptions,
    options: u32,
    queue: &'a [FoundFile],
    next: AtomicUsize,
    /// Workers add under the read lock; a commit takes the write lock, so
    /// it sees every file either finished or not.
    writer: RwLock<IndexWriter<BudgetedDoc>>,
    in_flight: Arc<ByteBudget>,
    /// The manifest being built: kept entries plus files finished this run.
    files: Mutex<HashMap<Box<str>, FileState>>,
    stale_pending: &'a [(Box<str>, Box<str>)],
    /// Which copy of each duplicated article is kept; taken before the
    /// writer's lock and the files' when more than one is needed.
    claims: Mutex<Claims>,
    reporter: &'a Reporter,
    counts: Counts,
    bytes: AtomicU64,
    /// Set when the index cannot be written: workers stop.
    failed: AtomicBool,
    generation: AtomicU64,
    started: Instant,
    /// When the last commit ended, in milliseconds since `started`: an
    /// atomic, as every record checks whether a commit is due.
    last_commit: AtomicU64,
    committing: AtomicBool,
    commit_interval: Duration,
    commits: AtomicUsize,
    /// Workers take no more records once it is raised.
    stop: &'a Stop,
}

impl Run<'_> {
    fn work(&self) -> Result<()> {
        let mut work = Work::default();
        loop {
            if self.failed.load(Ordering::Relaxed) || self.stop.requested() {
                return Ok(());
            }
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(file) = self.queue.get(i) else {
                return Ok(());
            };
            if let Err(e) = self.index_file(i, file, &mut work) {
                self.failed.store(true, Ordering::Relaxed);
                return Err(e);
            }
            self.counts.files_done.fetch_add(1, Ordering::Relaxed);
            self.maybe_commit()?;
        }
    }

    fn index_file(&self, rank: usize, file: &FoundFile, work: &mut Work) -> Result<()> {
        let key = file.path.to_string_lossy();
        let rel_start = if key.ends_with(file.rel_path.as_str()) {
            (key.len() - file.rel_path.len()) as u32
        } else {
            0
        };
        let mut state = FileState {
            rel_start,
            size: file.size,
            mtime: file.mtime,
            failed: false,
            duplicates: 0,
            options: self.options,
            keys: Box::new([]),
        };
        let display = file.path.display().to_string();
        let stopped = || self.stop.requested();
        match input::open_until(&file.path, &file.rel_path, self.read, &self.bytes, &stopped) {
            // Cut short: not a finding about the file, which stays to read.
            _ if stopped() => return Ok(()),
            Err(e) => {
                self.reporter.skip(display, None, e.kind, e.reason);
                state.failed = true;
            }
            Ok((mut input, format)) => {
                self.counts.files_read.fetch_add(1, Ordering::Relaxed);
                let mut keys = Vec::new();
                let mut duplicates = 0;
                let mut error = None;
                let mut records = 0usize;
                let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    format.read(&mut input, &mut |record| {
                        records += 1;
                        if error.is_some() || stopped() {
                            return;
                        }
                        match record {
                            Ok(mut article) => {
                                for warning in std::mem::take(&mut article.warnings) {
                                    self.reporter.warn(
                                        display.clone(),
                                        Some(article.record),
                                        warning.kind,
                                        format!("{} record: {}", format.name(), warning.reason),
                                    );
                                }
                                let at = (rank, article.record);
                                // Due commits happen inside a file too: a
                                // large one would otherwise show nothing
                                // until its end. The manifest lists the
                                // file as pending until it is finished.
                                if let Err(e) = self
                                    .add(article, at, &mut keys, &mut duplicates, work)
                                    .and_then(|()| self.maybe_commit())
                                {
                                    error = Some(e);
                                }
                            }
                            Err(e) => self.reporter.skip(
                                display.clone(),
                                Some(e.record),
                                e.kind,
                                format!("{} record: {}", format.name(), e.reason),
                            ),
                        }
                    })
                }));
                if let Some(e) = error {
                    return Err(e);
                }
                // Read in part: the manifest lists it as pending, so the
                // next run replaces what was indexed of it.
                if stopped() {
                    return Ok(());
                }
                if let Err(panic) = read {
                    let message = panic
                        .downcast_ref::<String>()
                        .map(String::as_str)
                        .or_else(|| panic.downcast_ref::<&str>().copied())
                        .unwrap_or("unknown error");
                    self.reporter.skip(
                        display.clone(),
                        None,
                        Problem::Internal,
                        format!(
                            "internal error in the {} reader after {records} records ({message}); please report this file",
                            format.name()
                        ),
                    );
                }
                if let Some(note) = input.encoding_note() {
                    self.reporter
                        .warn(display.clone(), None, Problem::Encoding, note.to_string());
                }
                let invalid = input.invalid_sequences();
                if invalid > 0 {
                    self.reporter.warn(
                        display,
                        None,
                        Problem::Encoding,
                        format!(
                            "{invalid} stretch(es) of bytes invalid in {} were replaced by U+FFFD; the records were indexed (name the encoding with --encoding if this is wrong)",
                            input.encoding.name()
                        ),
                    );
                }
                state.keys = keys.into_boxed_slice();
                state.duplicates = duplicates;
            }
        }
        // Under the claims' lock, so that a copy superseded later finds its
        // file either still open or in the manifest.
        let mut claims = self.claims.lock().expect("no worker panicked");
        state.superseded(&claims.finish_file(rank));
        self.files
            .lock()
            .expect("no worker panicked")
            .insert(key.into_owned().into_boxed_str(), state);
        Ok(())
    }

    /// Indexes one article (record `at.1` of the `at.0`th file of the
    /// walk) unless it duplicates one already indexed or earlier in the walk.
    fn add(
        &self,
        article: Article,
        at: (usize, usize),
        keys: &mut Vec<[u64; 2]>,
        duplicates: &mut u32,
        work: &mut Work,
    ) -> Result<()> {
        self.counts.records_read.fetch_add(1, Ordering::Relaxed);
        let key = [
            Fnv::hash(article.id.as_bytes()).max(1),
            body_hash(&article.body),
        ];
        let verdict =
            self.claims
                .lock()
                .expect("no worker panicked")
                .claim(key, at.0, at.1, &article.id);
        let (claim, superseded) = match verdict {
            Verdict::Duplicate(original) => {
                *duplicates += 1;
                self.counts.duplicates.fetch_add(1, Ordering::Relaxed);
                self.report_duplicate(at, &article.id, original);
                return Ok(());
            }
            Verdict::Claimed(claim, superseded) => (claim, superseded),
        };
        let tagged = tag(self.tagger, &article, &mut work.tokens);
        let (doc, text_bytes) =
            to_indexing_document(&self.index.schema, &tagged, &mut work.preanalysis);
        // The document's text, the analyzed copies' terms included.
        let size = text_bytes + 2048;
        let permit = self.in_flight.acquire(size);
        // Added under the claims' lock, so that a copy superseding this one
        // later deletes it after it was added.
        let mut claims = self.claims.lock().expect("no worker panicked");
        if let Err(original) = claims.confirm(claim) {
            drop(claims);
            *duplicates += 1;
            self.counts.duplicates.fetch_add(1, Ordering::Relaxed);
            self.report_duplicate(at, &article.id, original);
            return Ok(());
        }
        let writer = self.writer.read().expect("no worker panicked");
        self.take_back(&writer, &superseded);
        writer
            .add_document(BudgetedDoc { doc, permit })
            .context("cannot add a document to the index")?;
        drop(writer);
        drop(claims);
        keys.push(key);
        self.counts.indexed.fetch_add(1, Ordering::Relaxed);
        for copy in &superseded {
            self.report_duplicate((copy.file, copy.record), &copy.id, copy.by);
        }
        Ok(())
    }

    /// Reports the copy at `at` (place of its file in the walk, record)
    /// with id `id` as a duplicate of `original`.
    fn report_duplicate(&self, at: (usize, usize), id: &str, original: Original) {
        let place = match original.at {
            Some((file, record)) => {
                format!("record {record} of {}", self.queue[file].path.display())
            }
            None => "an article already in the index".to_string(),
        };
        let reason = if original.other_text {
            self.counts.id_conflicts.fetch_add(1, Ordering::Relaxed);
            format!(
                "not indexed: the same id `{id}` as {place}, with another text (ids that start again in each file? --field id=NAME takes them from another field)"
            )
        } else if original.same_id {
            format!("duplicate of `{id}`: the same id as {place}")
        } else {
            format!("same text as {place}")
        };
        self.reporter
            .duplicate(self.queue[at.0].path.display().to_string(), at.1, reason);
    }

    /// Deletes the documents of copies superseded by an earlier one, and
    /// updates the manifest entries of their finished files (under the
    /// writer's lock, so that a commit sees both or neither).
    fn take_back(&self, writer: &IndexWriter<BudgetedDoc>, superseded: &[Superseded]) {
        if superseded.is_empty() {
            return;
        }
        let mut files = self.files.lock().expect("no worker panicked");
        for copy in superseded {
            writer.delete_term(Term::from_field_text(self.index.schema.fields.id, &copy.id));
            self.counts.indexed.fetch_sub(1, Ordering::Relaxed);
            self.counts.duplicates.fetch_add(1, Ordering::Relaxed);
            if copy.file_finished {
                let key = self.queue[copy.file].path.to_string_lossy();
                if let Some(state) = files.get_mut(&*key) {
                    state.superseded(&[copy.keys]);
                }
            }
        }
    }

    fn maybe_commit(&self) -> Result<()> {
        let since = self
            .millis()
            .saturating_sub(self.last_commit.load(Ordering::Relaxed));
        let due = since >= self.commit_interval.as_millis() as u64;
        if !due || self.committing.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        let result = self.commit();
        self.committing.store(false, Ordering::Release);
        result
    }

    /// Commits what has been added, with the manifest that describes it.
    fn commit(&self) -> Result<()> {
        let mut writer = self.writer.write().expect("no worker panicked");
        let files = self.files.lock().expect("no worker panicked");
        let mut pending: Vec<(Box<str>, Box<str>)> = self.stale_pending.to_vec();
        for file in self.queue {
            let key = file.path.to_string_lossy();
            if !files.contains_key(&*key) {
                pending.push((key.into(), file.rel_path.as_str().into()));
            }
        }
        let generation = self.generation.load(Ordering::Relaxed) + 1;
        Manifest::write(&self.index.path, generation, &files, &pending)?;
        drop(files);
        let info = CommitInfo {
            manifest: generation,
            committed_at: archive::date::format(tantivy::DateTime::from_utc(
                tantivy::time::OffsetDateTime::now_utc(),
            )),
        };
        let mut prepared = writer.prepare_commit().context("cannot commit the index")?;
        prepared.set_payload(&serde_json::to_string(&info)?);
        prepared.commit().context("cannot commit the index")?;
        drop(writer);
        self.generation.store(generation, Ordering::Relaxed);
        Manifest::remove_others(&self.index.path, Some(generation));
        self.last_commit.store(self.millis(), Ordering::Relaxed);
        self.commits.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn millis(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    fn snapshot(&self, bytes_total: u64, started: Instant) -> Snapshot {
        Snapshot {
            files_done: self.counts.files_done.load(Ordering::Relaxed) as u64,
            files_total: self.queue.len() as u64,
            bytes_done: self.bytes.load(Ordering::Relaxed),
            bytes_total,
            articles: self.counts.indexed.load(Ordering::Relaxed) as u64,
            elapsed: started.elapsed(),
        }
    }
}

/// A fingerprint of the options that change what is read from a file.
fn options_fingerprint(read: &ReadOptions) -> u32 {
    let text = format!(
        "{:?}|{:?}|{:?}",
        read.format.map(|f| f.name()),
        read.encoding.map(|e| e.name()),
        read.fields
    );
    Fnv::hash(text.as_bytes()) as u32
}

/// What a [`Reporter`] collected, for the summary.
struct Reported {
    skipped_by_kind: BTreeMap<Problem, usize>,
    skipped_total: usize,
    skipped: Vec<Skip>,
    warnings: Vec<Skip>,
    warnings_total: usize,
}

/// Collects skips: all to the report file (as they happen), the first
/// [`KEPT_SKIPS`] in memory, and counts by kind.
struct Reporter {
    file: Option<Mutex<BufWriter<File>>>,
    state: Mutex<ReporterState>,
}

#[derive(Default)]
struct ReporterState {
    by_kind: BTreeMap<Problem, usize>,
    total: usize,
    kept: Vec<Skip>,
    warnings: Vec<Skip>,
    warnings_total: usize,
    write_error: Option<std::io::Error>,
}

impl Reporter {
    fn new(path: Option<&std::path::Path>) -> Result<Reporter> {
        let file = match path {
            Some(p) => Some(Mutex::new(BufWriter::new(File::create(p).with_context(
                || format!("cannot create report file {}", p.display()),
            )?))),
            None => None,
        };
        Ok(Reporter {
            file,
            state: Mutex::new(ReporterState::default()),
        })
    }

    fn skip(&self, path: String, record: Option<usize>, kind: Problem, reason: String) {
        let skip = Skip {
            path,
            record,
            kind,
            reason,
        };
        self.write(&skip, false);
        let mut state = self.state.lock().expect("no worker panicked");
        *state.by_kind.entry(kind).or_default() += 1;
        state.total += 1;
        if state.kept.len() < KEPT_SKIPS {
            state.kept.push(skip);
        }
    }

    /// A record not indexed because an earlier copy is: in the report
    /// only (the summary counts duplicates apart from skips).
    fn duplicate(&self, path: String, record: usize, reason: String) {
        let skip = Skip {
            path,
            record: Some(record),
            kind: Problem::Duplicate,
            reason,
        };
        self.write(&skip, false);
    }

    fn warn(&self, path: String, record: Option<usize>, kind: Problem, reason: String) {
        let skip = Skip {
            path,
            record,
            kind,
            reason,
        };
        self.write(&skip, true);
        let mut state = self.state.lock().expect("no worker panicked");
        state.warnings_total += 1;
        if state.warnings.len() < KEPT_SKIPS {
            state.warnings.push(skip);
        }
    }

    fn write(&self, skip: &Skip, warning: bool) {
        let Some(file) = &self.file else { return };
        let mut line = serde_json::to_value(skip).expect("serializable");
        if warning {
            line["warning"] = serde_json::Value::Bool(true);
        }
        let mut out = file.lock().expect("no worker panicked");
        if let Err(e) = writeln!(out, "{line}") {
            self.state
                .lock()
                .expect("no worker panicked")
                .write_error
                .get_or_insert(e);
        }
    }

    fn finish(&self) -> Result<Reported> {
        if let Some(file) = &self.file {
            file.lock().expect("no worker panicked").flush()?;
        }
        let mut state = self.state.lock().expect("no worker panicked");
        if let Some(e) = state.write_error.take() {
            return Err(anyhow!("cannot write the report file: {e}"));
        }
        let mut kept = std::mem::take(&mut state.kept);
        kept.sort_by(|a, b| (&a.path, a.record).cmp(&(&b.path, b.record)));
        let mut warnings = std::mem::take(&mut state.warnings);
        warnings.sort_by(|a, b| (&a.path, a.record).cmp(&(&b.path, b.record)));
        Ok(Reported {
            skipped_by_kind: std::mem::take(&mut state.by_kind),
            skipped_total: state.total,
            skipped: kept,
            warnings,
            warnings_total: state.warnings_total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_shares() {
        let b = Budget::new(512, 2).unwrap();
        assert_eq!(b.writer_bytes, 256 << 20);
        assert_eq!(b.in_flight_bytes, 64 << 20);
        assert_eq!(b.max_record_bytes, 16 << 20);
        assert_eq!(Budget::new(10, 2).unwrap().max_record_bytes, 1 << 20);
        assert_eq!(Budget::new(32, 4).unwrap().writer_bytes, 64 << 20);
        // tantivy takes under 4 GB a thread.
        let big = Budget::new(20_000, 2).unwrap();
        assert!(big.writer_bytes / 2 < u32::MAX as usize - 1_000_000);
        assert_eq!(big.in_flight_bytes, 2500 << 20);
        assert_eq!(Budget::new(20_000, 4).unwrap().writer_bytes, 10_000 << 20);
        assert!(Budget::new(usize::MAX, 2).is_err());
        assert!(Budget::new(MAX_MEMORY_MB + 1, 2).is_err());
    }
}
