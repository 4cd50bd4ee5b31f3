//! JSON Lines: one article object per line.
//!
//! Exports and scrapes name their fields in many ways, so each article field
//! is taken from the first of several common names that is present.

use std::path::Path;

use serde_json::{Map, Value};

use super::{date, extension, non_empty, Article, Format, RecordError, Records, SourceFile};

/// Reader for `.jsonl` / `.ndjson` files (and `.json` files holding one object per line).
pub struct JsonLines;

const ID: &[&str] = &["id", "docno", "guid", "doc_id", "_id"];
const TITLE: &[&str] = &["title", "headline"];
const BODY: &[&str] = &["body", "text", "content", "article"];
const DATE: &[&str] = &[
    "date",
    "published",
    "time",
    "date_extracted",
    "published_at",
    "datetime",
];
const SOURCE: &[&str] = &["source", "src", "outlet"];
const URL: &[&str] = &["url", "link"];
const AUTHOR: &[&str] = &["author", "byline"];
const CATEGORY: &[&str] = &["category", "cat", "section"];

impl Format for JsonLines {
    fn name(&self) -> &'static str {
        "jsonl"
    }

    fn accepts(&self, path: &Path, head: &str) -> bool {
        match extension(path).as_str() {
            "jsonl" | "ndjson" => true,
            "json" => head.trim_start().starts_with('{'),
            _ => false,
        }
    }

    fn read(&self, file: &SourceFile) -> Records {
        let mut records = Vec::new();
        for (i, line) in file.text.lines().enumerate() {
            let number = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            records.push(parse_line(line, number, file.rel_path));
        }
        if records.is_empty() {
            records.push(Err(RecordError {
                record: 1,
                reason: "no JSON records (the file has only blank lines)".into(),
            }));
        }
        records
    }
}

fn parse_line(line: &str, number: usize, rel_path: &str) -> Result<Article, RecordError> {
    let error = |reason: String| RecordError {
        record: number,
        reason,
    };
    let value: Value =
        serde_json::from_str(line).map_err(|e| error(format!("invalid JSON: {e}")))?;
    let Value::Object(object) = value else {
        return Err(error("expected a JSON object per line".into()));
    };
    let title = field(&object, TITLE);
    let body = field(&object, BODY).unwrap_or_default();
    if body.is_empty() && title.is_none() {
        return Err(error(format!(
            "no article text or title (looked for fields: {}, {})",
            BODY.join(", "),
            TITLE.join(", ")
        )));
    }
    Ok(Article {
        id: field(&object, ID).unwrap_or_else(|| format!("{rel_path}#{number}")),
        title,
        body,
        date: field(&object, DATE).and_then(|d| date::parse(&d)),
        source: field(&object, SOURCE),
        category: field(&object, CATEGORY),
        url: field(&object, URL),
        author: field(&object, AUTHOR),
        path: rel_path.to_string(),
    })
}

/// The first of `names` present with a usable value (strings, numbers, or
/// arrays of strings, which are joined by newlines: some exports split the
/// text into paragraphs).
fn field(object: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| {
        let value = object.get(*name).or_else(|| {
            object
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })?;
        match value {
            Value::String(s) => non_empty(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Array(items) => {
                let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                non_empty(&parts.join("\n"))
            }
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Records {
        JsonLines.read(&SourceFile {
            rel_path: "x.jsonl",
            text,
        })
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
        assert!(e.reason.contains("invalid JSON"));
        assert!(records[2]
            .as_ref()
            .unwrap_err()
            .reason
            .contains("no article text or title"));
        assert_eq!(records[3].as_ref().unwrap_err().record, 4);
    }

    #[test]
    fn missing_id_falls_back_to_path_and_line() {
        let records = read("{\"text\":\"نص\"}");
        assert_eq!(records[0].as_ref().unwrap().id, "x.jsonl#1");
    }
}
