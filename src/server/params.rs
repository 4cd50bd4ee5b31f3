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

/// Parameters of `GET /search` that take one value.
const SINGLE: &[&str] = &[
    "q",
    "from",
    "to",
    "sort",
    "limit",
    "offset",
    "facet_size",
    "explain",
];

/// Parameter names of `GET /search`, for the error about an unknown one.
const KNOWN: &str = "q, filter, facet, from, to, sort, limit, offset, facet_size, explain";

impl SearchParams {
    /// Reads a URL query string (`q=…&facet=country&filter=country:TR`).
    /// `facet` and `filter` repeat; `facet` also takes a comma-separated list.
    /// Empty values count as absent, as an empty form field does. Another
    /// parameter given twice is refused: which one to take would be a guess
    /// (`q=بيرقدار&q=` searched for nothing).
    pub fn from_query_string(query: &str) -> Result<SearchParams, ApiError> {
        check_utf8(query)?;
        let mut params = SearchParams::default();
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let name = if key == "query" { "q" } else { &*key };
            let single = SINGLE.iter().copied().find(|k| *k == name);
            if let Some(name) = single {
                if seen.contains(&name) {
                    return Err(ApiError::bad_request(format!(
                        "{name} is given twice; give it once (only filter and facet repeat)"
                    )));
                }
                seen.push(name);
            }
            match &*key {
                "q" | "query" => params.q = value.to_string(),
                "filter" | "filters" => params.filter.0.push(value.to_string()),
                "facet" | "facets" => params.facets.0.push(value.to_string()),
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
    /// Only an object: serde would also read a struct from an array of its
    /// fields in order (`["بيرقدار"]`), which no one means.
    pub fn from_json(body: &[u8]) -> Result<SearchParams, ApiError> {
        let invalid =
            |e: serde_json::Error| ApiError::bad_request(format!("invalid JSON body: {e}"));
        let value: serde_json::Value = serde_json::from_slice(body).map_err(invalid)?;
        if !value.is_object() {
            return Err(ApiError::bad_request(
                "invalid JSON body: expected an object such as {\"q\": \"…\", \"limit\": 10}",
            ));
        }
        serde_json::from_value(value).map_err(invalid)
    }

    /// Checks the bounds and builds the library request.
    pub fn into_request(mut self) -> Result<SearchRequest, ApiError> {
        for (name, value) in [("from", &self.from), ("to", &self.to)] {
            if let Some(value) = value {
                check_date(name, value)?;
            }
        }
        // A JSON body may give facets as one comma-separated string, as the
        // URL's `facet=country,source` does.
        self.facets.0 = split_list(&self.facets.0);
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

/// Refuses a query string whose percent-decoded values are not UTF-8, which
/// decoding would silently turn into U+FFFD (so that `q=%FF%FE` would search
/// for nothing and say the query has only punctuation).
fn check_utf8(query: &str) -> Result<(), ApiError> {
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            let s = s.replace('+', " ");
            percent_encoding::percent_decode_str(&s)
                .decode_utf8()
                .map(|d| d.into_owned())
        };
        let key = decode(key).map_err(|_| {
            ApiError::bad_request("invalid UTF-8 in a parameter name: percent-encode UTF-8 bytes")
        })?;
        if decode(value).is_err() {
            return Err(ApiError::bad_request(format!(
                "invalid UTF-8 in {key}: percent-encode the UTF-8 bytes of the text"
            )));
        }
    }
    Ok(())
}

/// A `from` or `to` date, checked here so that the message names the
/// parameter.
fn check_date(name: &str, value: &str) -> Result<(), ApiError> {
    let range = if name == "from" {
        format!("{value}..")
    } else {
        format!("..{value}")
    };
    crate::search::query::parse_date_range(&range, 1)
        .map(|_| ())
        .map_err(|_| ApiError {
            status: axum::http::StatusCode::BAD_REQUEST,
            code: "bad_query",
            message: format!("bad date in {name}: `{value}`; use YYYY, YYYY-MM or YYYY-MM-DD"),
        })
}

/// Items of a list whose entries may themselves be comma-separated.
fn split_list(items: &[String]) -> Vec<String> {
    items
        .iter()
        .flat_map(|item| item.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
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
        assert_eq!(p.facets.0, ["country,source", "year"]);
        assert_eq!(p.filter.0, ["country:TR", "source=BBC"]);
        assert_eq!(p.limit, Some(5));
        assert_eq!(p.from, None);
        let request = p.into_request().unwrap();
        assert_eq!(request.facets, ["country", "source", "year"]);
    }

    #[test]
    fn a_json_facet_string_may_list_several() {
        let p = SearchParams::from_json(br#"{"q": "x", "facets": "country, source"}"#).unwrap();
        assert_eq!(p.into_request().unwrap().facets, ["country", "source"]);
    }

    #[test]
    fn messages_name_the_api_parameter() {
        let p = SearchParams::from_query_string("q=x&from=2018-13").unwrap();
        let err = p.into_request().unwrap_err();
        assert_eq!(
            err.message,
            "bad date in from: `2018-13`; use YYYY, YYYY-MM or YYYY-MM-DD"
        );
        assert!(!err.message.contains("--"));
        let p = SearchParams::from_json(br#"{"q": "x", "to": "soon"}"#).unwrap();
        assert!(p.into_request().unwrap_err().message.contains("in to:"));
    }

    #[test]
    fn invalid_utf8_is_refused() {
        let err = SearchParams::from_query_string("q=%FF%FE").unwrap_err();
        assert_eq!(err.status, 400);
        assert!(
            err.message.starts_with("invalid UTF-8 in q"),
            "{}",
            err.message
        );
        let err = SearchParams::from_query_string("limit=3&filter=%D8").unwrap_err();
        assert!(err.message.contains("in filter"), "{}", err.message);
        // Valid text, with + for spaces and a literal U+FFFD, is read.
        let p = SearchParams::from_query_string("q=%EF%BF%BD+%D8%A8").unwrap();
        assert_eq!(p.q, "\u{FFFD} ب");
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
    fn a_parameter_given_twice_is_refused() {
        for query in [
            "q=a&q=b",
            "q=a&query=b",
            "limit=1&limit=2",
            "from=2018&from=2019",
        ] {
            let err = SearchParams::from_query_string(query).unwrap_err();
            assert!(
                err.message.contains("is given twice"),
                "{query}: {}",
                err.message
            );
        }
        // An empty value is absent: it neither repeats nor replaces.
        let p = SearchParams::from_query_string("q=%D8%A8&q=&from=&from=2018").unwrap();
        assert_eq!((p.q.as_str(), p.from.as_deref()), ("ب", Some("2018")));
        // Lists repeat.
        let p = SearchParams::from_query_string("q=a&filter=x:1&filter=x:2&facet=a&facet=b");
        assert!(p.is_ok());
    }

    #[test]
    fn a_json_body_is_an_object() {
        for body in [&b"[]"[..], br#"["x"]"#, b"\"x\"", b"null"] {
            let err = SearchParams::from_json(body).unwrap_err();
            assert!(
                err.message.contains("expected an object"),
                "{}",
                err.message
            );
        }
        let err = SearchParams::from_json(br#"{"q": "x", "limit": "1"}"#).unwrap_err();
        assert!(
            err.message.starts_with("invalid JSON body: invalid type"),
            "{}",
            err.message
        );
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
