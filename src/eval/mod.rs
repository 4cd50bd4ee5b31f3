//! Ranking evaluation, like Elasticsearch's `_rank_eval`: run a topic set
//! through the default ranking and score the runs against relevance
//! judgments with MRR@10, Success@1 and @10, nDCG@10 and Recall@100.
//!
//! The figures are computed as TREC tools do: a query's first relevant hit
//! at rank r gives 1/r (0 beyond 10); nDCG uses gains 2^rel − 1 and a log2
//! discount; topics without judgments are left out, and topics whose query
//! finds nothing count as zeros.

pub mod cases;

use std::collections::HashMap;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::search::{HitDetail, SearchError, SearchRequest, Searcher};

/// Hits fetched per topic: enough for Recall@100.
pub const DEPTH: usize = 100;

/// One topic: its id and query text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub qid: String,
    pub query: String,
}

/// Judgments: topic id → document id → relevance grade (> 0).
pub type Qrels = HashMap<String, HashMap<String, u32>>;

/// The ranked document ids of each topic, in topic order.
pub type Run = Vec<(String, Vec<(String, f32)>)>;

/// Reads `qid<TAB>query` lines (blank lines skipped).
pub fn read_topics(path: &Path) -> Result<Vec<Topic>> {
    let text = fs::read_to_string(path)
        .with_context(|| format!("cannot read topics file {}", path.display()))?;
    let mut topics = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((qid, query)) = line.split_once('\t') else {
            bail!(
                "{}:{}: expected `qid<TAB>query`, found no tab",
                path.display(),
                n + 1
            );
        };
        topics.push(Topic {
            qid: qid.trim().to_string(),
            query: query.trim().to_string(),
        });
    }
    if topics.is_empty() {
        bail!("{}: no topics", path.display());
    }
    Ok(topics)
}

/// Reads TREC qrels (`qid 0 docid grade`); grades of 0 or less are not
/// relevant and are dropped.
pub fn read_qrels(path: &Path) -> Result<Qrels> {
    let text = fs::read_to_string(path)
        .with_context(|| format!("cannot read qrels file {}", path.display()))?;
    let mut qrels = Qrels::new();
    for (n, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let grade = match fields.as_slice() {
            [_, _, _, grade, ..] => grade.parse::<i64>().ok(),
            _ => None,
        };
        let Some(grade) = grade else {
            bail!(
                "{}:{}: expected `qid 0 docid grade`, found `{line}`",
                path.display(),
                n + 1
            );
        };
        if grade > 0 {
            qrels
                .entry(fields[0].to_string())
                .or_default()
                .insert(fields[2].to_string(), grade as u32);
        }
    }
    Ok(qrels)
}

/// Runs every topic through the search users get (every word required,
/// then articles with only some of them) and keeps the top [`DEPTH`] ids.
/// Topics are text (headlines, questions), not query syntax: their quotes
/// and dashes are punctuation (see [`plain_words`]).
pub fn run_topics(searcher: &Searcher, topics: &[Topic]) -> Result<Run> {
    let mut run = Vec::with_capacity(topics.len());
    for topic in topics {
        let mut request = SearchRequest::new(plain_words(&topic.query));
        request.limit = DEPTH;
        request.detail = HitDetail::IdsOnly;
        let hits = match searcher.search(&request) {
            Ok(response) => response
                .hits
                .into_iter()
                .map(|hit| (hit.id, hit.score.unwrap_or_default()))
                .collect(),
            // A topic with nothing to search for (only stopwords, only
            // punctuation) finds nothing.
            Err(SearchError::Query(_)) => Vec::new(),
            Err(e) => {
                return Err(anyhow::Error::new(e))
                    .with_context(|| format!("search failed for topic {}", topic.qid))
            }
        };
        run.push((topic.qid.clone(), hits));
    }
    Ok(run)
}

/// A topic's text as a query of plain words: quotation marks, parentheses
/// and leading dashes are a headline's punctuation, not phrase, group or
/// exclusion operators.
pub fn plain_words(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || matches!(c, '"' | ':' | '(' | ')'))
        .map(|w| w.trim_start_matches('-').trim_end_matches('*'))
        .filter(|w| !w.is_empty() && !matches!(*w, "OR" | "AND" | "NOT" | "|" | "||" | "&&"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes a run as `qid<TAB>rank<TAB>docid<TAB>score` lines.
pub fn write_run(path: &Path, run: &Run) -> Result<()> {
    let file =
        fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::new(file);
    for (qid, hits) in run {
        for (rank, (id, score)) in hits.iter().enumerate() {
            writeln!(out, "{qid}\t{}\t{id}\t{score}", rank + 1)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The scores of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Report {
    /// Topics with judgments (the ones scored).
    pub queries: usize,
    pub mrr_at_10: f64,
    pub success_at_1: f64,
    pub success_at_10: f64,
    pub ndcg_at_10: f64,
    pub recall_at_100: f64,
}

/// Scores a run against judgments.
pub fn score(run: &Run, qrels: &Qrels) -> Report {
    let mut r = Report::default();
    for (qid, hits) in run {
        let Some(relevant) = qrels.get(qid) else {
            continue;
        };
        r.queries += 1;
        let ids: Vec<&str> = hits.iter().map(|(id, _)| id.as_str()).collect();
        if let Some(rank) = ids
            .iter()
            .take(10)
            .position(|id| relevant.contains_key(*id))
        {
            r.mrr_at_10 += 1.0 / (rank + 1) as f64;
            r.success_at_10 += 1.0;
            if rank == 0 {
                r.success_at_1 += 1.0;
            }
        }
        let found = ids
            .iter()
            .take(100)
            .filter(|id| relevant.contains_key(**id))
            .count();
        r.recall_at_100 += found as f64 / relevant.len() as f64;
        let gain = |g: u32| 2f64.powi(g as i32) - 1.0;
        let discount = |i: usize| (i as f64 + 2.0).log2();
        let dcg: f64 = ids
            .iter()
            .take(10)
            .enumerate()
            .map(|(i, id)| relevant.get(*id).map_or(0.0, |&g| gain(g) / discount(i)))
            .sum();
        let mut ideal: Vec<u32> = relevant.values().copied().collect();
        ideal.sort_unstable_by(|a, b| b.cmp(a));
        let idcg: f64 = ideal
            .iter()
            .take(10)
            .enumerate()
            .map(|(i, &g)| gain(g) / discount(i))
            .sum();
        if idcg > 0.0 {
            r.ndcg_at_10 += dcg / idcg;
        }
    }
    let n = r.queries.max(1) as f64;
    r.mrr_at_10 /= n;
    r.success_at_1 /= n;
    r.success_at_10 /= n;
    r.ndcg_at_10 /= n;
    r.recall_at_100 /= n;
    r
}

/// Prints a report as a small table.
pub fn print_report(out: &mut impl Write, r: &Report) -> io::Result<()> {
    writeln!(out, "queries     {}", r.queries)?;
    writeln!(out, "MRR@10      {:.3}", r.mrr_at_10)?;
    writeln!(out, "Success@1   {:.3}", r.success_at_1)?;
    writeln!(out, "Success@10  {:.3}", r.success_at_10)?;
    writeln!(out, "nDCG@10     {:.3}", r.ndcg_at_10)?;
    writeln!(out, "Recall@100  {:.3}", r.recall_at_100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qrels(pairs: &[(&str, &str, u32)]) -> Qrels {
        let mut q = Qrels::new();
        for (qid, doc, g) in pairs {
            q.entry(qid.to_string())
                .or_default()
                .insert(doc.to_string(), *g);
        }
        q
    }

    fn hits(ids: &[&str]) -> Vec<(String, f32)> {
        ids.iter().map(|id| (id.to_string(), 1.0)).collect()
    }

    #[test]
    fn scores_like_trec_tools() {
        let q = qrels(&[("a", "d1", 1), ("b", "d9", 1), ("c", "x", 1)]);
        let run: Run = vec![
            ("a".into(), hits(&["d1", "d2"])),
            ("b".into(), hits(&["d1", "d2", "d9"])),
            ("c".into(), hits(&[])),
            ("unjudged".into(), hits(&["d1"])),
        ];
        let r = score(&run, &q);
        assert_eq!(r.queries, 3);
        assert!((r.mrr_at_10 - (1.0 + 1.0 / 3.0) / 3.0).abs() < 1e-9);
        assert!((r.success_at_1 - 1.0 / 3.0).abs() < 1e-9);
        assert!((r.success_at_10 - 2.0 / 3.0).abs() < 1e-9);
        assert!((r.recall_at_100 - 2.0 / 3.0).abs() < 1e-9);
        let ndcg_b = 1.0 / 4f64.log2();
        assert!((r.ndcg_at_10 - (1.0 + ndcg_b) / 3.0).abs() < 1e-9);
    }

    #[test]
    fn relevant_beyond_ten_counts_for_recall_only() {
        let q = qrels(&[("a", "d11", 1)]);
        let ids: Vec<String> = (0..12).map(|i| format!("d{i}")).collect();
        let run: Run = vec![("a".into(), ids.iter().map(|id| (id.clone(), 1.0)).collect())];
        let r = score(&run, &q);
        assert_eq!(r.mrr_at_10, 0.0);
        assert_eq!(r.recall_at_100, 1.0);
    }

    #[test]
    fn topics_are_plain_words() {
        assert_eq!(
            plain_words(r#"مقتل "دواعش" خلال -عمليات "شمالي"#),
            "مقتل دواعش خلال عمليات شمالي"
        );
    }

    #[test]
    fn bad_lines_are_reported_with_their_place() {
        let dir = tempfile::tempdir().unwrap();
        let topics = dir.path().join("t.tsv");
        fs::write(&topics, "q1 no tab here\n").unwrap();
        let err = read_topics(&topics).unwrap_err().to_string();
        assert!(err.contains("t.tsv:1"), "{err}");
        let qrels = dir.path().join("q.txt");
        fs::write(&qrels, "q1 0 d1\n").unwrap();
        let err = read_qrels(&qrels).unwrap_err().to_string();
        assert!(err.contains("q.txt:1"), "{err}");
    }
}
