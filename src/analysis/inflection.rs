//! Verb inflection siblings: the same verb in another person or gender.
//!
//! Light stemming takes clitics and suffixes off but leaves a verb's own
//! person markers, so a query and an article that use the same verb for a
//! different subject miss each other: a question asks what تحد Syria (she
//! borders) and the article says يحدها (he borders it); أين أقيم (was held,
//! masculine) against أقيمت (feminine). Query words are expanded to these
//! siblings at search time only (the index is untouched): the present
//! tense's ي/ت prefix swapped, and the past tense's feminine ت added or
//! removed. A sibling counts only when the [`Lexicon`] has seen it as a word,
//! and never for names, where the same letters are another name (تونس and
//! يونس, بيروت and بيرو).

use super::lexicon::Lexicon;
use super::light::light_into;

/// Present-tense prefixes of the third person: ي (he, they) and ت (she).
const PRESENT: [char; 2] = ['\u{064A}', '\u{062A}'];
/// The past tense's feminine ending.
const FEMININE_PAST: char = '\u{062A}';
/// Letters a word needs, marker included, and a verb keeps without its
/// feminine ending: shorter forms are mostly particles and nouns (وقت, بيت,
/// يد), not verbs.
const MIN_BASE: usize = 3;
/// Times the lexicon must have seen a sibling: rarer forms are mostly typos.
const MIN_COUNT: u32 = 10;

/// The light terms of `term`'s inflection siblings (`term` is itself a
/// light term). Empty for names, short words and forms with no sibling in
/// the lexicon.
pub fn siblings(term: &str, lexicon: &Lexicon) -> Vec<String> {
    let letters: Vec<char> = term.chars().collect();
    if letters.len() < MIN_BASE || lexicon.is_name(term) {
        return Vec::new();
    }
    let mut candidates: Vec<String> = Vec::with_capacity(2);
    if PRESENT.contains(&letters[0]) {
        let rest = &term[letters[0].len_utf8()..];
        for prefix in PRESENT.iter().filter(|p| **p != letters[0]) {
            candidates.push(format!("{prefix}{rest}"));
        }
    }
    match letters.last() {
        Some(&FEMININE_PAST) if letters.len() > MIN_BASE => {
            candidates.push(term[..term.len() - FEMININE_PAST.len_utf8()].to_string());
        }
        Some(&FEMININE_PAST) => {}
        _ => candidates.push(format!("{term}{FEMININE_PAST}")),
    }
    let mut out: Vec<String> = Vec::new();
    for candidate in candidates {
        if lexicon.count(&candidate) < MIN_COUNT || lexicon.is_name(&candidate) {
            continue;
        }
        let mut stem = String::with_capacity(candidate.len());
        light_into(&candidate, lexicon, &mut stem);
        if stem != term && !out.contains(&stem) {
            out.push(stem);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::light::light;

    fn of(word: &str) -> Vec<String> {
        siblings(&light(&crate::analysis::normalize(word)), Lexicon::get())
    }

    #[test]
    fn present_tense_person_prefixes_meet() {
        assert!(of("تحد").contains(&light("يحد")), "{:?}", of("تحد"));
        assert!(of("يقع").contains(&light("تقع")), "{:?}", of("يقع"));
    }

    #[test]
    fn past_tense_feminine_ending_meets_the_masculine() {
        let held = crate::analysis::normalize("أقيمت");
        assert!(of("أقيم").contains(&light(&held)), "{:?}", of("أقيم"));
        assert!(of("وقعت").contains(&light("وقع")), "{:?}", of("وقعت"));
    }

    #[test]
    fn names_and_short_words_have_no_siblings() {
        assert!(of("تونس").is_empty(), "{:?}", of("تونس"));
        assert!(of("بيروت").is_empty(), "{:?}", of("بيروت"));
        assert!(of("وقت").is_empty(), "{:?}", of("وقت"));
        assert!(of("بيت").is_empty(), "{:?}", of("بيت"));
    }

    #[test]
    fn nouns_without_verb_forms_stay_alone() {
        assert!(of("تقرير").is_empty(), "{:?}", of("تقرير"));
        assert!(of("وزير").is_empty(), "{:?}", of("وزير"));
    }
}
