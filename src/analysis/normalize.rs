//! Character-level normalization of Arabic text.
//!
//! One function decides how every character is folded, and both indexing and
//! querying go through it, so a spelling variation that is folded here can
//! never make a document unfindable. It works on one token at a time and only
//! produces the term text: offsets always point into the original text, so
//! highlights land on the word as it was written.

/// What happens to one input character.
enum Fold {
    /// Dropped: diacritics, tatweel, invisible format and bidi controls.
    Drop,
    /// Replaced by one character.
    Char(char),
    /// Kept as is.
    Keep,
}

#[inline]
fn fold(c: char) -> Fold {
    match c {
        // Arabic marks: Quranic annotation signs, harakat, tanwin, shadda,
        // sukun, superscript alef, small high signs.
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        // Tatweel (kashida): stretches a word, never changes it.
        | '\u{0640}'
        // Zero-width and bidi controls that editors leave inside words.
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{061C}'
        | '\u{FEFF}'
        | '\u{00AD}' => Fold::Drop,
        // Alef with hamza above/below, madda, wasla → bare alef.
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' | '\u{0672}' | '\u{0673}' => {
            Fold::Char('\u{0627}')
        }
        // Alef maksura → yeh; teh marbuta → heh.
        '\u{0649}' => Fold::Char('\u{064A}'),
        '\u{0629}' => Fold::Char('\u{0647}'),
        // Persian and Urdu letters → their Arabic counterparts.
        '\u{06A9}' | '\u{06AA}' => Fold::Char('\u{0643}'), // keheh, swash kaf → kaf
        '\u{06CC}' | '\u{06D0}' | '\u{06D2}' => Fold::Char('\u{064A}'), // farsi yeh, e, yeh barree → yeh
        '\u{06C1}' | '\u{06BE}' => Fold::Char('\u{0647}'), // heh goal, heh doachashmee → heh
        '\u{06C0}' | '\u{06C3}' => Fold::Char('\u{0647}'), // heh with yeh, teh marbuta goal → heh
        // Arabic-Indic and Extended Arabic-Indic digits → ASCII.
        '\u{0660}'..='\u{0669}' => Fold::Char(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        '\u{06F0}'..='\u{06F9}' => Fold::Char(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        _ => Fold::Keep,
    }
}

/// Appends the normalized form of `word` to `out`.
///
/// Latin letters are lowercased; everything else follows [`fold`].
pub fn normalize_into(word: &str, out: &mut String) {
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match fold(c) {
            Fold::Drop => {}
            Fold::Char(r) => out.push(r),
            Fold::Keep => {
                if c.is_uppercase() {
                    out.extend(c.to_lowercase());
                } else {
                    out.push(c);
                }
            }
        }
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
    use super::normalize;

    #[test]
    fn removes_diacritics() {
        assert_eq!(normalize("بِيْرَقْدَار"), "بيرقدار");
        assert_eq!(normalize("شنّت"), "شنت");
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
    fn folds_yeh_and_teh_marbuta() {
        assert_eq!(normalize("مستشفى"), "مستشفي");
        assert_eq!(normalize("وزارة"), "وزاره");
    }

    #[test]
    fn folds_digits() {
        assert_eq!(normalize("٢٠٢٢"), "2022");
        assert_eq!(normalize("۲۰۲۲"), "2022");
    }

    #[test]
    fn folds_persian_letters() {
        assert_eq!(normalize("کرملین"), "كرملين");
    }

    #[test]
    fn drops_invisible_controls() {
        assert_eq!(normalize("بير\u{200C}قدار"), "بيرقدار");
        assert_eq!(normalize("\u{200F}روسيا"), "روسيا");
    }

    #[test]
    fn lowercases_latin() {
        assert_eq!(normalize("TB2"), "tb2");
        assert_eq!(normalize("Éire"), "éire");
    }
}
