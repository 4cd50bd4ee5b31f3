//! Snippets of any text for any query: highlights lie inside the fragment,
//! in order, without overlap.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (query, body) = text.split_once('\n').unwrap_or((text, text));
    let mut highlighter = akhbar::search::Highlighter::new(query.split_whitespace());
    for max in [1, 20, 220] {
        let snippet = highlighter.snippet(body, max);
        let len = snippet.fragment.chars().count();
        let mut last = 0;
        for [start, end] in snippet.highlights {
            assert!(start >= last && start < end && end <= len);
            last = end;
        }
    }
});
