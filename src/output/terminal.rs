//! Human-readable output: ranked hits with highlighted snippets, then facets.

use std::io::{self, Write};

use super::bidi::isolate;
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

/// Prints a response for a person to read. `offset` is the number of hits
/// skipped before this page: hits are numbered by their rank in the whole
/// list, and the remainder counts those after the page.
pub fn print_response(
    out: &mut impl Write,
    response: &SearchResponse,
    offset: usize,
    style: Style,
) -> io::Result<()> {
    let paint = |code: &'static str| if style == Style::Color { code } else { "" };
    let shown = response.hits.len();
    let partial = match response.partial_total {
        0 => String::new(),
        n => format!(", {n} more with some of the words"),
    };
    writeln!(
        out,
        "{}{} matching article{}{partial} ({:.1} ms){}",
        paint(DIM),
        response.total,
        if response.total == 1 { "" } else { "s" },
        response.took_ms,
        paint(RESET)
    )?;
    for note in &response.notes {
        writeln!(out, "{}note: {}{}", paint(DIM), note.message, paint(RESET))?;
    }
    let mut in_partial = false;
    for (rank, hit) in response.hits.iter().enumerate() {
        writeln!(out)?;
        if response.total > 0 && hit.partial && !in_partial {
            in_partial = true;
            writeln!(
                out,
                "{}— with only some of the words —{}\n",
                paint(DIM),
                paint(RESET)
            )?;
        }
        let title = hit.title.as_deref().unwrap_or(&hit.id);
        writeln!(
            out,
            "{}. {}{}{}",
            offset.saturating_add(rank + 1),
            paint(BOLD),
            isolate(title),
            paint(RESET)
        )?;
        let mut meta = vec![isolate(&hit.id)];
        meta.extend(
            hit.date
                .as_deref()
                .map(|d| d.get(..10).unwrap_or(d).to_string()),
        );
        meta.extend(hit.source.as_deref().map(isolate));
        meta.extend(hit.score.map(|s| format!("score {s:.2}")));
        writeln!(out, "   {}{}{}", paint(DIM), meta.join(" · "), paint(RESET))?;
        if !hit.snippet.is_empty() {
            writeln!(out, "   {}", highlighted(hit, style))?;
        }
        if !hit.countries.is_empty() {
            writeln!(
                out,
                "   {}countries: {}{}",
                paint(DIM),
                hit.countries.join(" "),
                paint(RESET)
            )?;
        }
        if let Some(explanation) = &hit.explanation {
            let pretty = serde_json::to_string_pretty(explanation).unwrap_or_default();
            for line in pretty.lines() {
                writeln!(out, "   {}{line}{}", paint(DIM), paint(RESET))?;
            }
        }
    }
    let listed = response.total + response.partial_total;
    let after = listed.saturating_sub(offset.saturating_add(shown));
    // A first page of no hits is `--limit 0`: counts and facets were asked,
    // and the total above says it all.
    let counts_only = shown == 0 && offset == 0;
    if after > 0 && !counts_only {
        writeln!(
            out,
            "\n{}… {after} more (use --limit or --offset){}",
            paint(DIM),
            paint(RESET)
        )?;
    } else if shown == 0 && listed > 0 && offset > 0 {
        writeln!(
            out,
            "\n{}no hits past the first {offset}: there are {listed}{}",
            paint(DIM),
            paint(RESET)
        )?;
    }
    let mut names: Vec<&String> = response.facets.keys().collect();
    names.sort();
    for name in names {
        writeln!(out, "\n{}{name}{}", paint(BOLD), paint(RESET))?;
        for v in &response.facets[name] {
            if v.label == v.value {
                writeln!(out, "  {:>6}  {}", v.count, isolate(&v.value))?;
            } else {
                writeln!(out, "  {:>6}  {} {}", v.count, v.value, isolate(&v.label))?;
            }
        }
    }
    Ok(())
}

/// The snippet with highlights marked (colors) and directional isolates.
fn highlighted(hit: &Hit, style: Style) -> String {
    if style == Style::Plain {
        return isolate(&hit.snippet);
    }
    let chars: Vec<char> = hit.snippet.chars().collect();
    let mut out = String::with_capacity(hit.snippet.len() + hit.highlights.len() * 12);
    let mut at = 0;
    for &[start, end] in &hit.highlights {
        if start < at || end > chars.len() || start > end {
            continue;
        }
        out.push_str(&isolate_part(&chars[at..start]));
        out.push_str(MATCH);
        out.push_str(&isolate_part(&chars[start..end]));
        out.push_str(RESET);
        at = end;
    }
    out.push_str(&isolate_part(&chars[at..]));
    out
}

fn isolate_part(chars: &[char]) -> String {
    let text: String = chars.iter().collect();
    isolate(&text)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{print_response, Style};
    use crate::search::{Hit, SearchResponse};

    fn hit(id: &str) -> Hit {
        Hit::id_only(id.into(), Some(1.5))
    }

    fn printed(total: usize, hits: usize, offset: usize) -> String {
        let response = SearchResponse {
            query: "x".into(),
            total,
            partial_total: 0,
            took_ms: 1.0,
            hits: (0..hits).map(|i| hit(&format!("h{i}"))).collect(),
            facets: BTreeMap::new(),
            notes: Vec::new(),
        };
        let mut out = Vec::new();
        print_response(&mut out, &response, offset, Style::Plain).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_later_page_numbers_hits_by_rank_and_counts_what_follows() {
        let text = printed(1174, 2, 10);
        assert!(text.contains("\n11. "), "{text}");
        assert!(text.contains("\n12. "), "{text}");
        assert!(!text.contains("\n1. "), "{text}");
        assert!(text.contains("… 1162 more"), "{text}");
        // The first page.
        assert!(printed(1174, 2, 0).contains("… 1172 more"));
        // The last page, and past the end: nothing more.
        let last = printed(12, 2, 10);
        assert!(!last.contains("more"), "{last}");
        let past = printed(12, 0, 20);
        assert!(!past.contains("more"), "{past}");
        assert!(past.contains("past the first 20"), "{past}");
    }

    #[test]
    fn counts_only_print_no_hint_to_page() {
        let text = printed(58, 0, 0);
        assert!(text.starts_with("58 matching articles"), "{text}");
        assert!(!text.contains("more"), "{text}");
    }
}
