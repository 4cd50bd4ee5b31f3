//! Light stemming: clitics and inflectional suffixes off, words intact.
//!
//! Arabic writes conjunctions (و ف), prepositions (ب ك ل) and the article (ال)
//! as part of the next word, and adds pronoun, plural, dual-case, feminine
//! and nisba endings after it. Stripping them by rule alone destroys words
//! (وزارة → زار, بوتين → بوت, فلسطين → لسط). Here an affix comes off only when
//! what remains is a real word by the [`Lexicon`]'s counts, and is not much
//! rarer than the whole form: روسيا vs وروسيا, but not زارة vs وزارة. A form
//! that takes the article itself (الوزارة, البحث) keeps its first letter.
//!
//! The result is a lexicon key (see [`key_into`]): normalized, with doubled
//! و/ي collapsed. Every step works on that form, so reducing a word and
//! reducing its already-reduced form agree.

use super::lexicon::{key_into, Lexicon};
use super::stopwords::{is_maksura_stopword_stem, is_stopword};

const ARTICLE: &str = "\u{0627}\u{0644}"; // ال

/// Conjunctions, tried first.
pub(super) const CONJUNCTIONS: [char; 2] = ['\u{0648}', '\u{0641}']; // و ف
/// Prepositions, tried after a conjunction.
pub(super) const PREPOSITIONS: [char; 3] = ['\u{0628}', '\u{0643}', '\u{0644}']; // ب ك ل

/// A suffix and how much rarer than the whole form its stem may be and
/// still count as the same word.
struct Suffix {
    text: &'static str,
    /// A pronoun: before it, teh marbuta is written ت (عاصمتها → عاصمة).
    pronoun: bool,
    /// The stem must occur at least `min_ratio` times as often as the form.
    min_ratio: f32,
    /// Also try the stem with teh marbuta (ات → ة: طائرات → طائرة).
    feminine: bool,
}

const fn suffix(text: &'static str, min_ratio: f32) -> Suffix {
    Suffix {
        text,
        pronoun: false,
        min_ratio,
        feminine: false,
    }
}

const fn pronoun(text: &'static str, min_ratio: f32) -> Suffix {
    Suffix {
        text,
        pronoun: true,
        min_ratio,
        feminine: false,
    }
}

/// Longest first. The dual ان is not stripped: far more names end in it
/// (عمران, عدنان, سلمان) than duals are searched for.
const SUFFIXES: &[Suffix] = &[
    suffix("\u{064A}\u{064A}\u{0646}", 0.05), // يين (collapsed to ين by the key)
    suffix("\u{064A}\u{0648}\u{0646}", 0.05), // يون
    suffix("\u{064A}\u{0627}\u{062A}", 0.05), // يات
    pronoun("\u{0647}\u{0645}\u{0627}", 0.05), // هما
    pronoun("\u{0643}\u{0645}\u{0627}", 0.05), // كما
    Suffix {
        text: "\u{0627}\u{062A}", // ات
        pronoun: false,
        min_ratio: 0.02,
        feminine: true,
    },
    suffix("\u{0648}\u{0646}", 0.1),   // ون
    suffix("\u{064A}\u{0646}", 0.1),   // ين
    suffix("\u{064A}\u{0647}", 0.05),  // ية
    pronoun("\u{0647}\u{0627}", 0.05), // ها
    pronoun("\u{0647}\u{0645}", 0.05), // هم
    pronoun("\u{0647}\u{0646}", 0.05), // هن
    pronoun("\u{0643}\u{0645}", 0.05), // كم
    pronoun("\u{0643}\u{0646}", 0.05), // كن
    pronoun("\u{0646}\u{0627}", 0.05), // نا
    pronoun("\u{0647}", 0.05),         // ة (folded to ه) and ه "his"
    pronoun("\u{064A}", 0.1),          // nisba ي and ي "my"
    pronoun("\u{0643}", 0.05),         // ك "your"
    // The alef of the accusative (صاروخا → صاروخ), only when the word
    // without it is at least as common: جدا ("very") is not جد.
    suffix("\u{0627}", 1.0),
];

/// A proclitic comes off when its stem occurs at least this often relative
/// to the whole form (وقال vs قال: both common; وزارة vs زارة: not).
const PROCLITIC_MIN_RATIO: f32 = 0.03;
/// The article comes off unless the bare form is almost never seen.
const ARTICLE_MIN_RATIO: f32 = 0.005;
/// A form whose article form is this common relative to itself is a noun
/// whose first letter is radical (الوزارة → و is part of وزارة).
const TAKES_ARTICLE_RATIO: f32 = 0.02;
/// A suffix comes off only when the stem has been seen at least this often:
/// an unknown form with a rare stem is more likely a name (بايدين) than an
/// inflection.
const MIN_SUFFIX_STEM_COUNT: u32 = 10;
/// An unknown form loses a one-letter proclitic only when the rest has been
/// seen at least this often.
const MIN_UNKNOWN_SUPPORT: u32 = 50;
/// Stems shorter than this (in letters) are never produced.
const MIN_STEM: usize = 3;

#[inline]
fn letters(s: &str) -> usize {
    s.chars().count()
}

#[inline]
fn is_arabic_word(term: &str) -> bool {
    term.chars()
        .all(|c| ('\u{0621}'..='\u{064A}').contains(&c) || c == '\u{0649}')
}

/// The light stem of a normalized term, appended to `out`.
pub fn light_into(term: &str, lexicon: &Lexicon, out: &mut String) {
    let start = out.len();
    key_into(term, out);
    if !is_arabic_word(&out[start..]) || letters(&out[start..]) < MIN_STEM {
        return;
    }
    let mut word = out.split_off(start);
    strip_proclitics(&mut word, lexicon);
    if !lexicon.is_name(&word) {
        strip_suffixes(&mut word, lexicon);
    }
    out.push_str(&word);
}

/// The light stem of a normalized term.
pub fn light(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    light_into(term, Lexicon::get(), &mut out);
    out
}

/// How much evidence there is that `form` is a word: its own count, or, for
/// a form that still carries the article or a preposition + article
/// (بالحكومة), the count of the word under them.
fn support(form: &str, lexicon: &Lexicon) -> u32 {
    let after_prep = form.strip_prefix(PREPOSITIONS);
    let mut best = lexicon
        .count(form)
        .max(after_prep.map_or(0, |r| lexicon.count(r)));
    for r in [Some(form), after_prep].into_iter().flatten() {
        // ال, or the ل left of لل once ل + ال lost its alef
        let bare = r.strip_prefix(ARTICLE).or_else(|| {
            (r.len() < form.len())
                .then(|| r.strip_prefix('\u{0644}'))
                .flatten()
        });
        if let Some(bare) = bare.filter(|b| letters(b) >= MIN_STEM) {
            best = best.max(lexicon.count(bare));
        }
    }
    best
}

/// True when the letter before `rest` in `word` is a clitic, not a radical.
fn letter_is_clitic(word: &str, rest: &str, lexicon: &Lexicon) -> bool {
    if letters(rest) < MIN_STEM || is_stopword(rest) || lexicon.is_name(word) {
        return false;
    }
    let rest_count = support(rest, lexicon);
    let whole = lexicon.count(word);
    // An unknown form is only taken apart when what remains is well known:
    // بايدين (a spelling of Biden) is not ب + ايدين.
    let needed = if whole == 0 { MIN_UNKNOWN_SUPPORT } else { 1 };
    if rest_count < needed {
        return false;
    }
    if (rest_count as f32) < PROCLITIC_MIN_RATIO * whole as f32 {
        return false;
    }
    !takes_article(word, whole, lexicon)
}

/// True when `word` (seen `whole` times) is itself often seen after the
/// article, so that its first letters are its own (الوزارة, الالماني).
fn takes_article(word: &str, whole: u32, lexicon: &Lexicon) -> bool {
    let mut with_article = String::with_capacity(word.len() + ARTICLE.len());
    with_article.push_str(ARTICLE);
    with_article.push_str(word);
    (lexicon.count(&with_article) as f32) >= TAKES_ARTICLE_RATIO * whole.max(1) as f32
}

fn strip_proclitics(word: &mut String, lexicon: &Lexicon) {
    if let Some(rest) = word.strip_prefix(CONJUNCTIONS) {
        if letter_is_clitic(word, rest, lexicon) {
            *word = rest.to_string();
        }
    }
    if word.starts_with("\u{0644}\u{0644}") {
        // لل: ل + ال; judge the preposition against the article form.
        let rest = format!("{ARTICLE}{}", &word[4..]);
        if letter_is_clitic(word, &rest, lexicon) {
            *word = rest;
        }
    } else if let Some(rest) = word.strip_prefix(PREPOSITIONS) {
        if letter_is_clitic(word, rest, lexicon) {
            *word = rest.to_string();
        }
    }
    if let Some(rest) = word.strip_prefix(ARTICLE) {
        let rest_count = lexicon.count(rest);
        let whole = lexicon.count(word);
        let strip =
            if letters(rest) < MIN_STEM || is_stopword(rest) || takes_article(word, whole, lexicon)
            {
                // الالماني is common: the ال of الماني belongs to the word.
                false
            } else if rest_count > 0 {
                rest_count as f32 >= ARTICLE_MIN_RATIO * whole as f32
            } else {
                // Neither form known: an unknown word after the article.
                whole == 0 && letters(rest) >= MIN_STEM
            };
        if strip {
            *word = rest.to_string();
        }
    }
}

fn strip_suffixes(word: &mut String, lexicon: &Lexicon) {
    let mut candidate = String::with_capacity(word.len());
    'strip: for _ in 0..3 {
        for s in SUFFIXES {
            let Some(stem) = word.strip_suffix(s.text) else {
                continue;
            };
            if letters(stem) < MIN_STEM {
                continue;
            }
            let whole = lexicon.count(word) as f32;
            // Tried first: ات → ة (طائرات → طائرة), and ت → ة before a
            // pronoun (عاصمتها → عاصمة); then the bare stem.
            let teh =
                s.pronoun && stem.ends_with('\u{062A}') && !stem.ends_with("\u{0627}\u{062A}");
            let restored = if s.feminine {
                Some(stem)
            } else if teh {
                Some(&stem[..stem.len() - '\u{062A}'.len_utf8()])
            } else {
                None
            };
            let tries = restored
                .map(|base| (base, "\u{0647}"))
                .into_iter()
                .chain([(stem, "")]);
            let mut found = false;
            for (base, ending) in tries {
                candidate.clear();
                candidate.push_str(base);
                candidate.push_str(ending);
                let count = lexicon.count(&candidate);
                if count >= MIN_SUFFIX_STEM_COUNT
                    && count as f32 >= s.min_ratio * whole
                    && !is_maksura_stopword_stem(&candidate)
                    && !is_stopword(&candidate)
                {
                    found = true;
                    break;
                }
            }
            if found {
                std::mem::swap(word, &mut candidate);
                continue 'strip;
            }
        }
        break;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalize::normalize;

    fn l(word: &str) -> String {
        light(&normalize(word))
    }

    #[test]
    fn strips_conjunctions_prepositions_and_the_article() {
        assert_eq!(l("والرئيس"), l("الرئيس"));
        assert_eq!(l("للرئيس"), l("رئيس"));
        assert_eq!(l("بطائرات"), l("طائرات"));
        assert_eq!(l("لروسيا"), l("روسيا"));
        assert_eq!(l("وتركيا"), l("تركيا"));
        assert_eq!(l("بالقدس"), l("القدس"));
        assert_eq!(l("بأنقرة"), l("أنقرة"));
        assert_eq!(l("فالمدرسة"), l("المدرسة"));
        assert_eq!(l("وبالحكومة"), l("الحكومة"));
        assert_eq!(l("روسيا"), "روسيا");
    }

    #[test]
    fn keeps_letters_that_belong_to_the_word() {
        for (word, not) in [
            ("وزارة", "زار"),
            ("وزير", "زير"),
            ("وجود", "جود"),
            ("بوتين", "وتين"),
            ("بوتين", "بوت"),
            ("فلسطين", "لسطين"),
            ("الكرملين", "الكرمل"),
            ("واشنطن", "اشنطن"),
            ("بريطانيا", "ريطانيا"),
            ("لبنان", "بنان"),
            ("البحث", "حث"),
            ("الألماني", "ماني"),
            ("الالتزام", "تزام"),
            ("بايدن", "ايدن"),
            ("بايدين", "ايدين"),
            ("عليكم", "علي"),
            ("والدة", "ده"),
            ("ولاية", "ولا"),
            ("إليكم", "إلي"),
        ] {
            assert_ne!(l(word), l(not), "{word} must not meet {not}");
        }
        assert_eq!(l("وزير"), "وزير");
        assert_eq!(l("وجود"), "وجود");
        assert_eq!(l("فلسطين"), "فلسطين");
        assert_eq!(l("بوتين"), "بوتين");
    }

    #[test]
    fn strips_plural_pronoun_and_nisba_endings() {
        assert_eq!(l("الاشتباكات"), l("اشتباك"));
        assert_eq!(l("استفزازاتها"), l("استفزازات"));
        assert_eq!(l("الروسية"), l("الروسي"));
        assert_eq!(l("المعلمين"), l("معلمون"));
        assert_eq!(l("المعلمات"), l("معلمة"));
        assert_eq!(l("قرارات"), l("قرار"));
        assert_eq!(l("المفاوضات"), l("مفاوضات"));
        assert_eq!(l("عاصمتها"), l("العاصمة"));
        assert_eq!(l("حكومته"), l("الحكومة"));
    }

    #[test]
    fn strips_the_accusative_alef_of_a_commoner_word() {
        assert_eq!(l("صاروخا"), l("صاروخ"));
        assert_eq!(l("صاروخاً"), l("صاروخ"));
        assert_eq!(l("قرارا"), l("قرار"));
        // جدا ("very") is far commoner than جد ("grandfather").
        assert_eq!(l("جداً"), "جدا");
        assert_ne!(l("جدا"), l("جد"));
    }

    #[test]
    fn collapses_doubled_vowel_letters() {
        assert_eq!(l("السوفييتي"), l("السوفيتي"));
    }

    #[test]
    fn leaves_latin_and_digits() {
        assert_eq!(l("tb2"), "tb2");
        assert_eq!(l("2022"), "2022");
    }
}
