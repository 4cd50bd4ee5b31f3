//! Text analysis: how article text and queries become index terms.
//!
//! Every analyzer is defined here once and registered under a name that the
//! index schema (`index-schema/news.toml`) refers to. Indexing and querying
//! both take analyzers from [`register`], so they cannot drift apart.

pub mod normalize;
pub mod stopwords;
pub mod stem;
pub mod tokenizer;

use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

pub use normalize::{normalize, normalize_into};
pub use stem::ArabicStemFilter;
pub use tokenizer::WordTokenizer;

/// Changes whenever any analyzer produces different terms for the same text.
/// Recorded in the index; an index built with another version must be rebuilt.
pub const ANALYZER_VERSION: u32 = 1;

/// Normalized word forms: the exact-match fields.
pub const ARABIC: &str = "arabic";
/// Normalized and Snowball-stemmed forms: the recall fields.
pub const ARABIC_STEM: &str = "arabic_stem";
/// Keyword fields (ids, codes, facet values): the whole value is one term.
pub const RAW: &str = "raw";

/// The analyzer for normalized word forms.
pub fn arabic() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default()).build()
}

/// The analyzer for stemmed word forms.
pub fn arabic_stem() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(ArabicStemFilter)
        .build()
}

/// Names of the analyzers that a schema may use.
pub fn known_analyzers() -> &'static [&'static str] {
    &[ARABIC, ARABIC_STEM, RAW]
}

/// Registers akhbar's analyzers with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    manager.register(ARABIC, arabic());
    manager.register(ARABIC_STEM, arabic_stem());
}

/// Analyzes `text` with the named analyzer and returns the terms in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}
