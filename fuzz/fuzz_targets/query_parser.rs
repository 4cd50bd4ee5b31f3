//! Any string is either a parsed query or a `QueryError`, never a panic;
//! date ranges parse or fail the same way.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(parsed) = akhbar::search::query::parse(text) {
            assert!(!parsed.clauses.is_empty());
            assert!(parsed.clauses.iter().any(|c| !c.excluded));
        }
        let _ = akhbar::search::query::parse_date_range(text, 1);
    }
});
