//! Word knowledge for the statistical tagger that a few thousand annotated
//! sentences cannot teach: which words are personal names, which words
//! behave alike in a large unannotated news archive, and which words never
//! take the article (names rarely do: `بوتين` but hardly `البوتين`).
//!
//! Two data files, compiled in:
//! - `data/ner/names.txt`: personal-name words (given names and surnames, in
//!   Arabic script), from the arabnamer name dictionary (see
//!   `data/ner/ATTRIBUTION.md`);
//! - `data/ner/lexicon.tsv`: for each frequent word of the ANT news corpus,
//!   two distributional clusters (coarse and fine) and how often it takes
//!   the article, written by `akhbar ner lexicon` ([`super::clusters`]).

use std::sync::OnceLock;

use anyhow::{bail, Context, Result};

use super::matcher::FastMap;
use crate::analysis::normalize;

/// What the lexicon knows about one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Entry {
    /// Coarse and fine distributional clusters, plus one (0 = unknown).
    pub coarse: u16,
    pub fine: u16,
    /// How often the word takes the article, in five steps (1 = never …
    /// 5 = mostly; 0 = unknown).
    pub article: u8,
    /// Order of magnitude of the word's count in the archive (0 = unknown).
    pub frequency: u8,
    /// The word is a personal name in the names list.
    pub name: bool,
    /// How often the word fills the first and the second word of a person's
    /// name after a title or a verb of saying, in six steps (0 never … 5
    /// mostly; see [`super::clusters`]).
    pub first_slot: u8,
    pub second_slot: u8,
}

/// Words and their entries.
#[derive(Default)]
pub struct Lexicon {
    words: FastMap<String, Entry>,
}

const BUILTIN_NAMES: &str = include_str!("../../data/ner/names.txt");
const BUILTIN_LEXICON: &str = include_str!("../../data/ner/lexicon.tsv");

impl Lexicon {
    /// The lexicon shipped with akhbar, read once per process.
    pub fn builtin() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            Lexicon::parse(BUILTIN_LEXICON, BUILTIN_NAMES)
                .expect("data/ner/lexicon.tsv and names.txt are checked by the test suite")
        })
    }

    /// Reads a lexicon (`word<TAB>coarse<TAB>fine<TAB>article<TAB>frequency
    /// <TAB>first slot<TAB>second slot` lines) and a names list (one name a line); `#` starts a comment line.
    pub fn parse(lexicon: &str, names: &str) -> Result<Lexicon> {
        let mut words: FastMap<String, Entry> = FastMap::default();
        for (n, line) in lexicon.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let [word, coarse, fine, article, frequency, first_slot, second_slot] = fields[..]
            else {
                bail!(
                    "lexicon line {}: expected 7 tab-separated fields, got {}",
                    n + 1,
                    fields.len()
                );
            };
            let number = |s: &str, what: &str| -> Result<u16> {
                s.parse::<u16>()
                    .with_context(|| format!("lexicon line {}: bad {what} `{s}`", n + 1))
            };
            words.insert(
                normalize(word),
                Entry {
                    coarse: number(coarse, "coarse cluster")? + 1,
                    fine: number(fine, "fine cluster")? + 1,
                    article: number(article, "article step")?.min(4) as u8 + 1,
                    frequency: number(frequency, "frequency")?.min(30) as u8 + 1,
                    name: false,
                    first_slot: number(first_slot, "first name slot step")?.min(5) as u8,
                    second_slot: number(second_slot, "second name slot step")?.min(5) as u8,
                },
            );
        }
        for line in names.lines() {
            let name = line.trim();
            if name.is_empty() || name.starts_with('#') {
                continue;
            }
            words.entry(normalize(name)).or_default().name = true;
        }
        Ok(Lexicon { words })
    }

    /// The entry of a normalized word (all unknown when absent).
    pub fn get(&self, word: &str) -> Entry {
        self.words.get(word).copied().unwrap_or_default()
    }

    /// Number of words known.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_data_parses_and_knows_common_names() {
        let lex = Lexicon::builtin();
        assert!(lex.len() > 10_000, "{}", lex.len());
        assert!(lex.get(&normalize("محمد")).name);
        assert!(lex.get("في").coarse > 0);
        assert_eq!(lex.get("لامفردة_كهذه"), Entry::default());
    }

    #[test]
    fn bad_lines_are_reported() {
        let err = Lexicon::parse("كلمة\t1\t2\n", "")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("line 1"), "{err}");
        let err = Lexicon::parse("كلمة\t1\tx\t0\t3\t0\t0\n", "")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("fine cluster"), "{err}");
        let lex = Lexicon::parse("# c\nكلمة\t1\t2\t0\t3\t4\t1\n", "سمير\n").unwrap();
        assert_eq!(lex.get("كلمه").fine, 3);
        assert_eq!(lex.get("كلمه").first_slot, 4);
        assert!(lex.get("سمير").name);
    }
}
