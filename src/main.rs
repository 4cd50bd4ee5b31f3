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
use akhbar::search::{HitDetail, SearchError, SearchRequest, Searcher, Sort};
use akhbar::server::{self, ServeOptions};

/// Where the index lives unless `--index` or `AKHBAR_INDEX` says otherwise.
const DEFAULT_INDEX: &str = "akhbar-index";

#[derive(Parser)]
#[command(
    name = "akhbar",
    version,
    args_override_self = true,
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
    #[command(after_help = QUERY_HELP)]
    Search {
        /// The query (see below); omit it with --queries, or to browse with --filter
        #[arg(allow_hyphen_values = true, required_unless_present_any = ["queries", "filters"])]
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
    },
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
        Command::Serve {
            index,
            addr,
            timeout_ms,
        } => {
            let path = index.path();
            if index.index.is_none() && !path.exists() {
                index_bundled_sample(&path)?;
            }
            let searcher = Searcher::new(NewsIndex::open(&path)?)?;
            let options = ServeOptions {
                addr,
                timeout: std::time::Duration::from_millis(timeout_ms),
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
            let searcher = Searcher::new(NewsIndex::open(&path)?)?;
            let ids_only = fields
                .as_ref()
                .is_some_and(|f| f.iter().all(|f| f == "id" || f == "score"));
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
                return run_batch(&searcher, &template, &file, fields.as_deref(), &mut out);
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
                terminal::print_response(&mut out, &response, style)?;
            }
            out.flush()?;
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
/// the batch goes on (exit status 2 at the end).
fn run_batch(
    searcher: &Searcher,
    template: &SearchRequest,
    file: &Path,
    fields: Option<&[String]>,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read queries from {}", file.display()))?;
    let mut failed = 0;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (qid, query) = match line.split_once('\t') {
            Some((qid, query)) => (qid.trim().to_string(), query),
            None => ((n + 1).to_string(), line),
        };
        let request = SearchRequest {
            query: query.to_string(),
            ..template.clone()
        };
        match searcher.search(&request) {
            Ok(response) => json::print_response(out, &response, Some(&qid), fields)?,
            Err(e) => {
                failed += 1;
                let code = if e.is_user_error() {
                    "bad_query"
                } else {
                    "internal"
                };
                json::print_error(out, &qid, code, &e.to_string())?;
                eprintln!("akhbar: {}:{}: {e}", file.display(), n + 1);
            }
        }
    }
    out.flush()?;
    if failed > 0 {
        return Err(usage(format!(
            "{failed} quer{} failed (see the error lines)",
            if failed == 1 { "y" } else { "ies" }
        )));
    }
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
