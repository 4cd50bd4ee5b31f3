//! Errors as the API answers them: a status and `{"error": {"code", "message"}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::search::SearchError;

/// A failed request.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    /// The request's parameters are wrong.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            message: message.into(),
        }
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code,
            message: message.into(),
        }
    }

    /// The index or the machine failed; the cause goes to the log, the
    /// client learns only that it was not its fault.
    pub fn internal(error: &anyhow::Error) -> ApiError {
        eprintln!("akhbar: internal error: {error:#}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "the server failed to answer this request; see its log".into(),
        }
    }

    /// The code and message given to errors that did not come from a handler
    /// (no route, wrong method, body too large, time limit).
    pub fn for_status(status: StatusCode, detail: &str) -> ApiError {
        let (code, message) = match status {
            StatusCode::NOT_FOUND => (
                "not_found",
                "no such endpoint; see GET / for the page and the README for the API".to_string(),
            ),
            StatusCode::METHOD_NOT_ALLOWED => (
                "method_not_allowed",
                "this endpoint does not take that method".to_string(),
            ),
            StatusCode::PAYLOAD_TOO_LARGE => (
                "payload_too_large",
                "the request body is too large".to_string(),
            ),
            StatusCode::SERVICE_UNAVAILABLE => (
                "timeout",
                "the request took longer than the server's time limit".to_string(),
            ),
            s if s.is_client_error() => ("bad_request", detail.trim().to_string()),
            _ => (
                "internal",
                "the server failed to answer this request; see its log".to_string(),
            ),
        };
        ApiError {
            status,
            code,
            message: if message.is_empty() {
                status.canonical_reason().unwrap_or("error").to_string()
            } else {
                message
            },
        }
    }
}

impl From<SearchError> for ApiError {
    fn from(error: SearchError) -> ApiError {
        if !error.is_user_error() {
            return ApiError::internal(&anyhow::Error::new(error));
        }
        let code = match error {
            SearchError::UnknownFacet { .. } => "unknown_facet",
            _ => "bad_query",
        };
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: error.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}
