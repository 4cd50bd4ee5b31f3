//! Arabic stopwords: function words that carry no topic.
//!
//! The list lives in `data/analysis/stopwords.txt` and is normalized when
//! loaded, so it always agrees with [`normalize`](super::normalize). Folding ى
//! into ي would merge the preposition على with the name علي; so a stopword
//! written with a final ى only counts when the text writes it that way, and
//! the tokenizer then gives it its own spelling ([`spell`]). The exact fields
//! keep stopwords (phrases still match); the light and name fields drop them
//! and queries do not require them.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use super::normalize::{is_arabic_mark, is_invisible, normalize};

const STOPWORDS_TXT: &str = include_str!("../../data/analysis/stopwords.txt");

const ALEF_MAKSURA: char = '\u{0649}';
const YEH: char = '\u{064A}';

struct Stopwords {
    /// Terms as the tokenizer emits them (maksura forms keep their ى).
    terms: FxHashSet<String>,
    /// Normalized forms of stopwords written with a final ى.
    maksura: FxHashSet<String>,
}

static STOPWORDS: LazyLock<Stopwords> = LazyLock::new(|| {
    let mut terms = FxHashSet::default();
    let mut maksura = FxHashSet::default();
    for line in STOPWORDS_TXT.lines() {
        let word = line.trim();
        if word.is_empty() || word.starts_with('#') {
            continue;
        }
        let folded = normalize(word);
        if word.ends_with(ALEF_MAKSURA) {
            let mut term = folded.clone();
            term.pop();
            term.push(ALEF_MAKSURA);
            terms.insert(term);
            maksura.insert(folded);
        } else {
            terms.insert(folded);
        }
    }
    Stopwords { terms, maksura }
});

/// Gives a maksura stopword its own spelling: `term` is the normalized form
/// of `original`; when `original` is a stopword written with a final ى, the
/// term gets that ى back, so it cannot meet a name spelled with ي. True when
/// the term changed.
#[inline]
pub fn spell(term: &mut String, original: &str) -> bool {
    // The original's last letter first: a ى is rare, a lookup costs more,
    // and the term was only just written.
    let last = original
        .chars()
        .rev()
        .find(|&c| !is_arabic_mark(c) && !is_invisible(c));
    if last == Some(ALEF_MAKSURA)
        && term.ends_with(YEH)
        && STOPWORDS.maksura.contains(term.as_str())
    {
        term.pop();
        term.push(ALEF_MAKSURA);
        return true;
    }
    false
}

/// True when `stem` is a stopword written with ى, in the form it takes
/// before a suffix (على + كم → عليكم): a light stem must not become the name
/// علي.
#[inline]
pub fn is_maksura_stopword_stem(stem: &str) -> bool {
    STOPWORDS.maksura.contains(stem)
}

/// True when a term (as the tokenizer emits it) is a stopword.
#[inline]
pub fn is_stopword(term: &str) -> bool {
    STOPWORDS.terms.contains(term)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(word: &str) -> String {
        let mut t = normalize(word);
        spell(&mut t, word);
        t
    }

    #[test]
    fn the_preposition_is_a_stopword_and_the_name_is_not() {
        assert!(is_stopword(&term("على")));
        assert!(!is_stopword(&term("علي")));
        assert_ne!(term("على"), term("علي"));
        assert!(is_stopword(&term("عَلَى")));
    }

    #[test]
    fn stopwords_are_normalized_when_loaded() {
        assert!(is_stopword(&term("إلى")));
        assert!(is_stopword(&term("الى")));
        assert!(is_stopword(&term("أن")));
        assert!(is_stopword(&term("ان")));
        assert!(is_stopword(&term("هؤلاء")));
    }

    #[test]
    fn question_words_are_stopwords() {
        for w in [
            "ما",
            "من",
            "متى",
            "متي",
            "ومتى",
            "بماذا",
            "لمن",
            "بكم",
            "بأي",
            "أين",
            "اين",
        ] {
            assert!(is_stopword(&term(w)), "{w}");
        }
    }

    #[test]
    fn content_words_are_not_stopwords() {
        for w in ["بيرقدار", "وزارة", "روسيا", "قال"] {
            assert!(!is_stopword(&term(w)), "{w}");
        }
    }
}
