//! Builds `data/analysis/lexicon.tsv`: how often each normalized word form
//! occurs in a news archive. The light stemmer consults it to decide whether
//! a leading و or a trailing ين is a clitic or part of the word.
//!
//! Usage: cargo run --release --example build_lexicon -- DIR... > data/analysis/lexicon.tsv
//! (the shipped file was built from the ANT corpus v2.1, titles and bodies).

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use akhbar::analysis;
use akhbar::archive;

/// Forms seen fewer times than this are left out: too rare to vouch for.
const MIN_COUNT: u32 = 3;

fn main() -> anyhow::Result<()> {
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if roots.is_empty() {
        anyhow::bail!("usage: build_lexicon DIR... > lexicon.tsv");
    }
    let (files, errors) = archive::walk::walk(&roots);
    for e in errors {
        eprintln!("skipped {}: {}", e.path.display(), e.reason);
    }
    let mut analyzer = analysis::arabic();
    let mut counts: HashMap<String, u32> = HashMap::new();
    let mut articles = 0usize;
    for file in &files {
        let read = archive::read_file(&file.path, &file.rel_path, &mut |record| {
            let Ok(article) = record else {
                return;
            };
            articles += 1;
            for part in [article.title.as_deref().unwrap_or(""), &article.body] {
                for term in analysis::terms(&mut analyzer, part) {
                    *counts.entry(term).or_default() += 1;
                }
            }
        });
        if let Err(e) = read {
            eprintln!("skipped {}: {}", file.path.display(), e.reason);
        }
    }
    let mut rows: Vec<(String, u32)> = counts
        .into_iter()
        .filter(|(t, n)| {
            *n >= MIN_COUNT && t.chars().any(|c| ('\u{0621}'..='\u{064A}').contains(&c))
        })
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(
        out,
        "# Normalized Arabic word forms and their counts in ANT corpus v2.1 ({articles} articles, titles and bodies; forms seen {MIN_COUNT}+ times)."
    )?;
    writeln!(
        out,
        "# ANT Corpus: Chouigui, Ben Khiroun, Elayeb, AICCSA 2017 (Apache-2.0). Built by examples/build_lexicon.rs."
    )?;
    for (term, n) in rows {
        writeln!(out, "{term}\t{n}")?;
    }
    out.flush()?;
    Ok(())
}
