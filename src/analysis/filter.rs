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

/// A short string stored inline: its length in the first byte, then its
/// bytes, in four words that compare and hash without a call to memcmp.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Inline {
    words: [u64; 4],
}

impl Inline {
    #[inline]
    fn new(s: &str) -> Option<Inline> {
        if s.len() > INLINE {
            return None;
        }
        let mut bytes = [0u8; INLINE + 1];
        bytes[0] = s.len() as u8;
        bytes[1..=s.len()].copy_from_slice(s.as_bytes());
        let word =
            |i: usize| u64::from_ne_bytes(bytes[8 * i..8 * i + 8].try_into().expect("8 bytes"));
        Some(Inline {
            words: [word(0), word(1), word(2), word(3)],
        })
    }

    #[inline]
    fn as_str(&self) -> &str {
        // SAFETY: four u64s are 32 initialized bytes, laid out as `new`
        // wrote them (native byte order both ways).
        let bytes: &[u8; INLINE + 1] =
            unsafe { &*(self.words.as_ptr() as *const [u8; INLINE + 1]) };
        let bytes = &bytes[1..=bytes[0] as usize];
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

/// What one map made of a word, in a cache entry: [`UNKNOWN`], [`DROPPED`],
/// or `n + 2` for the term `Cache::forms[n]`. Entries this small keep many
/// more words in the processor's caches than the terms themselves would.
type Form = u32;
const UNKNOWN: Form = 0;
const DROPPED: Form = 1;

/// A thread's cache: every word seen, and in front of it a direct-mapped
/// copy of the most recent ones, small enough to stay in the processor's
/// cache (a lookup in the large table mostly waits on memory).
#[derive(Default)]
struct Cache {
    map: FxHashMap<Inline, [Form; SLOTS]>,
    /// The mapped terms, in the order they were made.
    forms: Vec<Inline>,
    front: Vec<Option<(Inline, [Form; SLOTS])>>,
}

impl Cache {
    #[inline]
    fn resolve(&self, form: Form) -> Mapped {
        match form {
            UNKNOWN => Mapped::Unknown,
            DROPPED => Mapped::Dropped,
            n => Mapped::Term(self.forms[(n - 2) as usize]),
        }
    }
}

/// Slots of a thread's front table (a power of two).
const THREAD_FRONT_SLOTS: usize = 4096;

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::default();
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
    cache: Cache,
}

impl Forms {
    pub fn take() -> Forms {
        let mut cache = CACHE.with(|c| std::mem::take(&mut *c.borrow_mut()));
        if cache.map.len() > CACHE_LIMIT {
            cache.map.clear();
            cache.forms.clear();
            cache.front.clear();
        }
        if cache.front.is_empty() {
            cache.front = vec![None; THREAD_FRONT_SLOTS];
        }
        Forms { cache }
    }

    /// The cached forms of `term`, all maps in one entry.
    #[inline]
    pub fn entry<'f, 't>(&'f mut self, term: &'t str) -> Entry<'f, 't> {
        let Cache { map, forms, front } = &mut self.cache;
        let Some(key) = Inline::new(term) else {
            return Entry {
                term,
                key: None,
                slot: None,
                map,
                forms,
            };
        };
        let i = FxBuildHasher.hash_one(key) as usize & (THREAD_FRONT_SLOTS - 1);
        let slot = &mut front[i];
        if !matches!(slot, Some((seen, _)) if *seen == key) {
            *slot = Some((key, map.get(&key).copied().unwrap_or_default()));
        }
        Entry {
            term,
            key: Some(key),
            slot: slot.as_mut().map(|(_, slot)| slot),
            map,
            forms,
        }
    }
}

impl Drop for Forms {
    fn drop(&mut self) {
        let cache = std::mem::take(&mut self.cache);
        CACHE.with(|c| *c.borrow_mut() = cache);
    }
}

/// The cached forms of one term (none for a term too long to cache).
pub struct Entry<'f, 't> {
    term: &'t str,
    key: Option<Inline>,
    /// The term's slot in the front table.
    slot: Option<&'f mut [Form; SLOTS]>,
    map: &'f mut FxHashMap<Inline, [Form; SLOTS]>,
    forms: &'f mut Vec<Inline>,
}

impl Entry<'_, '_> {
    /// Appends what `map` makes of the term to `out`; false when the map
    /// drops it. `scratch` is working space.
    #[inline]
    pub fn push<M: TermMap>(&mut self, map: &M, out: &mut String, scratch: &mut String) -> bool {
        if let Some(slot) = &self.slot {
            match slot[M::SLOT] {
                UNKNOWN => {}
                DROPPED => return false,
                n => {
                    out.push_str(self.forms[(n - 2) as usize].as_str());
                    return true;
                }
            }
        }
        scratch.clear();
        let keep = map.map(self.term, scratch);
        if let (Some(key), Some(slot)) = (self.key, &mut self.slot) {
            let form = match (keep, Inline::new(scratch)) {
                (false, _) => Some(DROPPED),
                (true, Some(value)) => {
                    self.forms.push(value);
                    Some(self.forms.len() as Form + 1)
                }
                // A mapped form too long to store inline is not cached.
                (true, None) => None,
            };
            if let Some(form) = form {
                slot[M::SLOT] = form;
                self.map.entry(key).or_default()[M::SLOT] = form;
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
                        let cache = &self.forms.cache;
                        let mapped = cache
                            .map
                            .get(&k)
                            .map_or(Mapped::Unknown, |forms| cache.resolve(forms[M::SLOT]));
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
