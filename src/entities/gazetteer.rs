//! The gazetteer: countries, places and actors with the names news uses.
//!
//! The data lives in `data/gazetteer/` as TSV files (built from CLDR and
//! iso-codes, plus curated lists) and is compiled into the binary, so tagging
//! needs no files at run time and an index is always tagged with the data of
//! the binary that built it.

use std::collections::HashMap;
use std::sync::OnceLock;

use anyhow::{anyhow, bail, Context, Result};
use tantivy::tokenizer::{TokenStream, Tokenizer};

use crate::analysis::WordTokenizer;

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
    /// Population from GeoNames (0 when unknown): the prior between places that
    /// share a name.
    pub population: u64,
    /// The name is also an ordinary word (صور "pictures"): tagged only with
    /// evidence from the article.
    pub common_word: bool,
    /// Written by hand for this project rather than taken from open data.
    pub curated: bool,
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
    /// ISO code, or empty for international organizations, which act for no
    /// single country and so add none to an article.
    pub country: String,
    pub role: String,
    pub aliases: Vec<String>,
    /// Years in the role: (from, to), `to` is `None` while in office.
    pub years: Vec<(u16, Option<u16>)>,
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
    /// Lookup keys (see [`lookup_key`]) → indexes, for `resolve_*`.
    country_keys: HashMap<String, usize>,
    place_keys: HashMap<String, Vec<usize>>,
    actor_keys: HashMap<String, usize>,
}

impl Gazetteer {
    /// The gazetteer compiled into this binary.
    pub fn builtin() -> Result<Gazetteer> {
        Ok(Gazetteer::shared()?.clone())
    }

    /// The built-in gazetteer, parsed once per process.
    pub fn shared() -> Result<&'static Gazetteer> {
        static SHARED: OnceLock<Result<Gazetteer, String>> = OnceLock::new();
        SHARED
            .get_or_init(|| Gazetteer::parse().map_err(|e| format!("{e:#}")))
            .as_ref()
            .map_err(|e| anyhow!("built-in gazetteer: {e}"))
    }

    fn parse() -> Result<Gazetteer> {
        let mut g = Gazetteer {
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
                .map(|r| {
                    let field = |i: usize| r.get(i).copied().unwrap_or("");
                    Ok(Place {
                        name: r[0].to_string(),
                        country: r[1].to_string(),
                        kind: r[2].to_string(),
                        aliases: list(field(3)),
                        population: if field(4).is_empty() {
                            0
                        } else {
                            field(4).parse().with_context(|| {
                                format!("places.tsv: bad population for {}", r[0])
                            })?
                        },
                        common_word: !field(5).is_empty(),
                        curated: field(6).split('|').any(|s| s == "curated"),
                    })
                })
                .collect::<Result<_>>()?,
            actors: rows(ACTORS_TSV, "actors.tsv", 4)?
                .into_iter()
                .map(|r| {
                    let kind = match r[1] {
                        "person" => ActorKind::Person,
                        "org" => ActorKind::Org,
                        "media" => ActorKind::Media,
                        other => bail!("actors.tsv: unknown kind `{other}` for {}", r[0]),
                    };
                    let country = match r[2] {
                        "-" => String::new(),
                        code => code.to_string(),
                    };
                    let mut aliases = list(r.get(4).copied().unwrap_or(""));
                    // News write `عبد الله` and `عبدالله` alike.
                    let joined: Vec<String> = std::iter::once(r[0])
                        .chain(aliases.iter().map(String::as_str))
                        .map(joined_compounds)
                        .collect();
                    for j in joined {
                        if j != r[0] && !aliases.contains(&j) {
                            aliases.push(j);
                        }
                    }
                    Ok(Actor {
                        name: r[0].to_string(),
                        kind,
                        country,
                        role: r[3].to_string(),
                        aliases,
                        years: years(r.get(5).copied().unwrap_or(""))
                            .with_context(|| format!("actors.tsv: bad years for {}", r[0]))?,
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
            country_keys: HashMap::new(),
            place_keys: HashMap::new(),
            actor_keys: HashMap::new(),
        };
        g.check()?;
        g.index_keys();
        Ok(g)
    }

    /// Every code the data refers to must be a country of the gazetteer.
    fn check(&self) -> Result<()> {
        let known = |code: &str| self.countries.iter().any(|c| c.code == code);
        for p in &self.places {
            if !known(&p.country) {
                bail!("places.tsv: {} has unknown country {}", p.name, p.country);
            }
        }
        for a in &self.actors {
            if !a.country.is_empty() && !known(&a.country) {
                bail!("actors.tsv: {} has unknown country {}", a.name, a.country);
            }
        }
        Ok(())
    }

    fn index_keys(&mut self) {
        let mut countries = HashMap::new();
        for (i, c) in self.countries.iter().enumerate() {
            let names = [&c.code, &c.name_en, &c.name_ar]
                .into_iter()
                .chain(&c.aliases_ar)
                .chain(&c.aliases_en)
                .chain(&c.adjectives);
            for name in names {
                countries.entry(lookup_key(name)).or_insert(i);
            }
            // Every inflection of the nationality adjectives, and the broken
            // plurals, so that `التركية` or `الأتراك` name Türkiye too.
            for adjective in &c.adjectives {
                for (bare, with_article) in super::matcher::nisba_forms(adjective) {
                    countries.entry(lookup_key(&bare)).or_insert(i);
                    countries.entry(lookup_key(&with_article)).or_insert(i);
                }
            }
            for plural in &c.plurals {
                countries.entry(lookup_key(plural)).or_insert(i);
                countries
                    .entry(lookup_key(&format!("ال{plural}")))
                    .or_insert(i);
            }
        }
        let mut places: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in self.places.iter().enumerate() {
            for name in std::iter::once(&p.name).chain(&p.aliases) {
                let ids = places.entry(lookup_key(name)).or_default();
                if !ids.contains(&i) {
                    ids.push(i);
                }
            }
        }
        // Most prominent first: curated rows, then by population.
        for ids in places.values_mut() {
            ids.sort_by_key(|&i| {
                let p = &self.places[i];
                (!p.curated, std::cmp::Reverse(p.population))
            });
        }
        let mut actors = HashMap::new();
        for (i, a) in self.actors.iter().enumerate() {
            for name in std::iter::once(&a.name).chain(&a.aliases) {
                actors.entry(lookup_key(name)).or_insert(i);
            }
        }
        self.country_keys = countries;
        self.place_keys = places;
        self.actor_keys = actors;
    }

    /// Keeps only the actors `keep` accepts (to see what the patterns find
    /// without the curated list).
    pub fn retain_actors(&mut self, keep: impl FnMut(&Actor) -> bool) {
        self.actors.retain(keep);
        self.index_keys();
    }

    /// The country a user-given value names: an ISO code (`TR`), an Arabic or
    /// English name or alias (`تركيا`, `Turkey`, `Türkiye`), or a nationality
    /// adjective (`تركي`). Spelling variants the analyzer folds (hamza, teh
    /// marbuta, diacritics, Latin case) resolve alike.
    pub fn resolve_country(&self, value: &str) -> Option<&Country> {
        let key = lookup_key(value);
        let key = key
            .strip_prefix("ال")
            .filter(|_| !self.country_keys.contains_key(&key))
            .unwrap_or(&key);
        self.country_keys.get(key).map(|&i| &self.countries[i])
    }

    /// The place a user-given name or alias names; when several places share
    /// it, the curated or most populous one. A country name resolves to no
    /// place: use [`Gazetteer::resolve_country`] (the `places` field stores a
    /// named country under its Arabic name, see [`Gazetteer::place_name_of_country`]).
    pub fn resolve_place(&self, value: &str) -> Option<&Place> {
        self.place_keys
            .get(&lookup_key(value))
            .and_then(|ids| ids.first())
            .map(|&i| &self.places[i])
    }

    /// The canonical `places` value of a user-given place or country name.
    pub fn resolve_place_name(&self, value: &str) -> Option<String> {
        if let Some(p) = self.resolve_place(value) {
            return Some(p.name.clone());
        }
        self.resolve_country(value).map(|c| c.name_ar.clone())
    }

    /// The actor a user-given name or alias names (`بوتين`, `فلاديمير بوتين`).
    pub fn resolve_actor(&self, value: &str) -> Option<&Actor> {
        self.actor_keys
            .get(&lookup_key(value))
            .map(|&i| &self.actors[i])
    }

    /// The value stored in `places` when an article names a country.
    pub fn place_name_of_country(country: &Country) -> &str {
        &country.name_ar
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

/// The form names are compared in by `resolve_*`: the analyzer's normalized
/// words joined by single spaces.
pub fn lookup_key(value: &str) -> String {
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(value);
    let mut out = String::new();
    while let Some(t) = stream.next() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.text);
    }
    out
}

/// `2000-2008|2012-` → [(2000, Some(2008)), (2012, None)].
fn years(field: &str) -> Result<Vec<(u16, Option<u16>)>> {
    list(field)
        .iter()
        .map(|span| {
            let (from, to) = span.split_once('-').unwrap_or((span, span));
            let from: u16 = from.parse().with_context(|| format!("`{span}`"))?;
            let to = if to.is_empty() {
                None
            } else {
                Some(to.parse().with_context(|| format!("`{span}`"))?)
            };
            Ok((from, to))
        })
        .collect()
}

/// The head of a compound given name (`عبد الله`, `عبد العزيز`), written
/// apart from or joined to the article word after it.
const COMPOUND_HEAD: &str = "عبد";

/// A name with its compound given names written apart (`عبدالفتاح السيسي`
/// → `عبد الفتاح السيسي`), the form canonical names use, so that both
/// spellings are one actor. A proclitic before the head stays (`وعبدالله`).
pub fn spaced_compounds(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (k, word) in name.split(' ').enumerate() {
        if k > 0 {
            out.push(' ');
        }
        match word.find("عبدال") {
            // At the start or after one proclitic letter, with a name after.
            Some(at)
                if word[..at].chars().count() <= 1
                    && word[at + "عبدال".len()..].chars().count() >= 2 =>
            {
                let split = at + COMPOUND_HEAD.len();
                out.push_str(&word[..split]);
                out.push(' ');
                out.push_str(&word[split..]);
            }
            _ => out.push_str(word),
        }
    }
    out
}

/// The other spelling of [`spaced_compounds`]: `عبد الله` → `عبدالله`.
fn joined_compounds(name: &str) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    let mut out = String::with_capacity(name.len());
    for (k, word) in words.iter().enumerate() {
        if k > 0 && !(words[k - 1] == COMPOUND_HEAD && word.starts_with("ال")) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn list(field: &str) -> Vec<String> {
    field
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}
