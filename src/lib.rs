//! akhbar: full-text search for Arabic news archives.
//!
//! Data flows one way. Indexing: archive file → [`archive::Article`] →
//! tagged with [`entities::Entities`] → tantivy document → index.
//! Searching: query string → [`search::query`] → tantivy query →
//! [`search::SearchResponse`], which [`output`] prints for a terminal or as
//! JSON. The analyzers in [`analysis`] are shared by both directions.

pub mod analysis;
pub mod archive;
pub mod entities;
pub mod eval;
pub mod index;
pub mod output;
mod prefetch;
pub mod search;
pub mod server;
