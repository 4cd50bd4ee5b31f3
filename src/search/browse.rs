//! Looking around an index rather than ranking it: one stored article by id,
//! and the values of a facet (for autocompleting actors and places).

use std::cmp::Reverse;

use anyhow::Context as _;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::{text, texts, FacetCounter, FacetValue, SearchError, Searcher, DATE_FACETS};
use crate::analysis::normalize;
use crate::archive::date;

/// A stored article with the entities it was tagged with.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Document {
    pub id: String,
    pub title: Option<String>,
    pub body: String,
    /// RFC 3339, UTC.
    pub date: Option<String>,
    pub source: Option<String>,
    pub category: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub countries: Vec<CountryName>,
    pub places: Vec<String>,
    pub actors: Vec<String>,
}

/// A country code with its Arabic name (the code again when the gazetteer
/// does not know it).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CountryName {
    pub code: String,
    pub name: String,
}

impl Searcher {
    /// The stored article with this id, if the index has it.
    pub fn document(&self, id: &str) -> anyhow::Result<Option<Document>> {
        let f = &self.index.schema.fields;
        let searcher = self.reader.searcher();
        let query = TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic);
        let top = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .context("cannot look up a document by id")?;
        let Some((_, address)) = top.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher
            .doc(*address)
            .context("cannot read a stored document")?;
        let countries = texts(&doc, f.countries)
            .into_iter()
            .map(|code| CountryName {
                name: self.label("country", &code),
                code,
            })
            .collect();
        Ok(Some(Document {
            id: text(&doc, f.id).unwrap_or_default(),
            title: text(&doc, f.title),
            body: text(&doc, f.body).unwrap_or_default(),
            date: doc
                .get_first(f.date)
                .and_then(|v| v.as_datetime())
                .map(date::format),
            source: text(&doc, f.source),
            category: text(&doc, f.category),
            url: text(&doc, f.url),
            author: text(&doc, f.author),
            countries,
            places: texts(&doc, f.places),
            actors: texts(&doc, f.actors),
        }))
    }

    /// Values of facet `name` over the whole index, most frequent first (date
    /// facets in date order), keeping those where a word of the value — or,
    /// for countries, of the name — starts with `prefix`, compared on
    /// normalized forms so that `اوب` finds `أوباما`.
    pub fn facet_values(
        &self,
        name: &str,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<FacetValue>, SearchError> {
        let source = self.facet_source(name)?;
        let searcher = self.reader.searcher();
        let counts = searcher
            .search(
                &AllQuery,
                &FacetCounter::with_terms(vec![source], &self.facet_terms, &searcher),
            )
            .context("cannot count facet values")?
            .pop()
            .unwrap_or_default();
        let prefix = normalize(prefix.trim());
        let mut values: Vec<FacetValue> = counts
            .into_iter()
            .map(|(value, count)| FacetValue {
                label: self.label(name, &value),
                value,
                count,
            })
            .filter(|v| {
                prefix.is_empty()
                    || word_starts_with(&v.value, &prefix)
                    || word_starts_with(&v.label, &prefix)
            })
            .collect();
        if DATE_FACETS.iter().any(|(n, _)| *n == name) {
            // The latest `limit` years or months, in date order, as a
            // search's date facets show.
            values.sort_by(|a, b| a.value.cmp(&b.value));
            let skip = values.len().saturating_sub(limit);
            values.drain(..skip);
        } else {
            values.sort_by_key(|v| (Reverse(v.count), v.value.clone()));
            values.truncate(limit);
        }
        Ok(values)
    }
}

/// Whether a word of `value` starts with `prefix` (already normalized).
fn word_starts_with(value: &str, prefix: &str) -> bool {
    let value = normalize(value);
    value.starts_with(prefix)
        || value
            .match_indices([' ', '-'])
            .any(|(i, sep)| value[i + sep.len()..].starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::word_starts_with;

    #[test]
    fn prefix_matches_any_word_on_normalized_forms() {
        assert!(word_starts_with("فلاديمير بوتين", "بوت"));
        assert!(word_starts_with("أنقرة", "انق"));
        assert!(word_starts_with("Turkey", "tur"));
        assert!(!word_starts_with("فلاديمير بوتين", "وتين"));
    }
}
