//! Analysis cases: a query must (match), must not (nomatch) or should
//! (variant) retrieve a one-line document, with every query word required
//! (`akhbar eval --cases`, [`akhbar::eval::cases`]).
//!
//! `tests/data/analysis-cases.tsv` always runs. The development set at
//! `../shared/eval/analysis/dev-cases.tsv` runs when it is present.

use std::path::Path;

use akhbar::eval::cases::{parse_cases, print_outcome, read_cases, run_cases, Outcome};

fn show(outcome: &Outcome) -> String {
    let mut text = Vec::new();
    print_outcome(&mut text, outcome).unwrap();
    let text = String::from_utf8(text).unwrap();
    println!("{text}");
    text
}

#[test]
fn bundled_cases() {
    let cases = parse_cases(
        include_str!("data/analysis-cases.tsv"),
        "analysis-cases.tsv",
    )
    .unwrap();
    let outcome = run_cases(&cases).unwrap();
    let report = show(&outcome);
    let (m, mt) = outcome.get("match");
    let (n, nt) = outcome.get("nomatch");
    let (v, vt) = outcome.get("variant");
    assert!(mt > 0 && nt > 0 && vt > 0);
    assert_eq!((m, n, v), (mt, nt, vt), "{report}");
}

#[test]
fn development_cases() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/analysis/dev-cases.tsv");
    if !path.exists() {
        println!("skipped: {} not found", path.display());
        return;
    }
    let outcome = run_cases(&read_cases(&path).unwrap()).unwrap();
    let report = show(&outcome);
    let (m, mt) = outcome.get("match");
    let (n, nt) = outcome.get("nomatch");
    let (v, vt) = outcome.get("variant");
    assert_eq!((m, n), (mt, nt), "{report}");
    assert!(v * 11 >= vt * 9, "{report}");
}
