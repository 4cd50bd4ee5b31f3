//! Text analysis: how article text and queries become index terms.
//!
//! Every analyzer is defined here once and registered under a name that the
//! index schema (`index-schema/news.toml`) refers to. Indexing, querying and
//! snippet highlighting all take analyzers from here, so they cannot drift
//! apart. Each step is one module:
//!
//! - [`tokenizer`]: UAX #29 words with offsets into the original text, each
//!   [`normalize`]d; stopwords ([`stopwords`]) keep a spelling of their own;
//! - [`light`]: clitics and suffixes off when the [`lexicon`] confirms that
//!   what remains is a word;
//! - [`inflection`]: a verb's other persons and genders, for query words;
//! - [`names`]: sound skeletons of name-like words, for transliterations;
//! - [`stem`]: Snowball Arabic, names protected, for scoring only;
//! - [`filter`]: the token filters that apply these per term, with a cache.
//!
//! The terms of some words in each analyzer (`akhbar analyze` shows them):
//!
//! | analyzer | بطائرات | وزارة | بايراكتار | على |
//! |---|---|---|---|---|
//! | `arabic` | بطاءرات | وزاره | بايراكتار | على |
//! | `arabic_light` | طاءره | وزاره | بايراكتار | — |
//! | `arabic_name` | — | — | برKTر | — |
//! | `arabic_lead` (first 60 words) | طاءره | وزاره | بايراكتار | — |
//! | `arabic_stem` | طاءرا | زار | بايراكتار | — |

pub mod explain;
pub mod filter;
pub mod inflection;
pub mod lexicon;
pub mod light;
pub mod names;
pub mod normalize;
pub mod preanalyzed;
pub mod questions;
pub mod stem;
pub mod stopwords;
pub mod tokenizer;

use serde::Serialize;
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

pub use filter::{MapFilter, TermMap};
pub use lexicon::Lexicon;
pub use normalize::{normalize, normalize_into};
pub use stem::SnowballStem;
pub use tokenizer::WordTokenizer;

/// Changes whenever any analyzer produces different terms for the same text,
/// or the entity tagger (its model, lexicon or gazetteer) tags an article
/// differently: the entity fields are indexed terms too. Recorded in the
/// index; an index built with another version must be rebuilt.
pub const ANALYZER_VERSION: u32 = 28;

/// Normalized word forms: the exact-match fields.
pub const ARABIC: &str = "arabic";
/// Light stems (clitics and suffixes off, confirmed by the lexicon).
pub const ARABIC_LIGHT: &str = "arabic_light";
/// Sound skeletons of name-like words: transliteration variants.
pub const ARABIC_NAME: &str = "arabic_name";
/// Snowball stems, names protected: scoring only.
pub const ARABIC_STEM: &str = "arabic_stem";
/// Light stems of an article's first words (its lead): scoring only. News
/// puts what an article is about in its first sentences.
pub const ARABIC_LEAD: &str = "arabic_lead";
/// Words in an article's lead.
pub const LEAD_WORDS: usize = 60;
/// Keyword fields (ids, codes, facet values): the whole value is one term.
pub const RAW: &str = "raw";

/// Light stems; stopwords dropped.
#[derive(Clone, Copy, Default)]
pub struct LightStem;

impl TermMap for LightStem {
    const SLOT: usize = 0;

    fn map(&self, term: &str, out: &mut String) -> bool {
        if stopwords::is_stopword(term) {
            return false;
        }
        light::light_into(term, Lexicon::get(), out);
        true
    }
}

/// Skeletons of name-like words; every other word dropped.
#[derive(Clone, Copy, Default)]
pub struct NameSkeleton;

impl TermMap for NameSkeleton {
    const SLOT: usize = 1;

    fn map(&self, term: &str, out: &mut String) -> bool {
        if stopwords::is_stopword(term) {
            return false;
        }
        let lexicon = Lexicon::get();
        light::light_into(term, lexicon, out);
        let Some(base) = names::name_base(out, lexicon) else {
            return false;
        };
        let base = base.to_string();
        out.clear();
        names::skeleton_into(&base, out);
        true
    }
}

/// The analyzer for normalized word forms.
pub fn arabic() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default()).build()
}

/// The analyzer for light stems.
pub fn arabic_light() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(MapFilter(LightStem))
        .build()
}

/// The analyzer for name skeletons.
pub fn arabic_name() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(MapFilter(NameSkeleton))
        .build()
}

/// The analyzer for Snowball stems.
pub fn arabic_stem() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(MapFilter(SnowballStem))
        .build()
}

/// The analyzer for the light stems of a lead.
pub fn arabic_lead() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(filter::LeadFilter(LEAD_WORDS))
        .filter(MapFilter(LightStem))
        .build()
}

/// Names of the analyzers that a schema may use.
pub fn known_analyzers() -> &'static [&'static str] {
    &[
        ARABIC,
        ARABIC_LIGHT,
        ARABIC_NAME,
        ARABIC_STEM,
        ARABIC_LEAD,
        RAW,
    ]
}

/// The analyzer registered under `name`.
pub fn by_name(name: &str) -> Option<TextAnalyzer> {
    match name {
        ARABIC => Some(arabic()),
        ARABIC_LIGHT => Some(arabic_light()),
        ARABIC_NAME => Some(arabic_name()),
        ARABIC_STEM => Some(arabic_stem()),
        ARABIC_LEAD => Some(arabic_lead()),
        _ => None,
    }
}

/// Registers akhbar's analyzers with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    for &name in known_analyzers() {
        if let Some(analyzer) = by_name(name) {
            manager.register(name, analyzer);
        }
    }
}

/// The tokenizers of an index writer fed by
/// [`document::to_indexing_document`](crate::index::document::to_indexing_document):
/// the analyzers of [`preanalyzed::AHEAD`] replay terms computed ahead, and
/// `arabic` tokenizes each text once, without the memo that serves the
/// fields analyzed one after the other.
pub fn register_for_writing(manager: &TokenizerManager) {
    register(manager);
    manager.register(
        ARABIC,
        TextAnalyzer::builder(WordTokenizer::without_memo()).build(),
    );
    for name in preanalyzed::AHEAD {
        manager.register(
            name,
            TextAnalyzer::builder(preanalyzed::Replay::default()).build(),
        );
    }
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

/// One token as an analyzer made it: the term, the byte range of the word in
/// the text, and the word's position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub term: String,
    pub start: usize,
    pub end: usize,
    pub position: usize,
}

/// Every token `analyzer` makes of `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<TokenInfo> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(TokenInfo {
            term: t.text.clone(),
            start: t.offset_from,
            end: t.offset_to,
            position: t.position,
        });
    }
    out
}
