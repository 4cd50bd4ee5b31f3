//! `akhbar serve`: the searches of the library over HTTP, and a search page.
//!
//! Every endpoint goes through the same [`Searcher`] calls as the command
//! line; this module only turns requests into those calls and their results
//! into JSON. The page and its script are compiled into the binary, so no
//! request ever reads a file named by its URL.

mod api;
mod error;
mod listen;
mod middleware;
mod page;
mod params;
mod workers;

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context as _, Result};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::search::Searcher;
pub use api::AppState;
pub use params::{MAX_FACET_SIZE, MAX_LIMIT, MAX_OFFSET};

/// Largest request body accepted (a search is a few hundred bytes).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on, e.g. `127.0.0.1:7700` (port 0: any free port).
    pub addr: String,
    /// Time limit of one request, body reading included.
    pub timeout: Duration,
    /// Time a connection has to send a request's headers (each request's,
    /// on a kept-alive connection the wait for the next one included).
    pub header_timeout: Duration,
}

/// The routes, with logging, error shaping, the time limit and the body
/// size limit around them.
pub fn router(state: AppState, timeout: Duration) -> Router {
    Router::new()
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/style.css", get(page::style))
        .route("/health", get(api::health))
        .route("/stats", get(api::stats))
        .route("/search", get(api::search_get).post(api::search_post))
        .route("/documents/{*id}", get(api::document))
        .route("/facets/{field}", get(api::facet_values))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(axum::middleware::from_fn(middleware::json_errors))
        .layer(axum::middleware::from_fn(middleware::log_request))
        .with_state(state)
}

/// Serves `searcher` until Ctrl-C or SIGTERM, then lets requests in flight
/// finish.
pub fn serve(searcher: Searcher, options: &ServeOptions) -> Result<()> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&options.addr)
            .await
            .with_context(|| format!("cannot listen on {}", options.addr))?;
        let local = listener.local_addr()?;
        announce(&searcher, local);
        let state = AppState::new(searcher, cores).context("cannot start the worker threads")?;
        let app = router(state, options.timeout);
        let flusher = tokio::spawn(async {
            let mut tick = tokio::time::interval(middleware::LOG_FLUSH_INTERVAL);
            loop {
                tick.tick().await;
                middleware::flush_log();
            }
        });
        listen::serve(listener, app, options.header_timeout, shutdown_signal()).await;
        flusher.abort();
        middleware::flush_log();
        eprintln!("akhbar: stopped");
        Ok(())
    })
}

fn announce(searcher: &Searcher, local: SocketAddr) {
    let documents = crate::index::stats::compute(searcher.index())
        .map(|s| s.documents.to_string())
        .unwrap_or_else(|_| "?".into());
    eprintln!(
        "akhbar: serving {} ({documents} articles) on http://{local}/",
        searcher.index().path.display()
    );
    if !local.ip().is_loopback() {
        eprintln!(
            "akhbar: warning: {} is not a loopback address; anyone who can reach it can search this index",
            local.ip()
        );
    }
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    middleware::flush_log();
    eprintln!("akhbar: shutting down");
}
