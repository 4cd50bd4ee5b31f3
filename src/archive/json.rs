//! JSON documents: an array of article objects (SaudiNewsNet and most
//! scraper exports), a single article object, or an object wrapping an
//! array of articles (`{"articles": [...]}`).
//!
//! Arrays are streamed element by element, so a file of any size costs one
//! article's memory; a single object is read whole, under the record cap.

use std::io::{self, BufRead};
use std::path::Path;

use serde_json::{Map, Value};

use super::input::{too_long, ReadOutcome};
use super::{extension, Field, FieldMap, Format, Input, Problem, Record, RecordError};

/// Reader for `.json` files holding an array or one (multi-line) object.
pub struct JsonDocument;

impl Format for JsonDocument {
    fn name(&self) -> &'static str {
        "json"
    }

    fn accepts(&self, path: &Path, head: &str) -> bool {
        let head = head.trim_start();
        if head.starts_with('[') {
            return true;
        }
        // A `.json` object that is not one article per line: a multi-line
        // object, or one line wrapping an array of articles (what
        // `json.dump` writes).
        extension(path) == "json"
            && head.starts_with('{')
            && (!super::jsonl::JsonLines.accepts(Path::new(""), head)
                || first_line_wraps_articles(head))
    }

    fn read(&self, input: &mut Input, emit: &mut dyn FnMut(Record)) {
        let first = match skip_whitespace(input.raw()) {
            Ok(b) => b,
            Err(e) => {
                emit(Err(read_error(1, &e)));
                return;
            }
        };
        match first {
            Some(b'[') => {
                input.raw().consume(1);
                read_array(input, emit);
            }
            Some(b'{') => read_object(input, emit),
            _ => emit(Err(RecordError::new(
                1,
                Problem::Malformed,
                "expected a JSON array or object at the start of the file",
            ))),
        }
    }
}

fn read_error(record: usize, e: &io::Error) -> RecordError {
    RecordError::new(
        record,
        Problem::Truncated,
        format!("cannot read past record {}: {e}", record.saturating_sub(1)),
    )
}

/// The next non-whitespace byte, not consumed.
fn skip_whitespace(reader: &mut dyn BufRead) -> io::Result<Option<u8>> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let b = buf[i];
                reader.consume(i);
                return Ok(Some(b));
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// Streams the elements of a top-level array (its `[` already consumed).
fn read_array(input: &mut Input, emit: &mut dyn FnMut(Record)) {
    let cap = input.max_record();
    let mut element = Vec::new();
    let mut number = 0;
    loop {
        // Between elements: whitespace, one comma, or the closing bracket.
        let next = match skip_whitespace(input.raw()) {
            Ok(b) => b,
            Err(e) => return emit(Err(read_error(number + 1, &e))),
        };
        match next {
            None => {
                return emit(Err(RecordError::new(
                    number + 1,
                    Problem::Truncated,
                    "the JSON array is not closed (no `]`; is the file truncated?)",
                )))
            }
            Some(b']') => return,
            Some(b',') => {
                input.raw().consume(1);
                continue;
            }
            Some(_) => {}
        }
        number += 1;
        let scanned = match scan_value(input.raw(), &mut element, cap) {
            Ok(s) => s,
            Err(e) => return emit(Err(read_error(number, &e))),
        };
        match scanned {
            Scanned::Complete => {
                let text = input.text_of(&element);
                let record = serde_json::from_str::<Value>(&text)
                    .map_err(|e| {
                        RecordError::new(number, Problem::Malformed, format!("invalid JSON: {e}"))
                    })
                    .and_then(|value| article_from_json(&value, number, input));
                emit(record);
            }
            Scanned::TooLong(bytes) => emit(Err(RecordError::new(
                number,
                Problem::TooLarge,
                too_long("array element", bytes, cap),
            ))),
            Scanned::Truncated => {
                return emit(Err(RecordError::new(
                    number,
                    Problem::Truncated,
                    "the file ends inside this array element (is it truncated?)",
                )))
            }
        }
        if element.capacity() > 1 << 20 {
            element = Vec::new();
        }
    }
}

enum Scanned {
    Complete,
    TooLong(u64),
    Truncated,
}

/// Reads one JSON value's bytes into `out` (up to `cap`), stopping before
/// the `,` or `]` that ends it. Tracks strings and nesting only: the value
/// is parsed afterwards.
fn scan_value(reader: &mut dyn BufRead, out: &mut Vec<u8>, cap: usize) -> io::Result<Scanned> {
    out.clear();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut total: u64 = 0;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(Scanned::Truncated);
        }
        let mut end = None;
        for (i, &b) in buf.iter().enumerate() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth > 0 => depth -= 1,
                b',' | b']' if depth == 0 => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let used = end.unwrap_or(buf.len());
        total += used as u64;
        if total <= cap as u64 {
            out.extend_from_slice(&buf[..used]);
        } else if !out.is_empty() {
            *out = Vec::new();
        }
        reader.consume(used);
        if end.is_some() {
            return Ok(if total > cap as u64 {
                Scanned::TooLong(total)
            } else {
                Scanned::Complete
            });
        }
    }
}

/// Whether the first line of `head` is an object wrapping an array of
/// articles (judged by the default field names).
fn first_line_wraps_articles(head: &str) -> bool {
    let first = head.lines().next().unwrap_or("");
    match serde_json::from_str::<Value>(first) {
        Ok(Value::Object(object)) => wrapped_articles(&object, &FieldMap::default()).is_some(),
        _ => false,
    }
}

/// The array of articles an object wraps (`{"status": …, "articles":
/// [{…}, …]}`), unless the object is an article itself (it has text or a
/// title).
fn wrapped_articles<'v>(object: &'v Map<String, Value>, fields: &FieldMap) -> Option<&'v [Value]> {
    let is_article = fields.get(Field::Body, |n| lookup(object, n)).is_some()
        || fields.get(Field::Title, |n| lookup(object, n)).is_some();
    if is_article {
        return None;
    }
    object.values().find_map(|v| match v {
        Value::Array(items) if items.iter().any(Value::is_object) => Some(items.as_slice()),
        _ => None,
    })
}

/// A file holding one object (an article, or a wrapper of an article
/// array), or several in a row: their articles are numbered on from one
/// object to the next.
fn read_object(input: &mut Input, emit: &mut dyn FnMut(Record)) {
    let mut text = String::new();
    match input.read_all(&mut text) {
        Err(e) => return emit(Err(read_error(1, &e))),
        Ok(ReadOutcome::TooLong(bytes)) => {
            return emit(Err(RecordError::new(
                1,
                Problem::TooLarge,
                too_long("JSON document", bytes, input.max_record()),
            )))
        }
        Ok(_) => {}
    }
    let mut number = 0;
    for value in serde_json::Deserializer::from_str(&text).into_iter::<Value>() {
        let value = match value {
            Ok(v) => v,
            Err(e) => {
                return emit(Err(RecordError::new(
                    number + 1,
                    Problem::Malformed,
                    format!("invalid JSON: {e}"),
                )))
            }
        };
        let wrapped = value
            .as_object()
            .and_then(|object| wrapped_articles(object, &input.options.fields));
        match wrapped {
            Some(items) => {
                for item in items {
                    number += 1;
                    emit(article_from_json(item, number, input));
                }
            }
            None => {
                number += 1;
                emit(article_from_json(&value, number, input));
            }
        }
    }
}

/// The article in a JSON object, its fields found through the field map.
pub(crate) fn article_from_json(value: &Value, number: usize, input: &Input) -> Record {
    let Value::Object(object) = value else {
        return Err(RecordError::new(
            number,
            Problem::Malformed,
            format!("expected a JSON object (an article), found {}", kind(value)),
        ));
    };
    let fields = &input.options.fields;
    fields.article(
        |name| lookup(object, name),
        number,
        input.rel_path,
        || fields.describe_text_fields(),
        || {
            object
                .iter()
                .filter_map(|(name, value)| Some((name.clone(), text_of(value)?)))
                .collect()
        },
    )
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The text of a field: `name` as given, else ignoring ASCII case; a dotted
/// name reaches into nested objects. Strings and numbers are taken as they
/// are; arrays of strings (paragraphs, authors) are joined by newlines.
pub(crate) fn lookup(object: &Map<String, Value>, name: &str) -> Option<String> {
    let value = find(object, name).or_else(|| {
        let (head, rest) = name.split_once('.')?;
        match find(object, head)? {
            Value::Object(inner) => find(inner, rest),
            _ => None,
        }
    })?;
    text_of(value)
}

fn find<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(text_of).collect();
            (!parts.is_empty()).then(|| parts.join("\n"))
        }
        // An author or source object: its name; a WordPress REST API
        // field (`"content": {"rendered": "<p>…</p>"}`): its text.
        Value::Object(inner) => find(inner, "name")
            .or_else(|| find(inner, "rendered"))
            .and_then(text_of),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::date;
    use crate::archive::test_support::{read_with, read_with_cap};

    const SAUDI: &str = r#"[
  {"source": "aawsat", "url": "http://aawsat.com/a1", "date_extracted": "2015-07-21 02:51:32",
   "title": "عنوان أول", "author": "الرياض: محمد", "content": "نص الخبر الأول [مع] أقواس, وفواصل"},
  {"source": "aawsat", "url": "http://aawsat.com/a2", "date_extracted": "2015-07-22 10:00:00",
   "title": "عنوان ثان", "author": "", "content": "نص \"ثان\" \\ ]"}
]"#;

    #[test]
    fn saudi_news_net_arrays() {
        let records = read_with(&JsonDocument, "saudi/2015-07-21.json", SAUDI.as_bytes());
        assert_eq!(records.len(), 2);
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.id, "http://aawsat.com/a1");
        assert_eq!(a.source.as_deref(), Some("aawsat"));
        assert_eq!(a.body, "نص الخبر الأول [مع] أقواس, وفواصل");
        assert_eq!(a.author.as_deref(), Some("الرياض: محمد"));
        assert_eq!(date::format(a.date.unwrap()), "2015-07-21T02:51:32Z");
        let b = records[1].as_ref().unwrap();
        assert_eq!(b.body, "نص \"ثان\" \\ ]");
        assert_eq!(b.author, None);
    }

    #[test]
    fn bad_elements_are_reported_and_the_rest_read() {
        let text = r#"[{"text": "أ"}, 42, {"title": "ب"}, {"text": "ج"#;
        let records = read_with(&JsonDocument, "a.json", text.as_bytes());
        assert!(records[0].is_ok());
        assert_eq!(records[1].as_ref().unwrap_err().kind, Problem::Malformed);
        assert_eq!(records[2].as_ref().unwrap().title.as_deref(), Some("ب"));
        let e = records[3].as_ref().unwrap_err();
        assert_eq!((e.record, e.kind), (4, Problem::Truncated));
    }

    #[test]
    fn a_stray_byte_in_an_element_is_replaced_not_fatal() {
        let mut bytes = r#"[{"id": "a", "text": "نص أول"}, {"id": "b", "text": "نص"#
            .as_bytes()
            .to_vec();
        bytes.push(0xff);
        bytes.extend_from_slice(r#" ثان"}, {"id": "c", "text": "نص ثالث"}]"#.as_bytes());
        let options = crate::archive::ReadOptions::default();
        let (mut input, format) =
            crate::archive::input::from_bytes(bytes, Path::new("a.json"), "a.json", &options)
                .unwrap();
        let mut records = Vec::new();
        format.read(&mut input, &mut |r| records.push(r));
        let ids: Vec<&str> = records
            .iter()
            .map(|r| r.as_ref().unwrap().id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(records[1].as_ref().unwrap().body, "نص\u{FFFD} ثان");
        assert_eq!(input.invalid_sequences(), 1);
    }

    #[test]
    fn oversized_elements_are_skipped() {
        let big = "د".repeat(2000);
        let text = format!(r#"[{{"text": "{big}"}}, {{"text": "هـ"}}]"#);
        let records = read_with_cap(&JsonDocument, "a.json", text.as_bytes(), 1000);
        assert_eq!(records[0].as_ref().unwrap_err().kind, Problem::TooLarge);
        assert_eq!(records[1].as_ref().unwrap().body, "هـ");
    }

    #[test]
    fn single_objects_and_wrapped_arrays() {
        let one = "{\n  \"headline\": \"عنوان\",\n  \"story\": {\"text\": \"نص\"}\n}";
        let records = read_with(&JsonDocument, "one.json", one.as_bytes());
        assert_eq!(records[0].as_ref().unwrap().title.as_deref(), Some("عنوان"));
        let wrapped =
            "{\n \"status\": \"ok\",\n \"articles\": [{\"text\": \"أ\"}, {\"text\": \"ب\"}]\n}";
        let records = read_with(&JsonDocument, "w.json", wrapped.as_bytes());
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].as_ref().unwrap().id, "w.json#2");
    }

    #[test]
    fn one_line_objects_wrapping_articles_are_json_documents() {
        // What Python's json.dump writes: one line, no trailing newline.
        let compact = r#"{"status": "ok", "data": [{"title": "أ", "text": "نص أول"}, {"title": "ب", "text": "نص ثان"}]}"#;
        let pretty = "{\n \"status\": \"ok\",\n \"data\": [{\"title\": \"أ\", \"text\": \"نص أول\"}, {\"title\": \"ب\", \"text\": \"نص ثان\"}]\n}";
        let array = r#"[{"title": "أ", "text": "نص أول"}, {"title": "ب", "text": "نص ثان"}]"#;
        for text in [compact, pretty, array] {
            let format = crate::archive::detect(Path::new("w.json"), text).unwrap();
            assert_eq!(format.name(), "json", "{text}");
            let records = read_with(format, "w.json", text.as_bytes());
            let ids: Vec<&str> = records
                .iter()
                .map(|r| r.as_ref().unwrap().id.as_str())
                .collect();
            assert_eq!(ids, ["w.json#1", "w.json#2"], "{text}");
        }
        // One article a line stays JSON Lines.
        let lines = "{\"title\": \"أ\", \"text\": \"نص\"}\n{\"title\": \"ب\", \"text\": \"نص\"}\n";
        let format = crate::archive::detect(Path::new("w.json"), lines).unwrap();
        assert_eq!(format.name(), "jsonl");
        // Wrappers one after another: their articles numbered on.
        let two = format!("{compact}\n{compact}\n");
        let records = read_with(&JsonDocument, "w.json", two.as_bytes());
        assert_eq!(records.len(), 4);
        assert_eq!(records[3].as_ref().unwrap().record, 4);
    }

    #[test]
    fn wordpress_rendered_fields() {
        let text = r#"[{"id": 5, "date": "2022-09-13T10:00:00", "title": {"rendered": "عنوان &#8211; ثان"},
            "content": {"rendered": "<p>نص <strong>الخبر</strong>.</p>", "protected": false}, "link": "https://x.example/?p=5"}]"#;
        let records = read_with(&JsonDocument, "posts.json", text.as_bytes());
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.id, "5");
        assert_eq!(a.title.as_deref(), Some("عنوان – ثان"));
        assert_eq!(a.body, "نص الخبر.");
        assert_eq!(a.url.as_deref(), Some("https://x.example/?p=5"));
    }

    #[test]
    fn dotted_field_mappings_reach_nested_objects() {
        let text = r#"[{"story": {"text": "نص", "when": "13/09/2022"}}]"#;
        let fields = crate::archive::FieldMap::new(&[
            "body=story.text".parse().unwrap(),
            "date=story.when".parse().unwrap(),
        ]);
        let records = crate::archive::test_support::read_with_fields(
            &JsonDocument,
            "a.json",
            text.as_bytes(),
            fields,
        );
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.body, "نص");
        assert_eq!(date::format(a.date.unwrap()), "2022-09-13T00:00:00Z");
    }
}
