//! The index schema, read from `index-schema/news.toml`.
//!
//! The TOML file is the only description of the fields: it is compiled into
//! the binary and turned into a tantivy [`Schema`] here. Code that needs a
//! field looks it up by name through [`NewsSchema`], which checks once, at
//! start-up, that the file defines every field the code relies on.

use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TextFieldIndexing,
    TextOptions,
};

use crate::analysis;

/// The schema file as shipped, compiled into the binary.
pub const SCHEMA_TOML: &str = include_str!("../../index-schema/news.toml");

/// One field as declared in the schema file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldKind,
    pub analyzer: Option<String>,
    #[serde(default)]
    pub stored: bool,
    #[serde(default)]
    pub indexed: bool,
    #[serde(default)]
    pub positions: bool,
    #[serde(default)]
    pub fast: bool,
    pub facet: Option<String>,
    pub copy_from: Option<String>,
    pub boost: Option<f32>,
}

/// The value types a field may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    String,
    Date,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaFile {
    version: u32,
    fields: Vec<FieldSpec>,
}

/// The parsed schema: the declarations, the tantivy schema built from them,
/// and handles to the fields the code uses by name.
#[derive(Debug, Clone)]
pub struct NewsSchema {
    pub version: u32,
    /// Hash of the schema file's text, so an edited file without a version
    /// bump is still caught when an old index is opened.
    pub hash: String,
    pub specs: Vec<FieldSpec>,
    pub schema: Schema,
    pub fields: Fields,
}

/// Handles to the fields that indexing and search refer to directly.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub body: Field,
    pub date: Field,
    pub source: Field,
    pub category: Field,
    pub url: Field,
    pub author: Field,
    pub path: Field,
    pub actors: Field,
    pub places: Field,
    pub countries: Field,
}

impl NewsSchema {
    /// The schema compiled into this binary.
    pub fn builtin() -> Result<NewsSchema> {
        NewsSchema::parse(SCHEMA_TOML).context("the built-in index-schema/news.toml is invalid")
    }

    /// Parses and validates a schema file.
    pub fn parse(text: &str) -> Result<NewsSchema> {
        let file: SchemaFile = toml::from_str(text).context("cannot parse the schema file")?;
        let mut builder = Schema::builder();
        for spec in &file.fields {
            validate(spec, &file.fields)?;
            match spec.kind {
                FieldKind::Text | FieldKind::String => {
                    builder.add_text_field(&spec.name, text_options(spec));
                }
                FieldKind::Date => {
                    let mut options =
                        DateOptions::default().set_precision(DateTimePrecision::Seconds);
                    if spec.stored {
                        options = options.set_stored();
                    }
                    if spec.indexed {
                        options = options.set_indexed();
                    }
                    if spec.fast {
                        options = options.set_fast();
                    }
                    builder.add_date_field(&spec.name, options);
                }
            }
        }
        let schema = builder.build();
        let fields = Fields::resolve(&schema, &file.fields)?;
        Ok(NewsSchema {
            version: file.version,
            hash: fnv1a_hex(text.as_bytes()),
            specs: file.fields,
            schema,
            fields,
        })
    }

    /// The declaration of a field.
    pub fn spec(&self, name: &str) -> Option<&FieldSpec> {
        self.specs.iter().find(|s| s.name == name)
    }

    /// The field declared with the facet name `facet` (e.g. `country`).
    pub fn facet_field(&self, facet: &str) -> Option<&FieldSpec> {
        self.specs
            .iter()
            .find(|s| s.facet.as_deref() == Some(facet))
    }

    /// Facet names users may ask for, in schema order.
    pub fn facet_names(&self) -> Vec<&str> {
        self.specs
            .iter()
            .filter_map(|s| s.facet.as_deref())
            .collect()
    }

    /// Analyzed fields searched when a query names no field, with their boosts.
    pub fn default_search_fields(&self) -> Vec<(Field, f32)> {
        self.specs
            .iter()
            .filter(|s| s.kind == FieldKind::Text && s.indexed && s.boost.is_some())
            .map(|s| (self.field(&s.name), s.boost.unwrap_or(1.0)))
            .collect()
    }

    /// Fields filled from another field's value: `(target, source)`.
    pub fn copies(&self) -> Vec<(Field, Field)> {
        self.specs
            .iter()
            .filter_map(|s| {
                let from = s.copy_from.as_deref()?;
                Some((self.field(&s.name), self.field(from)))
            })
            .collect()
    }

    /// A field known to exist (validated at parse time).
    pub fn field(&self, name: &str) -> Field {
        self.schema
            .get_field(name)
            .unwrap_or_else(|_| panic!("field {name} was validated to exist"))
    }
}

fn text_options(spec: &FieldSpec) -> TextOptions {
    let mut options = TextOptions::default();
    if spec.indexed {
        let (analyzer, record) = match spec.kind {
            FieldKind::String => (analysis::RAW, IndexRecordOption::Basic),
            _ if spec.positions => (
                spec.analyzer.as_deref().unwrap_or(analysis::ARABIC),
                IndexRecordOption::WithFreqsAndPositions,
            ),
            _ => (
                spec.analyzer.as_deref().unwrap_or(analysis::ARABIC),
                IndexRecordOption::WithFreqs,
            ),
        };
        options = options.set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(record),
        );
    }
    if spec.stored {
        options = options.set_stored();
    }
    if spec.fast {
        options = options.set_fast(analysis::RAW);
    }
    options
}

fn validate(spec: &FieldSpec, all: &[FieldSpec]) -> Result<()> {
    let name = &spec.name;
    if all.iter().filter(|s| &s.name == name).count() > 1 {
        bail!("field `{name}` is declared twice");
    }
    match (spec.kind, spec.analyzer.as_deref()) {
        (FieldKind::Text, None) if spec.indexed => {
            bail!("text field `{name}` needs an analyzer")
        }
        (FieldKind::Text, Some(a)) if !analysis::known_analyzers().contains(&a) => bail!(
            "field `{name}`: unknown analyzer `{a}` (known: {})",
            analysis::known_analyzers().join(", ")
        ),
        (FieldKind::String | FieldKind::Date, Some(_)) => {
            bail!("field `{name}`: only text fields take an analyzer")
        }
        _ => {}
    }
    if spec.positions && spec.kind != FieldKind::Text {
        bail!("field `{name}`: positions are only for text fields");
    }
    if spec.facet.is_some() && !(spec.kind == FieldKind::String && spec.fast) {
        bail!("field `{name}`: a facet must be a fast string field");
    }
    if let Some(from) = &spec.copy_from {
        match all.iter().find(|s| &s.name == from) {
            Some(source) if source.kind == FieldKind::Text && source.copy_from.is_none() => {}
            Some(_) => bail!(
                "field `{name}`: copy_from `{from}` must be a text field that is not itself a copy"
            ),
            None => bail!("field `{name}`: copy_from names unknown field `{from}`"),
        }
    }
    Ok(())
}

impl Fields {
    fn resolve(schema: &Schema, specs: &[FieldSpec]) -> Result<Fields> {
        let get = |name: &str, kind: FieldKind| -> Result<Field> {
            let spec = specs
                .iter()
                .find(|s| s.name == name)
                .ok_or_else(|| anyhow!("the schema has no `{name}` field, which akhbar needs"))?;
            if spec.kind != kind {
                bail!(
                    "field `{name}` must have type {kind:?}, not {:?}",
                    spec.kind
                );
            }
            Ok(schema.get_field(name)?)
        };
        Ok(Fields {
            id: get("id", FieldKind::String)?,
            title: get("title", FieldKind::Text)?,
            body: get("body", FieldKind::Text)?,
            date: get("date", FieldKind::Date)?,
            source: get("source", FieldKind::String)?,
            category: get("category", FieldKind::String)?,
            url: get("url", FieldKind::String)?,
            author: get("author", FieldKind::Text)?,
            path: get("path", FieldKind::String)?,
            actors: get("actors", FieldKind::String)?,
            places: get("places", FieldKind::String)?,
            countries: get("countries", FieldKind::String)?,
        })
    }
}

/// 64-bit FNV-1a, as hex: a stable fingerprint that needs no dependency.
fn fnv1a_hex(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_is_valid() {
        let schema = NewsSchema::builtin().unwrap();
        assert!(schema.facet_names().contains(&"country"));
        assert!(!schema.default_search_fields().is_empty());
        assert_eq!(schema.copies().len(), 5);
    }

    #[test]
    fn rejects_unknown_analyzer() {
        let text = SCHEMA_TOML.replace("analyzer = \"arabic_light\"", "analyzer = \"klingon\"");
        let err = NewsSchema::parse(&text).unwrap_err();
        assert!(format!("{err:#}").contains("unknown analyzer"), "{err:#}");
    }

    #[test]
    fn rejects_missing_required_field() {
        let text = SCHEMA_TOML.replace("name = \"countries\"", "name = \"nations\"");
        let err = NewsSchema::parse(&text).unwrap_err();
        assert!(format!("{err:#}").contains("`countries`"), "{err:#}");
    }

    #[test]
    fn hash_changes_with_content() {
        let a = NewsSchema::parse(SCHEMA_TOML).unwrap();
        let b = NewsSchema::parse(&format!("{SCHEMA_TOML}\n# edited\n")).unwrap();
        assert_ne!(a.hash, b.hash);
    }
}
