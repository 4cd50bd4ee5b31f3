//! Phrases in snippets: the words of a `"phrase"` are highlighted only where
//! the phrase occurs, at consecutive positions, never on their own: for
//! "وزارة الدفاع", وزير الدفاع must not light up. Words searched alone are
//! highlighted wherever they are.

use rustc_hash::{FxHashMap, FxHashSet};

/// A matching word with its position: (position, byte start, byte end,
/// label of the query term it matched).
pub type Positioned = (u32, usize, usize, u32);

/// One phrase: each word's position relative to the first, with the labels
/// of its terms in every form (exact, light stem, name skeleton).
type Phrase = Vec<(u32, Vec<u32>)>;

/// Which matches to keep, for a query's words and phrases.
#[derive(Debug, Clone, Default)]
pub struct PhraseMarks {
    phrases: Vec<Phrase>,
    /// Labels of words searched alone: highlighted anywhere.
    loose: FxHashSet<u32>,
}

impl PhraseMarks {
    /// A word searched alone, by the labels of its terms.
    pub fn add_word(&mut self, labels: impl IntoIterator<Item = u32>) {
        self.loose.extend(labels);
    }

    /// A query text by the labels of its terms at each position (as the
    /// analyzers numbered them): one position is a word, more a phrase.
    pub fn add_text(&mut self, by_position: Vec<(usize, Vec<u32>)>) {
        let Some(first) = by_position.iter().map(|(p, _)| *p).min() else {
            return;
        };
        if by_position.len() == 1 {
            self.add_word(by_position.into_iter().flat_map(|(_, l)| l));
            return;
        }
        let phrase = by_position
            .into_iter()
            .filter_map(|(p, labels)| Some((u32::try_from(p - first).ok()?, labels)))
            .collect();
        self.phrases.push(phrase);
    }

    /// Keeps the matches of words searched alone and those that are part of
    /// an occurrence of a phrase (each of its words at its place).
    pub fn retain(&self, matches: &mut Vec<Positioned>) {
        if self.phrases.is_empty() {
            return;
        }
        let label_at: FxHashMap<u32, u32> = matches.iter().map(|m| (m.0, m.3)).collect();
        let mut kept: FxHashSet<u32> = FxHashSet::default();
        for phrase in &self.phrases {
            let Some((first_offset, first_labels)) = phrase.first() else {
                continue;
            };
            for m in matches.iter() {
                if !first_labels.contains(&m.3) || m.0 < *first_offset {
                    continue;
                }
                let start = m.0 - first_offset;
                let occurs = phrase.iter().all(|(offset, labels)| {
                    label_at
                        .get(&(start + offset))
                        .is_some_and(|label| labels.contains(label))
                });
                if occurs {
                    kept.extend(phrase.iter().map(|(offset, _)| start + offset));
                }
            }
        }
        matches.retain(|m| self.loose.contains(&m.3) || kept.contains(&m.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_keeps_only_its_occurrences() {
        let mut marks = PhraseMarks::default();
        // "وزارة الدفاع": وزارة is label 0 (or 1 as a stem), الدفاع 2.
        marks.add_text(vec![(0, vec![0, 1]), (1, vec![2])]);
        marks.add_text(vec![(0, vec![7])]);
        let mut matches = vec![
            (3, 0, 1, 2),  // الدفاع alone (وزير الدفاع)
            (10, 0, 1, 1), // لوزارة
            (11, 0, 1, 2), // الدفاع
            (20, 0, 1, 0), // وزارة alone
            (22, 0, 1, 2), // الدفاع, not next to it
            (30, 0, 1, 7), // a word searched alone
        ];
        marks.retain(&mut matches);
        let positions: Vec<u32> = matches.iter().map(|m| m.0).collect();
        assert_eq!(positions, [10, 11, 30]);
    }
}
