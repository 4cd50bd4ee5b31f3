//! Name skeletons: one term for the spellings of a transliterated name.
//!
//! Foreign names reach Arabic by ear, so each outlet spells them its own way:
//! بيرقدار / بيرقتار / بايراكتار, ترامب / ترمب, غوغل / جوجل, تشاووش / جاويش.
//! The variants differ in long vowels (ا و ي written or not) and in letters
//! that render one foreign sound (g as ج غ ق ك, ç as تش or ج, d/t). A name's
//! skeleton keeps its first letter, drops the inner vowel letters and hamza,
//! and maps each consonant to its sound class, so the variants meet.
//!
//! Only name-like words get a skeleton: a skeleton of ordinary vocabulary
//! would merge كاتب with كتاب. A word is name-like when, after light
//! stemming, it has four letters or more and is not a stopword, and it is
//! either unknown to the [`Lexicon`] or known but almost never seen with the
//! article (ترامب, never الترامب; while الكاتب is common). Verbs and
//! prepositions never take the article either, so a word is vocabulary too
//! when the archive has it with pronoun or verb endings (بدونه، انتشرت) or
//! with another present-tense prefix (تشير beside يشير), and a skeleton
//! of fewer than three sounds (جراء، غرار، قرارا all read `Kر`) is kept only
//! for a gazetteer name. The same test runs on documents and queries, so a
//! name always meets its variants.

use super::lexicon::Lexicon;
use super::light::{CONJUNCTIONS, PREPOSITIONS};

const ARTICLE: &str = "\u{0627}\u{0644}";
/// Letters a name must have (after light stemming) to get a skeleton.
const MIN_LETTERS: usize = 4;
/// A word seen with the article at least this often (relative to its bare
/// form) is vocabulary, not a name.
const MAX_ARTICLE_RATIO: f32 = 0.05;

/// The word a skeleton is made from, when `light` (a light stem) is
/// name-like: the stem itself, or, for a name that only occurs with the
/// article (الكرملين), the stem without it.
pub fn name_base<'a>(light: &'a str, lexicon: &Lexicon) -> Option<&'a str> {
    if light.chars().count() < MIN_LETTERS
        || !light
            .chars()
            .all(|c| ('\u{0621}'..='\u{064A}').contains(&c))
    {
        return None;
    }
    if let Some(bare) = light.strip_prefix(ARTICLE) {
        // The light stemmer keeps the article only on a word it never saw
        // without it: a fixed name with the article (الكرملين).
        return (bare.chars().count() >= MIN_LETTERS - 1 && lexicon.count(bare) == 0)
            .then_some(bare);
    }
    let (bare, with_article) = article_counts(light, lexicon);
    if bare > 0.0 && with_article >= MAX_ARTICLE_RATIO * bare {
        return None;
    }
    if lexicon.is_name(light) {
        return Some(light);
    }
    (!inflected(light, lexicon) && sounds(light) >= MIN_SOUNDS).then_some(light)
}

/// Sounds a skeleton must have, unless its word is a gazetteer name.
const MIN_SOUNDS: usize = 3;

/// Pronoun and verb endings. Names seldom take them (no بوتينها), while
/// prepositions and verbs do (بدونه، قبالته، انتشرت، انتشروا). The nisba ي is
/// not among them: ايراني is an adjective of a name.
const ENDINGS: &[&str] = &["ه", "ها", "هم", "هما", "نا", "كم", "ت", "وا"];

/// Share of a word's count that its forms with [`ENDINGS`] must reach for it
/// to be vocabulary.
const MIN_ENDINGS_RATIO: f32 = 0.01;

/// Endings that make a form of another word: past tense and feminine ت,
/// the accusative or dual ا, pronouns, plurals.
const AFFIXED_ENDINGS: &[&str] = &[
    "ت", "ا", "ه", "ها", "هم", "نا", "وا", "وه", "ون", "ين", "ات",
];

/// Share of a word's count that its present tense (ي + the word) must reach
/// for the word to be a verb in the past tense.
const MIN_PRESENT_RATIO: f32 = 0.2;

/// Present-tense prefixes: a word that starts with one and is as common with
/// another (تشير and يشير) is a verb.
const PRESENT_PREFIXES: &[char] = &['ي', 'ت', 'ن'];

/// True when the archive has `light` (a word without the article) with
/// pronoun or verb endings, or with another present-tense prefix, often
/// enough for it to be vocabulary rather than a name.
fn inflected(light: &str, lexicon: &Lexicon) -> bool {
    // A word the light stemmer kept its proclitic on (بتشديدها → بتشديد).
    if CONJUNCTIONS.iter().chain(&PREPOSITIONS).any(|&p| {
        light.strip_prefix(p).is_some_and(|rest| {
            rest.chars().nth(2).is_some() && both_with_and_without_article(rest, lexicon)
        })
    }) {
        return true;
    }
    let count = lexicon.count(light) as f32;
    if count == 0.0 {
        return false;
    }
    // A final ة (normalized ه) becomes ت before an ending: قبالة، قبالته.
    let stem = light.strip_suffix('ه').unwrap_or(light);
    let joint = if stem.len() < light.len() { "ت" } else { "" };
    let mut form = String::with_capacity(light.len() + 8);
    let mut inflected = 0.0;
    for ending in ENDINGS {
        form.clear();
        form.push_str(stem);
        form.push_str(joint);
        form.push_str(ending);
        inflected += lexicon.count(&form) as f32;
    }
    if inflected >= MIN_ENDINGS_RATIO * count {
        return true;
    }
    // A word about as common without an ending (بقيت beside بقي, قابلا
    // beside قابل, بطنه beside بطن) or a past tense with a present one (قابل, يقابل).
    let common = |form: &str| lexicon.count(form) as f32 >= 0.5 * count;
    if AFFIXED_ENDINGS.iter().any(|e| {
        light
            .strip_suffix(e)
            .is_some_and(|base| base.chars().nth(2).is_some() && common(base))
    }) {
        return true;
    }
    form.clear();
    form.push('ي');
    form.push_str(light);
    if lexicon.count(&form) as f32 >= MIN_PRESENT_RATIO * count {
        return true;
    }
    let mut chars = light.chars();
    let Some(first) = chars.next().filter(|c| PRESENT_PREFIXES.contains(c)) else {
        return false;
    };
    let rest = chars.as_str();
    PRESENT_PREFIXES.iter().filter(|&&p| p != first).any(|&p| {
        form.clear();
        form.push(p);
        form.push_str(rest);
        lexicon.count(&form) as f32 >= 0.5 * count
    })
}

/// The number of consonant sounds in the skeleton of `name` (its final
/// vowel, which the skeleton also keeps, is none).
fn sounds(name: &str) -> usize {
    let mut skeleton = String::new();
    skeleton_into(name.trim_end_matches(['و', 'ي']), &mut skeleton);
    skeleton.chars().count()
}

/// True when the archive has `light` (a light stem without the article)
/// both with and without the article, each at least a twentieth as often
/// as the other: vocabulary (مشهد and المشهد, بيان and البيان), where a name
/// keeps to one form (ترامب; البصرة).
pub fn both_with_and_without_article(light: &str, lexicon: &Lexicon) -> bool {
    let (bare, with_article) = article_counts(light, lexicon);
    bare > 0.0
        && with_article >= MAX_ARTICLE_RATIO * bare
        && bare >= MAX_ARTICLE_RATIO * with_article
}

/// How often the archive has `light` without and with the article.
fn article_counts(light: &str, lexicon: &Lexicon) -> (f32, f32) {
    let mut with_article = String::with_capacity(light.len() + ARTICLE.len());
    with_article.push_str(ARTICLE);
    with_article.push_str(light);
    (
        lexicon.count(light) as f32,
        lexicon.count(&with_article) as f32,
    )
}

/// The sound class of a consonant, or `None` for a letter the skeleton drops.
#[inline]
fn class(c: char) -> Option<char> {
    Some(match c {
        // long vowels and hamza: written or not at will
        'ا' | 'و' | 'ي' | 'ى' | 'ء' => return None,
        // g, q, k and ç (as ج): written ج غ ق ك
        'ج' | 'غ' | 'ق' | 'ك' => 'K',
        // t and d, emphatic or not
        'ت' | 'ط' | 'د' | 'ض' => 'T',
        'ث' | 'س' | 'ص' => 'S',
        'ذ' | 'ز' | 'ظ' => 'Z',
        'ح' | 'ه' => 'H',
        c => c,
    })
}

/// Appends the skeleton of a name-like word to `out`.
pub fn skeleton_into(name: &str, out: &mut String) {
    let start = out.len();
    let mut chars = name.chars().peekable();
    // The first letter is kept even if it is a vowel letter: an initial و
    // or ا is a consonant (وزير, اسلام), and it keeps short names apart.
    if let Some(first) = chars.next() {
        if first == 'ت' && chars.peek() == Some(&'ش') {
            chars.next();
            out.push('K');
        } else {
            out.push(class(first).unwrap_or(first));
        }
    }
    let mut last = out.chars().last();
    // A sound repeats across a dropped vowel (سويسرا is not سوريا), not
    // when written twice in a row (تشاووش).
    let mut vowel_between = false;
    while let Some(c) = chars.next() {
        // تش renders ç, as ج does (تشاووش / جاويش)
        let class = if c == 'ت' && chars.peek() == Some(&'ش') {
            chars.next();
            Some('K')
        } else if c == 'ه' && chars.peek().is_none() {
            None // final teh marbuta / heh
        } else {
            class(c)
        };
        match class {
            Some(k) => {
                if Some(k) != last || vowel_between {
                    out.push(k);
                    last = Some(k);
                }
                vowel_between = false;
            }
            None => vowel_between = true,
        }
    }
    // A final و or ي tells names apart (باكو, not بيتش); transliterations
    // seldom differ there, while a final ا is also written ة (كاليفورنيا،
    // كاليفورنيه), which the skeleton drops.
    if let Some(last) = name.chars().last().filter(|c| matches!(c, 'و' | 'ي')) {
        if out.len() > start && name.chars().nth(1).is_some() {
            out.push(last);
        }
    }
    if out.len() == start {
        out.push_str(name);
    }
}

/// The sound classes a word has, or a skeleton needs after its first
/// letter: one bit each, for telling cheaply that a word cannot have a
/// skeleton. Every letter of a skeleton after the first is the class of a
/// consonant of the name's base or its final long vowel, and the base keeps
/// the letters of the word
/// (light stemming takes letters off, or ends it with a heh, which the
/// skeleton drops), so a word lacking one of those classes cannot have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkeletonClasses(u64);

/// The bit of a class: Arabic letters by code point, then K T S Z H.
fn class_bit(class: char) -> u64 {
    let bit = match class {
        '\u{0621}'..='\u{064A}' => class as u32 - 0x0621,
        'K' => 42,
        'T' => 43,
        'S' => 44,
        'Z' => 45,
        'H' => 46,
        // Nothing else is a class; a bit no word has.
        _ => 63,
    };
    1 << bit
}

impl SkeletonClasses {
    /// The classes that `skeleton` needs after its first letter.
    pub fn of_skeleton(skeleton: &str) -> SkeletonClasses {
        SkeletonClasses(
            skeleton
                .chars()
                .skip(1)
                .fold(0, |bits, c| bits | class_bit(c)),
        )
    }

    /// The classes of the letters of `word` as written (before
    /// normalization); `None` when it has characters other than Arabic
    /// letters, marks, tatweel and digits, whose classes are not told here.
    pub fn of_word(word: &str) -> Option<SkeletonClasses> {
        let mut bits = 0;
        for c in word.chars() {
            let c = match c {
                // What normalization makes of them.
                '\u{0629}' => '\u{0647}',
                '\u{0622}' | '\u{0623}' | '\u{0625}' => 'ا',
                '\u{0624}' => 'و',
                '\u{0626}' | '\u{0649}' => 'ي',
                // Tatweel, marks and digits: no letter.
                '\u{0640}' | '\u{064B}'..='\u{0669}' | '\u{0670}' => continue,
                '\u{0621}'..='\u{064A}' => c,
                _ => return None,
            };
            // A final و or ي stands for itself in a skeleton.
            bits |= class_bit(class(c).unwrap_or(c));
            // تش is written for ç, as ج is: its skeleton letter is K.
            if c == 'ش' {
                bits |= class_bit('K');
            }
        }
        Some(SkeletonClasses(bits))
    }

    /// Whether these classes include all of `needed`.
    pub fn covers(self, needed: SkeletonClasses) -> bool {
        self.0 & needed.0 == needed.0
    }
}

/// The skeleton of a name-like word, as a new string.
pub fn skeleton(name: &str) -> String {
    let mut out = String::new();
    skeleton_into(name, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::analysis::light::light;
    use crate::analysis::normalize::is_arabic_mark;
    use crate::analysis::normalize::normalize;
    use crate::analysis::{NameSkeleton, TermMap};

    fn skel(word: &str) -> Option<String> {
        let light = light(&normalize(word));
        name_base(&light, Lexicon::get()).map(skeleton)
    }

    #[test]
    fn transliteration_variants_meet() {
        for (a, b) in [
            ("بيرقدار", "بيرقتار"),
            ("بيرقدار", "بايراكتار"),
            ("تشاووش", "جاويش"),
            ("باشنيان", "باشينيان"),
            ("كلبجار", "كلبجر"),
            ("غوغل", "جوجل"),
            ("ترامب", "ترمب"),
            ("نتنياهو", "نتانياهو"),
        ] {
            let (sa, sb) = (skel(a), skel(b));
            assert!(sa.is_some(), "{a} is name-like");
            assert_eq!(sa, sb, "{a} / {b}");
        }
    }

    #[test]
    fn vocabulary_gets_no_skeleton() {
        for w in ["الكاتب", "كتاب", "وزارة", "الحكومة", "صاروخ"] {
            assert_eq!(skel(w), None, "{w}");
        }
        // Never with the article, but vocabulary: a preposition with
        // pronouns (بدونه), verbs (انتشرت، يشير، بقي، يقابل), an accusative
        // (قابلا), a proclitic the light stemmer kept (بتشديدها).
        for w in [
            "بدون",
            "قبالة",
            "انتشر",
            "تشير",
            "بقيت",
            "قابلا",
            "قابلوه",
            "بتشديدها",
        ] {
            assert_eq!(skel(w), None, "{w}");
        }
    }

    #[test]
    fn short_skeletons_are_for_gazetteer_names_and_keep_final_vowels() {
        // Two sounds: جراء، غرار and قرارا would all be `Kر`.
        assert_eq!(skel("جراء"), None);
        assert_eq!(skel("بوكو"), None);
        assert!(skel("باكو").is_some() && skel("سوريا").is_some());
        // A sound repeated across a vowel counts twice; a final و or ي is kept.
        assert_ne!(skel("سوريا"), skel("سويسرا"));
        assert_ne!(skel("باكو"), Some(skeleton("بيتش")));
        assert_eq!(skel("كاليفورنيا"), skel("كاليفورنيه"));
    }

    /// Every word of the bundled articles that has a skeleton has the
    /// classes the skeleton needs, and most words lack those of most names.
    #[test]
    fn words_have_the_classes_of_their_skeletons() {
        use crate::analysis::tokenizer::term_into;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/archive");
        let mut words = std::collections::BTreeSet::new();
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                words.extend(
                    text.split(|c: char| !c.is_alphabetic() && !is_arabic_mark(c))
                        .map(String::from),
                );
            }
        }
        let (mut named, mut told, mut skipped) = (0, 0, 0);
        let needed = SkeletonClasses::of_skeleton(&skeleton("بيرقدار"));
        for word in &words {
            let mut term = String::new();
            let mut skeleton = String::new();
            if !term_into(word, &mut term) || !NameSkeleton.map(&term, &mut skeleton) {
                continue;
            }
            named += 1;
            if let Some(classes) = SkeletonClasses::of_word(word) {
                told += 1;
                assert!(
                    classes.covers(SkeletonClasses::of_skeleton(&skeleton)),
                    "{word} {skeleton}"
                );
                skipped += usize::from(!classes.covers(needed));
            }
        }
        assert!(
            named > 3000 && told * 10 > named * 9,
            "{told} of {named} told"
        );
        assert!(skipped * 10 > told * 9, "{skipped} of {told} skipped");
    }

    #[test]
    fn initial_letters_keep_names_apart() {
        assert_ne!(skeleton("وتين"), skeleton("بوتين"));
        assert_ne!(skeleton("اسلام"), skeleton("سلام"));
    }
}
