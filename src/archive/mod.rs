//! Reading archives: files on disk → [`Article`]s.
//!
//! [`input::open`] undoes compression (gzip, zstd), decides the encoding and
//! picks the [`Format`] reader from the file's name and first bytes; the
//! reader then streams the file's records. Readers never abort a run: a
//! record they cannot read comes back as a [`RecordError`] with its reason,
//! and the records around it are still read. No reader holds more than one
//! record (capped by [`ReadOptions::max_record_bytes`]) in memory.

pub mod csv;
pub mod date;
pub mod encoding;
pub mod fields;
pub mod html;
pub mod input;
pub mod json;
pub mod jsonl;
pub mod markup;
#[cfg(test)]
pub(crate) mod test_support;
pub mod text;
pub mod trec;
pub mod walk;
pub mod warc;

use std::path::Path;

use tantivy::DateTime;

pub use fields::{Field, FieldMap, Mapping};
pub use input::{Input, ReadOptions};

/// One news article, as read from an archive.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// The article's own id (DOCNO, a JSON id, a URL), else derived from its
    /// path and record number.
    pub id: String,
    pub title: Option<String>,
    pub body: String,
    pub date: Option<DateTime>,
    pub source: Option<String>,
    pub category: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// The file it came from, relative to the directory given to `index`.
    pub path: String,
    /// 1-based record number within the file (line number for line
    /// formats), for reports.
    pub record: usize,
    /// Caveats it is indexed with, for the report: what was wrong with the
    /// record but did not keep it out.
    pub warnings: Vec<Warning>,
}

/// Something wrong with a record that was indexed all the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub kind: Problem,
    pub reason: String,
}

/// What kind of problem kept a file or record out of the index; the summary
/// counts skips by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    /// No reader for this kind of file.
    Unsupported,
    /// Binary content (NUL bytes).
    Binary,
    /// Nothing but whitespace.
    Empty,
    /// Bytes that are not text in a recognizable encoding.
    Encoding,
    /// The file could not be read from disk.
    Unreadable,
    /// Compressed data or a record cut short.
    Truncated,
    /// A record that does not parse (bad JSON, unterminated `<DOC>`, …).
    Malformed,
    /// A record or line above the size limit.
    TooLarge,
    /// A record without text or title.
    NoText,
    /// A bug in a reader, caught so that it costs one file.
    Internal,
    /// The same article as one indexed (reported, counted apart).
    Duplicate,
    /// A date that was not understood (a warning: the record is indexed).
    Date,
}

impl Problem {
    /// A few words for the summary.
    pub fn describe(self) -> &'static str {
        match self {
            Problem::Unsupported => "unsupported file type",
            Problem::Binary => "binary file",
            Problem::Empty => "empty file",
            Problem::Encoding => "undecodable text",
            Problem::Unreadable => "unreadable file",
            Problem::Truncated => "truncated or corrupt data",
            Problem::Malformed => "malformed record",
            Problem::TooLarge => "over the size limit",
            Problem::NoText => "record without text",
            Problem::Internal => "internal error",
            Problem::Duplicate => "duplicate",
            Problem::Date => "date not understood",
        }
    }
}

/// A record (or the rest of a file) that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// 1-based record number within the file (line number for line formats).
    pub record: usize,
    pub kind: Problem,
    pub reason: String,
}

impl RecordError {
    pub fn new(record: usize, kind: Problem, reason: impl Into<String>) -> RecordError {
        RecordError {
            record,
            kind,
            reason: reason.into(),
        }
    }
}

/// One record of a file: an article, or why there is none.
pub type Record = Result<Article, RecordError>;

/// A format reader.
pub trait Format: Sync {
    /// Short name shown in reports and accepted by `--format`.
    fn name(&self) -> &'static str;
    /// Whether this reader takes the file, judged by its name (without a
    /// compression suffix) and its first decoded characters.
    fn accepts(&self, path: &Path, head: &str) -> bool;
    /// Whether the reader wants the file's raw bytes rather than decoded
    /// text (formats that carry their own encodings, like WARC).
    fn raw(&self) -> bool {
        false
    }
    /// Reads every record of the file, handing each to `emit` as soon as it
    /// is read.
    fn read(&self, input: &mut Input, emit: &mut dyn FnMut(Record));
}

/// The readers, in the order they are tried. Content-based detection comes
/// first: ANT and many TREC collections use `.txt` for XML documents.
pub static FORMATS: &[&dyn Format] = &[
    &warc::Warc,
    &trec::Trec,
    &html::Html,
    &json::JsonDocument,
    &jsonl::JsonLines,
    &csv::Csv,
    &text::PlainText,
];

/// The reader for a file, or `None` when no reader takes it.
pub fn detect(path: &Path, head: &str) -> Option<&'static dyn Format> {
    FORMATS.iter().copied().find(|f| f.accepts(path, head))
}

/// The reader named `name` (for `--format`).
pub fn format_named(name: &str) -> Result<&'static dyn Format, String> {
    let name = name.trim().to_ascii_lowercase();
    let name = match name.as_str() {
        "xml" | "sgml" => "trec",
        "ndjson" => "jsonl",
        "tsv" => "csv",
        "txt" => "text",
        "htm" => "html",
        other => other,
    };
    FORMATS
        .iter()
        .copied()
        .find(|f| f.name() == name)
        .ok_or_else(|| {
            format!(
                "unknown format `{name}` (expected one of: {})",
                format_names().join(", ")
            )
        })
}

/// The names of all readers.
pub fn format_names() -> Vec<&'static str> {
    FORMATS.iter().map(|f| f.name()).collect()
}

/// Lowercased file extension, or "".
pub(crate) fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// Trims a metadata value and turns an empty one into `None`.
pub(crate) fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// The id of a record that has none of its own: its file and record number.
pub(crate) fn fallback_id(rel_path: &str, record: usize) -> String {
    format!("{rel_path}#{record}")
}

/// Reads every record of one file with the reader its content calls for,
/// default options: for tools that want articles without an indexing run.
/// A file that cannot be opened is an error; bad records come to `emit`.
pub fn read_file(
    path: &Path,
    rel_path: &str,
    emit: &mut dyn FnMut(Record),
) -> Result<(), input::FileError> {
    let options = ReadOptions::default();
    let bytes = std::sync::atomic::AtomicU64::new(0);
    let (mut input, format) = input::open(path, rel_path, &options, &bytes)?;
    format.read(&mut input, emit);
    Ok(())
}
