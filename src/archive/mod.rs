//! Reading archives: files on disk → [`Article`]s.
//!
//! Each format is one [`Format`] reader; [`detect`] picks the reader for a
//! file from its extension and first bytes. Readers never abort a run: a
//! record they cannot read comes back as a [`RecordError`] with its reason,
//! and the records around it are still read.

pub mod date;
pub mod jsonl;
pub mod text;
pub mod trec;
pub mod walk;

use std::path::Path;

use tantivy::DateTime;

/// One news article, as read from an archive.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// The article's own id (DOCNO, a JSON id), else derived from its path.
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
}

/// A record that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// 1-based record number within the file (line number for JSON Lines).
    pub record: usize,
    pub reason: String,
}

/// What a reader got out of one file.
pub type Records = Vec<Result<Article, RecordError>>;

/// A file's decoded text and where it lives.
pub struct SourceFile<'a> {
    /// Path relative to the indexed directory, with `/` separators.
    pub rel_path: &'a str,
    pub text: &'a str,
}

/// A format reader.
pub trait Format: Sync {
    /// Short name shown in reports (`trec`, `jsonl`, `text`).
    fn name(&self) -> &'static str;
    /// Whether this reader takes the file, judged by extension and content.
    fn accepts(&self, path: &Path, head: &str) -> bool;
    /// Reads every record of the file.
    fn read(&self, file: &SourceFile) -> Records;
}

/// The readers, in the order they are tried. Content-based detection comes
/// first: ANT and many TREC collections use `.txt` for XML documents.
pub static FORMATS: &[&dyn Format] = &[&trec::Trec, &jsonl::JsonLines, &text::PlainText];

/// The reader for a file, or `None` when no reader takes it.
pub fn detect(path: &Path, head: &str) -> Option<&'static dyn Format> {
    FORMATS.iter().copied().find(|f| f.accepts(path, head))
}

/// Lowercased file extension, or "".
pub(crate) fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// Decodes a file's bytes as UTF-8 (a byte-order mark is dropped).
pub fn decode(bytes: &[u8]) -> Result<&str, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (first bad byte at offset {}); convert the file to UTF-8",
            e.valid_up_to()
        )
    })
}

/// Trims a metadata value and turns an empty one into `None`.
pub(crate) fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}
