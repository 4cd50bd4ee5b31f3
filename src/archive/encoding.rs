//! Character encodings: which one a file uses, and decoding it as a stream.
//!
//! Arabic archives older than the web's move to UTF-8 are in Windows-1256 or
//! ISO-8859-6, and Windows tools still write UTF-16. A file's first bytes
//! decide: a byte-order mark, else the zero bytes of UTF-16, else valid
//! UTF-8, else a statistical guess (chardetng) that is only trusted when it
//! decodes to Arabic text, so random bytes are reported instead of being
//! indexed as gibberish.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

use encoding_rs::{CoderResult, Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// Why a file's bytes are not text akhbar can decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undecodable {
    /// NUL bytes: an image, a PDF, an archive format akhbar does not read.
    Binary(String),
    /// Text in an encoding that could not be recognized.
    Unknown(String),
}

impl Undecodable {
    pub fn reason(&self) -> &str {
        match self {
            Undecodable::Binary(r) | Undecodable::Unknown(r) => r,
        }
    }
}

/// How a file's encoding was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// UTF-8 (a byte-order mark, if any, is dropped).
    Utf8,
    /// Another encoding, decoded to UTF-8 while reading.
    Other(&'static Encoding),
}

impl Detected {
    pub fn encoding(self) -> &'static Encoding {
        match self {
            Detected::Utf8 => UTF_8,
            Detected::Other(e) => e,
        }
    }
}

/// Looks up an encoding by any of its WHATWG labels (`windows-1256`,
/// `cp1256`, `iso-8859-6`, `utf-16le`, …).
pub fn for_label(label: &str) -> Result<&'static Encoding, String> {
    let label = label.trim();
    let normalized = match label.to_ascii_lowercase().as_str() {
        "cp1256" | "win1256" => "windows-1256".to_string(),
        "utf8" => "utf-8".to_string(),
        other => other.to_string(),
    };
    Encoding::for_label(normalized.as_bytes()).ok_or_else(|| {
        format!(
            "unknown encoding `{label}` (try utf-8, utf-16le, utf-16be, windows-1256, iso-8859-6)"
        )
    })
}

/// The encoding of a file from its first bytes (`sample`); `complete` says
/// whether the sample is the whole file. `declared` is an encoding named by
/// the content itself (an HTML `<meta charset>`), tried before guessing.
pub fn detect(
    sample: &[u8],
    complete: bool,
    declared: impl FnOnce() -> Option<&'static Encoding>,
) -> Result<Detected, Undecodable> {
    if sample.starts_with(b"\xEF\xBB\xBF") {
        return Ok(Detected::Utf8);
    }
    for (bom, encoding) in [(b"\xFF\xFE", UTF_16LE), (b"\xFE\xFF", UTF_16BE)] {
        if sample.starts_with(bom) {
            let (text, malformed) = encoding.decode_with_bom_removal(sample);
            let odd_tail = !complete && malformed && text.ends_with('\u{FFFD}');
            if (malformed && !odd_tail) || !looks_like_text(&text) {
                return Err(Undecodable::Unknown(format!(
                    "not readable text: not valid UTF-8, and the {} byte-order mark at its start is not followed by {} text",
                    encoding.name(),
                    encoding.name()
                )));
            }
            return Ok(Detected::Other(encoding));
        }
    }
    if let Some(encoding) = bomless_utf16(sample, complete) {
        return Ok(Detected::Other(encoding));
    }
    if let Some(offset) = sample.iter().position(|&b| b == 0) {
        return Err(Undecodable::Binary(format!(
            "binary file (a NUL byte at offset {offset}): not a text archive"
        )));
    }
    let first_bad = match simdutf8::compat::from_utf8(sample) {
        Ok(_) => return Ok(Detected::Utf8),
        // A character cut by the end of the sample is not an error.
        Err(e) if e.error_len().is_none() && !complete => return Ok(Detected::Utf8),
        Err(e) => e.valid_up_to(),
    };
    if let Some(encoding) = declared().filter(|e| *e != UTF_8) {
        return Ok(Detected::Other(encoding));
    }
    // UTF-8 with a few broken bytes (a bad copy, a truncated character) is
    // still UTF-8: the bad bytes are replaced and reported. Text in a legacy
    // code page has invalid sequences everywhere, and next to none of its
    // letters pair up into valid UTF-8 (under one in fifty in Arabic news),
    // so in a short file a character or two is enough to tell.
    let (invalid, valid) = utf8_sequences(sample);
    if invalid * 100 <= sample.len() || valid >= invalid * 4 {
        return Ok(Detected::Utf8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, complete);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _, _) = guess.decode(sample);
    if is_arabic_text(&text) {
        return Ok(Detected::Other(guess));
    }
    Err(Undecodable::Unknown(format!(
        "not valid UTF-8 (first bad byte at offset {first_bad}), and not recognizably Windows-1256 or ISO-8859-6 Arabic; \
convert the file to UTF-8 or name its encoding with --encoding"
    )))
}

/// UTF-16 written without a byte-order mark (some Windows exports): NUL
/// bytes, all at odd offsets (little-endian) or all at even ones
/// (big-endian), as the high byte of spaces and ASCII punctuation, and the
/// whole decoding to text. Binary data has NULs at both, or decodes to
/// control characters.
fn bomless_utf16(sample: &[u8], complete: bool) -> Option<&'static Encoding> {
    let nul_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    let encoding = match (even, odd) {
        (0, n) if n > 0 => UTF_16LE,
        (n, 0) if n > 0 => UTF_16BE,
        _ => return None,
    };
    let whole = if complete {
        sample.len()
    } else {
        sample.len() & !1
    };
    let (text, malformed) = encoding.decode_without_bom_handling(&sample[..whole]);
    (!malformed && looks_like_text(&text)).then_some(encoding)
}

/// The invalid UTF-8 sequences in `bytes`, and the valid characters past
/// ASCII between them.
fn utf8_sequences(mut bytes: &[u8]) -> (usize, usize) {
    let non_ascii = |valid: &[u8]| valid.iter().filter(|&&b| b >= 0xC0).count();
    let mut invalid = 0;
    let mut valid = 0;
    loop {
        match simdutf8::compat::from_utf8(bytes) {
            Ok(_) => return (invalid, valid + non_ascii(bytes)),
            Err(e) => {
                invalid += 1;
                valid += non_ascii(&bytes[..e.valid_up_to()]);
                let skip = e.valid_up_to() + e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
                bytes = &bytes[skip.max(1).min(bytes.len())..];
            }
        }
    }
}

/// True when decoded text reads as Arabic: enough Arabic letters, and most
/// letters Arabic.
fn is_arabic_text(text: &str) -> bool {
    let (mut arabic, mut letters) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if is_arabic(c) {
            arabic += 1;
        }
    }
    arabic >= 8 && arabic * 2 >= letters
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// True when decoded text is mostly characters news text is made of:
/// Arabic, Latin, digits, whitespace and punctuation.
fn looks_like_text(text: &str) -> bool {
    let (mut good, mut total) = (0usize, 0usize);
    for c in text.chars() {
        total += 1;
        if c.is_ascii() && (!c.is_ascii_control() || c.is_ascii_whitespace())
            || is_arabic(c)
            || ('\u{00A0}'..='\u{024F}').contains(&c)
            || ('\u{2000}'..='\u{206F}').contains(&c)
        {
            good += 1;
        }
    }
    total > 0 && good * 10 >= total * 9
}

/// Decodes a byte stream in any encoding to UTF-8 bytes.
///
/// Malformed sequences become U+FFFD and are counted, so the caller can
/// report them instead of losing text silently.
pub struct DecodeReader<R> {
    inner: R,
    decoder: Decoder,
    input: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
    /// The decoder has been flushed: nothing more will come.
    done: bool,
    /// Decoded bytes; those from `pending_at` on are not yet handed out.
    pending: Vec<u8>,
    pending_at: usize,
    /// Number of decoded chunks that had malformed input replaced.
    replaced: Rc<Cell<u64>>,
}

const CHUNK: usize = 32 * 1024;

impl<R: Read> DecodeReader<R> {
    pub fn new(inner: R, encoding: &'static Encoding) -> DecodeReader<R> {
        DecodeReader {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            input: vec![0; CHUNK].into_boxed_slice(),
            start: 0,
            end: 0,
            eof: false,
            done: false,
            pending: Vec::with_capacity(3 * CHUNK),
            pending_at: 0,
            replaced: Rc::new(Cell::new(0)),
        }
    }

    /// A handle on the count of chunks with malformed input replaced, still
    /// readable after the reader has been boxed away.
    pub fn replaced(&self) -> Rc<Cell<u64>> {
        Rc::clone(&self.replaced)
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.pending_at < self.pending.len() {
                let available = &self.pending[self.pending_at..];
                let n = available.len().min(buf.len());
                buf[..n].copy_from_slice(&available[..n]);
                self.pending_at += n;
                return Ok(n);
            }
            if self.done || buf.is_empty() {
                return Ok(0);
            }
            if self.start == self.end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.start = 0;
                self.end = n;
                self.eof = n == 0;
            }
            let last = self.eof;
            self.pending.clear();
            self.pending.resize(3 * CHUNK, 0);
            let (result, read, written, replaced) = self.decoder.decode_to_utf8(
                &self.input[self.start..self.end],
                &mut self.pending,
                last,
            );
            self.start += read;
            self.pending.truncate(written);
            self.pending_at = 0;
            if replaced {
                self.replaced.set(self.replaced.get() + 1);
            }
            if last && result == CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{ISO_8859_6, WINDOWS_1256};

    const ARABIC: &str =
        "قال الرئيس الروسي فلاديمير بوتين إنه يسعى إلى إنهاء القتال بين أرمينيا وأذربيجان";

    fn decode_all(bytes: &[u8], encoding: &'static Encoding) -> (String, u64) {
        // A tiny reader forces many partial reads.
        struct Slow<'a>(&'a [u8]);
        impl Read for Slow<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(buf.len()).min(7);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut reader = DecodeReader::new(Slow(bytes), encoding);
        let replaced = reader.replaced();
        let mut out = String::new();
        reader.read_to_string(&mut out).unwrap();
        (out, replaced.get())
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(detect(ARABIC.as_bytes(), true, || None), Ok(Detected::Utf8));
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), ARABIC.as_bytes()].concat();
        assert_eq!(detect(&with_bom, true, || None), Ok(Detected::Utf8));
        // A character cut by the end of an incomplete sample is fine.
        let cut = &ARABIC.as_bytes()[..ARABIC.len() - 1];
        assert_eq!(detect(cut, false, || None), Ok(Detected::Utf8));
    }

    #[test]
    fn utf16_with_bom() {
        for (encoding, bom) in [(UTF_16LE, b"\xFF\xFE"), (UTF_16BE, b"\xFE\xFF")] {
            let mut bytes = bom.to_vec();
            for unit in ARABIC.encode_utf16() {
                let pair = if encoding == UTF_16LE {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                };
                bytes.extend_from_slice(&pair);
            }
            assert_eq!(
                detect(&bytes, true, || None),
                Ok(Detected::Other(encoding)),
                "{}",
                encoding.name()
            );
            assert_eq!(decode_all(&bytes, encoding), (ARABIC.to_string(), 0));
        }
    }

    #[test]
    fn legacy_arabic_code_pages() {
        let text = ARABIC.repeat(3);
        for encoding in [WINDOWS_1256, ISO_8859_6] {
            let (bytes, _, unmappable) = encoding.encode(&text);
            assert!(!unmappable);
            let detected = detect(&bytes, true, || None).unwrap();
            let (decoded, replaced) = decode_all(&bytes, detected.encoding());
            assert_eq!(decoded, text, "{}", encoding.name());
            assert_eq!(replaced, 0);
        }
    }

    #[test]
    fn junk_is_refused_with_a_reason() {
        let err = detect(&[0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28], true, || None).unwrap_err();
        assert!(err.reason().contains("UTF-8"), "{err:?}");
        let err = detect(b"abc\0\x01\x02", true, || None).unwrap_err();
        assert!(matches!(err, Undecodable::Binary(_)), "{err:?}");
        let err = detect(&[0x41, 0xc3, 0x28, 0x80, 0x81], true, || None).unwrap_err();
        assert!(err.reason().contains("--encoding"), "{err:?}");
        // A stray byte in a long UTF-8 text does not make it another encoding.
        let mut text = ARABIC.repeat(3).into_bytes();
        text.insert(40, 0xff);
        assert_eq!(detect(&text, true, || None), Ok(Detected::Utf8));
        // Nor in a short one (a news flash of a line or two).
        let mut flash = "عاجل: زلزال بقوة 6 درجات يضرب جنوب تركيا"
            .as_bytes()
            .to_vec();
        flash.insert(11, 0xff);
        flash.insert(30, 0xfe);
        assert!(flash.len() < 100);
        assert_eq!(detect(&flash, true, || None), Ok(Detected::Utf8));
    }

    #[test]
    fn utf16_without_bom() {
        for (encoding, bytes) in [
            (UTF_16LE, utf16(ARABIC, u16::to_le_bytes)),
            (UTF_16BE, utf16(ARABIC, u16::to_be_bytes)),
        ] {
            assert_eq!(detect(&bytes, true, || None), Ok(Detected::Other(encoding)));
            assert_eq!(decode_all(&bytes, encoding), (ARABIC.to_string(), 0));
            // Cut anywhere by the sample's end.
            assert_eq!(
                detect(&bytes[..bytes.len() - 3], false, || None),
                Ok(Detected::Other(encoding))
            );
        }
        // Binary data with NULs in one column is still binary.
        let units: Vec<u8> = (0..200u8).flat_map(|i| [i % 7, 0]).collect();
        assert!(matches!(
            detect(&units, true, || None),
            Err(Undecodable::Binary(_))
        ));
    }

    fn utf16(text: &str, bytes: fn(u16) -> [u8; 2]) -> Vec<u8> {
        text.encode_utf16().flat_map(bytes).collect()
    }

    #[test]
    fn labels() {
        assert_eq!(for_label("cp1256"), Ok(WINDOWS_1256));
        assert_eq!(for_label("ISO-8859-6"), Ok(ISO_8859_6));
        assert!(for_label("klingon").is_err());
    }

    #[test]
    fn malformed_utf8_is_replaced_and_counted() {
        let (text, replaced) = decode_all(b"ab\xffcd", UTF_8);
        assert_eq!(text, "ab\u{FFFD}cd");
        assert!(replaced > 0);
    }
}
