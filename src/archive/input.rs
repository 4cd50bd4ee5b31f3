//! Opening an archive file as a stream of text (or bytes) for a reader.
//!
//! Compression is recognized by magic bytes (any name), the encoding by
//! [`encoding::detect`] on the first 64 KB, the format by [`super::detect`].
//! Lines and whole documents are read with a size cap, so one 1 GB line
//! costs a bounded buffer and a report, not the machine's memory.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use encoding_rs::{Encoding, UTF_8};

use super::encoding::{self, DecodeReader, Detected, Undecodable};
use super::{FieldMap, Format, Problem};

/// How files are read: what the user forced, and the per-record size cap.
#[derive(Clone)]
pub struct ReadOptions {
    /// `--format`: the reader for every file, instead of detection.
    pub format: Option<&'static dyn Format>,
    /// `--encoding`: the encoding of every file, instead of detection.
    pub encoding: Option<&'static Encoding>,
    /// `--field` mappings for JSON and CSV.
    pub fields: FieldMap,
    /// The largest record (line, document, WARC payload) read into memory.
    pub max_record_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            format: None,
            encoding: None,
            fields: FieldMap::default(),
            max_record_bytes: 16 << 20,
        }
    }
}

/// A file that could not be opened as an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub kind: Problem,
    pub reason: String,
}

impl FileError {
    fn new(kind: Problem, reason: impl Into<String>) -> FileError {
        FileError {
            kind,
            reason: reason.into(),
        }
    }
}

/// Bytes examined to recognize compression, encoding and format.
const SAMPLE_BYTES: usize = 64 * 1024;
/// Decoded characters handed to [`Format::accepts`].
const HEAD_BYTES: usize = 8 * 1024;

/// How a line or document read ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOutcome {
    /// The end of the input: nothing was read.
    End,
    /// A complete line or document.
    Complete,
    /// Longer than the cap: the text was dropped; this many bytes were skipped.
    TooLong(u64),
}

/// An open archive file.
pub struct Input<'a> {
    /// Path relative to the indexed directory, with `/` separators.
    pub rel_path: &'a str,
    pub options: &'a ReadOptions,
    /// The encoding the text is decoded from.
    pub encoding: &'static Encoding,
    reader: Box<dyn BufRead + 'a>,
    /// Whether `reader` yields UTF-8 still to be validated (the file is
    /// UTF-8) rather than decoder output.
    validate: bool,
    invalid: u64,
    decoder_replaced: Option<Rc<Cell<u64>>>,
    /// How the encoding was decided, when that is worth a report.
    encoding_note: Option<String>,
    buf: Vec<u8>,
}

/// Opens `path` for reading, choosing its reader; `bytes_read` counts the
/// file's bytes as they are read from disk (for progress).
pub fn open<'a>(
    path: &Path,
    rel_path: &'a str,
    options: &'a ReadOptions,
    bytes_read: &'a AtomicU64,
) -> Result<(Input<'a>, &'static dyn Format), FileError> {
    open_until(path, rel_path, options, bytes_read, &|| false)
}

/// Like [`open`], with the file ending early once `stopped` says so: a run
/// asked to stop does not wait for a large file to be read to its end.
pub fn open_until<'a>(
    path: &Path,
    rel_path: &'a str,
    options: &'a ReadOptions,
    bytes_read: &'a AtomicU64,
    stopped: &'a dyn Fn() -> bool,
) -> Result<(Input<'a>, &'static dyn Format), FileError> {
    let file = File::open(path)
        .map_err(|e| FileError::new(Problem::Unreadable, format!("cannot open: {e}")))?;
    let counted = Counting {
        inner: file,
        count: bytes_read,
        stopped,
    };
    from_reader(Box::new(counted), path, rel_path, options)
}

/// Like [`open`], for bytes already in hand (tests, nested content).
pub fn from_bytes<'a>(
    bytes: Vec<u8>,
    path: &Path,
    rel_path: &'a str,
    options: &'a ReadOptions,
) -> Result<(Input<'a>, &'static dyn Format), FileError> {
    from_reader(Box::new(Cursor::new(bytes)), path, rel_path, options)
}

fn from_reader<'a>(
    file: Box<dyn Read + 'a>,
    path: &Path,
    rel_path: &'a str,
    options: &'a ReadOptions,
) -> Result<(Input<'a>, &'static dyn Format), FileError> {
    let mut file = BufReader::with_capacity(64 * 1024, file);
    let magic = file
        .fill_buf()
        .map_err(|e| FileError::new(Problem::Unreadable, format!("cannot read: {e}")))?;
    if let Some(container) = container_format(magic) {
        return Err(unsupported_container(container));
    }
    let (mut stream, compression): (Box<dyn Read + 'a>, Option<&str>) =
        if magic.starts_with(&[0x1f, 0x8b]) {
            (
                Box::new(flate2::bufread::MultiGzDecoder::new(file)),
                Some("gzip"),
            )
        } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            let decoder = zstd::stream::read::Decoder::with_buffer(file).map_err(|e| {
                FileError::new(
                    Problem::Truncated,
                    format!("cannot start zstd decoding: {e}"),
                )
            })?;
            (Box::new(decoder), Some("zstd"))
        } else {
            (Box::new(file), None)
        };
    let name = inner_name(path);

    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    let mut complete = false;
    match (&mut stream)
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut sample)
    {
        Ok(n) => complete = n < SAMPLE_BYTES,
        // What came before a decompression error is still read; the error
        // is reported where the reader meets it.
        Err(e) if !sample.is_empty() => stream = Box::new(Failing(Some(e))),
        Err(e) => {
            return Err(match compression {
                Some(c) => FileError::new(
                    Problem::Truncated,
                    format!("{c} data is truncated or corrupt at the start of the file: {e}"),
                ),
                None => FileError::new(Problem::Unreadable, format!("cannot read: {e}")),
            })
        }
    }
    // A `.tar.gz` and the like: an archive of files, compressed.
    if let (Some(c), Some(container)) = (compression, container_format(&sample)) {
        return Err(unsupported_container(&format!("{container} inside {c}")));
    }
    let without_bom = sample.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&sample);
    if complete && without_bom.iter().all(u8::is_ascii_whitespace) {
        return Err(FileError::new(Problem::Empty, "empty file (no text)"));
    }

    let head_of = |text: &str| -> String {
        let mut end = text.len().min(HEAD_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text[..end].to_string()
    };
    // Formats that read raw bytes (WARC) are recognized before decoding.
    let raw_head = String::from_utf8_lossy(&sample[..sample.len().min(256)]);
    let raw_format = match options.format {
        Some(f) => f.raw().then_some(f),
        None => super::FORMATS
            .iter()
            .copied()
            .find(|f| f.raw() && f.accepts(&name, &raw_head)),
    };
    if let Some(format) = raw_format {
        let rest: Box<dyn Read + 'a> = Box::new(Cursor::new(sample).chain(stream));
        let input = Input::new(rel_path, options, UTF_8, rest, false, None);
        return Ok((input, format));
    }

    // A page whose first 64 KB are ASCII (inline scripts, styles) says
    // nothing of its encoding: read on to its first other bytes, and decide
    // on the text there.
    let mut late = None;
    if options.encoding.is_none() && !complete && sample.is_ascii() {
        let limit = options.max_record_bytes.max(SAMPLE_BYTES);
        match read_past_ascii(&mut stream, &mut sample, limit) {
            Ok(end) => complete = end,
            Err(e) => stream = Box::new(Failing(Some(e))),
        }
        late = sample.iter().position(|b| !b.is_ascii());
    }
    let (window, window_complete) = match late {
        Some(at) => {
            // From that byte on: the ASCII before it would outweigh the
            // letters that tell the encoding.
            let end = (at + SAMPLE_BYTES).min(sample.len());
            (&sample[at..end], complete && end == sample.len())
        }
        None => (&sample[..], complete),
    };
    let detected = match options.encoding {
        Some(e) if e == UTF_8 => Detected::Utf8,
        Some(e) => Detected::Other(e),
        None => encoding::detect(window, window_complete, || declared_charset(&sample)).map_err(
            |e| match e {
                Undecodable::Binary(reason) => FileError::new(Problem::Binary, reason),
                Undecodable::Unknown(reason) => FileError::new(Problem::Encoding, reason),
            },
        )?,
    };
    let head = match detected {
        Detected::Utf8 => {
            let body = sample.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&sample);
            let prefix = &body[..body.len().min(HEAD_BYTES)];
            match simdutf8::compat::from_utf8(prefix) {
                Ok(text) => text.to_string(),
                Err(e) => head_of(&String::from_utf8_lossy(
                    &prefix[..e.valid_up_to().max(1).min(prefix.len())],
                )),
            }
        }
        Detected::Other(e) => head_of(
            &e.decode_with_bom_removal(&sample[..sample.len().min(HEAD_BYTES)])
                .0,
        ),
    };
    let format = match options.format {
        Some(f) => f,
        None => super::detect(&name, &head).ok_or_else(|| {
            let ext = name
                .extension()
                .map(|e| format!(".{}", e.to_string_lossy()))
                .unwrap_or_else(|| "no extension".into());
            FileError::new(
                Problem::Unsupported,
                format!(
                    "unsupported file type ({ext}); akhbar reads TREC-like XML, JSON Lines, JSON arrays, CSV/TSV, HTML, WARC and .txt \
(optionally gzip/zstd-compressed); name the format with --format if this is one of them"
                ),
            )
        })?,
    };
    let guessed_late = match (late, detected) {
        (Some(at), Detected::Other(e)) => Some(format!(
            "no byte past ASCII in the first {} KB; the text from offset {at} on was decoded as {} (guessed from it; name the encoding with --encoding if this is wrong)",
            SAMPLE_BYTES / 1024,
            e.name()
        )),
        _ => None,
    };
    let mut input = match detected {
        Detected::Utf8 => {
            let skip = if sample.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            };
            let mut cursor = Cursor::new(sample);
            cursor.set_position(skip);
            let rest: Box<dyn Read + 'a> = Box::new(cursor.chain(stream));
            Input::new(rel_path, options, UTF_8, rest, true, None)
        }
        Detected::Other(e) => {
            let decoder = DecodeReader::new(Cursor::new(sample).chain(stream), e);
            let replaced = decoder.replaced();
            Input::new(
                rel_path,
                options,
                e,
                Box::new(decoder),
                false,
                Some(replaced),
            )
        }
    };
    input.encoding_note = guessed_late;
    Ok((input, format))
}

/// Reads `stream` on into `sample`, in chunks, until a chunk holds a byte
/// past ASCII, the stream ends (then true) or `sample` reaches `limit`.
fn read_past_ascii(stream: &mut dyn Read, sample: &mut Vec<u8>, limit: usize) -> io::Result<bool> {
    while sample.len() < limit {
        let start = sample.len();
        let n = stream.take(SAMPLE_BYTES as u64).read_to_end(sample)?;
        if n < SAMPLE_BYTES {
            return Ok(true);
        }
        if !sample[start..].is_ascii() {
            break;
        }
    }
    Ok(false)
}

/// The compression or archive format that `bytes` start with, of those
/// akhbar does not read itself, by magic bytes. Recognized, they are
/// reported as such rather than as binary files.
fn container_format(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\xFD7zXZ\x00", "xz"),
        (b"PK\x03\x04", "zip"),
        (b"PK\x05\x06", "zip"),
        (b"PK\x07\x08", "zip"),
        (b"7z\xBC\xAF\x27\x1C", "7z"),
        (b"Rar!\x1A\x07", "rar"),
        (b"\x04\x22\x4D\x18", "lz4"),
        (b"LZIP", "lzip"),
        (b"\x1F\x9D", "compress (.Z)"),
    ];
    if let Some((_, name)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(name);
    }
    // `BZh`, the block size, then a block's or the stream end's magic.
    if bytes.len() >= 10
        && bytes.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&bytes[3])
        && (bytes[4..10] == *b"1AY&SY" || bytes[4..10] == *b"\x17\x72\x45\x38\x50\x90")
    {
        return Some("bzip2");
    }
    // POSIX and GNU tar write `ustar` at offset 257 of each header.
    (bytes.get(257..262) == Some(b"ustar")).then_some("tar")
}

fn unsupported_container(format: &str) -> FileError {
    let what = if format.starts_with("tar") || format == "zip" || format == "7z" || format == "rar"
    {
        "unpack"
    } else {
        "decompress"
    };
    FileError::new(
        Problem::Unsupported,
        format!(
            "unsupported compression/archive format ({format}): {what} it first (akhbar reads gzip and zstd itself)"
        ),
    )
}

/// The charset an HTML page declares in its first bytes (`<meta charset=…>`
/// or `content="text/html; charset=…"`).
pub(crate) fn declared_charset(sample: &[u8]) -> Option<&'static Encoding> {
    let head = &sample[..sample.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let meta = memchr::memmem::find(&lower, b"<meta")?;
    let at = meta + memchr::memmem::find(&lower[meta..], b"charset")? + b"charset".len();
    let rest = &lower[at..];
    let rest = rest.strip_prefix(b"=").or_else(|| {
        let trimmed = rest.trim_ascii_start();
        trimmed.strip_prefix(b"=")
    })?;
    let rest = rest.trim_ascii_start();
    let rest = rest
        .strip_prefix(b"\"")
        .or(rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || b"-_:.".contains(b)))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..end])
}

impl<'a> Input<'a> {
    fn new(
        rel_path: &'a str,
        options: &'a ReadOptions,
        encoding: &'static Encoding,
        reader: Box<dyn Read + 'a>,
        validate: bool,
        decoder_replaced: Option<Rc<Cell<u64>>>,
    ) -> Input<'a> {
        Input {
            rel_path,
            options,
            encoding,
            reader: Box::new(BufReader::with_capacity(64 * 1024, reader)),
            validate,
            invalid: 0,
            decoder_replaced,
            encoding_note: None,
            buf: Vec::new(),
        }
    }

    /// The largest record a reader may hold.
    pub fn max_record(&self) -> usize {
        self.options.max_record_bytes
    }

    /// The raw byte stream (for [`Format::raw`] readers).
    pub fn raw(&mut self) -> &mut dyn BufRead {
        &mut self.reader
    }

    /// How the encoding was decided, when it was guessed from text past the
    /// usual sample (for the report).
    pub fn encoding_note(&self) -> Option<&str> {
        self.encoding_note.as_deref()
    }

    /// Malformed byte sequences replaced by U+FFFD so far.
    pub fn invalid_sequences(&self) -> u64 {
        self.invalid + self.decoder_replaced.as_ref().map_or(0, |r| r.get())
    }

    /// Reads the next line (without its line break) into `line`, replacing
    /// its content. A line longer than the cap is skipped to its end.
    pub fn read_line(&mut self, line: &mut String) -> io::Result<ReadOutcome> {
        line.clear();
        self.buf.clear();
        let cap = self.options.max_record_bytes;
        let mut skipped: u64 = 0;
        let mut any = false;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                break;
            }
            any = true;
            let (chunk, found) = match memchr::memchr(b'\n', available) {
                Some(i) => (&available[..i], Some(i + 1)),
                None => (available, None),
            };
            if skipped > 0 || self.buf.len() + chunk.len() > cap {
                skipped += (self.buf.len() + chunk.len()) as u64;
                self.buf.clear();
            } else {
                self.buf.extend_from_slice(chunk);
            }
            let used = found.unwrap_or(available.len());
            self.reader.consume(used);
            if found.is_some() {
                break;
            }
        }
        if !any {
            return Ok(ReadOutcome::End);
        }
        if skipped > 0 {
            return Ok(ReadOutcome::TooLong(skipped));
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        self.take_text(line);
        Ok(ReadOutcome::Complete)
    }

    /// Reads the rest of the input into `text`, unless it is longer than the
    /// cap (then it is skipped, and its length returned).
    pub fn read_all(&mut self, text: &mut String) -> io::Result<ReadOutcome> {
        self.read_all_within(text, self.options.max_record_bytes)
    }

    /// Like [`Input::read_all`], with a smaller cap (for records whose
    /// parsed form takes many times their size, like HTML pages).
    pub fn read_all_within(&mut self, text: &mut String, cap: usize) -> io::Result<ReadOutcome> {
        text.clear();
        self.buf.clear();
        let cap = cap as u64;
        (&mut self.reader)
            .take(cap + 1)
            .read_to_end(&mut self.buf)?;
        if self.buf.len() as u64 > cap {
            let rest = io::copy(&mut self.reader, &mut io::sink())?;
            let total = self.buf.len() as u64 + rest;
            self.buf = Vec::new();
            return Ok(ReadOutcome::TooLong(total));
        }
        self.take_text(text);
        Ok(ReadOutcome::Complete)
    }

    /// Moves the bytes in `buf` into `text`, as valid UTF-8 (checked with
    /// SIMD: every byte of an archive passes here).
    fn take_text(&mut self, text: &mut String) {
        let buf = std::mem::take(&mut self.buf);
        text.push_str(&self.text_of(&buf));
        self.buf = buf;
        if self.buf.capacity() > 1 << 20 {
            self.buf = Vec::new();
        }
    }

    /// `bytes` read through [`Input::raw`] as text: invalid UTF-8 replaced
    /// by U+FFFD and counted, as for lines and documents, so that a reader
    /// that scans raw bytes (JSON arrays) keeps a record with a stray byte
    /// rather than losing it to its parser.
    pub fn text_of<'b>(&mut self, bytes: &'b [u8]) -> std::borrow::Cow<'b, str> {
        match simdutf8::basic::from_utf8(bytes) {
            Ok(s) => s.into(),
            Err(_) => {
                // Only undecoded UTF-8 can be invalid here.
                debug_assert!(self.validate);
                self.invalid += 1;
                String::from_utf8_lossy(bytes)
            }
        }
    }
}

/// Describes a skipped over-long record for a report.
pub fn too_long(what: &str, bytes: u64, cap: usize) -> String {
    format!(
        "{what} of {} is over the {} limit for one record; it was skipped (a larger --memory-mb raises the limit)",
        human_bytes(bytes),
        human_bytes(cap as u64)
    )
}

/// `1.5 MB`, `640 KB`, `12 B`.
pub fn human_bytes(bytes: u64) -> String {
    if bytes >= 1_000_000_000 {
        format!("{:.1} GB", bytes as f64 / 1e9)
    } else if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else if bytes >= 1_000 {
        format!("{:.0} KB", bytes as f64 / 1e3)
    } else {
        format!("{bytes} B")
    }
}

/// The file's name without a compression suffix (`a.jsonl.gz` → `a.jsonl`).
fn inner_name(path: &Path) -> PathBuf {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext)
            if ["gz", "gzip", "zst", "zstd"]
                .iter()
                .any(|c| ext.eq_ignore_ascii_case(c)) =>
        {
            path.with_extension("")
        }
        _ => path.to_path_buf(),
    }
}

/// A stream that has failed: it reports its error.
struct Failing(Option<io::Error>);

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Err(io::Error::other("the data after this point is unreadable")),
        }
    }
}

/// Counts bytes read from disk, and ends the file early when asked to.
struct Counting<'a, R> {
    inner: R,
    count: &'a AtomicU64,
    stopped: &'a dyn Fn() -> bool,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if (self.stopped)() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn open_error(bytes: Vec<u8>, name: &str) -> FileError {
        let options = ReadOptions::default();
        let opened = from_bytes(bytes, Path::new(name), name, &options);
        opened.err().unwrap_or_else(|| panic!("{name} was opened"))
    }

    fn tar() -> Vec<u8> {
        let mut header = vec![0u8; 1024];
        header[..5].copy_from_slice(b"a.txt");
        header[257..265].copy_from_slice(b"ustar\x0000");
        header.extend_from_slice("نص".as_bytes());
        header
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn text_past_a_long_ascii_opening_decides_the_encoding() {
        let arabic = "قال المتحدث باسم وزارة الخارجية إن المفاوضات بين الطرفين مستمرة في العاصمة";
        let script = "var x = [1, 2, 3].map(function (n) { return n * 2; });\n".repeat(1500);
        assert!(script.len() > SAMPLE_BYTES);
        let page = format!(
            "<html><head><title>t</title><script>{script}</script></head><body><article><p>{arabic}</p></article></body></html>"
        );
        let bytes = encoding_rs::WINDOWS_1256.encode(&page).0.into_owned();
        let options = ReadOptions::default();
        let (mut input, format) =
            from_bytes(bytes, Path::new("a.html"), "a.html", &options).unwrap();
        assert_eq!(format.name(), "html");
        assert_eq!(input.encoding, encoding_rs::WINDOWS_1256);
        let note = input.encoding_note().unwrap().to_string();
        assert!(
            note.contains("windows-1256") && note.contains("64 KB"),
            "{note}"
        );
        let mut text = String::new();
        input.read_all(&mut text).unwrap();
        assert!(text.contains(arabic));
        assert_eq!(input.invalid_sequences(), 0);

        // UTF-8 after the same opening stays UTF-8, without a note.
        let (mut input, _) =
            from_bytes(page.into_bytes(), Path::new("a.html"), "a.html", &options).unwrap();
        assert_eq!(input.encoding, UTF_8);
        assert_eq!(input.encoding_note(), None);
        let mut text = String::new();
        input.read_all(&mut text).unwrap();
        assert!(text.contains(arabic));
    }

    #[test]
    fn compression_and_archive_formats_not_read_are_named() {
        let junk = [0u8, 1, 2, 0, 0xff, 0x80, 0].repeat(100);
        let cases: Vec<(Vec<u8>, &str, &str)> = vec![
            (
                [b"\xFD7zXZ\x00".as_slice(), &junk].concat(),
                "a.jsonl.xz",
                "(xz)",
            ),
            (
                [b"BZh91AY&SY".as_slice(), &junk].concat(),
                "a.txt.bz2",
                "(bzip2)",
            ),
            ([b"PK\x03\x04".as_slice(), &junk].concat(), "a.zip", "(zip)"),
            (tar(), "a.tar", "(tar)"),
            (gzip(&tar()), "a.tar.gz", "(tar inside gzip)"),
            (
                zstd::encode_all(tar().as_slice(), 3).unwrap(),
                "a.tar.zst",
                "(tar inside zstd)",
            ),
        ];
        for (bytes, name, format) in cases {
            let e = open_error(bytes, name);
            assert_eq!(e.kind, Problem::Unsupported, "{name}: {}", e.reason);
            assert!(e.reason.contains(format), "{name}: {}", e.reason);
            assert!(e.reason.contains("it first"), "{name}: {}", e.reason);
        }
        // Text that merely starts like one is text.
        let options = ReadOptions::default();
        assert!(from_bytes(
            b"BZh is not bzip2".to_vec(),
            Path::new("a.txt"),
            "a.txt",
            &options
        )
        .is_ok());
    }
}
