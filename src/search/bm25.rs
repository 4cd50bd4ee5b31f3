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

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25StatisticsProvider, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

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

impl Query for Bm25TermQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let (idf, average) = match scoring {
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
        Ok(Box::new(Bm25TermWeight {
            term: self.term.clone(),
            idf,
            average,
            norms: Box::new(norms),
        }))
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
    norms: Box<[Score; 256]>,
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
}

impl Weight for Bm25TermWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let Some(postings) = self.postings(reader)? else {
            return Ok(Box::new(EmptyScorer));
        };
        let norms = reader.get_fieldnorms_reader(self.term.field())?;
        Ok(Box::new(Bm25TermScorer {
            postings,
            norms,
            weight: Bm25Parts {
                idf: self.idf * boost,
                norms: self.norms.clone(),
            },
        }))
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
                "bm25 of {:?}: idf × freq × (k1 + 1) / (freq + k1 × (1 − b + b × dl / avgdl))",
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
    norms: Box<[Score; 256]>,
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
        assert!(weight.explain(searcher.segment_reader(0), 2).is_err());
    }
}
