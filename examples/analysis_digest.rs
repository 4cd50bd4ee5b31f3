//! Prints a digest of every analyzer's output over an archive: each token's
//! term, offsets and position, for every title, body and body line. Two
//! builds that print the same digests analyze that archive the same way;
//! when a change to `src/analysis` changes a digest, `ANALYZER_VERSION` must
//! change with it.
//!
//! Usage: cargo run --release --example analysis_digest -- DIR...
//! (`--dump NAME` writes that run's tokens to stdout instead, to find
//! where two builds differ.)
//!
//! Each run starts on a fresh thread, so its caches start empty; the runs
//! cover each analyzer alone, all of them one after the other on each text
//! (the tokenizer's memo), the one-pass [`Preanalyzer`] as indexing uses it,
//! and the offsets-only tokenizer of snippets.

use std::hash::Hasher;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use akhbar::analysis::preanalyzed::{Analyzed, Preanalyzer, AHEAD};
use akhbar::analysis::{self, WordTokenizer};
use akhbar::archive;
use rustc_hash::FxHasher;
use tantivy::tokenizer::{TextAnalyzer, TokenStream, Tokenizer};

/// Where a run's tokens go: a digest, or text on stdout.
struct Sink {
    hash: FxHasher,
    tokens: u64,
    dump: Option<BufWriter<io::Stdout>>,
}

impl Sink {
    fn new(dump: bool) -> Sink {
        Sink {
            hash: FxHasher::default(),
            tokens: 0,
            dump: dump.then(|| BufWriter::new(io::stdout())),
        }
    }

    fn token(&mut self, text: &str, from: usize, to: usize, position: usize) {
        self.tokens += 1;
        match &mut self.dump {
            Some(out) => writeln!(out, "{text}\t{from}\t{to}\t{position}").expect("stdout"),
            None => {
                self.hash.write(text.as_bytes());
                self.hash.write_u8(0xFF);
                for n in [from, to, position] {
                    self.hash.write_usize(n);
                }
            }
        }
    }

    /// Marks the end of one text's tokens.
    fn end(&mut self) {
        match &mut self.dump {
            Some(out) => writeln!(out, "--").expect("stdout"),
            None => self.hash.write_u8(0xFE),
        }
    }
}

fn stream_into<S: TokenStream>(mut stream: S, sink: &mut Sink) {
    while stream.advance() {
        let t = stream.token();
        sink.token(&t.text, t.offset_from, t.offset_to, t.position);
    }
    sink.end();
}

/// The runs, by name.
const RUNS: [&str; 10] = [
    "arabic",
    "arabic_light",
    "arabic_name",
    "arabic_stem",
    "arabic_lead",
    "in_turn",
    "preanalyzed",
    "preanalyzed_light_name",
    "preanalyzed_alternating",
    "offsets_only",
];

fn run(name: &str, texts: &[String], sink: &mut Sink) {
    match name {
        "in_turn" => {
            let mut analyzers: Vec<TextAnalyzer> = ["arabic", "arabic_light", "arabic_name"]
                .into_iter()
                .chain(["arabic_stem", "arabic_lead"])
                .map(|n| analysis::by_name(n).expect("known analyzer"))
                .collect();
            for text in texts {
                for analyzer in &mut analyzers {
                    stream_into(analyzer.token_stream(text), sink);
                }
            }
        }
        "offsets_only" => {
            let mut tokenizer = WordTokenizer::offsets_only();
            for text in texts {
                stream_into(tokenizer.token_stream(text), sink);
            }
        }
        pre if pre.starts_with("preanalyzed") => {
            let mut pre = Preanalyzer::default();
            let mut out = Analyzed::default();
            for (i, text) in texts.iter().enumerate() {
                let wanted = match name {
                    "preanalyzed" => [true; 4],
                    "preanalyzed_light_name" => [true, true, true, false],
                    _ => [i % 2 == 0, i % 3 == 0, i % 5 != 0, i % 2 == 1],
                };
                pre.analyze(text, wanted, &mut out);
                for slot in 0..AHEAD.len() {
                    // Encoded terms, separators and all.
                    sink.token(out.get(slot), slot, 0, 0);
                }
                sink.end();
            }
        }
        analyzer => {
            let mut analyzer = analysis::by_name(analyzer).expect("known analyzer");
            for text in texts {
                stream_into(analyzer.token_stream(text), sink);
            }
        }
    }
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut roots = Vec::new();
    let mut dump = None;
    while let Some(arg) = args.next() {
        if arg == "--dump" {
            let name = args.next().unwrap_or_default();
            anyhow::ensure!(RUNS.contains(&name.as_str()), "--dump one of {RUNS:?}");
            dump = Some(name);
        } else {
            roots.push(PathBuf::from(arg));
        }
    }
    anyhow::ensure!(
        !roots.is_empty(),
        "usage: analysis_digest [--dump RUN] DIR..."
    );
    let (files, errors) = archive::walk::walk(&roots);
    for e in errors {
        eprintln!("skipped {}: {}", e.path.display(), e.reason);
    }
    let mut texts = Vec::new();
    for file in &files {
        let read = archive::read_file(&file.path, &file.rel_path, &mut |record| {
            let Ok(article) = record else {
                return;
            };
            texts.push(article.title.unwrap_or_default());
            texts.extend(article.body.lines().map(|l| l.trim().to_string()));
            texts.push(article.body);
        });
        if let Err(e) = read {
            eprintln!("skipped {}: {}", file.path.display(), e.reason);
        }
    }
    let texts = std::sync::Arc::new(texts);
    for name in RUNS {
        if dump.as_ref().is_some_and(|d| d != name) {
            continue;
        }
        let texts = texts.clone();
        let dumping = dump.is_some();
        let (tokens, digest) = std::thread::spawn(move || {
            let mut sink = Sink::new(dumping);
            run(name, &texts, &mut sink);
            (sink.tokens, sink.hash.finish())
        })
        .join()
        .expect("analysis thread");
        if !dumping {
            println!("{name:<24} {tokens:>10} tokens  {digest:016x}");
        }
    }
    Ok(())
}
