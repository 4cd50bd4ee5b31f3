//! Turning the values users type for keyword fields into indexed values.
//!
//! People write a country as `TR`, `تركيا`, `Turkey` or `الأتراك`, an actor
//! as `بوتين`, a source as `bbc`. The index stores one canonical value each
//! (ISO codes, canonical names, sources as the archive spelled them), so a
//! filter resolves what was typed before it is looked up.

use tantivy::schema::Field;
use tantivy::Searcher;

use super::query::QueryError;
use crate::analysis::normalize;
use crate::entities::Gazetteer;

/// Resolves keyword values against the gazetteer and the index's terms.
pub struct Resolver {
    gazetteer: Gazetteer,
}

impl Resolver {
    pub fn new(gazetteer: Gazetteer) -> Resolver {
        Resolver { gazetteer }
    }

    /// The gazetteer used for names.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The indexed values a user-typed value stands for, in the keyword
    /// field of facet `facet` (stored in `field`).
    pub fn resolve(
        &self,
        facet: &str,
        value: &str,
        searcher: &Searcher,
        field: Field,
    ) -> Result<Vec<String>, QueryError> {
        let wanted = normalize(value.trim());
        match facet {
            "country" => {
                self.country_code(value)
                    .map(|c| vec![c])
                    .ok_or_else(|| {
                        QueryError::UnknownValue {
                    field: "country".into(),
                    value: value.into(),
                    hint: "use an ISO code (TR), an Arabic name (تركيا) or an English name (Turkey)"
                        .into(),
                }
                    })
            }
            "actor" | "place" => {
                let canonical = if facet == "actor" {
                    self.gazetteer.resolve_actor(value).map(|a| a.name.clone())
                } else {
                    self.gazetteer.resolve_place_name(value)
                };
                match canonical {
                    Some(name) => Ok(vec![name]),
                    None => indexed_terms_matching(searcher, field, |t| normalize(t) == wanted)
                        .ok_or_else(|| unknown(facet, value, searcher, field)),
                }
            }
            _ => indexed_terms_matching(searcher, field, |t| {
                t.eq_ignore_ascii_case(value.trim()) || normalize(t) == wanted
            })
            .ok_or_else(|| unknown(facet, value, searcher, field)),
        }
    }

    /// The ISO code of a country given by code, Arabic or English name,
    /// alias or nationality adjective.
    pub fn country_code(&self, value: &str) -> Option<String> {
        self.gazetteer
            .resolve_country(value)
            .map(|c| c.code.clone())
    }
}

/// Most close values an error about an unknown value suggests.
const MAX_SUGGESTIONS: usize = 5;

/// A value no article has, as countries unknown to the gazetteer are: an
/// error rather than an empty result that looks like an answer. It names
/// indexed values with a word that starts like one of the value's.
fn unknown(facet: &str, value: &str, searcher: &Searcher, field: Field) -> QueryError {
    let wanted = normalize(value.trim());
    let stems: Vec<&str> = wanted
        .split_whitespace()
        .filter(|w| w.chars().count() >= 3)
        .collect();
    let mut close = indexed_terms_matching(searcher, field, |t| {
        let t = normalize(t);
        t.contains(&wanted)
            || t.split_whitespace()
                .any(|w| stems.iter().any(|s| w.starts_with(s)))
    })
    .unwrap_or_default();
    close.truncate(MAX_SUGGESTIONS);
    let mut hint = format!("no article in this index has this {facet}");
    if close.is_empty() {
        hint.push_str(&format!(
            "; `--facet {facet}` or GET /facets/{facet} lists those it has"
        ));
    } else {
        let quoted: Vec<String> = close.iter().map(|c| format!("`{c}`")).collect();
        hint.push_str(&format!("; close values: {}", quoted.join(", ")));
    }
    if close.iter().any(|c| c.contains(' ')) && !value.trim().contains(' ') {
        hint.push_str(&format!(
            " (a value of several words goes in quotes: {facet}:\"{}\")",
            close[0]
        ));
    }
    QueryError::UnknownValue {
        field: facet.to_string(),
        value: value.to_string(),
        hint,
    }
}

/// Terms of `field` for which `matches` holds, across all segments; `None`
/// when there are none.
fn indexed_terms_matching(
    searcher: &Searcher,
    field: Field,
    matches: impl Fn(&str) -> bool,
) -> Option<Vec<String>> {
    let mut found: Vec<String> = Vec::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().stream() else {
            continue;
        };
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                if matches(term) && !found.iter().any(|f| f == term) {
                    found.push(term.to_string());
                }
            }
        }
    }
    (!found.is_empty()).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_country_name_form_resolves_to_its_code() {
        let r = Resolver::new(Gazetteer::builtin().unwrap());
        for form in ["TR", "tr", "تركيا", "Turkey", "Türkiye", "التركية", "أتراك"]
        {
            assert_eq!(r.country_code(form).as_deref(), Some("TR"), "{form}");
        }
        assert_eq!(r.country_code("اذربيجان").as_deref(), Some("AZ"));
        assert_eq!(r.country_code("Narnia"), None);
    }
}
