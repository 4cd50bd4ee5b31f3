//! One term scored by BM25 with this engine's own parameters.
//!
//! tantivy scores a term with k1 = 1.2 and b = 0.75, fixed. Query words are
//! scored here instead with a faster saturation ([`K1`]) and a stronger
//! length normalization ([`LENGTH_NORMALIZATION`]): a query word met again
//! and again says less than one more of the query's words, and a word met in
//! a short article or passage says more than the same count in a long one
//! that collects matches by its length alone (a wire story with all its
//! background paragraphs).

use std::fmt;
use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25StatisticsProvider, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Term frequency saturation (tantivy and Lucene: 1.2).
pub const K1: Score = 1.0;

/// Length normalization: 0 ignores an article's length, 1 divides the term
/// frequency by the length relative to the average (tantivy and Lucene:
/// 0.75). With [`K1`], measured on both relevance sets (see README,
/// "Relevance"): k1 0.9–1.1 × b 0.8–0.9 all ranked better than tantivy's
/// pair; this is the middle of that range.
pub const LENGTH_NORMALIZATION: Score = 0.85;

/// A term query scored by BM25 with [`K1`] and [`LENGTH_NORMALIZATION`].
#[derive(Clone)]
pub struct Bm25TermQuery {
    term: Term,
}

impl Bm25TermQuery {
    pub fn new(term: Term) -> Bm25TermQuery {
        Bm25TermQuery { term }
    }
}

impl fmt::Debug for Bm25TermQuery {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Bm25Term({:?})", self.term)
    }
}

/// Inverse document frequency as BM25 computes it.
pub fn idf(doc_freq: f64, docs: f64) -> Score {
    (1.0 + (docs - doc_freq + 0.5) / (doc_freq + 0.5)).ln() as Score
}

impl Bm25TermQuery {
    fn term_weight(&self, scoring: &EnableScoring<'_>) -> tantivy::Result<Bm25TermWeight> {
        let (idf, average) = match *scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => statistics(statistics_provider, &self.term)?,
            EnableScoring::Disabled { .. } => (0.0, 1.0),
        };
        let mut norms = [0.0; 256];
        for (id, norm) in norms.iter_mut().enumerate() {
            let length = FieldNormReader::id_to_fieldnorm(id as u8) as Score;
            *norm = K1 * (1.0 - LENGTH_NORMALIZATION + LENGTH_NORMALIZATION * length / average);
        }
        Ok(Bm25TermWeight {
            term: self.term.clone(),
            idf,
            average,
            norms: Arc::new(norms),
        })
    }
}

impl Query for Bm25TermQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.term_weight(&scoring)?))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.term, false);
    }
}

/// The term's IDF and its field's average length.
fn statistics(stats: &dyn Bm25StatisticsProvider, term: &Term) -> tantivy::Result<(Score, Score)> {
    let docs = stats.total_num_docs()?;
    let tokens = stats.total_num_tokens(term.field())?;
    let average = if docs == 0 {
        1.0
    } else {
        (tokens as Score / docs as Score).max(1.0)
    };
    Ok((idf(stats.doc_freq(term)? as f64, docs as f64), average))
}

struct Bm25TermWeight {
    term: Term,
    idf: Score,
    average: Score,
    /// `k1 · (1 − b + b · length / average)` for each encoded field length.
    norms: Arc<[Score; 256]>,
}

impl Bm25TermWeight {
    fn postings(&self, reader: &SegmentReader) -> tantivy::Result<Option<SegmentPostings>> {
        Ok(reader
            .inverted_index(self.term.field())?
            .read_postings(&self.term, IndexRecordOption::WithFreqs)?)
    }

    fn score(&self, boost: Score, norm_id: u8, freq: u32) -> Score {
        let tf = freq as Score;
        boost * self.idf * tf * (K1 + 1.0) / (tf + self.norms[norm_id as usize])
    }

    /// The scorer of one segment, `None` when the term is not in it.
    fn term_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<Bm25TermScorer>> {
        let Some(postings) = self.postings(reader)? else {
            return Ok(None);
        };
        Ok(Some(Bm25TermScorer {
            postings,
            norms: reader.get_fieldnorms_reader(self.term.field())?,
            weight: Bm25Parts {
                idf: self.idf * boost,
                norms: Arc::clone(&self.norms),
            },
        }))
    }
}

impl Weight for Bm25TermWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.term_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut postings = self.postings(reader)?;
        let found = postings.as_mut().is_some_and(|p| p.seek(doc) == doc);
        let (Some(postings), true) = (postings, found) else {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not contain the term"
            )));
        };
        let freq = postings.term_freq();
        let norms = reader.get_fieldnorms_reader(self.term.field())?;
        let id = norms.fieldnorm_id(doc);
        let mut explanation = Explanation::new_with_string(
            format!(
                "bm25 of {}:{}: idf × freq × (k1 + 1) / (freq + k1 × (1 − b + b × dl / avgdl))",
                reader.schema().get_field_name(self.term.field()),
                self.term.value().as_str().unwrap_or_default()
            ),
            self.score(1.0, id, freq),
        );
        explanation.add_const("idf", self.idf);
        explanation.add_const("freq, occurrences of term within document", freq as Score);
        explanation.add_const("k1, term saturation parameter", K1);
        explanation.add_const("b, length normalization parameter", LENGTH_NORMALIZATION);
        explanation.add_const(
            "dl, length of field",
            FieldNormReader::id_to_fieldnorm(id) as Score,
        );
        explanation.add_const("avgdl, average length of field", self.average);
        Ok(explanation)
    }
}

/// What a scorer needs of its weight, boost applied.
struct Bm25Parts {
    idf: Score,
    norms: Arc<[Score; 256]>,
}

struct Bm25TermScorer {
    postings: SegmentPostings,
    norms: FieldNormReader,
    weight: Bm25Parts,
}

impl DocSet for Bm25TermScorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for Bm25TermScorer {
    fn score(&mut self) -> Score {
        let tf = self.postings.term_freq() as Score;
        let id = self.norms.fieldnorm_id(self.postings.doc());
        self.weight.idf * tf * (K1 + 1.0) / (tf + self.weight.norms[id as usize])
    }
}

/// One word in any of its fields: the sum of each field term's BM25 times
/// the field's boost, over the terms an article has. The same as a boolean
/// OR of boosted [`Bm25TermQuery`]s, in one scorer: a word is looked up in
/// up to a dozen fields and forms, and merging them here costs less than
/// tantivy's general union of boxed scorers.
#[derive(Clone)]
pub struct AnyFieldQuery {
    terms: Vec<(Term, Score)>,
}

impl AnyFieldQuery {
    /// `terms`: each field's term with the field's boost.
    pub fn new(terms: Vec<(Term, Score)>) -> AnyFieldQuery {
        AnyFieldQuery { terms }
    }
}

impl fmt::Debug for AnyFieldQuery {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_list().entries(&self.terms).finish()
    }
}

impl Query for AnyFieldQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut terms = Vec::with_capacity(self.terms.len());
        for (term, boost) in &self.terms {
            let weight = Bm25TermQuery::new(term.clone()).term_weight(&scoring)?;
            terms.push((weight, *boost));
        }
        Ok(Box::new(AnyFieldWeight { terms }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in &self.terms {
            visitor(term, false);
        }
    }
}

struct AnyFieldWeight {
    terms: Vec<(Bm25TermWeight, Score)>,
}

impl Weight for AnyFieldWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.terms.len());
        for (weight, field_boost) in &self.terms {
            if let Some(scorer) = weight.term_scorer(reader, boost * field_boost)? {
                scorers.push(scorer);
            }
        }
        if scorers.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        let mut scorer = AnyFieldScorer { scorers, doc: 0 };
        scorer.settle();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut total = 0.0;
        let mut parts = Vec::new();
        for (weight, boost) in &self.terms {
            if let Ok(part) = weight.explain(reader, doc) {
                let mut boosted = Explanation::new_with_string(
                    format!("× field boost {boost}"),
                    part.value() * boost,
                );
                total += part.value() * boost;
                boosted.add_detail(part);
                parts.push(boosted);
            }
        }
        if parts.is_empty() {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not contain the word"
            )));
        }
        let mut explanation = Explanation::new("sum over the fields that have the word", total);
        for part in parts {
            explanation.add_detail(part);
        }
        Ok(explanation)
    }
}

/// The union of a word's field terms, in document order.
struct AnyFieldScorer {
    scorers: Vec<Bm25TermScorer>,
    doc: DocId,
}

impl AnyFieldScorer {
    fn settle(&mut self) -> DocId {
        self.doc = self
            .scorers
            .iter()
            .map(|s| s.doc())
            .min()
            .unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for AnyFieldScorer {
    fn advance(&mut self) -> DocId {
        let doc = self.doc;
        for scorer in &mut self.scorers {
            if scorer.doc() == doc {
                scorer.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        for scorer in &mut self.scorers {
            if scorer.doc() < target {
                scorer.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|s| s.size_hint())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for AnyFieldScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut sum = 0.0;
        for scorer in &mut self.scorers {
            if scorer.doc() == doc {
                sum += scorer.score();
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::Query;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, DocAddress, Index, Term};

    use super::*;

    /// BM25 of one occurrence in a field of `length` words.
    fn expected(idf: Score, length: Score, average: Score) -> Score {
        idf * (K1 + 1.0)
            / (1.0 + K1 * (1.0 - LENGTH_NORMALIZATION + LENGTH_NORMALIZATION * length / average))
    }

    #[test]
    fn scores_follow_the_formula_with_this_length_normalization() {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let long = format!("a {}", vec!["x"; 19].join(" "));
        for body in ["a b c d", long.as_str(), "b c", "c d"] {
            writer.add_document(doc!(text => body)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let query = Bm25TermQuery::new(Term::from_field_text(text, "a"));
        let hits = searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        let idf = idf(2.0, 4.0);
        let average = (4 + 20 + 2 + 2) as Score / 4.0;
        assert_eq!(hits.len(), 2);
        let score = |doc: u32| {
            hits.iter()
                .find(|(_, a)| *a == DocAddress::new(0, doc))
                .unwrap()
                .0
        };
        assert!((score(0) - expected(idf, 4.0, average)).abs() < 1e-4);
        assert!((score(1) - expected(idf, 20.0, average)).abs() < 1e-4);
        // The short article ranks first, by more than tantivy's b = 0.75 puts it.
        let ratio_075 = (1.0 + K1 * (0.25 + 0.75 * 20.0 / average))
            / (1.0 + K1 * (0.25 + 0.75 * 4.0 / average));
        assert!(score(0) / score(1) > ratio_075);
        // The explanation gives the same score.
        let weight = query
            .weight(tantivy::query::EnableScoring::enabled_from_searcher(
                &searcher,
            ))
            .unwrap();
        let explained = weight.explain(searcher.segment_reader(0), 1).unwrap();
        assert!((explained.value() - score(1)).abs() < 1e-6);
        assert!(explained.to_pretty_json().contains("bm25 of text:a"));
        assert!(weight.explain(searcher.segment_reader(0), 2).is_err());
    }

    #[test]
    fn a_word_in_any_field_scores_as_the_or_of_its_boosted_terms() {
        use tantivy::query::{BooleanQuery, BoostQuery, Occur};
        let mut builder = Schema::builder();
        let title = builder.add_text_field("title", TEXT);
        let body = builder.add_text_field("body", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (t, b) in [
            ("a b", "a c d"),
            ("c", "a a e"),
            ("a", "e f"),
            ("e", "f g h"),
        ] {
            writer.add_document(doc!(title => t, body => b)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let terms = vec![
            (Term::from_field_text(title, "a"), 2.0),
            (Term::from_field_text(body, "a"), 1.0),
            (Term::from_field_text(body, "zzz"), 1.0),
        ];
        let any = AnyFieldQuery::new(terms.clone());
        let or = BooleanQuery::new(
            terms
                .into_iter()
                .map(|(t, b)| {
                    let q: Box<dyn Query> =
                        Box::new(BoostQuery::new(Box::new(Bm25TermQuery::new(t)), b));
                    (Occur::Should, q)
                })
                .collect(),
        );
        let top = |q: &dyn Query| {
            let mut hits = searcher
                .search(q, &TopDocs::with_limit(10).order_by_score())
                .unwrap();
            hits.sort_by_key(|(_, a)| a.doc_id);
            hits
        };
        let (a, b) = (top(&any), top(&or));
        assert_eq!(a.len(), 3);
        assert_eq!(a.len(), b.len());
        for ((x, dx), (y, dy)) in a.iter().zip(&b) {
            assert_eq!(dx, dy);
            assert!((x - y).abs() < 1e-5, "{a:?} {b:?}");
        }
        let weight = any
            .weight(tantivy::query::EnableScoring::enabled_from_searcher(
                &searcher,
            ))
            .unwrap();
        let explained = weight.explain(searcher.segment_reader(0), 0).unwrap();
        assert!((explained.value() - a[0].0).abs() < 1e-5);
        assert!(weight.explain(searcher.segment_reader(0), 3).is_err());
    }
}
