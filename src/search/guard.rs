//! A query wrapper for explanations of phrase queries.
//!
//! tantivy's phrase weights explain a document by seeking a fresh scorer to
//! it, which asserts (in debug builds) when the phrase's first match comes
//! after that document, as it does for an optional phrase the document
//! lacks. [`Guarded`] answers "does not match" first; scoring goes straight
//! to the inner query's scorer.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term};

/// `query`, with explanations that are safe for documents it does not match.
pub fn guarded(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(Guarded(query))
}

#[derive(Debug)]
struct Guarded(Box<dyn Query>);

impl Clone for Guarded {
    fn clone(&self) -> Guarded {
        Guarded(self.0.box_clone())
    }
}

impl Query for Guarded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(GuardedWeight(self.0.weight(scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct GuardedWeight(Box<dyn Weight>);

impl Weight for GuardedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.0.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.0.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        self.0.explain(reader, doc)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::query::PhraseQuery;
    use tantivy::tokenizer::TokenStream;
    use tantivy::DocAddress;

    use super::*;
    use crate::index::NewsIndex;

    #[test]
    fn a_phrase_explains_only_the_documents_it_matches() {
        let bodies = ["سقط المطر", "قال الرئيس كلاما", "وصل الرئيس الروسي"];
        let index = NewsIndex::in_memory_of_bodies(&bodies).unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let field = index.schema.fields.body;
        let mut analyzer = index.index.tokenizer_for_field(field).unwrap();
        let mut terms = Vec::new();
        analyzer
            .token_stream("الرئيس الروسي")
            .process(&mut |t| terms.push(Term::from_field_text(field, &t.text)));
        let phrase = PhraseQuery::new(terms);
        let query = guarded(Box::new(phrase));
        // d0 comes before the phrase's only match (d2), d1 too.
        for doc in 0..2 {
            assert!(query.explain(&searcher, DocAddress::new(0, doc)).is_err());
        }
        let matched = query.explain(&searcher, DocAddress::new(0, 2)).unwrap();
        assert!(matched.value() > 0.0);
    }
}
