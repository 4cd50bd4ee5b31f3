//! The body hash that finds the same article under another id: a hash of
//! the body's letters and digits, blind to the differences that do not make
//! another text (spacing, punctuation, case, diacritics, tatweel, the
//! alef/hamza forms, teh marbuta and alef maksura).
//!
//! Letters are folded here directly rather than through the analyzer: this
//! runs once per article on the whole body and must be cheap. The hashes
//! are stored in the manifest, so a change of their values needs a new
//! manifest format.

use std::sync::OnceLock;

use crate::analysis::normalize_into;

/// Bodies shorter than this (in normalized letters and digits) are too
/// generic to call two articles the same.
pub const MIN_BODY_CHARS_FOR_DEDUP: usize = 100;

/// The hash of `body`; 0 for a short body.
pub fn body_hash(body: &str) -> u64 {
    let table = table();
    let bytes = body.as_bytes();
    let mut hasher = CharHasher::default();
    let mut other = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII and U+0600..U+06FF (two bytes led by D8..DB) through the
        // table: nearly all of a text.
        let (slot, len) = match b {
            0..=0x7F => (b as usize, 1),
            0xD8..=0xDB => {
                let c = (((b & 0x1F) as usize) << 6) | (bytes[i + 1] & 0x3F) as usize;
                (0x80 + c - 0x600, 2)
            }
            _ => {
                let c = body[i..].chars().next().unwrap_or(' ');
                i += c.len_utf8();
                fold_other(c, &mut hasher, &mut other);
                continue;
            }
        };
        i += len;
        match table[slot] {
            SKIP => {}
            OTHER => {
                let c = char::from_u32((slot - 0x80 + 0x600) as u32).unwrap_or(' ');
                fold_other(c, &mut hasher, &mut other);
            }
            c => hasher.push(c),
        }
    }
    if hasher.chars < MIN_BODY_CHARS_FOR_DEDUP {
        0
    } else {
        hasher.finish().max(1)
    }
}

/// What the hash takes of a character.
#[derive(Debug, PartialEq)]
enum Fold {
    /// This character.
    Char(char),
    /// Nothing.
    Skip,
    /// The analyzer's folding of it (letters and digits of other scripts).
    Other,
}

fn fold(c: char) -> Fold {
    Fold::Char(match c {
        'a'..='z' | '0'..='9' => c,
        'A'..='Z' => c.to_ascii_lowercase(),
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' => '\u{0627}',
        '\u{0629}' => '\u{0647}',
        '\u{0649}' => '\u{064A}',
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => c,
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        _ if c.is_ascii() => return Fold::Skip,
        // Marks, tatweel, Arabic punctuation.
        '\u{0600}'..='\u{061F}' | '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' => {
            return Fold::Skip
        }
        _ if c.is_alphanumeric() => return Fold::Other,
        _ => return Fold::Skip,
    })
}

/// Hashes a character outside the table's fast path.
fn fold_other(c: char, hasher: &mut CharHasher, scratch: &mut String) {
    match fold(c) {
        Fold::Char(c) => hasher.push(c),
        Fold::Skip => {}
        Fold::Other => {
            scratch.clear();
            normalize_into(c.encode_utf8(&mut [0; 4]), scratch);
            scratch.chars().for_each(|o| hasher.push(o));
        }
    }
}

/// Table entries that are not a character.
const SKIP: char = '\0';
const OTHER: char = '\u{FFFF}';

/// [`fold`] of ASCII (entries 0..0x80) and of U+0600..U+06FF (from 0x80).
fn table() -> &'static [char; 0x180] {
    static TABLE: OnceLock<[char; 0x180]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [SKIP; 0x180];
        let chars = (0..0x80).chain(0x600..0x700).filter_map(char::from_u32);
        for (entry, c) in table.iter_mut().zip(chars) {
            *entry = match fold(c) {
                Fold::Char(f) => f,
                Fold::Skip => SKIP,
                Fold::Other => OTHER,
            };
        }
        table
    })
}

/// A stable 64-bit hash of a sequence of characters, two at a time: one
/// multiply and one shift per pair, where FNV over UTF-8 bytes waits on two
/// multiplies per Arabic letter.
#[derive(Default)]
struct CharHasher {
    state: u64,
    /// A character waiting for its pair, plus one (0: none).
    pending: u64,
    chars: usize,
}

impl CharHasher {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    #[inline]
    fn push(&mut self, c: char) {
        self.chars += 1;
        let c = u64::from(c) + 1;
        if self.pending == 0 {
            self.pending = c;
            return;
        }
        self.mix(self.pending | c << 32);
        self.pending = 0;
    }

    #[inline]
    fn mix(&mut self, word: u64) {
        let h = (self.state ^ word).wrapping_mul(Self::K);
        self.state = h ^ (h >> 29);
    }

    fn finish(mut self) -> u64 {
        if self.pending != 0 {
            self.mix(self.pending);
        }
        self.mix(self.chars as u64);
        // The finalizer of SplitMix64, so every bit depends on every input.
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_hash_ignores_spelling_variants_and_spacing() {
        let a = "قال الرئيس الروسي فلاديمير بوتين إن بلاده تسعى إلى إنهاء القتال بين أرمينيا وأذربيجان بعد اشتباكات حدودية. وأضاف أن موسكو على اتصال بالطرفين.";
        let b = "قال  الرئيس الروسي فلاديمير بوتين إن بلاده تسعى الى انهاء القتال بين ارمينيا واذربيجان بعد اشتباكات حدودية\nوأضاف أن موسكو على اتصال بالطرفين";
        assert_ne!(body_hash(a), 0);
        assert_eq!(body_hash(a), body_hash(b));
        assert_ne!(body_hash(a), body_hash(&a.replace("بوتين", "لافروف")));
        // The same letters in another order, or one letter more.
        assert_ne!(body_hash(a), body_hash(&a.replace("بوتين إن", "إن بوتين")));
        assert_ne!(body_hash(a), body_hash(&a.replace("بلاده", "بلادهم")));
        assert_eq!(body_hash("شاهد الفيديو"), 0);
        let diacritics = a.replace("قال", "قَالَ").replace("بوتين", "بوتـــين");
        assert_eq!(body_hash(a), body_hash(&diacritics));
        let latin = "The Kremlin said on Tuesday that talks between Armenia and Azerbaijan would resume next week in Moscow.";
        assert_eq!(
            body_hash(latin),
            body_hash(&latin.to_uppercase().replace(' ', "  "))
        );
    }

    #[test]
    fn the_table_is_the_folding_of_every_character() {
        // The fast path and the general one agree: a text of every
        // character of the table's ranges hashes as one folded character
        // at a time would.
        let text: String = (0..0x80u32)
            .chain(0x600..0x700)
            .filter_map(char::from_u32)
            .collect();
        let mut slow = CharHasher::default();
        let mut scratch = String::new();
        for c in text.chars().cycle().take(text.chars().count() * 2) {
            fold_other(c, &mut slow, &mut scratch);
        }
        assert_eq!(body_hash(&text.repeat(2)), slow.finish().max(1));
        assert_eq!(fold('\u{0623}'), Fold::Char('\u{0627}'));
        assert_eq!(fold('\u{064E}'), Fold::Skip);
        assert_eq!(fold('\u{06A9}'), Fold::Other);
    }
}
