//! What wraps every request: the log line, and JSON bodies for the errors
//! that axum and tower-http answer themselves (no route, wrong method, body
//! too large, time limit), so that every error has the same shape.

use std::io::Write as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

/// Request lines not yet written. A request only appends its line here; the
/// lines go to stderr together, every [`LOG_FLUSH_INTERVAL`], when
/// [`LOG_FLUSH_BYTES`] have piled up, and when the server stops, so that
/// logging costs no system call per request.
static LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Longest time a request's line waits to be written.
pub const LOG_FLUSH_INTERVAL: Duration = Duration::from_millis(100);
/// Pending lines written at once whatever the time.
const LOG_FLUSH_BYTES: usize = 64 * 1024;

/// Writes the pending request lines to stderr.
pub fn flush_log() {
    let pending = std::mem::take(&mut *LOG.lock().unwrap_or_else(|e| e.into_inner()));
    if !pending.is_empty() {
        // Whole lines in one write: lines never interleave with others.
        let _ = std::io::stderr().lock().write_all(&pending);
    }
}

/// Logs `METHOD PATH STATUS MILLISECONDS`, one line per request.
pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let full = {
        let mut log = LOG.lock().unwrap_or_else(|e| e.into_inner());
        let _ = writeln!(
            log,
            "{method} {path} {} {:.2}ms",
            response.status().as_u16(),
            started.elapsed().as_secs_f64() * 1000.0
        );
        log.len() >= LOG_FLUSH_BYTES
    };
    if full {
        flush_log();
    }
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
