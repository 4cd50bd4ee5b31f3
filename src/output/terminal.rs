//! Human-readable output: ranked hits with highlighted snippets, then facets.

use std::io::{self, Write};

use crate::search::{Hit, SearchResponse};

/// How to mark highlights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// ANSI colors (a terminal).
    Color,
    /// No markup (piped into another program).
    Plain,
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const MATCH: &str = "\x1b[1;31m";
const RESET: &str = "\x1b[0m";

/// Prints a response for a person to read.
pub fn print_response(
    out: &mut impl Write,
    response: &SearchResponse,
    style: Style,
) -> io::Result<()> {
    let paint = |code: &'static str| if style == Style::Color { code } else { "" };
    let shown = response.hits.len();
    writeln!(
        out,
        "{}{} matching article{} ({:.1} ms){}",
        paint(DIM),
        response.total,
        if response.total == 1 { "" } else { "s" },
        response.took_ms,
        paint(RESET)
    )?;
    for (rank, hit) in response.hits.iter().enumerate() {
        writeln!(out)?;
        let title = hit.title.as_deref().unwrap_or(&hit.id);
        writeln!(
            out,
            "{}. {}{}{}",
            rank + 1,
            paint(BOLD),
            title,
            paint(RESET)
        )?;
        let mut meta = vec![hit.id.clone()];
        meta.extend(
            hit.date
                .as_deref()
                .map(|d| d.get(..10).unwrap_or(d).to_string()),
        );
        meta.extend(hit.source.clone());
        meta.push(format!("score {:.2}", hit.score));
        writeln!(out, "   {}{}{}", paint(DIM), meta.join(" · "), paint(RESET))?;
        writeln!(out, "   {}", highlighted(hit, style))?;
        if !hit.countries.is_empty() {
            writeln!(
                out,
                "   {}countries: {}{}",
                paint(DIM),
                hit.countries.join(" "),
                paint(RESET)
            )?;
        }
    }
    if shown < response.total {
        writeln!(
            out,
            "\n{}… {} more (use --limit){}",
            paint(DIM),
            response.total - shown,
            paint(RESET)
        )?;
    }
    let mut names: Vec<&String> = response.facets.keys().collect();
    names.sort();
    for name in names {
        writeln!(out, "\n{}{name}{}", paint(BOLD), paint(RESET))?;
        for v in &response.facets[name] {
            if v.label == v.value {
                writeln!(out, "  {:>6}  {}", v.count, v.value)?;
            } else {
                writeln!(out, "  {:>6}  {} {}", v.count, v.value, v.label)?;
            }
        }
    }
    Ok(())
}

fn highlighted(hit: &Hit, style: Style) -> String {
    if style == Style::Plain {
        return hit.snippet.clone();
    }
    let chars: Vec<char> = hit.snippet.chars().collect();
    let mut out = String::with_capacity(hit.snippet.len() + hit.highlights.len() * 12);
    let mut at = 0;
    for &[start, end] in &hit.highlights {
        if start < at || end > chars.len() {
            continue;
        }
        out.extend(&chars[at..start]);
        out.push_str(MATCH);
        out.extend(&chars[start..end]);
        out.push_str(RESET);
        at = end;
    }
    out.extend(&chars[at..]);
    out
}
