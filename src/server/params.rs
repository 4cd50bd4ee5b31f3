//! Search parameters as the API takes them — a URL query string for `GET`,
//! a JSON object for `POST`, the same names in both — turned into the
//! library's [`SearchRequest`].

use serde::Deserialize;

use super::error::ApiError;
use crate::search::{HitDetail, SearchRequest, Sort};

/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Deepest page: hits skipped before the ones returned.
pub const MAX_OFFSET: usize = 10_000;
/// Most values one facet may return.
pub const MAX_FACET_SIZE: usize = 1_000;

/// The parameters of a search, before validation.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchParams {
    #[serde(alias = "query")]
    pub q: String,
    #[serde(alias = "filters")]
    pub filter: OneOrMany,
    #[serde(alias = "facet")]
    pub facets: OneOrMany,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    pub facet_size: Option<usize>,
    pub explain: bool,
}

/// A list that a JSON body may also give as a single string.
#[derive(Debug, Default, Deserialize)]
#[serde(from = "OneOrManyRepr")]
pub struct OneOrMany(pub Vec<String>);

#[derive(Deserialize)]
#[serde(untagged, expecting = "a string or an array of strings")]
enum OneOrManyRepr {
    One(String),
    Many(Vec<String>),
}

impl From<OneOrManyRepr> for OneOrMany {
    fn from(repr: OneOrManyRepr) -> OneOrMany {
        match repr {
            OneOrManyRepr::One(s) => OneOrMany(vec![s]),
            OneOrManyRepr::Many(v) => OneOrMany(v),
        }
    }
}

/// Parameter names of `GET /search`, for the error about an unknown one.
const KNOWN: &str = "q, filter, facet, from, to, sort, limit, offset, facet_size, explain";

impl SearchParams {
    /// Reads a URL query string (`q=…&facet=country&filter=country:TR`).
    /// `facet` and `filter` repeat; `facet` also takes a comma-separated list.
    /// Empty values count as absent, as an empty form field does.
    pub fn from_query_string(query: &str) -> Result<SearchParams, ApiError> {
        let mut params = SearchParams::default();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim();
            if value.is_empty() && key != "q" && key != "query" {
                continue;
            }
            match &*key {
                "q" | "query" => params.q = value.to_string(),
                "filter" | "filters" => params.filter.0.push(value.to_string()),
                "facet" | "facets" => params.facets.0.extend(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from),
                ),
                "from" => params.from = Some(value.to_string()),
                "to" => params.to = Some(value.to_string()),
                "sort" => params.sort = Some(value.to_string()),
                "limit" => params.limit = Some(number(&key, value)?),
                "offset" => params.offset = Some(number(&key, value)?),
                "facet_size" => params.facet_size = Some(number(&key, value)?),
                "explain" => {
                    params.explain = match value {
                        "true" | "1" | "yes" => true,
                        "false" | "0" | "no" => false,
                        _ => {
                            return Err(ApiError::bad_request(format!(
                                "explain must be true or false, not `{value}`"
                            )))
                        }
                    }
                }
                other => {
                    return Err(ApiError::bad_request(format!(
                        "unknown parameter `{other}`; parameters are {KNOWN}"
                    )))
                }
            }
        }
        Ok(params)
    }

    /// Reads a JSON body with the same names.
    pub fn from_json(body: &[u8]) -> Result<SearchParams, ApiError> {
        serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))
    }

    /// Checks the bounds and builds the library request.
    pub fn into_request(self) -> Result<SearchRequest, ApiError> {
        let defaults = SearchRequest::new("");
        let limit = self.limit.unwrap_or(defaults.limit);
        if limit > MAX_LIMIT {
            return Err(ApiError::bad_request(format!(
                "limit {limit} is over the maximum of {MAX_LIMIT}; page with offset"
            )));
        }
        let offset = self.offset.unwrap_or(0);
        if offset > MAX_OFFSET {
            return Err(ApiError::bad_request(format!(
                "offset {offset} is over the maximum of {MAX_OFFSET}; narrow the search with filters"
            )));
        }
        let facet_size = self.facet_size.unwrap_or(defaults.facet_size);
        if facet_size > MAX_FACET_SIZE {
            return Err(ApiError::bad_request(format!(
                "facet_size {facet_size} is over the maximum of {MAX_FACET_SIZE}"
            )));
        }
        let sort = match self.sort.as_deref() {
            None | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some("date-asc" | "date_asc") => Sort::DateAsc,
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "unknown sort `{other}`; use relevance, date or date-asc"
                )))
            }
        };
        if self.q.trim().is_empty()
            && self.filter.0.is_empty()
            && self.from.is_none()
            && self.to.is_none()
        {
            return Err(ApiError::bad_request(
                "nothing to search for: give a query (q) or at least one filter, from or to",
            ));
        }
        Ok(SearchRequest {
            query: self.q,
            filters: self.filter.0,
            from: self.from,
            to: self.to,
            sort,
            limit,
            offset,
            facets: self.facets.0,
            facet_size,
            explain: self.explain,
            detail: HitDetail::Full,
        })
    }
}

fn number(key: &str, value: &str) -> Result<usize, ApiError> {
    value
        .parse()
        .map_err(|_| ApiError::bad_request(format!("{key} must be a whole number, not `{value}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_string_repeats_and_lists() {
        let p = SearchParams::from_query_string(
            "q=%D8%A8%D9%8A%D8%B1%D9%82%D8%AF%D8%A7%D8%B1&facet=country,source&facet=year&filter=country:TR&filter=source%3DBBC&limit=5&from=",
        )
        .unwrap();
        assert_eq!(p.q, "بيرقدار");
        assert_eq!(p.facets.0, ["country", "source", "year"]);
        assert_eq!(p.filter.0, ["country:TR", "source=BBC"]);
        assert_eq!(p.limit, Some(5));
        assert_eq!(p.from, None);
    }

    #[test]
    fn json_takes_a_string_or_a_list() {
        let p = SearchParams::from_json(
            br#"{"q": "x", "filter": "country:TR", "facets": ["country"], "limit": 3}"#,
        )
        .unwrap();
        assert_eq!(p.filter.0, ["country:TR"]);
        assert_eq!(p.facets.0, ["country"]);
        let err = SearchParams::from_json(br#"{"q": "x", "colour": "red"}"#).unwrap_err();
        assert!(err.message.contains("colour"), "{}", err.message);
    }

    #[test]
    fn bounds_are_checked() {
        let over = SearchParams::from_query_string("q=x&limit=101").unwrap();
        assert!(over.into_request().unwrap_err().message.contains("maximum"));
        let bad = SearchParams::from_query_string("q=x&limit=ten").unwrap_err();
        assert!(bad.message.contains("whole number"));
        let sort = SearchParams::from_query_string("q=x&sort=random").unwrap();
        assert!(sort.into_request().is_err());
        let empty = SearchParams::from_query_string("q=").unwrap();
        assert!(empty.into_request().is_err());
    }
}
