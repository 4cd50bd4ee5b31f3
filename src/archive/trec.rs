//! TREC-like SGML/XML: `<DOC><DOCNO>…</DOCNO><TITLE>…</TITLE><TEXT>…</TEXT></DOC>`.
//!
//! Real collections are rarely well-formed XML (raw `&` and `<` in URLs and
//! text, unknown tags, files holding many documents), so this reader looks
//! for the tags it knows instead of parsing XML strictly.

use std::path::Path;

use super::input::{too_long, ReadOutcome};
use super::{date, fallback_id, non_empty, Article, Format, Input, Problem, Record, RecordError};

/// Reader for TREC-style `<DOC>` files (ANT, TREC, CLEF).
pub struct Trec;

impl Format for Trec {
    fn name(&self) -> &'static str {
        "trec"
    }

    fn accepts(&self, _path: &Path, head: &str) -> bool {
        let head = head.trim_start_matches('\u{FEFF}').trim_start();
        // An XML declaration or a wrapping root element may come first.
        head.starts_with('<') && find_open(&head[..floor_boundary(head, 4096)], "DOC").is_some()
    }

    fn read(&self, input: &mut Input, emit: &mut dyn FnMut(Record)) {
        let cap = input.max_record();
        let mut line = String::new();
        // Text from just after the current `<DOC>` tag (or, between
        // documents, the unread rest of the current line).
        let mut pending = String::new();
        let mut number = 0;
        let mut in_doc = false;
        // Bytes of an over-long document being skipped to its `</DOC>`.
        let mut skipping: Option<u64> = None;
        // Where to resume looking for `</DOC>` in `pending`.
        let mut searched: usize = 0;
        loop {
            match input.read_line(&mut line) {
                Err(e) => {
                    emit(Err(RecordError::new(
                        number.max(1),
                        Problem::Truncated,
                        format!("cannot read past document {number}: {e}"),
                    )));
                    return;
                }
                Ok(ReadOutcome::End) => break,
                Ok(ReadOutcome::TooLong(n)) => {
                    if in_doc {
                        skipping = Some(skipping.unwrap_or(pending.len() as u64) + n);
                        pending.clear();
                        searched = 0;
                    }
                    continue;
                }
                Ok(ReadOutcome::Complete) => {}
            }
            if let Some(skipped) = skipping.as_mut() {
                match find_ascii_ci(&line, "</DOC>") {
                    None => {
                        *skipped += line.len() as u64 + 1;
                        continue;
                    }
                    Some(end) => {
                        emit(Err(RecordError::new(
                            number,
                            Problem::TooLarge,
                            too_long("document", *skipped + end as u64, cap),
                        )));
                        skipping = None;
                        in_doc = false;
                        pending.clear();
                        pending.push_str(&line[end + "</DOC>".len()..]);
                        pending.push('\n');
                        searched = 0;
                    }
                }
            } else {
                pending.push_str(&line);
                pending.push('\n');
            }
            loop {
                if !in_doc {
                    match find_open(&pending, "DOC") {
                        Some(start) => {
                            pending.drain(..start);
                            in_doc = true;
                            number += 1;
                            searched = 0;
                        }
                        None => {
                            pending.clear();
                            break;
                        }
                    }
                }
                let from = floor_boundary(&pending, searched.saturating_sub(8));
                match find_ascii_ci(&pending[from..], "</DOC>") {
                    Some(i) => {
                        let end = from + i;
                        emit(parse_doc(&pending[..end], number, input.rel_path));
                        pending.drain(..end + "</DOC>".len());
                        in_doc = false;
                    }
                    None => {
                        searched = pending.len();
                        if pending.len() > cap {
                            skipping = Some(pending.len() as u64);
                            pending.clear();
                            searched = 0;
                        }
                        break;
                    }
                }
            }
        }
        if in_doc {
            emit(Err(RecordError::new(
                number,
                Problem::Truncated,
                "unterminated <DOC> (no </DOC>; is the file truncated?)",
            )));
        }
        if number == 0 {
            emit(Err(RecordError::new(
                1,
                Problem::Malformed,
                "no <DOC> element found",
            )));
        }
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Byte offset just after `<TAG>` or `<TAG attr…>` in `text`.
fn find_open(text: &str, tag: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find('<') {
        let at = from + i + 1;
        let rest = &text[at..];
        if rest.len() > tag.len()
            && rest.as_bytes()[..tag.len()].eq_ignore_ascii_case(tag.as_bytes())
            && matches!(
                rest.as_bytes()[tag.len()],
                b'>' | b' ' | b'\t' | b'\n' | b'\r'
            )
        {
            let close = rest.find('>')?;
            return Some(at + close + 1);
        }
        from = at;
    }
    None
}

/// The content of the first `<TAG>…</TAG>` in `doc`, entity-decoded.
fn element(doc: &str, tag: &str) -> Option<String> {
    let start = find_open(doc, tag)?;
    let rest = &doc[start..];
    let close = format!("</{tag}>");
    let end = find_ascii_ci(rest, &close).unwrap_or(rest.len());
    non_empty(&unescape(rest[..end].trim()))
}

/// Byte offset of `needle` (which starts with `<`) in `haystack`, ignoring ASCII case.
fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    memchr::memchr_iter(needle[0], hay).find(|&i| {
        hay.len() - i >= needle.len() && hay[i..i + needle.len()].eq_ignore_ascii_case(needle)
    })
}

fn first_element(doc: &str, tags: &[&str]) -> Option<String> {
    tags.iter().find_map(|t| element(doc, t))
}

fn parse_doc(doc: &str, number: usize, rel_path: &str) -> Record {
    // A headline without text (a photo or video page) is still an article.
    let title = first_element(doc, &["TITLE", "HEADLINE", "HL"]);
    let body = first_element(doc, &["TEXT", "BODY", "ABSTRACT"]).unwrap_or_default();
    if body.is_empty() && title.is_none() {
        return Err(RecordError::new(
            number,
            Problem::NoText,
            "document has neither <TEXT> (or <BODY>/<ABSTRACT>) nor <TITLE> content",
        ));
    }
    let url = element(doc, "URL");
    let id = first_element(doc, &["DOCNO", "DOCID", "ID"])
        .or_else(|| url.clone())
        .unwrap_or_else(|| fallback_id(rel_path, number));
    let date = first_element(doc, &["TIME", "DATE", "DATELINE", "DD"])
        .and_then(|d| date::parse(&d))
        .or_else(|| date::find_in_text(&body));
    Ok(Article {
        id,
        title,
        body,
        date,
        source: first_element(doc, &["SRC", "SOURCE"]),
        category: first_element(doc, &["CAT", "CATEGORY"]),
        url,
        author: element(doc, "AUTHOR"),
        path: rel_path.to_string(),
    })
}

/// Decodes the XML character entities that appear in news collections.
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let entity_end = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';');
        let decoded = entity_end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{A0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Record> {
        crate::archive::test_support::read_with(&Trec, "a/b.txt", text.as_bytes())
    }

    #[test]
    fn reads_an_ant_document() {
        let text = "<DOC>\n<DOCNO>AL-1</DOCNO>\n<URL>http://x/a&b</URL>\n<SRC>alarabia</SRC>\n<CAT>culture</CAT>\n<TITLE>عنوان &amp; خبر</TITLE>\n<TIME>Sun, 18 Feb 2018 21:35:43 +0400</TIME>\n<AUTHOR>القاهرة</AUTHOR>\n<TEXT>\nنص الخبر\n</TEXT>\n</DOC>\n";
        let records = read(text);
        assert_eq!(records.len(), 1);
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.id, "AL-1");
        assert_eq!(a.title.as_deref(), Some("عنوان & خبر"));
        assert_eq!(a.url.as_deref(), Some("http://x/a&b"));
        assert_eq!(a.body, "نص الخبر");
        assert_eq!(a.source.as_deref(), Some("alarabia"));
        assert_eq!(
            a.date.unwrap().into_utc().to_string(),
            "2018-02-18 17:35:43.0 +00:00:00"
        );
    }

    #[test]
    fn reads_many_documents_and_reports_bad_ones() {
        let text = "<DOC><DOCNO>1</DOCNO><TEXT>أ</TEXT></DOC>\n<DOC><DOCNO>2</DOCNO><TEXT> </TEXT></DOC>\n<DOC><DOCNO>3</DOCNO><TEXT>ج</TEXT></DOC><DOC><DOCNO>4</DOCNO><TEXT>د";
        let records = read(text);
        assert_eq!(records.len(), 4);
        assert!(records[0].is_ok());
        assert_eq!(records[1].as_ref().unwrap_err().record, 2);
        assert!(records[2].is_ok());
        assert!(records[3]
            .as_ref()
            .unwrap_err()
            .reason
            .contains("unterminated"));
    }

    #[test]
    fn stray_ampersands_and_angle_brackets_in_arabic_text() {
        let text = "<DOC><DOCNO>1</DOCNO><TITLE>&Gabbana من &#x41; &T، <ب></TITLE><TEXT>نص &amp;&</TEXT></DOC>";
        let a = read(text).remove(0).unwrap();
        assert_eq!(a.title.as_deref(), Some("&Gabbana من A &T، <ب>"));
        assert_eq!(a.body, "نص &&");
        // Every prefix of a document parses without panicking.
        for end in (0..text.len()).filter(|i| text.is_char_boundary(*i)) {
            let _ = read(&text[..end]);
        }
    }

    #[test]
    fn a_title_without_text_is_still_an_article() {
        let a = read("<DOC><DOCNO>7</DOCNO><TITLE>مونديال 2018</TITLE><TEXT>\n</TEXT></DOC>")
            .remove(0)
            .unwrap();
        assert_eq!(a.title.as_deref(), Some("مونديال 2018"));
        assert_eq!(a.body, "");
    }

    #[test]
    fn oversized_documents_are_skipped_and_the_next_read() {
        let line = "كلمة ".repeat(20);
        let many_lines = format!("{line}\n").repeat(30);
        let text = format!(
            "<DOC><DOCNO>1</DOCNO><TEXT>\n{many_lines}</TEXT></DOC>\n<DOC><DOCNO>2</DOCNO><TEXT>نص</TEXT></DOC>\n\
             <DOC><DOCNO>3</DOCNO><TEXT>\n{}\n</TEXT></DOC>\n<DOC><DOCNO>4</DOCNO><TEXT>نص</TEXT></DOC>\n",
            "ب".repeat(2000)
        );
        let records =
            crate::archive::test_support::read_with_cap(&Trec, "a.xml", text.as_bytes(), 1000);
        assert_eq!(records.len(), 4, "{records:?}");
        assert_eq!(records[0].as_ref().unwrap_err().kind, Problem::TooLarge);
        assert_eq!(records[1].as_ref().unwrap().id, "2");
        assert_eq!(records[2].as_ref().unwrap_err().kind, Problem::TooLarge);
        assert_eq!(records[3].as_ref().unwrap().id, "4");
    }

    #[test]
    fn id_falls_back_to_url_then_path_and_record_number() {
        let records =
            read("<DOC><TEXT>نص</TEXT></DOC><DOC><URL>http://x/2</URL><TEXT>نص</TEXT></DOC>");
        assert_eq!(records[0].as_ref().unwrap().id, "a/b.txt#1");
        assert_eq!(records[1].as_ref().unwrap().id, "http://x/2");
    }
}
