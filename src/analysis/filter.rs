//! A token filter that maps each term through a function, with a cache.
//!
//! The light, name and stem fields each rewrite the exact-form terms of the
//! tokenizer (or drop them, keeping the position so phrases stay aligned).
//! Words repeat heavily in news, so each thread remembers what every map
//! made of the words it has seen, all maps of one word in one cache entry:
//! the fields of an article are analyzed one after the other, and the
//! entries of its words are still at hand when the next field comes.
//!
//! Looking a word up mostly waits on memory, so the cache is laid out for
//! that: a word's entry is one cache line (its key, what each map made of
//! it, and room for one term), most mapped terms are stored as a range of
//! the word itself, and a text's words are all found first, their lines
//! requested, before any is mapped.

use std::cell::RefCell;

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
/// Words kept per thread before the cache starts afresh (its table is then
/// 32 MB).
const CACHE_LIMIT: usize = 300_000;
/// Terms up to this many bytes are cached inline (one memory access per
/// lookup); longer ones are rare and mapped every time.
const INLINE: usize = 31;

/// A short string stored inline: its length in the first byte, then its
/// bytes. Mapped terms that are not part of their word are kept so.
#[derive(Clone, Copy)]
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

/// A term as a table key: its bytes in four words, zero-padded, and its
/// length. Made in registers, with loads that may overlap but never read
/// outside the term: a key copied through a buffer on the stack waited on
/// the copy (the processor cannot forward a few small stores to one wide
/// load).
#[derive(Clone, Copy)]
struct Key {
    words: [u64; 4],
    len: u32,
}

impl Key {
    /// The key of a term of 1 to [`INLINE`] bytes.
    #[inline]
    fn new(s: &str) -> Option<Key> {
        let b = s.as_bytes();
        let len = b.len();
        if len == 0 || len > INLINE {
            return None;
        }
        let mut words = [0u64; 4];
        if len < 8 {
            words[0] = short_word(b);
        } else {
            let full = len / 8;
            for (i, word) in words.iter_mut().enumerate().take(full) {
                *word = read_word(b, 8 * i);
            }
            let rest = len % 8;
            if rest > 0 {
                // The last eight bytes, shifted down to the last `rest`.
                words[full] = read_word(b, len - 8) >> (8 * (8 - rest));
            }
        }
        Some(Key {
            words,
            len: len as u32,
        })
    }

    /// A well-mixed hash: its top bits pick the slot.
    #[inline]
    fn hash(&self) -> u64 {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        let [a, b, c, d] = self.words;
        let x = (a ^ (self.len as u64).rotate_left(56)).wrapping_mul(K) ^ b.rotate_left(23);
        let y = (c.wrapping_mul(K) ^ d.rotate_left(41)).wrapping_add(x);
        let h = (y ^ (y >> 29)).wrapping_mul(K);
        h ^ (h >> 32)
    }
}

/// The eight bytes of `b` from `at`, little-endian.
#[inline]
fn read_word(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"))
}

/// The bytes of `b` (1 to 7 of them) as a little-endian word.
#[inline]
fn short_word(b: &[u8]) -> u64 {
    let len = b.len();
    if len >= 4 {
        let lo = u32::from_le_bytes(b[..4].try_into().expect("four bytes")) as u64;
        let hi = u32::from_le_bytes(b[len - 4..].try_into().expect("four bytes")) as u64;
        lo | (hi >> (8 * (8 - len))) << 32
    } else {
        b.iter().rev().fold(0, |w, &byte| w << 8 | byte as u64)
    }
}

/// What one map made of a word, in a cache entry: [`UNKNOWN`], [`DROPPED`],
/// a part of the word itself ([`DERIVED`]), the term in the entry's spare
/// room ([`IN_SLOT`]), or `n + 3` for the term `Cache::terms[n]`. Entries
/// this small keep many more words in the processor's caches than the
/// terms themselves would.
type Form = u32;
const UNKNOWN: Form = 0;
const DROPPED: Form = 1;
const IN_SLOT: Form = 2;
/// Marks a form that is a part of the word (`len` bytes from byte `at`),
/// with a ه after it when [`HEH`] is set: most light stems (وبالحكومة →
/// حكومه, طائرات → طائره), read from the word's own entry with no second
/// memory access.
const DERIVED: Form = 1 << 31;
const HEH: Form = 1 << 10;
const HEH_CHAR: char = '\u{0647}';

/// The [`DERIVED`] form of `mapped`, when it is a part of `term` (a term
/// short enough to cache), perhaps followed by ه.
fn derive(term: &str, mapped: &str) -> Option<Form> {
    debug_assert!(term.len() <= INLINE);
    let pack = |at: usize, len: usize, heh: Form| DERIVED | heh | (at as Form) << 5 | len as Form;
    if let Some(at) = term.find(mapped) {
        return Some(pack(at, mapped.len(), 0));
    }
    let stem = mapped.strip_suffix(HEH_CHAR)?;
    term.find(stem).map(|at| pack(at, stem.len(), HEH))
}

/// Appends the term of a known `form` of `term` to `out`; false when the
/// map drops the word.
#[inline]
fn push_form(term: &str, form: Form, slot: &Slot, terms: &[Inline], out: &mut String) -> bool {
    debug_assert_ne!(form, UNKNOWN);
    if form == DROPPED {
        return false;
    }
    if form & DERIVED != 0 {
        let at = (form >> 5 & 31) as usize;
        let len = (form & 31) as usize;
        out.push_str(&term[at..at + len]);
        if form & HEH != 0 {
            out.push(HEH_CHAR);
        }
    } else if form == IN_SLOT {
        out.push_str(slot.spare());
    } else {
        out.push_str(terms[(form - 3) as usize].as_str());
    }
    true
}

/// A word and what each map made of it: one cache line, so that looking a
/// word up costs one memory access, and the lines of frequent words stay in
/// the processor's cache.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Slot {
    /// The key's words and length; the length is 0 in a free slot (no
    /// term is empty).
    words: [u64; 4],
    len: u32,
    forms: [Form; SLOTS],
    /// Room for one mapped term that is not part of the word (a name's
    /// skeleton, mostly): its length, then its bytes.
    spare: [u8; SPARE + 1],
}

/// Bytes of the term a slot keeps in its spare room.
const SPARE: usize = 15;

const _: () = assert!(std::mem::size_of::<Slot>() == 64);

const FREE: Slot = Slot {
    words: [0; 4],
    len: 0,
    forms: [UNKNOWN; SLOTS],
    spare: [0; SPARE + 1],
};

impl Slot {
    #[inline]
    fn holds(&self, key: &Key) -> bool {
        self.len == key.len && self.words == key.words
    }

    #[inline]
    fn key(&self) -> Key {
        Key {
            words: self.words,
            len: self.len,
        }
    }

    /// Keeps `term` in the spare room, if it is free and the term fits.
    fn keep(&mut self, term: &str) -> bool {
        if self.spare[0] != 0 || term.is_empty() || term.len() > SPARE {
            return false;
        }
        self.spare[0] = term.len() as u8;
        self.spare[1..=term.len()].copy_from_slice(term.as_bytes());
        true
    }

    #[inline]
    fn spare(&self) -> &str {
        let bytes = &self.spare[1..=self.spare[0] as usize];
        // SAFETY: the bytes are a whole `&str` copied in `keep`, and the
        // field is private, so they are valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }
}

/// A thread's cache: every word seen, and the mapped terms that are not
/// part of their word.
#[derive(Default)]
struct Cache {
    table: Table,
    /// In the order they were made.
    terms: Vec<Inline>,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::default();
}

/// An open-addressed table (linear probing) of [`Slot`]s.
#[derive(Default)]
struct Table {
    /// A power of two long, at most [`MAX_LOAD`] full; empty until used.
    slots: Vec<Slot>,
    /// 64 less the base-two logarithm of the table's length: a hash shifted
    /// right by this is a slot.
    shift: u32,
    /// Slots in use.
    words: usize,
}

/// Slots of a new table.
const FIRST_SLOTS: usize = 1 << 8;
/// The table grows when more than this share of its slots would be in use.
const MAX_LOAD: (usize, usize) = (5, 8);

impl Table {
    /// The slot where the search for `key` starts.
    #[inline]
    fn home(&self, key: &Key) -> usize {
        (key.hash() >> self.shift) as usize
    }

    /// The slot of `key`, added with no form known when it is new.
    #[inline]
    fn slot(&mut self, key: Key) -> &mut Slot {
        if (self.words + 1) * MAX_LOAD.1 > self.slots.len() * MAX_LOAD.0 {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(&key);
        loop {
            let slot = &mut self.slots[i];
            if slot.holds(&key) {
                break;
            }
            if slot.len == 0 {
                slot.words = key.words;
                slot.len = key.len;
                self.words += 1;
                break;
            }
            i = (i + 1) & mask;
        }
        &mut self.slots[i]
    }

    /// Starts fetching the slot where the search for `key` starts.
    #[inline]
    fn prefetch(&self, key: &Key) {
        if self.slots.is_empty() {
            return;
        }
        crate::prefetch::prefetch(&self.slots[self.home(key)]);
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(FIRST_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![FREE; size]);
        self.shift = 64 - size.trailing_zeros();
        self.words = 0;
        for slot in old.into_iter().filter(|s| s.len != 0) {
            *self.slot(slot.key()) = slot;
        }
    }
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
            gathered: Gathered::default(),
            token: Token::default(),
        }
    }
}

/// A tokenizer wrapped by [`MapFilter`].
#[derive(Clone)]
pub struct MapTokenizer<T, M> {
    inner: T,
    map: M,
    scratch: String,
    gathered: Gathered,
    token: Token,
}

/// The tokens of one text, gathered before any is mapped.
#[derive(Clone, Default)]
struct Gathered {
    /// The terms, one after the other.
    terms: String,
    /// (end of the term in `terms`, offset_from, offset_to, position,
    /// position_length)
    tokens: Vec<(usize, usize, usize, usize, usize)>,
}

impl<T: Tokenizer, M: TermMap> Tokenizer for MapTokenizer<T, M> {
    type TokenStream<'a> = MapStream<'a, T::TokenStream<'a>, M>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.token.reset();
        MapStream {
            inner: self.inner.token_stream(text),
            map: &self.map,
            scratch: &mut self.scratch,
            forms: Forms::take(),
            gathered: &mut self.gathered,
            next: None,
            token: &mut self.token,
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
        if cache.table.words > CACHE_LIMIT {
            cache = Cache::default();
        }
        Forms { cache }
    }

    /// Starts fetching the cache line of `term`, so that its
    /// [`entry`](Self::entry) a little later need not wait for memory.
    #[inline]
    pub fn prefetch(&self, term: &str) {
        if let Some(key) = Key::new(term) {
            self.cache.table.prefetch(&key);
        }
    }

    /// The cached forms of `term`, all maps in one entry.
    #[inline]
    pub fn entry<'f, 't>(&'f mut self, term: &'t str) -> Entry<'f, 't> {
        let Cache { table, terms } = &mut self.cache;
        let slot = Key::new(term).map(|key| table.slot(key));
        Entry { term, slot, terms }
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
    slot: Option<&'f mut Slot>,
    terms: &'f mut Vec<Inline>,
}

impl Entry<'_, '_> {
    /// Appends what `map` makes of the term to `out`; false when the map
    /// drops it. `scratch` is working space.
    #[inline]
    pub fn push<M: TermMap>(&mut self, map: &M, out: &mut String, scratch: &mut String) -> bool {
        if let Some(slot) = &self.slot {
            let form = slot.forms[M::SLOT];
            if form != UNKNOWN {
                return push_form(self.term, form, slot, self.terms, out);
            }
        }
        scratch.clear();
        let keep = map.map(self.term, scratch);
        if let Some(slot) = &mut self.slot {
            let form = if !keep {
                Some(DROPPED)
            } else if let Some(form) = derive(self.term, scratch) {
                Some(form)
            } else if slot.keep(scratch) {
                Some(IN_SLOT)
            } else {
                // A mapped form too long to store inline is not cached.
                Inline::new(scratch).map(|term| {
                    self.terms.push(term);
                    self.terms.len() as Form + 2
                })
            };
            if let Some(form) = form {
                slot.forms[M::SLOT] = form;
            }
        }
        if keep {
            out.push_str(scratch);
        }
        keep
    }
}

/// The mapped token stream. The tokens of the text are all gathered at the
/// first call, each word's cache line requested as it is found, so that the
/// lookups find their lines at hand instead of each waiting on memory in
/// turn.
pub struct MapStream<'a, S, M> {
    inner: S,
    map: &'a M,
    scratch: &'a mut String,
    forms: Forms,
    gathered: &'a mut Gathered,
    /// The next gathered token; `None` before the tokens are gathered.
    next: Option<usize>,
    token: &'a mut Token,
}

impl<S: TokenStream, M: TermMap> MapStream<'_, S, M> {
    fn gather(&mut self) {
        let Gathered { terms, tokens } = &mut *self.gathered;
        terms.clear();
        tokens.clear();
        while self.inner.advance() {
            let t = self.inner.token();
            self.forms.prefetch(&t.text);
            terms.push_str(&t.text);
            tokens.push((
                terms.len(),
                t.offset_from,
                t.offset_to,
                t.position,
                t.position_length,
            ));
        }
    }
}

impl<S: TokenStream, M: TermMap> TokenStream for MapStream<'_, S, M> {
    fn advance(&mut self) -> bool {
        let mut i = match self.next {
            Some(i) => i,
            None => {
                self.gather();
                0
            }
        };
        let Gathered { terms, tokens } = &*self.gathered;
        while let Some(&(end, from, to, position, length)) = tokens.get(i) {
            let start = i.checked_sub(1).map_or(0, |j| tokens[j].0);
            i += 1;
            self.token.text.clear();
            if self.forms.entry(&terms[start..end]).push(
                self.map,
                &mut self.token.text,
                self.scratch,
            ) {
                self.token.offset_from = from;
                self.token.offset_to = to;
                self.token.position = position;
                self.token.position_length = length;
                self.next = Some(i);
                return true;
            }
        }
        self.next = Some(i);
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{terms, WordTokenizer};
    use tantivy::tokenizer::TextAnalyzer;

    /// A map that makes every kind of form, by the word's first letter: a
    /// part of the word, a part followed by ه, another word, a term too long
    /// to keep inline, or nothing.
    #[derive(Clone, Copy)]
    struct Shapes;

    impl TermMap for Shapes {
        const SLOT: usize = 2;

        fn map(&self, term: &str, out: &mut String) -> bool {
            let rest = &term[term.chars().next().map_or(0, char::len_utf8)..];
            match term.chars().next() {
                Some('a') => out.push_str(rest),
                Some('b') => {
                    out.push_str(rest);
                    out.push(HEH_CHAR);
                }
                Some('c') => out.extend(rest.chars().rev().chain(['x'])),
                Some('d') => out.push_str(&term.repeat(8)),
                Some('e') => return false,
                // Arabic: the word itself.
                _ => out.push_str(term),
            }
            true
        }
    }

    /// A second map whose terms are never part of the word, so that two
    /// maps of one word need room outside it.
    #[derive(Clone, Copy)]
    struct Reversed;

    impl TermMap for Reversed {
        const SLOT: usize = 1;

        fn map(&self, term: &str, out: &mut String) -> bool {
            out.extend(term.chars().rev().chain(['y']));
            true
        }
    }

    fn mapped(term: &str) -> Option<String> {
        let mut out = String::new();
        Shapes.map(term, &mut out).then_some(out)
    }

    fn words() -> Vec<String> {
        let mut words: Vec<String> = (0..6000)
            .flat_map(|i| ["a", "b", "c", "d", "e"].map(|k| format!("{k}{i}")))
            .collect();
        words.extend(["a".repeat(40), "b".repeat(31), "طاءرات".to_string()]);
        words
    }

    /// Computed, from the entry, and from the thread's cache in a later
    /// pass: always what the map makes; the table grows past its first size.
    #[test]
    fn cached_forms_are_what_the_map_makes() {
        let (mut out, mut scratch) = (String::new(), String::new());
        for pass in 0..3 {
            let mut forms = Forms::take();
            for word in words() {
                for _ in 0..2 {
                    let mut entry = forms.entry(&word);
                    out.clear();
                    let keep = entry.push(&Shapes, &mut out, &mut scratch);
                    assert_eq!(
                        keep.then(|| out.clone()),
                        mapped(&word),
                        "{word}, pass {pass}"
                    );
                    out.clear();
                    assert!(entry.push(&Reversed, &mut out, &mut scratch));
                    let reversed: String = word.chars().rev().chain(['y']).collect();
                    assert_eq!(out, reversed, "{word}, pass {pass}");
                }
            }
            assert!(forms.cache.table.slots.len() > FIRST_SLOTS);
        }
    }

    #[test]
    fn the_filter_gives_the_mapped_terms() {
        let text = words().join(" ");
        let expected: Vec<String> = words().iter().filter_map(|w| mapped(w)).collect();
        let mut analyzer = TextAnalyzer::builder(WordTokenizer::default())
            .filter(MapFilter(Shapes))
            .build();
        assert_eq!(terms(&mut analyzer, &text), expected);
        assert_eq!(terms(&mut analyzer, &text), expected);
    }

    /// A key is the term's bytes zero-padded into four little-endian
    /// words, however its loads are cut.
    #[test]
    fn keys_hold_the_bytes_of_the_term() {
        let text = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFطائرات\0\0\0x";
        let mut seen = Vec::new();
        for start in 0..text.len() {
            for end in start + 1..=text.len() {
                let Some(term) = text.get(start..end) else {
                    continue;
                };
                let key = Key::new(term);
                if term.len() > INLINE {
                    assert!(key.is_none());
                    continue;
                }
                let key = key.expect("a key");
                let mut bytes = [0u8; 32];
                bytes[..term.len()].copy_from_slice(term.as_bytes());
                let words: [u64; 4] = std::array::from_fn(|i| read_word(&bytes, 8 * i));
                assert_eq!(key.words, words, "{term:?}");
                assert_eq!(key.len, term.len() as u32);
                seen.push((key.words, key.len, term));
            }
        }
        assert!(Key::new("").is_none());
        // Different terms, different keys (trailing NULs included).
        seen.sort();
        seen.dedup();
        for pair in seen.windows(2) {
            assert!((pair[0].0, pair[0].1) != (pair[1].0, pair[1].1) || pair[0].2 == pair[1].2);
        }
    }

    #[test]
    fn derived_forms_are_parts_of_the_word() {
        let word = "وبالحكومة";
        for (mapped, derived) in [
            ("حكومة", true),
            ("حكومه", true),
            ("وب", true),
            ("كتاب", false),
        ] {
            let form = derive(word, mapped);
            assert_eq!(form.is_some(), derived, "{mapped}");
            if let Some(form) = form {
                let mut out = String::new();
                assert!(push_form(word, form, &FREE, &[], &mut out));
                assert_eq!(out, mapped);
            }
        }
    }
}
