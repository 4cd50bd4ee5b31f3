//! How query words become tantivy queries, and how they are ranked together.
//!
//! One word is searched in every analyzed field that a query searches by
//! default, each field in its role (given by its analyzer):
//!
//! | role | analyzer | a match… |
//! |---|---|---|
//! | exact | `arabic` | counts, with the field's boost |
//! | light | `arabic_light` | counts (clitic and inflected forms; a verb's other persons and genders at half weight) |
//! | variant | `arabic_name` | counts (transliterations), lightly boosted |
//! | scoring | `arabic_stem`, `arabic_lead` | only adds to a word that matched otherwise |
//!
//! An article that matches a word exactly also matches its light form (and a
//! name's skeleton), so exact matches outrank variant-only ones.
//!
//! Each field's match is scored by BM25 with this engine's k1 and b (see
//! [`super::bm25`]). Words are then combined by [`combine`]: articles that
//! match every required word come first, ranked by BM25; articles that match
//! only some follow, always below, ranked by BM25 weighed by how much of the
//! query they cover (see [`combine`]). A word found in more than 15% of the
//! articles does not count for "every word" (it still scores). Stopwords are
//! not required; they only add to the score (unless the query is nothing but
//! stopwords); in a question, so are the words that frame it (see
//! [`free_question_frames`]). Two query words next to each other add to the
//! score of articles where they are next to each other too (see
//! [`proximity`]).
//!
//! The API: [`Matcher::word`] and [`Matcher::phrase`] turn one word or phrase
//! into a [`Word`]; [`combine`] makes the query.

use std::fmt;

use tantivy::query::{
    BooleanQuery, BoostQuery, EnableScoring, Explanation, Occur, PhraseQuery, Query, Scorer, Weight,
};
use tantivy::schema::{Field, FieldType};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

use super::bm25::{idf, AnyFieldQuery, Bm25TermQuery};
use super::guard::guarded;
use crate::analysis::{self, inflection, questions, stopwords, Lexicon};
use crate::index::NewsSchema;

/// What a field's matches mean for ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Normalized word forms.
    Exact,
    /// Light stems.
    Light,
    /// Name skeletons: transliteration variants.
    Variant,
    /// Adds to the score of a word matched in another field; never matches.
    Scoring,
}

impl Role {
    fn of(analyzer: &str) -> Option<Role> {
        match analyzer {
            analysis::ARABIC => Some(Role::Exact),
            analysis::ARABIC_LIGHT => Some(Role::Light),
            analysis::ARABIC_NAME => Some(Role::Variant),
            analysis::ARABIC_LEAD => Some(Role::Scoring),
            analysis::ARABIC_STEM => Some(Role::Scoring),
            _ => None,
        }
    }
}

struct SearchField {
    field: Field,
    boost: f32,
    role: Role,
    positions: bool,
    analyzer: TextAnalyzer,
}

/// Turns words and phrases into queries over the default search fields.
pub struct Matcher {
    fields: Vec<SearchField>,
    exact: TextAnalyzer,
}

/// One query word or phrase, ready to combine.
#[derive(Debug)]
pub struct Word {
    /// Matches the articles that contain the word (in any form).
    pub matching: Box<dyn Query>,
    /// Adds to the score of those articles (Snowball stems); never matches.
    pub scoring: Option<Box<dyn Query>>,
    /// A stopword: not required unless the query has nothing else.
    pub stopword: bool,
    /// What the word does in a question (see [`free_question_frames`]).
    pub question: QuestionRole,
    /// The word's term in each positional light field, for proximity.
    pub near: Vec<(Field, Term)>,
}

/// What a word does in a question (see [`analysis::questions`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum QuestionRole {
    #[default]
    None,
    /// Asks (ما، متى، أين): the query is a question when it comes first.
    Interrogative,
    /// Frames a question (ما **اسم**، أين **تقع**): not required in one.
    Frame,
}

impl QuestionRole {
    fn of(term: &str) -> QuestionRole {
        if questions::is_interrogative(term) {
            QuestionRole::Interrogative
        } else if questions::is_question_frame(term) {
            QuestionRole::Frame
        } else {
            QuestionRole::None
        }
    }
}

impl Matcher {
    /// A matcher for the schema's default search fields, with the analyzers
    /// registered in `tokenizers`.
    pub fn new(schema: &NewsSchema, tokenizers: &TokenizerManager) -> Matcher {
        let mut fields = Vec::new();
        for (field, boost) in schema.default_search_fields() {
            let entry = schema.schema.get_field_entry(field);
            let FieldType::Str(options) = entry.field_type() else {
                continue;
            };
            let Some(indexing) = options.get_indexing_options() else {
                continue;
            };
            let (Some(role), Some(analyzer)) = (
                Role::of(indexing.tokenizer()),
                tokenizers.get(indexing.tokenizer()),
            ) else {
                continue;
            };
            fields.push(SearchField {
                field,
                boost,
                role,
                positions: indexing.index_option().has_positions(),
                analyzer,
            });
        }
        Matcher {
            fields,
            exact: analysis::arabic(),
        }
    }

    /// The query for one word as the user typed it. A word that analysis
    /// splits in several tokens (a hyphenated or joined form) is searched as
    /// a phrase. `None` when nothing in it is searchable (punctuation).
    pub fn word(&mut self, text: &str) -> Option<Word> {
        let exact = analysis::tokens(&mut self.exact, text);
        match exact.len() {
            0 => None,
            1 => {
                let stopword = stopwords::is_stopword(&exact[0].term);
                let mut matching: Vec<(Term, f32)> = Vec::new();
                let mut scoring: Vec<(Term, f32)> = Vec::new();
                let mut near = Vec::new();
                for f in &mut self.fields {
                    let Some(token) = analysis::tokens(&mut f.analyzer, text).pop() else {
                        continue;
                    };
                    if f.role == Role::Light {
                        for sibling in inflection::siblings(&token.term, Lexicon::get()) {
                            let term = Term::from_field_text(f.field, &sibling);
                            matching.push((term, f.boost * SIBLING_BOOST));
                        }
                    }
                    let term = Term::from_field_text(f.field, &token.term);
                    if f.role == Role::Light && f.positions {
                        near.push((f.field, term.clone()));
                    }
                    match f.role {
                        Role::Scoring => scoring.push((term, f.boost)),
                        _ => matching.push((term, f.boost)),
                    }
                }
                if matching.is_empty() {
                    return None;
                }
                Some(Word {
                    matching: Box::new(AnyFieldQuery::new(matching)),
                    scoring: (!scoring.is_empty())
                        .then(|| Box::new(AnyFieldQuery::new(scoring)) as Box<dyn Query>),
                    stopword,
                    question: QuestionRole::of(&exact[0].term),
                    near,
                })
            }
            _ => self.phrase(text),
        }
    }

    /// The query for an exact phrase: its words in order, in the exact and
    /// light fields (so a phrase matches with clitics: لوزارة الدفاع).
    pub fn phrase(&mut self, text: &str) -> Option<Word> {
        let exact = analysis::tokens(&mut self.exact, text);
        if exact.is_empty() {
            return None;
        }
        if exact.len() == 1 {
            return self.word(text);
        }
        let all_stop = exact.iter().all(|t| stopwords::is_stopword(&t.term));
        let mut matching: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for f in &mut self.fields {
            if !f.positions || !matches!(f.role, Role::Exact | Role::Light) {
                continue;
            }
            let tokens = analysis::tokens(&mut f.analyzer, text);
            let first = tokens.first().map_or(0, |t| t.position);
            let terms: Vec<(usize, Term)> = tokens
                .iter()
                .map(|t| (t.position - first, Term::from_field_text(f.field, &t.term)))
                .collect();
            let query: Box<dyn Query> = match terms.len() {
                0 => continue,
                1 => Box::new(Bm25TermQuery::new(
                    terms.into_iter().next().expect("one term").1,
                )),
                _ => guarded(Box::new(PhraseQuery::new_with_offset(terms))),
            };
            matching.push((Occur::Should, Box::new(BoostQuery::new(query, f.boost))));
        }
        if matching.is_empty() {
            return None;
        }
        Some(Word {
            matching: Box::new(BooleanQuery::new(matching)),
            scoring: None,
            stopword: all_stop,
            question: QuestionRole::None,
            near: Vec::new(),
        })
    }
}

/// How [`combine`] treats articles that miss some required words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Articles with every required word first, then the others that have
    /// at least one, ranked below. The default ranking.
    Ranked,
    /// Only articles with every required word.
    AllRequired,
}

/// In a question, the words that frame it (ما **اسم**، كم **عدد**، أين
/// **تقع**) are not required: they ask for an attribute that the answering
/// passage often states without the word. They then count as stopwords: they
/// add to the score of articles that have them. A query is a question when
/// `question_mark` (it has one) or when an interrogative comes before its
/// first other word that is not a stopword (في أي عام…).
/// Returns whether the query is a question.
pub fn free_question_frames(words: &mut [Word], question_mark: bool) -> bool {
    let question = question_mark
        || words
            .iter()
            .take_while(|w| w.stopword || w.question == QuestionRole::Interrogative)
            .any(|w| w.question == QuestionRole::Interrogative);
    if question {
        for word in words
            .iter_mut()
            .filter(|w| w.question == QuestionRole::Frame)
        {
            word.stopword = true;
        }
    }
    question
}

/// Words in more than [`COMMON_WORD_FRACTION`] of the articles are not
/// required when the query has rarer ones: they count as stopwords (they
/// add to the score), as they do not decide the tier in [`Mode::Ranked`].
/// A headline's own article often lacks one of its common words.
pub fn free_common_words(words: &mut [Word], searcher: &Searcher) -> tantivy::Result<()> {
    let n = searcher.num_docs() as f64;
    let mut common = Vec::with_capacity(words.len());
    for w in words.iter() {
        let df = doc_freq(searcher, w.near.iter().map(|(_, t)| t))?;
        common.push(!w.stopword && df as f64 > COMMON_WORD_FRACTION * n);
    }
    if words.iter().zip(&common).any(|(w, c)| !w.stopword && !c) {
        for (w, c) in words.iter_mut().zip(common) {
            w.stopword |= c;
        }
    }
    Ok(())
}

/// A word's document frequency: the largest of its terms'.
fn doc_freq<'t>(
    searcher: &Searcher,
    terms: impl Iterator<Item = &'t Term>,
) -> tantivy::Result<u64> {
    let mut df = 0;
    for term in terms {
        df = df.max(searcher.doc_freq(term)?);
    }
    Ok(df)
}

/// Combines words into one query. `required` words are the ones the user
/// searches for (stopwords among them only add to the score); `excluded`
/// ones must not match. `None` when there is nothing to search for.
///
/// In [`Mode::Ranked`], scores tell the tiers apart: an article with every
/// required word scores `1 + s`, where `s` is its BM25 score; one with only
/// some scores `p / (1 + p)`, always below 1, where `p = s · (1 + c) / 2`
/// and `c` is the share of the required words' IDF that the article
/// matches. Without `c`, many repeats of one word outrank an article with
/// most of the words; with it, an article with more of the query gains
/// (coordination, as in classic Lucene, weighted so that rare words count
/// most). It only halves a score at worst: a headline's own article often
/// lacks one of its rarest words.
pub fn combine(required: Vec<Word>, excluded: Vec<Word>, mode: Mode) -> Option<Box<dyn Query>> {
    let all_stop = required.iter().all(|w| w.stopword);
    let (required, optional): (Vec<Word>, Vec<Word>) =
        required.into_iter().partition(|w| all_stop || !w.stopword);
    if required.is_empty() {
        return None;
    }
    let mut optional: Vec<Box<dyn Query>> = optional.into_iter().map(|w| w.matching).collect();
    optional.extend(proximity(&required));
    let query: Box<dyn Query> = match mode {
        Mode::Ranked => Box::new(TieredQuery {
            probes: required
                .iter()
                .map(|w| w.near.iter().map(|(_, t)| t.clone()).collect())
                .collect(),
            required: required
                .into_iter()
                .map(|w| (w.matching, w.scoring))
                .collect(),
            optional,
        }),
        Mode::AllRequired => {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for w in required {
                clauses.push((Occur::Must, w.matching));
                if let Some(s) = w.scoring {
                    clauses.push((Occur::Should, s));
                }
            }
            clauses.extend(optional.into_iter().map(|q| (Occur::Should, q)));
            Box::new(BooleanQuery::new(clauses))
        }
    };
    if excluded.is_empty() {
        return Some(query);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    clauses.extend(excluded.into_iter().map(|w| (Occur::MustNot, w.matching)));
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// Words next to each other in the query score more where they are next to
/// each other in the article (at most one word between them): a headline's
/// own article has its words in order.
fn proximity(words: &[Word]) -> Vec<Box<dyn Query>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    for pair in words.windows(2) {
        for (field, a) in &pair[0].near {
            let Some((_, b)) = pair[1].near.iter().find(|(f, _)| f == field) else {
                continue;
            };
            let phrase = PhraseQuery::new_with_offset_and_slop(
                vec![(0, a.clone()), (1, b.clone())],
                PROXIMITY_SLOP,
            );
            out.push(Box::new(BoostQuery::new(
                guarded(Box::new(phrase)),
                PROXIMITY_BOOST,
            )));
        }
    }
    out
}

/// Share of the articles above which a word does not decide the tier: a
/// word in most articles says little about which one is meant, as in
/// Lucene's common-terms queries. It still adds to the score.
const COMMON_WORD_FRACTION: f64 = 0.15;

/// Weight of a verb's other person or gender (see [`inflection`]) against
/// the form typed: تحد finds يحدها, below articles that say تحد.
const SIBLING_BOOST: f32 = 0.5;

/// Weight of an adjacent pair of query words found together.
const PROXIMITY_BOOST: f32 = 0.5;
/// Words allowed between the two words of a pair.
const PROXIMITY_SLOP: u32 = 1;

/// A required word: what matches it, and what only adds to its score.
type RequiredQuery = (Box<dyn Query>, Option<Box<dyn Query>>);
type RequiredScorer = (Box<dyn Scorer>, Option<Box<dyn Scorer>>);

/// Articles with every required word, then those with some (see [`combine`]).
struct TieredQuery {
    /// Each required word: what matches it, and what only adds to its score.
    required: Vec<RequiredQuery>,
    /// Each required word's light term, to tell common words (see
    /// [`COMMON_WORD_FRACTION`]) and weigh words for coordination.
    probes: Vec<Vec<Term>>,
    /// Words that add to the score of articles matched by required ones.
    optional: Vec<Box<dyn Query>>,
}

impl Clone for TieredQuery {
    fn clone(&self) -> Self {
        TieredQuery {
            probes: self.probes.clone(),
            required: self
                .required
                .iter()
                .map(|(m, s)| (m.box_clone(), s.as_ref().map(|s| s.box_clone())))
                .collect(),
            optional: self.optional.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl fmt::Debug for TieredQuery {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct("Tiered")
            .field("required", &self.required)
            .field("optional", &self.optional)
            .finish()
    }
}

impl Query for TieredQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut required = Vec::with_capacity(self.required.len());
        for (matching, extra) in &self.required {
            let extra = match extra {
                Some(q) if scoring.is_scoring_enabled() => Some(q.weight(scoring)?),
                _ => None,
            };
            required.push((matching.weight(scoring)?, extra));
        }
        let optional = if scoring.is_scoring_enabled() {
            self.optional
                .iter()
                .map(|q| q.weight(scoring))
                .collect::<tantivy::Result<_>>()?
        } else {
            Vec::new()
        };
        // A word in more than this share of the articles does not decide the
        // tier (like a stopword), unless every word is that common.
        let mut counted: Vec<bool> = vec![true; required.len()];
        let mut weights: Vec<Score> = vec![1.0; required.len()];
        if let Some(searcher) = scoring.searcher() {
            let n = searcher.num_docs() as f64;
            for (i, probe) in self.probes.iter().enumerate() {
                let df = doc_freq(searcher, probe.iter())?;
                counted[i] = df as f64 <= COMMON_WORD_FRACTION * n;
                weights[i] = idf(df as f64, n);
            }
            if !counted.iter().any(|c| *c) {
                counted.iter_mut().for_each(|c| *c = true);
            }
        }
        // Only the words that decide the tier take part in coordination.
        for (w, c) in weights.iter_mut().zip(&counted) {
            if !c {
                *w = 0.0;
            }
        }
        Ok(Box::new(TieredWeight {
            required,
            optional,
            counted,
            weights,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (matching, _) in &self.required {
            matching.query_terms(visitor);
        }
        for q in &self.optional {
            q.query_terms(visitor);
        }
    }
}

type RequiredWeight = (Box<dyn Weight>, Option<Box<dyn Weight>>);

struct TieredWeight {
    required: Vec<RequiredWeight>,
    optional: Vec<Box<dyn Weight>>,
    /// Whether each required word decides the tier.
    counted: Vec<bool>,
    /// Each required word's weight in coordination (its IDF; 0 when it
    /// does not decide the tier).
    weights: Vec<Score>,
}

impl Weight for TieredWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut required = Vec::with_capacity(self.required.len());
        for (matching, extra) in &self.required {
            let extra = match extra {
                Some(w) => Some(w.scorer(reader, boost)?),
                None => None,
            };
            required.push((matching.scorer(reader, boost)?, extra));
        }
        let optional = self
            .optional
            .iter()
            .map(|w| w.scorer(reader, boost))
            .collect::<tantivy::Result<_>>()?;
        let mut scorer = TieredScorer {
            required,
            optional,
            counted: self.counted.clone(),
            needed: self.counted.iter().filter(|c| **c).count(),
            weights: self.weights.clone(),
            total_weight: self.weights.iter().sum(),
            doc: 0,
            score: 0.0,
        };
        scorer.settle();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut explanation = Explanation::new(
            "all required words: 1 + bm25; some: p / (1 + p), p = bm25 × (1 + share of idf matched) / 2",
            scorer.score(),
        );
        // Each word's part of the BM25 sum, field by field.
        for (i, (matching, extra)) in self.required.iter().enumerate() {
            let Ok(mut word) = matching.explain(reader, doc) else {
                continue;
            };
            word.add_context(format!(
                "required word {} (coordination weight {:.3}{})",
                i + 1,
                self.weights[i],
                if self.counted[i] {
                    ""
                } else {
                    ", too common to decide the tier"
                }
            ));
            if let Some(Ok(extra)) = extra.as_ref().map(|w| w.explain(reader, doc)) {
                word.add_detail(extra);
            }
            explanation.add_detail(word);
        }
        for optional in &self.optional {
            if let Ok(mut part) = optional.explain(reader, doc) {
                part.add_context(
                    "a word not required (stopword, question frame) or adjacent words found close together"
                        .to_string(),
                );
                explanation.add_detail(part);
            }
        }
        Ok(explanation)
    }
}

/// The union of the required words' matches, scored by tier.
struct TieredScorer {
    required: Vec<RequiredScorer>,
    counted: Vec<bool>,
    needed: usize,
    weights: Vec<Score>,
    total_weight: Score,
    optional: Vec<Box<dyn Scorer>>,
    doc: DocId,
    score: Score,
}

/// Moves `scorer` to `doc` if it is behind; true when it is on `doc`.
fn reach(scorer: &mut dyn Scorer, doc: DocId) -> bool {
    if scorer.doc() < doc {
        scorer.seek(doc);
    }
    scorer.doc() == doc
}

impl TieredScorer {
    /// Positions on the smallest document any required word is on, and
    /// scores it.
    fn settle(&mut self) {
        self.doc = self
            .required
            .iter()
            .map(|(m, _)| m.doc())
            .min()
            .unwrap_or(TERMINATED);
        if self.doc == TERMINATED {
            return;
        }
        let doc = self.doc;
        let mut matched = 0;
        let mut covered = 0.0;
        let mut sum = 0.0;
        let words = self
            .required
            .iter_mut()
            .zip(&self.counted)
            .zip(&self.weights);
        for (((matching, extra), counted), weight) in words {
            if matching.doc() == doc {
                matched += usize::from(*counted);
                covered += weight;
                sum += matching.score();
                if let Some(extra) = extra {
                    if reach(extra.as_mut(), doc) {
                        sum += extra.score();
                    }
                }
            }
        }
        for opt in &mut self.optional {
            if reach(opt.as_mut(), doc) {
                sum += opt.score();
            }
        }
        self.score = if matched == self.needed {
            1.0 + sum
        } else {
            let partial = if self.total_weight > 0.0 {
                sum * (1.0 + covered / self.total_weight) / 2.0
            } else {
                sum
            };
            partial / (1.0 + partial)
        };
    }
}

impl DocSet for TieredScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let doc = self.doc;
        for (matching, _) in &mut self.required {
            if matching.doc() == doc {
                matching.advance();
            }
        }
        self.settle();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.required
            .iter()
            .map(|(m, _)| m.size_hint())
            .fold(0u32, u32::saturating_add)
    }
}

impl Scorer for TieredScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::schema::Value;
    use tantivy::TantivyDocument;

    use crate::index::NewsIndex;
    use crate::search::compile::build_with;

    use super::Mode;

    /// Indexes the bodies and returns (id, score) of a query's hits.
    fn search(bodies: &[&str], query: &str, mode: Mode) -> Vec<(String, f32)> {
        let index = NewsIndex::in_memory_of_bodies(bodies).unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let q = build_with(&index, &searcher, query, mode).unwrap();
        searcher
            .search(&q, &TopDocs::with_limit(100).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(score, address)| {
                let doc: TantivyDocument = searcher.doc(address).unwrap();
                let id = doc.get_first(index.schema.fields.id).unwrap();
                (id.as_str().unwrap().to_string(), score)
            })
            .collect()
    }

    fn filler(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("خبر رقم {i} عن الطقس")).collect()
    }

    #[test]
    fn every_word_first_then_partial_matches_below() {
        let mut bodies = vec![
            "بيرقدار بيرقدار بيرقدار بيرقدار في الأخبار".to_string(),
            "طائرات بيرقدار فوق باكو".to_string(),
            "زيارة إلى باكو".to_string(),
        ];
        bodies.extend(filler(20));
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let hits = search(&refs, "بيرقدار باكو", Mode::Ranked);
        assert_eq!(hits[0].0, "d1");
        assert!(hits[0].1 >= 1.0);
        assert_eq!(hits.len(), 3, "partial matches are retrieved: {hits:?}");
        assert!(hits[1..].iter().all(|h| h.1 < 1.0));
        let strict = search(&refs, "بيرقدار باكو", Mode::AllRequired);
        assert_eq!(strict.len(), 1);
    }

    #[test]
    fn stopwords_are_not_required() {
        let mut bodies = vec!["الحدود الشمالية".to_string()];
        bodies.extend(filler(5));
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let hits = search(&refs, "على الحدود", Mode::AllRequired);
        assert_eq!(hits.len(), 1);
    }

    #[test]
    fn a_word_in_most_articles_does_not_decide_the_tier() {
        // خبر is in every article; the one with باكو is a full match.
        let mut bodies = vec!["باكو اليوم".to_string()];
        bodies.extend(filler(20));
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let hits = search(&refs, "خبر باكو", Mode::Ranked);
        assert_eq!(hits[0].0, "d0");
        assert!(hits[0].1 >= 1.0, "{hits:?}");
    }

    #[test]
    fn a_word_in_most_articles_is_not_required_beside_a_rarer_one() {
        // خبر is in every article but d0: with every word required, d0
        // still matches باكو (خبر adds to the scores of those that have it).
        let mut bodies = vec!["باكو اليوم".to_string(), "خبر من باكو".to_string()];
        bodies.extend(filler(20));
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let mut ids: Vec<String> = search(&refs, "خبر باكو", Mode::AllRequired)
            .into_iter()
            .map(|h| h.0)
            .collect();
        ids.sort();
        assert_eq!(ids, ["d0", "d1"]);
        // A query of common words only keeps them all required.
        assert_eq!(search(&refs, "خبر الطقس", Mode::AllRequired).len(), 20);
    }

    #[test]
    fn partial_matches_with_more_of_the_query_rank_higher() {
        // No article has all three words. d0 repeats the rarest one; d1 has
        // the two others: it covers more of the query and ranks first.
        let mut bodies = vec![
            "بيرقدار بيرقدار بيرقدار بيرقدار بيرقدار في الأخبار".to_string(),
            "طائرات فوق باكو وأنقرة".to_string(),
            "زيارة إلى باكو".to_string(),
            "رحلة إلى أنقرة".to_string(),
            "وصول إلى باكو".to_string(),
            "سفر إلى أنقرة".to_string(),
        ];
        bodies.extend(filler(20));
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let hits = search(&refs, "بيرقدار باكو أنقرة", Mode::Ranked);
        assert_eq!(hits[0].0, "d1", "{hits:?}");
        assert!(hits.iter().all(|h| h.1 < 1.0), "{hits:?}");
    }

    #[test]
    fn words_close_together_rank_above_words_far_apart() {
        // Same words, same length; only the distance between them differs.
        let mut bodies = vec![
            "بيرقدار مطار ميناء جسر طريق باكو".to_string(),
            "مطار ميناء بيرقدار باكو جسر طريق".to_string(),
        ];
        bodies.extend(filler(10));
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let hits = search(&refs, "بيرقدار باكو", Mode::Ranked);
        let ids: Vec<&str> = hits.iter().map(|h| h.0.as_str()).collect();
        assert_eq!(ids, ["d1", "d0"], "{hits:?}");
        assert!(hits[0].1 > hits[1].1, "{hits:?}");
    }

    #[test]
    fn question_words_are_not_required() {
        let mut bodies = vec!["عرف بيرقدار بالطائرات".to_string()];
        bodies.extend(filler(5));
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        for query in [
            "بماذا عرف بيرقدار",
            "متي عرف بيرقدار",
            "لمن عرف بيرقدار",
            "بأي عرف بيرقدار",
        ] {
            let hits = search(&refs, query, Mode::AllRequired);
            assert_eq!(hits.len(), 1, "{query}: {hits:?}");
        }
    }

    #[test]
    fn question_frame_words_are_not_required_in_a_question() {
        let mut bodies = vec![
            "بلجيكا دولة على بحر الشمال".to_string(),
            "عدد سكان بلجيكا أحد عشر مليونا".to_string(),
            "سكان بلجيكا أحد عشر مليونا".to_string(),
        ];
        bodies.extend(filler(10));
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        // أين تقع: the answer does not say تقع.
        for query in ["أين تقع بلجيكا", "تقع بلجيكا؟", "على أي بحر تقع بلجيكا"]
        {
            let hits = search(&refs, query, Mode::AllRequired);
            assert!(hits.iter().any(|h| h.0 == "d0"), "{query}: {hits:?}");
        }
        // Not a question: every word is required.
        assert!(search(&refs, "تقع بلجيكا", Mode::AllRequired).is_empty());
        // A frame word still adds to the score of the articles that have it.
        let hits = search(&refs, "كم عدد سكان بلجيكا", Mode::AllRequired);
        let ids: Vec<&str> = hits.iter().map(|h| h.0.as_str()).collect();
        assert_eq!(ids, ["d1", "d2"], "{hits:?}");
    }

    #[test]
    fn a_verbs_other_persons_match_below_the_form_typed() {
        let mut bodies = vec![
            "سوريا يحدها من الشمال تركيا".to_string(),
            "الدولة التي تحد سوريا من الشمال".to_string(),
        ];
        bodies.extend(filler(10));
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let hits = search(&refs, "تحد سوريا", Mode::AllRequired);
        let ids: Vec<&str> = hits.iter().map(|h| h.0.as_str()).collect();
        assert_eq!(ids, ["d1", "d0"], "{hits:?}");
        // Names are not verbs: تونس does not find يونس.
        let names = ["يونس في المدينة", "تونس في المدينة"];
        let hits = search(&names, "تونس", Mode::Ranked);
        let ids: Vec<&str> = hits.iter().map(|h| h.0.as_str()).collect();
        assert_eq!(ids, ["d1"], "{hits:?}");
    }

    #[test]
    fn excluded_words_remove_articles() {
        let bodies = ["بيرقدار في باكو", "بيرقدار في أنقرة"];
        let hits = search(&bodies, "بيرقدار -باكو", Mode::Ranked);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, "d1");
    }

    #[test]
    fn variant_matches_rank_below_exact_ones() {
        let bodies = ["طائرات بايراكتار", "طائرات بيرقدار", "أخبار أخرى"];
        let hits = search(&bodies, "بيرقدار", Mode::Ranked);
        let ids: Vec<&str> = hits.iter().map(|h| h.0.as_str()).collect();
        assert_eq!(ids, ["d1", "d0"]);
    }
}
