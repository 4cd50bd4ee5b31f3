//! The longest-match lookup of gazetteer names in a text's tokens
//! ([`super::tokens`]).
//!
//! A name's first word may carry proclitics (`بأنقرة`, `والولايات المتحدة`,
//! `للكرملين`); the longest name wins, and every entry of that length is kept
//! so that ambiguity can be settled with the rest of the article.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault};
use std::sync::OnceLock;

use rustc_hash::{FxBuildHasher, FxHasher};
use smallvec::SmallVec;
use tantivy::tokenizer::{TokenStream, Tokenizer};

use super::cues::{Cues, ARTICLE_PROCLITICS, PROCLITICS};
use super::fingerprints::Fingerprints;
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

/// A gazetteer name by its first word: its other words and what it names.
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
    /// Every entry of the longest matching length (most names have one).
    pub targets: SmallVec<[Target; 2]>,
}

/// The gazetteer names by their first normalized word, in data order: what
/// the matcher is built from (and, in tests, the reference it is checked
/// against).
#[derive(Default)]
struct Names {
    dict: FastMap<String, Vec<Entry>>,
}

impl Names {
    fn new(g: &Gazetteer, cues: &Cues) -> Names {
        let mut ambiguous: FastMap<String, Vec<usize>> = FastMap::default();
        for a in &g.ambiguous {
            if let Some(i) = g.countries.iter().position(|c| c.code == a.code) {
                ambiguous
                    .entry(words(&a.form).join(" "))
                    .or_default()
                    .push(i);
            }
        }
        let mut m = Names::default();
        // An ambiguous form names its countries only with evidence, whatever
        // row of the data it comes from.
        let add = |m: &mut Names, name: &str, target: Target| {
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
}

/// The gazetteer names, for matching: by their first word, and the longer
/// ones by their second word too, so that a word that starts many names
/// (مقاطعة، محافظة، علي) is followed by a look at the few that go on with
/// the next word.
pub struct Matcher {
    starting: FastMap<Box<str>, Starting>,
    /// Of the first words, to pass over most words without a lookup.
    firsts: Fingerprints,
    #[cfg(test)]
    names: Names,
}

/// The names that start with one word.
#[derive(Default)]
struct Starting {
    /// Names of that word alone, in data order.
    single: Vec<Target>,
    /// Longer names, by the hash of their second word, in data order within
    /// one second word. Names that fit the same tokens share their second
    /// word, so they are found in data order.
    longer: Vec<Longer>,
}

/// A name of more than one word, without its first.
struct Longer {
    second_hash: u64,
    /// Its words after the first.
    rest: Box<[Box<str>]>,
    target: Target,
}

fn word_hash(word: &str) -> u64 {
    FxBuildHasher.hash_one(word)
}

impl Matcher {
    pub fn new(g: &Gazetteer, cues: &Cues) -> Matcher {
        let names = Names::new(g, cues);
        let mut starting: FastMap<Box<str>, Starting> = FastMap::default();
        let mut firsts = Fingerprints::with_capacity(names.dict.len());
        for (first, entries) in &names.dict {
            let mut s = Starting::default();
            for e in entries {
                match e.rest.first() {
                    None => s.single.push(e.target),
                    Some(second) => s.longer.push(Longer {
                        second_hash: word_hash(second),
                        rest: e.rest.iter().map(|w| w.as_str().into()).collect(),
                        target: e.target,
                    }),
                }
            }
            s.longer.sort_by_key(|l| l.second_hash);
            starting.insert(first.as_str().into(), s);
            firsts.insert(first);
        }
        Matcher {
            starting,
            firsts,
            #[cfg(test)]
            names,
        }
    }

    /// True when some name starts with this normalized word.
    pub fn starts_name(&self, word: &str) -> bool {
        self.starting.contains_key(word)
    }

    /// The longest name starting at token `i`, if any. `buffer` is scratch
    /// space, reused across calls so that matching does not allocate.
    fn match_at(&self, tokens: &[Token], i: usize, buffer: &mut String) -> Option<Match> {
        if !tokens[i].word {
            return None;
        }
        let token = tokens[i].norm.as_str();
        let mut best_len = 0;
        let mut targets: SmallVec<[Target; 2]> = SmallVec::new();
        // The hash of the next word, once a name that goes on asks for it.
        let mut next_hash = None;
        let mut try_first = |first: &str| {
            let Some(s) = self.starting.get(first) else {
                return;
            };
            if best_len <= 1 {
                for &target in &s.single {
                    keep_longest(&mut best_len, &mut targets, 1, target);
                }
            }
            if s.longer.is_empty() {
                return;
            }
            let Some(second_at) = next_word(tokens, i) else {
                return;
            };
            let second = *next_hash.get_or_insert_with(|| word_hash(&tokens[second_at].norm));
            let from = s.longer.partition_point(|l| l.second_hash < second);
            for l in s.longer[from..]
                .iter()
                .take_while(|l| l.second_hash == second)
            {
                if l.rest.len() + 1 < best_len || i + l.rest.len() >= tokens.len() {
                    continue;
                }
                // The name's words, each the next word of the text.
                let mut at = i;
                let fits = l.rest.iter().all(|w| match next_word(tokens, at) {
                    Some(j) if **w == *tokens[j].norm => {
                        at = j;
                        true
                    }
                    _ => false,
                });
                let n = at + 1 - i;
                if fits && n >= best_len {
                    keep_longest(&mut best_len, &mut targets, n, l.target);
                }
            }
        };
        if self.firsts.may_contain(token) {
            try_first(token);
        }
        for (article, rest) in proclitic_readings(token) {
            if article {
                if self.firsts.may_contain_joined("ال", rest) {
                    buffer.clear();
                    buffer.push_str("ال");
                    buffer.push_str(rest);
                    try_first(buffer);
                }
            } else if self.firsts.may_contain(rest) {
                try_first(rest);
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

/// The word that goes on a name after token `i`: the next token, or the
/// one after a hyphen written without spaces (`كيم جونغ-أون`, `جان-كلود`).
#[inline]
pub(crate) fn next_word(tokens: &[Token], i: usize) -> Option<usize> {
    let next = tokens.get(i + 1)?;
    if next.word {
        return Some(i + 1);
    }
    let after = tokens.get(i + 2)?;
    let glued = matches!(next.norm.as_str(), "-" | "\u{2010}" | "\u{2011}")
        && tokens[i].end == next.start
        && next.end == after.start
        && after.word;
    glued.then_some(i + 2)
}

/// Keeps a name `n` tokens long that fits: it replaces shorter ones and joins
/// those as long.
#[inline]
fn keep_longest(
    best_len: &mut usize,
    targets: &mut SmallVec<[Target; 2]>,
    n: usize,
    target: Target,
) {
    if n > *best_len {
        *best_len = n;
        targets.clear();
    }
    if !targets.contains(&target) {
        targets.push(target);
    }
}

/// The readings of a word behind a proclitic, as the matcher tries them:
/// for each proclitic the word starts with (those ending in the article
/// first), whether it ends in the article (the name is then `ال` + the
/// rest) and the rest of the word, at least two letters long.
pub fn proclitic_readings(word: &str) -> impl Iterator<Item = (bool, &str)> {
    // Every proclitic starts with one of a few letters; most words start
    // with none of them.
    let initial = word.chars().next().unwrap_or(' ');
    proclitics_by_initial()
        .iter()
        .find(|(c, _, _)| *c == initial)
        .into_iter()
        .flat_map(move |(_, article, plain)| {
            let article = article.iter().map(|p| (true, *p));
            article.chain(plain.iter().map(|p| (false, *p)))
        })
        .filter_map(move |(article, p)| {
            strip(word, p)
                .filter(|rest| rest.len() >= 4)
                .map(|rest| (article, rest))
        })
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

/// `word` without the prefix `p`, compared byte by byte (faster than a
/// pattern search or a call to `memcmp` for these short prefixes).
#[inline]
fn strip<'a>(word: &'a str, p: &str) -> Option<&'a str> {
    let (w, p) = (word.as_bytes(), p.as_bytes());
    if w.len() >= p.len() && w.iter().zip(p).all(|(a, b)| a == b) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The matcher as first written: strings compared word by word, every
    /// entry of a first word tried in data order. The reference the
    /// matcher must agree with.
    fn reference_matches(names: &Names, tokens: &[Token]) -> Vec<Match> {
        let match_at = |i: usize| -> Option<Match> {
            if !tokens[i].word {
                return None;
            }
            let token = tokens[i].norm.as_str();
            let mut best_len = 0;
            let mut targets: SmallVec<[Target; 2]> = SmallVec::new();
            let mut try_first = |first: &str| {
                let Some(entries) = names.dict.get(first) else {
                    return;
                };
                for entry in entries {
                    // The text's words after token i, a glued hyphen
                    // skipped, each compared with the name's.
                    let mut at = i;
                    let mut fits = true;
                    for w in &entry.rest {
                        let mut j = at + 1;
                        let hyphen = tokens.get(j).is_some_and(|t| {
                            !t.word
                                && t.norm == "-"
                                && tokens[at].end == t.start
                                && tokens.get(j + 1).is_some_and(|u| u.start == t.end)
                        });
                        if hyphen {
                            j += 1;
                        }
                        if tokens.get(j).is_some_and(|t| t.word && *w == t.norm) {
                            at = j;
                        } else {
                            fits = false;
                            break;
                        }
                    }
                    let n = at + 1 - i;
                    if fits && n >= best_len {
                        keep_longest(&mut best_len, &mut targets, n, entry.target);
                    }
                }
            };
            try_first(token);
            for p in ARTICLE_PROCLITICS {
                if let Some(rest) = token.strip_prefix(p) {
                    if rest.len() >= 4 {
                        try_first(&format!("ال{rest}"));
                    }
                }
            }
            for p in PROCLITICS {
                if let Some(rest) = token.strip_prefix(p) {
                    if rest.len() >= 4 {
                        try_first(rest);
                    }
                }
            }
            (best_len > 0).then(|| Match {
                start: i,
                end: i + best_len,
                targets,
            })
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match match_at(i) {
                Some(m) => {
                    i = m.end;
                    out.push(m);
                }
                None => i += 1,
            }
        }
        out
    }

    fn matcher() -> Matcher {
        Matcher::new(Gazetteer::shared().unwrap(), &Cues::new())
    }

    /// Names with proclitics, several entries of one length (to keep in
    /// data order), names that share first words, and a name cut short by
    /// punctuation or the end of the text.
    #[test]
    fn finds_what_the_reference_finds() {
        let m = matcher();
        let text = "قال وزير الخارجية الأمريكي إن والولايات المتحدة وبالولايات المتحدة \
                    للكرملين بأنقرة ولأنقرة في جورجيا وعمان وصور، مقاطعة ، محافظة حلب \
                    ومحافظة دمشق وولاية كاليفورنيا سان فرانسيسكو وسانت لويس كوريا الشمالية \
                    الكوريين الجنوبيين مولود تشاووش أوغلو وتشاووش أوغلو على الحدود \
                    الأرمينية الأذربيجانية ب أ ل وكالة الأنباء الفرنسية. جمهورية";
        let tokens = tokenize(text);
        let matches = m.matches(&tokens);
        assert!(matches.len() > 15, "{matches:?}");
        assert!(matches.iter().any(|m| m.end - m.start >= 3), "{matches:?}");
        assert!(matches.iter().any(|m| m.targets.len() > 1), "{matches:?}");
        assert_eq!(matches, reference_matches(&m.names, &tokens));
    }

    /// Every text of the bundled sample archives.
    #[test]
    fn finds_what_the_reference_finds_in_the_sample_archives() {
        let m = matcher();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/archive");
        let (mut texts, mut found) = (0, 0);
        for entry in walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(|e| e.ok())
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let _ = crate::archive::read_file(path, &path.display().to_string(), &mut |r| {
                if let Ok(article) = r {
                    for text in article.title.iter().chain([&article.body]) {
                        let tokens = tokenize(text);
                        let matches = m.matches(&tokens);
                        assert_eq!(matches, reference_matches(&m.names, &tokens), "{text}");
                        texts += 1;
                        found += matches.len();
                    }
                }
            });
        }
        assert!(texts > 100 && found > 1000, "{texts} texts, {found} names");
    }

    /// A hyphen written without spaces goes on a name (`كيم جونغ-أون`);
    /// one between spaces ends it.
    #[test]
    fn a_glued_hyphen_goes_on_a_name() {
        let m = matcher();
        let name = |text: &str| {
            let tokens = tokenize(text);
            m.matches(&tokens)
                .iter()
                .map(|m| text[tokens[m.start].start..tokens[m.end - 1].end].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(name("قال كيم جونغ-أون أمس"), ["كيم جونغ-أون"]);
        assert_eq!(name("قال كيم جونغ أون أمس"), ["كيم جونغ أون"]);
        assert!(!name("قال كيم جونغ - أون أمس").contains(&"كيم جونغ - أون".to_string()));
    }

    #[test]
    fn starts_name_knows_first_words_only() {
        let m = matcher();
        assert!(m.starts_name("الولايات"));
        assert!(!m.starts_name("المتحده"));
        assert!(!m.starts_name("والولايات"));
    }
}
