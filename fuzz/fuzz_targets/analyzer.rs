//! Every analyzer accepts any text: tokens are non-empty, in order, and their
//! offsets are char boundaries of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tantivy::tokenizer::TextAnalyzer;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let analyzers: [TextAnalyzer; 2] = [akhbar::analysis::arabic(), akhbar::analysis::arabic_stem()];
    for mut analyzer in analyzers {
        let mut stream = analyzer.token_stream(text);
        let mut last_end = 0;
        while let Some(token) = stream.next() {
            assert!(!token.text.is_empty());
            assert!(token.offset_from < token.offset_to);
            assert!(token.offset_from >= last_end);
            assert!(text.is_char_boundary(token.offset_from));
            assert!(text.is_char_boundary(token.offset_to));
            last_end = token.offset_to;
        }
    }
    let _ = akhbar::analysis::normalize(text);
});
