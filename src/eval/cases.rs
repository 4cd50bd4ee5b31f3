//! Analysis cases: one-line documents that a query must (`match`), must not
//! (`nomatch`) or should (`variant`) retrieve with every query word required.
//! They check what the analyzers make of spellings, clitics and names
//! without a corpus: every document goes into one in-memory index, as a
//! user's archive would, and each query is searched against all of them.
//!
//! File format: `class<TAB>query<TAB>document[<TAB>note]`, one case a line;
//! blank lines and lines starting with `#` are ignored.

use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

use crate::archive::Article;
use crate::index::NewsIndex;
use crate::search::{compile, Mode};

/// The classes a case may have.
pub const CLASSES: [&str; 3] = ["match", "nomatch", "variant"];

/// One case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    pub class: String,
    pub query: String,
    pub document: String,
    pub note: String,
}

/// Passed and total cases of one class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassCount {
    pub class: String,
    pub passed: usize,
    pub total: usize,
}

/// The outcome of a case file: counts per class (in [`CLASSES`] order, then
/// any other class in order of appearance) and the cases that failed.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub classes: Vec<ClassCount>,
    pub failures: Vec<Case>,
}

impl Outcome {
    /// (passed, total) of `class`; (0, 0) when the file has none.
    pub fn get(&self, class: &str) -> (usize, usize) {
        self.classes
            .iter()
            .find(|c| c.class == class)
            .map_or((0, 0), |c| (c.passed, c.total))
    }
}

/// Parses a case file's text; `origin` names it in error messages.
pub fn parse_cases(text: &str, origin: &str) -> Result<Vec<Case>> {
    let mut cases = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 3 || fields[1].trim().is_empty() || fields[2].trim().is_empty() {
            bail!(
                "{origin}:{}: expected `class<TAB>query<TAB>document[<TAB>note]`",
                n + 1
            );
        }
        cases.push(Case {
            class: fields[0].trim().to_string(),
            query: fields[1].to_string(),
            document: fields[2].to_string(),
            note: fields.get(3).map_or(String::new(), |s| s.to_string()),
        });
    }
    if cases.is_empty() {
        bail!("{origin}: no cases (expected `class<TAB>query<TAB>document` lines)");
    }
    Ok(cases)
}

/// Reads a case file.
pub fn read_cases(path: &Path) -> Result<Vec<Case>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read analysis cases from {}", path.display()))?;
    parse_cases(&text, &path.display().to_string())
}

/// Indexes every case's document and searches every case's query, all words
/// required. A query that cannot be parsed fails its case (it retrieves
/// nothing) rather than the run.
pub fn run_cases(cases: &[Case]) -> Result<Outcome> {
    let index = NewsIndex::in_memory_of(cases.iter().enumerate().map(|(i, case)| Article {
        id: format!("case{i}"),
        body: case.document.clone(),
        path: "cases".into(),
        ..Article::default()
    }))?;
    let searcher = index.index.reader()?.searcher();
    let mut classes: Vec<ClassCount> = CLASSES
        .iter()
        .map(|c| ClassCount {
            class: c.to_string(),
            passed: 0,
            total: 0,
        })
        .collect();
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let want = format!("case{i}");
        let found = match compile::build_with(&index, &searcher, &case.query, Mode::AllRequired) {
            Ok(query) => {
                let top =
                    searcher.search(&query, &TopDocs::with_limit(cases.len()).order_by_score())?;
                let mut found = false;
                for (_, address) in top {
                    let doc: TantivyDocument = searcher.doc(address)?;
                    if doc
                        .get_first(index.schema.fields.id)
                        .and_then(|v| v.as_str())
                        == Some(want.as_str())
                    {
                        found = true;
                        break;
                    }
                }
                found
            }
            Err(_) => false,
        };
        let pass = found != (case.class == "nomatch");
        let count = match classes.iter().position(|c| c.class == case.class) {
            Some(at) => &mut classes[at],
            None => {
                classes.push(ClassCount {
                    class: case.class.clone(),
                    passed: 0,
                    total: 0,
                });
                classes.last_mut().expect("just pushed")
            }
        };
        count.total += 1;
        count.passed += pass as usize;
        if !pass {
            failures.push(case.clone());
        }
    }
    classes.retain(|c| c.total > 0);
    Ok(Outcome { classes, failures })
}

/// Prints the counts (`match: 35/35`) and the failed cases, one a line.
pub fn print_outcome(out: &mut impl std::io::Write, outcome: &Outcome) -> std::io::Result<()> {
    for c in &outcome.classes {
        writeln!(out, "{}: {}/{}", c.class, c.passed, c.total)?;
    }
    for f in &outcome.failures {
        writeln!(
            out,
            "FAILED {}\t{}\t{}\t{}",
            f.class, f.query, f.document, f.note
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_name_the_line() {
        let err = parse_cases("# c\nmatch\tonly-two\n", "x.tsv").unwrap_err();
        assert!(err.to_string().starts_with("x.tsv:2:"), "{err}");
        assert!(parse_cases("# nothing\n\n", "y.tsv").is_err());
    }

    #[test]
    fn cases_pass_and_fail_as_searching_says() {
        let cases = parse_cases(
            "match\tبيرقدار\tطائرات بِيرقدار المسيرة\n\
             nomatch\tعلي\tسافر على عجل\n\
             match\tموسكو\tزار العاصمة الفرنسية\tdeliberately wrong\n",
            "t",
        )
        .unwrap();
        let outcome = run_cases(&cases).unwrap();
        assert_eq!(outcome.get("match"), (1, 2));
        assert_eq!(outcome.get("nomatch"), (1, 1));
        assert_eq!(outcome.get("variant"), (0, 0));
        assert_eq!(outcome.failures.len(), 1);
        assert_eq!(outcome.failures[0].note, "deliberately wrong");
    }
}
