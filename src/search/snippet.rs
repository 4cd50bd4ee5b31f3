//! Snippets: the best fragment of an article's original text, with every
//! word that matched the query highlighted.
//!
//! Matching is done on analyzed forms, with the same analyzers that indexed
//! the text: a word is highlighted when its exact form, its light stem or its
//! name skeleton is one of the query's, so clitic and inflected forms
//! (بطائرات for طائرات) and transliterations (بايراكتار for بيرقدار) light up
//! too, while the fragment and the ranges always refer to the text as written.

use std::collections::{HashMap, HashSet};

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis;

/// A fragment with highlight ranges in characters (not bytes), relative to
/// the fragment.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Snippet {
    pub fragment: String,
    pub highlights: Vec<[usize; 2]>,
}

/// One way of matching words: an analyzer and the query's terms under it.
struct Form {
    analyzer: TextAnalyzer,
    terms: HashSet<String>,
}

/// Finds and highlights the query's words in texts.
pub struct Highlighter {
    /// Exact forms first: a highlighted word is named by its exact term.
    forms: Vec<Form>,
}

impl Highlighter {
    /// A highlighter for the given query words and phrases.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Highlighter {
        let mut forms: Vec<Form> = [
            analysis::arabic(),
            analysis::arabic_light(),
            analysis::arabic_name(),
        ]
        .into_iter()
        .map(|analyzer| Form {
            analyzer,
            terms: HashSet::new(),
        })
        .collect();
        for word in words {
            for form in &mut forms {
                let terms = analysis::terms(&mut form.analyzer, word);
                form.terms.extend(terms);
            }
        }
        Highlighter { forms }
    }

    /// Byte ranges of matching words in `text`, with the query term each
    /// matched (words of one query term count once in a window).
    fn matches(&mut self, text: &str) -> Vec<(usize, usize, String)> {
        let (exact, others) = self.forms.split_first_mut().expect("exact form");
        // position → (from, to, matched term)
        let mut words: Vec<(usize, usize, usize, Option<String>)> = Vec::new();
        let mut stream = exact.analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            let hit = exact.terms.contains(&t.text).then(|| t.text.clone());
            words.push((t.position, t.offset_from, t.offset_to, hit));
        }
        drop(stream);
        let at: HashMap<usize, usize> = words.iter().enumerate().map(|(i, w)| (w.0, i)).collect();
        for form in others {
            if form.terms.is_empty() {
                continue;
            }
            let mut stream = form.analyzer.token_stream(text);
            while let Some(t) = stream.next() {
                if form.terms.contains(&t.text) {
                    if let Some(&i) = at.get(&t.position) {
                        words[i].3.get_or_insert_with(|| t.text.clone());
                    }
                }
            }
        }
        words
            .into_iter()
            .filter_map(|(_, from, to, hit)| hit.map(|term| (from, to, term)))
            .collect()
    }

    /// The best fragment of about `max_chars` characters.
    pub fn snippet(&mut self, text: &str, max_chars: usize) -> Snippet {
        let matches = self.matches(text);
        let max_bytes = max_chars * 2; // Arabic letters are two bytes in UTF-8.
                                       // The window starting at a match that covers the most distinct terms.
        let mut best: Option<(usize, usize)> = None; // (score, index of first match)
        for i in 0..matches.len() {
            let mut distinct = HashSet::new();
            let mut count = 0;
            for m in &matches[i..] {
                if m.1 - matches[i].0 > max_bytes {
                    break;
                }
                distinct.insert(&m.2);
                count += 1;
            }
            let score = distinct.len() * 100 + count;
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, i));
            }
        }
        let anchor = best.map(|(_, i)| matches[i].0).unwrap_or(0);
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
        let char_at = |byte: usize| fragment_text[..byte - start].chars().count();
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
    fn highlights_transliteration_variants() {
        let mut h = Highlighter::new(["بيرقدار"]);
        let s = h.snippet("طائرات بايراكتار التركية", 100);
        assert_eq!(marked(&s), "طائرات [بايراكتار] التركية");
    }

    #[test]
    fn does_not_highlight_words_that_only_look_alike() {
        let mut h = Highlighter::new(["زار", "علي"]);
        let s = h.snippet("وزارة الدفاع على الحدود", 100);
        assert_eq!(marked(&s), "وزارة الدفاع على الحدود");
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
}
