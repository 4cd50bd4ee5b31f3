//! A [`ParsedQuery`] plus filters → one tantivy query.
//!
//! Text atoms are analyzed with the analyzer of every field they search —
//! the analyzers that indexed the text — and match in any of those fields,
//! weighted by the field's boost (exact forms above stems). Keyword atoms,
//! filters and date ranges only select documents: they add no score, so they
//! never change the order of what they keep.

use std::collections::BTreeMap;
use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, FieldType, IndexRecordOption};
use tantivy::time::{PrimitiveDateTime, Time};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{DateTime, Searcher, Term};

use super::guard::guarded;
use super::matching::{self, Matcher, Mode, QuestionRole, Word};
use super::prefix::{self, Expansion, MAX_PREFIX_EXPANSIONS};
use super::query::{Atom, Clause, DateRange, ParsedQuery, QueryError, TextScope};
use super::resolve::Resolver;
use crate::index::NewsSchema;

/// Everything needed to turn atoms into queries.
pub struct Context<'a> {
    pub schema: &'a NewsSchema,
    pub tokenizers: &'a TokenizerManager,
    pub resolver: &'a Resolver,
    pub searcher: &'a Searcher,
}

/// Selections applied on top of the query: `--filter`, `--from`, `--to`.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// `(facet, value)` pairs; values of one facet are OR-ed, facets AND-ed.
    pub values: Vec<(String, String)>,
    /// `date=` filters: OR-ed like the values of any other field, so two
    /// months picked one after the other keep both.
    pub date_values: Vec<DateRange>,
    /// `--from` and `--to`: every article kept lies within.
    pub dates: Option<DateRange>,
}

impl Filters {
    /// Parses `FIELD=VALUE` (also `FIELD:VALUE`).
    pub fn add(&mut self, filter: &str, known_facets: &[&str]) -> Result<(), QueryError> {
        let bad = |reason: String| QueryError::BadFilter {
            filter: filter.to_string(),
            reason,
        };
        let Some((field, value)) = filter.split_once(['=', ':']) else {
            return Err(bad("expected FIELD=VALUE, e.g. country=TR".into()));
        };
        let field = field.trim().to_ascii_lowercase();
        let value = value.trim();
        if value.is_empty() {
            return Err(bad("the value is empty".into()));
        }
        if field == "date" {
            let range = super::query::parse_date_range(value, 1).map_err(|e| match e {
                QueryError::EmptyRange { from, to, .. } => {
                    bad(format!("the range is empty: {from} is after {to}"))
                }
                _ => bad("use YYYY, YYYY-MM or YYYY-MM-DD, or a range FROM..TO".into()),
            })?;
            self.date_values.push(range);
            return Ok(());
        }
        if !known_facets.contains(&field.as_str()) {
            return Err(bad(format!(
                "unknown field `{field}`; filter on {} or date",
                known_facets.join(", ")
            )));
        }
        self.values.push((field, value.to_string()));
        Ok(())
    }

    /// Sets the `--from` and `--to` bounds (`YYYY[-MM[-DD]]`, inclusive).
    pub fn bound(&mut self, from: Option<&str>, to: Option<&str>) -> Result<(), QueryError> {
        let day = |name: &str, value: &str, text: String| {
            super::query::parse_date_range(&text, 1).map_err(|_| QueryError::BadFilter {
                filter: format!("{name} {value}"),
                reason: "use YYYY, YYYY-MM or YYYY-MM-DD".into(),
            })
        };
        let from = from
            .map(|v| day("--from", v, format!("{v}..")))
            .transpose()?;
        let to = to.map(|v| day("--to", v, format!("..{v}"))).transpose()?;
        let range = DateRange {
            from: from.and_then(|r| r.from),
            to: to.and_then(|r| r.to),
        };
        if let (Some(from), Some(to)) = (range.from, range.to) {
            if from > to {
                return Err(QueryError::EmptyBounds {
                    from: from.to_string(),
                    to: to.to_string(),
                });
            }
        }
        if range.from.is_some() || range.to.is_some() {
            self.dates = Some(range);
        }
        Ok(())
    }

    /// Whether any filter selects (a search may then have no query).
    pub fn selects(&self) -> bool {
        !self.values.is_empty() || !self.date_values.is_empty() || self.dates.is_some()
    }
}

/// Builds the query for a parsed query string and filters.
///
/// Words and phrases searched in all text go through [`Matcher`], which
/// knows each analyzed field's role, and are ranked together by
/// [`matching::combine`] in `mode`. Keyword and date clauses are hard
/// selections in every mode: a partial match never drops a `country:TR`.
pub fn compile(
    ctx: &Context,
    parsed: &ParsedQuery,
    filters: &Filters,
    mode: Mode,
) -> Result<Box<dyn Query>, QueryError> {
    compile_query(ctx, parsed, filters, mode).map(|c| c.query)
}

/// A compiled query, and what the search around it needs to know.
pub struct Compiled {
    pub query: Box<dyn Query>,
    /// The query is a question (see [`matching::free_question_frames`]).
    pub question: bool,
    /// What its `prefix*` words were expanded to.
    pub expanded: Expanded,
}

/// The words the query's `prefix*` words stand for: to highlight them, and
/// to tell the user when a prefix starts more words than are searched.
#[derive(Debug, Clone, Default)]
pub struct Expanded {
    /// The words searched (exact forms), without repeats.
    pub words: Vec<String>,
    /// Each prefix (as typed, without `*`) that starts more than
    /// [`MAX_PREFIX_EXPANSIONS`] words, with how many it starts.
    pub capped: Vec<(String, usize)>,
}

impl Expanded {
    fn add(&mut self, prefix: &str, expansion: &Expansion) {
        for term in &expansion.terms {
            if let Some(word) = term.value().as_str() {
                if !self.words.iter().any(|w| w == word) {
                    self.words.push(word.to_string());
                }
            }
        }
        if !expansion.capped() {
            return;
        }
        // One entry per prefix, with the most words of any field.
        match self.capped.iter_mut().find(|(p, _)| p == prefix) {
            Some((_, found)) => *found = (*found).max(expansion.found),
            None => self.capped.push((prefix.to_string(), expansion.found)),
        }
    }
}

/// As [`compile`], telling also whether the query is a question.
pub fn compile_query(
    ctx: &Context,
    parsed: &ParsedQuery,
    filters: &Filters,
    mode: Mode,
) -> Result<Compiled, QueryError> {
    let mut matcher = Matcher::new(ctx.schema, ctx.tokenizers);
    let mut expanded = Expanded::default();
    let (mut required, mut excluded) = (Vec::new(), Vec::new());
    let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for clause in &parsed.clauses {
        let selects_only = !clause.alternatives.iter().any(Atom::has_text);
        let mut words = Vec::new();
        for atom in &clause.alternatives {
            if let Some(word) = atom_word(ctx, &mut matcher, atom, &mut expanded)? {
                words.push(word);
            }
        }
        // A clause with nothing searchable (punctuation) is dropped rather
        // than matching nothing or everything.
        let Some(word) = any_of(words) else {
            continue;
        };
        match (selects_only, clause.excluded) {
            (true, false) => parts.push((Occur::Must, word.matching)),
            (true, true) => parts.push((Occur::MustNot, word.matching)),
            (false, false) => required.push(word),
            (false, true) => excluded.push(word),
        }
    }
    let question_mark = parsed
        .atoms()
        .into_iter()
        .any(|a| matches!(a, Atom::Text { text, .. } if text.contains(['?', '\u{061F}'])));
    let question = matching::free_question_frames(&mut required, question_mark);
    if mode == Mode::AllRequired {
        // Without the document frequencies every word stays required; the
        // search itself then reports the index's error.
        let _ = matching::free_common_words(&mut required, ctx.searcher);
    }
    let selects = parts.iter().any(|(o, _)| *o == Occur::Must);
    if required.is_empty() {
        if !selects {
            return Err(if excluded.is_empty() && parts.is_empty() {
                QueryError::NothingSearchable
            } else {
                QueryError::OnlyExclusions
            });
        }
        parts.extend(excluded.into_iter().map(|w| (Occur::MustNot, w.matching)));
    } else {
        let text =
            matching::combine(required, excluded, mode).ok_or(QueryError::NothingSearchable)?;
        parts.push((Occur::Must, text));
    }
    parts.extend(
        filter_queries(ctx, filters)?
            .into_iter()
            .map(|q| (Occur::Must, q)),
    );
    Ok(Compiled {
        query: Box::new(BooleanQuery::new(parts)),
        question,
        expanded,
    })
}

/// The words of one clause (its alternatives) as one word that any of
/// them matches; `None` when there is none.
fn any_of(mut words: Vec<Word>) -> Option<Word> {
    if words.len() <= 1 {
        return words.pop();
    }
    Some(Word {
        matching: Box::new(BooleanQuery::new(
            words
                .into_iter()
                .map(|w| (Occur::Should, w.matching))
                .collect(),
        )),
        scoring: None,
        stopword: false,
        question: QuestionRole::None,
        near: Vec::new(),
    })
}

/// A group in parentheses as one word: every clause in it is required
/// (its stopwords only add to the score, unless it has nothing else) and
/// its excluded clauses must not match. `None` when nothing in it is
/// searchable.
fn group_word(
    ctx: &Context,
    matcher: &mut Matcher,
    clauses: &[Clause],
    expanded: &mut Expanded,
) -> Result<Option<Word>, QueryError> {
    let (mut required, mut optional, mut excluded) = (Vec::new(), Vec::new(), Vec::new());
    for clause in clauses {
        let mut words = Vec::new();
        for atom in &clause.alternatives {
            if let Some(word) = atom_word(ctx, matcher, atom, expanded)? {
                words.push(word);
            }
        }
        let Some(word) = any_of(words) else {
            continue;
        };
        if clause.excluded {
            excluded.push(word);
        } else if word.stopword {
            optional.push(word);
        } else {
            required.push(word);
        }
    }
    if required.is_empty() {
        required = std::mem::take(&mut optional);
    }
    if required.is_empty() {
        return Ok(None);
    }
    let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in required {
        parts.push((Occur::Must, word.matching));
        parts.extend(word.scoring.map(|s| (Occur::Should, s)));
    }
    parts.extend(optional.into_iter().map(|w| (Occur::Should, w.matching)));
    parts.extend(excluded.into_iter().map(|w| (Occur::MustNot, w.matching)));
    Ok(Some(Word {
        matching: Box::new(BooleanQuery::new(parts)),
        scoring: None,
        stopword: false,
        question: QuestionRole::None,
        near: Vec::new(),
    }))
}

/// One atom as a [`Word`] for [`matching::combine`].
fn atom_word(
    ctx: &Context,
    matcher: &mut Matcher,
    atom: &Atom,
    expanded: &mut Expanded,
) -> Result<Option<Word>, QueryError> {
    let matching = match atom {
        Atom::Text {
            scope: TextScope::All,
            text,
            phrase,
            prefix: false,
        } => {
            return Ok(if *phrase {
                matcher.phrase(text)
            } else {
                matcher.word(text)
            })
        }
        Atom::Text {
            scope,
            text,
            phrase: false,
            prefix: true,
        } => prefix_query(ctx, matcher, *scope, text, expanded),
        Atom::Group(clauses) => return group_word(ctx, matcher, clauses, expanded),
        _ => atom_query(ctx, atom, expanded)?,
    };
    Ok(matching.map(|matching| Word {
        matching,
        scoring: None,
        stopword: false,
        question: QuestionRole::None,
        near: Vec::new(),
    }))
}

/// `prefix*`: the word itself, in every form the plain word matches (so
/// `أنقرة*` finds all that `أنقرة` finds), or a word that starts with it.
fn prefix_query(
    ctx: &Context,
    matcher: &mut Matcher,
    scope: TextScope,
    text: &str,
    expanded: &mut Expanded,
) -> Option<Box<dyn Query>> {
    let plain = match scope {
        TextScope::All => matcher.word(text).map(|w| w.matching),
        TextScope::Title | TextScope::Body => text_query(ctx, scope, text, false, false, expanded),
    };
    let started = text_query(ctx, scope, text, false, true, expanded);
    let parts: Vec<(Occur, Box<dyn Query>)> = plain
        .into_iter()
        .chain(started)
        .map(|q| (Occur::Should, q))
        .collect();
    (!parts.is_empty()).then(|| Box::new(BooleanQuery::new(parts)) as Box<dyn Query>)
}

/// Only the filters (for browsing without a query).
pub fn compile_filters(ctx: &Context, filters: &Filters) -> Result<Box<dyn Query>, QueryError> {
    let mut parts: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(AllQuery))];
    parts.extend(
        filter_queries(ctx, filters)?
            .into_iter()
            .map(|q| (Occur::Must, q)),
    );
    Ok(Box::new(BooleanQuery::new(parts)))
}

fn filter_queries(ctx: &Context, filters: &Filters) -> Result<Vec<Box<dyn Query>>, QueryError> {
    let mut by_facet: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (facet, value) in &filters.values {
        by_facet.entry(facet).or_default().push(value);
    }
    let mut out = Vec::new();
    for (facet, values) in by_facet {
        let field = keyword_field(ctx, facet)?;
        let mut terms = Vec::new();
        for value in values {
            for v in ctx.resolver.resolve(facet, value, ctx.searcher, field)? {
                terms.push(Term::from_field_text(field, &v));
            }
        }
        out.push(no_score(Box::new(TermSetQuery::new(terms))));
    }
    match filters.date_values.as_slice() {
        [] => {}
        [range] => out.push(date_query(ctx, *range)),
        ranges => out.push(Box::new(BooleanQuery::new(
            ranges
                .iter()
                .map(|&range| (Occur::Should, date_query(ctx, range)))
                .collect(),
        ))),
    }
    if let Some(range) = filters.dates {
        out.push(date_query(ctx, range));
    }
    Ok(out)
}

fn no_score(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

fn keyword_field(ctx: &Context, facet: &str) -> Result<Field, QueryError> {
    let spec = ctx
        .schema
        .facet_field(facet)
        .ok_or_else(|| QueryError::UnknownField {
            field: facet.to_string(),
            position: 1,
        })?;
    Ok(ctx.schema.field(&spec.name))
}

fn atom_query(
    ctx: &Context,
    atom: &Atom,
    expanded: &mut Expanded,
) -> Result<Option<Box<dyn Query>>, QueryError> {
    Ok(Some(match atom {
        Atom::Text {
            scope,
            text,
            phrase,
            prefix,
        } => return Ok(text_query(ctx, *scope, text, *phrase, *prefix, expanded)),
        Atom::Keyword { facet, value } => {
            let field = keyword_field(ctx, facet)?;
            let terms = ctx
                .resolver
                .resolve(facet, value, ctx.searcher, field)?
                .into_iter()
                .map(|v| Term::from_field_text(field, &v));
            no_score(Box::new(TermSetQuery::new(terms)))
        }
        Atom::Date(range) => date_query(ctx, *range),
        // Groups are words of their own (see [`group_word`]).
        Atom::Group(_) => return Ok(None),
    }))
}

fn date_query(ctx: &Context, range: DateRange) -> Box<dyn Query> {
    let field = ctx.schema.fields.date;
    let at = |date: tantivy::time::Date| {
        Term::from_field_date(
            field,
            DateTime::from_primitive(PrimitiveDateTime::new(date, Time::MIDNIGHT)),
        )
    };
    let lower = range
        .from
        .map_or(Bound::Unbounded, |d| Bound::Included(at(d)));
    let upper = match range.to.and_then(|d| d.next_day()) {
        Some(next) => Bound::Excluded(at(next)),
        None => Bound::Unbounded,
    };
    no_score(Box::new(RangeQuery::new(lower, upper)))
}

/// The analyzed fields a scope searches, with boosts.
fn scope_fields(schema: &NewsSchema, scope: TextScope) -> Vec<(Field, f32)> {
    let base = match scope {
        TextScope::All => return schema.default_search_fields(),
        TextScope::Title => "title",
        TextScope::Body => "body",
    };
    schema
        .specs
        .iter()
        .filter(|s| s.name == base || s.copy_from.as_deref() == Some(base))
        .map(|s| (schema.field(&s.name), s.boost.unwrap_or(1.0)))
        .collect()
}

fn has_positions(schema: &NewsSchema, field: Field) -> bool {
    schema
        .schema
        .get_field_entry(field)
        .field_type()
        .get_index_record_option()
        .is_some_and(|o| o.has_positions())
}

/// Whether a field holds exact (unstemmed) forms: prefixes are matched there.
fn is_exact(schema: &NewsSchema, field: Field) -> bool {
    let name = schema.schema.get_field_name(field);
    schema
        .spec(name)
        .is_some_and(|s| s.analyzer.as_deref() == Some(crate::analysis::ARABIC))
}

/// A word, phrase or prefix in the analyzed fields of `scope`. A prefix is
/// matched in the exact-form fields: one word stands for the indexed words
/// that start with it (see [`prefix::expand`], recorded in `expanded`); a
/// prefix that analysis splits in several words is a phrase whose last word
/// is a prefix.
fn text_query(
    ctx: &Context,
    scope: TextScope,
    text: &str,
    phrase: bool,
    prefix: bool,
    expanded: &mut Expanded,
) -> Option<Box<dyn Query>> {
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (field, boost) in scope_fields(ctx.schema, scope) {
        let positions = has_positions(ctx.schema, field);
        if (phrase && !positions) || (prefix && !is_exact(ctx.schema, field)) {
            continue;
        }
        let terms = analyze(ctx, field, text);
        let query: Option<Box<dyn Query>> = match terms.len() {
            0 => None,
            1 if prefix => {
                let start = terms.into_iter().next().expect("one term");
                let expansion = prefix::expand(ctx.searcher, &start, MAX_PREFIX_EXPANSIONS);
                expanded.add(text, &expansion);
                (!expansion.terms.is_empty())
                    .then(|| Box::new(TermSetQuery::new(expansion.terms)) as Box<dyn Query>)
            }
            // tantivy expands the last word itself: the first words in
            // term order, segment by segment.
            _ if prefix && positions => {
                let mut q = PhrasePrefixQuery::new(terms);
                q.set_max_expansions(MAX_PREFIX_EXPANSIONS as u32);
                Some(guarded(Box::new(q)))
            }
            1 => Some(Box::new(TermQuery::new(
                terms.into_iter().next().expect("one term"),
                IndexRecordOption::WithFreqs,
            ))),
            _ if positions => Some(guarded(Box::new(PhraseQuery::new(terms)))),
            // Without positions, a multi-term word needs all its terms.
            _ => Some(Box::new(BooleanQuery::new(
                terms
                    .into_iter()
                    .map(|t| {
                        let q: Box<dyn Query> =
                            Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs));
                        (Occur::Must, q)
                    })
                    .collect(),
            ))),
        };
        if let Some(q) = query {
            alternatives.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
        }
    }
    (!alternatives.is_empty()).then(|| Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>)
}

fn analyze(ctx: &Context, field: Field, text: &str) -> Vec<Term> {
    let entry = ctx.schema.schema.get_field_entry(field);
    let FieldType::Str(options) = entry.field_type() else {
        return Vec::new();
    };
    let Some(indexing) = options.get_indexing_options() else {
        return Vec::new();
    };
    let Some(mut analyzer) = ctx.tokenizers.get(indexing.tokenizer()) else {
        return Vec::new();
    };
    crate::analysis::terms(&mut analyzer, text)
        .into_iter()
        .map(|t| Term::from_field_text(field, &t))
        .collect()
}

/// Builds the query for a query string over `index`, without filters: for
/// tools and tests that run queries directly.
pub fn build_with(
    index: &crate::index::NewsIndex,
    searcher: &Searcher,
    query: &str,
    mode: Mode,
) -> Result<Box<dyn Query>, QueryError> {
    let gazetteer =
        crate::entities::Gazetteer::builtin().map_err(|e| QueryError::UnknownValue {
            field: "gazetteer".into(),
            value: String::new(),
            hint: e.to_string(),
        })?;
    let resolver = Resolver::new(gazetteer);
    let ctx = Context {
        schema: &index.schema,
        tokenizers: index.index.tokenizers(),
        resolver: &resolver,
        searcher,
    };
    compile(
        &ctx,
        &super::query::parse(query)?,
        &Filters::default(),
        mode,
    )
}
