//! The JSON endpoints. Each one parses its input, runs the library call on
//! the worker threads (searches are CPU-bound and must not stall the async
//! workers that carry the connections) and answers JSON.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::error::ApiError;
use super::params::SearchParams;
use super::workers::Workers;
use crate::index::stats;
use crate::search::{FacetValue, Searcher};

/// Most facet values `GET /facets/{field}` returns.
const MAX_FACET_VALUES: usize = 1_000;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub searcher: Arc<Searcher>,
    /// Library calls running at once: one per worker thread.
    pub workers: Arc<Workers>,
}

impl AppState {
    /// The state of a server running `concurrency` library calls at once.
    pub fn new(searcher: Searcher, concurrency: usize) -> std::io::Result<AppState> {
        Ok(AppState {
            searcher: Arc::new(searcher),
            workers: Arc::new(Workers::new(concurrency)?),
        })
    }

    /// Runs `work` on a worker thread once one is free.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Searcher) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let searcher = self.searcher.clone();
        self.workers
            .run(move || work(&searcher))
            .await
            .map_err(|e| ApiError::internal(&e.into()))?
    }
}

/// Room made for a JSON body before it is written: a page of hits with
/// snippets takes about 10 KB, written without growing the buffer.
const JSON_CAPACITY: usize = 16 * 1024;

/// Serializes on the calling (blocking) thread, so the async side only
/// copies bytes.
fn to_json(value: &impl Serialize) -> Result<Bytes, ApiError> {
    let mut body = Vec::with_capacity(JSON_CAPACITY);
    serde_json::to_writer(&mut body, value).map_err(|e| ApiError::internal(&e.into()))?;
    Ok(Bytes::from(body))
}

fn json_response(body: Bytes) -> Response {
    ([(CONTENT_TYPE, "application/json")], body).into_response()
}

/// `GET /search?q=…&facet=…&filter=…`
pub async fn search_get(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = SearchParams::from_query_string(query.as_deref().unwrap_or(""))?;
    search(state, params).await
}

/// `POST /search` with the parameters as a JSON object.
pub async fn search_post(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    search(state, SearchParams::from_json(&body)?).await
}

async fn search(state: AppState, params: SearchParams) -> Result<Response, ApiError> {
    let request = params.into_request()?;
    let body = state
        .run(move |searcher| to_json(&searcher.search(&request)?))
        .await?;
    Ok(json_response(body))
}

/// `GET /documents/{id}`: ids may contain slashes (`seed/000_….txt`).
pub async fn document(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let body = state
        .run(move |searcher| match searcher.document(&id) {
            Ok(Some(doc)) => to_json(&doc),
            Ok(None) => Err(ApiError::not_found(
                "unknown_document",
                format!("no article with id `{id}` in the index"),
            )),
            Err(e) => Err(ApiError::internal(&e)),
        })
        .await?;
    Ok(json_response(body))
}

#[derive(Serialize)]
struct FacetValues<'a> {
    field: &'a str,
    values: Vec<FacetValue>,
}

/// `GET /facets/{field}?prefix=…&limit=…`: `{"field", "values": [{"value", "label", "count"}]}`.
pub async fn facet_values(
    State(state): State<AppState>,
    Path(field): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let mut prefix = String::new();
    let mut limit = 20;
    for (key, value) in form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes()) {
        match &*key {
            "prefix" => prefix = value.into_owned(),
            "limit" => {
                limit = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| *n <= MAX_FACET_VALUES)
                    .ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "limit must be a whole number up to {MAX_FACET_VALUES}, not `{value}`"
                        ))
                    })?
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter `{other}`; parameters are prefix, limit"
                )))
            }
        }
    }
    let body = state
        .run(move |searcher| {
            if !searcher.facet_names().contains(&field.as_str()) {
                return Err(ApiError::not_found(
                    "unknown_facet",
                    format!(
                        "unknown facet `{field}`; facets are {}",
                        searcher.facet_names().join(", ")
                    ),
                ));
            }
            let values = searcher.facet_values(&field, &prefix, limit)?;
            to_json(&FacetValues {
                field: &field,
                values,
            })
        })
        .await?;
    Ok(json_response(body))
}

/// `GET /health`: the server is up and answering.
pub async fn health() -> Response {
    json_response(Bytes::from_static(br#"{"status":"ok"}"#))
}

/// What `GET /stats` answers: which index is served and what made it,
/// then what `akhbar stats --json` says of it.
#[derive(Serialize)]
struct ServedStats<'a> {
    path: String,
    created_by: &'a str,
    #[serde(flatten)]
    stats: stats::Stats,
}

/// `GET /stats`
pub async fn stats(State(state): State<AppState>) -> Result<Response, ApiError> {
    let body = state
        .run(|searcher| {
            let index = searcher.index();
            let stats = stats::compute(index).map_err(|e| ApiError::internal(&e))?;
            to_json(&ServedStats {
                path: index.path.display().to_string(),
                created_by: &index.meta.created_by,
                stats,
            })
        })
        .await?;
    Ok(json_response(body))
}
