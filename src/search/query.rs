//! The query language: a query string → a [`ParsedQuery`].
//!
//! ```text
//! بيرقدار أذربيجان          every word is required (best partial matches follow)
//! "قره باغ"                 exact phrase
//! أنقرة OR باكو             either word (OR binds tighter than the implicit AND)
//! (طائرات أنقرة) OR باكو    a group: AND, OR and NOT inside, nested
//! -روسيا   NOT روسيا        exclude
//! title:بيرقدار body:"…"    search one text field
//! country:TR actor:بوتين    keyword fields: country, actor, place, source, category
//! صاروخ*                    prefix of the normalized form
//! date:2022-09-12..2022-09-20   date:2022-09   date:..2018-03-01
//! ```
//!
//! Parsing knows nothing of the index; [`super::compile`] turns the result
//! into a tantivy query. Errors point at the character where the problem is.

use tantivy::time::{Date, Month};
use unicode_segmentation::UnicodeSegmentation;

/// A query the user wrote that cannot be run, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("empty query: give at least one word to search for")]
    Empty,
    #[error("unbalanced quote at character {position}: close the phrase with \"")]
    UnbalancedQuote { position: usize },
    #[error("unbalanced parenthesis at character {position}: `(` is never closed")]
    UnclosedGroup { position: usize },
    #[error("unbalanced parenthesis at character {position}: `)` closes no `(`")]
    UnopenedGroup { position: usize },
    #[error("empty parentheses at character {position}: put words inside, or remove them")]
    EmptyGroup { position: usize },
    #[error(
        "the group at character {position} only excludes (-word, NOT word); add something to search for in it"
    )]
    GroupOnlyExcludes { position: usize },
    #[error("parentheses nested deeper than {max} at character {position}: simplify the query")]
    GroupTooDeep { position: usize, max: usize },
    #[error(
        "`{field}:` at character {position} applies to one word or \"phrase\", not to a group: write {field}:a OR {field}:b"
    )]
    FieldGroup { field: String, position: usize },
    #[error("unknown field `{field}` at character {position}; fields are {}", FIELDS.join(", "))]
    UnknownField { field: String, position: usize },
    #[error("`{field}:` at character {position} needs a value, e.g. {field}:{example}")]
    MissingValue {
        field: String,
        position: usize,
        example: &'static str,
    },
    #[error("bad date `{value}` at character {position}: use YYYY, YYYY-MM or YYYY-MM-DD")]
    BadDate { value: String, position: usize },
    #[error("empty date range at character {position}: {from} is after {to}")]
    EmptyRange {
        from: String,
        to: String,
        position: usize,
    },
    #[error("empty date range: from {from} is after to {to}; swap them")]
    EmptyBounds { from: String, to: String },
    #[error("`{operator}` at character {position} needs a term on {side}")]
    DanglingOperator {
        operator: &'static str,
        position: usize,
        side: &'static str,
    },
    #[error(
        "prefix `{prefix}*` at character {position} is too short: give at least 2 letters before *"
    )]
    ShortPrefix { prefix: String, position: usize },
    #[error("the query only excludes (-word, NOT word); add something to search for")]
    OnlyExclusions,
    #[error("nothing to search for: the query has only punctuation or stopwords")]
    NothingSearchable,
    #[error("unknown {field} `{value}`: {hint}")]
    UnknownValue {
        field: String,
        value: String,
        hint: String,
    },
    #[error("bad filter `{filter}`: {reason}")]
    BadFilter { filter: String, reason: String },
    #[error("the query is {bytes} bytes long; the limit is {max} bytes: shorten it")]
    TooLong { bytes: usize, max: usize },
    #[error("the query has {words} words; the limit is {max}: shorten it")]
    TooManyWords { words: usize, max: usize },
    #[error("the query has {prefixes} prefixes (word*); the limit is {max}")]
    TooManyPrefixes { prefixes: usize, max: usize },
}

/// Longest query accepted, in bytes of UTF-8 (about 1,300 Arabic words).
pub const MAX_QUERY_BYTES: usize = 16 * 1024;

/// Most words a query may have, counted as the analyzer splits text
/// (Unicode word boundaries). Each word becomes several term queries (one
/// per analyzed field, and its other inflections), and a query without an
/// article that has every word is ranked over all the articles with any:
/// on 30,000 articles 1,024 words take about a second, 5,000 five times
/// that. The limit is Lucene's and Elasticsearch's former clause limit.
pub const MAX_QUERY_WORDS: usize = 1024;

/// Most `prefix*` words a query may have. Each stands for up to
/// [`super::prefix::MAX_PREFIX_EXPANSIONS`] words, the most frequent ones
/// that start with it: on 30,000 articles 32 short prefixes take about
/// 0.3 s, 64 a second.
pub const MAX_QUERY_PREFIXES: usize = 32;

/// Deepest nesting of parentheses: deeper groups say nothing a flatter
/// query cannot, and the parser recurses once per level.
pub const MAX_GROUP_DEPTH: usize = 16;

/// Field names the language accepts before `:`.
pub const FIELDS: &[&str] = &[
    "title", "body", "actor", "place", "country", "source", "category", "date",
];

/// Which text a text atom searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextScope {
    /// Title and body (the default).
    All,
    Title,
    Body,
}

/// An inclusive range of days; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// The smallest unit of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Atom {
    /// A word (or a `"phrase"`, or a `prefix*`) searched in analyzed text.
    Text {
        scope: TextScope,
        text: String,
        phrase: bool,
        prefix: bool,
    },
    /// A value of a keyword field (`country:TR`), as the user wrote it.
    Keyword { facet: String, value: String },
    /// A date range.
    Date(DateRange),
    /// Clauses in parentheses, all required (as a query is), as one atom:
    /// `(طائرات أنقرة) OR باكو`.
    Group(Vec<Clause>),
}

impl Atom {
    /// Whether the atom searches text (rather than only selecting by a
    /// keyword or date).
    pub fn has_text(&self) -> bool {
        match self {
            Atom::Text { .. } => true,
            Atom::Keyword { .. } | Atom::Date(_) => false,
            Atom::Group(clauses) => clauses
                .iter()
                .flat_map(|c| &c.alternatives)
                .any(Atom::has_text),
        }
    }
}

/// Atoms joined by OR; required, or excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub alternatives: Vec<Atom>,
    pub excluded: bool,
}

/// A parsed query: every non-excluded clause is required, excluded ones
/// must not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedQuery {
    pub clauses: Vec<Clause>,
}

impl ParsedQuery {
    /// The text words and phrases the user is looking for (for
    /// highlighting), those inside groups included.
    pub fn positive_texts(&self) -> Vec<&str> {
        let mut out = Vec::new();
        collect_texts(&self.clauses, &mut out);
        out
    }

    /// Every atom, those inside groups included.
    pub fn atoms(&self) -> Vec<&Atom> {
        let mut out = Vec::new();
        collect_atoms(&self.clauses, &mut out);
        out
    }
}

fn collect_texts<'a>(clauses: &'a [Clause], out: &mut Vec<&'a str>) {
    for atom in clauses
        .iter()
        .filter(|c| !c.excluded)
        .flat_map(|c| &c.alternatives)
    {
        match atom {
            Atom::Text { text, .. } => out.push(text),
            Atom::Group(inner) => collect_texts(inner, out),
            Atom::Keyword { .. } | Atom::Date(_) => {}
        }
    }
}

fn collect_atoms<'a>(clauses: &'a [Clause], out: &mut Vec<&'a Atom>) {
    for atom in clauses.iter().flat_map(|c| &c.alternatives) {
        out.push(atom);
        if let Atom::Group(inner) = atom {
            collect_atoms(inner, out);
        }
    }
}

/// One lexical item: an atom with its position and modifiers.
struct Item {
    atom: Atom,
    negated: bool,
}

enum Lexeme {
    Item(Item),
    Or(usize),
    Not(usize),
    /// `(` (or `-(`) at a character position.
    Open {
        position: usize,
        negated: bool,
    },
    /// `)` at a character position.
    Close(usize),
}

/// Parses a query string.
pub fn parse(query: &str) -> Result<ParsedQuery, QueryError> {
    check_size(query)?;
    let chars: Vec<char> = query.chars().collect();
    let mut lexemes = lex(&chars)?.into_iter();
    let clauses = parse_clauses(&mut lexemes, None, 0)?;
    if clauses.is_empty() {
        return Err(QueryError::Empty);
    }
    if clauses.iter().all(|c| c.excluded) {
        return Err(QueryError::OnlyExclusions);
    }
    let query = ParsedQuery { clauses };
    let prefixes = query
        .atoms()
        .into_iter()
        .filter(|a| matches!(a, Atom::Text { prefix: true, .. }))
        .count();
    if prefixes > MAX_QUERY_PREFIXES {
        return Err(QueryError::TooManyPrefixes {
            prefixes,
            max: MAX_QUERY_PREFIXES,
        });
    }
    Ok(query)
}

/// Parses lexemes up to the `)` that closes the group opened at `open`
/// (or to the end, at the top level). Folds `NOT x` into a negated item,
/// and `a OR b OR c` into one clause.
fn parse_clauses(
    lexemes: &mut std::vec::IntoIter<Lexeme>,
    open: Option<usize>,
    depth: usize,
) -> Result<Vec<Clause>, QueryError> {
    let mut clauses: Vec<Clause> = Vec::new();
    let mut pending_not: Option<usize> = None;
    let mut pending_or: Option<usize> = None;
    let mut closed = false;
    while let Some(lexeme) = lexemes.next() {
        let mut item = match lexeme {
            Lexeme::Open { position, negated } => {
                if depth >= MAX_GROUP_DEPTH {
                    return Err(QueryError::GroupTooDeep {
                        position,
                        max: MAX_GROUP_DEPTH,
                    });
                }
                let inner = parse_clauses(lexemes, Some(position), depth + 1)?;
                if inner.is_empty() {
                    return Err(QueryError::EmptyGroup { position });
                }
                if inner.iter().all(|c| c.excluded) {
                    return Err(QueryError::GroupOnlyExcludes { position });
                }
                Item {
                    atom: Atom::Group(inner),
                    negated,
                }
            }
            Lexeme::Close(position) => {
                if open.is_none() {
                    return Err(QueryError::UnopenedGroup { position });
                }
                closed = true;
                break;
            }
            Lexeme::Not(position) => {
                if pending_not.is_some() {
                    return Err(dangling("NOT", position, "its right"));
                }
                pending_not = Some(position);
                continue;
            }
            Lexeme::Or(position) => {
                if pending_or.is_some() || pending_not.is_some() {
                    return Err(dangling("OR", position, "both sides"));
                }
                match clauses.last() {
                    Some(c) if !c.excluded => pending_or = Some(position),
                    _ => return Err(dangling("OR", position, "both sides")),
                }
                continue;
            }
            Lexeme::Item(item) => item,
        };
        if pending_not.take().is_some() {
            item.negated = true;
        }
        match (pending_or.take(), clauses.last_mut()) {
            (Some(position), _) if item.negated => {
                return Err(dangling("OR", position, "both sides"));
            }
            (Some(_), Some(last)) => last.alternatives.push(item.atom),
            _ => clauses.push(Clause {
                alternatives: vec![item.atom],
                excluded: item.negated,
            }),
        }
    }
    if let (Some(position), false) = (open, closed) {
        return Err(QueryError::UnclosedGroup { position });
    }
    if let Some(position) = pending_or {
        return Err(dangling("OR", position, "both sides"));
    }
    if let Some(position) = pending_not {
        return Err(dangling("NOT", position, "its right"));
    }
    Ok(flatten(clauses))
}

/// Removes parentheses that change nothing, so that a query means the same
/// with or without them and is ranked the same: `(a OR b) OR c` is
/// `a OR b OR c`, and a required group standing alone, `x (a b)`, is
/// `x a b`.
fn flatten(clauses: Vec<Clause>) -> Vec<Clause> {
    let mut out = Vec::with_capacity(clauses.len());
    for mut clause in clauses {
        let mut alternatives = Vec::with_capacity(clause.alternatives.len());
        for atom in clause.alternatives {
            match atom {
                Atom::Group(mut inner) if inner.len() == 1 && !inner[0].excluded => {
                    alternatives.append(&mut inner[0].alternatives);
                }
                other => alternatives.push(other),
            }
        }
        clause.alternatives = alternatives;
        match clause.alternatives.as_mut_slice() {
            [Atom::Group(inner)] if !clause.excluded => out.append(inner),
            _ => out.push(clause),
        }
    }
    out
}

/// Refuses a query over [`MAX_QUERY_BYTES`] or [`MAX_QUERY_WORDS`] before
/// any work is spent on it.
pub fn check_size(query: &str) -> Result<(), QueryError> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(QueryError::TooLong {
            bytes: query.len(),
            max: MAX_QUERY_BYTES,
        });
    }
    let words = query.unicode_words().count();
    if words > MAX_QUERY_WORDS {
        return Err(QueryError::TooManyWords {
            words,
            max: MAX_QUERY_WORDS,
        });
    }
    Ok(())
}

fn dangling(operator: &'static str, position: usize, side: &'static str) -> QueryError {
    QueryError::DanglingOperator {
        operator,
        position,
        side,
    }
}

fn lex(chars: &[char]) -> Result<Vec<Lexeme>, QueryError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        if chars[i] == ')' {
            out.push(Lexeme::Close(i + 1));
            i += 1;
            continue;
        }
        let start = i;
        let negated = chars[i] == '-' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
        if negated {
            i += 1;
        }
        if chars.get(i) == Some(&'(') {
            out.push(Lexeme::Open {
                position: i + 1,
                negated,
            });
            i += 1;
            continue;
        }
        // field:
        let mut field: Option<(String, usize)> = None;
        let name_end = chars[i..]
            .iter()
            .position(|c| !c.is_ascii_alphabetic())
            .map_or(chars.len(), |n| i + n);
        if name_end > i && chars.get(name_end) == Some(&':') {
            let name: String = chars[i..name_end]
                .iter()
                .collect::<String>()
                .to_ascii_lowercase();
            if !FIELDS.contains(&name.as_str()) {
                return Err(QueryError::UnknownField {
                    field: chars[i..name_end].iter().collect(),
                    position: i + 1,
                });
            }
            if chars.get(name_end + 1) == Some(&'(') {
                return Err(QueryError::FieldGroup {
                    field: name,
                    position: i + 1,
                });
            }
            field = Some((name, i + 1));
            i = name_end + 1;
        }
        // value: a phrase or a bare word
        let (value, phrase) = if chars.get(i) == Some(&'"') {
            let open = i;
            let Some(len) = chars[i + 1..].iter().position(|c| *c == '"') else {
                return Err(QueryError::UnbalancedQuote { position: open + 1 });
            };
            let text: String = chars[i + 1..i + 1 + len].iter().collect();
            i += len + 2;
            (text, true)
        } else {
            let begin = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '"' | '(' | ')')
            {
                i += 1;
            }
            (chars[begin..i].iter().collect::<String>(), false)
        };
        if field.is_none() && !phrase && !negated {
            match value.as_str() {
                "OR" | "|" | "||" => {
                    out.push(Lexeme::Or(start + 1));
                    continue;
                }
                "NOT" => {
                    out.push(Lexeme::Not(start + 1));
                    continue;
                }
                "AND" | "&&" => continue,
                _ => {}
            }
        }
        let atom = match field {
            None => text_atom(TextScope::All, value, phrase, start + 1)?,
            Some((name, position)) => field_atom(&name, value, phrase, position)?,
        };
        let Some(atom) = atom else {
            continue;
        };
        out.push(Lexeme::Item(Item { atom, negated }));
    }
    Ok(out)
}

fn text_atom(
    scope: TextScope,
    value: String,
    phrase: bool,
    position: usize,
) -> Result<Option<Atom>, QueryError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    let prefix = !phrase && value.ends_with('*') && value.chars().count() > 1;
    let text = if prefix {
        value.trim_end_matches('*').to_string()
    } else {
        value
    };
    if prefix && text.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return Err(QueryError::ShortPrefix {
            prefix: text,
            position,
        });
    }
    Ok(Some(Atom::Text {
        scope,
        text,
        phrase,
        prefix,
    }))
}

fn field_atom(
    name: &str,
    value: String,
    phrase: bool,
    position: usize,
) -> Result<Option<Atom>, QueryError> {
    if value.trim().is_empty() {
        let example = match name {
            "date" => "2022-09-12..2022-09-20",
            "country" => "TR",
            "title" | "body" => "بيرقدار",
            _ => "…",
        };
        return Err(QueryError::MissingValue {
            field: name.to_string(),
            position,
            example,
        });
    }
    Ok(Some(match name {
        "title" => return text_atom(TextScope::Title, value, phrase, position),
        "body" => return text_atom(TextScope::Body, value, phrase, position),
        "date" => Atom::Date(parse_date_range(&value, position)?),
        facet => Atom::Keyword {
            facet: facet.to_string(),
            value: value.trim().to_string(),
        },
    }))
}

/// `A..B`, `A..`, `..B`, or a single `YYYY[-MM[-DD]]` (its whole span).
pub fn parse_date_range(value: &str, position: usize) -> Result<DateRange, QueryError> {
    let bad = |v: &str| QueryError::BadDate {
        value: v.to_string(),
        position,
    };
    let (from, to) = match value.split_once("..") {
        Some((a, b)) => (
            (!a.is_empty())
                .then(|| parse_day(a, false).ok_or_else(|| bad(a)))
                .transpose()?,
            (!b.is_empty())
                .then(|| parse_day(b, true).ok_or_else(|| bad(b)))
                .transpose()?,
        ),
        None => (
            Some(parse_day(value, false).ok_or_else(|| bad(value))?),
            Some(parse_day(value, true).ok_or_else(|| bad(value))?),
        ),
    };
    if from.is_none() && to.is_none() {
        return Err(bad(value));
    }
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(QueryError::EmptyRange {
                from: f.to_string(),
                to: t.to_string(),
                position,
            });
        }
    }
    Ok(DateRange { from, to })
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (any digits); `end` picks the last day
/// of a year or month instead of the first.
fn parse_day(text: &str, end: bool) -> Option<Date> {
    let text = crate::analysis::normalize(text.trim());
    let parts: Vec<&str> = text.split(['-', '/']).collect();
    if parts.is_empty() || parts.len() > 3 || parts[0].len() != 4 {
        return None;
    }
    let nums: Vec<u32> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect::<Option<_>>()?;
    let year = i32::try_from(nums[0]).ok()?;
    if !(1000..=9999).contains(&year) {
        return None;
    }
    let month = match nums.get(1) {
        Some(&m) => Month::try_from(u8::try_from(m).ok()?).ok()?,
        None if end => Month::December,
        None => Month::January,
    };
    match nums.get(2) {
        Some(&d) => Date::from_calendar_date(year, month, u8::try_from(d).ok()?).ok(),
        None if end => Date::from_calendar_date(year, month, month.length(year)).ok(),
        None => Date::from_calendar_date(year, month, 1).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Atom {
        Atom::Text {
            scope: TextScope::All,
            text: text.into(),
            phrase: false,
            prefix: false,
        }
    }

    fn clause(atoms: Vec<Atom>, excluded: bool) -> Clause {
        Clause {
            alternatives: atoms,
            excluded,
        }
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let q = parse(r#"بيرقدار "قره باغ" -روسيا NOT "وزارة الدفاع""#).unwrap();
        assert_eq!(
            q.clauses,
            [
                clause(vec![word("بيرقدار")], false),
                clause(
                    vec![Atom::Text {
                        scope: TextScope::All,
                        text: "قره باغ".into(),
                        phrase: true,
                        prefix: false
                    }],
                    false
                ),
                clause(vec![word("روسيا")], true),
                clause(
                    vec![Atom::Text {
                        scope: TextScope::All,
                        text: "وزارة الدفاع".into(),
                        phrase: true,
                        prefix: false
                    }],
                    true
                ),
            ]
        );
    }

    #[test]
    fn or_groups_neighbours() {
        let q = parse("طائرات أنقرة OR باكو OR يريفان").unwrap();
        assert_eq!(
            q.clauses,
            [
                clause(vec![word("طائرات")], false),
                clause(vec![word("أنقرة"), word("باكو"), word("يريفان")], false),
            ]
        );
        assert_eq!(parse("a AND b").unwrap().clauses.len(), 2);
    }

    #[test]
    fn fields_prefixes_and_dates() {
        let q = parse("title:بيرقدار country:TR صاروخ* date:2022-09").unwrap();
        assert_eq!(
            q.clauses[0].alternatives[0],
            Atom::Text {
                scope: TextScope::Title,
                text: "بيرقدار".into(),
                phrase: false,
                prefix: false
            }
        );
        assert_eq!(
            q.clauses[1].alternatives[0],
            Atom::Keyword {
                facet: "country".into(),
                value: "TR".into()
            }
        );
        assert_eq!(
            q.clauses[2].alternatives[0],
            Atom::Text {
                scope: TextScope::All,
                text: "صاروخ".into(),
                phrase: false,
                prefix: true
            }
        );
        let Atom::Date(range) = q.clauses[3].alternatives[0] else {
            panic!("not a date");
        };
        assert_eq!(range.from.unwrap().to_string(), "2022-09-01");
        assert_eq!(range.to.unwrap().to_string(), "2022-09-30");
    }

    #[test]
    fn date_ranges() {
        let r = parse_date_range("2022-09-12..2022-09-20", 1).unwrap();
        assert_eq!(r.from.unwrap().to_string(), "2022-09-12");
        assert_eq!(r.to.unwrap().to_string(), "2022-09-20");
        let r = parse_date_range("..2018", 1).unwrap();
        assert_eq!(
            (r.from, r.to.unwrap().to_string()),
            (None, "2018-12-31".into())
        );
        let r = parse_date_range("٢٠١٨-٠٣..", 1).unwrap();
        assert_eq!(r.from.unwrap().to_string(), "2018-03-01");
        assert!(matches!(
            parse_date_range("2022-13-01", 7),
            Err(QueryError::BadDate { position: 7, .. })
        ));
        assert!(matches!(
            parse_date_range("2022-02-30", 1),
            Err(QueryError::BadDate { .. })
        ));
        assert!(matches!(
            parse_date_range("..", 1),
            Err(QueryError::BadDate { .. })
        ));
        assert!(matches!(
            parse_date_range("2022-09-20..2022-09-12", 1),
            Err(QueryError::EmptyRange { .. })
        ));
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert_eq!(parse("  "), Err(QueryError::Empty));
        assert_eq!(
            parse(r#"قره "باغ"#),
            Err(QueryError::UnbalancedQuote { position: 5 })
        );
        assert!(matches!(
            parse("باكو planet:mars"),
            Err(QueryError::UnknownField { position: 6, .. })
        ));
        assert!(matches!(
            parse("country:"),
            Err(QueryError::MissingValue { .. })
        ));
        assert!(matches!(
            parse("OR باكو"),
            Err(QueryError::DanglingOperator { position: 1, .. })
        ));
        assert!(matches!(
            parse("باكو OR"),
            Err(QueryError::DanglingOperator { .. })
        ));
        assert!(matches!(
            parse("باكو NOT"),
            Err(QueryError::DanglingOperator { .. })
        ));
        assert!(matches!(
            parse("ب* باكو"),
            Err(QueryError::ShortPrefix { .. })
        ));
        assert_eq!(parse("-روسيا"), Err(QueryError::OnlyExclusions));
    }

    #[test]
    fn long_queries_are_refused_before_parsing() {
        let words = |n: usize| vec!["باكو"; n].join(" ");
        assert!(parse(&words(MAX_QUERY_WORDS)).is_ok());
        assert_eq!(
            parse(&words(MAX_QUERY_WORDS + 1)),
            Err(QueryError::TooManyWords {
                words: MAX_QUERY_WORDS + 1,
                max: MAX_QUERY_WORDS
            })
        );
        // Punctuation splits words as the analyzer does.
        assert!(matches!(
            parse(&vec!["ab"; MAX_QUERY_WORDS + 1].join(",")),
            Err(QueryError::TooManyWords { .. })
        ));
        let long = "ب".repeat(MAX_QUERY_BYTES);
        assert!(matches!(parse(&long), Err(QueryError::TooLong { .. })));
    }

    #[test]
    fn prefixes_are_limited() {
        let prefixes = |n: usize| vec!["صا*"; n].join(" OR ");
        assert!(parse(&prefixes(MAX_QUERY_PREFIXES)).is_ok());
        assert_eq!(
            parse(&prefixes(MAX_QUERY_PREFIXES + 1)),
            Err(QueryError::TooManyPrefixes {
                prefixes: MAX_QUERY_PREFIXES + 1,
                max: MAX_QUERY_PREFIXES
            })
        );
    }

    fn group(clauses: Vec<Clause>) -> Atom {
        Atom::Group(clauses)
    }

    #[test]
    fn parentheses_group() {
        // Without them, OR takes its neighbours; with them, the group.
        let q = parse("(طائرات أنقرة) OR باكو").unwrap();
        assert_eq!(
            q.clauses,
            [clause(
                vec![
                    group(vec![
                        clause(vec![word("طائرات")], false),
                        clause(vec![word("أنقرة")], false)
                    ]),
                    word("باكو")
                ],
                false
            )]
        );
        assert_ne!(q, parse("طائرات أنقرة OR باكو").unwrap());
        // Nested, with OR and NOT inside, and excluded as a whole.
        let q = parse("بوتين ((أنقرة OR باكو) -روسيا) OR يريفان -(قره باغ)").unwrap();
        assert_eq!(
            q.clauses,
            [
                clause(vec![word("بوتين")], false),
                clause(
                    vec![
                        group(vec![
                            clause(vec![word("أنقرة"), word("باكو")], false),
                            clause(vec![word("روسيا")], true)
                        ]),
                        word("يريفان")
                    ],
                    false
                ),
                clause(
                    vec![group(vec![
                        clause(vec![word("قره")], false),
                        clause(vec![word("باغ")], false)
                    ])],
                    true
                ),
            ]
        );
        assert_eq!(q.positive_texts(), ["بوتين", "أنقرة", "باكو", "يريفان"]);
        // Parentheses that change nothing are dropped.
        assert_eq!(
            parse("(أ OR ب) OR ج").unwrap(),
            parse("أ OR ب OR ج").unwrap()
        );
        assert_eq!(parse("س (ص ع)").unwrap(), parse("س ص ع").unwrap());
        assert_eq!(
            parse("NOT (أ OR ب) ج").unwrap().clauses,
            [
                clause(vec![word("أ"), word("ب")], true),
                clause(vec![word("ج")], false),
            ]
        );
        // Inside quotes a parenthesis is text.
        assert_eq!(
            parse(r#""قره (باغ)""#).unwrap().clauses[0].alternatives[0],
            Atom::Text {
                scope: TextScope::All,
                text: "قره (باغ)".into(),
                phrase: true,
                prefix: false
            }
        );
    }

    #[test]
    fn parentheses_errors_say_where() {
        assert_eq!(
            parse("باكو (أنقرة OR يريفان"),
            Err(QueryError::UnclosedGroup { position: 6 })
        );
        assert_eq!(
            parse("باكو أنقرة) يريفان"),
            Err(QueryError::UnopenedGroup { position: 11 })
        );
        assert_eq!(
            parse("باكو ()"),
            Err(QueryError::EmptyGroup { position: 6 })
        );
        assert_eq!(
            parse("باكو OR (-روسيا)"),
            Err(QueryError::GroupOnlyExcludes { position: 9 })
        );
        assert!(matches!(
            parse("(باكو OR)"),
            Err(QueryError::DanglingOperator { .. })
        ));
        assert!(matches!(
            parse("title:(باكو أنقرة)"),
            Err(QueryError::FieldGroup { position: 1, .. })
        ));
        let deep = format!("{}باكو{}", "(".repeat(100), ")".repeat(100));
        assert!(matches!(parse(&deep), Err(QueryError::GroupTooDeep { .. })));
        let deep = "(".repeat(MAX_QUERY_BYTES);
        assert!(matches!(parse(&deep), Err(QueryError::GroupTooDeep { .. })));
    }

    #[test]
    fn a_lone_dash_and_non_field_colons_are_words() {
        assert_eq!(parse("a - b").unwrap().clauses.len(), 3);
        assert_eq!(parse("الساعة 10:30").unwrap().clauses.len(), 2);
    }
}
