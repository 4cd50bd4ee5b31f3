//! End-to-end tests: the real `akhbar` binary on the bundled sample.

mod common;

use common::{akhbar, hit_ids, run, sample_dir, stderr, HIT_KEYS};

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

const SEED_ID: &str = "seed/000_fecd01c37f338b77.txt";

/// One index of the bundled sample, shared by the tests of this file.
fn sample_index() -> &'static Path {
    static INDEX: OnceLock<tempfile::TempDir> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let out = run(akhbar()
                .arg("index")
                .arg(sample_dir())
                .arg("--index")
                .arg(dir.path().join("idx")));
            assert!(out.status.success(), "index failed: {}", stderr(&out));
            dir
        })
        .path()
}

fn search_json(query: &str, extra: &[&str]) -> Value {
    let out = run(akhbar()
        .args(["search", query, "--json", "--index"])
        .arg(sample_index().join("idx"))
        .args(extra));
    assert!(out.status.success(), "search failed: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("search --json prints JSON")
}

#[test]
fn bayraktar_finds_the_seed_article_with_its_countries() {
    let response = search_json("بيرقدار", &["--facet", "country", "--limit", "20"]);
    assert!(
        hit_ids(&response).contains(&SEED_ID.to_string()),
        "{response}"
    );
    let countries: Vec<&str> = response["facets"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    for code in ["AZ", "AM", "TR", "RU", "US", "FR"] {
        assert!(
            countries.contains(&code),
            "facet lacks {code}: {countries:?}"
        );
    }
    let seed = response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == SEED_ID)
        .unwrap();
    let mut seed_countries: Vec<&str> = seed["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    seed_countries.sort();
    assert_eq!(seed_countries, ["AM", "AZ", "FR", "RU", "TR", "US"]);
}

#[test]
fn facet_counts_cover_all_matches_not_only_shown_hits() {
    let all = search_json(
        "بيرقدار",
        &[
            "--facet",
            "country",
            "--limit",
            "100",
            "--facet-size",
            "300",
        ],
    );
    let one = search_json(
        "بيرقدار",
        &["--facet", "country", "--limit", "1", "--facet-size", "300"],
    );
    assert_eq!(hit_ids(&one).len(), 1);
    assert!(all["total"].as_u64().unwrap() > 1);
    assert_eq!(all["total"], one["total"]);
    assert_eq!(all["facets"], one["facets"]);
    // The counts equal what the hits themselves carry.
    let az_hits = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["countries"].as_array().unwrap().iter().any(|c| c == "AZ"))
        .count() as u64;
    let az_count = all["facets"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "AZ")
        .unwrap()["count"]
        .as_u64()
        .unwrap();
    assert_eq!(az_hits, az_count);
}

#[test]
fn diacritics_and_alef_forms_in_the_query_find_the_same_article() {
    for query in [
        "بِيْرَقْدَار",
        "بيرقـــدار",
        "اذربيجان باشنيان",
        "أذربيجان باشنيان",
    ] {
        let response = search_json(query, &["--limit", "50"]);
        assert!(
            hit_ids(&response).contains(&SEED_ID.to_string()),
            "{query}: {response}"
        );
    }
}

#[test]
fn every_word_is_required_and_partial_matches_answer_when_none_has_all() {
    // Only the seed has both words: it is the only answer.
    let response = search_json("بيرقدار باشنيان", &["--limit", "50"]);
    assert_eq!(hit_ids(&response), [SEED_ID], "{response}");
    assert_eq!(response["partial_total"], 0);
    assert!(response["hits"][0]["score"].as_f64().unwrap() >= 1.0);
    // Asked as a question, the articles with one of the words follow it,
    // marked partial, counted apart.
    let question = "من استخدم بيرقدار ضد باشنيان؟";
    let response = search_json(question, &["--limit", "50"]);
    assert_eq!(response["total"], 1, "{response}");
    let hits = response["hits"].as_array().unwrap();
    assert_eq!(hits[0]["id"], SEED_ID);
    assert_eq!(hits[0]["partial"], false);
    assert!(hits.len() > 1, "partial matches follow: {response}");
    assert!(hits[1..].iter().all(|h| h["partial"] == true), "{response}");
    assert_eq!(response["partial_total"], hits.len() as u64 - 1);
    // Pages cut the same list.
    let page = search_json(question, &["--limit", "2", "--offset", "1"]);
    assert_eq!(hit_ids(&page), hit_ids(&response)[1..3], "{page}");
    assert_eq!(page["total"], 1);
    // Facets count the articles with every word only.
    let faceted = search_json(question, &["--facet", "country"]);
    let counts: Vec<u64> = faceted["facets"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["count"].as_u64().unwrap())
        .collect();
    assert!(counts.iter().all(|&c| c == 1), "{faceted}");
    // No article has all three words: the best partial matches answer,
    // the seed (two of the three) first.
    let response = search_json("بيرقدار باشنيان زمبابويكستان", &["--limit", "50"]);
    let ids = hit_ids(&response);
    assert_eq!(ids[0], SEED_ID, "{response}");
    assert!(ids.len() > 1, "partial matches follow: {response}");
    assert_eq!(response["partial_total"], 0);
}

#[test]
fn json_output_has_the_documented_shape() {
    let response = search_json("بيرقدار", &["--facet", "country"]);
    assert_eq!(response["query"], "بيرقدار");
    assert!(response["total"].is_u64());
    assert!(response["partial_total"].is_u64());
    assert!(response["took_ms"].is_number());
    let hit = &response["hits"][0];
    for key in HIT_KEYS {
        assert!(hit.get(key).is_some(), "hit lacks {key}: {hit}");
    }
    let value = &response["facets"]["country"][0];
    for key in ["value", "label", "count"] {
        assert!(value.get(key).is_some(), "facet value lacks {key}");
    }
    // The highlighted range of the snippet is the matched word as written.
    let seed = search_json("بيرقدار", &["--limit", "50"])["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == SEED_ID)
        .cloned()
        .unwrap();
    let snippet: Vec<char> = seed["snippet"].as_str().unwrap().chars().collect();
    let [start, end] = [&seed["highlights"][0][0], &seed["highlights"][0][1]]
        .map(|v| v.as_u64().unwrap() as usize);
    assert_eq!(snippet[start..end].iter().collect::<String>(), "بيرقدار");
    // Entities of the seed article.
    let places: Vec<&str> = seed["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        places.contains(&"قره باغ") && places.contains(&"يريفان"),
        "{places:?}"
    );
    let actors: Vec<&str> = seed["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        actors.contains(&"فلاديمير بوتين") && actors.contains(&"خلوصي أكار"),
        "{actors:?}"
    );
}

#[test]
fn terminal_output_shows_hits_snippets_and_facets() {
    let out = run(akhbar()
        .args([
            "search",
            "بيرقدار",
            "--facet",
            "country",
            "--limit",
            "50",
            "--index",
        ])
        .arg(sample_index().join("idx")));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(SEED_ID), "{text}");
    assert!(text.contains("country"));
    assert!(text.contains("AZ \u{2068}أذربيجان\u{2069}"), "{text}");
    assert!(!text.contains('\x1b'), "no colors when piped");
}

#[test]
fn bad_files_are_reported_and_the_rest_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(archive.join("sub")).unwrap();
    std::fs::write(
        archive.join("good.txt"),
        "خبر عن طائرات بيرقدار في أذربيجان",
    )
    .unwrap();
    std::fs::write(
        archive.join("sub/mixed.jsonl"),
        "{\"id\":\"j1\",\"title\":\"عنوان\",\"text\":\"نص عن أنقرة\"}\n{not json\n",
    )
    .unwrap();
    std::fs::write(
        archive.join("junk.txt"),
        [0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28],
    )
    .unwrap();
    std::fs::write(archive.join("empty.txt"), "").unwrap();
    std::fs::write(archive.join("report.pdf"), "%PDF-1.4").unwrap();
    std::fs::write(archive.join("broken.xml"), "<DOC><DOCNO>x1</DOCNO><TEXT>نص").unwrap();
    let index = dir.path().join("idx");
    let report = dir.path().join("skipped.jsonl");
    let out = run(akhbar()
        .arg("index")
        .arg(&archive)
        .arg("--index")
        .arg(&index)
        .arg("--report")
        .arg(&report));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("junk.txt") && err.contains("UTF-8"), "{err}");
    assert!(
        err.contains("mixed.jsonl") && err.contains("record 2"),
        "{err}"
    );
    assert!(err.contains("empty.txt"), "{err}");
    assert!(
        err.contains("report.pdf") && err.contains("unsupported"),
        "{err}"
    );
    assert!(
        err.contains("broken.xml") && err.contains("unterminated"),
        "{err}"
    );
    assert!(err.contains("indexed 2 articles"), "{err}");
    let report = std::fs::read_to_string(report).unwrap();
    assert_eq!(report.lines().count(), 5, "{report}");
    for line in report.lines() {
        let skip: Value = serde_json::from_str(line).unwrap();
        assert!(skip["path"].is_string() && skip["reason"].is_string());
    }

    let out = run(akhbar()
        .args(["search", "أنقرة", "--json", "--index"])
        .arg(&index));
    let response: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hit_ids(&response), ["j1"]);
}

#[test]
fn reindexing_the_same_files_keeps_one_copy_of_each() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    std::fs::create_dir_all(&archive).unwrap();
    std::fs::write(archive.join("one.txt"), "خبر أول عن باكو").unwrap();
    std::fs::write(archive.join("two.txt"), "خبر ثان عن باكو").unwrap();
    let index = dir.path().join("idx");
    for _ in 0..2 {
        let out = run(akhbar()
            .arg("index")
            .arg(&archive)
            .arg("--index")
            .arg(&index));
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("holds 2 articles"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn nothing_readable_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.pdf"), "%PDF").unwrap();
    let out = run(akhbar()
        .arg("index")
        .arg(dir.path())
        .arg("--index")
        .arg(dir.path().join("idx")));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("nothing could be read"),
        "{}",
        stderr(&out)
    );

    let out = run(akhbar()
        .args(["index", "/no/such/dir", "--index"])
        .arg(dir.path().join("i2")));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no such file or directory"));
}

#[test]
fn an_index_from_another_version_asks_for_a_reindex() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    std::fs::create_dir_all(&archive).unwrap();
    std::fs::write(archive.join("one.txt"), "خبر عن باكو").unwrap();
    let index = dir.path().join("idx");
    assert!(run(akhbar()
        .arg("index")
        .arg(&archive)
        .arg("--index")
        .arg(&index))
    .status
    .success());
    let meta_path = index.join("akhbar.json");
    let mut meta: Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    meta["analyzer_version"] = Value::from(0);
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    let out = run(akhbar().args(["search", "باكو", "--index"]).arg(&index));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("re-index") && err.contains("--rebuild"),
        "{err}"
    );

    // --rebuild starts over and makes the index usable again.
    let out = run(akhbar()
        .arg("index")
        .arg(&archive)
        .arg("--index")
        .arg(&index)
        .arg("--rebuild"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        run(akhbar().args(["search", "باكو", "--index"]).arg(&index))
            .status
            .success()
    );
}

#[test]
fn an_unreadable_index_record_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("akhbar.json"), "{").unwrap();
    let out = run(akhbar().args(["stats", "--index"]).arg(dir.path()));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("cannot open the index at"), "{err}");
    assert_eq!(err.matches("is unreadable").count(), 1, "{err}");
}

/// Makes a directory and its files read-only, and writable again when
/// dropped (so that it can be removed).
#[cfg(unix)]
struct ReadOnly<'a>(&'a Path);

#[cfg(unix)]
impl<'a> ReadOnly<'a> {
    fn new(dir: &'a Path) -> ReadOnly<'a> {
        ReadOnly::set(dir, 0o444, 0o555);
        ReadOnly(dir)
    }

    fn set(dir: &Path, file_mode: u32, dir_mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(file_mode)).unwrap();
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(dir_mode)).unwrap();
    }
}

#[cfg(unix)]
impl Drop for ReadOnly<'_> {
    fn drop(&mut self) {
        ReadOnly::set(self.0, 0o644, 0o755);
    }
}

#[cfg(unix)]
#[test]
fn an_index_the_user_cannot_write_is_searched_and_inspected() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    std::fs::create_dir_all(&archive).unwrap();
    std::fs::write(archive.join("one.txt"), "خبر عن باكو").unwrap();
    let index = dir.path().join("idx");
    let out = run(akhbar()
        .arg("index")
        .arg(&archive)
        .arg("--index")
        .arg(&index));
    assert!(out.status.success(), "{}", stderr(&out));
    let _read_only = ReadOnly::new(&index);
    if std::fs::write(index.join("probe"), "").is_ok() {
        // Root writes anyway: nothing is refused, nothing to check.
        let _ = std::fs::remove_file(index.join("probe"));
        eprintln!("skipped: permissions are not enforced for this user (root?)");
        return;
    }
    let out = run(akhbar()
        .args(["search", "باكو", "--json", "--index"])
        .arg(&index));
    assert!(out.status.success(), "{}", stderr(&out));
    let response: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(response["total"], 1, "{response}");
    let out = run(akhbar().args(["stats", "--index"]).arg(&index));
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn search_without_an_index_indexes_the_bundled_sample_first() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(akhbar().current_dir(dir.path()).args([
        "search",
        "بيرقدار",
        "--facet",
        "country",
        "--json",
        "--limit",
        "50",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("indexing the bundled sample"),
        "{}",
        stderr(&out)
    );
    assert!(dir.path().join("akhbar-index/akhbar.json").exists());
    let response: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(hit_ids(&response).contains(&SEED_ID.to_string()));
}

#[test]
fn bad_queries_exit_with_status_2_and_a_message() {
    for (query, expect) in [
        ("\"قره باغ", "unbalanced quote"),
        ("   ", "empty query"),
        ("-روسيا", "only excludes"),
    ] {
        let out = run(akhbar()
            .args(["search", query, "--index"])
            .arg(sample_index().join("idx")));
        assert_eq!(out.status.code(), Some(2), "{query}");
        assert!(stderr(&out).contains(expect), "{query}: {}", stderr(&out));
    }
    let out = run(akhbar()
        .args(["search", "باكو", "--facet", "planet", "--index"])
        .arg(sample_index().join("idx")));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown facet `planet`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn excluded_words_remove_matches() {
    let with = search_json("بيرقدار", &["--limit", "100"]);
    let without = search_json("بيرقدار -باشنيان", &["--limit", "100"]);
    assert!(hit_ids(&with).contains(&SEED_ID.to_string()));
    assert!(!hit_ids(&without).contains(&SEED_ID.to_string()));
    assert_eq!(
        with["total"].as_u64().unwrap(),
        without["total"].as_u64().unwrap() + 1
    );
}

#[test]
fn analyze_shows_every_analyzed_field_with_offsets() {
    let text = "وصلت بطائرات بايراكتار";
    let out = run(akhbar().args(["analyze", text, "--json"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let analyzers = v["analyzers"].as_array().unwrap();
    let light = analyzers
        .iter()
        .find(|a| a["analyzer"] == "arabic_light")
        .expect("the light analyzer is shown");
    assert!(light["fields"]
        .as_array()
        .unwrap()
        .contains(&Value::from("body_light")));
    let token = &light["tokens"][1];
    assert_eq!(token["text"], "بطائرات");
    let (start, end) = (
        token["start"].as_u64().unwrap() as usize,
        token["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "بطائرات");
    let plain = run(akhbar().args(["analyze", text]));
    assert!(String::from_utf8_lossy(&plain.stdout).contains("arabic_name"));
}

#[test]
fn eval_scores_a_topic_set() {
    let dir = tempfile::tempdir().unwrap();
    let topics = dir.path().join("topics.tsv");
    let qrels = dir.path().join("qrels");
    std::fs::write(&topics, "t1\tطائرات بيرقدار باشنيان\nt2\tلا شيء هنا إطلاقا\n").unwrap();
    std::fs::write(&qrels, format!("t1 0 {SEED_ID} 1\nt2 0 nothing 1\n")).unwrap();
    let out = run(akhbar()
        .args(["eval", "--json", "--topics"])
        .arg(&topics)
        .arg("--qrels")
        .arg(&qrels)
        .arg("--index")
        .arg(sample_index().join("idx")));
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["queries"], 2);
    // t1 finds the seed first, t2 finds nothing relevant
    assert_eq!(v["mrr_at_10"], 0.5);
    assert_eq!(v["success_at_1"], 0.5);
    let missing = run(akhbar()
        .args(["eval", "--topics", "/nonexistent/topics.tsv", "--qrels"])
        .arg(&qrels)
        .arg("--index")
        .arg(sample_index().join("idx")));
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("/nonexistent/topics.tsv"));
}

#[test]
fn eval_runs_analysis_cases() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases.tsv");
    std::fs::write(
        &cases,
        "# class\tquery\tdocument\n\
         match\tأذربيجان\tحدود اذربيجان الغربية\n\
         nomatch\tوزير\tقالت الوزارة\n\
         variant\tبيرقدار\tطائرات بيرقتار\n",
    )
    .unwrap();
    let out = run(akhbar().args(["eval", "--json", "--cases"]).arg(&cases));
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for class in v["classes"].as_array().unwrap() {
        assert_eq!(class["passed"], class["total"], "{v}");
    }
    assert_eq!(v["classes"].as_array().unwrap().len(), 3);
    std::fs::write(&cases, "match\tonly a query\n").unwrap();
    let bad = run(akhbar().args(["eval", "--cases"]).arg(&cases));
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("cases.tsv:1:"), "{}", stderr(&bad));
}
