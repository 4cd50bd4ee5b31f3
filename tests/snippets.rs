//! Snippets of search hits, which take the matches' positions from the
//! index, are the ones that analyzing the article's text again gives.

mod common;

use common::{akhbar, run_ok, sample_dir};

use std::path::Path;

use akhbar::index::NewsIndex;
use akhbar::search::{query, Highlighter, SearchRequest, Searcher, SNIPPET_CHARS};

fn index_bundled_archive(index: &Path) {
    run_ok(
        akhbar()
            .arg("index")
            .arg(sample_dir())
            .arg("--index")
            .arg(index),
    );
}

#[test]
fn index_positions_give_the_snippets_of_text_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("idx");
    index_bundled_archive(&path);
    let searcher = Searcher::new(NewsIndex::open(&path).unwrap()).unwrap();

    // Names (with transliterated and derived forms), clitic forms, phrases,
    // and then the title words of what those find.
    let mut queries: Vec<String> = [
        "تركيا",
        "روسيا",
        "ترامب",
        "بوتين",
        "الولايات المتحدة",
        "بطائرات",
        "\"وزير الخارجية\"",
        "الرئيس الأمريكي",
        "كرة القدم",
        "النفط أسعار",
        "سوريا OR العراق",
        "ايران -النووي",
    ]
    .iter()
    .map(|q| q.to_string())
    .collect();
    let mut titles = Vec::new();
    for q in &queries {
        let response = searcher.search(&SearchRequest::new(q.as_str())).unwrap();
        titles.extend(response.hits.into_iter().filter_map(|h| h.title));
    }
    for title in titles.iter().take(60) {
        let words: Vec<&str> = title
            .split_whitespace()
            .filter(|w| w.chars().all(char::is_alphabetic))
            .collect();
        queries.extend(words.first().map(|w| w.to_string()));
        queries.extend(words.windows(2).nth(1).map(|w| w.join(" ")));
    }

    let (mut hits, mut highlighted) = (0, 0);
    for q in &queries {
        let mut request = SearchRequest::new(q.as_str());
        request.limit = 20;
        let response = searcher.search(&request).unwrap();
        let parsed = query::parse(q).unwrap();
        for hit in response.hits {
            let body = searcher.document(&hit.id).unwrap().unwrap().body;
            let mut highlighter = Highlighter::new(parsed.positive_texts());
            let expected = highlighter.snippet(&body, SNIPPET_CHARS);
            assert_eq!(
                (&hit.snippet, &hit.highlights),
                (&expected.fragment, &expected.highlights),
                "query {q:?}, article {}",
                hit.id
            );
            hits += 1;
            highlighted += usize::from(!hit.highlights.is_empty());
        }
    }
    assert!(hits > 200, "only {hits} hits compared");
    assert!(
        highlighted * 2 > hits,
        "{highlighted} of {hits} highlighted"
    );
}
