//! Query strings → tantivy queries.
//!
//! The language, for now: words, `"exact phrases"`, and `-word` / `-"phrase"`
//! exclusions. How each word is searched across the analyzed fields, and
//! how the words are ranked together, is [`matching`]'s business.

use tantivy::query::{AllQuery, Query};
use tantivy::tokenizer::TokenizerManager;

use super::matching::{self, Matcher, Mode};
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

/// Builds the tantivy query for a query string, in the default ranking
/// (see [`matching`]): articles with every word first, then partial matches.
pub fn build(
    schema: &NewsSchema,
    tokenizers: &TokenizerManager,
    query: &str,
) -> Result<Box<dyn Query>, QueryError> {
    build_with(schema, tokenizers, query, Mode::Ranked)
}

/// Builds the tantivy query for a query string in the given [`Mode`].
pub fn build_with(
    schema: &NewsSchema,
    tokenizers: &TokenizerManager,
    query: &str,
    mode: Mode,
) -> Result<Box<dyn Query>, QueryError> {
    let clauses = parse(query)?;
    let mut matcher = Matcher::new(schema, tokenizers);
    let (mut required, mut excluded) = (Vec::new(), Vec::new());
    for clause in &clauses {
        let word = if clause.phrase {
            matcher.phrase(&clause.text)
        } else {
            matcher.word(&clause.text)
        };
        // None: nothing searchable in this clause (punctuation only).
        if let Some(word) = word {
            if clause.excluded {
                excluded.push(word);
            } else {
                required.push(word);
            }
        }
    }
    if required.is_empty() {
        return Err(if excluded.is_empty() {
            QueryError::Empty
        } else {
            QueryError::OnlyExclusions
        });
    }
    matching::combine(required, excluded, mode).ok_or(QueryError::Empty)
}

/// A query matching every document (for browsing with facets).
pub fn all() -> Box<dyn Query> {
    Box::new(AllQuery)
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
