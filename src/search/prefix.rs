//! `prefix*`: the indexed words that start with a prefix.
//!
//! A short prefix starts tens of thousands of words (`ال*`), too many to
//! search at once. When there are more than [`MAX_PREFIX_EXPANSIONS`], the
//! ones in most articles are kept — they are what the prefix finds most of —
//! rather than the first in alphabetical order, which would make a longer
//! prefix (`الم*`) find more than a shorter one (`ال*`).

use std::cmp::Reverse;
use std::collections::HashMap;

use tantivy::{Searcher, Term};

/// Words searched for one `prefix*` in one field.
pub const MAX_PREFIX_EXPANSIONS: usize = 200;

/// The words a prefix stands for in one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// The words searched: all of them, or the [`MAX_PREFIX_EXPANSIONS`]
    /// in most articles.
    pub terms: Vec<Term>,
    /// How many indexed words start with the prefix.
    pub found: usize,
}

impl Expansion {
    /// Whether some words were left out.
    pub fn capped(&self) -> bool {
        self.found > self.terms.len()
    }
}

/// The indexed words of `prefix`'s field that start with it, their
/// document frequencies summed over the segments. A segment whose term
/// dictionary cannot be read is passed over here; the search that follows
/// reports the error.
pub fn expand(searcher: &Searcher, prefix: &Term, max: usize) -> Expansion {
    let field = prefix.field();
    let start = prefix.serialized_value_bytes();
    let end = prefix_end(start);
    let mut freqs: HashMap<Vec<u8>, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let mut range = inverted.terms().range().ge(start);
        if let Some(end) = &end {
            range = range.lt(end);
        }
        let Ok(mut stream) = range.into_stream() else {
            continue;
        };
        while stream.advance() {
            *freqs.entry(stream.key().to_vec()).or_default() += u64::from(stream.value().doc_freq);
        }
    }
    let found = freqs.len();
    let mut words: Vec<(Vec<u8>, u64)> = freqs.into_iter().collect();
    // Most articles first; ties in term order, so the choice is stable.
    words.sort_unstable_by(|a, b| Reverse(a.1).cmp(&Reverse(b.1)).then_with(|| a.0.cmp(&b.0)));
    words.truncate(max);
    let terms = words
        .into_iter()
        .filter_map(|(bytes, _)| String::from_utf8(bytes).ok())
        .map(|word| Term::from_field_text(field, &word))
        .collect();
    Expansion { terms, found }
}

/// The smallest byte string above every string that starts with `prefix`;
/// `None` when there is none (all bytes 0xFF).
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::NewsIndex;

    #[test]
    fn the_end_of_a_prefix_range() {
        assert_eq!(prefix_end(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_end(&[b'a', 0xFF]), Some(b"b".to_vec()));
        assert_eq!(prefix_end(&[0xFF, 0xFF]), None);
    }

    #[test]
    fn over_the_cap_the_words_in_most_articles_are_kept() {
        // سلام is in three articles, سلوك in two, the others in one; in
        // term order سلاح and سلام come first.
        let bodies = ["سلام سلوك سلاح", "سلام سلوك سلسله", "سلام سلطان", "سلم كتاب"];
        let index = NewsIndex::in_memory_of_bodies(&bodies).unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let prefix = Term::from_field_text(index.schema.fields.body, "سل");
        let words = |e: &Expansion| -> Vec<String> {
            e.terms
                .iter()
                .map(|t| t.value().as_str().unwrap().to_string())
                .collect()
        };
        let all = expand(&searcher, &prefix, 10);
        assert_eq!(all.found, 6, "{:?}", words(&all));
        assert!(!all.capped());
        let two = expand(&searcher, &prefix, 2);
        assert_eq!(words(&two), ["سلام", "سلوك"]);
        assert!(two.capped());
        // Ties in term order.
        let three = expand(&searcher, &prefix, 3);
        assert_eq!(words(&three), ["سلام", "سلوك", "سلاح"]);
        let none = expand(&searcher, &Term::from_field_text(prefix.field(), "زز"), 2);
        assert_eq!((none.terms.len(), none.found), (0, 0));
    }
}
