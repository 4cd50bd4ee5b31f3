//! Tagging cost, stage by stage, single-threaded, over an archive held in
//! memory (default ../shared/corpus/ant-v2.1; pass another directory as the
//! first argument):
//!
//!   cargo bench --bench tagging [-- DIR]
//!
//! Prints seconds and MB/s for tokenizing, tokenizing + gazetteer lookup,
//! the whole tagger as indexing calls it, and the tagger without its
//! statistical model. What tagging adds to an
//! indexing run is measured on the real command (see README, Entities).

use std::path::PathBuf;
use std::time::Instant;

use akhbar::archive;
use akhbar::entities::matcher;
use akhbar::entities::{Gazetteer, Tagger};

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/corpus/ant-v2.1"));
    if !dir.exists() {
        println!(
            "skip: {} not found (pass an archive directory)",
            dir.display()
        );
        return;
    }
    let (files, _) = archive::walk::walk(std::slice::from_ref(&dir));
    let mut articles: Vec<Vec<String>> = Vec::new();
    for file in &files {
        let _ = archive::read_file(&file.path, &file.rel_path, &mut |record| {
            if let Ok(article) = record {
                let mut texts = Vec::new();
                texts.extend(article.title.clone());
                texts.push(article.body.clone());
                articles.push(texts);
            }
        });
    }
    let bytes: usize = articles.iter().flatten().map(String::len).sum();
    println!(
        "{} articles, {:.1} MB of text from {}",
        articles.len(),
        bytes as f64 / 1e6,
        dir.display()
    );
    let tagger = Tagger::new(Gazetteer::builtin().expect("built-in gazetteer"));
    let report = |name: &str, seconds: f64| {
        println!(
            "{name:<28} {seconds:>7.2} s {:>8.1} MB/s",
            bytes as f64 / 1e6 / seconds
        );
    };

    let t = Instant::now();
    let mut tokens = 0usize;
    for texts in &articles {
        for text in texts {
            tokens += matcher::tokenize(text).len();
        }
    }
    report("tokenize", t.elapsed().as_secs_f64());

    let t = Instant::now();
    let mut matches = 0usize;
    for texts in &articles {
        for text in texts {
            let toks = matcher::tokenize(text);
            matches += tagger.matcher().matches(&toks).len();
        }
    }
    report("tokenize + gazetteer", t.elapsed().as_secs_f64());

    let t = Instant::now();
    for texts in &articles {
        for text in texts {
            let toks = matcher::tokenize(text);
            let m = tagger.matcher().matches(&toks);
            std::hint::black_box(tagger.gaz_tags(&toks, &m));
        }
    }
    report("  + title and name tags", t.elapsed().as_secs_f64());

    let t = Instant::now();
    let mut tagged = 0usize;
    for texts in &articles {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let e = tagger.tag(&refs);
        tagged += e.countries.len() + e.places.len() + e.actors.len();
    }
    report("tag (as indexing)", t.elapsed().as_secs_f64());

    // The same without the statistical model (names after titles end by
    // rule; open-data place names go unchecked): what the model costs.
    let rules = Tagger::with_model(Gazetteer::builtin().expect("built-in gazetteer"), None);
    let t = Instant::now();
    for texts in &articles {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        rules.tag(&refs);
    }
    report("tag without the model", t.elapsed().as_secs_f64());
    println!("{tokens} tokens, {matches} gazetteer matches, {tagged} entities");
}
