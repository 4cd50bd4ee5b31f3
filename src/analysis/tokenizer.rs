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
//!
//! Speed: whitespace is a word boundary under UAX #29, so the text is cut at
//! whitespace first. A piece that is plainly one word — Arabic or ASCII
//! letters, digits and Arabic marks, between punctuation that can only end
//! a word — is taken as it is, which is what UAX #29 would find, and
//! normalized byte by byte; any other piece goes through the full UAX #29
//! segmentation. Pieces of that common shape are recognized from their UTF-8
//! bytes, without decoding characters. And every analyzed field of an
//! article reads the same text again (`body_light` is a copy of `body`), so
//! each thread remembers the tokens of the last long text it tokenized and
//! replays them when the same text comes again.

use std::cell::RefCell;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

use super::normalize::{is_invisible, normalize_into, normalize_plain_into};
use super::stopwords;

/// Splits text into normalized word tokens (the exact-form terms).
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
    /// Never replay or record the thread's memo: for a thread that reads
    /// each text once (the index writer's), where recording is pure cost.
    once: bool,
    /// Only the words' offsets and positions are wanted (highlighting from
    /// the index's positions): a word's term is made only when that is the
    /// way to know whether the word counts, and the text is left empty.
    offsets_only: bool,
    /// Reads every piece character by character: the reference that the
    /// byte-wise reading of common pieces is tested against.
    by_char: bool,
}

impl WordTokenizer {
    /// A tokenizer for texts that are tokenized once each.
    pub fn without_memo() -> WordTokenizer {
        WordTokenizer {
            once: true,
            ..WordTokenizer::default()
        }
    }

    /// A tokenizer whose tokens carry offsets and positions but no text:
    /// the same words at the same positions as [`WordTokenizer`]'s, at a
    /// fraction of the cost.
    pub fn offsets_only() -> WordTokenizer {
        WordTokenizer {
            once: true,
            offsets_only: true,
            ..WordTokenizer::default()
        }
    }
}

/// True when a word keeps at least one character through normalization for
/// sure: it has a letter or digit that normalization folds but never drops.
#[inline]
fn surely_kept(word: &str) -> bool {
    word.chars().any(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{0669}')
    })
}

/// Appends the term of one word (as the tokenizer cut it, with or without
/// the invisible characters at its edges) to the empty `out`; false when
/// nothing of the word survives normalization, so it is no token. The term a
/// [`WordTokenizer`] token carries, for a caller that has only the offsets.
pub fn term_into(word: &str, out: &mut String) -> bool {
    normalize_into(word, out);
    if out.is_empty() {
        return false;
    }
    stopwords::spell(out, word);
    true
}

/// The tokens of the last text a thread tokenized in full.
#[derive(Default)]
struct Memo {
    text: String,
    /// The terms, one after the other.
    terms: String,
    /// (end of the term in `terms`, offset_from, offset_to, position)
    tokens: Vec<(usize, usize, usize, usize)>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::default();
}

/// Texts shorter than this (queries) are tokenized every time.
const MEMO_MIN_BYTES: usize = 64;

/// What the stream does with the memo.
enum Replay {
    /// Replaying the memo; the index of the next token.
    From(usize),
    /// Tokenizing, and recording into the memo.
    Recording,
    /// Tokenizing a short text; the memo is left alone.
    Off,
}

/// The stream of tokens of one text.
pub struct WordTokenStream<'a> {
    text: &'a str,
    /// Where the next whitespace-delimited piece starts.
    next: usize,
    /// A piece being segmented by UAX #29, with its offset in `text`.
    piece: Option<(usize, &'a str, UWordBoundIndices<'a>)>,
    /// The rest of a UAX #29 word after an underscore: its words come next.
    joined: Option<(usize, usize)>,
    token: &'a mut Token,
    memo: Memo,
    replay: Replay,
    /// All tokens were recorded: the memo can be kept.
    complete: bool,
    /// See [`WordTokenizer::offsets_only`].
    offsets_only: bool,
    /// Common pieces are read byte by byte (see [`plain_piece`]).
    bytewise: bool,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        self.token.position = usize::MAX;
        let (memo, replay) = if self.once || text.len() < MEMO_MIN_BYTES {
            (Memo::default(), Replay::Off)
        } else {
            let mut memo = MEMO.with(|m| std::mem::take(&mut *m.borrow_mut()));
            if memo.text == text {
                (memo, Replay::From(0))
            } else {
                memo.text.clear();
                memo.text.push_str(text);
                memo.terms.clear();
                memo.tokens.clear();
                (memo, Replay::Recording)
            }
        };
        WordTokenStream {
            text,
            next: 0,
            piece: None,
            joined: None,
            token: &mut self.token,
            memo,
            replay,
            complete: false,
            offsets_only: self.offsets_only,
            bytewise: !self.by_char,
        }
    }
}

impl Drop for WordTokenStream<'_> {
    fn drop(&mut self) {
        let keep = match self.replay {
            Replay::Off => return,
            Replay::From(_) => true,
            Replay::Recording => self.complete,
        };
        let mut memo = std::mem::take(&mut self.memo);
        if !keep {
            // A stream left before its end (a lead) recorded only part.
            memo.text.clear();
        }
        MEMO.with(|m| *m.borrow_mut() = memo);
    }
}

/// True when a UAX #29 segment is a word rather than spaces or punctuation.
#[inline]
fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

/// Characters that UAX #29 never joins to a word when they stand at the
/// edge of a whitespace-delimited piece: ASCII and Arabic punctuation.
#[inline]
fn is_edge_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '\u{060C}' | '\u{061B}' | '\u{061F}' | '\u{066A}' | '\u{06D4}' // ، ؛ ؟ ٪ ۔
                | '\u{00AB}' | '\u{00BB}' // « »
                | '\u{2010}'..='\u{2027}' // dashes, quotes, ellipsis
        )
}

impl<'a> WordTokenStream<'a> {
    /// Makes the token of the word at `start..end` of the text; false when
    /// nothing of it survives normalization.
    fn emit(&mut self, start: usize, end: usize) -> bool {
        let text = self.text;
        let word = &text[start..end];
        let lead = word.len() - word.trim_start_matches(is_invisible).len();
        let trail = word.len() - word.trim_end_matches(is_invisible).len();
        let termless = self.offsets_only && surely_kept(word);
        self.emit_word(
            word,
            start + lead,
            (end - trail).max(start + lead),
            termless,
        )
    }

    /// Makes the token of `word`, found at `from..to` of the text once
    /// invisible characters are off its edges, knowing whether its term can
    /// be left unmade.
    #[inline]
    fn emit_word(&mut self, word: &str, from: usize, to: usize, termless: bool) -> bool {
        self.token.text.clear();
        if termless {
            // The word counts; its term is not wanted.
        } else {
            if !term_into(word, &mut self.token.text) {
                return false;
            }
            if self.offsets_only {
                self.token.text.clear();
            }
        }
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.position_length = 1;
        true
    }

    /// The next word of the piece, as a byte range of `text`: a UAX #29
    /// word, cut at underscores (a hashtag's `#محمد_بن_سلمان` is three words,
    /// where UAX #29 would make one).
    fn next_in_piece(&mut self) -> Option<(usize, usize)> {
        loop {
            let (start, end) = match self.joined.take() {
                Some(rest) => rest,
                None => self.next_uax_word()?,
            };
            let word = &self.text[start..end];
            let Some(cut) = word.find('_') else {
                return Some((start, end));
            };
            if cut + 1 < word.len() {
                self.joined = Some((start + cut + 1, end));
            }
            if is_word(&word[..cut]) {
                return Some((start, start + cut));
            }
        }
    }

    /// The next word of the piece under UAX #29, as a byte range of `text`.
    fn next_uax_word(&mut self) -> Option<(usize, usize)> {
        let (base, piece, words) = self.piece.as_mut()?;
        let (base, piece) = (*base, *piece);
        while let Some((start, segment)) = words.next() {
            if !is_word(segment) {
                continue;
            }
            // Join over zero-width spaces (which UAX #29 breaks on) when a
            // word follows them directly.
            let mut end = start + segment.len();
            while piece[end..].starts_with(is_invisible) {
                let mut ahead = words.clone();
                let mut at = end;
                let joined = loop {
                    match ahead.next() {
                        Some((s, seg)) if s == at && seg.chars().all(is_invisible) => {
                            at += seg.len()
                        }
                        Some((s, seg)) if s == at && is_word(seg) => break Some(s + seg.len()),
                        _ => break None,
                    }
                };
                match joined {
                    Some(new_end) => {
                        *words = ahead;
                        end = new_end;
                    }
                    None => break,
                }
            }
            return Some((base + start, base + end));
        }
        self.piece = None;
        None
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self.replay {
            Replay::From(i) => {
                let Some(&(end, from, to, position)) = self.memo.tokens.get(i) else {
                    return false;
                };
                let start = i.checked_sub(1).map_or(0, |j| self.memo.tokens[j].0);
                self.token.text.clear();
                self.token.text.push_str(&self.memo.terms[start..end]);
                self.token.offset_from = from;
                self.token.offset_to = to;
                self.token.position = position;
                self.token.position_length = 1;
                self.replay = Replay::From(i + 1);
                true
            }
            Replay::Recording => {
                let found = self.scan();
                if found {
                    self.memo.terms.push_str(&self.token.text);
                    self.memo.tokens.push((
                        self.memo.terms.len(),
                        self.token.offset_from,
                        self.token.offset_to,
                        self.token.position,
                    ));
                } else {
                    self.complete = true;
                }
                found
            }
            Replay::Off => self.scan(),
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// A whitespace-delimited piece, as [`plain_piece`] reads it.
enum Piece {
    /// No piece left: only whitespace until the end of the text.
    End,
    /// Plainly one word: its core at `from..to` (edge punctuation off),
    /// `kept` as [`surely_kept`] would say; the piece ends at `end`.
    Plain {
        from: usize,
        to: usize,
        end: usize,
        kept: bool,
    },
    /// Anything else: read it character by character.
    Other,
}

/// True for ASCII whitespace (all of it `char::is_whitespace`).
#[inline]
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// Bytes of the [`is_edge_punctuation`] character at `i`, if one is there.
#[inline(always)]
fn edge_punctuation_len(bytes: &[u8], i: usize) -> Option<usize> {
    match *bytes.get(i)? {
        b if b.is_ascii_punctuation() => Some(1),
        // ، ؛ ؟ and ٪ ۔
        0xD8 => matches!(bytes.get(i + 1)?, 0x8C | 0x9B | 0x9F).then_some(2),
        0xD9 => (*bytes.get(i + 1)? == 0xAA).then_some(2),
        0xDB => (*bytes.get(i + 1)? == 0x94).then_some(2),
        // « »
        0xC2 => matches!(bytes.get(i + 1)?, 0xAB | 0xBB).then_some(2),
        // U+2010..=U+2027
        0xE2 => {
            (*bytes.get(i + 1)? == 0x80 && matches!(bytes.get(i + 2)?, 0x90..=0xA7)).then_some(3)
        }
        _ => None,
    }
}

/// Code points U+0600..=U+067F that have a property, one bit each: those
/// of lead byte 0xD8 (U+0600..=U+063F), then those of 0xD9.
const fn arabic_bits(ranges: &[(u32, u32)]) -> [u64; 2] {
    let mut bits = [0u64; 2];
    let mut r = 0;
    while r < ranges.len() {
        let mut c = ranges[r].0;
        while c <= ranges[r].1 {
            let k = c - 0x600;
            bits[(k / 64) as usize] |= 1 << (k % 64);
            c += 1;
        }
        r += 1;
    }
    bits
}

/// The Arabic characters of [`is_plain_word`] and of [`surely_kept`].
const PLAIN_ARABIC: [u64; 2] = arabic_bits(&[(0x621, 0x63A), (0x640, 0x669), (0x670, 0x670)]);
const KEPT_ARABIC: [u64; 2] = arabic_bits(&[(0x621, 0x63A), (0x641, 0x64A), (0x660, 0x669)]);

/// Bytes of the [`is_plain_word`] character at `i`, if one is there, and
/// whether it is one that [`surely_kept`] looks for. Arabic letters come
/// from two lead bytes in no order a branch predicts, so they are told by
/// bit masks rather than by branches.
#[inline(always)]
fn plain_len(bytes: &[u8], i: usize) -> Option<(usize, bool)> {
    let b = *bytes.get(i)?;
    if b & 0xFE == 0xD8 {
        // U+0600..=U+067F: lead byte 0xD8 or 0xD9, then a continuation.
        let c = *bytes.get(i + 1)?;
        let (lead, bit) = (usize::from(b & 1), c & 0x3F);
        if c & 0xC0 != 0x80 || (PLAIN_ARABIC[lead] >> bit) & 1 == 0 {
            return None;
        }
        return Some((2, (KEPT_ARABIC[lead] >> bit) & 1 == 1));
    }
    b.is_ascii_alphanumeric().then_some((1, true))
}

/// Reads the piece after `at` byte by byte when it is of the common shape
/// (edge punctuation, plain word characters, edge punctuation, then ASCII
/// whitespace or the end): the same core that [`WordTokenStream::scan`]
/// would find character by character, at a fraction of the cost. Anything
/// else is [`Piece::Other`].
#[inline]
fn plain_piece(bytes: &[u8], at: usize) -> Piece {
    let mut i = at;
    while i < bytes.len() && is_ascii_space(bytes[i]) {
        i += 1;
    }
    if i == bytes.len() {
        return Piece::End;
    }
    while let Some(n) = edge_punctuation_len(bytes, i) {
        i += n;
    }
    let from = i;
    let mut kept = false;
    while let Some((n, k)) = plain_len(bytes, i) {
        i += n;
        kept |= k;
    }
    let to = i;
    while let Some(n) = edge_punctuation_len(bytes, i) {
        i += n;
    }
    if from == to || bytes.get(i).is_some_and(|&b| !is_ascii_space(b)) {
        return Piece::Other;
    }
    Piece::Plain {
        from,
        to,
        end: i,
        kept,
    }
}

impl WordTokenStream<'_> {
    /// Finds the next word of the text and makes its token.
    fn scan(&mut self) -> bool {
        loop {
            while let Some((start, end)) = self.next_in_piece() {
                if self.emit(start, end) {
                    return true;
                }
            }
            if self.bytewise {
                match plain_piece(self.text.as_bytes(), self.next) {
                    Piece::End => {
                        self.next = self.text.len();
                        return false;
                    }
                    Piece::Plain {
                        from,
                        to,
                        end,
                        kept,
                    } => {
                        self.next = end;
                        // A plain word has no invisible characters to trim,
                        // and is normalized byte by byte when its term is
                        // wanted.
                        let word = &self.text[from..to];
                        let termless = self.offsets_only && kept;
                        if !termless {
                            match self.emit_plain(from, word) {
                                Some(true) => return true,
                                Some(false) => continue,
                                None => {}
                            }
                        }
                        if self.emit_word(word, from, to, termless) {
                            return true;
                        }
                        continue;
                    }
                    Piece::Other => {}
                }
            }
            // The next whitespace-delimited piece.
            let Some(start) = skip_whitespace(self.text, self.next) else {
                self.next = self.text.len();
                return false;
            };
            let end = end_of_piece(self.text, start);
            self.next = end;
            let piece = &self.text[start..end];
            let after_lead = piece.trim_start_matches(is_edge_punctuation);
            let core = after_lead.trim_end_matches(is_edge_punctuation);
            let core_start = start + (piece.len() - after_lead.len());
            match self.emit_plain(core_start, core) {
                Some(true) => return true,
                // A plain word that normalizes to nothing (marks alone).
                Some(false) => continue,
                None => {}
            }
            self.piece = Some((start, piece, piece.split_word_bound_indices()));
        }
    }

    /// Makes the token of the word `core` at `start` when `core` is not
    /// empty and every character of it
    /// [`is_plain`](super::normalize::is_plain): what
    /// [`emit`](Self::emit) would make of it, with no invisible character to
    /// trim. `None` when `core` is not such a word; false when nothing of it
    /// survives normalization.
    #[inline]
    fn emit_plain(&mut self, start: usize, core: &str) -> Option<bool> {
        self.token.text.clear();
        if core.is_empty() || !normalize_plain_into(core, &mut self.token.text) {
            return None;
        }
        if self.token.text.is_empty() {
            return Some(false);
        }
        if self.offsets_only {
            self.token.text.clear();
        } else {
            stopwords::spell(&mut self.token.text, core);
        }
        self.token.offset_from = start;
        self.token.offset_to = start + core.len();
        self.token.position = self.token.position.wrapping_add(1);
        self.token.position_length = 1;
        Some(true)
    }
}

/// Where the first non-whitespace character at or after `from` starts.
#[inline]
fn skip_whitespace(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if !is_ascii_space(b) {
                return Some(i);
            }
            i += 1;
        } else {
            let c = text[i..].chars().next().expect("a char boundary");
            if !c.is_whitespace() {
                return Some(i);
            }
            i += c.len_utf8();
        }
    }
    None
}

/// Where the whitespace after the piece that starts at `from` starts (or
/// the text's end).
#[inline]
fn end_of_piece(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b if b < 0x80 => {
                if is_ascii_space(b) {
                    return i;
                }
                i += 1;
            }
            // U+0600–U+07FF: Arabic, Syriac, Thaana, NKo; no whitespace.
            0xD8..=0xDF => i += 2,
            _ => {
                let c = text[i..].chars().next().expect("a char boundary");
                if c.is_whitespace() {
                    return i;
                }
                i += c.len_utf8();
            }
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize, usize, usize)> {
        tokens_of(WordTokenizer::default(), text)
    }

    #[test]
    fn offsets_only_gives_the_same_words_at_the_same_positions() {
        let text =
            "قال  بِيرَقدار ـــ  َ ً، الـمسيّرة «TB2» ٢٠٢٢ م\u{200C}ثلا و\u{200B}الشيء ﻟﺒﻨﺎﻥ على ...";
        let full: Vec<(usize, usize, usize)> = tokens(text)
            .into_iter()
            .map(|(_, from, to, position)| (from, to, position))
            .collect();
        let mut tokenizer = WordTokenizer::offsets_only();
        let mut stream = tokenizer.token_stream(text);
        let mut fast = Vec::new();
        while stream.advance() {
            let t = stream.token();
            assert!(t.text.is_empty());
            fast.push((t.offset_from, t.offset_to, t.position));
        }
        assert!(full.len() >= 8, "{full:?}");
        assert_eq!(fast, full);
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

    /// A hashtag's words are words (UAX #29 would join them at the
    /// underscores into one), at consecutive positions, so that a phrase
    /// query finds them.
    #[test]
    fn underscores_split_words() {
        let text = "#محمد_بن_سلمان و__الحوثي_ snake_case";
        let toks = tokens(text);
        let words: Vec<&str> = toks.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(
            words,
            ["محمد", "بن", "سلمان", "و", "الحوثي", "snake", "case"]
        );
        assert_eq!(&text[toks[2].1..toks[2].2], "سلمان");
        assert_eq!(&text[toks[4].1..toks[4].2], "الحوثي");
        assert_eq!(
            toks.iter().map(|t| t.3).collect::<Vec<_>>(),
            [0, 1, 2, 3, 4, 5, 6]
        );
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

    #[test]
    fn a_text_seen_again_gives_the_same_tokens() {
        let text = "قال «الرئيس» بيرقدار ".repeat(40);
        let first = tokens(&text);
        let again = tokens(&text);
        assert_eq!(first, again);
        // a different text of the same length is not taken for it
        let other = text.replace("قال", "لقا");
        assert_ne!(tokens(&other)[0].0, first[0].0);
        // a stream left early does not leave a partial memo behind
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(&text);
        assert!(stream.advance());
        drop(stream);
        assert_eq!(tokens(&text), first);
    }

    fn tokens_of(mut tokenizer: WordTokenizer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    /// Reading common pieces byte by byte gives the tokens that reading
    /// every piece character by character gives, terms or offsets only, on
    /// texts made of the characters at the edges of both readings.
    #[test]
    fn bytewise_pieces_agree_with_reading_by_character() {
        let alphabet: Vec<&str> = vec![
            " ", " ", " ", "\n", "\t", "\u{0B}", "\u{A0}", "\u{2009}", "\u{3000}", "ب", "ت", "ا",
            "ى", "ة", "أ", "ء", "غ", "ف", "ي", "\u{063B}", "\u{0620}", "\u{0640}", "\u{064B}",
            "\u{0651}", "\u{065F}", "\u{0660}", "\u{0669}", "\u{066A}", "\u{066B}", "\u{0670}",
            "\u{0671}", "\u{06D4}", "\u{06F1}", "،", "؛", "؟", "\u{061C}", "«", "»", "\u{00AC}",
            "\u{2010}", "\u{2027}", "\u{2028}", "\u{2030}", "\u{200B}", "\u{200C}", "\u{FEFF}",
            "\u{FEE0}", "a", "Z", "0", "9", ".", ",", "'", "_", "-", "(", ")", "\"", "é",
            "\u{0301}", "字", "😀",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut compared = 0;
        for _ in 0..3000 {
            let len = 1 + next(40);
            // Mostly words of Arabic letters and spaces, as in news text.
            let text: String = (0..len)
                .map(|_| match next(4) {
                    0 => alphabet[next(alphabet.len())],
                    1 => " ",
                    _ => alphabet[9 + next(9)],
                })
                .collect();
            for make in [WordTokenizer::without_memo, WordTokenizer::offsets_only] {
                let by_char = WordTokenizer {
                    by_char: true,
                    ..make()
                };
                let expected = tokens_of(by_char, &text);
                assert_eq!(tokens_of(make(), &text), expected, "{text:?}");
                compared += expected.len();
            }
        }
        assert!(compared > 10_000, "{compared} tokens compared");
    }

    /// A token's term is what [`term_into`] makes of the text at its offsets.
    #[test]
    fn term_into_gives_the_term_at_the_offsets() {
        let text = "قال \u{200F}بِيرَقدار\u{200F}، على مثلا... ٢٠٢٢ TB2 ﻟﺒﻨﺎﻥ";
        for (term, from, to, _) in tokens(text) {
            let mut made = String::new();
            assert!(term_into(&text[from..to], &mut made));
            assert_eq!(made, term);
        }
        assert!(!term_into("\u{064B}", &mut String::new()));
    }

    /// The fast path finds exactly the words full UAX #29 segmentation finds,
    /// cut at underscores.
    #[test]
    fn fast_path_agrees_with_uax29() {
        let text = "قال «الرئيس» (بوتين): ٢٠٢٢، U.S. 3.5 TB2 don't بيرقدار؟ \
                    وال-مسيرة «ﻟﺒﻨﺎﻥ» \u{200F}روسيا\u{200F}. بِيْرَقْدَار… ١٢٫٥ a_b \
                    صاروخًا\u{00A0}شيئ\u{2003}على\u{3000}x\u{0B}y\u{85}z\u{2028}w";
        let fast: Vec<(usize, usize)> = tokens(text).iter().map(|t| (t.1, t.2)).collect();
        let full: Vec<(usize, usize)> = text
            .split_word_bound_indices()
            .filter(|(_, w)| is_word(w))
            .flat_map(|(s, w)| {
                w.split('_').scan(s, |at, part| {
                    let start = *at;
                    *at += part.len() + 1;
                    Some((start, part))
                })
            })
            .filter(|(_, w)| is_word(w))
            .map(|(s, w)| {
                let lead = w.len() - w.trim_start_matches(is_invisible).len();
                let trail = w.len() - w.trim_end_matches(is_invisible).len();
                (s + lead, s + w.len() - trail)
            })
            .collect();
        assert_eq!(fast, full);
    }
}
