//! The query language, filters, facets, sorting, snippets and batch mode,
//! end to end through the `akhbar` binary on a small archive made here.

mod common;

use common::{akhbar, run_ok, sorted_ids};

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use serde_json::{json, Value};

/// Articles with known words, dates, sources and categories.
fn articles() -> Vec<Value> {
    vec![
        json!({"id": "a1", "title": "طائرات بيرقدار في قره باغ", "body": "أمدت تركيا أذربيجان بطائرات بيرقدار المسيرة خلال الحرب. وقال وزير الدفاع خلوصي أكار إن أنقرة تقف مع باكو.", "date": "2022-09-13", "source": "BBC", "category": "world"}),
        json!({"id": "a2", "title": "روسيا تدعو إلى التهدئة", "body": "دعا الكرملين أذربيجان وأرمينيا إلى ضبط النفس، وقال الرئيس الروسي فلاديمير بوتين إن موسكو مستعدة للوساطة.", "date": "2022-09-14", "source": "CNN", "category": "world"}),
        json!({"id": "a3", "title": "مباراة الديربي", "body": "فاز الفريق في الدوري بعد مباراة صعبة في القاهرة.", "date": "2018-03-05", "source": "BBC", "category": "sport"}),
        json!({"id": "a4", "title": "اقتصاد تركيا", "body": "تراجعت الليرة التركية أمام الدولار في أنقرة، وقالت وزارة المالية إن الاقتصاد قوي.", "date": "2018-08-10", "source": "skynews", "category": "economy"}),
        json!({"id": "a5", "title": "صواريخ جديدة", "body": "أعلن الجيش عن صاروخ جديد وصواريخ بعيدة المدى في مصر.", "source": "CNN", "category": "world"}),
    ]
}

/// A directory holding `archive/news.jsonl` of these articles and their
/// index `idx`, built with the extra `index` arguments.
fn indexed(articles: &[Value], extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(&archive).unwrap();
    let lines: Vec<String> = articles.iter().map(Value::to_string).collect();
    std::fs::write(archive.join("news.jsonl"), lines.join("\n")).unwrap();
    run_ok(
        akhbar()
            .arg("index")
            .arg(&archive)
            .args(extra)
            .arg("--index")
            .arg(dir.path().join("idx")),
    );
    dir
}

fn index() -> &'static Path {
    static INDEX: OnceLock<tempfile::TempDir> = OnceLock::new();
    INDEX.get_or_init(|| indexed(&articles(), &[])).path()
}

fn index_path() -> PathBuf {
    index().join("idx")
}

fn search(args: &[&str]) -> Output {
    akhbar()
        .arg("search")
        .args(args)
        .arg("--index")
        .arg(index_path())
        .output()
        .unwrap()
}

fn json_search(args: &[&str]) -> Value {
    let mut all = vec!["--json", "--limit", "100"];
    all.extend_from_slice(args);
    let out = search(&all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The articles that match `query` (sorted ids), without those listed
/// after them for having only some of its words.
fn q(query: &str) -> Vec<String> {
    let mut response = json_search(&[query]);
    if let Some(hits) = response["hits"].as_array_mut() {
        hits.retain(|h| h["partial"] == false);
    }
    sorted_ids(&response)
}

fn facet(response: &Value, name: &str) -> Vec<(String, u64)> {
    response["facets"][name]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_string(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn words_are_all_required() {
    assert_eq!(q("بيرقدار أنقرة"), ["a1"]);
    assert_eq!(q("أنقرة"), ["a1", "a4"]);
    assert_eq!(json_search(&["بيرقدار أنقرة"])["partial_total"], 0);
    // Asked as a question, the articles with only one of the words follow,
    // marked.
    let response = json_search(&["بيرقدار أنقرة؟"]);
    assert_eq!(response["total"], 1);
    assert_eq!(response["hits"][0]["id"], "a1");
    let partial = &response["hits"].as_array().unwrap()[1..];
    assert!(
        !partial.is_empty() && partial.iter().all(|h| h["partial"] == true),
        "{response}"
    );
    assert_eq!(response["partial_total"], partial.len() as u64);
}

#[test]
fn phrases_match_adjacent_words_only() {
    assert_eq!(q("\"قره باغ\""), ["a1"]);
    assert_eq!(q("\"باغ قره\""), Vec::<String>::new());
    assert_eq!(q("\"وزارة المالية\""), ["a4"]);
}

#[test]
fn or_and_not() {
    assert_eq!(q("الكرملين OR الليرة"), ["a2", "a4"]);
    assert_eq!(q("أنقرة -بيرقدار"), ["a4"]);
    assert_eq!(q("أنقرة NOT بيرقدار"), ["a4"]);
    assert_eq!(q("أذربيجان -\"ضبط النفس\""), ["a1"]);
}

#[test]
fn parentheses_group() {
    // Without them OR would take its neighbours: الليرة and (الكرملين or
    // صاروخ).
    assert_eq!(q("(الليرة الكرملين) OR صاروخ"), ["a5"]);
    assert_eq!(q("(الليرة الدولار) OR الكرملين"), ["a2", "a4"]);
    assert_eq!(q("أنقرة -(بيرقدار باكو)"), ["a4"]);
    assert_eq!(q("أنقرة -(بيرقدار الليرة)"), ["a1", "a4"]);
    assert_eq!(q("((الكرملين OR الليرة) -روسيا) OR صاروخ"), ["a4", "a5"]);
    assert_eq!(
        q("(country:TR OR country:RU) (أنقرة OR موسكو)"),
        q("أنقرة OR موسكو")
    );
}

#[test]
fn text_fields() {
    assert_eq!(q("title:تركيا"), ["a4"]);
    assert_eq!(q("body:تركيا"), ["a1"]);
    assert_eq!(q("title:\"قره باغ\""), ["a1"]);
}

#[test]
fn prefix_matches_normalized_forms() {
    assert_eq!(q("صاروخ*"), ["a5"]);
    assert_eq!(q("اذربيج*"), ["a1", "a2"]);
}

#[test]
fn keyword_fields_accept_any_name_form() {
    for form in [
        "country:TR",
        "country:تركيا",
        "country:Turkey",
        "country:tr",
    ] {
        assert_eq!(q(&format!("أنقرة {form}")), ["a1", "a4"], "{form}");
    }
    assert_eq!(q("actor:بوتين الكرملين"), ["a2"]);
    // A name of several words goes in quotes.
    assert_eq!(q("actor:\"فلاديمير بوتين\""), ["a2"]);
    let out = search(&["actor:فلاديمير بوتين"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("close values: `فلاديمير بوتين`") && err.contains("actor:\"فلاديمير بوتين\""),
        "{err}"
    );
    assert_eq!(q("place:موسكو الكرملين"), ["a2"]);
    assert_eq!(q("أنقرة source:bbc"), ["a1"]);
    assert_eq!(q("أنقرة category:economy"), ["a4"]);
}

#[test]
fn date_ranges_in_the_query_and_options() {
    assert_eq!(q("أذربيجان date:2022-09-14"), ["a2"]);
    assert_eq!(q("أنقرة date:2018"), ["a4"]);
    assert_eq!(q("أنقرة date:2022-09-01..2022-09-30"), ["a1"]);
    assert_eq!(
        sorted_ids(&json_search(&[
            "أنقرة",
            "--from",
            "2018-08-10",
            "--to",
            "2018-08-10"
        ])),
        ["a4"]
    );
    assert_eq!(
        sorted_ids(&json_search(&["أذربيجان", "--from", "2022-09-14"])),
        ["a2"]
    );
    assert_eq!(
        sorted_ids(&json_search(&["أذربيجان", "--to", "2022-09"])),
        ["a1", "a2"]
    );
}

#[test]
fn dates_alone_browse_without_a_query() {
    let r = json_search(&["--from", "2022-09-01"]);
    assert_eq!(sorted_ids(&r), ["a1", "a2"], "{r}");
    let r = json_search(&["--to", "2018-12-31", "--sort", "date-asc"]);
    assert_eq!(sorted_ids(&r), ["a3", "a4"], "{r}");
    // Nothing at all to search for is still a usage error.
    assert_eq!(search(&[]).status.code(), Some(2));
}

#[test]
fn filters_or_within_a_field_and_across_fields() {
    let both = json_search(&["--filter", "source=BBC", "--filter", "source=CNN"]);
    assert_eq!(sorted_ids(&both), ["a1", "a2", "a3", "a5"]);
    let and = json_search(&["--filter", "source=BBC", "--filter", "category=sport"]);
    assert_eq!(sorted_ids(&and), ["a3"]);
    let country = json_search(&["أنقرة", "--filter", "country=Turkey"]);
    assert_eq!(sorted_ids(&country), ["a1", "a4"]);
    let dated = json_search(&["--filter", "date=2018"]);
    assert_eq!(sorted_ids(&dated), ["a3", "a4"]);
}

#[test]
fn date_filters_or_as_other_filters_do() {
    // Two months picked one after the other keep both (not an empty
    // intersection, which was an error).
    let months = json_search(&["--filter", "date=2018-03", "--filter", "date=2022-09"]);
    assert_eq!(sorted_ids(&months), ["a1", "a2", "a3"], "{months}");
    let ranges = json_search(&[
        "--filter",
        "date=2018-01..2018-03",
        "--filter",
        "date=2018-08..2018-12",
    ]);
    assert_eq!(sorted_ids(&ranges), ["a3", "a4"], "{ranges}");
    // --from and --to still narrow every filter.
    let within = json_search(&[
        "--filter",
        "date=2018-03",
        "--filter",
        "date=2022-09",
        "--from",
        "2022-09-14",
    ]);
    assert_eq!(sorted_ids(&within), ["a2"], "{within}");
    // Outside the bounds: nothing, not an error.
    let none = json_search(&["--filter", "date=2018-03", "--from", "2022"]);
    assert_eq!(none["total"], 0, "{none}");
}

#[test]
fn facets_count_all_matches() {
    let r = json_search(&[
        "--filter",
        "category=world",
        "--facet",
        "source",
        "--facet",
        "year",
        "--facet",
        "month",
        "--facet",
        "category",
        "--limit",
        "1",
    ]);
    assert_eq!(r["total"], 3);
    assert_eq!(facet(&r, "source"), [("CNN".into(), 2), ("BBC".into(), 1)]);
    assert_eq!(facet(&r, "year"), [("2022".into(), 2)]);
    assert_eq!(facet(&r, "month"), [("2022-09".into(), 2)]);
    assert_eq!(facet(&r, "category"), [("world".into(), 3)]);
    let r = json_search(&[
        "--filter",
        "source=BBC",
        "--filter",
        "source=CNN",
        "--facet",
        "source",
        "--facet-size",
        "1",
    ]);
    assert_eq!(facet(&r, "source"), [("BBC".into(), 2)]);
    let r = json_search(&[
        "أذربيجان",
        "--facet",
        "country",
        "--facet",
        "actor",
        "--facet",
        "place",
    ]);
    let countries = facet(&r, "country");
    assert!(countries.contains(&("AZ".into(), 2)), "{countries:?}");
    assert_eq!(r["facets"]["country"][0]["label"], "أذربيجان");
    assert!(facet(&r, "actor").iter().any(|(v, _)| v == "فلاديمير بوتين"));
    assert!(facet(&r, "place").iter().any(|(v, _)| v == "أنقرة"));
}

#[test]
fn sort_by_date() {
    let r = json_search(&[
        "--filter",
        "source=BBC",
        "--filter",
        "source=CNN",
        "--filter",
        "source=skynews",
        "--sort",
        "date",
    ]);
    let order: Vec<&str> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(&order[..4], ["a2", "a1", "a4", "a3"]);
    assert!(r["hits"][0]["score"].is_null());
    let r = json_search(&["أنقرة OR الكرملين OR الدوري", "--sort", "date-asc"]);
    let order: Vec<&str> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["a3", "a4", "a1", "a2"]);
}

#[test]
fn paging_with_offset() {
    let all = json_search(&[
        "--filter",
        "source=BBC",
        "--filter",
        "source=CNN",
        "--sort",
        "date",
    ]);
    let page = json_search(&[
        "--filter",
        "source=BBC",
        "--filter",
        "source=CNN",
        "--sort",
        "date",
        "--offset",
        "1",
        "--limit",
        "2",
    ]);
    assert_eq!(page["hits"][0]["id"], all["hits"][1]["id"]);
    assert_eq!(page["hits"].as_array().unwrap().len(), 2);
    assert_eq!(page["total"], all["total"]);
}

#[test]
fn pages_larger_than_the_index_are_cut_to_it() {
    for limit in ["18446744073709551615", "100000000000000000"] {
        let r = json_search(&["أنقرة", "--limit", limit]);
        assert_eq!(r["hits"].as_array().unwrap().len(), 2, "{r}");
        let r = json_search(&["أنقرة", "--offset", limit]);
        assert_eq!(r["hits"].as_array().unwrap().len(), 0, "{r}");
        assert_eq!(r["total"], 2, "{r}");
    }
    let out = search(&["أنقرة", "--limit", "18446744073709551615", "--offset", "1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn marked(hit: &Value) -> String {
    let chars: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for range in hit["highlights"].as_array().unwrap() {
        let (a, b) = (
            range[0].as_u64().unwrap() as usize,
            range[1].as_u64().unwrap() as usize,
        );
        out.extend(&chars[at..a]);
        out.push('[');
        out.extend(&chars[a..b]);
        out.push(']');
        at = b;
    }
    out.extend(&chars[at..]);
    out
}

#[test]
fn snippets_highlight_every_matched_form() {
    let r = json_search(&["طائرات"]);
    let text = marked(&r["hits"][0]);
    assert!(text.contains("[بطائرات]"), "clitic form: {text}");
    let r = json_search(&["\"وزارة المالية\""]);
    let text = marked(&r["hits"][0]);
    assert!(text.contains("[وزارة] [المالية]"), "{text}");
}

#[test]
fn explain_shows_the_scoring() {
    let r = json_search(&["بيرقدار", "--explain"]);
    assert!(r["hits"][0]["explanation"]["value"].is_number(), "{r}");
    let out = search(&["بيرقدار", "--explain"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("value"));
    // Each hit's explanation adds up to its score, full and partial matches.
    let r = json_search(&["بيرقدار أنقرة؟", "--explain"]);
    let hits = r["hits"].as_array().unwrap();
    assert!(hits.iter().any(|h| h["partial"] == true), "{r}");
    for hit in hits {
        let (score, value) = (&hit["score"], &hit["explanation"]["value"]);
        let gap = (score.as_f64().unwrap() - value.as_f64().unwrap()).abs();
        assert!(gap < 1e-3, "{hit}");
    }
}

#[test]
fn batch_mode_prints_one_line_per_query() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("queries.tsv");
    std::fs::write(&file, "q1\tبيرقدار\nq2\tأنقرة\n\nالكرملين\n\tبوتين\n").unwrap();
    let out = search(&[
        "--queries",
        file.to_str().unwrap(),
        "--fields",
        "id,score",
        "--facet",
        "source",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["qid"], "q1");
    assert_eq!(lines[1]["qid"], "q2");
    assert_eq!(lines[2]["qid"], "4");
    // An empty qid before the tab: the line number too.
    assert_eq!(lines[3]["qid"], "5");
    assert_eq!(lines[3]["hits"][0]["id"], "a2");
    assert_eq!(lines[1]["total"], 2);
    for key in ["took_ms", "hits", "facets"] {
        assert!(lines[0].get(key).is_some(), "{key}");
    }
    let hit = lines[0]["hits"][0].as_object().unwrap();
    let mut keys: Vec<&String> = hit.keys().collect();
    keys.sort();
    assert_eq!(keys, ["id", "score"]);
    assert_eq!(hit["id"], "a1");

    std::fs::write(&file, "q1\tبيرقدار\nq2\t\"قره باغ\nq3\tأنقرة\n").unwrap();
    let out = search(&["--queries", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["error"]["code"], "bad_query");
    assert_eq!(lines[2]["total"], 2);

    // A query beside --queries would be ignored: it is refused.
    let out = search(&["بيرقدار", "--queries", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot be used with"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn fields_takes_every_documented_hit_field() {
    let r = json_search(&["أنقرة", "--fields", "id,partial"]);
    let hit = r["hits"][0].as_object().unwrap();
    let mut keys: Vec<&String> = hit.keys().collect();
    keys.sort();
    assert_eq!(keys, ["id", "partial"], "{r}");
    let all = common::HIT_KEYS.join(",");
    let r = json_search(&["أنقرة", "--fields", &all]);
    assert_eq!(
        r["hits"][0].as_object().unwrap().len(),
        common::HIT_KEYS.len(),
        "{r}"
    );
}

#[test]
fn errors_are_one_line_with_status_2() {
    let cases: &[(&[&str], &str)] = &[
        (&["\"قره باغ"], "unbalanced quote at character 1"),
        (
            &["باكو planet:mars"],
            "unknown field `planet` at character 6",
        ),
        (&["باكو date:2022-13-01"], "bad date `2022-13-01`"),
        (&["باكو date:2022-09-20..2022-09-12"], "empty date range"),
        (&["باكو", "--from", "yesterday"], "--from yesterday"),
        (
            &["باكو", "--from", "2022-10", "--to", "2022-09"],
            "empty date range: from 2022-10-01 is after to 2022-09-30",
        ),
        (
            &["باكو", "--filter", "date=2022-13"],
            "bad filter `date=2022-13`: use YYYY",
        ),
        (
            &["باكو", "--filter", "date=2022-10..2022-09"],
            "bad filter `date=2022-10..2022-09`: the range is empty",
        ),
        (
            &["باكو", "--filter", "colour=red"],
            "unknown field `colour`",
        ),
        (&["باكو", "--filter", "country"], "expected FIELD=VALUE"),
        (&["باكو country:Narnia"], "unknown country `Narnia`"),
        (
            &["باكو actor:XYZ"],
            "unknown actor `XYZ`: no article in this index has this actor",
        ),
        (&["باكو", "--filter", "place=XYZ"], "unknown place `XYZ`"),
        (&["باكو source:nowhere"], "unknown source `nowhere`"),
        (&["OR باكو"], "`OR` at character 1"),
        (&["ب*"], "too short"),
        (&["باكو", "--facet", "planet"], "unknown facet `planet`"),
        (
            &["باكو", "--json", "--fields", "id,colour"],
            "unknown hit field `colour`",
        ),
        (&["!!!"], "nothing to search for"),
        (&["باكو", "--filter", "source="], "the value is empty"),
        (&["باكو NOT"], "`NOT` at character 6"),
        (
            &["(باكو OR أنقرة"],
            "unbalanced parenthesis at character 1: `(` is never closed",
        ),
        (
            &["باكو)"],
            "unbalanced parenthesis at character 5: `)` closes no `(`",
        ),
    ];
    for (args, expect) in cases {
        let out = search(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expect), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        // Said once, not again as its own cause.
        assert_eq!(err.matches(expect).count(), 1, "{args:?}: {err}");
    }
    // A query of more than 1,024 words (or 16 KB) is refused.
    let words: Vec<String> = (0..1100).map(|i| format!("كلمة{i}")).collect();
    let out = search(&[&words.join(" ")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the query has 1100 words; the limit is 1024"),
        "{err}"
    );
}

/// An index where 250 words that start with قط come before قطر in term
/// order, each in one article, while قطر is in five; in one segment, so
/// that a cap applied segment by segment would show too.
fn prefix_index() -> &'static Path {
    static INDEX: OnceLock<tempfile::TempDir> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let letters: Vec<char> = "بتثجحخدذرزسشصضطظ".chars().collect();
            let rare: Vec<String> = letters
                .iter()
                .flat_map(|a| letters.iter().map(move |b| format!("قطا{a}{b}")))
                .take(250)
                .collect();
            let mut articles = vec![json!({"id": "rare", "body": rare.join(" ")})];
            for i in 0..5 {
                articles
                    .push(json!({"id": format!("f{i}"), "body": format!("أخبار قطر اليوم {i}")}));
            }
            articles.push(json!({"id": "clitic", "body": "وصل الوفد لقطر أمس"}));
            indexed(&articles, &["--threads", "1"])
        })
        .path()
}

fn prefix_search(args: &[&str]) -> Output {
    akhbar()
        .arg("search")
        .args(args)
        .arg("--index")
        .arg(prefix_index().join("idx"))
        .output()
        .unwrap()
}

fn prefix_json(query: &str) -> Value {
    let out = prefix_search(&[query, "--json", "--limit", "100"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_prefix_over_the_cap_keeps_its_most_frequent_words_and_says_so() {
    let r = prefix_json("قط*");
    let ids = sorted_ids(&r);
    for id in ["f0", "f4", "rare"] {
        assert!(ids.contains(&id.to_string()), "{id}: {r}");
    }
    assert_eq!(r["notes"][0]["code"], "prefix_capped", "{r}");
    let message = r["notes"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("`قط*` starts 25") && message.contains("200"),
        "{message}"
    );
    // The words it stands for are highlighted.
    let hit = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "f0")
        .unwrap();
    assert!(marked(hit).contains("[قطر]"), "{hit}");
    // The text output says it too; a prefix under the cap has no note.
    let out = prefix_search(&["قط*", "--color", "never"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("note: `قط*` starts"), "{text}");
    assert!(prefix_json("قطر*").get("notes").is_none());
}

#[test]
fn a_prefix_finds_whatever_its_plain_word_finds() {
    let plain = sorted_ids(&prefix_json("قطر"));
    assert!(plain.contains(&"clitic".to_string()), "{plain:?}");
    let prefixed = sorted_ids(&prefix_json("قطر*"));
    for id in &plain {
        assert!(prefixed.contains(id), "{id}: {prefixed:?}");
    }
}
