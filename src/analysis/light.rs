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

const ARTICLE: &str = "\u{0627}\u{0644}"; // ال

/// Conjunctions, tried first.
const CONJUNCTIONS: [char; 2] = ['\u{0648}', '\u{0641}']; // و ف
/// Prepositions, tried after a conjunction.
const PREPOSITIONS: [char; 3] = ['\u{0628}', '\u{0643}', '\u{0644}']; // ب ك ل

/// A suffix and how much rarer than the whole form its stem may be and
/// still count as the same word.
struct Suffix {
    text: &'static str,
    /// The stem must occur at least `min_ratio` times as often as the form.
    min_ratio: f32,
    /// Also try the stem with teh marbuta (ات → ة: طائرات → طائرة).
    feminine: bool,
}

const fn suffix(text: &'static str, min_ratio: f32) -> Suffix {
    Suffix {
        text,
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
    suffix("\u{0647}\u{0645}\u{0627}", 0.05), // هما
    suffix("\u{0643}\u{0645}\u{0627}", 0.05), // كما
    Suffix {
        text: "\u{0627}\u{062A}", // ات
        min_ratio: 0.02,
        feminine: true,
    },
    suffix("\u{0648}\u{0646}", 0.1),  // ون
    suffix("\u{064A}\u{0646}", 0.1),  // ين
    suffix("\u{064A}\u{0647}", 0.05), // ية
    suffix("\u{0647}\u{0627}", 0.05), // ها
    suffix("\u{0647}\u{0645}", 0.05), // هم
    suffix("\u{0647}\u{0646}", 0.05), // هن
    suffix("\u{0643}\u{0645}", 0.05), // كم
    suffix("\u{0643}\u{0646}", 0.05), // كن
    suffix("\u{0646}\u{0627}", 0.05), // نا
    suffix("\u{0647}", 0.05),         // ة (folded to ه) and ه "his"
    suffix("\u{064A}", 0.1),          // nisba ي and ي "my"
    suffix("\u{0643}", 0.05),         // ك "your"
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
    let own = lexicon.count(form);
    if own > 0 {
        return own;
    }
    let mut rest = form;
    if let Some(r) = rest.strip_prefix(PREPOSITIONS) {
        rest = r;
    }
    // لل = ل + ال with the alef dropped
    if let Some(r) = rest.strip_prefix(ARTICLE) {
        lexicon.count(r)
    } else if let Some(r) = rest.strip_prefix('\u{0644}') {
        lexicon.count(r)
    } else {
        0
    }
}

/// True when the letter before `rest` in `word` is a clitic, not a radical.
fn letter_is_clitic(word: &str, rest: &str, lexicon: &Lexicon) -> bool {
    if letters(rest) < MIN_STEM - 1 {
        return false;
    }
    let rest_count = support(rest, lexicon);
    if rest_count == 0 {
        return false;
    }
    let whole = lexicon.count(word);
    if (rest_count as f32) < PROCLITIC_MIN_RATIO * whole as f32 {
        return false;
    }
    let mut with_article = String::with_capacity(word.len() + ARTICLE.len());
    with_article.push_str(ARTICLE);
    with_article.push_str(word);
    (lexicon.count(&with_article) as f32) < TAKES_ARTICLE_RATIO * whole.max(1) as f32
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
        let strip = if letters(rest) < MIN_STEM - 1 {
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
            let feminine = s.feminine.then_some("\u{0647}");
            for ending in feminine.into_iter().chain([""]) {
                candidate.clear();
                candidate.push_str(stem);
                candidate.push_str(ending);
                let count = lexicon.count(&candidate);
                if count >= MIN_SUFFIX_STEM_COUNT && count as f32 >= s.min_ratio * whole {
                    std::mem::swap(word, &mut candidate);
                    continue 'strip;
                }
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
