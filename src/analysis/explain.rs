//! What each analyzed field makes of a text, for `akhbar analyze`: the
//! tokens a user needs to see to understand why a query matches or not.

use serde::Serialize;

use super::{by_name, tokens};
use crate::index::schema::{FieldKind, NewsSchema};

/// The tokens of one analyzer, and the fields that use it.
#[derive(Debug, Clone, Serialize)]
pub struct AnalyzerTokens {
    pub analyzer: String,
    pub fields: Vec<String>,
    pub tokens: Vec<ShownToken>,
}

/// One token: its term, the word as written, its byte range and position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShownToken {
    pub term: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub position: usize,
}

/// The tokens of `text` in every analyzed field of the schema, one entry per
/// analyzer, in schema order.
pub fn explain(schema: &NewsSchema, text: &str) -> Vec<AnalyzerTokens> {
    let mut out: Vec<AnalyzerTokens> = Vec::new();
    for spec in &schema.specs {
        if spec.kind != FieldKind::Text || !spec.indexed {
            continue;
        }
        let Some(name) = spec.analyzer.as_deref() else {
            continue;
        };
        if let Some(entry) = out.iter_mut().find(|a| a.analyzer == name) {
            entry.fields.push(spec.name.clone());
            continue;
        }
        let Some(mut analyzer) = by_name(name) else {
            continue;
        };
        let tokens = tokens(&mut analyzer, text)
            .into_iter()
            .map(|t| ShownToken {
                text: text[t.start..t.end].to_string(),
                term: t.term,
                start: t.start,
                end: t.end,
                position: t.position,
            })
            .collect();
        out.push(AnalyzerTokens {
            analyzer: name.to_string(),
            fields: vec![spec.name.clone()],
            tokens,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_analyzed_field_is_shown_with_offsets() {
        let schema = NewsSchema::builtin().unwrap();
        let text = "وصلت بطائرات بايراكتار";
        let all = explain(&schema, text);
        let names: Vec<&str> = all.iter().map(|a| a.analyzer.as_str()).collect();
        assert!(names.contains(&"arabic") && names.contains(&"arabic_light"));
        let exact = all.iter().find(|a| a.analyzer == "arabic").unwrap();
        assert!(exact.fields.contains(&"body".to_string()));
        assert_eq!(exact.tokens[1].text, "بطائرات");
        assert_eq!(&text[exact.tokens[1].start..exact.tokens[1].end], "بطائرات");
        let light = all.iter().find(|a| a.analyzer == "arabic_light").unwrap();
        assert_eq!(light.tokens[1].position, 1);
        assert_ne!(light.tokens[1].term, exact.tokens[1].term);
    }
}
