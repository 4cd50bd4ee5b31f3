//! Which source field fills which article field, for JSON and CSV.
//!
//! Exports and scrapes name their fields in many ways, so each article field
//! is taken from the first of several common names that is present. Unusual
//! archives name the source field themselves (`--field body=article_text`);
//! a dotted name (`meta.published`) reaches into nested JSON objects.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use super::markup::text_of;
use super::{date, fallback_id, non_empty, Article, Problem, Record, RecordError, Warning};

/// The article fields a source field can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    Title,
    Body,
    Date,
    Source,
    Category,
    Url,
    Author,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Id,
        Field::Title,
        Field::Body,
        Field::Date,
        Field::Source,
        Field::Category,
        Field::Url,
        Field::Author,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Body => "body",
            Field::Date => "date",
            Field::Source => "source",
            Field::Category => "category",
            Field::Url => "url",
            Field::Author => "author",
        }
    }

    /// Source field names tried when the user names none, in order.
    fn defaults(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["id", "docno", "guid", "doc_id", "_id", "article_id"],
            Field::Title => &["title", "headline"],
            Field::Body => &["body", "text", "content", "article", "article_text"],
            Field::Date => &[
                "date",
                "published",
                "published_at",
                "publish_date",
                "pubdate",
                "time",
                "datetime",
                "date_published",
                "date_extracted",
            ],
            Field::Source => &["source", "src", "outlet", "site", "publisher"],
            Field::Url => &["url", "link", "uri"],
            Field::Author => &["author", "byline", "authors"],
            Field::Category => &["category", "cat", "section"],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl FromStr for Field {
    type Err = String;

    fn from_str(name: &str) -> Result<Field, String> {
        Field::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| {
                format!(
                    "unknown article field `{name}` (expected one of: {})",
                    Field::ALL.map(Field::name).join(", ")
                )
            })
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One `--field ARTICLE_FIELD=SOURCE_FIELD` mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub field: Field,
    pub source: String,
}

impl FromStr for Mapping {
    type Err = String;

    fn from_str(text: &str) -> Result<Mapping, String> {
        let (field, source) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}` is not FIELD=NAME (for example body=article_text)"))?;
        let source = source.trim();
        if source.is_empty() {
            return Err(format!("`{text}` names no source field after `=`"));
        }
        Ok(Mapping {
            field: field.trim().parse()?,
            source: source.to_string(),
        })
    }
}

/// The source field names to try for each article field.
#[derive(Debug, Clone, Default)]
pub struct FieldMap {
    /// User mappings by field; an empty list means the defaults.
    chosen: [Vec<String>; 8],
}

impl FieldMap {
    /// The defaults, overridden field by field by `mappings`.
    pub fn new(mappings: &[Mapping]) -> FieldMap {
        let mut map = FieldMap::default();
        for m in mappings {
            map.chosen[m.field.index()].push(m.source.clone());
        }
        map
    }

    /// The names tried for `field`, in order.
    pub fn names(&self, field: Field) -> Vec<&str> {
        let chosen = &self.chosen[field.index()];
        if chosen.is_empty() {
            field.defaults().to_vec()
        } else {
            chosen.iter().map(String::as_str).collect()
        }
    }

    /// Whether the user named the source of `field` explicitly.
    pub fn is_explicit(&self, field: Field) -> bool {
        !self.chosen[field.index()].is_empty()
    }

    /// The value of `field`: the first name for which `lookup` has a
    /// non-empty value. Names are matched as given, then ignoring ASCII case.
    pub fn get(&self, field: Field, lookup: impl Fn(&str) -> Option<String>) -> Option<String> {
        let chosen = &self.chosen[field.index()];
        if chosen.is_empty() {
            first_value(field.defaults().iter().copied(), lookup)
        } else {
            first_value(chosen.iter().map(String::as_str), lookup)
        }
    }

    /// The article in one record whose source fields `lookup` finds by
    /// name (a JSON object, a CSV row): id from the id field, else the URL,
    /// else path and record number; date parsed, else the first date line
    /// of the text (with a warning when there was a date not understood). `no_text` says what was missing when a record has
    /// neither text nor title. `all` lists the record's fields (name,
    /// value), looked at only for a record with a title and no text.
    pub(crate) fn article(
        &self,
        lookup: impl Fn(&str) -> Option<String>,
        number: usize,
        rel_path: &str,
        no_text: impl FnOnce() -> String,
        all: impl FnOnce() -> Vec<(String, String)>,
    ) -> Record {
        let get = |field: Field| self.get(field, &lookup);
        let title = get(Field::Title).and_then(|t| non_empty(&as_text(t)));
        let body = get(Field::Body).map(as_text).unwrap_or_default();
        if body.is_empty() && title.is_none() {
            return Err(RecordError::new(number, Problem::NoText, no_text()));
        }
        let url = get(Field::Url);
        let (date, date_warning) = date::of_record(get(Field::Date).as_deref(), &body);
        let unread = match &title {
            Some(title) if body.is_empty() => self.unread_text(title, all()),
            _ => None,
        };
        Ok(Article {
            id: get(Field::Id)
                .or_else(|| url.clone())
                .unwrap_or_else(|| fallback_id(rel_path, number)),
            title,
            body,
            date,
            source: get(Field::Source),
            category: get(Field::Category),
            url,
            author: get(Field::Author),
            path: rel_path.to_string(),
            record: number,
            warnings: date_warning.into_iter().chain(unread).collect(),
        })
    }

    /// A caveat for a record read as a title without text while it holds a
    /// longer value under a name no article field reads: a text field named
    /// in an unusual way (`Article Text`, `story`) or a `--field body=` that
    /// names no field of the record. Without it the text would be dropped
    /// unseen, the article indexed by its title alone.
    fn unread_text(&self, title: &str, all: Vec<(String, String)>) -> Option<Warning> {
        let read = |name: &str| {
            Field::ALL.into_iter().any(|f| {
                self.names(f)
                    .into_iter()
                    .any(|n| n.eq_ignore_ascii_case(name))
            })
        };
        let (name, chars) = all
            .into_iter()
            .filter(|(name, _)| !read(name))
            .map(|(name, value)| (name, value.trim().chars().count()))
            .max_by_key(|(_, chars)| *chars)?;
        (chars > title.chars().count()).then(|| Warning {
            kind: Problem::NoText,
            reason: format!(
                "indexed with its title only: no text in {} (the fields read as text), while `{name}` holds {chars} characters; if that is the text, index again with --field body={name}",
                self.names(Field::Body).join(", ")
            ),
        })
    }

    /// A message naming the fields looked for, for records without text.
    pub fn describe_text_fields(&self) -> String {
        format!(
            "no article text or title (looked for fields: {}; name yours with --field body=NAME)",
            self.names(Field::Body)
                .into_iter()
                .chain(self.names(Field::Title))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// A text field as it reads: scrapes and CMS exports keep the page's
/// markup in it (`<p>…</p>`, `&amp;`), which would show in snippets and
/// match searches for `p`.
/// The value itself when it has none (no copy).
fn as_text(value: String) -> String {
    match text_of(&value) {
        Cow::Borrowed(text) if text.len() == value.len() => value,
        text => text.into_owned(),
    }
}

fn first_value<'a>(
    mut names: impl Iterator<Item = &'a str>,
    lookup: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    names.find_map(|name| {
        lookup(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mappings() {
        let m: Mapping = "body=article_text".parse().unwrap();
        assert_eq!(m.field, Field::Body);
        assert_eq!(m.source, "article_text");
        assert!("bogus=x"
            .parse::<Mapping>()
            .unwrap_err()
            .contains("unknown"));
        assert!("body".parse::<Mapping>().is_err());
        assert!("body=".parse::<Mapping>().is_err());
    }

    #[test]
    fn markup_in_text_fields_is_dropped() {
        let record = |name: &str| match name {
            "title" => Some("عنوان &#8211; ثان".to_string()),
            "body" => Some(
                "<p>نص <strong>الخبر</strong> الأول.</p>\n<p>فقرة &amp; ثانية، و a < b</p>"
                    .to_string(),
            ),
            _ => None,
        };
        let a = FieldMap::default()
            .article(record, 1, "a.jsonl", String::new, Vec::new)
            .unwrap();
        assert_eq!(a.title.as_deref(), Some("عنوان – ثان"));
        assert_eq!(a.body, "نص الخبر الأول.\nفقرة & ثانية، و a < b");
    }

    #[test]
    fn explicit_mapping_replaces_the_defaults() {
        let map = FieldMap::new(&["body=story".parse().unwrap()]);
        let lookup = |name: &str| match name {
            "text" => Some("default".to_string()),
            "story" => Some("chosen".to_string()),
            _ => None,
        };
        assert_eq!(map.get(Field::Body, lookup).as_deref(), Some("chosen"));
        assert_eq!(
            FieldMap::default().get(Field::Body, lookup).as_deref(),
            Some("default")
        );
        assert!(map.is_explicit(Field::Body));
        assert!(!map.is_explicit(Field::Title));
    }
}
