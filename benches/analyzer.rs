//! Analyzer throughput over the text of the ANT corpus, single thread, side
//! by side with Lucene's ArabicAnalyzer (the harness in
//! `../shared/peers/lucene`) on the same text in the same run.
//!
//! Run with `cargo bench --bench analyzer` (or `benches/analyzer.sh`).
//! Skips, saying why, when the corpus or Java is missing.
//!
//! Both sides read the same file of lines (each article's title and body
//! lines) and write every token, tab-separated, one output line per input
//! line, to a sink: the Lucene harness's `analyze` does exactly that. Its JVM
//! start-up, measured on empty input, is subtracted. Each side runs three
//! times (`AKHBAR_BENCH_REPEAT`), alternating, and its best time counts.

use std::fs;
use std::io::{self, BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use akhbar::analysis;
use akhbar::analysis::preanalyzed::{Analyzed, Preanalyzer};
use akhbar::archive;
use tantivy::tokenizer::TextAnalyzer;

fn main() -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = std::env::var_os("AKHBAR_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus/ant-v2.1"));
    if !corpus.is_dir() {
        println!("analyzer bench skipped: no corpus at {}", corpus.display());
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let text_path = dir.path().join("ant.txt");
    let bytes = extract(&corpus, &text_path)?;
    let mb = bytes as f64 / 1e6;
    println!(
        "text: {mb:.1} MB of titles and bodies from {}",
        corpus.display()
    );

    // AKHBAR_BENCH_ONLY=NAME[,NAME…] runs only these akhbar analyzers (for
    // profiling), without Lucene.
    let only = std::env::var("AKHBAR_BENCH_ONLY").ok();
    let lucene = root.join("../shared/peers/lucene/run.sh");
    let java = Command::new("java")
        .arg("-version")
        .stderr(Stdio::null())
        .status();
    // Each side runs REPEAT times, alternating, and its best time counts:
    // the machine is shared and noisy.
    let repeat: usize = std::env::var("AKHBAR_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let with_lucene = only.is_none() && lucene.is_file() && java.is_ok_and(|s| s.success());
    if with_lucene {
        run_lucene(&lucene, None)?; // compiles the harness if needed
    } else {
        println!("lucene: skipped (no {} or no java)", lucene.display());
    }
    let mut runs: Vec<(String, Vec<TextAnalyzer>)> = analysis::known_analyzers()
        .iter()
        .filter_map(|&n| Some((format!("akhbar {n}"), vec![analysis::by_name(n)?])))
        .collect();
    // The analyzers the default schema applies to a body, one after the
    // other (what a query-side reader of every field would do).
    runs.push((
        "akhbar, each body analyzer in turn".to_string(),
        BODY_ANALYZERS
            .iter()
            .filter_map(|n| analysis::by_name(n))
            .collect(),
    ));
    if let Some(only) = &only {
        let names: Vec<String> = only.split(',').map(|n| format!("akhbar {n}")).collect();
        runs.retain(|(name, _)| names.contains(name));
    }
    // Load the lexicon outside the timings, as a server would at start-up.
    analysis::light::light("تحميل");
    let mut best_lucene = f64::INFINITY;
    let mut startup = f64::INFINITY;
    let mut best: Vec<f64> = vec![f64::INFINITY; runs.len()];
    for _ in 0..repeat {
        if with_lucene {
            startup = startup.min(run_lucene(&lucene, None)?);
            best_lucene = best_lucene.min(run_lucene(&lucene, Some(&text_path))?);
        }
        for ((_, analyzers), best) in runs.iter_mut().zip(&mut best) {
            *best = best.min(run_akhbar(&text_path, analyzers)?);
        }
    }
    let lucene_mbs = with_lucene.then(|| {
        let secs = (best_lucene - startup).max(1e-9);
        println!(
            "{:<34} {:>6.1} MB/s  ({best_lucene:.2} s, of which JVM start-up {startup:.2} s)",
            "lucene ArabicAnalyzer",
            mb / secs
        );
        mb / secs
    });
    // Indexing analyzes a body once for every field: the exact forms, then
    // the light, name and lead forms from one pass (preanalyzed.rs).
    let mut one_pass = f64::INFINITY;
    if only.is_none() {
        for _ in 0..repeat {
            one_pass = one_pass.min(run_one_pass(&text_path)?);
        }
    }
    let mut results: Vec<(String, f64)> = runs.iter().map(|(n, _)| n.clone()).zip(best).collect();
    if one_pass.is_finite() {
        results.push(("akhbar, every body field as indexing".to_string(), one_pass));
    }
    for (name, secs) in results {
        let mbs = mb / secs;
        match lucene_mbs {
            Some(l) => println!(
                "{name:<34} {mbs:>6.1} MB/s  ({secs:.2} s)  {:.2}x lucene",
                mbs / l
            ),
            None => println!("{name:<34} {mbs:>6.1} MB/s  ({secs:.2} s)"),
        }
    }
    Ok(())
}

/// The analyzers of the default schema's body fields.
const BODY_ANALYZERS: [&str; 4] = [
    analysis::ARABIC,
    analysis::ARABIC_LIGHT,
    analysis::ARABIC_NAME,
    analysis::ARABIC_LEAD,
];

/// Seconds to analyze every line for all body fields the way indexing does:
/// exact forms from the tokenizer, the light, name and lead forms from one
/// pass of the [`Preanalyzer`], every term written out.
fn run_one_pass(input: &Path) -> anyhow::Result<f64> {
    let reader = io::BufReader::new(fs::File::open(input)?);
    let lines: Vec<String> = reader.lines().collect::<Result<_, _>>()?;
    let mut out = BufWriter::new(io::sink());
    let mut exact = analysis::arabic();
    let mut pre = Preanalyzer::default();
    let mut analyzed = Analyzed::default();
    let started = Instant::now();
    for line in &lines {
        let mut stream = exact.token_stream(line);
        while let Some(token) = stream.next() {
            out.write_all(token.text.as_bytes())?;
            out.write_all(b"\t")?;
        }
        pre.analyze(line, [true, true, true, false], &mut analyzed);
        for terms in &analyzed.terms {
            out.write_all(terms.as_bytes())?;
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(started.elapsed().as_secs_f64())
}

/// Writes each article's title and body lines to `out`; returns the bytes.
fn extract(corpus: &Path, out: &Path) -> anyhow::Result<u64> {
    let (files, _) = archive::walk::walk(&[corpus.to_path_buf()]);
    let mut w = BufWriter::new(fs::File::create(out)?);
    let mut bytes = 0u64;
    for file in &files {
        let mut articles = Vec::new();
        let _ = archive::read_file(&file.path, &file.rel_path, &mut |r| articles.extend(r.ok()));
        for article in articles {
            let title = article.title.unwrap_or_default();
            for line in std::iter::once(title.as_str()).chain(article.body.lines()) {
                let line = line.trim();
                if !line.is_empty() {
                    writeln!(w, "{line}")?;
                    bytes += line.len() as u64 + 1;
                }
            }
        }
    }
    w.flush()?;
    Ok(bytes)
}

/// Seconds for the Lucene harness to analyze `input` (empty if `None`).
fn run_lucene(script: &Path, input: Option<&Path>) -> anyhow::Result<f64> {
    let stdin = match input {
        Some(p) => Stdio::from(fs::File::open(p)?),
        None => Stdio::null(),
    };
    let started = Instant::now();
    let status = Command::new("sh")
        .arg(script)
        .arg("analyze")
        .stdin(stdin)
        .stdout(Stdio::null())
        .status()?;
    anyhow::ensure!(status.success(), "the Lucene harness failed: {status}");
    Ok(started.elapsed().as_secs_f64())
}

/// Seconds for `analyzers` to analyze every line of `input`, writing the
/// tokens as the Lucene harness does.
fn run_akhbar(input: &Path, analyzers: &mut [TextAnalyzer]) -> anyhow::Result<f64> {
    let reader = io::BufReader::new(fs::File::open(input)?);
    let lines: Vec<String> = reader.lines().collect::<Result<_, _>>()?;
    let mut out = BufWriter::new(io::sink());
    let started = Instant::now();
    for line in &lines {
        for analyzer in analyzers.iter_mut() {
            let mut stream = analyzer.token_stream(line);
            let mut first = true;
            while let Some(token) = stream.next() {
                if !first {
                    out.write_all(b"\t")?;
                }
                out.write_all(token.text.as_bytes())?;
                first = false;
            }
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(started.elapsed().as_secs_f64())
}
