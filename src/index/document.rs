//! A tagged [`Article`] → a tantivy document, following the schema file.

use tantivy::TantivyDocument;

use super::schema::NewsSchema;
use crate::archive::Article;
use crate::entities::Entities;

/// Builds the index document of an article and its entities.
pub fn to_document(schema: &NewsSchema, article: &Article, entities: &Entities) -> TantivyDocument {
    let f = &schema.fields;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &article.id);
    doc.add_text(f.body, &article.body);
    doc.add_text(f.path, &article.path);
    let optional = [
        (f.title, &article.title),
        (f.source, &article.source),
        (f.category, &article.category),
        (f.url, &article.url),
        (f.author, &article.author),
    ];
    for (field, value) in optional {
        if let Some(value) = value {
            doc.add_text(field, value);
        }
    }
    if let Some(date) = article.date {
        doc.add_date(f.date, date);
    }
    for (field, values) in [
        (f.countries, &entities.countries),
        (f.places, &entities.places),
        (f.actors, &entities.actors),
    ] {
        for value in values {
            doc.add_text(field, value);
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
            doc.add_text(target, text);
        }
    }
    doc
}
