//! Snowball Arabic stemming as a token filter, for the recall-oriented
//! `*_stem` fields. Exact forms live in their own fields and rank higher, so
//! the stemmer's over-reach costs ranking, not precision of exact matches.

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Replaces each token's text with its Snowball Arabic stem.
#[derive(Clone, Copy, Default)]
pub struct ArabicStemFilter;

impl TokenFilter for ArabicStemFilter {
    type Tokenizer<T: Tokenizer> = ArabicStemTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ArabicStemTokenizer<T> {
        ArabicStemTokenizer { inner: tokenizer }
    }
}

/// A tokenizer wrapped by [`ArabicStemFilter`].
#[derive(Clone)]
pub struct ArabicStemTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ArabicStemTokenizer<T> {
    type TokenStream<'a> = ArabicStemStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ArabicStemStream {
            inner: self.inner.token_stream(text),
            stemmer: Stemmer::create(Algorithm::Arabic),
        }
    }
}

/// The stemmed token stream.
pub struct ArabicStemStream<S> {
    inner: S,
    stemmer: Stemmer,
}

impl<S: TokenStream> TokenStream for ArabicStemStream<S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        // Digits and Latin words pass through: the Arabic stemmer has nothing
        // to say about them.
        if token.text.bytes().any(|b| b >= 0x80) {
            if let std::borrow::Cow::Owned(stem) = self.stemmer.stem(&token.text) {
                if !stem.is_empty() {
                    token.text = stem;
                }
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}
