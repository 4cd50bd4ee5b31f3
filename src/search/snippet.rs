//! Snippets: the best fragment of an article's original text, with every
//! word that matched the query highlighted.
//!
//! Matching is done on analyzed forms, with the same analyzers that indexed
//! the text: a word is highlighted when its exact form, its light stem or its
//! name skeleton is one of the query's, so clitic and inflected forms
//! (بطائرات for طائرات) and transliterations (بايراكتار for بيرقدار) light up
//! too, while the fragment and the ranges always refer to the text as written.
//!
//! For an indexed article the index already knows where those words are:
//! the positions of the query's exact and light terms come from the postings
//! of the fields that indexed the text, so only one tokenization (for byte
//! offsets) is left to do, and it stops after the last match. Name skeletons
//! have no positions in the index; their counts say whether a name-only match
//! exists, and only then is the text analyzed for them, up to the last of
//! the occurrences the index counted, and only its words that have the
//! sound classes of one of the query's skeletons.

use std::cell::RefCell;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, TokenStream, Tokenizer};
use tantivy::{DocId, DocSet, SegmentReader, Term, TERMINATED};

use super::phrase_marks::{PhraseMarks, Positioned};
use crate::analysis::filter::Forms;
use crate::analysis::names::SkeletonClasses;
use crate::analysis::tokenizer::term_into;
use crate::analysis::{self, inflection, Lexicon, NameSkeleton, WordTokenizer};
use crate::index::NewsSchema;

/// A fragment with highlight ranges in characters (not bytes), relative to
/// the fragment.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Snippet {
    pub fragment: String,
    pub highlights: Vec<[usize; 2]>,
}

/// The ways a word matches, in order of precedence: a highlighted word is
/// named by its exact term if it has one, else by its light stem.
const EXACT: usize = 0;
const LIGHT: usize = 1;
const NAME: usize = 2;
const FORMS: usize = 3;

thread_local! {
    /// Word offsets and positions without terms (see `matches_located`).
    static OFFSETS: RefCell<WordTokenizer> = RefCell::new(WordTokenizer::offsets_only());
    /// The analyzers of the three forms, made once per thread: making one
    /// allocates its term cache, which would cost more than a whole search.
    static ANALYZERS: RefCell<Option<[TextAnalyzer; FORMS]>> = const { RefCell::new(None) };
}

fn with_analyzers<R>(f: impl FnOnce(&mut [TextAnalyzer; FORMS]) -> R) -> R {
    ANALYZERS.with(|cell| {
        let mut slot = cell.borrow_mut();
        let analyzers = slot.get_or_insert_with(|| {
            [
                analysis::arabic(),
                analysis::arabic_light(),
                analysis::arabic_name(),
            ]
        });
        f(analyzers)
    })
}

/// A matching word: its byte range in the text and the label of the query
/// term it matched (words of one label count once in a window).
type Match = (usize, usize, u32);

/// The indexed fields that hold a stored text's words in each form.
#[derive(Debug, Clone, Default)]
pub struct TextFields {
    /// Per form: the field, and whether it records positions.
    forms: [Option<(Field, bool)>; FORMS],
}

impl TextFields {
    /// The fields analyzing `source` (itself or a `copy_from` copy) with the
    /// exact, light and name analyzers.
    pub fn of(schema: &NewsSchema, source: &str) -> TextFields {
        let mut forms = [None; FORMS];
        for spec in &schema.specs {
            let analyzes_source = spec.name == source || spec.copy_from.as_deref() == Some(source);
            if !analyzes_source || !spec.indexed {
                continue;
            }
            let form = match spec.analyzer.as_deref() {
                Some(analysis::ARABIC) => EXACT,
                Some(analysis::ARABIC_LIGHT) => LIGHT,
                Some(analysis::ARABIC_NAME) => NAME,
                _ => continue,
            };
            forms[form].get_or_insert((schema.field(&spec.name), spec.positions));
        }
        TextFields { forms }
    }
}

/// Where the query's words are in one article, as the index recorded them.
#[derive(Debug, Clone, Default)]
pub struct Located {
    /// (position, label) of exact and light matches, by position.
    positions: Vec<(u32, u32)>,
    /// Occurrences of the query's name skeletons in the text.
    names: u32,
    /// The index could not tell (a form without a positional field): the
    /// text is analyzed instead.
    unknown: bool,
}

/// Finds and highlights the query's words in texts.
pub struct Highlighter {
    /// Per form: the query's terms and their labels.
    terms: [FxHashMap<String, u32>; FORMS],
    /// The sound classes each of the query's name skeletons needs.
    name_classes: Vec<SkeletonClasses>,
    /// Which matches phrases allow (see [`PhraseMarks`]).
    marks: PhraseMarks,
}

impl Highlighter {
    /// A highlighter for the given query words and phrases. A text of
    /// several words (a phrase) is highlighted only where it occurs.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Highlighter {
        let mut terms: [FxHashMap<String, u32>; FORMS] = Default::default();
        let mut labels: FxHashMap<String, u32> = FxHashMap::default();
        let mut marks = PhraseMarks::default();
        with_analyzers(|analyzers| {
            for word in words {
                let mut by_position: Vec<(usize, Vec<u32>)> = Vec::new();
                for (form, analyzer) in analyzers.iter_mut().enumerate() {
                    for token in analysis::tokens(analyzer, word) {
                        let term = token.term;
                        let next = labels.len() as u32;
                        let label = *labels.entry(term.clone()).or_insert(next);
                        if form == LIGHT {
                            // A verb's other persons light up as the word.
                            for sibling in inflection::siblings(&term, Lexicon::get()) {
                                terms[LIGHT].entry(sibling).or_insert(label);
                            }
                        }
                        terms[form].insert(term, label);
                        match by_position.iter_mut().find(|(p, _)| *p == token.position) {
                            Some((_, at)) => at.push(label),
                            None => by_position.push((token.position, vec![label])),
                        }
                    }
                }
                marks.add_text(by_position);
            }
        });
        let name_classes = terms[NAME]
            .keys()
            .map(|skeleton| SkeletonClasses::of_skeleton(skeleton))
            .collect();
        Highlighter {
            terms,
            name_classes,
            marks,
        }
    }

    /// Also highlights these exact-form terms (the indexed words a
    /// `prefix*` stands for), each as a word of its own.
    pub fn with_exact_terms<'a>(mut self, terms: impl IntoIterator<Item = &'a str>) -> Highlighter {
        let mut next = self
            .terms
            .iter()
            .flat_map(|form| form.values())
            .max()
            .map_or(0, |label| label + 1);
        for term in terms {
            if !self.terms[EXACT].contains_key(term) {
                self.terms[EXACT].insert(term.to_string(), next);
                self.marks.add_word([next]);
                next += 1;
            }
        }
        self
    }

    /// The label of the query's name skeleton that `word` (a token's text)
    /// has, if any. `term` and `skeleton` are working space; `forms` the
    /// thread's cache of what words map to.
    fn name_label(
        &self,
        word: &str,
        forms: &mut Forms,
        term: &mut String,
        skeleton: &mut String,
    ) -> Option<u32> {
        term.clear();
        skeleton.clear();
        if !term_into(word, term) {
            return None;
        }
        let mut scratch = String::new();
        if !forms
            .entry(term)
            .push(&NameSkeleton, skeleton, &mut scratch)
        {
            return None;
        }
        self.terms[NAME].get(skeleton.as_str()).copied()
    }

    /// Reads from the index where the query's words are in `docs` (of one
    /// segment, ascending), one [`Located`] per doc.
    pub fn locate(
        &self,
        segment: &SegmentReader,
        fields: &TextFields,
        docs: &[DocId],
    ) -> tantivy::Result<Vec<Located>> {
        let mut located = vec![Located::default(); docs.len()];
        let mut buffer = Vec::new();
        for (form, terms) in self.terms.iter().enumerate() {
            if terms.is_empty() {
                continue;
            }
            let Some((field, positions)) = fields.forms[form] else {
                located.iter_mut().for_each(|l| l.unknown = true);
                continue;
            };
            if form != NAME && !positions {
                located.iter_mut().for_each(|l| l.unknown = true);
                continue;
            }
            let option = if form == NAME {
                IndexRecordOption::WithFreqs
            } else {
                IndexRecordOption::WithFreqsAndPositions
            };
            let inverted = segment.inverted_index(field)?;
            for (term, &label) in terms {
                let term = Term::from_field_text(field, term);
                let Some(mut postings) = inverted.read_postings(&term, option)? else {
                    continue;
                };
                for (doc, found) in docs.iter().zip(located.iter_mut()) {
                    if !at(&mut postings, *doc) {
                        continue;
                    }
                    if form == NAME {
                        found.names += postings.term_freq();
                    } else {
                        postings.positions(&mut buffer);
                        found.positions.extend(buffer.iter().map(|&p| (p, label)));
                    }
                }
            }
        }
        // Exact before light at the same position: the sort is stable.
        for found in &mut located {
            found.positions.sort_by_key(|&(p, _)| p);
            found.positions.dedup_by_key(|&mut (p, _)| p);
        }
        Ok(located)
    }

    /// The best fragment of about `max_chars` characters of a text whose
    /// matches were located in the index.
    pub fn snippet_located(&mut self, text: &str, located: &Located, max_chars: usize) -> Snippet {
        if located.unknown {
            return self.snippet(text, max_chars);
        }
        let matches = self.matches_located(text, located);
        best_fragment(text, &matches, max_chars)
    }

    fn matches_located(&self, text: &str, located: &Located) -> Vec<Match> {
        let wanted = &located.positions;
        let mut matches: Vec<Positioned> = Vec::with_capacity(wanted.len());
        if wanted.is_empty() && located.names == 0 {
            return Vec::new();
        }
        // Only the matched words' offsets are needed: a tokenizer that makes
        // no terms, stopping after the last match. Those words' own name
        // skeletons are counted from their text.
        let mut forms = Forms::take();
        let (mut term, mut skeleton) = (String::new(), String::new());
        let mut named = 0;
        OFFSETS.with(|tokenizer| {
            let mut tokenizer = tokenizer.borrow_mut();
            let mut stream = tokenizer.token_stream(text);
            walk_wanted(&mut stream, wanted, |token, label| {
                let position = token.position as u32;
                matches.push((position, token.offset_from, token.offset_to, label));
                if located.names > named {
                    let word = &text[token.offset_from..token.offset_to];
                    if self
                        .name_label(word, &mut forms, &mut term, &mut skeleton)
                        .is_some()
                    {
                        named += 1;
                    }
                }
            });
        });
        if named >= located.names {
            return self.kept(matches);
        }
        // Some name skeleton occurs at a word that matched no other way: the
        // text's words, until as many skeletons were seen as the index
        // counted. A word without the sound classes of any of the query's
        // skeletons is passed over unanalyzed.
        OFFSETS.with(|tokenizer| {
            let mut tokenizer = tokenizer.borrow_mut();
            let mut stream = tokenizer.token_stream(text);
            let mut seen = 0;
            while let Some(token) = stream.next() {
                let word = &text[token.offset_from..token.offset_to];
                let possible = SkeletonClasses::of_word(word)
                    .is_none_or(|has| self.name_classes.iter().any(|&needed| has.covers(needed)));
                if !possible {
                    continue;
                }
                let Some(label) = self.name_label(word, &mut forms, &mut term, &mut skeleton)
                else {
                    continue;
                };
                let position = token.position as u32;
                if wanted.binary_search_by_key(&position, |&(p, _)| p).is_err() {
                    matches.push((position, token.offset_from, token.offset_to, label));
                }
                seen += 1;
                if seen >= located.names {
                    break;
                }
            }
        });
        matches.sort_by_key(|m| m.0);
        self.kept(matches)
    }

    /// The matches phrases allow (see [`PhraseMarks`]), as byte ranges.
    fn kept(&self, mut matches: Vec<Positioned>) -> Vec<Match> {
        self.marks.retain(&mut matches);
        matches
            .into_iter()
            .map(|(_, from, to, label)| (from, to, label))
            .collect()
    }

    /// Matching words in `text`, found by analyzing it.
    fn matches(&self, text: &str) -> Vec<Match> {
        with_analyzers(|analyzers| {
            let (exact, others) = analyzers.split_first_mut().expect("exact form");
            // (position, from, to, label)
            let mut words: Vec<(usize, usize, usize, Option<u32>)> = Vec::new();
            let mut stream = exact.token_stream(text);
            while let Some(t) = stream.next() {
                let hit = self.terms[EXACT].get(&t.text).copied();
                words.push((t.position, t.offset_from, t.offset_to, hit));
            }
            drop(stream);
            let at: FxHashMap<usize, usize> =
                words.iter().enumerate().map(|(i, w)| (w.0, i)).collect();
            for (terms, analyzer) in self.terms[EXACT + 1..].iter().zip(others) {
                if terms.is_empty() {
                    continue;
                }
                let mut stream = analyzer.token_stream(text);
                while let Some(t) = stream.next() {
                    if let Some(&label) = terms.get(&t.text) {
                        if let Some(&i) = at.get(&t.position) {
                            words[i].3.get_or_insert(label);
                        }
                    }
                }
            }
            let matches = words
                .into_iter()
                .filter_map(|(position, from, to, hit)| {
                    Some((u32::try_from(position).ok()?, from, to, hit?))
                })
                .collect();
            self.kept(matches)
        })
    }

    /// The best fragment of about `max_chars` characters, analyzing the text.
    pub fn snippet(&mut self, text: &str, max_chars: usize) -> Snippet {
        let matches = self.matches(text);
        best_fragment(text, &matches, max_chars)
    }
}

/// Calls `found` with each token of `stream` at one of the `wanted`
/// positions (sorted) and that position's label; stops after the last one.
fn walk_wanted<S: TokenStream + ?Sized>(
    stream: &mut S,
    wanted: &[(u32, u32)],
    mut found: impl FnMut(&tantivy::tokenizer::Token, u32),
) {
    let mut next = 0;
    while next < wanted.len() {
        let Some(token) = stream.next() else { break };
        let position = token.position as u32;
        while next < wanted.len() && wanted[next].0 < position {
            next += 1;
        }
        if next < wanted.len() && wanted[next].0 == position {
            found(token, wanted[next].1);
            next += 1;
        }
    }
}

/// Moves `postings` to `doc`; true when the term occurs there.
fn at(postings: &mut SegmentPostings, doc: DocId) -> bool {
    let current = postings.doc();
    if current == TERMINATED || current > doc {
        return false;
    }
    current == doc || postings.seek(doc) == doc
}

/// The fragment of about `max_chars` characters around the best window of
/// matches (those covering the most distinct terms).
fn best_fragment(text: &str, matches: &[Match], max_chars: usize) -> Snippet {
    let max_bytes = max_chars * 2; // Arabic letters are two bytes in UTF-8.
                                   // The window starting at a match that covers the most distinct terms.
    let mut best: Option<(usize, usize)> = None; // (score, index of first match)
    let mut distinct = FxHashSet::default();
    for i in 0..matches.len() {
        distinct.clear();
        let mut count = 0;
        for m in &matches[i..] {
            if m.1 - matches[i].0 > max_bytes {
                break;
            }
            distinct.insert(m.2);
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
    fn highlights_a_verbs_other_persons() {
        let mut h = Highlighter::new(["تحد"]);
        let s = h.snippet("سوريا يحدها من الشمال تركيا", 100);
        assert_eq!(marked(&s), "سوريا [يحدها] من الشمال تركيا");
    }

    #[test]
    fn does_not_highlight_words_that_only_look_alike() {
        let mut h = Highlighter::new(["زار", "علي"]);
        let s = h.snippet("وزارة الدفاع على الحدود", 100);
        assert_eq!(marked(&s), "وزارة الدفاع على الحدود");
    }

    #[test]
    fn highlights_a_phrase_only_where_it_occurs() {
        let mut h = Highlighter::new(["وزارة الدفاع", "أنقرة"]);
        let s = h.snippet(
            "قال وزير الدفاع في أنقرة إن لوزارة الدفاع خطة، وإن وزارة الخارجية والدفاع معها.",
            200,
        );
        assert_eq!(
            marked(&s),
            "قال وزير الدفاع في [أنقرة] إن [لوزارة] [الدفاع] خطة، وإن وزارة الخارجية والدفاع معها."
        );
        // Without the phrase, nothing is highlighted rather than lone words.
        let s = h.snippet("قال وزير الدفاع إن الوزارة جاهزة", 200);
        assert_eq!(marked(&s), "قال وزير الدفاع إن الوزارة جاهزة");
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

#[cfg(test)]
mod located_tests {
    use tantivy::TantivyDocument;

    use super::*;
    use crate::index::NewsIndex;

    /// Snippets from the index's positions and counts, and from analyzing
    /// the text, of each body for each query: (located, analyzed).
    fn both_ways(bodies: &[String], queries: &[&[&str]]) -> Vec<(Snippet, Snippet)> {
        let index = NewsIndex::in_memory_of_bodies(bodies).unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let segment = &searcher.segment_readers()[0];
        let schema = &index.schema;
        let fields = TextFields::of(schema, schema.schema.get_field_name(schema.fields.body));
        let docs: Vec<DocId> = (0..bodies.len() as DocId).collect();
        let mut out = Vec::new();
        for words in queries {
            let mut highlighter = Highlighter::new(words.iter().copied());
            let located = highlighter.locate(segment, &fields, &docs).unwrap();
            for (doc, located) in docs.iter().zip(&located) {
                let stored: TantivyDocument =
                    searcher.doc(tantivy::DocAddress::new(0, *doc)).unwrap();
                let body = stored.get_first(schema.fields.body).unwrap();
                let body = tantivy::schema::Value::as_str(&body).unwrap();
                assert_eq!(body, bodies[*doc as usize]);
                out.push((
                    highlighter.snippet_located(body, located, 80),
                    highlighter.snippet(body, 80),
                ));
            }
        }
        out
    }

    /// Transliterated names that match no other way, before, between and
    /// after the words the index located, or alone: the located snippet is
    /// the analyzed one, and the names are highlighted.
    #[test]
    fn names_found_beyond_the_located_words_are_highlighted_alike() {
        let filler = |n: usize| "خبر عن الطقس اليوم ".repeat(n);
        let bodies = vec![
            format!(
                "{}طائرات بيرقدار التركية {}ثم بايراكتار",
                filler(3),
                filler(10)
            ),
            format!("بايراكتار {}طائرات بيرقدار {}", filler(12), filler(2)),
            format!("{}بيرقتار وبايراكتار {}", filler(5), filler(5)),
            format!("{}بيرقدار وترامب {}ترمب بيرقتار", filler(2), filler(20)),
            format!("بيرقتار {}بايراكتار بيرقتار", filler(10)),
            format!("{}لا اسم هنا", filler(4)),
            "بيرقدار".to_string(),
        ];
        let queries: &[&[&str]] = &[&["بيرقدار"], &["ترامب", "بيرقدار"], &["الطقس"]];
        let mut highlighted = 0;
        for (located, analyzed) in both_ways(&bodies, queries) {
            assert_eq!(located, analyzed);
            highlighted += located.highlights.len();
        }
        assert!(highlighted >= 15, "{highlighted} highlights");
    }

    /// The words of a phrase light up only where the phrase is, from the
    /// index's positions as from the text.
    #[test]
    fn phrases_are_highlighted_alike_where_they_occur() {
        let bodies = vec![
            "قال وزير الدفاع إن وزارة الخارجية ووزارة الدفاع اتفقتا".to_string(),
            "قال وزير الدفاع إن الوزارة جاهزة".to_string(),
        ];
        let out = both_ways(&bodies, &[&["وزارة الدفاع"]]);
        for (located, analyzed) in &out {
            assert_eq!(located, analyzed);
        }
        let lit: Vec<String> = out[0]
            .0
            .highlights
            .iter()
            .map(|[a, b]| out[0].0.fragment.chars().skip(*a).take(b - a).collect())
            .collect();
        assert_eq!(lit, ["ووزارة", "الدفاع"]);
        assert!(out[1].0.highlights.is_empty(), "{:?}", out[1].0);
    }
}
