//! Snippets: the best fragment of an article's original text, with every
//! word that matched the query highlighted.
//!
//! Matching is done on analyzed forms, the way the index matched: a word is
//! highlighted when its normalized form or its stem is one of the query's,
//! so clitic forms (بطائرات for طائرات) light up too, while the fragment and
//! the ranges always refer to the text as written.

use std::collections::HashSet;

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis;

/// A fragment with highlight ranges in characters (not bytes), relative to
/// the fragment.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Snippet {
    pub fragment: String,
    pub highlights: Vec<[usize; 2]>,
}

/// Finds and highlights the query's words in texts.
pub struct Highlighter {
    exact: HashSet<String>,
    stems: HashSet<String>,
    /// [`skeleton`]s of `stems`: a word is stemmed only when its own
    /// skeleton holds one of them, since otherwise its stem cannot be one of
    /// `stems`. Stemming every word of every hit was most of a search's time.
    stem_skeletons: Vec<String>,
    /// Skeletons of `exact` and `stems`: a stretch of text in whose
    /// skeleton none occurs holds no match and is not analyzed.
    skeletons: Vec<String>,
    exact_analyzer: TextAnalyzer,
    stem_analyzer: TextAnalyzer,
}

impl Highlighter {
    /// A highlighter for the given query words and phrases.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Highlighter {
        let mut exact_analyzer = analysis::arabic();
        let mut stem_analyzer = analysis::arabic_stem();
        let mut exact = HashSet::new();
        let mut stems = HashSet::new();
        for word in words {
            exact.extend(analysis::terms(&mut exact_analyzer, word));
            stems.extend(analysis::terms(&mut stem_analyzer, word));
        }
        let mut stem_skeletons: Vec<String> = stems.iter().map(|s| skeleton(s)).collect();
        stem_skeletons.sort();
        stem_skeletons.dedup();
        let mut skeletons: Vec<String> = exact.iter().map(|s| skeleton(s)).collect();
        skeletons.extend(stem_skeletons.iter().cloned());
        skeletons.sort();
        skeletons.dedup();
        Highlighter {
            exact,
            stems,
            stem_skeletons,
            skeletons,
            exact_analyzer,
            stem_analyzer,
        }
    }

    /// Byte ranges of matching words in `text`, with the term each matched:
    /// its exact form, else its stem.
    fn matches(&mut self, text: &str) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        let mut word_skeleton = String::new();
        let mut stream = self.exact_analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            if self.exact.contains(&t.text) {
                out.push((t.offset_from, t.offset_to, t.text.clone()));
                continue;
            }
            if self.stems.is_empty() {
                continue;
            }
            word_skeleton.clear();
            word_skeleton.extend(t.text.chars().filter(|c| !is_weak(*c)));
            if !self
                .stem_skeletons
                .iter()
                .any(|s| word_skeleton.contains(s.as_str()))
            {
                continue;
            }
            // The stem analyzer on the normalized word: the same stem as on
            // the word as written, since normalizing twice changes nothing.
            for stem in analysis::terms(&mut self.stem_analyzer, &t.text) {
                if self.stems.contains(&stem) {
                    out.push((t.offset_from, t.offset_to, stem));
                    break;
                }
            }
        }
        out
    }

    /// The matches of `text`, read a piece at a time until a window of
    /// `max_bytes` holds as many distinct terms as the query has words: the
    /// rest of a long article could only tie with that window, so it is not
    /// analyzed, except for what a fragment anchored in that window may show
    /// past it. Pieces end at whitespace, where no word can be cut, and a
    /// piece that [cannot match](Self::may_match) is not tokenized.
    ///
    /// Also returns how many of the matches come before that last stretch:
    /// the fragment is anchored among those, so that everything it shows has
    /// been read.
    fn leading_matches(
        &mut self,
        text: &str,
        max_bytes: usize,
    ) -> (Vec<(usize, usize, String)>, usize) {
        let wanted = self.exact.len().max(1);
        let piece = max_bytes.max(64);
        let mut out = Vec::new();
        let mut scratch = String::new();
        let mut from = 0;
        while from < text.len() {
            let to = word_end(text, from + piece);
            self.scan(text, from..to, &mut out, &mut scratch);
            from = to;
            if let Some((distinct, first)) = best_window(&out, max_bytes) {
                if distinct >= wanted {
                    let anchors = out.len();
                    let reach = word_end(text, out[first].0 + max_bytes);
                    if reach > from {
                        self.scan(text, from..reach, &mut out, &mut scratch);
                    }
                    return (out, anchors);
                }
            }
        }
        let anchors = out.len();
        (out, anchors)
    }

    /// Adds the matches of `text[range]` to `out`, unless it cannot match.
    fn scan(
        &mut self,
        text: &str,
        range: std::ops::Range<usize>,
        out: &mut Vec<(usize, usize, String)>,
        scratch: &mut String,
    ) {
        let from = range.start;
        let piece = &text[range];
        if self.may_match(piece, scratch) {
            out.extend(
                self.matches(piece)
                    .into_iter()
                    .map(|(a, b, term)| (a + from, b + from, term)),
            );
        }
    }

    /// Whether `text` may hold a match: the skeleton of a word's normalized
    /// form is a substring of the skeleton of the normalized text, and a
    /// matching word's skeleton holds its term's (exact forms are equal;
    /// stems are cut from the word). Several times cheaper than tokenizing.
    fn may_match(&self, text: &str, scratch: &mut String) -> bool {
        if self.skeletons.iter().any(String::is_empty) {
            return true;
        }
        scratch.clear();
        analysis::normalize_into(text, scratch);
        scratch.retain(|c| !is_weak(c));
        self.skeletons.iter().any(|s| scratch.contains(s.as_str()))
    }

    /// The best fragment of about `max_chars` characters.
    pub fn snippet(&mut self, text: &str, max_chars: usize) -> Snippet {
        let max_bytes = max_chars * 2; // Arabic letters are two bytes in UTF-8.
        let (matches, anchors) = self.leading_matches(text, max_bytes);
        let anchor = best_window(&matches[..anchors], max_bytes)
            .map(|(_, i)| matches[i].0)
            .unwrap_or(0);
        // Start a little before the first match; near the end of the text,
        // use the whole budget by starting earlier.
        let mut start = anchor.saturating_sub(max_bytes / 6);
        if start + max_bytes > text.len() {
            start = start.min(text.len().saturating_sub(max_bytes));
        }
        let mut start = floor_boundary(text, start);
        if start > 0 {
            start = text[start..anchor]
                .char_indices()
                .find(|(_, c)| c.is_whitespace())
                .map(|(i, c)| start + i + c.len_utf8())
                .filter(|s| *s <= anchor)
                .unwrap_or(start);
        }
        let mut end = floor_boundary(text, (start + max_bytes).min(text.len()));
        if end < text.len() {
            if let Some(i) = text[start..end].rfind(char::is_whitespace) {
                if start + i > anchor {
                    end = start + i;
                }
            }
        }
        let fragment_text = &text[start..end];
        let fragment: String = fragment_text
            .chars()
            .map(|c| {
                if c == '\n' || c == '\r' || c == '\t' {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        // Byte offsets to character offsets, counting each stretch once.
        let (mut byte, mut chars) = (start, 0);
        let mut char_at = |at: usize| {
            chars += text[byte..at].chars().count();
            byte = at;
            chars
        };
        let highlights = matches
            .iter()
            .filter(|m| m.0 >= start && m.1 <= end)
            .map(|m| [char_at(m.0), char_at(m.1)])
            .collect();
        Snippet {
            fragment,
            highlights,
        }
    }
}

/// The window starting at a match that covers the most distinct terms (then
/// the most matches): `(distinct terms, index of its first match)`.
fn best_window(matches: &[(usize, usize, String)], max_bytes: usize) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize, usize)> = None; // (score, distinct, index)
    for i in 0..matches.len() {
        let mut distinct: Vec<&str> = Vec::new();
        let mut count = 0;
        for m in &matches[i..] {
            if m.1 - matches[i].0 > max_bytes {
                break;
            }
            if !distinct.contains(&m.2.as_str()) {
                distinct.push(&m.2);
            }
            count += 1;
        }
        let score = distinct.len() * 100 + count;
        if best.is_none_or(|(s, _, _)| score > s) {
            best = Some((score, distinct.len(), i));
        }
    }
    best.map(|(_, distinct, i)| (distinct, i))
}

/// Letters that the Arabic stemmer may rewrite (alef and hamza seats, waw,
/// yeh, alef maksura); everything else it only cuts off at either end.
fn is_weak(c: char) -> bool {
    matches!(c, 'ا' | 'أ' | 'إ' | 'آ' | 'ء' | 'ؤ' | 'ئ' | 'و' | 'ي' | 'ى')
}

/// A word without its weak letters. The stem of a word is cut from the
/// word and changes only weak letters (or doubles a prefix letter, or
/// turns يست into است), so the stem's skeleton is a substring of the
/// word's: a cheap test that rules out stemming most words of a text.
fn skeleton(word: &str) -> String {
    word.chars().filter(|c| !is_weak(*c)).collect()
}

/// The first whitespace at or after byte `at` (or the end of the text).
fn word_end(text: &str, at: usize) -> usize {
    let at = floor_boundary(text, at);
    text[at..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| at + i)
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(s: &Snippet) -> String {
        let chars: Vec<char> = s.fragment.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        for [a, b] in &s.highlights {
            out.extend(&chars[i..*a]);
            out.push('[');
            out.extend(&chars[*a..*b]);
            out.push(']');
            i = *b;
        }
        out.extend(&chars[i..]);
        out
    }

    #[test]
    fn highlights_original_forms() {
        let mut h = Highlighter::new(["بيرقدار"]);
        let s = h.snippet("استخدمت القوات طائرات بِيرَقدار التركية.", 100);
        assert_eq!(marked(&s), "استخدمت القوات طائرات [بِيرَقدار] التركية.");
    }

    #[test]
    fn highlights_clitic_forms_through_stems() {
        let mut h = Highlighter::new(["طائرات"]);
        let s = h.snippet("أمدت باكو بطائرات مسيرة", 100);
        assert_eq!(marked(&s), "أمدت باكو [بطائرات] مسيرة");
    }

    #[test]
    fn multibyte_spaces_are_word_boundaries() {
        for space in ['\u{a0}', '\u{2009}', '\u{3000}', ' '] {
            let filler = format!("كلمة{space}").repeat(80);
            let text = format!("{filler}بيرقدار{space}هنا{space}{filler}");
            let mut h = Highlighter::new(["بيرقدار"]);
            for max in [10, 40, 80, 200, 1000] {
                let s = h.snippet(&text, max);
                assert!(marked(&s).contains("[بيرقدار]"), "{max}: {}", marked(&s));
            }
        }
    }

    #[test]
    fn picks_the_fragment_with_the_match() {
        let text = format!(
            "{} كلمة بيرقدار هنا {}",
            "حشو ".repeat(200),
            "ذيل ".repeat(200)
        );
        let mut h = Highlighter::new(["بيرقدار"]);
        let s = h.snippet(&text, 80);
        assert!(marked(&s).contains("[بيرقدار]"), "{}", marked(&s));
        assert!(s.fragment.chars().count() <= 90);
    }

    #[test]
    fn a_stem_skeleton_is_inside_its_word_skeleton() {
        // Every word of a real article, with and without clitics.
        let text = include_str!("../../data/archive/seed/000_fecd01c37f338b77.txt");
        let mut exact = analysis::arabic();
        let mut stem = analysis::arabic_stem();
        let mut checked = 0;
        for word in analysis::terms(&mut exact, text) {
            for prefixed in [word.clone(), format!("وب{word}"), format!("ال{word}ات")] {
                for s in analysis::terms(&mut stem, &prefixed) {
                    assert!(
                        skeleton(&prefixed).contains(&skeleton(&s)),
                        "{prefixed} → {s}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000);
    }

    #[test]
    fn a_word_skeleton_is_inside_its_text_skeleton() {
        let text = include_str!("../../data/archive/seed/000_fecd01c37f338b77.txt");
        let mut whole = analysis::normalize(text);
        whole.retain(|c| !is_weak(c));
        let mut exact = analysis::arabic();
        let words = analysis::terms(&mut exact, text);
        assert!(words.len() > 300);
        for word in words {
            assert!(whole.contains(&skeleton(&word)), "{word}");
        }
        let h = Highlighter::new(["بيرقدار"]);
        let mut scratch = String::new();
        assert!(h.may_match("طائرات بِيرَقْدار التركية", &mut scratch));
        assert!(!h.may_match("طائرات مسيرة تركية", &mut scratch));
    }

    #[test]
    fn stops_reading_once_every_word_is_found() {
        let text = format!(
            "أمدت تركيا أذربيجان بطائرات بيرقدار. {}",
            "كلمة أخرى ".repeat(2000)
        );
        let mut h = Highlighter::new(["بيرقدار", "طائرات"]);
        let (matches, anchors) = h.leading_matches(&text, 400);
        assert_eq!((matches.len(), anchors), (2, 2));
        assert!(matches.iter().all(|m| m.1 < 100));
        // What the fragment may show past the window is read too.
        let near = format!(
            "أمدت تركيا أذربيجان بطائرات بيرقدار. {} بيرقدار",
            "كلمة ".repeat(40)
        );
        let (near_matches, anchors) = h.leading_matches(&near, 400);
        assert_eq!((near_matches.len(), anchors), (3, 2));
        // A word that never occurs: the whole text is read.
        let late = format!("{text} بيرقدار");
        let mut h = Highlighter::new(["بيرقدار", "سفينة"]);
        assert_eq!(h.leading_matches(&late, 400).0.len(), 2);
    }
}
