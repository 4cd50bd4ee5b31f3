//! Tags an article's text with the countries, places and actors it names.
//!
//! The tagger works on the same normalized tokens as the index, so every
//! spelling the analyzer folds (hamza, alef, teh marbuta, diacritics) is
//! matched for free. A name's first word may carry proclitics (و ف ب ك ل and
//! the article, as in `بأنقرة`, `والولايات المتحدة`, `للكرملين`); the longest
//! gazetteer entry wins. Nationality adjectives (الأرمينية) count as their
//! country. Name forms listed as ambiguous are never tagged on their own.

use std::collections::{HashMap, HashSet};

use tantivy::tokenizer::{TokenStream, Tokenizer};

use super::gazetteer::{ActorKind, Gazetteer};
use crate::analysis::{normalize, WordTokenizer};

/// What a mention refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Country(usize),
    /// A nationality adjective of a country.
    Nationality(usize),
    Place(usize),
    Actor(usize),
}

#[derive(Debug, Clone)]
struct Entry {
    /// Normalized words after the first.
    rest: Vec<String>,
    target: Target,
}

/// The kind of thing a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    Country,
    Nationality,
    Place,
    Person,
    Org,
    Media,
}

/// One tagged span of text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Mention {
    /// Byte offsets into the text that was tagged.
    pub start: usize,
    pub end: usize,
    pub kind: MentionKind,
    /// Canonical name (ISO code for countries and nationalities).
    pub canonical: String,
    /// The country the mention is mapped to.
    pub country: String,
}

/// The entities of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entities {
    /// ISO codes, in order of first mention.
    pub countries: Vec<String>,
    /// Canonical place names, in order of first mention.
    pub places: Vec<String>,
    /// Canonical actor names, in order of first mention.
    pub actors: Vec<String>,
}

/// Proclitics that may precede a name: conjunctions, prepositions, and their
/// combinations. Those ending in the article keep it (`وال` + x → `ال` + x).
const PROCLITICS: &[&str] = &["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];
const ARTICLE_PROCLITICS: &[&str] = &[
    "وال", "فال", "بال", "كال", "وبال", "فبال", "وكال", "فكال", "لل", "ولل", "فلل",
];

/// Tags text against the gazetteer.
pub struct Tagger {
    gazetteer: Gazetteer,
    /// Entries by their normalized first word.
    dict: HashMap<String, Vec<Entry>>,
}

impl Tagger {
    /// Builds the lookup tables for a gazetteer.
    pub fn new(gazetteer: Gazetteer) -> Tagger {
        let ambiguous: HashSet<String> = gazetteer
            .ambiguous
            .iter()
            .map(|a| normalize(&a.form))
            .collect();
        let mut dict: HashMap<String, Vec<Entry>> = HashMap::new();
        let mut add = |name: &str, target: Target| {
            let words = words(name);
            let Some((first, rest)) = words.split_first() else {
                return;
            };
            if rest.is_empty() && ambiguous.contains(first) {
                return;
            }
            let entries = dict.entry(first.clone()).or_default();
            if !entries.iter().any(|e| e.rest == rest && e.target == target) {
                entries.push(Entry {
                    rest: rest.to_vec(),
                    target,
                });
            }
        };
        for (i, c) in gazetteer.countries.iter().enumerate() {
            for name in std::iter::once(&c.name_ar).chain(&c.aliases_ar) {
                add(name, Target::Country(i));
            }
            for adjective in &c.adjectives {
                if ambiguous.contains(&normalize(adjective)) {
                    continue;
                }
                for (form, with_article) in nisba_forms(adjective) {
                    add(&form, Target::Nationality(i));
                    add(&with_article, Target::Nationality(i));
                }
            }
            for plural in &c.plurals {
                add(plural, Target::Nationality(i));
                add(&format!("ال{plural}"), Target::Nationality(i));
            }
        }
        for (i, p) in gazetteer.places.iter().enumerate() {
            for name in std::iter::once(&p.name).chain(&p.aliases) {
                add(name, Target::Place(i));
            }
        }
        for (i, a) in gazetteer.actors.iter().enumerate() {
            for name in std::iter::once(&a.name).chain(&a.aliases) {
                add(name, Target::Actor(i));
            }
        }
        Tagger { gazetteer, dict }
    }

    /// The gazetteer this tagger uses.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Every mention in `text`, in order.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut tokens: Vec<(String, usize, usize)> = Vec::new();
        while let Some(t) = stream.next() {
            tokens.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        let mut mentions = Vec::new();
        let mut candidate = String::new();
        let mut i = 0;
        while i < tokens.len() {
            let mut best: Option<(usize, Target)> = None;
            for_each_candidate(&tokens[i].0, &mut candidate, |first| {
                let Some(entries) = self.dict.get(first) else {
                    return;
                };
                for entry in entries {
                    let n = entry.rest.len();
                    let fits = i + n < tokens.len()
                        && entry
                            .rest
                            .iter()
                            .zip(&tokens[i + 1..])
                            .all(|(w, t)| *w == t.0);
                    if fits && best.is_none_or(|(len, _)| n + 1 > len) {
                        best = Some((n + 1, entry.target));
                    }
                }
            });
            match best {
                Some((len, target)) => {
                    mentions.push(self.mention(target, tokens[i].1, tokens[i + len - 1].2));
                    i += len;
                }
                None => i += 1,
            }
        }
        mentions
    }

    /// The entities of an article's texts (title, body, …).
    pub fn tag(&self, texts: &[&str]) -> Entities {
        let mut entities = Entities::default();
        for text in texts {
            for m in self.mentions(text) {
                let counts_for_country = m.kind != MentionKind::Media;
                match m.kind {
                    MentionKind::Country | MentionKind::Nationality => {}
                    MentionKind::Place => push_unique(&mut entities.places, &m.canonical),
                    MentionKind::Person | MentionKind::Org | MentionKind::Media => {
                        push_unique(&mut entities.actors, &m.canonical)
                    }
                }
                if counts_for_country {
                    push_unique(&mut entities.countries, &m.country);
                }
            }
        }
        entities
    }

    fn mention(&self, target: Target, start: usize, end: usize) -> Mention {
        let g = &self.gazetteer;
        let (kind, canonical, country) = match target {
            Target::Country(i) => (
                MentionKind::Country,
                &g.countries[i].code,
                &g.countries[i].code,
            ),
            Target::Nationality(i) => (
                MentionKind::Nationality,
                &g.countries[i].code,
                &g.countries[i].code,
            ),
            Target::Place(i) => (MentionKind::Place, &g.places[i].name, &g.places[i].country),
            Target::Actor(i) => {
                let a = &g.actors[i];
                let kind = match a.kind {
                    ActorKind::Person => MentionKind::Person,
                    ActorKind::Org => MentionKind::Org,
                    ActorKind::Media => MentionKind::Media,
                };
                (kind, &a.name, &a.country)
            }
        };
        Mention {
            start,
            end,
            kind,
            canonical: canonical.clone(),
            country: country.clone(),
        }
    }
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

/// Normalized words of a gazetteer name.
fn words(name: &str) -> Vec<String> {
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
fn nisba_forms(adjective: &str) -> Vec<(String, String)> {
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

/// Calls `f` with the token and each form of it with proclitics removed.
fn for_each_candidate(token: &str, buffer: &mut String, mut f: impl FnMut(&str)) {
    f(token);
    for p in PROCLITICS {
        if let Some(rest) = token.strip_prefix(p) {
            if rest.chars().count() >= 2 {
                f(rest);
            }
        }
    }
    for p in ARTICLE_PROCLITICS {
        if let Some(rest) = token.strip_prefix(p) {
            if rest.chars().count() >= 2 {
                buffer.clear();
                buffer.push_str("ال");
                buffer.push_str(rest);
                f(buffer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagger() -> Tagger {
        Tagger::new(Gazetteer::builtin().unwrap())
    }

    #[test]
    fn clitics_and_nisba() {
        let t = tagger();
        let e = t.tag(&["أعلنت وزارة الدفاع الأرمينية أن الوفد وصل بأنقرة قادما من موسكو، والولايات المتحدة تراقب"]);
        assert_eq!(e.countries, ["AM", "TR", "RU", "US"]);
        assert_eq!(e.places, ["أنقرة", "موسكو"]);
    }

    #[test]
    fn longest_match_wins() {
        let t = tagger();
        let m = t.mentions("قال مولود تشاووش أوغلو إن");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].canonical, "مولود تشاووش أوغلو");
        assert_eq!(
            &"قال مولود تشاووش أوغلو إن"[m[0].start..m[0].end],
            "مولود تشاووش أوغلو"
        );
    }

    #[test]
    fn multi_word_nationality_adjectives() {
        let t = tagger();
        assert_eq!(t.tag(&["قال المسؤول الكوري الشمالي"]).countries, ["KP"]);
        assert_eq!(t.tag(&["الصحافة الكورية الجنوبية"]).countries, ["KR"]);
    }

    #[test]
    fn media_do_not_add_their_country() {
        let t = tagger();
        let e = t.tag(&["وفق ما نقلته وكالة الأنباء الفرنسية"]);
        assert_eq!(e.actors, ["وكالة الأنباء الفرنسية"]);
        assert!(e.countries.is_empty(), "{:?}", e.countries);
    }

    #[test]
    fn ambiguous_forms_are_not_tagged_alone() {
        let t = tagger();
        let e = t.tag(&["أعلنت وزارة المالية عن دعم مالي للأسر"]);
        assert!(e.countries.is_empty(), "{:?}", e.countries);
    }
}
