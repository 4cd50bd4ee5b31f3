//! Printing results: for people on a terminal, or as JSON for programs.
//! Kept apart from searching so both outputs show the same results.

pub mod analysis;
pub mod bidi;
pub mod json;
pub mod terminal;
