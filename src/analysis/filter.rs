//! A token filter that maps each term through a function, with a cache.
//!
//! The light, name and stem fields each rewrite the exact-form terms of the
//! tokenizer (or drop them, keeping the position so phrases stay aligned).
//! Words repeat heavily in news, so each thread remembers what every map
//! made of the words it has seen, all maps of one word in one cache entry:
//! the fields of an article are analyzed one after the other, and the
//! entries of its words are still at hand when the next field comes.

use std::cell::RefCell;

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// How one exact-form term becomes the term of a field.
pub trait TermMap: Clone + Send + Sync + 'static {
    /// This map's place in a cache entry: one per map, below [`SLOTS`].
    const SLOT: usize;
    /// Writes the mapped form of `term` to the empty `out`; returns false to
    /// drop the token.
    fn map(&self, term: &str, out: &mut String) -> bool;
}

/// Maps that share the cache.
pub const SLOTS: usize = 3;
/// Words kept per thread before the cache starts afresh.
const CACHE_LIMIT: usize = 300_000;
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

/// What one map made of a word: not yet known, dropped, or a term.
#[derive(Clone, Copy, Default)]
enum Mapped {
    #[default]
    Unknown,
    Dropped,
    Term(Inline),
}

thread_local! {
    static CACHE: RefCell<FxHashMap<Inline, [Mapped; SLOTS]>> = RefCell::default();
}

/// Applies a [`TermMap`] to every token.
#[derive(Clone)]
pub struct MapFilter<M>(pub M);

impl<M: TermMap> TokenFilter for MapFilter<M> {
    type Tokenizer<T: Tokenizer> = MapTokenizer<T, M>;

    fn transform<T: Tokenizer>(self, inner: T) -> MapTokenizer<T, M> {
        MapTokenizer {
            inner,
            map: self.0,
            scratch: String::new(),
            front: vec![None; FRONT_SLOTS].into_boxed_slice(),
        }
    }
}

/// Slots of the small per-analyzer cache in front of the thread's cache: the
/// most frequent words, in memory the processor keeps close.
const FRONT_SLOTS: usize = 4096;

/// A tokenizer wrapped by [`MapFilter`].
#[derive(Clone)]
pub struct MapTokenizer<T, M> {
    inner: T,
    map: M,
    scratch: String,
    /// Direct-mapped by hash: the last word seen in each slot, and its form.
    front: Box<[Option<(Inline, Mapped)>]>,
}

impl<T: Tokenizer, M: TermMap> Tokenizer for MapTokenizer<T, M> {
    type TokenStream<'a> = MapStream<'a, T::TokenStream<'a>, M>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapStream {
            inner: self.inner.token_stream(text),
            map: &self.map,
            scratch: &mut self.scratch,
            front: &mut self.front,
            forms: Forms::take(),
        }
    }
}

/// The thread's cache of mapped forms, held while one text is analyzed (no
/// thread-local access per token) and given back when dropped.
pub struct Forms {
    cache: FxHashMap<Inline, [Mapped; SLOTS]>,
}

impl Forms {
    pub fn take() -> Forms {
        let mut cache = CACHE.with(|c| std::mem::take(&mut *c.borrow_mut()));
        if cache.len() > CACHE_LIMIT {
            cache.clear();
        }
        Forms { cache }
    }

    /// The cached forms of `term`, all maps in one entry.
    #[inline]
    pub fn entry<'f, 't>(&'f mut self, term: &'t str) -> Entry<'f, 't> {
        let forms = Inline::new(term).map(|k| self.cache.entry(k).or_default());
        Entry { term, forms }
    }
}

impl Drop for Forms {
    fn drop(&mut self) {
        let cache = std::mem::take(&mut self.cache);
        CACHE.with(|c| *c.borrow_mut() = cache);
    }
}

/// The cache entry of one term (none for a term too long to cache).
pub struct Entry<'f, 't> {
    term: &'t str,
    forms: Option<&'f mut [Mapped; SLOTS]>,
}

impl Entry<'_, '_> {
    /// Appends what `map` makes of the term to `out`; false when the map
    /// drops it. `scratch` is working space.
    #[inline]
    pub fn push<M: TermMap>(&mut self, map: &M, out: &mut String, scratch: &mut String) -> bool {
        if let Some(forms) = &self.forms {
            match forms[M::SLOT] {
                Mapped::Term(m) => {
                    out.push_str(m.as_str());
                    return true;
                }
                Mapped::Dropped => return false,
                Mapped::Unknown => {}
            }
        }
        scratch.clear();
        let keep = map.map(self.term, scratch);
        if let Some(forms) = &mut self.forms {
            match (keep, Inline::new(scratch)) {
                (false, _) => forms[M::SLOT] = Mapped::Dropped,
                (true, Some(value)) => forms[M::SLOT] = Mapped::Term(value),
                // A mapped form too long to store inline is not cached.
                (true, None) => {}
            }
        }
        if keep {
            out.push_str(scratch);
        }
        keep
    }
}

/// The mapped token stream.
pub struct MapStream<'a, S, M> {
    inner: S,
    map: &'a M,
    scratch: &'a mut String,
    front: &'a mut [Option<(Inline, Mapped)>],
    forms: Forms,
}

impl<S: TokenStream, M: TermMap> TokenStream for MapStream<'_, S, M> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            let token = self.inner.token_mut();
            let key = Inline::new(&token.text);
            let slot = key.map(|k| FxBuildHasher.hash_one(k) as usize % FRONT_SLOTS);
            let cached = match (key, slot) {
                (Some(k), Some(i)) => match self.front[i] {
                    Some((seen, mapped)) if seen == k => mapped,
                    _ => {
                        let mapped = self
                            .forms
                            .cache
                            .get(&k)
                            .map_or(Mapped::Unknown, |forms| forms[M::SLOT]);
                        if !matches!(mapped, Mapped::Unknown) {
                            self.front[i] = Some((k, mapped));
                        }
                        mapped
                    }
                },
                _ => Mapped::Unknown,
            };
            match cached {
                Mapped::Term(m) => {
                    token.text.clear();
                    token.text.push_str(m.as_str());
                    return true;
                }
                Mapped::Dropped => continue,
                Mapped::Unknown => {}
            }
            let term = std::mem::take(&mut token.text);
            let mut out = String::new();
            let keep = self
                .forms
                .entry(&term)
                .push(self.map, &mut out, self.scratch);
            token.text = if keep { out } else { term };
            if keep {
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
