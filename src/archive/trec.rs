//! TREC-like SGML/XML: `<DOC><DOCNO>…</DOCNO><TITLE>…</TITLE><TEXT>…</TEXT></DOC>`.
//!
//! Real collections are rarely well-formed XML (raw `&` and `<` in URLs and
//! text, unknown tags, files holding many documents), so this reader looks
//! for the tags it knows instead of parsing XML strictly.

use std::path::Path;

use super::{date, non_empty, Article, Format, RecordError, Records, SourceFile};

/// Reader for TREC-style `<DOC>` files (ANT, TREC, CLEF).
pub struct Trec;

impl Format for Trec {
    fn name(&self) -> &'static str {
        "trec"
    }

    fn accepts(&self, _path: &Path, head: &str) -> bool {
        head.trim_start().starts_with("<DOC>") || head.trim_start().starts_with("<DOC ")
    }

    fn read(&self, file: &SourceFile) -> Records {
        let mut records = Vec::new();
        let mut rest = file.text;
        let mut number = 0;
        while let Some(start) = find_open(rest, "DOC") {
            number += 1;
            let after_open = &rest[start..];
            let Some(end) = after_open.find("</DOC>") else {
                records.push(Err(RecordError {
                    record: number,
                    reason: "unterminated <DOC> (no </DOC>; is the file truncated?)".into(),
                }));
                break;
            };
            let doc = &after_open[..end];
            records.push(parse_doc(doc, number, file.rel_path));
            rest = &after_open[end + "</DOC>".len()..];
        }
        if number == 0 {
            records.push(Err(RecordError {
                record: 1,
                reason: "no <DOC> element found".into(),
            }));
        }
        records
    }
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

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    haystack
        .as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn first_element(doc: &str, tags: &[&str]) -> Option<String> {
    tags.iter().find_map(|t| element(doc, t))
}

fn parse_doc(doc: &str, number: usize, rel_path: &str) -> Result<Article, RecordError> {
    // A headline without text (a photo or video page) is still an article.
    let title = first_element(doc, &["TITLE", "HEADLINE", "HL"]);
    let body = first_element(doc, &["TEXT", "BODY", "ABSTRACT"]).unwrap_or_default();
    if body.is_empty() && title.is_none() {
        return Err(RecordError {
            record: number,
            reason: "document has neither <TEXT> (or <BODY>/<ABSTRACT>) nor <TITLE> content".into(),
        });
    }
    let id = first_element(doc, &["DOCNO", "DOCID", "ID"])
        .unwrap_or_else(|| format!("{rel_path}#{number}"));
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
        url: element(doc, "URL"),
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

    fn read(text: &str) -> Records {
        Trec.read(&SourceFile {
            rel_path: "a/b.txt",
            text,
        })
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
    fn id_falls_back_to_path_and_record_number() {
        let records = read("<DOC><TEXT>نص</TEXT></DOC>");
        assert_eq!(records[0].as_ref().unwrap().id, "a/b.txt#1");
    }
}
