//! The longest-match lookup of gazetteer names in a text's tokens
//! ([`super::tokens`]).
//!
//! A name's first word may carry proclitics (`بأنقرة`, `والولايات المتحدة`,
//! `للكرملين`); the longest name wins, and every entry of that length is kept
//! so that ambiguity can be settled with the rest of the article.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use rustc_hash::FxHasher;
use tantivy::tokenizer::{TokenStream, Tokenizer};

use super::cues::{Cues, ARTICLE_PROCLITICS, PROCLITICS};
use super::gazetteer::Gazetteer;
pub use super::tokens::{conll_token, tokenize, Token, Tokens};
use crate::analysis::{normalize, WordTokenizer};

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub type FastSet = HashSet<String, BuildHasherDefault<FxHasher>>;

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
