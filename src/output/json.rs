//! JSON output: one object per search, on one line.

use std::io::{self, Write};

use serde_json::{Map, Value};

use crate::search::SearchResponse;

/// Hit keys that `--fields` may select.
pub const HIT_FIELDS: &[&str] = &[
    "id",
    "score",
    "title",
    "date",
    "source",
    "url",
    "snippet",
    "highlights",
    "partial",
    "countries",
    "places",
    "actors",
    "explanation",
];

/// Writes a response as one line of JSON. With `qid` (batch mode) the object
/// starts with it; with `fields`, each hit keeps only those keys.
pub fn print_response(
    out: &mut impl Write,
    response: &SearchResponse,
    qid: Option<&str>,
    fields: Option<&[String]>,
) -> io::Result<()> {
    let mut object = Map::new();
    if let Some(qid) = qid {
        object.insert("qid".into(), Value::from(qid));
    }
    let Value::Object(body) = serde_json::to_value(response)? else {
        unreachable!("a response serializes to an object");
    };
    object.extend(body);
    if let (Some(fields), Some(Value::Array(hits))) = (fields, object.get_mut("hits")) {
        for hit in hits {
            if let Value::Object(hit) = hit {
                hit.retain(|key, _| fields.iter().any(|f| f == key));
            }
        }
    }
    serde_json::to_writer(&mut *out, &object)?;
    writeln!(out)
}

/// Writes a failed query of a batch: `{"qid", "error": {"code", "message"}}`.
pub fn print_error(out: &mut impl Write, qid: &str, code: &str, message: &str) -> io::Result<()> {
    let object = serde_json::json!({
        "qid": qid,
        "error": {"code": code, "message": message},
    });
    serde_json::to_writer(&mut *out, &object)?;
    writeln!(out)
}
