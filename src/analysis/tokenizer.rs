//! Word tokenizer: Unicode word boundaries (UAX #29) plus Arabic normalization.
//!
//! Each token's text is the normalized term and its offsets are the exact byte
//! range of the word in the original text, so snippets highlight what the
//! author wrote, not what the index stores. Invisible format, bidi and
//! zero-width characters (see [`is_invisible`]) neither split a word nor stay
//! in it: most are `Format`/`Extend` under UAX #29 and already stay inside
//! the word; a zero-width space between two words' letters is joined over
//! here; the normalizer drops them from the term, and they are trimmed from
//! the token's offsets.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

use super::normalize::{is_invisible, normalize_into};
use super::stopwords;

/// Splits text into normalized word tokens (the exact-form terms).
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// The stream of tokens of one text.
pub struct WordTokenStream<'a> {
    text: &'a str,
    words: UWordBoundIndices<'a>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        self.token.position = usize::MAX;
        WordTokenStream {
            text,
            words: text.split_word_bound_indices(),
            token: &mut self.token,
        }
    }
}

/// True when a UAX #29 segment is a word rather than spaces or punctuation.
#[inline]
fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

impl WordTokenStream<'_> {
    /// Extends a word ending at `end` over runs of invisible characters that
    /// UAX #29 breaks on (the zero-width space) when a word follows them.
    fn join_over_invisibles(&mut self, mut end: usize) -> usize {
        while self.text[end..].starts_with(is_invisible) {
            let mut ahead = self.words.clone();
            let mut at = end;
            let joined = loop {
                match ahead.next() {
                    Some((s, seg)) if s == at && seg.chars().all(is_invisible) => at += seg.len(),
                    Some((s, seg)) if s == at && is_word(seg) => break Some(s + seg.len()),
                    _ => break None,
                }
            };
            match joined {
                Some(new_end) => {
                    self.words = ahead;
                    end = new_end;
                }
                None => break,
            }
        }
        end
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((start, segment)) = self.words.next() {
            if !is_word(segment) {
                continue;
            }
            let end = self.join_over_invisibles(start + segment.len());
            let word = &self.text[start..end];
            self.token.text.clear();
            normalize_into(word, &mut self.token.text);
            if self.token.text.is_empty() {
                continue;
            }
            stopwords::spell(&mut self.token.text, word);
            let trimmed = word.trim_start_matches(is_invisible);
            self.token.offset_from = start + (word.len() - trimmed.len());
            self.token.offset_to =
                start + trimmed.trim_end_matches(is_invisible).len() + (word.len() - trimmed.len());
            self.token.position = self.token.position.wrapping_add(1);
            self.token.position_length = 1;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    #[test]
    fn splits_on_spaces_and_punctuation_with_original_offsets() {
        let text = "طائرات «بِيرَقدار» TB2، المسيّرة.";
        let toks = tokens(text);
        let words: Vec<&str> = toks.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(words, ["طاءرات", "بيرقدار", "tb2", "المسيره"]);
        assert_eq!(&text[toks[1].1..toks[1].2], "بِيرَقدار");
        assert_eq!(toks.iter().map(|t| t.3).collect::<Vec<_>>(), [0, 1, 2, 3]);
    }

    #[test]
    fn invisible_controls_do_not_split_words() {
        let toks = tokens("بير\u{200C}قدار و\u{200F}روسيا");
        let words: Vec<&str> = toks.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(words, ["بيرقدار", "وروسيا"]);
    }

    #[test]
    fn tatweel_stays_inside_the_word() {
        let toks = tokens("بيرقـــدار");
        assert_eq!(toks.len(), 1);
        assert_eq!(toks[0].0, "بيرقدار");
    }

    /// Every invisible character, inside a word, at its end and at its
    /// start: one token, the clean term, offsets on the visible letters.
    #[test]
    fn each_invisible_character_neither_splits_nor_stays() {
        for c in [
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}',
            '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
            '\u{061C}', '\u{FEFF}',
        ] {
            let name = format!("U+{:04X}", c as u32);
            let inside = format!("قال بير{c}قدار اليوم");
            let toks = tokens(&inside);
            let words: Vec<&str> = toks.iter().map(|t| t.0.as_str()).collect();
            assert_eq!(words, ["قال", "بيرقدار", "اليوم"], "{name} inside");
            assert_eq!(
                &inside[toks[1].1..toks[1].2],
                format!("بير{c}قدار"),
                "{name}"
            );

            let around = format!("في {c}القدس{c} القديمة");
            let toks = tokens(&around);
            let words: Vec<&str> = toks.iter().map(|t| t.0.as_str()).collect();
            assert_eq!(words, ["في", "القدس", "القديمه"], "{name} around");
            assert_eq!(&around[toks[1].1..toks[1].2], "القدس", "{name} offsets");
            assert_eq!(toks.iter().map(|t| t.3).collect::<Vec<_>>(), [0, 1, 2]);
        }
    }

    #[test]
    fn zero_width_space_between_words_joins_only_letters() {
        let toks = tokens("بير\u{200B}\u{200B}قدار \u{200B} تركيا");
        let words: Vec<&str> = toks.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(words, ["بيرقدار", "تركيا"]);
    }

    #[test]
    fn presentation_forms_are_one_word() {
        let text = "ﺍﻟﺴﻼﻡ عليكم";
        let toks = tokens(text);
        assert_eq!(toks[0].0, "السلام");
        assert_eq!(&text[toks[0].1..toks[0].2], "ﺍﻟﺴﻼﻡ");
    }

    #[test]
    fn maksura_stopwords_keep_their_spelling() {
        let toks = tokens("على علي");
        assert_ne!(toks[0].0, toks[1].0);
        assert_eq!(toks[1].0, "علي");
    }
}
