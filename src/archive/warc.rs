//! WARC web archives (`.warc`, `.warc.gz`): each HTML response record
//! (or resource record of an HTML page) is one article, read by the HTML reader, with the record's target URI as
//! its id and URL and the WARC date as the date of last resort.
//!
//! Requests, metadata, and responses that are not successful HTML pages
//! (images, scripts, redirects) are not articles and are passed over.

use std::io::{self, BufRead, Read};
use std::path::Path;

use flate2::read::{GzDecoder, ZlibDecoder};

use super::encoding::{self, Detected};
use super::input::{declared_charset, too_long};
use super::{date, extension, html, Format, Input, Problem, Record, RecordError};

/// Reader for WARC files.
pub struct Warc;

/// The most header bytes a WARC or HTTP header block may have.
const MAX_HEADER_BYTES: usize = 256 * 1024;

impl Format for Warc {
    fn name(&self) -> &'static str {
        "warc"
    }

    fn accepts(&self, path: &Path, head: &str) -> bool {
        head.starts_with("WARC/") || extension(path) == "warc"
    }

    fn raw(&self) -> bool {
        true
    }

    fn read(&self, input: &mut Input, emit: &mut dyn FnMut(Record)) {
        let cap = input.max_record();
        let rel_path = input.rel_path.to_string();
        let reader = input.raw();
        let mut number = 0;
        let mut line = Vec::new();
        loop {
            // Find the next record's version line, skipping the blank lines
            // that end the previous record (or junk, which is reported).
            let mut junk = 0u64;
            let found = loop {
                match read_line(reader, &mut line, MAX_HEADER_BYTES) {
                    Err(e) => {
                        return emit(Err(RecordError::new(
                            number + 1,
                            Problem::Truncated,
                            format!("cannot read past WARC record {number}: {e}"),
                        )))
                    }
                    Ok(None) => break false,
                    Ok(Some(_)) if line.starts_with(b"WARC/") => break true,
                    Ok(Some(n)) => {
                        if !line.iter().all(u8::is_ascii_whitespace) {
                            junk += n as u64;
                        }
                    }
                }
            };
            if junk > 0 {
                emit(Err(RecordError::new(
                    number + 1,
                    Problem::Malformed,
                    format!("{junk} bytes that are not a WARC record were passed over"),
                )));
            }
            if !found {
                if number == 0 {
                    emit(Err(RecordError::new(
                        1,
                        Problem::Malformed,
                        "no WARC records found",
                    )));
                }
                return;
            }
            number += 1;
            let headers = match read_headers(reader, &mut line) {
                Ok(h) => h,
                Err(e) => {
                    return emit(Err(RecordError::new(
                        number,
                        Problem::Truncated,
                        format!("WARC record header is cut short: {e}"),
                    )))
                }
            };
            let Some(length) =
                header(&headers, "content-length").and_then(|l| l.parse::<u64>().ok())
            else {
                return emit(Err(RecordError::new(
                    number,
                    Problem::Malformed,
                    "WARC record without a valid Content-Length; the rest of the file cannot be read",
                )));
            };
            let kind = Block::of(&headers);
            let page_cap = html::max_page_bytes(cap);
            if kind.is_none() || length > page_cap as u64 {
                if kind.is_some() {
                    emit(Err(RecordError::new(
                        number,
                        Problem::TooLarge,
                        too_long("WARC page", length, page_cap),
                    )));
                }
                let read = io::copy(&mut reader.take(length), &mut io::sink());
                if let Some(error) = short_read(number, read, length) {
                    return emit(Err(error));
                }
                continue;
            }
            let mut payload = Vec::with_capacity(length as usize);
            let read = reader
                .take(length)
                .read_to_end(&mut payload)
                .map(|n| n as u64);
            if let Some(error) = short_read(number, read, length) {
                return emit(Err(error));
            }
            let uri = header(&headers, "warc-target-uri")
                .map(|u| u.trim_start_matches('<').trim_end_matches('>').to_string());
            let warc_date = header(&headers, "warc-date").and_then(date::parse);
            let page = Page {
                uri: uri.as_deref(),
                warc_date,
                rel_path: &rel_path,
                number,
            };
            let record = match kind {
                Some(Block::Http) => http_article(&payload, &page, page_cap),
                Some(Block::Html(content_type)) => {
                    Some(page.article(&payload, content_type.as_deref()))
                }
                None => None,
            };
            if let Some(record) = record {
                emit(record);
            }
        }
    }
}

/// What a WARC record holds that may be an article.
enum Block {
    /// A `response` record: an HTTP response.
    Http,
    /// A `resource` record of an HTML page (as browser-based crawlers and
    /// page savers write them): the page itself, without HTTP, with its
    /// content type.
    Html(Option<String>),
}

impl Block {
    fn of(headers: &[(String, String)]) -> Option<Block> {
        let kind = header(headers, "warc-type")?.to_ascii_lowercase();
        let content_type = header(headers, "content-type").map(str::to_ascii_lowercase);
        match (kind.as_str(), content_type) {
            ("response", Some(t)) if t.starts_with("application/http") => Some(Block::Http),
            ("resource", Some(t)) if t.contains("html") => Some(Block::Html(Some(t))),
            _ => None,
        }
    }
}

/// Where a page came from in the archive.
struct Page<'a> {
    uri: Option<&'a str>,
    warc_date: Option<tantivy::DateTime>,
    rel_path: &'a str,
    number: usize,
}

impl Page<'_> {
    /// The article in an HTML page's bytes, decoded by the charset of
    /// `content_type`, else of the page, else as detected.
    fn article(&self, body: &[u8], content_type: Option<&str>) -> Record {
        let declared = content_type
            .unwrap_or("")
            .split(';')
            .find_map(|p| p.trim().strip_prefix("charset="))
            .and_then(|l| encoding_rs::Encoding::for_label(l.trim_matches('"').as_bytes()))
            .or_else(|| declared_charset(body));
        let text = match declared {
            Some(e) => e.decode_with_bom_removal(body).0.into_owned(),
            None => match encoding::detect(body, true, || None) {
                Ok(Detected::Utf8) => String::from_utf8_lossy(body).into_owned(),
                Ok(Detected::Other(e)) => e.decode_with_bom_removal(body).0.into_owned(),
                Err(e) => {
                    return Err(RecordError::new(
                        self.number,
                        Problem::Encoding,
                        e.reason().to_string(),
                    ))
                }
            },
        };
        html::extract(&text, self.rel_path, self.uri, self.warc_date, self.number)
    }
}

/// The article in an HTTP response, or `None` when the response is not a
/// successful HTML page.
fn http_article(payload: &[u8], page: &Page, cap: usize) -> Option<Record> {
    let number = page.number;
    let error = |kind, reason: String| Some(Err(RecordError::new(number, kind, reason)));
    let split = memchr::memmem::find(payload, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| memchr::memmem::find(payload, b"\n\n").map(|i| (i, i + 2)));
    let Some((head_end, body_start)) = split else {
        return error(
            Problem::Malformed,
            "HTTP response without a header block".into(),
        );
    };
    let head = String::from_utf8_lossy(&payload[..head_end]);
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("");
    let code: u16 = status
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    if !(200..300).contains(&code) {
        return None;
    }
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let content_type = header(&headers, "content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if !content_type.contains("html") {
        return None;
    }
    let mut body = payload[body_start..].to_vec();
    if header(&headers, "transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        match dechunk(&body) {
            Some(b) => body = b,
            None => return error(Problem::Malformed, "bad chunked transfer encoding".into()),
        }
    }
    if let Some(coding) = header(&headers, "content-encoding").map(str::to_ascii_lowercase) {
        let decoded = match coding.as_str() {
            "gzip" | "x-gzip" => inflate(GzDecoder::new(&body[..]), cap),
            "deflate" => inflate(ZlibDecoder::new(&body[..]), cap),
            "identity" | "" => Ok(body.clone()),
            other => {
                return error(
                    Problem::Unsupported,
                    format!("HTTP content encoding `{other}` is not supported"),
                )
            }
        };
        match decoded {
            Ok(b) => body = b,
            Err(e) => {
                return error(
                    Problem::Truncated,
                    format!("cannot decode {coding} content: {e}"),
                )
            }
        }
    }
    Some(page.article(&body, Some(&content_type)))
}

fn inflate(mut decoder: impl Read, cap: usize) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    decoder
        .by_ref()
        .take(cap as u64 + 1)
        .read_to_end(&mut out)?;
    if out.len() > cap {
        return Err(io::Error::other("decompressed page is over the size limit"));
    }
    Ok(out)
}

/// Undoes HTTP chunked transfer encoding.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let line_end = memchr::memchr(b'\n', data)?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?.trim();
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        data = &data[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = &data[size..];
        data = data
            .strip_prefix(b"\r\n")
            .or_else(|| data.strip_prefix(b"\n"))
            .unwrap_or(data);
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Reads `Name: value` lines up to a blank line.
fn read_headers(reader: &mut dyn BufRead, line: &mut Vec<u8>) -> io::Result<Vec<(String, String)>> {
    let mut headers = Vec::new();
    let mut total = 0;
    loop {
        match read_line(reader, line, MAX_HEADER_BYTES)? {
            None => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "end of file in the header",
                ))
            }
            Some(n) => total += n,
        }
        if total > MAX_HEADER_BYTES {
            return Err(io::Error::other("header block over 256 KB"));
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(headers);
        }
        let text = String::from_utf8_lossy(line);
        if let Some((k, v)) = text.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
}

/// Reads one line (without its line break) into `line`, keeping at most
/// `cap` bytes; returns the bytes consumed, or `None` at the end.
fn read_line(
    reader: &mut dyn BufRead,
    line: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<usize>> {
    line.clear();
    let mut consumed = 0;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok((consumed > 0).then_some(consumed));
        }
        let (chunk, used, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..i], i + 1, true),
            None => (buf, buf.len(), false),
        };
        let room = cap.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        reader.consume(used);
        consumed += used;
        if done {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(Some(consumed));
        }
    }
}

/// The error of record `number` when reading its `length` bytes of content
/// gave `read`: none when they were all there.
fn short_read(number: usize, read: io::Result<u64>, length: u64) -> Option<RecordError> {
    match read {
        Ok(n) if n == length => None,
        Ok(_) => Some(RecordError::new(
            number,
            Problem::Truncated,
            "the file ends inside this WARC record (is it truncated?)",
        )),
        Err(e) => Some(RecordError::new(
            number,
            Problem::Truncated,
            format!("cannot read WARC record: {e}"),
        )),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::archive::test_support::read_with;
    use std::io::Write;

    /// One WARC record.
    pub fn record(kind: &str, uri: &str, date: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\nWARC-Record-ID: <urn:uuid:{}>\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            uri.len(),
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    /// An HTTP response block.
    pub fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
        out.extend_from_slice(body);
        out
    }

    pub fn sample_warc() -> Vec<u8> {
        let page = "<html><head><title>خبر من الأرشيف</title></head><body><article><p>نص الخبر عن باكو.</p></article></body></html>";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all("<html><body><p>صفحة مضغوطة عن يريفان.</p></body></html>".as_bytes())
            .unwrap();
        let gzipped = gz.finish().unwrap();
        let mut chunked = Vec::new();
        for part in ["<html><body><p>", "نص مقسم.</p></body></html>"] {
            chunked.extend_from_slice(format!("{:x}\r\n{part}\r\n", part.len()).as_bytes());
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        [
            record(
                "warcinfo",
                "",
                "2022-09-13T10:00:00Z",
                "application/warc-fields",
                b"software: test\r\n",
            ),
            record(
                "request",
                "https://news.example/a",
                "2022-09-13T10:00:00Z",
                "application/http; msgtype=request",
                b"GET /a HTTP/1.1\r\n\r\n",
            ),
            record(
                "response",
                "https://news.example/a",
                "2022-09-13T10:00:00Z",
                "application/http; msgtype=response",
                &http(
                    "200 OK",
                    "Content-Type: text/html; charset=utf-8\r\n",
                    page.as_bytes(),
                ),
            ),
            record(
                "response",
                "https://news.example/logo.png",
                "2022-09-13T10:00:01Z",
                "application/http; msgtype=response",
                &http("200 OK", "Content-Type: image/png\r\n", b"\x89PNG\0\0"),
            ),
            record(
                "response",
                "https://news.example/old",
                "2022-09-13T10:00:02Z",
                "application/http; msgtype=response",
                &http("301 Moved", "Location: /a\r\n", b""),
            ),
            record(
                "response",
                "https://news.example/gz",
                "2022-09-14T11:00:00Z",
                "application/http; msgtype=response",
                &http(
                    "200 OK",
                    "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
                    &gzipped,
                ),
            ),
            record(
                "response",
                "https://news.example/chunked",
                "2022-09-15T12:00:00Z",
                "application/http; msgtype=response",
                &http(
                    "200 OK",
                    "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
                    &chunked,
                ),
            ),
        ]
        .concat()
    }

    #[test]
    fn html_responses_become_articles() {
        let records = read_with(&Warc, "crawl.warc", &sample_warc());
        let articles: Vec<_> = records.iter().map(|r| r.as_ref().unwrap()).collect();
        assert_eq!(articles.len(), 3, "{records:?}");
        assert_eq!(articles[0].id, "https://news.example/a");
        assert_eq!(articles[0].url.as_deref(), Some("https://news.example/a"));
        assert_eq!(articles[0].title.as_deref(), Some("خبر من الأرشيف"));
        assert_eq!(articles[0].body, "نص الخبر عن باكو.");
        assert_eq!(
            date::format(articles[0].date.unwrap()),
            "2022-09-13T10:00:00Z"
        );
        assert_eq!(articles[1].body, "صفحة مضغوطة عن يريفان.");
        assert_eq!(articles[2].body, "نص مقسم.");
    }

    #[test]
    fn html_resource_records_are_pages() {
        let page = "<html><head><title>صفحة محفوظة</title></head><body><article><p>نص محفوظ عن الدوحة.</p></article></body></html>";
        let warc = [
            record(
                "resource",
                "https://news.example/saved",
                "2023-01-02T03:04:05Z",
                "text/html; charset=windows-1256",
                &encoding_rs::WINDOWS_1256.encode(page).0,
            ),
            record(
                "resource",
                "https://news.example/logo.png",
                "2023-01-02T03:04:05Z",
                "image/png",
                b"\x89PNG\0\0",
            ),
        ]
        .concat();
        let records = read_with(&Warc, "saved.warc", &warc);
        assert_eq!(records.len(), 1, "{records:?}");
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.id, "https://news.example/saved");
        assert_eq!(a.title.as_deref(), Some("صفحة محفوظة"));
        assert_eq!(a.body, "نص محفوظ عن الدوحة.");
        assert_eq!(date::format(a.date.unwrap()), "2023-01-02T03:04:05Z");
    }

    #[test]
    fn a_truncated_warc_keeps_the_records_before_the_cut() {
        let warc = sample_warc();
        let cut = &warc[..warc.len() - 40];
        let records = read_with(&Warc, "crawl.warc", cut);
        assert_eq!(records.iter().filter(|r| r.is_ok()).count(), 2);
        let e = records.last().unwrap().as_ref().unwrap_err();
        assert_eq!(e.kind, Problem::Truncated);
    }
}
