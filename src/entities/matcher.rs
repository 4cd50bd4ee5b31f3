//! Tokens for tagging, and the longest-match lookup of gazetteer names in them.
//!
//! Words come from the shared analyzer ([`crate::analysis::WordTokenizer`]), so
//! every spelling it folds matches for free; punctuation between words is kept
//! as tokens of its own, because it ends names and the sequence model reads it.
//! A name's first word may carry proclitics (`بأنقرة`, `والولايات المتحدة`,
//! `للكرملين`); the longest name wins, and every entry of that length is kept
//! so that ambiguity can be settled with the rest of the article.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use compact_str::CompactString;
use rustc_hash::FxHasher;
use tantivy::tokenizer::{TokenStream, Tokenizer};

use super::cues::{Cues, ARTICLE_PROCLITICS, PROCLITICS};
use super::gazetteer::Gazetteer;
use crate::analysis::{normalize, normalize_into, WordTokenizer};

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub type FastSet = HashSet<String, BuildHasherDefault<FxHasher>>;

/// One token of a text: a normalized word, or one punctuation character.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The normalized word, or the punctuation character as written; kept
    /// inline (most words are short), so tokenizing allocates little.
    pub norm: CompactString,
    /// Byte offsets into the text.
    pub start: usize,
    pub end: usize,
    /// False for punctuation.
    pub word: bool,
}

/// Splits a text into word and punctuation tokens.
///
/// Most of a news text is Arabic words between spaces and punctuation; such
/// a word is one word for the shared analyzer too (Unicode word boundaries
/// never split Arabic letters and marks), so it is only normalized here, in
/// one pass over the bytes. Any other stretch (digits, Latin, inner
/// punctuation) goes through the analyzer's tokenizer, so tokens are always
/// the analyzer's words.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut tokenizer = WordTokenizer::default();
    let mut scratch = String::new();
    let table = arabic_classes();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // One whitespace-free stretch: [punctuation] [word] [punctuation].
        let start = i;
        let (mut lead, mut trail) = (0, 0);
        let mut phase = 0; // 0: before the word, 1: in it, 2: after it
        let (mut simple, mut unchanged) = (true, true);
        let mut alnum = false;
        while i < bytes.len() {
            let b = bytes[i];
            let (class, len) = if (0xD8..=0xDB).contains(&b) {
                let c = (((b & 0x1F) as usize) << 6) | (bytes[i + 1] & 0x3F) as usize;
                (table[c - 0x600], 2)
            } else if b < 0x80 {
                let class = if b.is_ascii_alphanumeric() {
                    // The analyzer lowercases Latin letters.
                    WORD | ALNUM | if b.is_ascii_uppercase() { 0 } else { UNCHANGED }
                } else if b.is_ascii_whitespace() {
                    SPACE
                } else if is_edge_punctuation(b as char) {
                    EDGE
                } else {
                    0
                };
                (class, 1)
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                let class = if c.is_whitespace() {
                    SPACE
                } else if is_edge_punctuation(c) {
                    EDGE
                } else {
                    0
                };
                (class, c.len_utf8())
            };
            if class & SPACE != 0 {
                break;
            }
            let word = class & WORD != 0;
            if word {
                alnum |= class & ALNUM != 0;
                unchanged &= class & UNCHANGED != 0;
            }
            match (phase, word, class & EDGE != 0) {
                (0, true, _) => {
                    phase = 1;
                    lead = i - start;
                }
                (1, true, _) | (0 | 2, false, true) => {}
                (1, false, true) => {
                    phase = 2;
                    trail = i - start;
                }
                _ => simple = false,
            }
            i += len;
        }
        let end = i;
        if phase == 1 {
            trail = end - start;
        }
        if end > start {
            if simple && alnum {
                let word = &text[start + lead..start + trail];
                punctuation(text, start, start + lead, &mut out);
                let norm = if unchanged {
                    CompactString::from(word)
                } else {
                    scratch.clear();
                    normalize_into(word, &mut scratch);
                    CompactString::from(scratch.as_str())
                };
                out.push(Token {
                    norm,
                    start: start + lead,
                    end: start + trail,
                    word: true,
                });
                punctuation(text, start + trail, end, &mut out);
            } else {
                analyzer_tokens(text, start, end, &mut tokenizer, &mut out);
            }
        }
        // Past the whitespace that ended the stretch.
        while i < bytes.len() {
            let c = text[i..].chars().next().unwrap_or('x');
            if !c.is_whitespace() {
                break;
            }
            i += c.len_utf8();
        }
    }
    out
}

/// Tokens of `text[start..end]` by the analyzer's tokenizer, with the
/// punctuation between them.
fn analyzer_tokens(
    text: &str,
    start: usize,
    end: usize,
    tokenizer: &mut WordTokenizer,
    out: &mut Vec<Token>,
) {
    let piece = &text[start..end];
    let mut stream = tokenizer.token_stream(piece);
    let mut last = 0;
    while let Some(t) = stream.next() {
        punctuation(text, start + last, start + t.offset_from, out);
        out.push(Token {
            norm: CompactString::from(t.text.as_str()),
            start: start + t.offset_from,
            end: start + t.offset_to,
            word: true,
        });
        last = t.offset_to;
    }
    punctuation(text, start + last, end, out);
}

/// Punctuation that Unicode word boundaries always split from an adjacent
/// Arabic word at its edge.
fn is_edge_punctuation(c: char) -> bool {
    matches!(
        c,
        '!' | '"'
            | '#'
            | '%'
            | '&'
            | '('
            | ')'
            | '*'
            | ','
            | '-'
            | '.'
            | '/'
            | ':'
            | ';'
            | '?'
            | '['
            | ']'
            | '{'
            | '}'
            | '\''
            | '،'
            | '؛'
            | '؟'
            | '«'
            | '»'
            | '٪'
            | '…'
            | '–'
            | '—'
            | '“'
            | '”'
            | '‘'
            | '’'
    )
}

/// Character classes, as bits. WORD: letters, digits and marks that Unicode
/// word boundaries never split from each other (Arabic and Latin letters,
/// Arabic harakat and tatweel, ASCII and Arabic-Indic digits); ALNUM: those
/// that make a word a word (not marks alone).
const WORD: u8 = 1;
const ALNUM: u8 = 2;
const UNCHANGED: u8 = 4;
const EDGE: u8 = 8;
const SPACE: u8 = 16;

/// The class of every character of the Arabic block U+0600..U+06FF,
/// including which ones the analyzer's normalization leaves as they are
/// (asked of the normalizer itself, once, so the two cannot disagree).
fn arabic_classes() -> &'static [u8; 0x100] {
    static CLASSES: OnceLock<[u8; 0x100]> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let mut t = [0u8; 0x100];
        for (k, x) in t.iter_mut().enumerate() {
            let Some(c) = char::from_u32(0x0600 + k as u32) else {
                continue;
            };
            if matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}') {
                *x |= WORD | ALNUM;
            }
            if matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}') {
                *x |= WORD;
            }
            if *x != 0 && normalize(c.encode_utf8(&mut [0; 4])) == c.to_string() {
                *x |= UNCHANGED;
            }
            if is_edge_punctuation(c) {
                *x |= EDGE;
            }
        }
        t
    })
}

fn punctuation(text: &str, from: usize, to: usize, out: &mut Vec<Token>) {
    for (i, c) in text[from..to].char_indices() {
        if !c.is_whitespace() && !c.is_control() && !is_invisible(c) {
            out.push(Token {
                norm: CompactString::from(&*c.encode_utf8(&mut [0; 4])),
                start: from + i,
                end: from + i + c.len_utf8(),
                word: false,
            });
        }
    }
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}' | '\u{0640}')
        || ('\u{064B}'..='\u{065F}').contains(&c)
}

/// One token of a CoNLL line (`token TAG`): its words normalized and joined,
/// or the token itself when it has no word (punctuation).
pub fn conll_token(raw: &str) -> Token {
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(raw);
    let mut norm = String::new();
    while let Some(t) = stream.next() {
        norm.push_str(&t.text);
    }
    let word = !norm.is_empty();
    Token {
        norm: CompactString::from(if word { &norm } else { raw }),
        start: 0,
        end: raw.len(),
        word,
    }
}

/// What a gazetteer name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Country(usize),
    /// A country name or adjective that also names something else
    /// (`curated/ambiguous.tsv`): tagged only with evidence.
    AmbiguousCountry(usize),
    /// A nationality adjective of a country.
    Nationality(usize),
    Place(usize),
    Actor(usize),
    /// The short form of a person's name (a surname): tagged only after the
    /// full name or a title in the same article.
    ActorShort(usize),
}

#[derive(Debug, Clone)]
struct Entry {
    /// Normalized words after the first.
    rest: Vec<String>,
    target: Target,
}

/// A gazetteer name found in a token sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Token range.
    pub start: usize,
    pub end: usize,
    /// Every entry of the longest matching length.
    pub targets: Vec<Target>,
}

/// The gazetteer names, by their first normalized word.
pub struct Matcher {
    dict: FastMap<String, Vec<Entry>>,
}

impl Matcher {
    pub fn new(g: &Gazetteer, cues: &Cues) -> Matcher {
        let mut ambiguous: FastMap<String, Vec<usize>> = FastMap::default();
        for a in &g.ambiguous {
            if let Some(i) = g.countries.iter().position(|c| c.code == a.code) {
                ambiguous
                    .entry(words(&a.form).join(" "))
                    .or_default()
                    .push(i);
            }
        }
        let mut m = Matcher {
            dict: FastMap::default(),
        };
        // An ambiguous form names its countries only with evidence, whatever
        // row of the data it comes from.
        let add = |m: &mut Matcher, name: &str, target: Target| {
            let w = words(name);
            let joined = w.join(" ");
            match (ambiguous.get(&joined), target) {
                (Some(ids), Target::Country(_) | Target::Nationality(_)) => {
                    for &i in ids {
                        m.insert(&w, Target::AmbiguousCountry(i));
                    }
                }
                _ => m.insert(&w, target),
            }
        };
        for (i, c) in g.countries.iter().enumerate() {
            for name in std::iter::once(&c.name_ar).chain(&c.aliases_ar) {
                add(&mut m, name, Target::Country(i));
            }
            for adjective in &c.adjectives {
                let ambiguous_adjective = ambiguous.contains_key(&normalize(adjective));
                for (form, with_article) in nisba_forms(adjective) {
                    for f in [form, with_article] {
                        if ambiguous_adjective {
                            m.insert(&words(&f), Target::AmbiguousCountry(i));
                        } else {
                            add(&mut m, &f, Target::Nationality(i));
                        }
                    }
                }
            }
            for plural in &c.plurals {
                add(&mut m, plural, Target::Nationality(i));
                add(&mut m, &format!("ال{plural}"), Target::Nationality(i));
            }
        }
        for form in ambiguous.keys() {
            if let Some(ids) = ambiguous.get(form) {
                for &i in ids {
                    m.insert(&words(form), Target::AmbiguousCountry(i));
                }
            }
        }
        for (i, p) in g.places.iter().enumerate() {
            for name in std::iter::once(&p.name).chain(&p.aliases) {
                m.insert(&words(name), Target::Place(i));
            }
        }
        for (i, a) in g.actors.iter().enumerate() {
            for name in std::iter::once(&a.name).chain(&a.aliases) {
                let w = words(name);
                let short = a.kind == super::gazetteer::ActorKind::Person && w.len() == 1;
                m.insert(
                    &w,
                    if short {
                        Target::ActorShort(i)
                    } else {
                        Target::Actor(i)
                    },
                );
                if a.kind == super::gazetteer::ActorKind::Person
                    && w.len() >= 2
                    && !patronymic(&w, cues)
                {
                    let s = short_form(&w, cues);
                    if s.len() < w.len() {
                        m.insert(&s, Target::ActorShort(i));
                    }
                }
            }
        }
        m
    }

    fn insert(&mut self, words: &[String], target: Target) {
        let Some((first, rest)) = words.split_first() else {
            return;
        };
        let entries = self.dict.entry(first.clone()).or_default();
        if !entries.iter().any(|e| e.rest == rest && e.target == target) {
            entries.push(Entry {
                rest: rest.to_vec(),
                target,
            });
        }
    }

    /// True when some name starts with this normalized word.
    pub fn starts_name(&self, word: &str) -> bool {
        self.dict.contains_key(word)
    }

    /// The longest name starting at token `i`, if any. `buffer` is scratch
    /// space, reused across calls so that matching does not allocate.
    pub fn match_at(&self, tokens: &[Token], i: usize, buffer: &mut String) -> Option<Match> {
        if !tokens[i].word {
            return None;
        }
        let token = tokens[i].norm.as_str();
        let mut best_len = 0;
        let mut targets: Vec<Target> = Vec::new();
        let mut try_first = |first: &str| {
            let Some(entries) = self.dict.get(first) else {
                return;
            };
            for entry in entries {
                let n = entry.rest.len() + 1;
                if n < best_len || i + n > tokens.len() {
                    continue;
                }
                let fits = entry
                    .rest
                    .iter()
                    .zip(&tokens[i + 1..])
                    .all(|(w, t)| t.word && *w == t.norm);
                if !fits {
                    continue;
                }
                if n > best_len {
                    best_len = n;
                    targets.clear();
                }
                if !targets.contains(&entry.target) {
                    targets.push(entry.target);
                }
            }
        };
        try_first(token);
        // Every proclitic starts with one of a few letters; most words
        // start with none of them.
        let initial = token.chars().next().unwrap_or(' ');
        if let Some((_, article, plain)) = proclitics_by_initial()
            .iter()
            .find(|(c, _, _)| *c == initial)
        {
            for p in article {
                if let Some(rest) = strip(token, p) {
                    if rest.len() >= 4 {
                        buffer.clear();
                        buffer.push_str("ال");
                        buffer.push_str(rest);
                        try_first(buffer);
                    }
                }
            }
            for p in plain {
                if let Some(rest) = strip(token, p) {
                    if rest.len() >= 4 {
                        try_first(rest);
                    }
                }
            }
        }
        (best_len > 0).then(|| Match {
            start: i,
            end: i + best_len,
            targets,
        })
    }

    /// Every longest match, left to right, not overlapping.
    pub fn matches(&self, tokens: &[Token]) -> Vec<Match> {
        let mut out = Vec::new();
        let mut buffer = String::new();
        let mut i = 0;
        while i < tokens.len() {
            match self.match_at(tokens, i, &mut buffer) {
                Some(m) => {
                    i = m.end;
                    out.push(m);
                }
                None => i += 1,
            }
        }
        out
    }
}

/// The article proclitics and the other proclitics, in list order, by the
/// letter they start with: most words start with none of these letters, and
/// the others are tried only against their own.
type ByInitial = Vec<(char, Vec<&'static str>, Vec<&'static str>)>;

fn proclitics_by_initial() -> &'static ByInitial {
    static BY_INITIAL: OnceLock<ByInitial> = OnceLock::new();
    BY_INITIAL.get_or_init(|| {
        let mut out: ByInitial = Vec::new();
        for (list, article) in [(ARTICLE_PROCLITICS, true), (PROCLITICS, false)] {
            for p in list {
                let Some(c) = p.chars().next() else { continue };
                let k = match out.iter().position(|(x, _, _)| *x == c) {
                    Some(k) => k,
                    None => {
                        out.push((c, Vec::new(), Vec::new()));
                        out.len() - 1
                    }
                };
                if article {
                    out[k].1.push(p);
                } else {
                    out[k].2.push(p);
                }
            }
        }
        out
    })
}

/// `word` without the prefix `p`, compared as bytes (faster than a
/// pattern search for these short prefixes).
fn strip<'a>(word: &'a str, p: &str) -> Option<&'a str> {
    if word.as_bytes().starts_with(p.as_bytes()) {
        Some(&word[p.len()..])
    } else {
        None
    }
}

/// The short form of a person's name: the last word, or the last two when
/// the last is a particle (تشاووش أوغلو) or the one before binds to it
/// (عبد الله).
pub fn short_form(words: &[String], cues: &Cues) -> Vec<String> {
    let n = words.len();
    if n >= 3
        && (cues.name_particles.contains(&words[n - 1])
            || cues.name_binders.contains(&words[n - 2]))
    {
        return words[n - 2..].to_vec();
    }
    if n == 2 && (cues.name_particles.contains(&words[1]) || cues.name_binders.contains(&words[0]))
    {
        return words.to_vec();
    }
    words[n - 1..].to_vec()
}

/// Names with `بن` or `آل`, or that start with a title (الملك سلمان بن عبد
/// العزيز), have no surname to shorten to: their last words name the father
/// or the family.
fn patronymic(words: &[String], cues: &Cues) -> bool {
    cues.titles.contains(&words[0])
        || words[1..]
            .iter()
            .any(|w| matches!(w.as_str(), "بن" | "ابن" | "ال" | "بنت"))
}

/// Normalized words of a name.
pub fn words(name: &str) -> Vec<String> {
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(name);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// Inflections of a masculine nisba adjective (feminine, duals, sound
/// plurals), each without and with the article. In a multi-word adjective
/// (كوري شمالي → الكوري الشمالي، الكورية الشمالية; جنوب أفريقي → الجنوب
/// أفريقية) the nisba words (ending in ي) take the ending and the article, and
/// the first word always takes the article.
pub fn nisba_forms(adjective: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = adjective.split_whitespace().collect();
    ["", "ة", "ون", "ين", "ان", "تان", "تين"]
        .iter()
        .map(|suffix| {
            let inflect = |with_article: bool| {
                words
                    .iter()
                    .enumerate()
                    .map(|(k, w)| {
                        let nisba = w.ends_with('ي');
                        let article = if with_article && (k == 0 || nisba) {
                            "ال"
                        } else {
                            ""
                        };
                        let ending = if nisba { *suffix } else { "" };
                        format!("{article}{w}{ending}")
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            (inflect(false), inflect(true))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenize_keeps_punctuation_and_offsets() {
        let text = "قال بوتين، إن «روسيا».";
        let t = tokenize(text);
        let norms: Vec<&str> = t.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(norms, ["قال", "بوتين", "،", "ان", "«", "روسيا", "»", "."]);
        assert_eq!(&text[t[1].start..t[1].end], "بوتين");
        assert!(!t[2].word);
    }

    #[test]
    fn fast_words_are_the_analyzers_words() {
        let text = "قال «بوتين»، (الرئيسُ) في 2018: روسيا.الصين و'موسكو' TB2 بيرقـدار؟ ٣.٥ ٢٠١٨، كورونا19 Putin's e-mail x\u{200C}y 1,000 ۱۲ a_b";
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut expected = Vec::new();
        while let Some(t) = stream.next() {
            expected.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        let got: Vec<(String, usize, usize)> = tokenize(text)
            .into_iter()
            .filter(|t| t.word)
            .map(|t| (t.norm.to_string(), t.start, t.end))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn conll_tokens_normalize_words_and_keep_punctuation() {
        assert_eq!(conll_token("(أ").norm, "ا");
        assert_eq!(conll_token("،").norm, "،");
        assert!(!conll_token("،").word);
    }
}
