//! The gazetteer: countries, places and actors with the names news uses.
//!
//! The data lives in `data/gazetteer/` as TSV files (built from CLDR and
//! iso-codes, plus curated lists) and is compiled into the binary, so tagging
//! needs no files at run time and an index is always tagged with the data of
//! the binary that built it.

use anyhow::{bail, Result};

const COUNTRIES_TSV: &str = include_str!("../../data/gazetteer/countries.tsv");
const PLACES_TSV: &str = include_str!("../../data/gazetteer/places.tsv");
const ACTORS_TSV: &str = include_str!("../../data/gazetteer/actors.tsv");
const AMBIGUOUS_TSV: &str = include_str!("../../data/gazetteer/curated/ambiguous.tsv");

/// A country (ISO 3166-1 alpha-2).
#[derive(Debug, Clone)]
pub struct Country {
    pub code: String,
    pub name_en: String,
    pub name_ar: String,
    pub aliases_ar: Vec<String>,
    /// Masculine singular nisba adjectives (روسي); inflections are generated.
    pub adjectives: Vec<String>,
    /// Broken plurals of the adjective (روس، أتراك).
    pub plurals: Vec<String>,
    pub aliases_en: Vec<String>,
}

/// A place inside a country.
#[derive(Debug, Clone)]
pub struct Place {
    pub name: String,
    pub country: String,
    pub kind: String,
    pub aliases: Vec<String>,
}

/// What kind of actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    Person,
    Org,
    /// News agencies and outlets: named as sources, not as subjects.
    Media,
}

/// A person or organization.
#[derive(Debug, Clone)]
pub struct Actor {
    pub name: String,
    pub kind: ActorKind,
    pub country: String,
    pub role: String,
    pub aliases: Vec<String>,
}

/// A name form that must not be tagged on its own (it is also a common word
/// or names several things).
#[derive(Debug, Clone)]
pub struct Ambiguous {
    pub form: String,
    pub code: String,
}

/// All gazetteer data.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    pub countries: Vec<Country>,
    pub places: Vec<Place>,
    pub actors: Vec<Actor>,
    pub ambiguous: Vec<Ambiguous>,
}

impl Gazetteer {
    /// The gazetteer compiled into this binary.
    pub fn builtin() -> Result<Gazetteer> {
        Ok(Gazetteer {
            countries: rows(COUNTRIES_TSV, "countries.tsv", 7)?
                .into_iter()
                .map(|r| Country {
                    code: r[0].to_string(),
                    name_en: r[1].to_string(),
                    name_ar: r[2].to_string(),
                    aliases_ar: list(r[3]),
                    adjectives: list(r[4]),
                    plurals: list(r[5]),
                    aliases_en: list(r[6]),
                })
                .collect(),
            places: rows(PLACES_TSV, "places.tsv", 3)?
                .into_iter()
                .map(|r| Place {
                    name: r[0].to_string(),
                    country: r[1].to_string(),
                    kind: r[2].to_string(),
                    aliases: list(r.get(3).copied().unwrap_or("")),
                })
                .collect(),
            actors: rows(ACTORS_TSV, "actors.tsv", 4)?
                .into_iter()
                .map(|r| {
                    let kind = match r[1] {
                        "person" => ActorKind::Person,
                        "org" => ActorKind::Org,
                        "media" => ActorKind::Media,
                        other => bail!("actors.tsv: unknown kind `{other}` for {}", r[0]),
                    };
                    Ok(Actor {
                        name: r[0].to_string(),
                        kind,
                        country: r[2].to_string(),
                        role: r[3].to_string(),
                        aliases: list(r.get(4).copied().unwrap_or("")),
                    })
                })
                .collect::<Result<_>>()?,
            ambiguous: rows(AMBIGUOUS_TSV, "curated/ambiguous.tsv", 2)?
                .into_iter()
                .map(|r| Ambiguous {
                    form: r[0].to_string(),
                    code: r[1].to_string(),
                })
                .collect(),
        })
    }

    /// The country with this ISO code.
    pub fn country(&self, code: &str) -> Option<&Country> {
        self.countries
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
    }
}

/// Data rows of a TSV file: `#` comments, a header line starting with `code`
/// or `name`/`form`, and blank lines are skipped.
fn rows<'a>(text: &'a str, file: &str, min_columns: usize) -> Result<Vec<Vec<&'a str>>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        if i == 0 && matches!(cols[0], "code" | "name" | "form") {
            continue;
        }
        if cols.len() < min_columns || cols[0].is_empty() {
            bail!(
                "data/gazetteer/{file} line {}: expected at least {min_columns} tab-separated columns",
                i + 1
            );
        }
        out.push(cols);
    }
    if out.is_empty() {
        bail!("data/gazetteer/{file} has no rows");
    }
    Ok(out)
}

fn list(field: &str) -> Vec<String> {
    field
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}
