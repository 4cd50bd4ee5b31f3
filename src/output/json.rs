//! JSON output: one object per search, on one line.

use std::io::{self, Write};

use crate::search::SearchResponse;

/// Writes a response as one line of JSON.
pub fn print_response(out: &mut impl Write, response: &SearchResponse) -> io::Result<()> {
    serde_json::to_writer(&mut *out, response)?;
    writeln!(out)
}
