//! Output of `akhbar analyze`: each analyzer's tokens, as a table or JSON.

use std::io::{self, Write};

use crate::analysis::explain::AnalyzerTokens;

/// Prints the tokens for a person: one block per analyzer.
pub fn print_text(out: &mut impl Write, analyzers: &[AnalyzerTokens]) -> io::Result<()> {
    for (i, a) in analyzers.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{} ({}):", a.analyzer, a.fields.join(", "))?;
        if a.tokens.is_empty() {
            writeln!(out, "  (no tokens)")?;
        }
        for t in &a.tokens {
            writeln!(
                out,
                "  {:>3}  {:>5}..{:<5}  {}  ← {}",
                t.position, t.start, t.end, t.term, t.text
            )?;
        }
    }
    Ok(())
}

/// Prints the tokens as one JSON object: `{"text": …, "analyzers": […]}`.
pub fn print_json(
    out: &mut impl Write,
    text: &str,
    analyzers: &[AnalyzerTokens],
) -> io::Result<()> {
    serde_json::to_writer(
        &mut *out,
        &serde_json::json!({ "text": text, "analyzers": analyzers }),
    )?;
    writeln!(out)
}
