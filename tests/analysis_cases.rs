//! Analysis cases: a query must (match), must not (nomatch) or should
//! (variant) retrieve a one-line document, with every query word required.
//! Every document of a case file goes into one index, as a user's archive
//! would, and each query is searched against all of them.
//!
//! `tests/data/analysis-cases.tsv` always runs. The development set at
//! `../shared/eval/analysis/dev-cases.tsv` runs when it is present.

use std::path::Path;

use akhbar::archive::Article;
use akhbar::entities::Entities;
use akhbar::index::document::to_document;
use akhbar::index::NewsIndex;
use akhbar::search::compile;
use akhbar::search::matching::Mode;
use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

struct Case {
    class: String,
    query: String,
    doc: String,
    note: String,
}

fn read_cases(text: &str) -> Vec<Case> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(f.len() >= 3, "bad case line: {l}");
            Case {
                class: f[0].to_string(),
                query: f[1].to_string(),
                doc: f[2].to_string(),
                note: f.get(3).unwrap_or(&"").to_string(),
            }
        })
        .collect()
}

/// Per class: (passed, total), plus the failures.
struct Outcome {
    counts: Vec<(String, usize, usize)>,
    failures: Vec<String>,
}

impl Outcome {
    fn get(&self, class: &str) -> (usize, usize) {
        self.counts
            .iter()
            .find(|c| c.0 == class)
            .map_or((0, 0), |c| (c.1, c.2))
    }
}

fn run(cases: &[Case]) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let index = NewsIndex::create(&dir.path().join("index")).unwrap();
    let mut writer = index.index.writer::<TantivyDocument>(50_000_000).unwrap();
    for (i, case) in cases.iter().enumerate() {
        let article = Article {
            id: format!("doc{i}"),
            body: case.doc.clone(),
            path: "cases".into(),
            ..Article::default()
        };
        writer
            .add_document(to_document(&index.schema, &article, &Entities::default()))
            .unwrap();
    }
    writer.commit().unwrap();
    let reader = index.index.reader().unwrap();
    let searcher = reader.searcher();
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let q = compile::build_with(&index, &searcher, &case.query, Mode::AllRequired).unwrap();
        let top = searcher
            .search(&q, &TopDocs::with_limit(cases.len()).order_by_score())
            .unwrap();
        let want = format!("doc{i}");
        let found = top.iter().any(|(_, address)| {
            let doc: TantivyDocument = searcher.doc(*address).unwrap();
            doc.get_first(index.schema.fields.id)
                .and_then(|v| v.as_str())
                == Some(want.as_str())
        });
        let pass = if case.class == "nomatch" {
            !found
        } else {
            found
        };
        match counts.iter_mut().find(|c| c.0 == case.class) {
            Some(c) => {
                c.1 += pass as usize;
                c.2 += 1;
            }
            None => counts.push((case.class.clone(), pass as usize, 1)),
        }
        if !pass {
            failures.push(format!(
                "{}\t{}\t{}\t{}",
                case.class, case.query, case.doc, case.note
            ));
        }
    }
    for (class, pass, total) in &counts {
        println!("{class}: {pass}/{total}");
    }
    for f in &failures {
        println!("FAILED {f}");
    }
    Outcome { counts, failures }
}

#[test]
fn bundled_cases() {
    let cases = read_cases(include_str!("data/analysis-cases.tsv"));
    let outcome = run(&cases);
    let (m, mt) = outcome.get("match");
    let (n, nt) = outcome.get("nomatch");
    let (v, vt) = outcome.get("variant");
    assert!(mt > 0 && nt > 0 && vt > 0);
    assert_eq!(
        (m, n),
        (mt, nt),
        "failures:\n{}",
        outcome.failures.join("\n")
    );
    assert!(
        v == vt,
        "variants {v}/{vt}:\n{}",
        outcome.failures.join("\n")
    );
}

#[test]
fn development_cases() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/analysis/dev-cases.tsv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: {} not found", path.display());
        return;
    };
    let outcome = run(&read_cases(&text));
    let (m, mt) = outcome.get("match");
    let (n, nt) = outcome.get("nomatch");
    let (v, vt) = outcome.get("variant");
    assert_eq!(
        (m, n),
        (mt, nt),
        "failures:\n{}",
        outcome.failures.join("\n")
    );
    assert!(
        v * 11 >= vt * 9,
        "variants {v}/{vt}:\n{}",
        outcome.failures.join("\n")
    );
}
