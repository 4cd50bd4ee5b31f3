//! Searching an index: query string → ranked hits, snippets and facets.
//!
//! This is the one search code path; the CLI and the server only turn its
//! [`SearchResponse`] into text or JSON.

pub mod facets;
pub mod matching;
pub mod query;
pub mod snippet;

use std::collections::HashMap;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::{Field, Value};
use tantivy::{IndexReader, ReloadPolicy, TantivyDocument};

use crate::archive::date;
use crate::entities::Gazetteer;
use crate::index::NewsIndex;
pub use facets::FacetCounter;
pub use query::QueryError;
pub use snippet::{Highlighter, Snippet};

/// Characters in a snippet fragment.
const SNIPPET_CHARS: usize = 220;

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    /// Facet names (`country`, `source`, …).
    pub facets: Vec<String>,
    /// Values shown per facet.
    pub facet_size: usize,
}

impl SearchRequest {
    /// A request with the default limit (10 hits) and no facets.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            facets: Vec::new(),
            facet_size: 20,
        }
    }
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub score: f32,
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// The best fragment of the original text.
    pub snippet: String,
    /// Highlighted ranges of `snippet`, as `[start, end)` character offsets.
    pub highlights: Vec<[usize; 2]>,
    pub countries: Vec<String>,
    pub places: Vec<String>,
    pub actors: Vec<String>,
}

/// One facet value and how many matching articles have it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
}

/// A search's results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub query: String,
    /// Number of matching articles (all of them, not only those shown).
    pub total: usize,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    /// Facet name → values by descending count, counted over all matches.
    pub facets: HashMap<String, Vec<FacetValue>>,
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The user's query or options are wrong.
    #[error("{0}")]
    Query(#[from] QueryError),
    #[error("unknown facet `{name}`; known facets: {known}")]
    UnknownFacet { name: String, known: String },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// A searcher over one index; cheap to reuse across queries.
pub struct Searcher {
    index: NewsIndex,
    reader: IndexReader,
    gazetteer: Gazetteer,
}

impl Searcher {
    /// Opens a searcher on an index.
    pub fn new(index: NewsIndex) -> Result<Searcher> {
        let reader = index
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .context("cannot open an index reader")?;
        Ok(Searcher {
            index,
            reader,
            gazetteer: Gazetteer::builtin()?,
        })
    }

    /// The index searched.
    pub fn index(&self) -> &NewsIndex {
        &self.index
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let started = Instant::now();
        let schema = &self.index.schema;
        let facet_fields = request
            .facets
            .iter()
            .map(|name| {
                schema
                    .facet_field(name)
                    .map(|spec| spec.name.clone())
                    .ok_or_else(|| SearchError::UnknownFacet {
                        name: name.clone(),
                        known: schema.facet_names().join(", "),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let query = query::build(schema, self.index.index.tokenizers(), &request.query)?;
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(request.limit.max(1))
            .and_offset(request.offset)
            .order_by_score();
        let (total, top, facet_counts) = searcher
            .search(
                &query,
                &(Count, top, FacetCounter::new(facet_fields.clone())),
            )
            .context("search failed")?;

        let clauses = query::parse(&request.query)?;
        let mut highlighter = Highlighter::new(
            clauses
                .iter()
                .filter(|c| !c.excluded)
                .map(|c| c.text.as_str()),
        );
        let f = &schema.fields;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top.into_iter().take(request.limit) {
            let doc: TantivyDocument = searcher
                .doc(address)
                .context("cannot read a stored document")?;
            let body = text(&doc, f.body).unwrap_or_default();
            let snippet = highlighter.snippet(&body, SNIPPET_CHARS);
            hits.push(Hit {
                id: text(&doc, f.id).unwrap_or_default(),
                score,
                title: text(&doc, f.title),
                date: doc
                    .get_first(f.date)
                    .and_then(|v| v.as_datetime())
                    .map(date::format),
                source: text(&doc, f.source),
                url: text(&doc, f.url),
                snippet: snippet.fragment,
                highlights: snippet.highlights,
                countries: texts(&doc, f.countries),
                places: texts(&doc, f.places),
                actors: texts(&doc, f.actors),
            });
        }

        let mut facets = HashMap::new();
        for ((name, field), counts) in request.facets.iter().zip(&facet_fields).zip(facet_counts) {
            let mut values: Vec<FacetValue> = counts
                .into_iter()
                .map(|(value, count)| FacetValue {
                    label: self.label(field, &value),
                    value,
                    count,
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            values.truncate(request.facet_size);
            facets.insert(name.clone(), values);
        }
        Ok(SearchResponse {
            query: request.query.clone(),
            total,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
            facets,
        })
    }

    /// The label shown for a facet value: the Arabic name of a country code.
    fn label(&self, field: &str, value: &str) -> String {
        if field == "countries" {
            if let Some(country) = self.gazetteer.country(value) {
                return country.name_ar.clone();
            }
        }
        value.to_string()
    }
}

fn text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(String::from)
}

fn texts(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(String::from))
        .collect()
}
