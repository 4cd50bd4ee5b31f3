//! Searching an index: query string → ranked hits, snippets and facets.
//!
//! This is the one search code path; the CLI and the server only turn its
//! [`SearchResponse`] into text or JSON.

pub mod bm25;
pub mod browse;
pub mod compile;
pub mod facets;
mod guard;
mod ids;
pub mod matching;
mod phrase_marks;
mod pooled;
pub mod prefix;
pub mod query;
pub mod resolve;
mod segments;
pub mod snippet;
mod stats;
mod stored;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use anyhow::{Context as _, Result};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{Explanation, Query};
use tantivy::schema::{Field, Value};
use tantivy::{DateTime, DocAddress, IndexReader, Order, ReloadPolicy, TantivyDocument};

use crate::archive::date;
use crate::entities::Gazetteer;
use crate::index::NewsIndex;
pub use compile::Filters;
pub use facets::{DateBucket, FacetCounter, FacetSource, FacetTerms};
pub use matching::Mode;
pub use prefix::MAX_PREFIX_EXPANSIONS;
pub use query::{ParsedQuery, QueryError};
pub use resolve::Resolver;
pub use snippet::{Highlighter, Located, Snippet, TextFields};

/// Characters in a snippet fragment.
pub const SNIPPET_CHARS: usize = 220;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sort {
    /// Best match first (BM25 over the analyzed fields).
    #[default]
    Relevance,
    /// Newest first; articles without a date last.
    Date,
    /// Oldest first.
    DateAsc,
}

/// Which parts of a hit to produce. Ids and scores come from the index
/// directly; everything else needs the stored article (and a snippet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HitDetail {
    #[default]
    Full,
    IdsOnly,
}

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The query string (see [`query`]); may be empty when filters select.
    pub query: String,
    /// `FIELD=VALUE` filters: values of one field OR-ed, fields AND-ed.
    pub filters: Vec<String>,
    /// Inclusive date bounds (`YYYY[-MM[-DD]]`).
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// Facet names (`country`, `source`, `year`, …).
    pub facets: Vec<String>,
    /// Values returned per facet.
    pub facet_size: usize,
    /// Attach a scoring explanation to each hit.
    pub explain: bool,
    pub detail: HitDetail,
}

impl SearchRequest {
    /// A request with the default limit (10 hits) and facet size (20).
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            limit: 10,
            facet_size: 20,
            ..SearchRequest::default()
        }
    }
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    /// Relevance score; `null` when sorted by date.
    pub score: Option<f32>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// The best fragment of the original text.
    pub snippet: String,
    /// Highlighted ranges of `snippet`, as `[start, end)` character offsets.
    pub highlights: Vec<[usize; 2]>,
    /// The article lacks some of the query's words (see
    /// [`SearchResponse::partial_total`]).
    pub partial: bool,
    pub countries: Vec<String>,
    pub places: Vec<String>,
    pub actors: Vec<String>,
    /// Why the hit scored as it did (with `explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<serde_json::Value>,
}

impl Hit {
    /// A hit with its id and score only (`--fields id`, ids-only searches).
    pub fn id_only(id: String, score: Option<f32>) -> Hit {
        Hit {
            id,
            score,
            title: None,
            date: None,
            source: None,
            url: None,
            snippet: String::new(),
            highlights: Vec::new(),
            partial: false,
            countries: Vec::new(),
            places: Vec::new(),
            actors: Vec::new(),
            explanation: None,
        }
    }
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
    /// Number of matching articles (all of them, not only those shown):
    /// those with every word, or, when none has them all, those with some.
    pub total: usize,
    /// Articles with only some of the words, listed after the `total` ones
    /// that have them all when those are fewer than the page reaches; 0
    /// otherwise. Facets count the `total` ones only.
    pub partial_total: usize,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    /// Facet name → values by descending count, counted over all matches;
    /// by name, so that the same search always writes the same JSON.
    pub facets: BTreeMap<String, Vec<FacetValue>>,
    /// How the search was narrowed where the results do not show it (a
    /// `prefix*` that starts more words than are searched); left out of
    /// JSON when there is nothing to say.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// Something about how a search ran that its hits and counts do not show.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Note {
    /// What kind of note: `prefix_capped`.
    pub code: &'static str,
    pub message: String,
}

/// The articles with only some of the words on a page
/// ([`Searcher::search`]).
struct PartialMatches {
    /// Those of the page, with their scores.
    hits: Vec<(Option<f32>, DocAddress)>,
    /// How many there are.
    total: usize,
    /// The query that ranked them (for explanations).
    query: Box<dyn Query>,
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The user's query or options are wrong. Transparent: the message is
    /// the query error's, said once (not again as its cause).
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("unknown facet `{name}`; known facets: {known}")]
    UnknownFacet { name: String, known: String },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl SearchError {
    /// Whether the request (not the index or the machine) is at fault.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, SearchError::Internal(_))
    }
}

/// Facet names computed from the date field rather than declared on a
/// keyword field in the schema.
const DATE_FACETS: &[(&str, DateBucket)] =
    &[("year", DateBucket::Year), ("month", DateBucket::Month)];

/// A searcher over one index; cheap to reuse across queries, safe to share
/// between threads. It sees new commits of a concurrent indexing run.
pub struct Searcher {
    index: NewsIndex,
    reader: IndexReader,
    resolver: Resolver,
    /// The fields that indexed the body, for finding matches to highlight.
    body_fields: TextFields,
    ids: ids::IdCache,
    /// The document stores of hits' articles.
    stores: stored::Stores,
    facet_terms: FacetTerms,
    /// The index's analyzers, cheap to copy for each query.
    tokenizers: tantivy::tokenizer::TokenizerManager,
    stats: stats::StatsCache,
}

/// Decompressed blocks of stored articles (16 KB each) kept in memory, over
/// all segments. Every hit's text is read for its snippet, and a search
/// service reads the same articles again and again: 4,096 blocks (64 MB)
/// keep the text of tens of thousands of recently shown articles ready.
const DOCSTORE_CACHE_BLOCKS: usize = 4096;

/// The docstore cache of each segment, the total shared among the segments
/// the index has when it is opened (tantivy sizes the cache per segment).
fn docstore_cache_blocks(segments: usize) -> usize {
    (DOCSTORE_CACHE_BLOCKS / segments.max(1)).clamp(100, 2048)
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
        let cache_blocks = docstore_cache_blocks(
            index
                .index
                .searchable_segment_metas()
                .map_or(1, |metas| metas.len()),
        );
        let schema = &index.schema;
        let body_fields = TextFields::of(schema, schema.schema.get_field_name(schema.fields.body));
        let ids = ids::IdCache::new(schema.schema.get_field_name(schema.fields.id));
        let stores = stored::Stores::new(schema.fields, cache_blocks);
        Ok(Searcher {
            index,
            reader,
            resolver: Resolver::new(Gazetteer::builtin()?),
            body_fields,
            ids,
            stores,
            facet_terms: FacetTerms::default(),
            tokenizers: pooled::tokenizers(),
            stats: stats::StatsCache::default(),
        })
    }

    /// The index searched.
    pub fn index(&self) -> &NewsIndex {
        &self.index
    }

    /// The gazetteer used for labels and name resolution.
    pub fn gazetteer(&self) -> &Gazetteer {
        self.resolver.gazetteer()
    }

    /// Facet names this index supports.
    pub fn facet_names(&self) -> Vec<&str> {
        let mut names = self.index.schema.facet_names();
        names.extend(DATE_FACETS.iter().map(|(n, _)| *n));
        names
    }

    fn facet_source(&self, name: &str) -> Result<FacetSource, SearchError> {
        if let Some(spec) = self.index.schema.facet_field(name) {
            return Ok(FacetSource::Terms {
                field: spec.name.clone(),
            });
        }
        if let Some((_, by)) = DATE_FACETS.iter().find(|(n, _)| *n == name) {
            let field = self
                .index
                .schema
                .schema
                .get_field_name(self.index.schema.fields.date);
            return Ok(FacetSource::Dates {
                field: field.to_string(),
                by: *by,
            });
        }
        Err(SearchError::UnknownFacet {
            name: name.to_string(),
            known: self.facet_names().join(", "),
        })
    }

    /// Parses the request's query and filters into one tantivy query, with
    /// the parsed query (for highlighting).
    fn build_query(
        &self,
        request: &SearchRequest,
        searcher: &tantivy::Searcher,
        mode: Mode,
    ) -> Result<(compile::Compiled, Option<ParsedQuery>), SearchError> {
        let schema = &self.index.schema;
        let mut filters = Filters::default();
        let known = schema.facet_names();
        for filter in &request.filters {
            filters.add(filter, &known)?;
        }
        filters.bound(request.from.as_deref(), request.to.as_deref())?;
        let ctx = compile::Context {
            schema,
            tokenizers: &self.tokenizers,
            resolver: &self.resolver,
            searcher,
        };
        if request.query.trim().is_empty() && filters.selects() {
            let query = compile::compile_filters(&ctx, &filters)?;
            let compiled = compile::Compiled {
                query,
                question: false,
                expanded: compile::Expanded::default(),
            };
            return Ok((compiled, None));
        }
        let parsed = query::parse(&request.query)?;
        let compiled = compile::compile_query(&ctx, &parsed, &filters, mode)?;
        Ok((compiled, Some(parsed)))
    }

    /// Runs `query` with a total count, the counters of `sources` and
    /// `top` (the page, in some order).
    fn collect<C: tantivy::collector::Collector>(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        statistics: &stats::CachedStats,
        sources: &[FacetSource],
        top: C,
    ) -> Result<(usize, C::Fruit, facets::FacetFruit), SearchError> {
        let facets = FacetCounter::with_terms(sources.to_vec(), &self.facet_terms, searcher);
        Ok(searcher
            .search_with_statistics_provider(query, &(Count, top, facets), statistics)
            .context("search failed")?)
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let started = Instant::now();
        let sources = request
            .facets
            .iter()
            .map(|name| self.facet_source(name))
            .collect::<Result<Vec<_>, _>>()?;
        let searcher = self.reader.searcher();
        let request = &*within_index(request, searcher.num_docs());
        let statistics = self.stats.provider(&searcher);
        // Every word required; when no article has them all, the best
        // partial matches (ranked below would-be full matches) instead.
        let mut mode = Mode::AllRequired;
        let (query, parsed, question, expanded, total, ranked, facet_counts) = loop {
            let (compiled, parsed) = self.build_query(request, &searcher, mode)?;
            let (query, question, expanded) =
                (compiled.query, compiled.question, compiled.expanded);

            let date_field = self
                .index
                .schema
                .schema
                .get_field_name(self.index.schema.fields.date);
            // The page in the request's order (none when only counts are
            // asked), with the total and the facet counts.
            let page = TopDocs::with_limit(request.limit.max(1)).and_offset(request.offset);
            let wanted = request.limit > 0;
            let (total, ranked, facet_counts): (usize, Vec<(Option<f32>, DocAddress)>, _) =
                match request.sort {
                    Sort::Relevance => {
                        let top = wanted.then(|| page.order_by_score());
                        let (total, top, counts) =
                            self.collect(&searcher, &query, &statistics, &sources, top)?;
                        let top = top.unwrap_or_default().into_iter();
                        (total, top.map(|(s, a)| (Some(s), a)).collect(), counts)
                    }
                    Sort::Date | Sort::DateAsc => {
                        let order = if request.sort == Sort::Date {
                            Order::Desc
                        } else {
                            Order::Asc
                        };
                        let top =
                            wanted.then(|| page.order_by_fast_field::<DateTime>(date_field, order));
                        let (total, top, counts) =
                            self.collect(&searcher, &query, &statistics, &sources, top)?;
                        let top = top.unwrap_or_default().into_iter();
                        (total, top.map(|(_, a)| (None, a)).collect(), counts)
                    }
                };

            if total > 0 || mode == Mode::Ranked || parsed.is_none() {
                break (
                    query,
                    parsed,
                    question,
                    expanded,
                    total,
                    ranked,
                    facet_counts,
                );
            }
            mode = Mode::Ranked;
        };

        // Articles with every word score 1 or more, as in the default
        // ranking (where those with only some score less).
        let mut ranked = ranked;
        if mode == Mode::AllRequired && parsed.is_some() {
            for (score, _) in &mut ranked {
                *score = score.map(|s| s + 1.0);
            }
        }
        // A question rarely shares every word with the passage that answers
        // it: when fewer articles have them all than the page reaches, the
        // others of the default ranking follow them, in its order. (Not for
        // other queries: ranking every article with any of a headline's
        // words costs several times the search.)
        let full_shown = ranked.len();
        let (mut partial_total, mut partial_query) = (0, None);
        if mode == Mode::AllRequired
            && question
            && request.sort == Sort::Relevance
            && request.limit > 0
            && total < request.offset + request.limit
        {
            let partial =
                self.partial_matches(request, &searcher, &statistics, &query, total, &ranked)?;
            ranked.extend(partial.hits);
            (partial_total, partial_query) = (partial.total, Some(partial.query));
        }

        let mut highlighter = Highlighter::new(parsed.iter().flat_map(|p| p.positive_texts()))
            .with_exact_terms(expanded.words.iter().map(String::as_str));
        let located = match request.detail {
            HitDetail::IdsOnly => Vec::new(),
            HitDetail::Full => self.locate(&searcher, &highlighter, &ranked)?,
        };
        let mut hits = Vec::with_capacity(ranked.len());
        for (i, (score, address)) in ranked.into_iter().enumerate() {
            let mut hit = match request.detail {
                HitDetail::IdsOnly => self.id_only_hit(&searcher, address, score)?,
                HitDetail::Full => {
                    self.full_hit(&searcher, address, score, &mut highlighter, &located[i])?
                }
            };
            // Every hit of the default ranking lacks a word when no article
            // has them all.
            hit.partial = mode == Mode::Ranked || i >= full_shown;
            if request.explain {
                let query = match &partial_query {
                    Some(partial) if i >= full_shown => partial,
                    _ => &query,
                };
                let mut explanation = query
                    .explain(&searcher, address)
                    .context("cannot explain a hit")?;
                if !hit.partial && parsed.is_some() && request.sort == Sort::Relevance {
                    let sum = explanation;
                    explanation = Explanation::new("every word: 1 + bm25", sum.value() + 1.0);
                    explanation.add_detail(sum);
                }
                hit.explanation = serde_json::from_str(&explanation.to_pretty_json()).ok();
            }
            hits.push(hit);
        }

        let mut facets = BTreeMap::new();
        for (name, counts) in request.facets.iter().zip(facet_counts) {
            let mut values: Vec<(String, u64)> = counts.into_iter().collect();
            if DATE_FACETS.iter().any(|(n, _)| n == name) {
                values.sort_by(|a, b| a.0.cmp(&b.0));
                let skip = values.len().saturating_sub(request.facet_size);
                values.drain(..skip);
            } else {
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                values.truncate(request.facet_size);
            }
            // Labels only for the values shown.
            let values = values
                .into_iter()
                .map(|(value, count)| FacetValue {
                    label: self.label(name, &value),
                    value,
                    count,
                })
                .collect();
            facets.insert(name.clone(), values);
        }
        let notes = expanded
            .capped
            .iter()
            .map(|(prefix, found)| Note {
                code: "prefix_capped",
                message: format!(
                    "`{prefix}*` starts {found} indexed words; the {MAX_PREFIX_EXPANSIONS} in most articles were searched"
                ),
            })
            .collect();
        Ok(SearchResponse {
            query: request.query.clone(),
            total,
            partial_total,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
            facets,
            notes,
        })
    }

    /// The page's part of the articles with only some of the words, which
    /// follow the `total` ones with all of them (`query`; `full_page` is
    /// their part of the page): from the default ranking, without those.
    fn partial_matches(
        &self,
        request: &SearchRequest,
        searcher: &tantivy::Searcher,
        statistics: &stats::CachedStats,
        query: &dyn Query,
        total: usize,
        full_page: &[(Option<f32>, DocAddress)],
    ) -> Result<PartialMatches, SearchError> {
        let reach = request.offset + request.limit;
        let full: HashSet<DocAddress> = if request.offset == 0 {
            full_page.iter().map(|&(_, address)| address).collect()
        } else {
            searcher
                .search_with_statistics_provider(
                    query,
                    &TopDocs::with_limit(total.max(1)).order_by_score(),
                    statistics,
                )
                .context("search failed")?
                .into_iter()
                .map(|(_, address)| address)
                .collect()
        };
        let ranked = self.build_query(request, searcher, Mode::Ranked)?.0.query;
        let (count, top) = searcher
            .search_with_statistics_provider(
                ranked.as_ref(),
                &(Count, TopDocs::with_limit(reach + total).order_by_score()),
                statistics,
            )
            .context("search failed")?;
        let partial = top
            .into_iter()
            .filter(|(_, address)| !full.contains(address))
            .skip(request.offset.saturating_sub(total))
            .take(request.limit - full_page.len())
            .map(|(score, address)| (Some(score), address))
            .collect();
        Ok(PartialMatches {
            hits: partial,
            total: count.saturating_sub(total),
            query: ranked,
        })
    }

    /// Where the query's words are in each hit's body, read from the index
    /// segment by segment (postings are read forward, so by ascending doc).
    fn locate(
        &self,
        searcher: &tantivy::Searcher,
        highlighter: &Highlighter,
        ranked: &[(Option<f32>, DocAddress)],
    ) -> Result<Vec<Located>> {
        let mut order: Vec<usize> = (0..ranked.len()).collect();
        order.sort_by_key(|&i| (ranked[i].1.segment_ord, ranked[i].1.doc_id));
        let mut located = vec![Located::default(); ranked.len()];
        for group in order.chunk_by(|&a, &b| ranked[a].1.segment_ord == ranked[b].1.segment_ord) {
            let segment = searcher.segment_reader(ranked[group[0]].1.segment_ord);
            let docs: Vec<_> = group.iter().map(|&i| ranked[i].1.doc_id).collect();
            let found = highlighter
                .locate(segment, &self.body_fields, &docs)
                .context("cannot read the positions of the query's words")?;
            for (&i, found) in group.iter().zip(found) {
                located[i] = found;
            }
        }
        Ok(located)
    }

    fn id_only_hit(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        score: Option<f32>,
    ) -> Result<Hit> {
        let id = self
            .ids
            .id(searcher, address)
            .context("cannot read an article's id")?;
        Ok(Hit::id_only(id, score))
    }

    fn full_hit(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        score: Option<f32>,
        highlighter: &mut Highlighter,
        located: &Located,
    ) -> Result<Hit> {
        let owned = |texts: Vec<&str>| texts.into_iter().map(String::from).collect();
        self.stores
            .with_hit(searcher, address, |stored| {
                let body = stored.body.unwrap_or_default();
                let snippet = highlighter.snippet_located(body, located, SNIPPET_CHARS);
                Hit {
                    id: stored.id.unwrap_or_default().to_string(),
                    score,
                    title: stored.title.map(String::from),
                    date: stored.date.map(date::format),
                    source: stored.source.map(String::from),
                    url: stored.url.map(String::from),
                    snippet: snippet.fragment,
                    highlights: snippet.highlights,
                    partial: false,
                    countries: owned(stored.countries),
                    places: owned(stored.places),
                    actors: owned(stored.actors),
                    explanation: None,
                }
            })
            .context("cannot read a stored document")
    }

    /// The label shown for a facet value: the Arabic name of a country code.
    fn label(&self, facet: &str, value: &str) -> String {
        if facet == "country" {
            if let Some(country) = self.gazetteer().country(value) {
                return country.name_ar.clone();
            }
        }
        value.to_string()
    }
}

/// The request with its page inside the index: collectors make room for
/// `offset + limit` hits, so a page asked beyond the number of articles
/// (`--limit 18446744073709551615`) would allocate for hits that cannot
/// exist, or overflow. The hits returned are the same.
fn within_index(request: &SearchRequest, documents: u64) -> Cow<'_, SearchRequest> {
    let documents = usize::try_from(documents).unwrap_or(usize::MAX);
    let offset = request.offset.min(documents);
    let limit = request.limit.min(documents - offset);
    if (offset, limit) == (request.offset, request.limit) {
        return Cow::Borrowed(request);
    }
    Cow::Owned(SearchRequest {
        offset,
        limit,
        ..request.clone()
    })
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

#[cfg(test)]
mod tests {
    use super::{docstore_cache_blocks, within_index, SearchRequest};

    #[test]
    fn a_page_never_reaches_past_the_index() {
        let mut request = SearchRequest::new("x");
        assert_eq!(within_index(&request, 100).limit, 10);
        request.limit = usize::MAX;
        request.offset = usize::MAX;
        let page = within_index(&request, 100);
        assert_eq!((page.offset, page.limit), (100, 0));
        request.offset = 95;
        let page = within_index(&request, 100);
        assert_eq!((page.offset, page.limit), (95, 5));
    }

    #[test]
    fn docstore_cache_is_shared_among_segments() {
        assert_eq!(docstore_cache_blocks(0), 2048);
        assert_eq!(docstore_cache_blocks(2), 2048);
        assert_eq!(docstore_cache_blocks(8), 512);
        // Many small segments still get tantivy's default each.
        assert_eq!(docstore_cache_blocks(400), 100);
    }
}
