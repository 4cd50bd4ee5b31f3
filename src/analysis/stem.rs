//! Snowball Arabic stemming, for a low-weight recall field.
//!
//! Snowball strips by rule (وزارة → زار, بوتين → بوت), so its field never
//! decides whether an article matches: it only adds to the score of articles
//! that matched otherwise (see `search::matching`). Names are protected: a
//! name-like word or a gazetteer name keeps its light stem.

use rust_stemmers::{Algorithm, Stemmer};

use super::filter::TermMap;
use super::lexicon::Lexicon;
use super::light::light_into;
use super::names::name_base;
use super::stopwords::is_stopword;

/// Maps a term to its Snowball stem, or to its light stem for names.
#[derive(Clone, Copy, Default)]
pub struct SnowballStem;

impl TermMap for SnowballStem {
    const SLOT: usize = 2;

    fn map(&self, term: &str, out: &mut String) -> bool {
        if is_stopword(term) {
            return false;
        }
        let lexicon = Lexicon::get();
        light_into(term, lexicon, out);
        if lexicon.is_name(out)
            || name_base(out, lexicon).is_some()
            || !out.bytes().any(|b| b >= 0x80)
        {
            return true;
        }
        thread_local! {
            static STEMMER: Stemmer = Stemmer::create(Algorithm::Arabic);
        }
        let stem = STEMMER.with(|s| s.stem(term).into_owned());
        if !stem.is_empty() {
            out.clear();
            out.push_str(&stem);
        }
        true
    }
}
