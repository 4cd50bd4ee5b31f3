//! Tagging cost, stage by stage, single-threaded, over an archive held in
//! memory (default ../shared/corpus/ant-v2.1; pass another directory as the
//! first argument):
//!
//!   cargo bench --bench tagging [-- DIR] [--runs N] [--only STAGE] [--check-terms]
//!                                  [--dump FILE]
//!
//! Prints the CPU seconds of this thread (the fastest of `--runs`, default
//! 3; wall seconds where the system does not say) and MB/s for tokenizing,
//! tokenizing + gazetteer lookup, the whole tagger as indexing calls it, and
//! the tagger without its statistical model. What tagging adds to an
//! indexing run is measured on the real command (see README, Entities).
//! `--only STAGE` runs the stages whose name starts so.
//!
//! `--check-terms` checks that the terms indexing takes from the tagger's
//! tokens are the analyzer's, text by text. `--dump FILE` also writes every article's entities and mentions as JSON
//! Lines (the entities indexing stores, the linked mentions with their
//! evidence, and each text's mentions with the names only the model finds),
//! so that two builds of the tagger can be compared with `cmp`.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use akhbar::analysis::WordTokenizer;
use akhbar::archive;
use akhbar::entities::{Gazetteer, Tagger, Tokens};
use tantivy::tokenizer::{TokenStream, Tokenizer};

/// Seconds this thread has run on a CPU, from the scheduler's count, else
/// None.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// The CPU (else wall) seconds of the fastest of `runs` runs of `f`.
fn best_of(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs.max(1))
        .map(|_| {
            let (cpu, wall) = (thread_cpu_seconds(), Instant::now());
            f();
            match (cpu, thread_cpu_seconds()) {
                (Some(a), Some(b)) => b - a,
                _ => wall.elapsed().as_secs_f64(),
            }
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = PathBuf::from("../shared/corpus/ant-v2.1");
    let mut runs = 3;
    let mut dump = None;
    let mut check_terms = false;
    let mut only = String::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--runs" => {
                i += 1;
                runs = args.get(i).and_then(|n| n.parse().ok()).unwrap_or(3);
            }
            "--only" => {
                i += 1;
                only = args.get(i).cloned().unwrap_or_default();
            }
            "--check-terms" => check_terms = true,
            "--dump" => {
                i += 1;
                dump = args.get(i).map(PathBuf::from);
            }
            a if !a.starts_with('-') => dir = PathBuf::from(a),
            _ => {}
        }
        i += 1;
    }
    if !dir.exists() {
        println!(
            "skip: {} not found (pass an archive directory)",
            dir.display()
        );
        return;
    }
    let (files, _) = archive::walk::walk(std::slice::from_ref(&dir));
    let mut articles: Vec<(String, Vec<String>)> = Vec::new();
    for file in &files {
        let _ = archive::read_file(&file.path, &file.rel_path, &mut |record| {
            if let Ok(article) = record {
                let mut texts = Vec::new();
                texts.extend(article.title.clone());
                texts.push(article.body.clone());
                articles.push((article.id, texts));
            }
        });
    }
    let bytes: usize = articles.iter().flat_map(|a| &a.1).map(String::len).sum();
    println!(
        "{} articles, {:.1} MB of text from {}",
        articles.len(),
        bytes as f64 / 1e6,
        dir.display()
    );
    let tagger = Tagger::new(Gazetteer::builtin().expect("built-in gazetteer"));
    if let Some(path) = dump {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("dump file"));
        for (id, texts) in &articles {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let e = tagger.tag(&refs);
            let line = serde_json::json!({
                "id": id,
                "countries": e.countries,
                "places": e.places,
                "actors": e.actors,
                "mentions": tagger.article_mentions(&refs),
                "model": refs.iter().map(|t| tagger.mentions(t)).collect::<Vec<_>>(),
            });
            writeln!(out, "{line}").expect("dump written");
        }
        out.flush().expect("dump written");
        println!("dumped every article's entities to {}", path.display());
    }
    if check_terms {
        // Indexing takes the analyzer's terms from the tagger's tokens:
        // they must be the terms the analyzer makes of the text.
        let mut tokenizer = WordTokenizer::without_memo();
        let mut tokens = Tokens::default();
        let (mut texts, mut differ) = (0, 0);
        for text in articles.iter().flat_map(|a| &a.1) {
            tokens.tokenize(text);
            let mut stream = tokenizer.token_stream(text);
            let mut expected = Vec::new();
            while stream.advance() {
                expected.push(stream.token().text.clone());
            }
            texts += 1;
            if !tokens.terms().eq(expected.iter().map(String::as_str)) {
                differ += 1;
                if differ <= 5 {
                    println!("terms differ from the analyzer's: {text:?}");
                }
            }
        }
        println!("{texts} texts: {differ} with terms other than the analyzer's");
        assert_eq!(differ, 0);
    }
    let wanted = |name: &str| name.trim_start().starts_with(only.as_str());
    let stage = |name: &str, f: &mut dyn FnMut()| {
        if wanted(name) {
            let seconds = best_of(runs, f);
            println!(
                "{name:<28} {seconds:>7.2} s {:>8.1} MB/s",
                bytes as f64 / 1e6 / seconds
            );
        }
    };
    let texts = || articles.iter().flat_map(|a| &a.1);

    // Token buffers are kept from text to text, as indexing keeps them.
    let mut toks = Tokens::default();
    let mut tokens = 0usize;
    stage("tokenize", &mut || {
        tokens = texts()
            .map(|text| {
                toks.tokenize(text);
                toks.tokens.len()
            })
            .sum();
    });

    let mut matches = 0usize;
    stage("tokenize + gazetteer", &mut || {
        matches = texts()
            .map(|text| {
                toks.tokenize(text);
                tagger.matcher().matches(&toks.tokens).len()
            })
            .sum();
    });

    stage("  + title and name tags", &mut || {
        for text in texts() {
            toks.tokenize(text);
            let m = tagger.matcher().matches(&toks.tokens);
            std::hint::black_box(tagger.gaz_tags(&toks.tokens, &m));
        }
    });

    let mut tagged = 0usize;
    let mut article_tokens = Vec::new();
    stage("tag (as indexing)", &mut || {
        tagged = 0;
        for (_, texts) in &articles {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let e = tagger.tag_tokens(&refs, &mut article_tokens);
            tagged += e.countries.len() + e.places.len() + e.actors.len();
        }
    });

    // The same without the statistical model (names after titles end by
    // rule; open-data place names go unchecked): what the model costs.
    let rules = Tagger::with_model(Gazetteer::builtin().expect("built-in gazetteer"), None);
    stage("tag without the model", &mut || {
        for (_, texts) in &articles {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            std::hint::black_box(rules.tag_tokens(&refs, &mut article_tokens));
        }
    });
    println!("{tokens} tokens, {matches} gazetteer matches, {tagged} entities");
}
