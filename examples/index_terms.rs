//! Prints, for each indexed field of an index, the tokens it was given and
//! its distinct terms (summed over segments): the work of tantivy's writer,
//! which looks every token up in its term table and records it, and then
//! writes every distinct term of a segment with its postings.
//!
//! Usage: cargo run --release --example index_terms -- INDEX

use akhbar::index::NewsIndex;

fn main() -> anyhow::Result<()> {
    let Some(path) = std::env::args_os().nth(1) else {
        anyhow::bail!("usage: index_terms INDEX");
    };
    let index = NewsIndex::open(std::path::Path::new(&path))?;
    let searcher = index.index.reader()?.searcher();
    let schema = index.index.schema();
    println!("{:<12} {:>12} {:>10}", "field", "tokens", "terms");
    let (mut all_tokens, mut all_terms) = (0, 0);
    for (field, entry) in schema.fields() {
        if !entry.is_indexed() {
            continue;
        }
        let (mut tokens, mut terms) = (0, 0);
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            tokens += inverted.total_num_tokens();
            terms += inverted.terms().num_terms() as u64;
        }
        println!("{:<12} {:>12} {:>10}", entry.name(), tokens, terms);
        all_tokens += tokens;
        all_terms += terms;
    }
    println!("{:<12} {:>12} {:>10}", "all", all_tokens, all_terms);
    Ok(())
}
