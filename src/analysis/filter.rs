//! A token filter that maps each term through a function, with a cache.
//!
//! The light, name and stem fields each rewrite the exact-form terms of the
//! tokenizer (or drop them, keeping the position so phrases stay aligned).
//! Words repeat heavily in news, so each analyzer instance remembers what it
//! made of the words it has seen.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// How one exact-form term becomes the term of a field.
pub trait TermMap: Clone + Send + Sync + 'static {
    /// Writes the mapped form of `term` to the empty `out`; returns false to
    /// drop the token.
    fn map(&self, term: &str, out: &mut String) -> bool;
}

/// Entries kept per analyzer instance before the cache starts afresh.
const CACHE_LIMIT: usize = 200_000;

/// Applies a [`TermMap`] to every token.
#[derive(Clone)]
pub struct MapFilter<M>(pub M);

impl<M: TermMap> TokenFilter for MapFilter<M> {
    type Tokenizer<T: Tokenizer> = MapTokenizer<T, M>;

    fn transform<T: Tokenizer>(self, inner: T) -> MapTokenizer<T, M> {
        MapTokenizer {
            inner,
            map: self.0,
            cache: FxHashMap::default(),
        }
    }
}

/// A tokenizer wrapped by [`MapFilter`].
#[derive(Clone)]
pub struct MapTokenizer<T, M> {
    inner: T,
    map: M,
    cache: FxHashMap<String, Option<String>>,
}

impl<T: Tokenizer, M: TermMap> Tokenizer for MapTokenizer<T, M> {
    type TokenStream<'a> = MapStream<'a, T::TokenStream<'a>, M>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() > CACHE_LIMIT {
            self.cache.clear();
        }
        MapStream {
            inner: self.inner.token_stream(text),
            map: &self.map,
            cache: &mut self.cache,
        }
    }
}

/// The mapped token stream.
pub struct MapStream<'a, S, M> {
    inner: S,
    map: &'a M,
    cache: &'a mut FxHashMap<String, Option<String>>,
}

impl<S: TokenStream, M: TermMap> TokenStream for MapStream<'_, S, M> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            let token = self.inner.token_mut();
            let mapped = match self.cache.get(token.text.as_str()) {
                Some(mapped) => mapped,
                None => {
                    let mut out = String::new();
                    let keep = self.map.map(&token.text, &mut out);
                    self.cache
                        .entry(token.text.clone())
                        .or_insert(keep.then_some(out))
                }
            };
            if let Some(mapped) = mapped {
                token.text.clear();
                token.text.push_str(mapped);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

/// Keeps the tokens of the first `0` word positions: an article's lead.
#[derive(Clone, Copy)]
pub struct LeadFilter(pub usize);

impl TokenFilter for LeadFilter {
    type Tokenizer<T: Tokenizer> = LeadTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> LeadTokenizer<T> {
        LeadTokenizer {
            inner,
            words: self.0,
        }
    }
}

/// A tokenizer wrapped by [`LeadFilter`].
#[derive(Clone)]
pub struct LeadTokenizer<T> {
    inner: T,
    words: usize,
}

impl<T: Tokenizer> Tokenizer for LeadTokenizer<T> {
    type TokenStream<'a> = LeadStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        LeadStream {
            inner: self.inner.token_stream(text),
            words: self.words,
        }
    }
}

/// The token stream of a lead.
pub struct LeadStream<S> {
    inner: S,
    words: usize,
}

impl<S: TokenStream> TokenStream for LeadStream<S> {
    fn advance(&mut self) -> bool {
        self.inner.advance() && self.inner.token().position < self.words
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}
