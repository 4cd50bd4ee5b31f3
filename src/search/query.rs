//! Query strings → tantivy queries.
//!
//! The language, for now: words (all required), `"exact phrases"`, and
//! `-word` / `-"phrase"` exclusions. Each word is analyzed with the analyzer
//! of every field it is searched in — the same analyzers that indexed the
//! text — and matches in any of those fields, weighted by the field's boost.

use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TokenizerManager;
use tantivy::Term;

use crate::index::NewsSchema;

/// A query the user wrote that cannot be run, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("empty query: give at least one word to search for")]
    Empty,
    #[error("unbalanced quote at character {position}: close the phrase with \"")]
    UnbalancedQuote { position: usize },
    #[error("the query only excludes words (-word); add a word to search for")]
    OnlyExclusions,
}

/// One part of a parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub text: String,
    pub phrase: bool,
    pub excluded: bool,
}

/// Splits a query string into clauses.
pub fn parse(query: &str) -> Result<Vec<Clause>, QueryError> {
    let mut clauses = Vec::new();
    let chars: Vec<(usize, char)> = query.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let excluded = c == '-' && chars.get(i + 1).is_some_and(|(_, n)| !n.is_whitespace());
        if excluded {
            i += 1;
        }
        if chars[i].1 == '"' {
            let open = i;
            let start = i + 1;
            let Some(len) = chars[start..].iter().position(|(_, c)| *c == '"') else {
                return Err(QueryError::UnbalancedQuote { position: open + 1 });
            };
            let text: String = chars[start..start + len].iter().map(|(_, c)| c).collect();
            i = start + len + 1;
            if !text.trim().is_empty() {
                clauses.push(Clause {
                    text,
                    phrase: true,
                    excluded,
                });
            }
        } else {
            let start = i;
            while i < chars.len() && !chars[i].1.is_whitespace() && chars[i].1 != '"' {
                i += 1;
            }
            let text: String = chars[start..i].iter().map(|(_, c)| c).collect();
            clauses.push(Clause {
                text,
                phrase: false,
                excluded,
            });
        }
    }
    if clauses.is_empty() {
        return Err(QueryError::Empty);
    }
    Ok(clauses)
}

/// Builds the tantivy query for a query string.
pub fn build(
    schema: &NewsSchema,
    tokenizers: &TokenizerManager,
    query: &str,
) -> Result<Box<dyn Query>, QueryError> {
    let clauses = parse(query)?;
    let fields = schema.default_search_fields();
    let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for clause in &clauses {
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for &(field, boost) in &fields {
            let with_positions = schema
                .schema
                .get_field_entry(field)
                .field_type()
                .get_index_record_option()
                .is_some_and(|o| o.has_positions());
            if clause.phrase && !with_positions {
                continue;
            }
            let terms = analyze(schema, tokenizers, field, &clause.text);
            if let Some(q) = terms_query(terms, with_positions) {
                alternatives.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
            }
        }
        if alternatives.is_empty() {
            // Nothing searchable in this clause (punctuation only).
            continue;
        }
        let occur = if clause.excluded {
            Occur::MustNot
        } else {
            Occur::Must
        };
        parts.push((occur, Box::new(BooleanQuery::new(alternatives))));
    }
    if parts.is_empty() {
        return Err(QueryError::Empty);
    }
    if parts.iter().all(|(o, _)| *o == Occur::MustNot) {
        return Err(QueryError::OnlyExclusions);
    }
    if parts.len() == 1 && parts[0].0 == Occur::Must {
        return Ok(parts.pop().expect("one part").1);
    }
    Ok(Box::new(BooleanQuery::new(parts)))
}

/// A query matching every document (for browsing with facets).
pub fn all() -> Box<dyn Query> {
    Box::new(AllQuery)
}

fn analyze(
    schema: &NewsSchema,
    tokenizers: &TokenizerManager,
    field: Field,
    text: &str,
) -> Vec<Term> {
    let entry = schema.schema.get_field_entry(field);
    let Some(name) = entry
        .field_type()
        .get_index_record_option()
        .and(match entry.field_type() {
            tantivy::schema::FieldType::Str(o) => o.get_indexing_options().map(|i| i.tokenizer()),
            _ => None,
        })
    else {
        return Vec::new();
    };
    let Some(mut analyzer) = tokenizers.get(name) else {
        return Vec::new();
    };
    crate::analysis::terms(&mut analyzer, text)
        .into_iter()
        .map(|t| Term::from_field_text(field, &t))
        .collect()
}

fn terms_query(mut terms: Vec<Term>, with_positions: bool) -> Option<Box<dyn Query>> {
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            terms.pop().expect("one term"),
            IndexRecordOption::WithFreqs,
        ))),
        _ if with_positions => Some(Box::new(PhraseQuery::new(terms))),
        // Without positions, a multi-term word needs all its terms.
        _ => Some(Box::new(BooleanQuery::new(
            terms
                .into_iter()
                .map(|t| {
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs));
                    (Occur::Must, q)
                })
                .collect(),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(text: &str, phrase: bool, excluded: bool) -> Clause {
        Clause {
            text: text.into(),
            phrase,
            excluded,
        }
    }

    #[test]
    fn parses_words_phrases_and_exclusions() {
        assert_eq!(
            parse(r#"بيرقدار "قره باغ" -روسيا -"وزارة الدفاع""#).unwrap(),
            [
                clause("بيرقدار", false, false),
                clause("قره باغ", true, false),
                clause("روسيا", false, true),
                clause("وزارة الدفاع", true, true),
            ]
        );
    }

    #[test]
    fn a_lone_dash_is_a_word() {
        assert_eq!(parse("a - b").unwrap().len(), 3);
    }

    #[test]
    fn errors() {
        assert_eq!(parse("  "), Err(QueryError::Empty));
        assert_eq!(
            parse(r#"قره "باغ"#),
            Err(QueryError::UnbalancedQuote { position: 5 })
        );
    }
}
