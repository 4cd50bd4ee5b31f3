//! The `akhbar` command line: a thin shell over the library.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use akhbar::entities::{Gazetteer, Tagger};
use akhbar::index::build::{self, BuildOptions, Summary};
use akhbar::index::NewsIndex;
use akhbar::output::{json, terminal};
use akhbar::search::{SearchError, SearchRequest, Searcher};

/// Where the index lives unless `--index` or `AKHBAR_INDEX` says otherwise.
const DEFAULT_INDEX: &str = "akhbar-index";

#[derive(Parser)]
#[command(
    name = "akhbar",
    version,
    about = "Full-text search for Arabic news archives",
    long_about = "akhbar indexes directories of Arabic news articles (TREC-like XML, JSON Lines, plain text), \
normalizes the Arabic text, tags every article with the actors, places and countries it names, \
and answers searches with highlighted snippets and facet counts."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct IndexPath {
    /// Index directory [default: ./akhbar-index]
    #[arg(long, env = "AKHBAR_INDEX", value_name = "PATH")]
    index: Option<PathBuf>,
}

impl IndexPath {
    fn path(&self) -> PathBuf {
        self.index
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Index every article found under one or more directories
    Index {
        /// Directories (or files) to index, walked recursively
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        #[command(flatten)]
        index: IndexPath,
        /// Delete the index first and build it from scratch
        #[arg(long)]
        rebuild: bool,
        /// Worker threads [default: number of cores]
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// Memory budget of the index writer, in MB
        #[arg(long, default_value_t = 512, value_name = "MB")]
        memory_mb: usize,
        /// Write every skipped file or record to FILE as JSON Lines
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
    },
    /// Search the index
    Search {
        /// The query: words (articles with all of them first), "exact phrases", -excluded words
        #[arg(allow_hyphen_values = true)]
        query: String,
        #[command(flatten)]
        index: IndexPath,
        /// Number of hits to show
        #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
        limit: usize,
        /// Count matches per value of this facet (country, actor, place, source, category); repeatable
        #[arg(long = "facet", value_name = "FIELD")]
        facets: Vec<String>,
        /// Values shown per facet
        #[arg(long, default_value_t = 20, value_name = "N")]
        facet_size: usize,
        /// Print one JSON object instead of text
        #[arg(long)]
        json: bool,
        /// Highlight matches with colors
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Show the tokens every analyzed field makes of a text, with offsets
    Analyze(AnalyzeArgs),
    /// Score the default ranking on a topic set: MRR@10, Success@1/10, nDCG@10, Recall@100
    Eval(EvalArgs),
}

#[derive(clap::Args)]
struct AnalyzeArgs {
    /// The text to analyze (a query or a passage)
    #[arg(allow_hyphen_values = true)]
    text: String,
    /// Print one JSON object instead of a table
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// A failure with its exit status: 2 for a bad query or usage, 1 otherwise.
struct Failure {
    status: u8,
    error: anyhow::Error,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Failure {
        Failure {
            status: 1,
            error: error.into(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("akhbar: error: {:#}", failure.error);
            ExitCode::from(failure.status)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Analyze(args) => analyze(args).map_err(Failure::from),
        Command::Eval(args) => eval(args).map_err(Failure::from),
        Command::Index {
            dirs,
            index,
            rebuild,
            threads,
            memory_mb,
            report,
        } => {
            let summary = index_dirs(&dirs, &index.path(), rebuild, threads, memory_mb)?;
            if let Some(report) = report {
                write_report(&report, &summary)?;
            }
            if summary.indexed == 0 && summary.records_read == 0 && summary.duplicates == 0 {
                return Err(anyhow::anyhow!(
                    "nothing could be read from {} ({} file(s) skipped, see above)",
                    join_paths(&dirs),
                    summary.skipped.len()
                )
                .into());
            }
            Ok(())
        }
        Command::Search {
            query,
            index,
            limit,
            facets,
            facet_size,
            json,
            color,
        } => {
            let path = index.path();
            if index.index.is_none() && !path.exists() {
                index_bundled_sample(&path)?;
            }
            let searcher = Searcher::new(NewsIndex::open(&path)?)?;
            let request = SearchRequest {
                query,
                limit,
                offset: 0,
                facets,
                facet_size,
            };
            let response = searcher.search(&request).map_err(|e| match e {
                SearchError::Internal(e) => Failure {
                    status: 1,
                    error: e,
                },
                user => Failure {
                    status: 2,
                    error: user.into(),
                },
            })?;
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            if json {
                json::print_response(&mut out, &response)?;
            } else {
                let style = match color {
                    Color::Always => terminal::Style::Color,
                    Color::Never => terminal::Style::Plain,
                    Color::Auto if io::stdout().is_terminal() => terminal::Style::Color,
                    Color::Auto => terminal::Style::Plain,
                };
                terminal::print_response(&mut out, &response, style)?;
            }
            out.flush()?;
            Ok(())
        }
    }
}

fn analyze(args: AnalyzeArgs) -> Result<()> {
    let schema = akhbar::index::NewsSchema::builtin()?;
    let analyzers = akhbar::analysis::explain::explain(&schema, &args.text);
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        akhbar::output::analysis::print_json(&mut out, &args.text, &analyzers)?;
    } else {
        akhbar::output::analysis::print_text(&mut out, &analyzers)?;
    }
    out.flush()?;
    Ok(())
}

#[derive(clap::Args)]
struct EvalArgs {
    /// Topics: one `qid<TAB>query` per line
    #[arg(long, value_name = "FILE")]
    topics: PathBuf,
    /// Relevance judgments in TREC qrels format (`qid 0 docid relevance`)
    #[arg(long, value_name = "FILE")]
    qrels: PathBuf,
    #[command(flatten)]
    index: IndexPath,
    /// Also write the run (`qid<TAB>rank<TAB>docid<TAB>score`) to FILE
    #[arg(long, value_name = "FILE")]
    run: Option<PathBuf>,
    /// Print one JSON object instead of a table
    #[arg(long)]
    json: bool,
}

fn eval(args: EvalArgs) -> Result<()> {
    let index = NewsIndex::open(&args.index.path())?;
    let topics = akhbar::eval::read_topics(&args.topics)?;
    let qrels = akhbar::eval::read_qrels(&args.qrels)?;
    let run = akhbar::eval::run_topics(&index, &topics)?;
    if let Some(path) = &args.run {
        akhbar::eval::write_run(path, &run)?;
    }
    let report = akhbar::eval::score(&run, &qrels);
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        akhbar::eval::print_report(&mut out, &report)?;
    }
    out.flush()?;
    Ok(())
}

fn index_dirs(
    dirs: &[PathBuf],
    path: &Path,
    rebuild: bool,
    threads: Option<usize>,
    memory_mb: usize,
) -> Result<Summary> {
    for dir in dirs {
        if !dir.exists() {
            bail!("{}: no such file or directory", dir.display());
        }
    }
    if rebuild {
        NewsIndex::remove(path)?;
    }
    let index = NewsIndex::open_or_create(path)?;
    let tagger = Tagger::new(Gazetteer::builtin()?);
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .max(1);
    let summary = build::build(
        &index,
        &tagger,
        &BuildOptions {
            roots: dirs.to_vec(),
            threads,
            memory_mb,
        },
    )?;
    print_summary(&summary, path);
    Ok(summary)
}

/// On a fresh clone, `akhbar search` works at once: with no index at the
/// default path, it first indexes the bundled sample.
fn index_bundled_sample(path: &Path) -> Result<()> {
    let candidates = [
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/archive"),
        PathBuf::from("data/archive"),
    ];
    let Some(sample) = candidates.iter().find(|p| p.is_dir()) else {
        bail!(
            "no index at {}: build one with `akhbar index <DIR>` (or pass --index PATH)",
            path.display()
        );
    };
    eprintln!(
        "akhbar: no index at {}; indexing the bundled sample {} first",
        path.display(),
        sample.display()
    );
    index_dirs(std::slice::from_ref(sample), path, false, None, 256)?;
    Ok(())
}

const MAX_SKIPS_SHOWN: usize = 20;

fn print_summary(summary: &Summary, path: &Path) {
    let secs = summary.elapsed.as_secs_f64();
    let mb = summary.bytes_read as f64 / 1e6;
    eprintln!(
        "akhbar: indexed {} article{} from {} of {} files in {:.1} s ({:.1} MB, {:.1} MB/s, {:.0} articles/s)",
        summary.indexed,
        if summary.indexed == 1 { "" } else { "s" },
        summary.files_read,
        summary.files_seen,
        secs,
        mb,
        mb / secs.max(1e-9),
        summary.indexed as f64 / secs.max(1e-9),
    );
    if summary.duplicates > 0 {
        eprintln!(
            "akhbar: {} duplicate article id(s) indexed once",
            summary.duplicates
        );
    }
    if !summary.skipped.is_empty() {
        eprintln!("akhbar: skipped {}:", summary.skipped.len());
        for skip in summary.skipped.iter().take(MAX_SKIPS_SHOWN) {
            match skip.record {
                Some(r) => eprintln!("  {} (record {r}): {}", skip.path, skip.reason),
                None => eprintln!("  {}: {}", skip.path, skip.reason),
            }
        }
        if summary.skipped.len() > MAX_SKIPS_SHOWN {
            eprintln!(
                "  … and {} more (--report FILE lists them all)",
                summary.skipped.len() - MAX_SKIPS_SHOWN
            );
        }
    }
    eprintln!(
        "akhbar: index {} holds {} articles",
        path.display(),
        summary.documents
    );
}

fn write_report(report: &Path, summary: &Summary) -> Result<()> {
    let mut out = io::BufWriter::new(
        std::fs::File::create(report)
            .with_context(|| format!("cannot create report file {}", report.display()))?,
    );
    for skip in &summary.skipped {
        serde_json::to_writer(&mut out, skip)?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}

fn join_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
