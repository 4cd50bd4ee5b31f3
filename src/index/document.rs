//! A tagged [`Article`] → a tantivy document, following the schema file.

use tantivy::schema::{Field, FieldType, Schema};
use tantivy::TantivyDocument;

use super::schema::NewsSchema;
use crate::analysis::preanalyzed::{self, Analyzed, Preanalyzer};
use crate::archive::Article;
use crate::entities::{Entities, Tagger, Tokens};

/// Builds the index document of an article and its entities, for a writer
/// whose tokenizers are the analyzers themselves ([`crate::analysis::register`]).
pub fn to_document(schema: &NewsSchema, article: &Article, entities: &Entities) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    for (field, text) in text_values(schema, article, entities) {
        doc.add_text(field, text);
    }
    add_date(schema, article, &mut doc);
    doc
}

/// Working space of [`to_indexing_document`], kept by a thread from one
/// article to the next (of one schema).
#[derive(Default)]
pub struct Preanalysis {
    analyzer: Preanalyzer,
    analyzed: Vec<Analyzed>,
    /// By field id: the field's analyzer's place in [`preanalyzed::AHEAD`].
    ahead: Vec<Option<usize>>,
}

/// An article with its entities, and the tokens the tagger made of its
/// texts, from which the index takes the analyzed terms: each text is
/// tokenized once.
pub struct Tagged<'a> {
    pub article: &'a Article,
    pub entities: Entities,
    /// One per text of [`tagged_texts`], or none when tagging is off.
    tokens: &'a [Tokens],
}

/// The texts of an article that are tagged: the title, then the body.
pub fn tagged_texts(article: &Article) -> Vec<&str> {
    article
        .title
        .as_deref()
        .into_iter()
        .chain(std::iter::once(article.body.as_str()))
        .collect()
}

/// Tags an article; `tokens` is working space, kept from one article to
/// the next.
pub fn tag<'a>(tagger: &Tagger, article: &'a Article, tokens: &'a mut Vec<Tokens>) -> Tagged<'a> {
    let entities = tagger.tag_tokens(&tagged_texts(article), tokens);
    Tagged {
        article,
        entities,
        tokens,
    }
}

impl Tagged<'_> {
    /// The tokens of `text` if it is one of the tagged texts (the same
    /// string, not only the same words).
    fn tokens_of(&self, text: &str) -> Option<&Tokens> {
        if self.tokens.is_empty() {
            return None;
        }
        let k = tagged_texts(self.article)
            .iter()
            .position(|t| std::ptr::eq(*t, text))?;
        self.tokens.get(k)
    }
}

/// Builds the index document of a tagged article, for a writer whose
/// tokenizers come from [`crate::analysis::register_for_writing`]: the
/// values of fields analyzed by one of [`preanalyzed::AHEAD`] carry their
/// terms, computed here from the tagger's tokens or, for a text the tagger
/// did not read, tokenized once. Returns the document and the bytes of text
/// it holds.
pub fn to_indexing_document(
    schema: &NewsSchema,
    tagged: &Tagged,
    work: &mut Preanalysis,
) -> (TantivyDocument, usize) {
    let (article, entities) = (tagged.article, &tagged.entities);
    let values = text_values(schema, article, entities);
    if work.ahead.is_empty() {
        work.ahead = schema
            .schema
            .fields()
            .map(|(field, _)| analyzer_of(&schema.schema, field).and_then(preanalyzed::ahead))
            .collect();
    }
    // The distinct texts that some analyzer of AHEAD reads, with the
    // analyzers that read each.
    let mut texts: Vec<(&str, [bool; 4])> = Vec::new();
    let slots: Vec<Option<usize>> = values
        .iter()
        .map(|&(field, text)| {
            let slot = work.ahead[field.field_id() as usize]?;
            let i = match texts.iter().position(|(t, _)| std::ptr::eq(*t, text)) {
                Some(i) => i,
                None => {
                    texts.push((text, [false; 4]));
                    texts.len() - 1
                }
            };
            texts[i].1[slot] = true;
            Some(i)
        })
        .collect();
    if work.analyzed.len() < texts.len() {
        work.analyzed.resize_with(texts.len(), Analyzed::default);
    }
    for (&(text, wanted), out) in texts.iter().zip(&mut work.analyzed) {
        match tagged.tokens_of(text) {
            Some(tokens) => work.analyzer.analyze_terms(tokens.terms(), wanted, out),
            None => work.analyzer.analyze(text, wanted, out),
        }
    }

    let mut doc = TantivyDocument::default();
    let mut bytes = 0;
    for (&(field, text), slot) in values.iter().zip(slots) {
        let value = match slot {
            Some(i) => {
                let slot = work.ahead[field.field_id() as usize].expect("an analyzer ahead");
                work.analyzed[i].get(slot)
            }
            None => text,
        };
        bytes += value.len();
        doc.add_text(field, value);
    }
    add_date(schema, article, &mut doc);
    (doc, bytes)
}

/// The analyzer of a text field.
fn analyzer_of(schema: &Schema, field: Field) -> Option<&str> {
    match schema.get_field_entry(field).field_type() {
        FieldType::Str(options) => options.get_indexing_options().map(|o| o.tokenizer()),
        _ => None,
    }
}

/// Every text and keyword value of the document, copies included.
fn text_values<'a>(
    schema: &NewsSchema,
    article: &'a Article,
    entities: &'a Entities,
) -> Vec<(Field, &'a str)> {
    let f = &schema.fields;
    let mut values = vec![
        (f.id, article.id.as_str()),
        (f.body, article.body.as_str()),
        (f.path, article.path.as_str()),
    ];
    let optional = [
        (f.title, &article.title),
        (f.source, &article.source),
        (f.category, &article.category),
        (f.url, &article.url),
        (f.author, &article.author),
    ];
    for (field, value) in optional {
        if let Some(value) = value {
            values.push((field, value.as_str()));
        }
    }
    for (field, entity_values) in [
        (f.countries, &entities.countries),
        (f.places, &entities.places),
        (f.actors, &entities.actors),
    ] {
        for value in entity_values {
            values.push((field, value.as_str()));
        }
    }
    for (target, source) in schema.copies() {
        let text = if source == f.title {
            article.title.as_deref()
        } else if source == f.body {
            Some(article.body.as_str())
        } else if source == f.author {
            article.author.as_deref()
        } else {
            None
        };
        if let Some(text) = text {
            values.push((target, text));
        }
    }
    values
}

fn add_date(schema: &NewsSchema, article: &Article, doc: &mut TantivyDocument) {
    if let Some(date) = article.date {
        doc.add_date(schema.fields.date, date);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis;
    use crate::archive;
    use tantivy::postings::Postings;
    use tantivy::schema::{Document as _, IndexRecordOption};
    use tantivy::tokenizer::TokenizerManager;
    use tantivy::{DocSet, Index, IndexWriter, TERMINATED};

    /// The articles of the bundled sample archives.
    fn sample() -> Vec<Article> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/archive");
        let mut files: Vec<_> = walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        files.sort();
        let mut articles = Vec::new();
        for path in files {
            let rel = path.display().to_string();
            archive::read_file(&path, &rel, &mut |record| {
                if let Ok(article) = record {
                    articles.push(article);
                }
            })
            .unwrap();
        }
        articles
    }

    /// A document, its field norm, and the term's positions in it (or its
    /// frequency, for a field without positions).
    type Posting = (u32, u32, Vec<u32>);

    /// Every term of every indexed field (field id, term bytes), with its
    /// postings.
    fn contents(index: &Index) -> Vec<(u32, Vec<u8>, Vec<Posting>)> {
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let segment = &searcher.segment_readers()[0];
        let schema = index.schema();
        let mut out = Vec::new();
        for (field, entry) in schema.fields() {
            if !entry.is_indexed() {
                continue;
            }
            let inverted = segment.inverted_index(field).unwrap();
            let norms = entry
                .has_fieldnorms()
                .then(|| segment.get_fieldnorms_reader(field).unwrap());
            let mut terms = inverted.terms().stream().unwrap();
            while terms.advance() {
                let mut postings = inverted
                    .read_postings_from_terminfo(
                        terms.value(),
                        IndexRecordOption::WithFreqsAndPositions,
                    )
                    .unwrap();
                let mut docs = Vec::new();
                let mut positions = Vec::new();
                while postings.doc() != TERMINATED {
                    let doc = postings.doc();
                    postings.positions(&mut positions);
                    if positions.is_empty() {
                        positions.push(postings.term_freq());
                    }
                    let norm = norms.as_ref().map_or(0, |n| n.fieldnorm_id(doc) as u32);
                    docs.push((doc, norm, positions.clone()));
                    postings.advance();
                }
                out.push((field.field_id(), terms.key().to_vec(), docs));
            }
        }
        out
    }

    fn build(
        schema: &NewsSchema,
        tokenizers: TokenizerManager,
        docs: Vec<TantivyDocument>,
    ) -> Index {
        let mut index = Index::create_in_ram(schema.schema.clone());
        index.set_tokenizers(tokenizers);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
        for doc in docs {
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        index
    }

    /// Terms computed ahead and replayed make the same index, stored text
    /// included, as the analyzers run by the writer: whether they come from
    /// the tagger's tokens or from tokenizing the texts here.
    #[test]
    fn indexing_documents_index_exactly_what_the_analyzers_make() {
        let schema = NewsSchema::builtin().unwrap();
        let articles = sample();
        assert!(articles.len() > 100, "{} sample articles", articles.len());
        let gazetteer = crate::entities::Gazetteer::builtin().unwrap();
        for tagger in [Tagger::new(gazetteer.clone()), Tagger::disabled(gazetteer)] {
            let mut tokens = vec![Vec::new(); articles.len()];
            let tagged: Vec<Tagged> = articles
                .iter()
                .zip(&mut tokens)
                .map(|(a, tokens)| tag(&tagger, a, tokens))
                .collect();
            let tokenized = tagged.iter().filter(|t| !t.tokens.is_empty()).count();
            let tagging = !tagged.iter().all(|t| t.entities == Entities::default());
            assert_eq!(tokenized > 0, tagging, "tokens when tagging, only then");

            let plain = TokenizerManager::default();
            analysis::register(&plain);
            let docs = tagged
                .iter()
                .map(|t| to_document(&schema, t.article, &t.entities))
                .collect();
            let expected = build(&schema, plain, docs);

            let writing = TokenizerManager::default();
            analysis::register_for_writing(&writing);
            let mut work = Preanalysis::default();
            let docs = tagged
                .iter()
                .map(|t| to_indexing_document(&schema, t, &mut work).0)
                .collect();
            let actual = build(&schema, writing, docs);

            let (expected_terms, actual_terms) = (contents(&expected), contents(&actual));
            assert!(expected_terms.len() > 10_000);
            assert_eq!(expected_terms.len(), actual_terms.len());
            for (e, a) in expected_terms.iter().zip(&actual_terms) {
                assert_eq!(e, a, "term {:?}", String::from_utf8_lossy(&e.1));
            }
            let stored = |index: &Index| -> Vec<String> {
                let searcher = index.reader().unwrap().searcher();
                (0..searcher.num_docs() as u32)
                    .map(|doc| {
                        let doc: TantivyDocument =
                            searcher.doc(tantivy::DocAddress::new(0, doc)).unwrap();
                        doc.to_json(&schema.schema)
                    })
                    .collect()
            };
            assert_eq!(stored(&expected), stored(&actual));
        }
    }
}
