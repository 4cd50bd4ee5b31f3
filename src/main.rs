//! The `akhbar` command line: a thin shell over the library.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use akhbar::archive::{FieldMap, Mapping, ReadOptions};
use akhbar::entities::{Gazetteer, Tagger};
use akhbar::index::build::{self, BuildOptions, Summary};
use akhbar::index::interrupt::{self, Interrupted, Stop};
use akhbar::index::progress::{self, Progress};
use akhbar::index::stats::{self, Stats};
use akhbar::index::NewsIndex;
use akhbar::output::{json, terminal};
use akhbar::search::{HitDetail, SearchError, SearchRequest, Searcher, Sort};
use akhbar::server::{self, ServeOptions};

mod entity_commands;
use entity_commands as commands;

/// Indexing allocates many small strings on the reading threads that
/// tantivy's writer threads free; mimalloc handles that traffic with less
/// time than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where the index lives unless `--index` or `AKHBAR_INDEX` says otherwise.
const DEFAULT_INDEX: &str = "akhbar-index";

#[derive(Parser)]
#[command(
    name = "akhbar",
    version,
    args_override_self = true,
    about = "Full-text search for Arabic news archives",
    long_about = "akhbar indexes directories of Arabic news articles (TREC-like XML, JSON Lines, JSON, CSV, HTML, WARC, plain text), \
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
    ///
    /// Reads TREC-like XML, JSON Lines, JSON arrays, CSV/TSV, HTML, WARC and plain
    /// text, gzip- or zstd-compressed or not. Run it again on the same directories
    /// to index only new and changed files.
    Index {
        /// Directories (or files) to index, walked recursively
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        #[command(flatten)]
        index: IndexPath,
        /// Delete the index first and build it from scratch
        #[arg(long)]
        rebuild: bool,
        /// Remove the articles of indexed files that no longer exist
        #[arg(long)]
        prune: bool,
        /// Read every file as this format instead of detecting it
        /// (trec, jsonl, json, csv, html, warc, text)
        #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
        format: Option<&'static dyn akhbar::archive::Format>,
        /// Take an article field from a differently named JSON key or CSV column,
        /// e.g. body=article_text or date=meta.published; repeatable
        #[arg(long = "field", value_name = "FIELD=NAME")]
        fields: Vec<Mapping>,
        /// Decode every file with this encoding instead of detecting it
        /// (utf-8, utf-16le, utf-16be, windows-1256, iso-8859-6, …)
        #[arg(long, value_name = "LABEL", value_parser = parse_encoding)]
        encoding: Option<&'static encoding_rs::Encoding>,
        /// Worker threads [default: number of cores]
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// Memory budget of the run, in MB; also caps one record at 1/32 of it
        #[arg(long, default_value_t = 512, value_name = "MB")]
        memory_mb: usize,
        /// Seconds between commits (a killed run resumes from the last one)
        #[arg(long, default_value_t = 60, value_name = "SECS")]
        commit_interval: u64,
        /// Write every skipped file or record to FILE as JSON Lines
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Index without entity tagging (to measure what tagging costs)
        #[arg(long, hide = true)]
        no_tagging: bool,
        /// Progress display: a bar on a terminal, plain lines otherwise
        #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
        progress: ProgressMode,
    },
    /// Tag a text with the actors, places and countries it names
    Tag {
        /// Text file, or `-` for standard input
        #[arg(value_name = "FILE|-")]
        file: PathBuf,
        /// Print JSON Lines (one mention a line) instead of a table
        #[arg(long, conflicts_with = "conll")]
        json: bool,
        /// Read `token TAG` lines (sentences of one document, in order) and print `token<TAB>predicted-tag` (BIO over PERS, LOC, ORG)
        #[arg(long)]
        conll: bool,
    },
    /// Curated actors: harvest candidates from an archive
    Actors {
        #[command(subcommand)]
        command: ActorsCommand,
    },
    /// The statistical name tagger: score, train, cross-validate, build its lexicon
    Ner {
        #[command(subcommand)]
        command: NerCommand,
    },
    /// Show what an index holds: articles, size, dates, sources, versions
    Stats {
        #[command(flatten)]
        index: IndexPath,
        /// Print one JSON object instead of text
        #[arg(long)]
        json: bool,
    },
    /// Search the index
    #[command(after_help = QUERY_HELP)]
    Search {
        /// The query (see below); omit it with --queries, or to browse with --filter, --from or --to
        #[arg(
            allow_hyphen_values = true,
            required_unless_present_any = ["queries", "filters", "from", "to"],
            conflicts_with = "queries"
        )]
        query: Option<String>,
        #[command(flatten)]
        index: IndexPath,
        /// Number of hits to show
        #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
        limit: usize,
        /// Skip this many hits first (paging)
        #[arg(long, default_value_t = 0, value_name = "N")]
        offset: usize,
        /// Keep only articles with FIELD=VALUE (country, actor, place, source, category, date); repeatable: values of one field are OR-ed, fields AND-ed
        #[arg(long = "filter", value_name = "FIELD=VALUE")]
        filters: Vec<String>,
        /// Only articles dated on or after this day (YYYY, YYYY-MM or YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Only articles dated on or before this day
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Order of hits
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
        /// Count matches per value of FIELD (country, actor, place, source, category, year, month); repeatable
        #[arg(long = "facet", value_name = "FIELD")]
        facets: Vec<String>,
        /// Values shown per facet
        #[arg(long, default_value_t = 20, value_name = "N")]
        facet_size: usize,
        /// Show why each hit scored as it did
        #[arg(long)]
        explain: bool,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        /// Run every query of FILE (`qid<TAB>query` or one query a line) and print one JSON object per line
        #[arg(long, value_name = "FILE")]
        queries: Option<PathBuf>,
        /// With --queries: run the whole file this many times first, untimed and unprinted
        #[arg(long, default_value_t = 0, value_name = "N", requires = "queries")]
        warmup: usize,
        /// Keep only these hit fields in JSON, comma-separated (e.g. id,score: no snippets, fastest)
        #[arg(long, value_name = "LIST", value_delimiter = ',')]
        fields: Option<Vec<String>>,
        /// Highlight matches with colors
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Serve searches over HTTP (JSON API), with a search page at /
    Serve {
        #[command(flatten)]
        index: IndexPath,
        /// Address to listen on; the default accepts connections from this machine only
        #[arg(long, default_value = "127.0.0.1:7700", value_name = "HOST:PORT")]
        addr: String,
        /// Time limit of one request, in milliseconds
        #[arg(long, default_value_t = 10_000, value_name = "MS")]
        timeout_ms: u64,
        /// Time a connection has to send a request's headers, in milliseconds
        #[arg(long, default_value_t = 20_000, value_name = "MS")]
        header_timeout_ms: u64,
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

const QUERY_HELP: &str = "Query language:
  بيرقدار أذربيجان           all words (best partial matches follow)
  \"قره باغ\"                  exact phrase
  أنقرة OR باكو              either word
  -روسيا, NOT روسيا          exclude
  title:… body:…             search one text field
  country:TR actor:بوتين place:… source:… category:…
  صاروخ*                     prefix
  date:2022-09-12..2022-09-20, date:2022-09, date:..2018";

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    /// Best match first
    Relevance,
    /// Newest first
    Date,
    /// Oldest first
    DateAsc,
}

#[derive(Subcommand)]
enum ActorsCommand {
    /// List people (and their countries) that title patterns find but the gazetteer lacks
    Suggest {
        /// Archive directories or files
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// Show candidates seen at least N times
        #[arg(long, default_value_t = 2, value_name = "N")]
        min_count: usize,
        /// Show at most N candidates
        #[arg(long, short = 'n', default_value_t = 100, value_name = "N")]
        limit: usize,
        /// Print JSON Lines instead of TSV
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum NerCommand {
    /// Entity-level precision, recall and F1 (PERS, LOC, ORG; exact spans) of the built-in model on a CoNLL file
    Eval {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Score a predicted CoNLL file (`token<TAB>tag`, as `tag --conll` prints) against a gold one
    Score {
        #[arg(value_name = "GOLD")]
        gold: PathBuf,
        #[arg(value_name = "PREDICTED")]
        predicted: PathBuf,
    },
    /// K-fold cross-validation of training on a CoNLL file (contiguous folds)
    Cv {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long, default_value_t = 5, value_name = "K")]
        folds: usize,
        #[arg(long, default_value_t = akhbar::entities::ner::DEFAULT_EPOCHS, value_name = "N")]
        epochs: usize,
        /// Sentence orders of training (0: those of the shipped model); the
        /// mean over a few seeds tells a change of F1 from noise
        #[arg(long, default_value_t = 0, value_name = "N")]
        seed: u64,
        /// Write every sentence as predicted by the fold model that did not
        /// see it (`token<TAB>gold<TAB>predicted`, a blank line between
        /// sentences), for error analysis
        #[arg(long, value_name = "PATH")]
        predictions: Option<PathBuf>,
    },
    /// Build the tagger's word lexicon (clusters, article use) from an unannotated archive
    Lexicon {
        #[arg(value_name = "DIR", required = true)]
        dirs: Vec<PathBuf>,
        /// Output lexicon file
        #[arg(
            long,
            short = 'o',
            default_value = "data/ner/lexicon.tsv",
            value_name = "PATH"
        )]
        output: PathBuf,
        /// Leave out words seen fewer times
        #[arg(long, default_value_t = 5, value_name = "N")]
        min_count: u32,
        /// Keep at most N words (the most frequent)
        #[arg(long, default_value_t = 60_000, value_name = "N")]
        max_words: usize,
        /// Number of coarse clusters
        #[arg(long, default_value_t = 64, value_name = "K")]
        coarse: usize,
        /// Number of fine clusters
        #[arg(long, default_value_t = 512, value_name = "K")]
        fine: usize,
    },
    /// Train a model on a CoNLL file and write it
    Train {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Output model file
        #[arg(
            long,
            short = 'o',
            default_value = "data/ner/anercorp.model",
            value_name = "PATH"
        )]
        output: PathBuf,
        #[arg(long, default_value_t = akhbar::entities::ner::DEFAULT_EPOCHS, value_name = "N")]
        epochs: usize,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ProgressMode {
    Auto,
    Bar,
    Plain,
    None,
}

fn parse_format(name: &str) -> Result<&'static dyn akhbar::archive::Format, String> {
    akhbar::archive::format_named(name)
}

fn parse_encoding(label: &str) -> Result<&'static encoding_rs::Encoding, String> {
    akhbar::archive::encoding::for_label(label)
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
    let cli = Cli::parse_from(detach_limit(std::env::args_os()));
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // Stopping on request is not an error, but the status tells
            // scripts that the job is not done.
            if failure.error.is::<Interrupted>() {
                eprintln!("akhbar: {:#}", failure.error);
            } else {
                eprintln!("akhbar: error: {:#}", failure.error);
            }
            ExitCode::from(failure.status)
        }
    }
}

/// `-n5` and `-n=5` as `-n 5`. A query may open with `-` (`-روسيا أنقرة`),
/// so the query argument takes values that start with one, and clap gives
/// it any such value whose letters are not all short options: `-n5` would
/// become the query (`5` is no option) and the real query an unexpected
/// argument. Nothing after `--` is touched.
fn detach_limit(args: impl IntoIterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut out = Vec::new();
    let mut options = true;
    for arg in args {
        if options && arg == "--" {
            options = false;
        }
        let attached = arg
            .to_str()
            .filter(|_| options)
            .and_then(|a| a.strip_prefix("-n"))
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit() || c == '='));
        match attached {
            Some(value) => {
                let value = value.strip_prefix('=').unwrap_or(value).into();
                out.extend(["-n".into(), value]);
            }
            None => out.push(arg),
        }
    }
    out
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Analyze(args) => analyze(args).map_err(Failure::from),
        Command::Eval(args) => eval(args).map_err(Failure::from),
        Command::Index {
            dirs,
            index,
            rebuild,
            prune,
            format,
            fields,
            encoding,
            threads,
            memory_mb,
            commit_interval,
            report,
            no_tagging,
            progress,
        } => {
            let mut options = BuildOptions::new(dirs.clone());
            if let Some(threads) = threads {
                options.threads = threads.max(1);
            }
            options.memory_mb = memory_mb;
            options.read = ReadOptions {
                format,
                encoding,
                fields: FieldMap::new(&fields),
                ..ReadOptions::default()
            };
            options.prune = prune;
            options.commit_interval = Duration::from_secs(commit_interval.max(1));
            options.report = report;
            options.stop = Stop::on_signals()?;
            let summary = index_dirs(&index.path(), rebuild, &options, progress, !no_tagging)?;
            if let Some(signal) = summary.interrupted {
                return Err(Failure {
                    status: interrupt::exit_status(signal),
                    error: Interrupted {
                        signal,
                        committed: summary.indexed,
                    }
                    .into(),
                });
            }
            if summary.files_seen == 0 {
                return Err(anyhow::anyhow!("no files found under {}", join_paths(&dirs)).into());
            }
            if summary.files_queued > 0 && summary.records_read == 0 && summary.files_unchanged == 0
            {
                return Err(anyhow::anyhow!(
                    "nothing could be read from {} ({} file(s) or record(s) skipped, see above)",
                    join_paths(&dirs),
                    summary.skipped_total
                )
                .into());
            }
            Ok(())
        }
        Command::Stats { index, json } => {
            let index = NewsIndex::open_read_only(&index.path())?;
            let stats = stats::compute(&index)?;
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            if json {
                serde_json::to_writer(&mut out, &stats)?;
                writeln!(out)?;
            } else {
                print_stats(&mut out, &stats, &index.path)?;
            }
            out.flush()?;
            Ok(())
        }
        Command::Serve {
            index,
            addr,
            timeout_ms,
            header_timeout_ms,
        } => {
            let path = index.path();
            if index.index.is_none() && !path.exists() {
                index_bundled_sample(&path)?;
            }
            let searcher = Searcher::new(NewsIndex::open_read_only(&path)?)?;
            let options = ServeOptions {
                addr,
                timeout: std::time::Duration::from_millis(timeout_ms),
                header_timeout: std::time::Duration::from_millis(header_timeout_ms),
            };
            server::serve(searcher, &options)?;
            Ok(())
        }
        Command::Search {
            query,
            index,
            limit,
            offset,
            filters,
            from,
            to,
            sort,
            facets,
            facet_size,
            explain,
            json,
            queries,
            warmup,
            fields,
            color,
        } => {
            let path = index.path();
            if index.index.is_none() && !path.exists() {
                index_bundled_sample(&path)?;
            }
            if let Some(fields) = &fields {
                if let Some(bad) = fields
                    .iter()
                    .find(|f| !json::HIT_FIELDS.contains(&f.as_str()))
                {
                    return Err(usage(format!(
                        "unknown hit field `{bad}` in --fields; fields are {}",
                        json::HIT_FIELDS.join(", ")
                    )));
                }
            }
            let searcher = Searcher::new(NewsIndex::open_read_only(&path)?)?;
            // These come from the index alone, without the stored article.
            let ids_only = fields.as_ref().is_some_and(|f| {
                f.iter()
                    .all(|f| matches!(f.as_str(), "id" | "score" | "partial"))
            });
            let template = SearchRequest {
                query: query.clone().unwrap_or_default(),
                filters,
                from,
                to,
                sort: match sort {
                    SortArg::Relevance => Sort::Relevance,
                    SortArg::Date => Sort::Date,
                    SortArg::DateAsc => Sort::DateAsc,
                },
                limit,
                offset,
                facets,
                facet_size,
                explain,
                detail: if ids_only {
                    HitDetail::IdsOnly
                } else {
                    HitDetail::Full
                },
            };
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            if let Some(file) = queries {
                return run_batch(
                    &searcher,
                    &template,
                    &file,
                    warmup,
                    fields.as_deref(),
                    &mut out,
                );
            }
            let response = searcher.search(&template).map_err(search_failure)?;
            if json {
                json::print_response(&mut out, &response, None, fields.as_deref())?;
            } else {
                let style = match color {
                    Color::Always => terminal::Style::Color,
                    Color::Never => terminal::Style::Plain,
                    Color::Auto if io::stdout().is_terminal() => terminal::Style::Color,
                    Color::Auto => terminal::Style::Plain,
                };
                terminal::print_response(&mut out, &response, offset, style)?;
            }
            out.flush()?;
            Ok(())
        }
        Command::Tag { file, json, conll } => Ok(commands::tag(&file, json, conll)?),
        Command::Actors {
            command:
                ActorsCommand::Suggest {
                    dirs,
                    min_count,
                    limit,
                    json,
                },
        } => Ok(commands::suggest(&dirs, min_count, limit, json)?),
        Command::Ner { command } => {
            match command {
                NerCommand::Eval { file } => commands::ner_eval(&file)?,
                NerCommand::Score { gold, predicted } => commands::ner_score(&gold, &predicted)?,
                NerCommand::Cv {
                    file,
                    folds,
                    epochs,
                    seed,
                    predictions,
                } => commands::ner_cv(&file, folds, epochs, seed, predictions.as_deref())?,
                NerCommand::Lexicon {
                    dirs,
                    output,
                    min_count,
                    max_words,
                    coarse,
                    fine,
                } => commands::ner_lexicon(
                    &dirs,
                    &output,
                    &akhbar::entities::clusters::Options {
                        min_count,
                        max_words,
                        coarse,
                        fine,
                        ..Default::default()
                    },
                )?,
                NerCommand::Train {
                    file,
                    output,
                    epochs,
                } => commands::ner_train(&file, &output, epochs)?,
            }
            Ok(())
        }
    }
}

fn usage(message: String) -> Failure {
    Failure {
        status: 2,
        error: anyhow::anyhow!(message),
    }
}

fn search_failure(error: SearchError) -> Failure {
    let status = if error.is_user_error() { 2 } else { 1 };
    Failure {
        status,
        error: error.into(),
    }
}

/// Batch mode: one JSON line per query; a bad query gets an error line and
/// the batch goes on (exit status 2 at the end). A summary of latencies goes
/// to stderr.
fn run_batch(
    searcher: &Searcher,
    template: &SearchRequest,
    file: &Path,
    warmup: usize,
    fields: Option<&[String]>,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read queries from {}", file.display()))?;
    let queries: Vec<(usize, String, SearchRequest)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(n, line)| {
            // A line without a qid (no tab, or nothing before it) is
            // named by its line number.
            let (qid, query) = match line.split_once('\t') {
                Some((qid, query)) if !qid.trim().is_empty() => (qid.trim().to_string(), query),
                Some((_, query)) => ((n + 1).to_string(), query),
                None => ((n + 1).to_string(), line),
            };
            let request = SearchRequest {
                query: query.to_string(),
                ..template.clone()
            };
            (n + 1, qid, request)
        })
        .collect();
    for _ in 0..warmup {
        for (_, _, request) in &queries {
            let _ = searcher.search(request);
        }
    }
    let started = std::time::Instant::now();
    let mut latencies = Vec::with_capacity(queries.len());
    let mut failed = 0;
    for (line, qid, request) in &queries {
        match searcher.search(request) {
            Ok(response) => {
                latencies.push(response.took_ms);
                json::print_response(out, &response, Some(qid), fields)?;
            }
            Err(e) => {
                failed += 1;
                let code = if e.is_user_error() {
                    "bad_query"
                } else {
                    "internal"
                };
                json::print_error(out, qid, code, &e.to_string())?;
                eprintln!("akhbar: {}:{line}: {e}", file.display());
            }
        }
    }
    out.flush()?;
    let seconds = started.elapsed().as_secs_f64();
    if !latencies.is_empty() {
        latencies.sort_by(f64::total_cmp);
        let pick = |q: f64| {
            latencies[((q * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len()) - 1]
        };
        eprintln!(
            "akhbar: {} queries in {seconds:.2} s: {:.1} queries/s, median {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            latencies.len(),
            latencies.len() as f64 / seconds,
            pick(0.5),
            pick(0.99),
            latencies[latencies.len() - 1],
        );
    }
    if failed > 0 {
        return Err(usage(format!(
            "{failed} quer{} failed (see the error lines)",
            if failed == 1 { "y" } else { "ies" }
        )));
    }
    Ok(())
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
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "cases",
        requires = "qrels"
    )]
    topics: Option<PathBuf>,
    /// Relevance judgments in TREC qrels format (`qid 0 docid relevance`)
    #[arg(long, value_name = "FILE", requires = "topics")]
    qrels: Option<PathBuf>,
    /// Instead of topics: analysis cases (`match|nomatch|variant<TAB>query<TAB>document`),
    /// each document indexed in memory and each query searched with every word required
    #[arg(long, value_name = "FILE", conflicts_with_all = ["topics", "qrels", "run"])]
    cases: Option<PathBuf>,
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
    if let Some(path) = &args.cases {
        return eval_cases(path, args.json);
    }
    let (Some(topics), Some(qrels)) = (&args.topics, &args.qrels) else {
        anyhow::bail!("eval needs --topics FILE and --qrels FILE, or --cases FILE");
    };
    let searcher = Searcher::new(NewsIndex::open_read_only(&args.index.path())?)?;
    let topics = akhbar::eval::read_topics(topics)?;
    let qrels = akhbar::eval::read_qrels(qrels)?;
    let run = akhbar::eval::run_topics(&searcher, &topics)?;
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

fn eval_cases(path: &Path, json: bool) -> Result<()> {
    let cases = akhbar::eval::cases::read_cases(path)?;
    let outcome = akhbar::eval::cases::run_cases(&cases)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if json {
        serde_json::to_writer(&mut out, &outcome)?;
        writeln!(out)?;
    } else {
        akhbar::eval::cases::print_outcome(&mut out, &outcome)?;
    }
    out.flush()?;
    Ok(())
}

fn index_dirs(
    path: &Path,
    rebuild: bool,
    options: &BuildOptions,
    progress: ProgressMode,
    tagging: bool,
) -> Result<Summary> {
    for dir in &options.roots {
        if !dir.exists() {
            bail!("{}: no such file or directory", dir.display());
        }
    }
    // Before `--rebuild` deletes anything.
    options.validate()?;
    if rebuild {
        NewsIndex::remove(path)?;
    }
    let index = NewsIndex::open_or_create(path)?;
    let tagger = if tagging {
        Tagger::new(Gazetteer::builtin()?)
    } else {
        Tagger::disabled(Gazetteer::builtin()?)
    };
    let progress: Box<dyn Progress> = match progress {
        ProgressMode::None => Box::new(progress::Silent),
        ProgressMode::Bar => Box::new(progress::Bar::new()),
        ProgressMode::Auto if io::stderr().is_terminal() => Box::new(progress::Bar::new()),
        ProgressMode::Auto | ProgressMode::Plain => {
            Box::new(progress::Lines::new(Duration::from_secs(10)))
        }
    };
    let summary = build::build(&index, &tagger, options, progress.as_ref())?;
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
    let mut options = BuildOptions::new(vec![sample.clone()]);
    options.memory_mb = 256;
    index_dirs(path, false, &options, ProgressMode::None, true)?;
    Ok(())
}

const MAX_SKIPS_SHOWN: usize = 20;

fn print_summary(summary: &Summary, path: &Path) {
    let secs = summary.elapsed.as_secs_f64();
    let mb = summary.bytes_read as f64 / 1e6;
    eprintln!(
        "akhbar: indexed {} article{} ({} read) from {} of {} files in {:.1} s ({:.1} MB, {:.1} MB/s, {:.0} articles/s)",
        summary.indexed,
        if summary.indexed == 1 { "" } else { "s" },
        summary.records_read,
        summary.files_read,
        summary.files_seen,
        secs,
        mb,
        mb / secs.max(1e-9),
        summary.indexed as f64 / secs.max(1e-9),
    );
    if summary.files_unchanged > 0 {
        eprintln!(
            "akhbar: {} file(s) unchanged since they were indexed, not read again",
            summary.files_unchanged
        );
    }
    if summary.duplicates > 0 {
        eprintln!(
            "akhbar: {} duplicate article(s) (same id or same text as one already indexed) not indexed again",
            summary.duplicates
        );
    }
    if summary.id_conflicts > 0 {
        eprintln!(
            "akhbar: warning: {} of them have the id of an article with another text and were not indexed (ids that start again in each file? --field id=NAME takes them from another field; --report lists them)",
            summary.id_conflicts
        );
    }
    if summary.files_pruned > 0 {
        eprintln!(
            "akhbar: removed the articles of {} file(s) that no longer exist",
            summary.files_pruned
        );
    }
    if summary.files_missing > 0 {
        eprintln!(
            "akhbar: {} indexed file(s) no longer exist; their articles stay until you pass --prune",
            summary.files_missing
        );
    }
    for warning in summary.warnings.iter().take(MAX_SKIPS_SHOWN) {
        match warning.record {
            Some(r) => eprintln!(
                "akhbar: warning: {} (record {r}): {}",
                warning.path, warning.reason
            ),
            None => eprintln!("akhbar: warning: {}: {}", warning.path, warning.reason),
        }
    }
    if summary.warnings_total > MAX_SKIPS_SHOWN {
        eprintln!(
            "akhbar: … and {} more warning(s) (--report FILE lists them all)",
            summary.warnings_total - MAX_SKIPS_SHOWN
        );
    }
    if summary.skipped_total > 0 {
        let kinds: Vec<String> = summary
            .skipped_by_kind
            .iter()
            .map(|(kind, n)| format!("{n} {}", kind.describe()))
            .collect();
        eprintln!(
            "akhbar: skipped {} ({}):",
            summary.skipped_total,
            kinds.join(", ")
        );
        for skip in summary.skipped.iter().take(MAX_SKIPS_SHOWN) {
            match skip.record {
                Some(r) => eprintln!("  {} (record {r}): {}", skip.path, skip.reason),
                None => eprintln!("  {}: {}", skip.path, skip.reason),
            }
        }
        if summary.skipped_total > MAX_SKIPS_SHOWN {
            eprintln!(
                "  … and {} more (--report FILE lists them all)",
                summary.skipped_total - MAX_SKIPS_SHOWN
            );
        }
    }
    eprintln!(
        "akhbar: index {} holds {} articles ({:.1} MB)",
        path.display(),
        summary.documents,
        summary.index_bytes as f64 / 1e6
    );
}

fn print_stats(out: &mut impl Write, stats: &Stats, path: &Path) -> io::Result<()> {
    writeln!(out, "index          {}", path.display())?;
    writeln!(out, "articles       {}", stats.documents)?;
    writeln!(
        out,
        "size on disk   {:.1} MB ({}, {} not yet merged away)",
        stats.size_bytes as f64 / 1e6,
        counted(stats.segments as u64, "segment"),
        counted(stats.deleted_documents, "deleted article"),
    )?;
    match (&stats.date_min, &stats.date_max) {
        (Some(min), Some(max)) => writeln!(
            out,
            "dates          {min} to {max} ({} undated)",
            stats.undated
        )?,
        _ => writeln!(out, "dates          none")?,
    }
    writeln!(
        out,
        "schema         v{} ({}), analyzer v{}",
        stats.schema_version, stats.schema_hash, stats.analyzer_version
    )?;
    writeln!(
        out,
        "last commit    {}",
        stats.last_commit.as_deref().unwrap_or("unknown")
    )?;
    writeln!(out, "sources")?;
    for s in &stats.sources {
        let name = if s.source.is_empty() {
            "(none)"
        } else {
            &s.source
        };
        writeln!(out, "  {:>8}  {name}", s.documents)?;
    }
    Ok(())
}

/// `1 segment`, `2 segments`.
fn counted(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn join_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::{counted, detach_limit, Cli, Command};
    use clap::Parser;

    fn parsed(args: &[&str]) -> (Option<String>, usize) {
        let args = detach_limit(args.iter().map(|a| a.into()));
        match Cli::try_parse_from(args).unwrap().command {
            Command::Search { query, limit, .. } => (query, limit),
            _ => unreachable!("a search"),
        }
    }

    #[test]
    fn a_limit_attached_to_n_is_the_limit_not_the_query() {
        let q = |q: &str| Some(q.to_string());
        assert_eq!(parsed(&["akhbar", "search", "-n0", "باكو"]), (q("باكو"), 0));
        assert_eq!(
            parsed(&["akhbar", "search", "-n=3", "باكو"]),
            (q("باكو"), 3)
        );
        assert_eq!(parsed(&["akhbar", "search", "باكو", "-n7"]), (q("باكو"), 7));
        let browse = parsed(&["akhbar", "search", "-n0", "--filter", "country=TR"]);
        assert_eq!(browse, (None, 0));
        // A query that opens with an exclusion is still the query.
        assert_eq!(
            parsed(&["akhbar", "search", "-روسيا أنقرة"]),
            (q("-روسيا أنقرة"), 10)
        );
        assert_eq!(parsed(&["akhbar", "search", "--", "-n5"]), (q("-n5"), 10));
    }

    #[test]
    fn stats_counts_agree_with_their_number() {
        assert_eq!(counted(1, "segment"), "1 segment");
        assert_eq!(counted(0, "deleted article"), "0 deleted articles");
        assert_eq!(counted(2, "segment"), "2 segments");
    }
}
