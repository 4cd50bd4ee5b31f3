//! The lexicon: which Arabic word forms exist, and how common each is.
//!
//! Light stemming must not destroy words: و is a conjunction in وروسيا but a
//! letter of وزارة, and ين is a plural ending in المعلمين but part of بوتين.
//! Counts of word forms in a news corpus (`data/analysis/lexicon.tsv`, built by
//! `examples/build_lexicon.rs`) tell the two apart: روسيا is far more common
//! than وروسيا, while زارة hardly exists beside وزارة. Names from the gazetteer
//! are protected from suffix stripping whatever the counts say.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::normalize::normalize;
use crate::entities::{ActorKind, Gazetteer};

const LEXICON_TSV: &str = include_str!("../../data/analysis/lexicon.tsv");

/// Word-form counts, keyed by light key ([`key`]).
pub struct Lexicon {
    counts: FxHashMap<Box<str>, u32>,
    names: FxHashSet<Box<str>>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::builtin);

impl Lexicon {
    /// The lexicon compiled into this binary (loaded once, on first use).
    pub fn get() -> &'static Lexicon {
        &LEXICON
    }

    fn builtin() -> Lexicon {
        let mut counts: FxHashMap<Box<str>, u32> = FxHashMap::default();
        counts.reserve(100_000);
        let mut buf = String::new();
        for line in LEXICON_TSV.lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((word, count)) = line.split_once('\t') else {
                continue;
            };
            let Ok(count) = count.trim().parse::<u32>() else {
                continue;
            };
            // Re-normalized, so the file stays valid when the normalizer
            // changes; stopwords keep the spelling the tokenizer gives them.
            let mut term = normalize(word);
            super::stopwords::spell(&mut term, word);
            buf.clear();
            key_into(&term, &mut buf);
            *counts.entry(buf.as_str().into()).or_default() += count;
        }
        Lexicon {
            counts,
            names: gazetteer_names(),
        }
    }

    /// How often the form occurs in the corpus (0 when unknown or rare).
    #[inline]
    pub fn count(&self, key: &str) -> u32 {
        self.counts.get(key).copied().unwrap_or(0)
    }

    /// True for a name from the gazetteer (a person's name, or a one-word
    /// place or country), which keeps its endings.
    #[inline]
    pub fn is_name(&self, key: &str) -> bool {
        self.names.contains(key)
    }
}

/// The lexicon key of a normalized term: doubled و and ي written for one
/// (تشاووش, السوفييتي, داوود) are collapsed, since transliterations double
/// them at will.
pub fn key_into(term: &str, out: &mut String) {
    let mut prev = '\0';
    for c in term.chars() {
        if c == prev && (c == '\u{0648}' || c == '\u{064A}') {
            continue;
        }
        out.push(c);
        prev = c;
    }
}

/// Light keys of the names in the gazetteer that are protected from suffix
/// stripping: every word of a person's name, and one-word places and
/// countries (multi-word names are made of common words such as المتحدة).
fn gazetteer_names() -> FxHashSet<Box<str>> {
    let mut names = FxHashSet::default();
    let Ok(gazetteer) = Gazetteer::builtin() else {
        return names;
    };
    let mut add = |name: &str, every_word: bool| {
        let words: Vec<&str> = name.split_whitespace().collect();
        if words.len() == 1 || every_word {
            for w in words {
                let mut key = String::new();
                key_into(&normalize(w), &mut key);
                if key.chars().count() >= 3 && !super::stopwords::is_stopword(&key) {
                    names.insert(key.into_boxed_str());
                }
            }
        }
    };
    for actor in &gazetteer.actors {
        let person = actor.kind == ActorKind::Person;
        add(&actor.name, person);
        for alias in &actor.aliases {
            add(alias, person);
        }
    }
    for place in &gazetteer.places {
        add(&place.name, false);
        for alias in &place.aliases {
            add(alias, false);
        }
    }
    for country in &gazetteer.countries {
        add(&country.name_ar, false);
        for alias in &country.aliases_ar {
            add(alias, false);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(w: &str) -> String {
        let mut out = String::new();
        key_into(&normalize(w), &mut out);
        out
    }

    #[test]
    fn knows_common_words_and_not_fragments() {
        let lex = Lexicon::get();
        assert!(lex.count(&key("روسيا")) > 1000);
        assert!(lex.count(&key("وزارة")) > 1000);
        assert!(lex.count(&key("وزارة")) > 20 * lex.count(&key("زارة")));
    }

    #[test]
    fn collapses_doubled_vowel_letters() {
        assert_eq!(key("السوفييتي"), key("السوفيتي"));
        assert_eq!(key("داوود"), key("داود"));
        assert_ne!(key("مدد"), key("مد"));
    }

    #[test]
    fn protects_gazetteer_names() {
        let lex = Lexicon::get();
        assert!(lex.is_name(&key("بوتين")));
        assert!(!lex.is_name(&key("المتحدة")));
    }
}
