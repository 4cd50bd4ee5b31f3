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
/// Terms up to this many bytes are cached inline (one memory access per
/// lookup); longer ones are rare and mapped every time.
const INLINE: usize = 31;

/// A short string stored inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Inline {
    len: u8,
    bytes: [u8; INLINE],
}

impl Inline {
    #[inline]
    fn new(s: &str) -> Option<Inline> {
        if s.len() > INLINE {
            return None;
        }
        let mut bytes = [0u8; INLINE];
        bytes[..s.len()].copy_from_slice(s.as_bytes());
        Some(Inline {
            len: s.len() as u8,
            bytes,
        })
    }

    #[inline]
    fn as_str(&self) -> &str {
        let bytes = &self.bytes[..self.len as usize];
        // SAFETY: `bytes` is a copy of a whole `&str` made in `new`, and the
        // fields are private, so it is valid UTF-8. Checking it again on
        // every cache hit cost a tenth of the analyzer's time.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }
}

/// What a term maps to: `None` drops the token.
type Mapped = Option<Inline>;

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
            scratch: String::new(),
        }
    }
}

/// A tokenizer wrapped by [`MapFilter`].
#[derive(Clone)]
pub struct MapTokenizer<T, M> {
    inner: T,
    map: M,
    cache: FxHashMap<Inline, Mapped>,
    scratch: String,
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
            scratch: &mut self.scratch,
        }
    }
}

/// The mapped token stream.
pub struct MapStream<'a, S, M> {
    inner: S,
    map: &'a M,
    cache: &'a mut FxHashMap<Inline, Mapped>,
    scratch: &'a mut String,
}

impl<S: TokenStream, M: TermMap> TokenStream for MapStream<'_, S, M> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            let token = self.inner.token_mut();
            let key = Inline::new(&token.text);
            if let Some(mapped) = key.and_then(|k| self.cache.get(&k)) {
                match mapped {
                    Some(m) => {
                        token.text.clear();
                        token.text.push_str(m.as_str());
                        return true;
                    }
                    None => continue,
                }
            }
            self.scratch.clear();
            let keep = self.map.map(&token.text, self.scratch);
            if let Some(key) = key {
                // A mapped form too long to store inline is not cached.
                match (keep, Inline::new(self.scratch)) {
                    (false, _) => {
                        self.cache.insert(key, None);
                    }
                    (true, Some(value)) => {
                        self.cache.insert(key, Some(value));
                    }
                    (true, None) => {}
                }
            }
            if keep {
                std::mem::swap(&mut token.text, self.scratch);
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
