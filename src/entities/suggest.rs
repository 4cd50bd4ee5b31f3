//! Harvests candidate actors from an archive: people that title patterns
//! find (`وزير الدفاع التركي خلوصي أكار`) but the curated actors file lacks,
//! with how often and with which country and title they appear, and example
//! sentences, for review before they are added to `data/gazetteer/actors.tsv`.

use std::collections::HashMap;

use serde::Serialize;

use super::tagger::{MentionKind, Tagger};

/// One candidate actor.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub name: String,
    pub count: usize,
    /// The most frequent country (empty when no pattern gave one).
    pub country: String,
    /// Countries seen, with counts, most frequent first.
    pub countries: Vec<(String, usize)>,
    /// The most frequent title phrase.
    pub role: String,
    /// Up to three sentences where the name was found.
    pub examples: Vec<String>,
}

/// Accumulates candidates over articles.
#[derive(Default)]
pub struct Harvest {
    by_name: HashMap<String, Acc>,
}

#[derive(Default)]
struct Acc {
    count: usize,
    countries: HashMap<String, usize>,
    roles: HashMap<String, usize>,
    examples: Vec<String>,
}

impl Harvest {
    /// Adds the pattern-found people of one article.
    pub fn add(&mut self, tagger: &Tagger, texts: &[&str]) {
        for m in tagger.article_mentions(texts) {
            if m.kind != MentionKind::Person || !m.evidence.starts_with("person after the title") {
                continue;
            }
            if tagger.gazetteer().resolve_actor(&m.canonical).is_some() {
                continue;
            }
            let acc = self.by_name.entry(m.canonical.clone()).or_default();
            acc.count += 1;
            if !m.country.is_empty() {
                *acc.countries.entry(m.country.clone()).or_default() += 1;
            }
            if let Some(role) = m.evidence.split('`').nth(1) {
                *acc.roles.entry(role.to_string()).or_default() += 1;
            }
            if acc.examples.len() < 3 {
                let sentence = sentence_around(texts[m.text_index], m.start, m.end);
                if !acc.examples.contains(&sentence) {
                    acc.examples.push(sentence);
                }
            }
        }
    }

    /// Candidates seen at least `min_count` times, most frequent first.
    pub fn candidates(&self, min_count: usize) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = self
            .by_name
            .iter()
            .filter(|(_, a)| a.count >= min_count)
            .map(|(name, a)| {
                let countries = sorted(&a.countries);
                let role = sorted(&a.roles)
                    .first()
                    .map(|r| r.0.clone())
                    .unwrap_or_default();
                Candidate {
                    name: name.clone(),
                    count: a.count,
                    country: countries.first().map(|c| c.0.clone()).unwrap_or_default(),
                    countries,
                    role,
                    examples: a.examples.clone(),
                }
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        out
    }
}

fn sorted(counts: &HashMap<String, usize>) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = counts.iter().map(|(k, n)| (k.clone(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The sentence of `text` around a byte range, on one line, at most about
/// 300 bytes.
pub fn sentence_around(text: &str, start: usize, end: usize) -> String {
    let is_end = |c: char| matches!(c, '.' | '!' | '?' | '؟' | '\n');
    let from = text[..start].rfind(is_end).map_or(0, |i| i + 1);
    let to = text[end..].find(is_end).map_or(text.len(), |i| end + i + 1);
    let mut from = from.max(start.saturating_sub(150));
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = to.min(end + 150);
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    text[from..to]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::Gazetteer;

    #[test]
    fn harvests_people_found_by_titles_with_their_country() {
        let tagger = Tagger::new(Gazetteer::builtin().unwrap());
        let mut h = Harvest::default();
        for _ in 0..2 {
            h.add(&tagger, &["وقال وزير الزراعة الموريتاني سيدي ولد التاه إن الموسم جيد. وأضاف أن الأمطار كانت غزيرة."]);
        }
        let c = h.candidates(2);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].count, 2);
        assert_eq!(c[0].country, "MR");
        assert!(
            c[0].examples[0].contains("وزير الزراعة"),
            "{:?}",
            c[0].examples
        );
    }

    #[test]
    fn sentence_around_cuts_at_sentence_ends() {
        let text = "جملة أولى. قال فلان شيئا. جملة ثالثة";
        let s = text.find("فلان").unwrap();
        assert_eq!(sentence_around(text, s, s + "فلان".len()), "قال فلان شيئا.");
    }
}
