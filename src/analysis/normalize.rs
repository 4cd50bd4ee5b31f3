//! Character-level normalization of Arabic text.
//!
//! One function decides how every character is folded, and both indexing and
//! querying go through it, so a spelling variation that is folded here can
//! never make a document unfindable. It works on one token at a time and only
//! produces the term text: offsets always point into the original text, so
//! highlights land on the word as it was written.
//!
//! The folds, in the order a reader meets them:
//! - presentation forms and ligatures (ﻟﺒﻨﺎﻥ, ﷲ, ﻻ, fullwidth Latin) are
//!   replaced by their compatibility decomposition, as NFKC would;
//! - Arabic marks (harakat, tanwin, shadda, Quranic signs), tatweel and
//!   invisible format, bidi and zero-width controls are dropped;
//! - alef with hamza or madda, alef wasla and decomposed alef + hamza → ا;
//! - hamza on a seat (ؤ ئ, or و/ي + combining hamza) → ء, and a final يء → ء,
//!   so that regional spellings meet (مسؤول = مسئول, شيء = شئ) while a
//!   hamza never turns into a letter (سئل ≠ سيل);
//! - ى → ي and ة → ه;
//! - Persian, Urdu and Kurdish letters → their Arabic counterparts;
//! - every Unicode decimal digit → its ASCII digit;
//! - letters with case are lowercased.

use unicode_normalization::char::decompose_compatible;

const ALEF: char = '\u{0627}';
const HAMZA: char = '\u{0621}';
const WAW: char = '\u{0648}';
const YEH: char = '\u{064A}';

/// What happens to one input character.
enum Fold {
    /// Dropped: diacritics, tatweel, invisible format and bidi controls.
    Drop,
    /// Replaced by one character.
    Char(char),
    /// Combining hamza above: seats a hamza on the preceding و or ي.
    HamzaAbove,
    /// A compatibility character (presentation form, ligature, fullwidth
    /// form): replaced by its decomposition, each character folded in turn.
    Compatibility,
    /// Kept as is, lowercased if it has case.
    Keep,
}

/// True for the invisible characters that editors and bidi algorithms leave
/// inside words: they never split a word and never reach a term.
#[inline]
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{2060}'
    )
}

/// True for Arabic combining marks and tatweel, which never change a word.
#[inline]
pub fn is_arabic_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06ED}'
            | '\u{0640}'
    )
}

#[inline]
fn fold(c: char) -> Fold {
    match c {
        '\u{0654}' => Fold::HamzaAbove,
        c if is_arabic_mark(c) || is_invisible(c) => Fold::Drop,
        // Alef with hamza above/below, madda, wasla, wavy hamza, high hamza.
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}'..='\u{0673}' | '\u{0675}' => {
            Fold::Char(ALEF)
        }
        // Hamza on a waw or yeh seat, and the high-hamza letters.
        '\u{0624}' | '\u{0626}' | '\u{0676}'..='\u{0678}' | '\u{06D3}' => Fold::Char(HAMZA),
        // Alef maksura → yeh; teh marbuta (and its Urdu form) → heh.
        '\u{0649}' => Fold::Char(YEH),
        '\u{0629}' | '\u{06C3}' => Fold::Char('\u{0647}'),
        // Persian, Urdu and Kurdish letters → their Arabic counterparts.
        '\u{06A9}' | '\u{06AA}' | '\u{06AB}' | '\u{06AD}' | '\u{06AF}' => Fold::Char('\u{0643}'),
        '\u{06CC}' | '\u{06CD}' | '\u{06CE}' | '\u{06D0}' | '\u{06D2}' => Fold::Char(YEH),
        '\u{06BE}' | '\u{06C0}' | '\u{06C1}' | '\u{06D5}' => Fold::Char('\u{0647}'),
        '\u{067E}' => Fold::Char('\u{0628}'), // peh → beh
        '\u{0686}' => Fold::Char('\u{062C}'), // tcheh → jeem
        '\u{0698}' => Fold::Char('\u{0632}'), // jeh → zain
        '\u{06A4}' => Fold::Char('\u{0641}'), // veh → feh
        '\u{06A8}' => Fold::Char('\u{0642}'), // qaf with three dots → qaf
        '\u{0679}' => Fold::Char('\u{062A}'), // tteh → teh
        '\u{0688}' => Fold::Char('\u{062F}'), // ddal → dal
        '\u{0691}' => Fold::Char('\u{0631}'), // rreh → reh
        '\u{06BA}' => Fold::Char('\u{0646}'), // noon ghunna → noon
        '\u{06C4}'..='\u{06C9}' | '\u{06CB}' | '\u{06CF}' => Fold::Char(WAW), // Kurdish, Uyghur waws
        // Arabic presentation forms A and B, Latin and Armenian ligatures,
        // fullwidth and halfwidth forms, mathematical alphanumerics.
        '\u{FB00}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}' | '\u{FF01}'..='\u{FFEE}' => {
            Fold::Compatibility
        }
        '\u{1D400}'..='\u{1D7FF}' | '\u{1EE00}'..='\u{1EEFF}' => Fold::Compatibility,
        c => match decimal_digit(c) {
            Some(d) => Fold::Char(char::from(b'0' + d)),
            None => Fold::Keep,
        },
    }
}

/// The code points of digit zero of every Unicode script with decimal
/// digits (General_Category Nd). Each script's digits 0–9 are consecutive
/// from its zero, which Unicode guarantees.
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x11F50, 0x16A60, 0x16AC0,
    0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E950,
    0x1FBF0,
];

/// The value of a non-ASCII decimal digit.
#[inline]
fn decimal_digit(c: char) -> Option<u8> {
    let cp = c as u32;
    if cp < 0x0660 {
        return None;
    }
    let i = DIGIT_ZEROS.partition_point(|&zero| zero <= cp);
    let zero = DIGIT_ZEROS[i.checked_sub(1)?];
    (cp - zero < 10).then(|| (cp - zero) as u8)
}

/// Appends the folded form of one character to `out`.
#[inline]
fn push_folded(c: char, out: &mut String) {
    match fold(c) {
        Fold::Drop => {}
        Fold::Char(r) => out.push(r),
        Fold::HamzaAbove => {
            if out.ends_with(WAW) || out.ends_with(YEH) {
                out.pop();
                out.push(HAMZA);
            }
        }
        Fold::Compatibility => {
            decompose_compatible(c, |d| {
                // A decomposition never yields another compatibility
                // character, so folding each piece terminates.
                if !d.is_whitespace() {
                    push_folded(d, out);
                }
            });
        }
        Fold::Keep => {
            if c.is_uppercase() {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
        }
    }
}

/// Arabic letters that no rule changes: the common case, kept fast.
#[inline]
fn is_plain_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0627}'..='\u{0628}' | '\u{062A}'..='\u{063A}' | '\u{0641}'..='\u{0648}' | '\u{064A}')
}

/// Appends the normalized form of `word` to `out`.
pub fn normalize_into(word: &str, out: &mut String) {
    let start = out.len();
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_plain_arabic_letter(c) {
            out.push(c);
        } else {
            push_folded(c, out);
        }
    }
    finish(start, out);
}

/// What a plain character becomes (see [`normalize_plain_into`]), for
/// U+0600–U+067F: [`NOT_PLAIN`], [`DROP`], [`HAMZA_ABOVE`], or the code
/// point written for it.
const NOT_PLAIN: u16 = 0;
const DROP: u16 = 1;
const HAMZA_ABOVE: u16 = 2;

/// [`fold`] for the plain characters of U+0600–U+067F, as a table (a test
/// checks it against [`fold`]).
const PLAIN_FOLDS: [u16; 128] = {
    let mut table = [NOT_PLAIN; 128];
    let mut i = 0;
    while i < 128 {
        let c = 0x0600 + i as u16;
        table[i] = match c {
            0x0622 | 0x0623 | 0x0625 => ALEF as u16,
            0x0624 | 0x0626 => HAMZA as u16,
            0x0629 => 0x0647,
            0x0649 => YEH as u16,
            0x0621..=0x063A | 0x0641..=0x064A => c,
            0x0654 => HAMZA_ABOVE,
            0x0640 | 0x064B..=0x065F | 0x0670 => DROP,
            0x0660..=0x0669 => b'0' as u16 + (c - 0x0660),
            _ => NOT_PLAIN,
        };
        i += 1;
    }
    table
};

/// The characters of a word that [`normalize_plain_into`] handles: ASCII
/// letters and digits, Arabic letters, marks and tatweel (U+0640–U+065F),
/// Arabic-Indic digits and the superscript alef. A piece of text made only of
/// these is also one word under UAX #29 (all are ALetter, Numeric or Extend).
#[inline]
pub fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{0621}'..='\u{063A}' | '\u{0640}'..='\u{065F}' | '\u{0660}'..='\u{0669}' | '\u{0670}')
}

/// [`normalize_into`] for a word made only of [`is_plain`] characters, one
/// byte or two at a time without decoding: most words of Arabic news. Returns
/// false, with `out` as it was, at the first other character.
#[inline]
pub fn normalize_plain_into(word: &str, out: &mut String) -> bool {
    let start = out.len();
    // SAFETY: only whole UTF-8 sequences are pushed (an ASCII byte, or the
    // two bytes of a code point in U+0600–U+067F), and on failure `out` is
    // cut back to `start`, a char boundary; so `out` stays valid UTF-8.
    let bytes = unsafe { out.as_mut_vec() };
    let input = word.as_bytes();
    // The last three characters written, the latest in the low bits, and
    // how many were written: the rules of [`finish`] read them here rather
    // than from `out`, where they were just stored byte by byte (reading
    // them back at once waits on those stores).
    let mut tail: u64 = 0;
    let mut written = 0usize;
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        if b < 0x80 {
            if !b.is_ascii_alphanumeric() {
                bytes.truncate(start);
                return false;
            }
            let lower = b.to_ascii_lowercase();
            bytes.push(lower);
            tail = tail << 16 | lower as u64;
            written += 1;
            i += 1;
            continue;
        }
        // U+0600–U+067F is 0xD8 or 0xD9, then a continuation byte.
        if !matches!(b, 0xD8 | 0xD9) || i + 1 >= input.len() {
            bytes.truncate(start);
            return false;
        }
        let index = (((b & 1) as usize) << 6) | (input[i + 1] & 0x3F) as usize;
        match PLAIN_FOLDS[index] {
            NOT_PLAIN => {
                bytes.truncate(start);
                return false;
            }
            DROP => {}
            HAMZA_ABOVE => {
                // Seats the hamza on a preceding و or ي (both two bytes),
                // written for this word or before it.
                let n = bytes.len();
                let seat = if written > 0 {
                    matches!(tail as u16, 0x0648 | 0x064A)
                } else {
                    n >= 2 && (bytes[n - 2..] == [0xD9, 0x88] || bytes[n - 2..] == [0xD9, 0x8A])
                };
                if seat {
                    bytes[n - 2..].copy_from_slice(&[0xD8, 0xA1]);
                    if written > 0 {
                        tail = tail & !0xFFFF | HAMZA as u64;
                    }
                }
            }
            c => {
                if c < 0x80 {
                    bytes.push(c as u8);
                } else {
                    bytes.extend_from_slice(&[0xC0 | (c >> 6) as u8, 0x80 | (c & 0x3F) as u8]);
                }
                tail = tail << 16 | c as u64;
                written += 1;
            }
        }
        i += 2;
    }
    // [`finish`], on what was written for this word.
    if tail as u32 == (YEH as u32) << 16 | HAMZA as u32 && written > 2 {
        let hamza_at = out.len() - HAMZA.len_utf8();
        out.truncate(hamza_at - YEH.len_utf8());
        out.push(HAMZA);
    }
    true
}

/// The rules that look at a whole word, after its characters are folded
/// into `out[start..]`.
#[inline]
fn finish(start: usize, out: &mut String) {
    // A final hamza written on a yeh seat after a yeh (شيئ) or after it
    // (شيء, بطيء): both spellings meet at the bare hamza.
    let folded = &out[start..];
    if folded.ends_with("\u{064A}\u{0621}") && folded.chars().count() > 2 {
        let hamza_at = out.len() - HAMZA.len_utf8();
        out.truncate(hamza_at - YEH.len_utf8());
        out.push(HAMZA);
    }
}

/// The normalized form of `word`, as a new string.
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_into(word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of the fast path is [`fold`] for every plain character.
    #[test]
    fn plain_folds_agree_with_fold() {
        for (i, &folded) in PLAIN_FOLDS.iter().enumerate() {
            let c = char::from_u32(0x0600 + i as u32).unwrap();
            let expected = if !is_plain(c) {
                NOT_PLAIN
            } else {
                match fold(c) {
                    Fold::Drop => DROP,
                    Fold::HamzaAbove => HAMZA_ABOVE,
                    Fold::Char(r) => r as u16,
                    Fold::Keep => c as u16,
                    Fold::Compatibility => panic!("U+{:04X} is plain", c as u32),
                }
            };
            assert_eq!(folded, expected, "U+{:04X}", c as u32);
        }
    }

    /// The fast path gives what the general one gives, for words of every
    /// plain character and its neighbours, and refuses any other word.
    #[test]
    fn plain_words_normalize_as_any_word() {
        let plain: Vec<char> = ('\0'..='\u{07FF}').filter(|&c| is_plain(c)).collect();
        let mut words: Vec<String> = Vec::new();
        for &c in &plain {
            for &d in [
                '\u{0627}', '\u{0648}', '\u{064A}', '\u{064B}', '\u{0654}', 'B', '7',
            ]
            .iter()
            {
                words.push(format!("{c}{d}"));
                words.push(format!("{d}{c}"));
                words.push(format!("\u{0634}{c}{d}"));
                words.push(format!("\u{0634}{d}{c}"));
            }
        }
        words.extend(
            [
                "صاروخًا",
                "صاروخاً",
                "شيئ",
                "شيء",
                "بطيء",
                "مسو\u{0654}ول",
                "ري\u{0654}يس",
                "ـــ",
                "ًٌ",
                "TB2",
                "٢٠٢٢",
            ]
            .map(String::from),
        );
        // Every word of up to four letters from the letters that the
        // whole-word rules and the seated hamza look at.
        let letters = [
            '\u{0627}', '\u{0648}', '\u{064A}', '\u{0621}', '\u{064B}', '\u{0654}', '\u{0640}',
            '\u{0649}', '\u{0629}', '\u{0626}', '\u{0663}', '\u{0634}', 'B', '7',
        ];
        let mut short = vec![String::new()];
        for _ in 0..4 {
            short = short
                .iter()
                .flat_map(|w| letters.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(short.iter().cloned());
        }
        for word in &words {
            // What `out` held before: the rules must look only at the word,
            // except a seated hamza, which the general path seats on a
            // letter already written.
            for before in ["", "x", "\u{0648}", "\u{064A}\u{0621}"] {
                let mut fast = String::from(before);
                assert!(normalize_plain_into(word, &mut fast), "{word}");
                let mut general = String::from(before);
                normalize_into(word, &mut general);
                assert_eq!(fast, general, "{before:?} + {word}");
            }
        }
        for word in [
            "a.b",
            "بير\u{200C}قدار",
            "ﻟﺒﻨﺎﻥ",
            "کرملین",
            "é",
            "،",
            "a b",
            "\u{06F2}",
        ] {
            let mut fast = String::from("x");
            assert!(!normalize_plain_into(word, &mut fast), "{word}");
            assert_eq!(fast, "x");
        }
    }

    #[test]
    fn removes_harakat_tanwin_shadda_sukun() {
        assert_eq!(normalize("بِيْرَقْدَار"), "بيرقدار");
        assert_eq!(normalize("شنّت"), "شنت");
        assert_eq!(normalize("كتابٌ"), "كتاب");
    }

    #[test]
    fn removes_quranic_and_small_high_marks() {
        assert_eq!(normalize("الله\u{0670}"), "الله");
        assert_eq!(normalize("قال\u{0610}"), "قال");
        assert_eq!(normalize("نار\u{06E1}"), "نار");
    }

    #[test]
    fn keeps_the_alef_of_accusative_tanwin() {
        // As most text writes it without the mark: جداً is جدا ("very"),
        // not جد ("grandfather"); the light stemmer decides whether the alef
        // is an ending (صاروخا → صاروخ).
        assert_eq!(normalize("صاروخًا"), "صاروخا");
        assert_eq!(normalize("صاروخاً"), "صاروخا");
        assert_eq!(normalize("جداً"), normalize("جدا"));
        assert_eq!(normalize("روسيا"), "روسيا");
    }

    #[test]
    fn removes_tatweel() {
        assert_eq!(normalize("بيرقـــدار"), "بيرقدار");
    }

    #[test]
    fn folds_alef_forms() {
        assert_eq!(normalize("أذربيجان"), "اذربيجان");
        assert_eq!(normalize("إيران"), "ايران");
        assert_eq!(normalize("آسيا"), "اسيا");
        assert_eq!(normalize("ٱلله"), "الله");
    }

    #[test]
    fn folds_decomposed_alef_hamza() {
        // alef + combining hamza above / below / madda
        assert_eq!(normalize("\u{0627}\u{0654}نقرة"), "انقره");
        assert_eq!(normalize("\u{0627}\u{0655}يران"), "ايران");
        assert_eq!(normalize("\u{0627}\u{0653}سيا"), "اسيا");
    }

    #[test]
    fn folds_hamza_seats_so_regional_spellings_meet() {
        assert_eq!(normalize("مسؤول"), normalize("مسئول"));
        assert_eq!(normalize("رئيس"), normalize("رءيس"));
        assert_eq!(normalize("شيء"), normalize("شئ"));
        // decomposed waw/yeh + hamza above meet the composed seats
        assert_eq!(normalize("مسو\u{0654}ول"), normalize("مسؤول"));
        assert_eq!(normalize("ري\u{0654}يس"), normalize("رئيس"));
    }

    #[test]
    fn hamza_never_becomes_a_letter() {
        assert_ne!(normalize("سئل"), normalize("سيل"));
        assert_ne!(normalize("سؤال"), normalize("سوال"));
    }

    #[test]
    fn folds_alef_maksura_and_teh_marbuta() {
        assert_eq!(normalize("مستشفى"), "مستشفي");
        assert_eq!(normalize("وزارة"), "وزاره");
    }

    #[test]
    fn folds_arabic_indic_digits() {
        assert_eq!(normalize("٢٠٢٢"), "2022");
    }

    #[test]
    fn folds_extended_arabic_indic_digits() {
        assert_eq!(normalize("۲۰۲۲"), "2022");
    }

    #[test]
    fn folds_every_decimal_digit() {
        assert_eq!(normalize("१९४७"), "1947"); // Devanagari
        assert_eq!(normalize("２０２２"), "2022"); // fullwidth
        assert_eq!(normalize("߂߀"), "20"); // NKo
        for &zero in DIGIT_ZEROS {
            for d in 0..10u32 {
                let c = char::from_u32(zero + d).unwrap();
                assert!(c.is_numeric(), "U+{:04X} is not a digit", zero + d);
                assert_eq!(
                    normalize(&c.to_string()),
                    d.to_string(),
                    "U+{:04X}",
                    zero + d
                );
            }
        }
    }

    #[test]
    fn folds_persian_and_urdu_letters() {
        assert_eq!(normalize("کرملین"), "كرملين"); // keheh, farsi yeh
        assert_eq!(normalize("ڪتاب"), "كتاب"); // swash kaf
        assert_eq!(normalize("گاز"), "كاز"); // gaf
        assert_eq!(normalize("پوتين"), "بوتين"); // peh
        assert_eq!(normalize("چاي"), "جاي"); // tcheh
        assert_eq!(normalize("ژاله"), "زاله"); // jeh
        assert_eq!(normalize("ھند"), "هند"); // heh doachashmee
        assert_eq!(normalize("ہند"), "هند"); // heh goal
        assert_eq!(normalize("خانۀ"), "خانه"); // heh with yeh above
        assert_eq!(normalize("صلوۃ"), "صلوه"); // teh marbuta goal
        assert_eq!(normalize("پاکستانے"), "باكستاني"); // yeh barree
        assert_eq!(normalize("بېت"), "بيت"); // e
    }

    #[test]
    fn folds_presentation_forms() {
        assert_eq!(normalize("ﺍﻟﺴﻼﻡ"), "السلام");
        assert_eq!(normalize("ﻟﺒﻨﺎﻥ"), "لبنان");
        assert_eq!(normalize("ﺃﻧﻘﺮﺓ"), "انقره");
        assert_eq!(normalize("ﻣﺴﺆﻭﻝ"), normalize("مسؤول"));
    }

    #[test]
    fn folds_ligatures() {
        assert_eq!(normalize("ﷲ"), "الله");
        assert_eq!(normalize("ﻻ"), "لا");
        assert_eq!(normalize("ﬁnal"), "final");
    }

    #[test]
    fn drops_invisible_controls() {
        for c in [
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}',
            '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
            '\u{061C}', '\u{FEFF}',
        ] {
            assert_eq!(
                normalize(&format!("بير{c}قدار")),
                "بيرقدار",
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn lowercases_latin() {
        assert_eq!(normalize("TB2"), "tb2");
        assert_eq!(normalize("Éire"), "éire");
    }

    #[test]
    fn is_idempotent() {
        for w in ["مسؤول", "ﺍﻟﺴﻼﻡ", "شيء", "۲۰۲۲", "پوتين", "إسطنبول"]
        {
            let once = normalize(w);
            assert_eq!(normalize(&once), once);
        }
    }
}
