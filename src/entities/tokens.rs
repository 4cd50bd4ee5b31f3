//! Tokens for tagging: the words of a text, normalized, and the punctuation
//! between them.
//!
//! Words are the shared analyzer's words ([`crate::analysis::WordTokenizer`]),
//! so every spelling it folds matches for free; punctuation between words is
//! kept as tokens of its own, because it ends names and the sequence model
//! reads it.
//!
//! Indexing needs the analyzer's terms of the same texts, so [`Tokens`] also
//! gives them ([`Tokens::terms`]): a text is tokenized once for both. A
//! token's `norm` is the analyzer's term but for two spellings the tagger
//! has always read without the analyzer's last touches (a maksura stopword
//! keeps ي, a final يء stays when nothing else in the word changes); those
//! few terms are kept beside the tokens.

use std::sync::OnceLock;

use compact_str::CompactString;
use tantivy::tokenizer::{TokenStream, Tokenizer};

use crate::analysis::stopwords;
use crate::analysis::{normalize, normalize_into, WordTokenizer};

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

/// The tokens of one text and the analyzer's terms of its words. Kept from
/// one text to the next, it allocates only when a text is longer than all
/// before it.
#[derive(Debug, Default, Clone)]
pub struct Tokens {
    pub tokens: Vec<Token>,
    /// (index into `tokens`, the analyzer's term) for the words whose term
    /// is not their `norm`, in token order.
    terms: Vec<(usize, CompactString)>,
    scratch: String,
}

impl Tokens {
    /// The tokens of `text`.
    pub fn new(text: &str) -> Tokens {
        let mut t = Tokens::default();
        t.tokenize(text);
        t
    }

    /// Replaces the tokens with those of `text`.
    ///
    /// Most of a news text is Arabic words between spaces and punctuation;
    /// such a word is one word for the shared analyzer too, which takes it
    /// as it stands and normalizes it, so here it is only normalized, in one
    /// pass over the bytes. Any other stretch (Latin with capitals, inner
    /// punctuation, other scripts) goes through the analyzer's tokenizer, so
    /// tokens are always the analyzer's words.
    pub fn tokenize(&mut self, text: &str) {
        let Tokens {
            tokens: out,
            terms,
            scratch,
        } = self;
        out.clear();
        terms.clear();
        out.reserve(text.len() / 6);
        let mut tokenizer = WordTokenizer::default();
        let classes = classes();
        let table = &classes.class;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // One whitespace-free stretch: [punctuation] [word] [punctuation].
            let start = i;
            let (mut lead, mut trail) = (0, 0);
            let mut phase = 0; // 0: before the word, 1: in it, 2: after it
            let (mut simple, mut unchanged, mut plain) = (true, true, true);
            let mut alnum = false;
            let mut last_class = 0;
            while i < bytes.len() {
                let b = bytes[i];
                let (class, len) = if (0xD8..=0xDB).contains(&b) {
                    let c = (((b & 0x1F) as usize) << 6) | (bytes[i + 1] & 0x3F) as usize;
                    (table[c - 0x600], 2)
                } else if b < 0x80 {
                    let class = if b.is_ascii_alphanumeric() {
                        // The analyzer lowercases Latin letters.
                        WORD | ALNUM
                            | if b.is_ascii_uppercase() {
                                FOLDS
                            } else {
                                UNCHANGED
                            }
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
                    plain &= class & (UNCHANGED | FOLDS) != 0;
                    last_class = class;
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
                if phase == 1 {
                    // The rest of an Arabic word, a letter (two bytes) at a
                    // time: most of a text.
                    while i + 1 < bytes.len() && (0xD8..=0xDB).contains(&bytes[i]) {
                        let c =
                            (((bytes[i] & 0x1F) as usize) << 6) | (bytes[i + 1] & 0x3F) as usize;
                        let class = table[c - 0x600];
                        if class & WORD == 0 {
                            break;
                        }
                        alnum |= class & ALNUM != 0;
                        unchanged &= class & UNCHANGED != 0;
                        plain &= class & (UNCHANGED | FOLDS) != 0;
                        last_class = class;
                        i += 2;
                    }
                }
            }
            let end = i;
            if phase == 1 {
                trail = end - start;
            }
            if end > start {
                if simple && alnum {
                    let word = &text[start + lead..start + trail];
                    if lead > 0 {
                        punctuation(text, start, start + lead, out);
                    }
                    let norm = if unchanged {
                        // Only a rule that reads the word's end can change
                        // a word of unchanged characters.
                        if last_class & CONTEXT != 0 {
                            analyzer_term(word, scratch);
                            if scratch.as_str() != word {
                                terms.push((out.len(), CompactString::from(scratch.as_str())));
                            }
                        }
                        CompactString::from(word)
                    } else {
                        // Character by character where that is what
                        // normalization does (most words).
                        if plain && last_class & CONTEXT == 0 {
                            fold_into(classes, word, scratch);
                        } else {
                            scratch.clear();
                            normalize_into(word, scratch);
                        }
                        let norm = CompactString::from(scratch.as_str());
                        if stopwords::spell(scratch, word) {
                            terms.push((out.len(), CompactString::from(scratch.as_str())));
                        }
                        norm
                    };
                    out.push(Token {
                        norm,
                        start: start + lead,
                        end: start + trail,
                        word: true,
                    });
                    if trail < end - start {
                        punctuation(text, start + trail, end, out);
                    }
                } else {
                    analyzer_tokens(text, start, end, &mut tokenizer, out);
                }
            }
            // Past the whitespace that ended the stretch.
            while i < bytes.len() {
                if bytes[i] < 0x80 {
                    if !(bytes[i] as char).is_whitespace() {
                        break;
                    }
                    i += 1;
                    continue;
                }
                let c = text[i..].chars().next().unwrap_or('x');
                if !c.is_whitespace() {
                    break;
                }
                i += c.len_utf8();
            }
        }
    }

    /// The analyzer's terms of the words, in order: what
    /// [`WordTokenizer`] makes of the text.
    pub fn terms(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        let mut spelled = self.terms.iter().peekable();
        self.tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.word)
            .map(move |(k, t)| match spelled.next_if(|(at, _)| *at == k) {
                Some((_, term)) => term.as_str(),
                None => t.norm.as_str(),
            })
    }
}

/// Splits a text into word and punctuation tokens (see [`Tokens::tokenize`]).
pub fn tokenize(text: &str) -> Vec<Token> {
    Tokens::new(text).tokens
}

/// What the analyzer makes of a word it takes as it stands.
fn analyzer_term(word: &str, out: &mut String) {
    out.clear();
    normalize_into(word, out);
    stopwords::spell(out, word);
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

/// Character classes, as bits. WORD: letters, digits and marks that the
/// analyzer takes as one word when nothing else stands between them (Arabic
/// and Latin letters, Arabic harakat and tatweel, ASCII and Arabic-Indic
/// digits; not the Persian digits, which it segments by UAX #29); ALNUM:
/// those that make a word a word (not marks alone); UNCHANGED:
/// normalization leaves the character as it is; FOLDS: normalization
/// replaces it by one other character, whatever stands around it; CONTEXT:
/// a word of UNCHANGED and FOLDS characters that ends with this one may
/// normalize otherwise than character by character.
const WORD: u8 = 1;
const ALNUM: u8 = 2;
const UNCHANGED: u8 = 4;
const EDGE: u8 = 8;
const SPACE: u8 = 16;
const CONTEXT: u8 = 32;
const FOLDS: u8 = 64;

/// What the tokenizer knows of the characters of the Arabic block
/// U+0600..U+06FF.
struct Classes {
    class: [u8; 0x100],
    /// What a FOLDS character becomes.
    folded: [char; 0x100],
}

/// The classes of the Arabic block, with what normalization does to each
/// character asked of the normalizer itself, once, so the two cannot
/// disagree: which characters it leaves as they are or replaces by one
/// other, and after which a word of such characters normalizes otherwise
/// than character by character all the same (a final يء becomes ء): tried
/// on every pair of them, at the end of words of two to four letters.
fn classes() -> &'static Classes {
    static CLASSES: OnceLock<Classes> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let mut t = Classes {
            class: [0u8; 0x100],
            folded: ['\0'; 0x100],
        };
        for k in 0..0x100 {
            let Some(c) = char::from_u32(0x0600 + k as u32) else {
                continue;
            };
            let x = &mut t.class[k];
            if matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{0669}')
            {
                *x |= WORD | ALNUM;
            }
            if matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}') {
                *x |= WORD;
            }
            let normalized: Vec<char> = normalize(c.encode_utf8(&mut [0; 4])).chars().collect();
            if *x != 0 && normalized == [c] {
                *x |= UNCHANGED;
            } else if *x != 0 && normalized.len() == 1 {
                *x |= FOLDS;
                t.folded[k] = normalized[0];
            }
            if is_edge_punctuation(c) {
                *x |= EDGE;
            }
        }
        let plain: Vec<char> = (0..0x100u32)
            .filter(|&k| t.class[k as usize] & (UNCHANGED | FOLDS) != 0)
            .filter_map(|k| char::from_u32(0x0600 + k))
            .chain(('a'..='z').chain('A'..='Z').chain('0'..='9'))
            .collect();
        for &b in plain.iter().filter(|b| !b.is_ascii()) {
            let changes = plain.iter().any(|&a| {
                ["", "ب", "بب"].iter().any(|prefix| {
                    let word = format!("{prefix}{a}{b}");
                    let mut folded = String::new();
                    fold_into(&t, &word, &mut folded);
                    normalize(&word) != folded
                })
            });
            if changes {
                t.class[b as usize - 0x600] |= CONTEXT;
            }
        }
        t
    })
}

/// A word of UNCHANGED and FOLDS characters of the Arabic block and ASCII
/// letters and digits, normalized character by character: the stretches
/// between folded characters are copied as they are.
fn fold_into(t: &Classes, word: &str, out: &mut String) {
    out.clear();
    let bytes = word.as_bytes();
    let (mut i, mut copied) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let (folded, len) = if b < 0x80 {
            (
                b.is_ascii_uppercase()
                    .then(|| b.to_ascii_lowercase() as char),
                1,
            )
        } else {
            let c = (((b & 0x1F) as usize) << 6) | (bytes[i + 1] & 0x3F) as usize;
            let k = c.wrapping_sub(0x600);
            let folds = t.class.get(k).is_some_and(|class| class & FOLDS != 0);
            (folds.then(|| t.folded[k]), 2)
        };
        if let Some(f) = folded {
            out.push_str(&word[copied..i]);
            out.push(f);
            copied = i + len;
        }
        i += len;
    }
    out.push_str(&word[copied..]);
}

/// The punctuation between words, one token a character; a hashtag's `#`
/// and the underscores that join its words are none (`دونالد #ترامب` and
/// `#دونالد_ترامب` are a name as written without them).
fn punctuation(text: &str, from: usize, to: usize, out: &mut Vec<Token>) {
    for (i, c) in text[from..to].char_indices() {
        if !c.is_whitespace() && !c.is_control() && !is_invisible(c) && c != '#' && c != '_' {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The analyzer's words of `text`: term and offsets.
    fn analyzer_words(text: &str) -> Vec<(String, usize, usize)> {
        let mut tokenizer = WordTokenizer::without_memo();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    /// The analyzer's words as [`Tokens`] gives them.
    fn shared_words(text: &str) -> Vec<(String, usize, usize)> {
        let t = Tokens::new(text);
        let words: Vec<&Token> = t.tokens.iter().filter(|t| t.word).collect();
        let terms: Vec<&str> = t.terms().collect();
        assert_eq!(words.len(), terms.len());
        words
            .iter()
            .zip(terms)
            .map(|(w, term)| (term.to_string(), w.start, w.end))
            .collect()
    }

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
        let got: Vec<(String, usize, usize)> = tokenize(text)
            .into_iter()
            .filter(|t| t.word)
            .map(|t| (t.norm.to_string(), t.start, t.end))
            .collect();
        assert_eq!(got, analyzer_words(text));
        assert_eq!(shared_words(text), analyzer_words(text));
    }

    /// The two spellings where a token's `norm` and the analyzer's term
    /// part: both are kept, each where it is read.
    #[test]
    fn norms_keep_the_taggers_spelling_and_terms_the_analyzers() {
        let text = "على شيء، علىً شيءٌ الى/على «إلى» بطيء";
        let norms: Vec<String> = tokenize(text)
            .into_iter()
            .filter(|t| t.word)
            .map(|t| t.norm.to_string())
            .collect();
        assert_eq!(
            norms,
            ["علي", "شيء", "علي", "شء", "الى", "على", "الي", "بطيء"]
        );
        let terms: Vec<String> = shared_words(text).into_iter().map(|w| w.0).collect();
        assert_eq!(
            terms,
            ["على", "شء", "على", "شء", "الى", "على", "الى", "بطء"]
        );
        assert_eq!(shared_words(text), analyzer_words(text));
    }

    /// Texts made at random of the characters where the fast path and the
    /// analyzer could part (edges, marks, digits of several scripts,
    /// invisible and odd whitespace, presentation forms): the terms
    /// indexing takes from [`Tokens`] are the analyzer's, always.
    #[test]
    fn terms_are_the_analyzers_on_random_texts() {
        let alphabet: Vec<char> =
            "قالبوتينعلىإلىحتىىيةءؤئأآ ٠١۱۲12aZ.,،«»()-'\"/:!?…–_#%&*ﻟﺒﻨﺎﻥ$+=<>@^`|~ـ"
                .chars()
                .chain([
                    '\u{064E}', '\u{064B}', '\u{0651}', '\u{0670}', '\u{0654}', '\u{0610}',
                    '\u{06D6}', '\u{06F0}', '\u{200B}', '\u{200C}', '\u{200F}', '\u{FEFF}',
                    '\u{00AD}', '\u{000B}', '\u{00A0}', '\u{2003}', '\n', '\t',
                ])
                .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let n = (next() % 14) as usize + 1;
            let text: String = (0..n)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let expected: Vec<String> = analyzer_words(&text).into_iter().map(|w| w.0).collect();
            let got: Vec<String> = shared_words(&text).into_iter().map(|w| w.0).collect();
            assert_eq!(got, expected, "{text:?}");
        }
    }

    /// A word of UNCHANGED and FOLDS characters normalizes character by
    /// character unless it ends with a character marked CONTEXT: tried on
    /// every word of three of them (ASCII letters and digits among them,
    /// which never need the mark).
    #[test]
    fn words_fold_by_character_but_at_context_ends() {
        let t = classes();
        let plain: Vec<char> = (0..0x100u32)
            .filter(|&k| t.class[k as usize] & (UNCHANGED | FOLDS) != 0)
            .filter_map(|k| char::from_u32(0x0600 + k))
            .chain(['a', 'Z', '7'])
            .collect();
        assert!(plain.len() > 40, "{plain:?}");
        let class = |c: char| t.class[c as usize - 0x600];
        assert_ne!(class('ء') & CONTEXT, 0, "a final يء becomes ء");
        for c in ['ة', 'أ', 'ى', 'ئ', '٣'] {
            assert_ne!(class(c) & FOLDS, 0, "{c}");
        }
        let mut folded = String::new();
        for &a in &plain {
            for &b in &plain {
                for &c in &plain {
                    let word: String = [a, b, c].iter().collect();
                    if !c.is_ascii() && class(c) & CONTEXT != 0 {
                        continue;
                    }
                    fold_into(t, &word, &mut folded);
                    assert_eq!(folded, normalize(&word), "{word}");
                }
            }
        }
    }

    #[test]
    fn tokens_are_reused_from_text_to_text() {
        let mut t = Tokens::new("على شيء طويل جدا جدا");
        t.tokenize("قال");
        assert_eq!(t.tokens.len(), 1);
        assert_eq!(t.terms().collect::<Vec<_>>(), ["قال"]);
    }

    #[test]
    fn conll_tokens_normalize_words_and_keep_punctuation() {
        assert_eq!(conll_token("(أ").norm, "ا");
        assert_eq!(conll_token("،").norm, "،");
        assert!(!conll_token("،").word);
    }
}
