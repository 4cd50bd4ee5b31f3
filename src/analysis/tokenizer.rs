//! Word tokenizer: Unicode word boundaries (UAX #29) plus Arabic normalization.
//!
//! Each token's text is the normalized term and its offsets are the exact byte
//! range of the word in the original text, so snippets highlight what the
//! author wrote, not what the index stores. Zero-width and bidi controls are
//! not word boundaries under UAX #29 (they are `Format`/`Extend`), so a word
//! with an RLM or ZWNJ inside stays one token; the normalizer then drops them.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

use super::normalize::normalize_into;

/// Splits text into normalized word tokens.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// The stream of tokens of one text.
pub struct WordTokenStream<'a> {
    words: UWordBoundIndices<'a>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        self.token.position = usize::MAX;
        WordTokenStream {
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

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        for (start, word) in self.words.by_ref() {
            if !is_word(word) {
                continue;
            }
            self.token.text.clear();
            normalize_into(word, &mut self.token.text);
            if self.token.text.is_empty() {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = start + word.len();
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
        assert_eq!(words, ["طائرات", "بيرقدار", "tb2", "المسيره"]);
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
}
