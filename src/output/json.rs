//! JSON output: one object per search, on one line.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::search::{FacetValue, Hit, Note, SearchResponse};

/// Hit keys that `--fields` may select, in the order a hit writes them.
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

/// One line of output: `qid` first in batch mode, then the response as the
/// HTTP API writes it (same keys in the same order, scores in the same
/// digits), written directly rather than through a `serde_json::Value`,
/// which would sort the keys and widen each f32 score to f64 digits.
#[derive(Serialize)]
struct Line<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    qid: Option<&'a str>,
    query: &'a str,
    total: usize,
    partial_total: usize,
    took_ms: f64,
    hits: Vec<Selected<'a>>,
    facets: &'a BTreeMap<String, Vec<FacetValue>>,
    #[serde(skip_serializing_if = "<[Note]>::is_empty")]
    notes: &'a [Note],
}

/// A hit with only the keys of `--fields`, when given.
struct Selected<'a> {
    hit: &'a Hit,
    fields: Option<&'a [String]>,
}

impl Serialize for Selected<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(fields) = self.fields else {
            return self.hit.serialize(serializer);
        };
        let mut map = serializer.serialize_map(None)?;
        for &key in HIT_FIELDS {
            if fields.iter().any(|f| f == key) {
                hit_entry(&mut map, self.hit, key)?;
            }
        }
        map.end()
    }
}

/// Writes one key of a hit, as [`Hit`]'s own serialization writes it.
fn hit_entry<M: SerializeMap>(map: &mut M, hit: &Hit, key: &'static str) -> Result<(), M::Error> {
    match key {
        "id" => map.serialize_entry(key, &hit.id),
        "score" => map.serialize_entry(key, &hit.score),
        "title" => map.serialize_entry(key, &hit.title),
        "date" => map.serialize_entry(key, &hit.date),
        "source" => map.serialize_entry(key, &hit.source),
        "url" => map.serialize_entry(key, &hit.url),
        "snippet" => map.serialize_entry(key, &hit.snippet),
        "highlights" => map.serialize_entry(key, &hit.highlights),
        "partial" => map.serialize_entry(key, &hit.partial),
        "countries" => map.serialize_entry(key, &hit.countries),
        "places" => map.serialize_entry(key, &hit.places),
        "actors" => map.serialize_entry(key, &hit.actors),
        "explanation" => match &hit.explanation {
            Some(explanation) => map.serialize_entry(key, explanation),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Writes a response as one line of JSON. With `qid` (batch mode) the object
/// starts with it; with `fields`, each hit keeps only those keys.
pub fn print_response(
    out: &mut impl Write,
    response: &SearchResponse,
    qid: Option<&str>,
    fields: Option<&[String]>,
) -> io::Result<()> {
    let line = Line {
        qid,
        query: &response.query,
        total: response.total,
        partial_total: response.partial_total,
        took_ms: response.took_ms,
        hits: response
            .hits
            .iter()
            .map(|hit| Selected { hit, fields })
            .collect(),
        facets: &response.facets,
        notes: &response.notes,
    };
    serde_json::to_writer(&mut *out, &line)?;
    writeln!(out)
}

/// Writes a failed query of a batch: `{"qid", "error": {"code", "message"}}`.
pub fn print_error(out: &mut impl Write, qid: &str, code: &str, message: &str) -> io::Result<()> {
    #[derive(Serialize)]
    struct Failed<'a> {
        qid: &'a str,
        error: Error<'a>,
    }
    #[derive(Serialize)]
    struct Error<'a> {
        code: &'a str,
        message: &'a str,
    }
    let failed = Failed {
        qid,
        error: Error { code, message },
    };
    serde_json::to_writer(&mut *out, &failed)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{print_error, print_response, HIT_FIELDS};
    use crate::search::{FacetValue, Hit, Note, SearchResponse};

    fn response() -> SearchResponse {
        let mut hit = Hit::id_only("a1".into(), Some(12.978_163));
        hit.title = Some("عنوان".into());
        hit.snippet = "نص".into();
        hit.highlights = vec![[0, 2]];
        hit.countries = vec!["TR".into()];
        hit.explanation = Some(serde_json::json!({"value": 1.0}));
        let mut facets = BTreeMap::new();
        for name in ["source", "country"] {
            facets.insert(
                name.to_string(),
                vec![FacetValue {
                    value: "TR".into(),
                    label: "تركيا".into(),
                    count: 1,
                }],
            );
        }
        SearchResponse {
            query: "بيرقدار".into(),
            total: 1,
            partial_total: 0,
            took_ms: 1.5,
            hits: vec![hit],
            facets,
            notes: vec![Note {
                code: "prefix_capped",
                message: "m".into(),
            }],
        }
    }

    fn printed(qid: Option<&str>, fields: Option<&[String]>) -> String {
        let mut out = Vec::new();
        print_response(&mut out, &response(), qid, fields).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_response_is_written_as_the_http_api_writes_it() {
        let api = serde_json::to_string(&response()).unwrap();
        assert_eq!(printed(None, None), format!("{api}\n"));
        // Every field selected: the hit as it is.
        let all: Vec<String> = HIT_FIELDS.iter().map(|f| f.to_string()).collect();
        assert_eq!(printed(None, Some(&all)), format!("{api}\n"));
        // The f32 score in its own digits, not widened to f64's.
        assert!(api.contains(r#""score":12.978163,"#), "{api}");
    }

    #[test]
    fn batch_lines_start_with_the_qid_and_keep_the_fields_asked() {
        let fields = ["score".to_string(), "id".to_string()];
        let line = printed(Some("q1"), Some(&fields));
        assert!(
            line.starts_with(r#"{"qid":"q1","query":"بيرقدار","total":1,"#),
            "{line}"
        );
        assert!(
            line.contains(r#""hits":[{"id":"a1","score":12.978163}]"#),
            "{line}"
        );
        let mut out = Vec::new();
        print_error(&mut out, "q2", "bad_query", "m").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"qid\":\"q2\",\"error\":{\"code\":\"bad_query\",\"message\":\"m\"}}\n"
        );
    }
}
