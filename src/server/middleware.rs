//! What wraps every request: the log line, and JSON bodies for the errors
//! that axum and tower-http answer themselves (no route, wrong method, body
//! too large, time limit), so that every error has the same shape.

use std::io::Write as _;
use std::time::Instant;

use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

/// Writes `METHOD PATH STATUS MILLISECONDS` to stderr, one line per request.
pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let line = format!(
        "{method} {path} {} {:.2}ms\n",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    // One write per line, so lines of concurrent requests never interleave.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
    response
}

/// Longest error text from a rejection that is passed on to the client.
const MAX_DETAIL: usize = 1_000;

/// Gives a JSON error body to error responses that lack one.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let detail = axum::body::to_bytes(response.into_body(), MAX_DETAIL)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    ApiError::for_status(status, &detail).into_response()
}
