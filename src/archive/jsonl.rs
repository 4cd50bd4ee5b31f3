//! JSON Lines: one article object per line.

use std::path::Path;

use super::input::{too_long, ReadOutcome};
use super::json::article_from_json;
use super::{extension, Format, Input, Problem, Record, RecordError};

/// Reader for `.jsonl` / `.ndjson` files (and `.json` files holding one
/// object per line).
pub struct JsonLines;

impl Format for JsonLines {
    fn name(&self) -> &'static str {
        "jsonl"
    }

    fn accepts(&self, path: &Path, head: &str) -> bool {
        match extension(path).as_str() {
            "jsonl" | "ndjson" => true,
            _ => {
                // Content that starts with a complete object on its first line.
                let first = head.trim_start().lines().next().unwrap_or("").trim();
                first.starts_with('{')
                    && first.ends_with('}')
                    && serde_json::from_str::<serde_json::Value>(first).is_ok()
            }
        }
    }

    fn read(&self, input: &mut Input, emit: &mut dyn FnMut(Record)) {
        let mut line = String::new();
        let mut number = 0;
        let mut records = 0;
        loop {
            number += 1;
            match input.read_line(&mut line) {
                Err(e) => {
                    emit(Err(RecordError::new(
                        number,
                        Problem::Truncated,
                        format!("cannot read past line {}: {e}", number - 1),
                    )));
                    return;
                }
                Ok(ReadOutcome::End) => break,
                Ok(ReadOutcome::TooLong(bytes)) => {
                    records += 1;
                    emit(Err(RecordError::new(
                        number,
                        Problem::TooLarge,
                        too_long("line", bytes, input.max_record()),
                    )));
                }
                Ok(ReadOutcome::Complete) => {
                    if line.trim().is_empty() {
                        continue;
                    }
                    records += 1;
                    emit(parse_line(&line, number, input));
                }
            }
        }
        if records == 0 {
            emit(Err(RecordError::new(
                1,
                Problem::Empty,
                "no JSON records (the file has only blank lines)",
            )));
        }
    }
}

fn parse_line(line: &str, number: usize, input: &Input) -> Record {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
        RecordError::new(
            number,
            Problem::Malformed,
            format!("invalid JSON: {}", in_line(&e)),
        )
    })?;
    article_from_json(&value, number, input)
}

/// A parse error's message with its place as a column: the parser counts
/// lines from the record, always line 1 here, while the report's record
/// number is the line of the file.
fn in_line(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let place = format!(" at line {} column {}", e.line(), e.column());
    match message.strip_suffix(&place) {
        Some(what) => format!("{what} at column {}", e.column()),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::test_support::read_with;

    fn read(text: &str) -> Vec<Record> {
        read_with(&JsonLines, "x.jsonl", text.as_bytes())
    }

    #[test]
    fn recognizes_common_field_names() {
        let records = read(concat!(
            r#"{"docno": "D1", "headline": "عنوان", "content": "نص", "published": "2022-09-13", "outlet": "BBC", "link": "http://x", "cat": "world"}"#,
            "\n\n",
            r#"{"guid": 7, "article": ["فقرة", "ثانية"], "date_extracted": "2015-07-03 10:00:00"}"#,
        ));
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.id, "D1");
        assert_eq!(a.title.as_deref(), Some("عنوان"));
        assert_eq!(a.body, "نص");
        assert_eq!(a.source.as_deref(), Some("BBC"));
        assert_eq!(a.url.as_deref(), Some("http://x"));
        assert_eq!(a.category.as_deref(), Some("world"));
        assert!(a.date.is_some());
        let b = records[1].as_ref().unwrap();
        assert_eq!(b.id, "7");
        assert_eq!(b.body, "فقرة\nثانية");
    }

    #[test]
    fn bad_lines_are_reported_with_their_line_number() {
        let records = read("{\"id\":\"a\",\"text\":\"نص\"}\n{broken\n{\"id\":\"c\"}\n[1]\n");
        assert!(records[0].is_ok());
        let e = records[1].as_ref().unwrap_err();
        assert_eq!(e.record, 2);
        assert_eq!(e.reason, "invalid JSON: key must be a string at column 2");
        assert!(records[2]
            .as_ref()
            .unwrap_err()
            .reason
            .contains("no article text or title"));
        assert_eq!(records[3].as_ref().unwrap_err().record, 4);
    }

    #[test]
    fn a_title_without_text_points_at_the_unread_field() {
        let records = read(concat!(
            r#"{"id": "a", "title": "عنوان", "story": {"paragraphs": "نص طويل"}, "lede": "نص الخبر الكامل عن العراق"}"#,
            "\n",
            r#"{"id": "b", "title": "عنوان فقط", "tags": ["x"]}"#,
        ));
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.warnings.len(), 1);
        assert!(
            a.warnings[0].reason.contains("`lede` holds 25 characters"),
            "{}",
            a.warnings[0].reason
        );
        assert!(records[1].as_ref().unwrap().warnings.is_empty());
    }

    #[test]
    fn missing_id_falls_back_to_path_and_line() {
        let records = read("{\"text\":\"نص\"}");
        assert_eq!(records[0].as_ref().unwrap().id, "x.jsonl#1");
    }

    #[test]
    fn an_over_long_line_is_skipped_and_the_next_is_read() {
        let long = format!("{{\"text\":\"{}\"}}", "ب".repeat(600));
        let text = format!("{long}\n{{\"id\":\"b\",\"text\":\"نص\"}}\n");
        let records = crate::archive::test_support::read_with_cap(
            &JsonLines,
            "x.jsonl",
            text.as_bytes(),
            1000,
        );
        let e = records[0].as_ref().unwrap_err();
        assert_eq!((e.record, e.kind), (1, Problem::TooLarge));
        assert_eq!(records[1].as_ref().unwrap().id, "b");
    }
}
