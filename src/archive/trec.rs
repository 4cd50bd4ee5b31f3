//! TREC-like SGML/XML: `<DOC><DOCNO>…</DOCNO><TITLE>…</TITLE><TEXT>…</TEXT></DOC>`.
//!
//! Real collections are rarely well-formed XML (raw `&` and `<` in URLs and
//! text, unknown tags, files holding many documents), so this reader looks
//! for the tags it knows instead of parsing XML strictly.

use std::path::Path;

use super::input::{too_long, ReadOutcome};
use super::markup::{attribute, text_of};
use super::{
    date, fallback_id, non_empty, Article, Format, Input, Problem, Record, RecordError, Warning,
};

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
        // The current document's `<DOC …>` tag, for its attributes.
        let mut doc_tag = String::new();
        let mut number = 0;
        let mut in_doc = false;
        // Bytes of an over-long document being skipped to its end.
        let mut skipping: Option<u64> = None;
        // Where to resume looking for the document's end in `pending`.
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
                match doc_end(&line) {
                    None => {
                        *skipped += line.len() as u64 + 1;
                        continue;
                    }
                    Some(end) => {
                        let mut reason = too_long("document", *skipped + end.at as u64, cap);
                        if !end.closed {
                            reason.push_str(UNTERMINATED_BEFORE_NEXT);
                        }
                        emit(Err(RecordError::new(number, Problem::TooLarge, reason)));
                        skipping = None;
                        in_doc = false;
                        pending.clear();
                        pending.push_str(&line[end.resume..]);
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
                            let tag_start = find_tag_start(&pending, "DOC").unwrap_or(0);
                            doc_tag.clear();
                            doc_tag.push_str(&pending[tag_start..start]);
                            pending.drain(..start);
                            in_doc = true;
                            number += 1;
                            searched = 0;
                        }
                        None => {
                            // Keep a `<DOC` whose `>` is on a later line.
                            let keep = find_tag_start(&pending, "DOC")
                                .filter(|&at| pending.len() - at < 4096)
                                .unwrap_or(pending.len());
                            pending.drain(..keep);
                            break;
                        }
                    }
                }
                let from = floor_boundary(&pending, searched.saturating_sub(8));
                match doc_end(&pending[from..]) {
                    Some(end) => {
                        let at = from + end.at;
                        let record = parse_doc(&doc_tag, &pending[..at], number, input.rel_path);
                        emit(if end.closed {
                            record
                        } else {
                            unterminated(record, number)
                        });
                        pending.drain(..from + end.resume);
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

/// Said of a document whose `</DOC>` is missing, the next `<DOC>` ending it.
const UNTERMINATED_BEFORE_NEXT: &str =
    " (unterminated <DOC>: the next <DOC> starts before its </DOC>)";

/// Where a document's text ends: at its `</DOC>`, or, when that is missing,
/// where the next `<DOC>` starts (so that one lost end tag costs one
/// document a caveat, not the next document its existence).
struct DocEnd {
    /// Byte offset of the end of the document's text.
    at: usize,
    /// Byte offset of what comes after the document.
    resume: usize,
    /// Whether the document had its `</DOC>`.
    closed: bool,
}

fn doc_end(text: &str) -> Option<DocEnd> {
    let close = find_ascii_ci(text, "</DOC>");
    let next = find_tag_start(&text[..close.unwrap_or(text.len())], "DOC");
    match (close, next) {
        (_, Some(at)) => Some(DocEnd {
            at,
            resume: at,
            closed: false,
        }),
        (Some(at), None) => Some(DocEnd {
            at,
            resume: at + "</DOC>".len(),
            closed: true,
        }),
        (None, None) => None,
    }
}

/// A document cut short by the next `<DOC>`: what was readable of it is
/// kept, with a warning; with nothing readable it is reported as malformed.
fn unterminated(record: Record, number: usize) -> Record {
    let reason = UNTERMINATED_BEFORE_NEXT.trim_start();
    match record {
        Ok(mut article) => {
            article.warnings.push(Warning {
                kind: Problem::Malformed,
                reason: format!("{reason}; what came before it was indexed"),
            });
            Ok(article)
        }
        Err(e) => Err(RecordError::new(
            number,
            Problem::Malformed,
            format!("{reason}; {}", e.reason),
        )),
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
    let start = find_tag_start(text, tag)?;
    let close = text[start..].find('>')?;
    Some(start + close + 1)
}

/// Byte offset of the `<` of the first `<TAG>` or `<TAG attr…` in `text`,
/// its `>` read or not.
fn find_tag_start(text: &str, tag: &str) -> Option<usize> {
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
            return Some(at - 1);
        }
        from = at;
    }
    None
}

/// The content of the first `<TAG>…</TAG>` in `doc`, without the markup
/// inside it (`<P>` paragraphs become lines), entity-decoded.
fn element(doc: &str, tag: &str) -> Option<String> {
    let start = find_open(doc, tag)?;
    let rest = &doc[start..];
    let close = format!("</{tag}>");
    let end = find_ascii_ci(rest, &close).unwrap_or(rest.len());
    non_empty(&content(rest[..end].trim()))
}

/// An element's text: markup stripped and entities decoded, except in
/// CDATA sections, which hold their text as it is (`<![CDATA[…]]>`, as
/// XML exports wrap text with markup or ampersands in it).
fn content(raw: &str) -> String {
    const OPEN: &str = "<![CDATA[";
    let Some(start) = raw.find(OPEN) else {
        return text_of(raw).into_owned();
    };
    let inside = &raw[start + OPEN.len()..];
    let (cdata, after) = match inside.find("]]>") {
        Some(end) => (&inside[..end], &inside[end + 3..]),
        None => (inside, ""),
    };
    [
        text_of(&raw[..start]).into_owned(),
        cdata.trim().to_string(),
        content(after),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
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

/// The article in one document: `doc_tag` is its `<DOC …>` tag, `doc`
/// what follows it up to its end.
fn parse_doc(doc_tag: &str, doc: &str, number: usize, rel_path: &str) -> Record {
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
    // Gigaword names its documents in the tag: `<DOC id="AFP_ARB_…">`.
    let id = first_element(doc, &["DOCNO", "DOCID", "ID"])
        .or_else(|| attribute(doc_tag, "id"))
        .or_else(|| url.clone())
        .unwrap_or_else(|| fallback_id(rel_path, number));
    // A dateline (`القاهرة 1-1 (اف ب) -`) is a place and a date in words, not
    // a date value: that it is not understood is no news.
    let (date, date_warning) = match first_element(doc, &["TIME", "DATE", "DD"]) {
        Some(value) => date::of_record(Some(&value), &body),
        None => (
            element(doc, "DATELINE")
                .and_then(|d| date::parse(&d))
                .or_else(|| date::find_in_text(&body)),
            None,
        ),
    };
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
        record: number,
        warnings: date_warning.into_iter().collect(),
    })
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
    fn cdata_sections_and_html_entities() {
        let text = "<DOC><DOCNO>E1</DOCNO><TITLE><![CDATA[شركة AT&T <تعلن>]]></TITLE>\
                    <TEXT><P>قبل &hellip;</P><![CDATA[نص <b>داخل</b> & خارج]]> وبعده &laquo;اقتباس&raquo;</TEXT></DOC>";
        let records = read(text);
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.title.as_deref(), Some("شركة AT&T <تعلن>"));
        assert_eq!(a.body, "قبل … نص <b>داخل</b> & خارج وبعده «اقتباس»");
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
    fn a_missing_end_tag_costs_one_document_a_warning_not_the_next_document() {
        let text = "<DOC><DOCNO>t1</DOCNO><TEXT>أ</TEXT></DOC>\n\
                    <DOC><DOCNO>t2</DOCNO><TITLE>عنوان</TITLE><TEXT>نص zqt2\n\
                    <DOC><DOCNO>t3</DOCNO><TEXT>نص zqt3</TEXT></DOC>\n\
                    <DOC><DOCNO>t4</DOCNO><TEXT>ب</TEXT>\n\
                    <DOC id=\"x\"><DOCNO>t5</DOCNO><TEXT>ج</TEXT></DOC>\n\
                    <DOC><DOCNO>t6</DOCNO></TEXT>\n<DOC><DOCNO>t7</DOCNO><TEXT>د</TEXT></DOC>";
        let records = read(text);
        assert_eq!(records.len(), 7, "{records:?}");
        let ok = |i: usize| records[i].as_ref().unwrap();
        assert_eq!(ok(0).id, "t1");
        assert!(ok(0).warnings.is_empty());
        assert_eq!((ok(1).id.as_str(), ok(1).body.as_str()), ("t2", "نص zqt2"));
        assert_eq!(ok(1).record, 2);
        assert_eq!(ok(1).warnings.len(), 1);
        assert!(ok(1).warnings[0].reason.contains("unterminated <DOC>"));
        assert_eq!((ok(2).id.as_str(), ok(2).body.as_str()), ("t3", "نص zqt3"));
        assert!(ok(2).warnings.is_empty());
        assert_eq!((ok(3).id.as_str(), ok(3).warnings.len()), ("t4", 1));
        assert_eq!((ok(4).id.as_str(), ok(4).body.as_str()), ("t5", "ج"));
        // Nothing readable before the next document: reported, not indexed.
        let e = records[5].as_ref().unwrap_err();
        assert_eq!((e.record, e.kind), (6, Problem::Malformed));
        assert!(e.reason.contains("unterminated"), "{}", e.reason);
        assert_eq!(ok(6).id, "t7");
    }

    #[test]
    fn an_oversized_document_without_end_tag_ends_at_the_next_one() {
        let lines = format!("{}\n", "كلمة ".repeat(20)).repeat(30);
        let text = format!(
            "<DOC><DOCNO>1</DOCNO><TEXT>\n{lines}<DOC><DOCNO>2</DOCNO><TEXT>نص</TEXT></DOC>\n"
        );
        let records =
            crate::archive::test_support::read_with_cap(&Trec, "a.xml", text.as_bytes(), 1000);
        assert_eq!(records.len(), 2, "{records:?}");
        let e = records[0].as_ref().unwrap_err();
        assert_eq!(e.kind, Problem::TooLarge);
        assert!(e.reason.contains("unterminated"), "{}", e.reason);
        assert_eq!(records[1].as_ref().unwrap().id, "2");
    }

    #[test]
    fn gigaword_paragraphs_and_ids() {
        let text = "<DOC id=\"AFP_ARB_20010101.0001\" type=\"story\" >\n<HEADLINE>\nعنوان الخبر\n</HEADLINE>\n\
                    <DATELINE>\nالقاهرة 1-1 (اف ب) -\n</DATELINE>\n<TEXT>\n<P>\nفقرة أولى\nتكملة السطر\n</P>\n\
                    <P>\nفقرة <b>ثانية</b> &lt;P&gt;\n</P>\n</TEXT>\n</DOC>\n\
                    <DOC id=\"AFP_ARB_2\"><DOCNO>D2</DOCNO><TEXT><p>نص</p></TEXT></DOC>\n";
        let records = read(text);
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.id, "AFP_ARB_20010101.0001");
        assert_eq!(a.title.as_deref(), Some("عنوان الخبر"));
        assert_eq!(a.body, "فقرة أولى تكملة السطر\nفقرة ثانية <P>");
        // DOCNO comes first.
        let b = records[1].as_ref().unwrap();
        assert_eq!((b.id.as_str(), b.body.as_str()), ("D2", "نص"));
    }

    #[test]
    fn id_falls_back_to_url_then_path_and_record_number() {
        let records =
            read("<DOC><TEXT>نص</TEXT></DOC><DOC><URL>http://x/2</URL><TEXT>نص</TEXT></DOC>");
        assert_eq!(records[0].as_ref().unwrap().id, "a/b.txt#1");
        assert_eq!(records[1].as_ref().unwrap().id, "http://x/2");
    }
}
