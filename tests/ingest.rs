//! Ingestion end to end: every format, encoding and kind of bad input through
//! the real binary, re-runs, pruning, duplicates, stats, and recovery after
//! a run is killed.

mod common;

use common::{akhbar, run, sorted_ids, stderr};

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn index(archive: &Path, index: &Path, extra: &[&str]) -> Output {
    run(akhbar()
        .arg("index")
        .arg(archive)
        .arg("--index")
        .arg(index)
        .args(["--progress", "none"])
        .args(extra))
}

fn index_ok(archive: &Path, idx: &Path, extra: &[&str]) -> String {
    let out = index(archive, idx, extra);
    let err = stderr(&out);
    assert!(out.status.success(), "index failed: {err}");
    err
}

fn search_ids(idx: &Path, query: &str) -> Vec<String> {
    let out = run(akhbar()
        .args(["search", query, "--json", "--limit", "100", "--index"])
        .arg(idx));
    assert!(out.status.success(), "search failed: {}", stderr(&out));
    sorted_ids(&serde_json::from_slice(&out.stdout).unwrap())
}

fn search_total(idx: &Path, query: &str) -> u64 {
    let out = run(akhbar()
        .args(["search", query, "--json", "--index"])
        .arg(idx));
    assert!(out.status.success(), "search failed: {}", stderr(&out));
    let response: Value = serde_json::from_slice(&out.stdout).unwrap();
    response["total"].as_u64().unwrap()
}

fn stats(idx: &Path) -> Value {
    let out = run(akhbar().args(["stats", "--json", "--index"]).arg(idx));
    assert!(out.status.success(), "stats failed: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn documents(idx: &Path) -> u64 {
    stats(idx)["documents"].as_u64().unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// An HTML page about `word`.
fn page(title: &str, word: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title>\
         <meta property=\"article:published_time\" content=\"2022-09-13T10:00:00Z\"></head>\
         <body><nav>القائمة navword</nav><article><p>خبر عن {word} في الصفحة.</p></article>\
         <footer>footword</footer></body></html>"
    )
}

fn warc_record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let content_type = if kind == "response" {
        "application/http; msgtype=response"
    } else {
        "application/warc-fields"
    };
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2021-05-01T08:00:00Z\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn warc(uri: &str, html: &str) -> Vec<u8> {
    let response =
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    [
        warc_record("warcinfo", "", b"software: test\r\n"),
        warc_record("response", uri, response.as_bytes()),
    ]
    .concat()
}

#[test]
fn every_format_is_read_by_content_and_extension() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("archive");
    write(
        &a.join("trec/many.xml"),
        "<?xml version=\"1.0\"?>\n<DOCS>\n<DOC>\n<DOCNO>T1</DOCNO>\n<TEXT>خبر tokTrecOne</TEXT>\n</DOC>\n\
         <DOC><DOCNO>T2</DOCNO><HEADLINE>عنوان</HEADLINE><TEXT>خبر tokTrecTwo</TEXT></DOC>\n</DOCS>\n",
    );
    write(
        &a.join("lines.jsonl"),
        "{\"id\":\"J1\",\"title\":\"عنوان\",\"text\":\"خبر tokJsonl\"}\n",
    );
    write(
        &a.join("saudi/2015-07-21.json"),
        r#"[{"source":"aawsat","url":"http://aawsat.com/1","date_extracted":"2015-07-21 02:51:32","title":"عنوان","author":"الرياض","content":"خبر tokSaudi"}]"#,
    );
    write(
        &a.join("table.csv"),
        "id,title,text\nC1,عنوان,\"خبر, tokCsv\"\n",
    );
    write(
        &a.join("table.tsv"),
        "id\ttitle\tbody\nS1\tعنوان\tخبر tokTsv\n",
    );
    write(&a.join("page.html"), page("صفحة", "tokHtml"));
    write(&a.join("noext/page"), page("صفحة بلا امتداد", "tokSniffed"));
    write(
        &a.join("crawl.warc"),
        warc("https://news.example/w", &page("أرشيف", "tokWarc")),
    );
    write(
        &a.join("crawl2.warc.gz"),
        gzip(&warc(
            "https://news.example/wz",
            &page("أرشيف", "tokWarcGz"),
        )),
    );
    write(&a.join("note.txt"), "عنوان\nخبر tokText");
    write(
        &a.join("packed.jsonl.gz"),
        gzip("{\"id\":\"G1\",\"text\":\"خبر tokGzip\"}\n".as_bytes()),
    );
    write(
        &a.join("packed.json.zst"),
        zstd::encode_all(r#"[{"id":"Z1","text":"خبر tokZstd"}]"#.as_bytes(), 3).unwrap(),
    );
    let idx = dir.path().join("idx");
    let err = index_ok(&a, &idx, &[]);
    assert!(err.contains("indexed 13 articles"), "{err}");
    for (token, id) in [
        ("tokTrecOne", "T1"),
        ("tokTrecTwo", "T2"),
        ("tokJsonl", "J1"),
        ("tokSaudi", "http://aawsat.com/1"),
        ("tokCsv", "C1"),
        ("tokTsv", "S1"),
        ("tokHtml", "page.html"),
        ("tokSniffed", "noext/page"),
        ("tokWarc", "https://news.example/w"),
        ("tokWarcGz", "https://news.example/wz"),
        ("tokText", "note.txt"),
        ("tokGzip", "G1"),
        ("tokZstd", "Z1"),
    ] {
        assert_eq!(search_ids(&idx, token), [id], "{token}");
    }
    // Navigation and footers are not article text.
    assert!(search_ids(&idx, "navword").is_empty());
    assert!(search_ids(&idx, "footword").is_empty());
    let s = stats(&idx);
    assert_eq!(s["documents"], 13);
    assert!(s["sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["source"] == "aawsat" && x["documents"] == 1));
}

#[test]
fn format_and_field_options_read_unusual_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    write(
        &a.join("export.dat"),
        "key\tarticle_text\twhen\nX1\tخبر tokMapped\t13/09/2022\n",
    );
    let idx = dir.path().join("idx");
    let out = index(&a, &idx, &[]);
    assert!(!out.status.success(), "an unknown .dat file is not read");
    assert!(stderr(&out).contains("--format"), "{}", stderr(&out));
    let err = index_ok(
        &a,
        &idx,
        &[
            "--format",
            "tsv",
            "--field",
            "body=article_text",
            "--field",
            "id=key",
            "--field",
            "date=when",
        ],
    );
    assert!(err.contains("indexed 1 article"), "{err}");
    assert_eq!(search_ids(&idx, "tokMapped"), ["X1"]);
    assert_eq!(stats(&idx)["date_min"], "2022-09-13T00:00:00Z");

    let out = index(&a, &idx, &["--field", "colour=x"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("unknown article field"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_encoding_is_detected_or_can_be_forced() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let text =
        "خبر عن طائرات بيرقدار في أذربيجان وأرمينيا، قال المتحدث باسم الوزارة إن القتال توقف.";
    let utf16 = |big: bool| {
        let mut out = if big {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in format!("{text} tokUtf16").encode_utf16() {
            out.extend_from_slice(&if big {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    };
    write(&a.join("utf8.txt"), format!("{text} tokUtf8"));
    write(&a.join("bom.txt"), format!("\u{FEFF}{text} tokBom"));
    write(&a.join("le.txt"), utf16(false));
    write(&a.join("be.txt"), utf16(true));
    let cp1256 = encoding_rs::WINDOWS_1256
        .encode(&format!("{text} tokCp1256"))
        .0
        .into_owned();
    write(&a.join("cp1256.txt"), &cp1256);
    let iso = encoding_rs::ISO_8859_6
        .encode(&format!("{text} tokIso"))
        .0
        .into_owned();
    write(
        &a.join("iso.jsonl"),
        [b"{\"id\":\"I1\",\"text\":\"".as_slice(), &iso, b"\"}\n"].concat(),
    );
    // Too short to recognize: reported, and readable with --encoding.
    let short = encoding_rs::WINDOWS_1256.encode("نص tokShort").0;
    write(&a.join("short/short.txt"), &short);
    let idx = dir.path().join("idx");
    let err = index_ok(&a, &idx, &[]);
    assert!(err.contains("indexed 6 articles"), "{err}");
    assert!(
        err.contains("short.txt") && err.contains("--encoding"),
        "{err}"
    );
    for token in ["tokUtf8", "tokBom", "tokUtf16", "tokCp1256", "tokIso"] {
        assert!(!search_ids(&idx, token).is_empty(), "{token}");
    }
    // The Arabic text of legacy files is decoded, not mangled.
    assert_eq!(search_ids(&idx, "بيرقدار").len(), 6);
    assert_eq!(search_ids(&idx, "tokUtf16").len(), 2);

    let err = index_ok(&a.join("short"), &idx, &["--encoding", "windows-1256"]);
    assert!(err.contains("indexed 1 article"), "{err}");
    assert_eq!(search_ids(&idx, "tokShort").len(), 1);
}

#[test]
fn bad_input_is_reported_and_never_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    write(&a.join("good.txt"), "خبر tokGood");
    let filler: String = (0..20)
        .map(|i| {
            format!(
                "{{\"id\":\"f{i}\",\"text\":\"خبر عن المفاوضات بين الطرفين في العاصمة {i}\"}}\n"
            )
        })
        .collect();
    write(
        &a.join("mixed.jsonl"),
        [
            b"{\"id\":\"m1\",\"text\":\"tokMixedOne \xff\xfe bytes\"}\n".as_slice(),
            b"{not json\n",
            b"{\"id\":\"m3\",\"text\":\"tokMixedThree\"}\n",
            filler.as_bytes(),
        ]
        .concat(),
    );
    write(
        &a.join("broken.xml"),
        "<DOC><DOCNO>b1</DOCNO><TEXT>tokBrokenOne</TEXT></DOC>\n<DOC><DOCNO>b2</DOCNO><TEXT>نص",
    );
    write(
        &a.join("junk.bin.txt"),
        [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff],
    );
    write(&a.join("empty.jsonl"), "");
    let lines: String = (0..400)
        .map(|i| format!("{{\"id\":\"z{i}\",\"text\":\"tokZipped {i}\"}}\n"))
        .collect();
    let packed = gzip(lines.as_bytes());
    write(&a.join("cut.jsonl.gz"), &packed[..packed.len() * 2 / 3]);
    // One line far over the per-record cap (1 MB with --memory-mb 32).
    let mut huge = b"{\"id\":\"h1\",\"text\":\"".to_vec();
    huge.resize(huge.len() + 3_000_000, b'x');
    huge.extend_from_slice(b"\"}\n{\"id\":\"h2\",\"text\":\"tokAfterHuge\"}\n");
    write(&a.join("huge.jsonl"), huge);
    let idx = dir.path().join("idx");
    let report = dir.path().join("report.jsonl");
    let err = index_ok(
        &a,
        &idx,
        &["--memory-mb", "32", "--report", report.to_str().unwrap()],
    );
    assert_eq!(search_ids(&idx, "tokGood"), ["good.txt"]);
    assert_eq!(
        search_ids(&idx, "tokMixedOne"),
        ["m1"],
        "invalid bytes are replaced, not dropped"
    );
    assert_eq!(search_ids(&idx, "tokMixedThree"), ["m3"]);
    assert_eq!(search_ids(&idx, "tokBrokenOne"), ["b1"]);
    assert_eq!(search_ids(&idx, "tokAfterHuge"), ["h2"]);
    let zipped = search_total(&idx, "tokZipped");
    assert!(
        zipped > 0 && zipped < 400,
        "records before the cut are indexed: {zipped}"
    );
    assert!(err.contains("U+FFFD"), "{err}");

    let report = fs::read_to_string(report).unwrap();
    let entries: Vec<Value> = report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let find = |file: &str, kind: &str| {
        entries
            .iter()
            .find(|e| e["path"].as_str().unwrap().ends_with(file) && e["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} entry for {file} in {report}"))
            .clone()
    };
    assert_eq!(find("mixed.jsonl", "malformed")["record"], 2);
    assert_eq!(find("broken.xml", "truncated")["record"], 2);
    find("junk.bin.txt", "binary");
    find("empty.jsonl", "empty");
    find("cut.jsonl.gz", "truncated");
    assert_eq!(find("huge.jsonl", "too-large")["record"], 1);
    assert_eq!(find("mixed.jsonl", "encoding")["warning"], true);
}

/// The lines of a `--report` file.
fn report_entries(report: &Path) -> Vec<Value> {
    fs::read_to_string(report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_doc_without_its_end_tag_is_indexed_with_a_warning_and_the_next_one_too() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    write(
        &a.join("cut.xml"),
        "<DOC><DOCNO>t1</DOCNO><TEXT>نص zqtone</TEXT></DOC>\n\
         <DOC><DOCNO>t2</DOCNO><TITLE>عنوان</TITLE><TEXT>نص zqttwo\n\
         <DOC><DOCNO>t3</DOCNO><TEXT>نص zqtthree</TEXT></DOC>\n",
    );
    let idx = dir.path().join("idx");
    let report = dir.path().join("report.jsonl");
    let err = index_ok(&a, &idx, &["--report", report.to_str().unwrap()]);
    assert!(err.contains("indexed 3 articles"), "{err}");
    assert_eq!(search_ids(&idx, "zqttwo"), ["t2"]);
    assert_eq!(search_ids(&idx, "zqtthree"), ["t3"]);
    assert!(
        search_ids(&idx, "docno").is_empty(),
        "no markup in t2's text"
    );
    let entries = report_entries(&report);
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["record"], 2);
    assert_eq!(entries[0]["warning"], true);
    assert!(entries[0]["reason"]
        .as_str()
        .unwrap()
        .contains("unterminated <DOC>"));
    assert!(err.contains("cut.xml (record 2)"), "{err}");
}

#[test]
fn markup_inside_trec_text_is_not_indexed_and_gigaword_ids_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    write(
        &a.join("afp_arb_200101.xml"),
        "<DOC id=\"AFP_ARB_20010101.0001\" type=\"story\" >\n<HEADLINE>\nعنوان\n</HEADLINE>\n<TEXT>\n\
         <P>\nفقرة أولى عن zqgiga\n</P>\n<P>\nفقرة ثانية\n</P>\n</TEXT>\n</DOC>\n",
    );
    let idx = dir.path().join("idx");
    index_ok(&a, &idx, &[]);
    assert_eq!(search_ids(&idx, "zqgiga"), ["AFP_ARB_20010101.0001"]);
    assert!(search_ids(&idx, "p").is_empty());
    let out = run(akhbar()
        .args(["search", "zqgiga", "--json", "--index"])
        .arg(&idx));
    let response: Value = serde_json::from_slice(&out.stdout).unwrap();
    let snippet = response["hits"][0]["snippet"].as_str().unwrap();
    assert!(
        !snippet.contains("<P>") && !snippet.contains("</P>"),
        "{snippet}"
    );
}

#[test]
fn bad_options_fail_before_rebuild_deletes_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    write(&a.join("one.txt"), "خبر tokKept");
    let idx = dir.path().join("idx");
    index_ok(&a, &idx, &[]);
    let missing_dir = dir.path().join("no/such/dir/report.jsonl");
    for extra in [
        vec!["--rebuild", "--report", missing_dir.to_str().unwrap()],
        vec!["--rebuild", "--memory-mb", "99999999999999"],
    ] {
        let out = index(&a, &idx, &extra);
        assert!(!out.status.success(), "{extra:?}");
        assert!(stderr(&out).contains("error"), "{}", stderr(&out));
        assert_eq!(documents(&idx), 1, "{extra:?} left the index as it was");
        assert_eq!(search_ids(&idx, "tokKept"), ["one.txt"]);
    }
}

#[test]
fn a_memory_budget_over_tantivys_arena_limit_is_capped() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    write(&a.join("one.txt"), "خبر tokBigBudget");
    let idx = dir.path().join("idx");
    let err = index_ok(&a, &idx, &["--memory-mb", "20000", "--threads", "2"]);
    assert!(!err.contains("another `akhbar index`"), "{err}");
    assert_eq!(search_ids(&idx, "tokBigBudget"), ["one.txt"]);
}

#[test]
fn indexes_and_reports_inside_the_archive_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    write(&a.join("one.txt"), "خبر tokInside");
    write(&a.join("sub/two.txt"), "خبر tokInsideTwo");
    // Another index, built elsewhere and moved in.
    index_ok(&a.join("sub"), &a.join("sub/old-index"), &[]);
    // The default `./akhbar-index` of `cd a && akhbar index .`, and a
    // report written there too.
    let out = run(akhbar().current_dir(&a).args([
        "index",
        ".",
        "--progress",
        "none",
        "--report",
        "report.jsonl",
    ]));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("indexed 2 articles (2 read) from 2 of 2 files"),
        "{err}"
    );
    for _ in 0..2 {
        let out = run(akhbar().current_dir(&a).args([
            "index",
            ".",
            "--progress",
            "none",
            "--report",
            "report.jsonl",
        ]));
        let err = stderr(&out);
        assert!(err.contains("2 file(s) unchanged"), "{err}");
        assert!(!err.contains("skipped"), "{err}");
        assert!(report_entries(&a.join("report.jsonl")).is_empty());
    }
    assert_eq!(documents(&a.join("akhbar-index")), 2);
}

#[test]
fn dates_not_understood_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    write(
        &a.join("dates.jsonl"),
        concat!(
            r#"{"id":"d1","text":"خبر tokDateOne","date":"2020-01-02T25:00:00Z"}"#,
            "\n",
            r#"{"id":"d2","text":"في 7 يناير 2020 tokDateTwo","date":"soon"}"#,
            "\n",
            r#"{"id":"d3","text":"خبر tokDateThree","date":"2020-01-02 10:00 GMT+3"}"#,
            "\n",
        ),
    );
    let idx = dir.path().join("idx");
    let report = dir.path().join("report.jsonl");
    let err = index_ok(&a, &idx, &["--report", report.to_str().unwrap()]);
    assert!(err.contains("indexed 3 articles"), "{err}");
    let date_of = |token: &str| -> Value {
        let out = run(akhbar()
            .args(["search", token, "--json", "--index"])
            .arg(&idx));
        let response: Value = serde_json::from_slice(&out.stdout).unwrap();
        response["hits"][0]["date"].clone()
    };
    assert_eq!(date_of("tokDateOne"), Value::Null, "not midnight");
    assert!(date_of("tokDateTwo")
        .as_str()
        .unwrap()
        .starts_with("2020-01-07"));
    assert!(date_of("tokDateThree")
        .as_str()
        .unwrap()
        .starts_with("2020-01-02T07:00"));
    let entries = report_entries(&report);
    let warned: Vec<(u64, &str)> = entries
        .iter()
        .map(|e| {
            assert_eq!(
                (e["kind"].as_str(), e["warning"].as_bool()),
                (Some("date"), Some(true))
            );
            (e["record"].as_u64().unwrap(), e["reason"].as_str().unwrap())
        })
        .collect();
    assert_eq!(warned.len(), 2, "{warned:?}");
    assert_eq!(warned[0].0, 1);
    assert!(
        warned[0]
            .1
            .contains("date not understood: `2020-01-02T25:00:00Z`"),
        "{warned:?}"
    );
    assert_eq!(warned[1].0, 2);
    assert!(warned[1].1.contains("`soon`"), "{warned:?}");
}

#[test]
fn reruns_read_only_what_changed_and_prune_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    write(
        &a.join("one.jsonl"),
        "{\"id\":\"1\",\"text\":\"tokOne\"}\n{\"id\":\"2\",\"text\":\"tokTwo\"}\n",
    );
    write(&a.join("three.txt"), "خبر tokThree");
    write(&a.join("gone.txt"), "خبر tokGone");
    let idx = dir.path().join("idx");
    index_ok(&a, &idx, &[]);
    assert_eq!(documents(&idx), 4);

    let err = index_ok(&a, &idx, &[]);
    assert!(
        err.contains("indexed 0 articles") && err.contains("3 file(s) unchanged"),
        "{err}"
    );
    assert_eq!(documents(&idx), 4);

    // Change one file, add one, remove one.
    std::thread::sleep(Duration::from_millis(20));
    write(
        &a.join("one.jsonl"),
        "{\"id\":\"1\",\"text\":\"tokOneEdited\"}\n",
    );
    write(&a.join("four.txt"), "خبر tokFour");
    fs::remove_file(a.join("gone.txt")).unwrap();
    let err = index_ok(&a, &idx, &[]);
    assert!(err.contains("indexed 2 articles"), "{err}");
    assert!(err.contains("1 indexed file(s) no longer exist"), "{err}");
    assert_eq!(search_ids(&idx, "tokOneEdited"), ["1"]);
    assert!(
        search_ids(&idx, "tokTwo").is_empty(),
        "a changed file's old articles are removed"
    );
    assert_eq!(
        search_ids(&idx, "tokGone"),
        ["gone.txt"],
        "kept without --prune"
    );
    assert_eq!(documents(&idx), 4);

    let err = index_ok(&a, &idx, &["--prune"]);
    assert!(err.contains("removed the articles of 1 file(s)"), "{err}");
    assert!(search_ids(&idx, "tokGone").is_empty());
    assert_eq!(documents(&idx), 3);

    // The same files reached through another path are the same files.
    let err = index_ok(&a.join("./"), &idx, &[]);
    assert!(err.contains("indexed 0 articles"), "{err}");

    let err = index_ok(&a, &idx, &["--rebuild"]);
    assert!(err.contains("indexed 3 articles"), "{err}");
    assert_eq!(documents(&idx), 3);
}

#[test]
fn duplicates_are_indexed_once_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let body = "قال الرئيس الروسي فلاديمير بوتين إن بلاده تسعى إلى إنهاء القتال بين أرمينيا وأذربيجان بعد اشتباكات حدودية. وأضاف أن موسكو على اتصال بالطرفين.";
    write(
        &a.join("a.xml"),
        format!("<DOC><DOCNO>A-1</DOCNO><TEXT>{body}</TEXT></DOC>"),
    );
    // The same article under another id, with other spacing and hamza forms.
    let variant = body.replace("إلى إنهاء", "الى  انهاء");
    write(
        &a.join("b.xml"),
        format!("<DOC><DOCNO>B-9</DOCNO><TEXT>{variant}</TEXT></DOC>"),
    );
    // The same id twice.
    write(
        &a.join("c.jsonl"),
        "{\"id\":\"C\",\"text\":\"أ\"}\n{\"id\":\"C\",\"text\":\"ب\"}\n",
    );
    let idx = dir.path().join("idx");
    let err = index_ok(&a, &idx, &[]);
    assert!(err.contains("2 duplicate article(s)"), "{err}");
    assert_eq!(documents(&idx), 2);
    assert_eq!(search_ids(&idx, "بوتين").len(), 1);
    // Still one copy after a re-run, even when the copy's file changes.
    write(
        &a.join("b.xml"),
        format!("<DOC><DOCNO>B-10</DOCNO><TEXT>{variant}</TEXT></DOC>"),
    );
    index_ok(&a, &idx, &[]);
    assert_eq!(documents(&idx), 2);
}

#[test]
fn dropped_duplicates_are_listed_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let body = "قال الرئيس الروسي فلاديمير بوتين إن بلاده تسعى إلى إنهاء القتال بين أرمينيا وأذربيجان بعد اشتباكات حدودية. وأضاف أن موسكو على اتصال بالطرفين.";
    write(
        &a.join("a.xml"),
        format!("<DOC><DOCNO>A-1</DOCNO><TEXT>{body}</TEXT></DOC>"),
    );
    write(
        &a.join("b.xml"),
        format!("<DOC><DOCNO>B-9</DOCNO><TEXT>{body}</TEXT></DOC>"),
    );
    write(
        &a.join("c.jsonl"),
        "{\"id\":\"C\",\"text\":\"أ\"}\n\n{\"id\":\"C\",\"text\":\"ب\"}\n",
    );
    let idx = dir.path().join("idx");
    let report = dir.path().join("report.jsonl");
    let err = index_ok(&a, &idx, &["--report", report.to_str().unwrap()]);
    assert!(err.contains("2 duplicate article(s)"), "{err}");
    assert!(!err.contains("skipped"), "{err}");
    let mut entries = report_entries(&report);
    entries.sort_by_key(|e| e["path"].as_str().unwrap().to_string());
    assert_eq!(entries.len(), 2, "{entries:?}");
    let (b, c) = (&entries[0], &entries[1]);
    assert!(b["path"].as_str().unwrap().ends_with("b.xml"));
    assert_eq!(
        (b["record"].as_u64(), b["kind"].as_str()),
        (Some(1), Some("duplicate"))
    );
    let reason = b["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("same text as record 1 of ") && reason.ends_with("a.xml"),
        "{reason}"
    );
    assert!(c["path"].as_str().unwrap().ends_with("c.jsonl"));
    assert_eq!(c["record"], 3, "the line number");
    assert!(
        c["reason"]
            .as_str()
            .unwrap()
            .starts_with("duplicate of `C`"),
        "{c}"
    );
}

#[test]
fn one_id_on_two_texts_is_told_apart_from_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let story = |day: u32, n: u32| {
        format!(
            "{{\"id\": {n}, \"text\": \"نشرة اليوم {day}، الخبر {n}: قال المتحدث باسم وزارة الخارجية إن المفاوضات بين الطرفين مستمرة في العاصمة وإن جولة جديدة تبدأ الأسبوع المقبل tokDay{day}\"}}\n"
        )
    };
    // Each day's export numbers its articles from 1 again.
    write(&a.join("day1.jsonl"), story(1, 1) + &story(1, 2));
    write(&a.join("day2.jsonl"), story(2, 1) + &story(2, 2));
    write(&a.join("day3.jsonl"), story(1, 1));
    let idx = dir.path().join("idx");
    let report = dir.path().join("report.jsonl");
    // One thread reads the files in order: with more, day 2 may be kept
    // before day 1, and day 3's copy of day 1 then differs from it too.
    let err = index_ok(
        &a,
        &idx,
        &["--report", report.to_str().unwrap(), "--threads", "1"],
    );
    assert!(err.contains("3 duplicate article(s)"), "{err}");
    assert!(
        err.contains("warning: 2 of them have the id of an article with another text"),
        "{err}"
    );
    let mut entries = report_entries(&report);
    entries.sort_by_key(|e| {
        (
            e["path"].as_str().unwrap().to_string(),
            e["record"].as_u64(),
        )
    });
    let reasons: Vec<&str> = entries
        .iter()
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    assert!(reasons[0].contains("with another text"), "{reasons:?}");
    assert!(reasons[1].contains("with another text"), "{reasons:?}");
    // A true copy is a duplicate as before.
    assert!(reasons[2].starts_with("duplicate of `1`"), "{reasons:?}");
}

#[test]
fn roots_with_the_same_file_names_keep_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let two = dir.path().join("two");
    write(&two.join("A/x.txt"), "خبر tokRootA");
    write(&two.join("B/x.txt"), "خبر tokRootB");
    let idx = dir.path().join("idx");
    let out = run(akhbar()
        .arg("index")
        .arg(two.join("A"))
        .arg(two.join("B"))
        .arg("--index")
        .arg(&idx)
        .args(["--progress", "none"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("indexed 2 articles"),
        "{}",
        stderr(&out)
    );
    assert_eq!(search_ids(&idx, "tokRootA"), ["A/x.txt"]);
    assert_eq!(search_ids(&idx, "tokRootB"), ["B/x.txt"]);

    // The same root twice is read once.
    let once = dir.path().join("once");
    let out = run(akhbar()
        .arg("index")
        .arg(two.join("A"))
        .arg(two.join("A"))
        .arg("--index")
        .arg(&once)
        .args(["--progress", "none"]));
    let err = stderr(&out);
    assert!(
        err.contains("indexed 1 article (1 read) from 1 of 1 files"),
        "{err}"
    );
    assert!(!err.contains("duplicate"), "{err}");
    assert_eq!(search_ids(&once, "tokRootA"), ["x.txt"]);
}

/// Pairs of files whose copies of one article reach the workers in the
/// opposite order of the walk: the later file has its copy first, the
/// earlier one after many other articles.
fn racing_copies(dir: &Path, pairs: usize) -> PathBuf {
    let root = dir.join("racing");
    let number = |n: usize| -> String {
        n.to_string()
            .chars()
            .map(|d| {
                [
                    "صفر",
                    "واحد",
                    "اثنان",
                    "ثلاثة",
                    "أربعة",
                    "خمسة",
                    "ستة",
                    "سبعة",
                    "ثمانية",
                    "تسعة",
                ][d as usize - '0' as usize]
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let line = |id: &str, body: &str| format!("{{\"id\":\"{id}\",\"text\":\"{body}\"}}\n");
    for k in 0..pairs {
        let copy = format!(
            "نشرت الصحيفة تقريرا مكررا عن المعرض رقم {} الذي افتتح في المدينة القديمة وسط حضور كبير من الزوار والفنانين، وقال المنظمون إن المعرض يستمر حتى نهاية الشهر المقبل ويضم أعمالا من عدة دول.",
            number(k)
        );
        let mut early = String::new();
        for f in 0..60 {
            early += &line(
                &format!("F{k}-{f}"),
                &format!(
                    "خبر عادي عن الطقس في الجولة {} من الموسم {} مع توقعات بارتفاع درجات الحرارة في الأيام المقبلة في معظم المناطق.",
                    number(f),
                    number(k)
                ),
            );
        }
        early += &line(&format!("A{k}"), &copy);
        write(&root.join(format!("p{k:02}a.jsonl")), early);
        write(
            &root.join(format!("p{k:02}b.jsonl")),
            line(&format!("B{k}"), &copy),
        );
    }
    root
}

#[test]
fn the_copy_kept_is_the_first_in_walk_order_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = 12;
    let archive = racing_copies(dir.path(), pairs);
    let expected: Vec<String> = {
        let mut ids: Vec<String> = (0..pairs).map(|k| format!("A{k}")).collect();
        ids.sort();
        ids
    };
    for threads in ["1", "2", "4"] {
        let idx = dir.path().join(format!("idx-{threads}"));
        let report = dir.path().join(format!("report-{threads}.jsonl"));
        let err = index_ok(
            &archive,
            &idx,
            &["--threads", threads, "--report", report.to_str().unwrap()],
        );
        assert!(
            err.contains(&format!("{pairs} duplicate article(s)")),
            "{threads} threads: {err}"
        );
        // Each dropped copy is in the report, however it was dropped
        // (found late, or superseded after it was indexed).
        let mut dropped: Vec<String> = report_entries(&report)
            .iter()
            .map(|e| {
                assert_eq!(
                    (e["kind"].as_str(), e["record"].as_u64()),
                    (Some("duplicate"), Some(1))
                );
                let reason = e["reason"].as_str().unwrap();
                assert!(reason.starts_with("same text as record 61 of "), "{reason}");
                let path = e["path"].as_str().unwrap();
                path[path.len() - "p00b.jsonl".len()..].to_string()
            })
            .collect();
        dropped.sort();
        let later: Vec<String> = (0..pairs).map(|k| format!("p{k:02}b.jsonl")).collect();
        assert_eq!(dropped, later, "{threads} threads");
        assert_eq!(
            search_ids(&idx, "المعرض"),
            expected,
            "{threads} threads: the later file's copy was kept"
        );
        assert_eq!(documents(&idx), (pairs * 61) as u64);
        // Nothing new on a second run, and the same copies.
        index_ok(&archive, &idx, &["--threads", threads]);
        assert_eq!(documents(&idx), (pairs * 61) as u64);
        assert_eq!(search_ids(&idx, "المعرض"), expected);
    }
}

#[test]
fn stats_describe_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    write(
        &a.join("x.jsonl"),
        "{\"id\":\"1\",\"text\":\"أ\",\"source\":\"BBC\",\"date\":\"2018-02-20\"}\n\
         {\"id\":\"2\",\"text\":\"ب\",\"source\":\"BBC\",\"date\":\"Tue, 13 Sep 2022 10:00:00 +0000\"}\n\
         {\"id\":\"3\",\"text\":\"ج\",\"source\":\"CNN\"}\n",
    );
    let idx = dir.path().join("idx");
    index_ok(&a, &idx, &[]);
    let s = stats(&idx);
    assert_eq!(s["documents"], 3);
    assert!(s["size_bytes"].as_u64().unwrap() > 0);
    assert_eq!(s["date_min"], "2018-02-20T00:00:00Z");
    assert_eq!(s["date_max"], "2022-09-13T10:00:00Z");
    assert_eq!(s["undated"], 1);
    assert_eq!(
        s["sources"][0],
        serde_json::json!({"source": "BBC", "documents": 2})
    );
    assert_eq!(
        s["schema_version"],
        akhbar::index::NewsSchema::builtin().unwrap().version
    );
    assert!(s["last_commit"].as_str().unwrap().ends_with('Z'));
    let out = run(akhbar().args(["stats", "--index"]).arg(&idx));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("articles       3") && text.contains("BBC"),
        "{text}"
    );
    let out = run(akhbar()
        .args(["stats", "--index"])
        .arg(dir.path().join("none")));
    assert!(!out.status.success());
}

/// Writes `files` JSONL files of `per_file` articles.
fn big_archive(dir: &Path, files: usize, per_file: usize) -> PathBuf {
    let a = dir.join("big");
    fs::create_dir_all(&a).unwrap();
    let paragraph = "قال المتحدث باسم وزارة الخارجية إن المفاوضات بين الطرفين مستمرة في العاصمة، وإن الوفدين سيلتقيان مرة أخرى الأسبوع المقبل لبحث وقف إطلاق النار وتبادل الأسرى. ";
    for f in 0..files {
        let mut out = String::new();
        for i in 0..per_file {
            out.push_str(&format!(
                "{{\"id\":\"f{f}-{i}\",\"title\":\"خبر {f} {i}\",\"text\":\"{} رقم{f}x{i}\"}}\n",
                paragraph.repeat(4)
            ));
        }
        fs::write(a.join(format!("part-{f:04}.jsonl")), out).unwrap();
    }
    a
}

/// Starts an indexing run of `archive` and kills it after its first commit,
/// in the middle of its work. Returns false when the run finished before it
/// could be killed (the archive was too small for this machine).
fn kill_after_first_commit(archive: &Path, idx: &Path) -> bool {
    let mut child = akhbar()
        .arg("index")
        .arg(archive)
        .arg("--index")
        .arg(idx)
        .args([
            "--commit-interval",
            "1",
            "--threads",
            "2",
            "--progress",
            "none",
        ])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let committed = || {
        fs::read_to_string(idx.join("meta.json")).is_ok_and(|meta| meta.contains("committed_at"))
    };
    while !committed() {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        assert!(started.elapsed() < Duration::from_secs(120));
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    if child.try_wait().unwrap().is_some() {
        return false;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    true
}

#[test]
fn a_killed_run_leaves_a_searchable_index_and_the_next_run_finishes() {
    // The archive grows until a run on this machine is still busy when it
    // is killed: how long a run takes depends on the build and the machine.
    let mut files = 200;
    let per_file = 60;
    let (a, idx) = loop {
        let dir = tempfile::tempdir().unwrap().keep();
        let a = big_archive(&dir, files, per_file);
        let idx = dir.join("idx");
        // Killed while its last commit was already written counts as
        // finished too.
        if kill_after_first_commit(&a, &idx) && documents(&idx) < (files * per_file) as u64 {
            break (a, idx);
        }
        fs::remove_dir_all(&dir).unwrap();
        assert!(files < 6400, "every run ended before it could be killed");
        files *= 2;
    };

    let partial = documents(&idx);
    assert!(
        partial > 0 && partial < (files * per_file) as u64,
        "{partial}"
    );
    assert_eq!(search_ids(&idx, "رقم0x0"), ["f0-0"]);

    let err = index_ok(&a, &idx, &[]);
    assert!(
        err.contains("unchanged"),
        "finished files are not read again: {err}"
    );
    assert_eq!(documents(&idx), (files * per_file) as u64);
    let last = format!("رقم{}x{}", files - 1, per_file - 1);
    assert_eq!(
        search_ids(&idx, &last),
        [format!("f{}-{}", files - 1, per_file - 1)]
    );
    let err = index_ok(&a, &idx, &[]);
    assert!(err.contains("indexed 0 articles"), "{err}");
}

#[test]
fn a_damaged_manifest_costs_a_reread_not_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    write(
        &a.join("x.jsonl"),
        "{\"id\":\"1\",\"text\":\"أ\"}\n{\"id\":\"2\",\"text\":\"ب\"}\n",
    );
    write(&a.join("y.txt"), "خبر tokY");
    let idx = dir.path().join("idx");
    index_ok(&a, &idx, &[]);
    assert_eq!(documents(&idx), 3);
    let manifest = fs::read_dir(&idx)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(".manifest"))
        .unwrap()
        .path();
    fs::write(&manifest, b"not a manifest").unwrap();
    let err = index_ok(&a, &idx, &[]);
    assert!(
        err.contains("warning") && err.contains("read again"),
        "{err}"
    );
    assert!(err.contains("indexed 3 articles"), "{err}");
    assert_eq!(documents(&idx), 3, "re-read files replace their articles");
    let err = index_ok(&a, &idx, &[]);
    assert!(err.contains("indexed 0 articles"), "{err}");
}

#[test]
fn plain_progress_lines_when_not_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    write(&a.join("y.txt"), "خبر tokY");
    let out = run(akhbar()
        .arg("index")
        .arg(&a)
        .arg("--index")
        .arg(dir.path().join("idx")));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("akhbar: 1/1 files, 1 articles"), "{err}");
    assert!(err.contains("akhbar: committing"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "no terminal escapes in plain output: {err}"
    );
}

/// Starts an indexing run of `archive` and sends it `signal` `delay` after
/// it created the index. Returns its output, or `None` when the run
/// finished before the signal (the archive was too small for this machine).
fn interrupt_run(archive: &Path, idx: &Path, signal: &str, delay: Duration) -> Option<Output> {
    let mut child = akhbar()
        .arg("index")
        .arg(archive)
        .arg("--index")
        .arg(idx)
        // No periodic commit before the signal: what is in the index
        // afterwards was committed because of it.
        .args(["--commit-interval", "600", "--threads", "2"])
        .args(["--progress", "none"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !idx.join("meta.json").exists() {
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(delay);
    if child.try_wait().unwrap().is_some() {
        child.wait_with_output().unwrap();
        return None;
    }
    let sent = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    // Finished just as the signal came: nothing was interrupted.
    (out.status.code() != Some(0)).then_some(out)
}

#[test]
fn an_interrupted_run_commits_what_it_indexed_and_the_next_run_finishes() {
    let per_file = 2000;
    for (signal, status) in [("-INT", 130), ("-TERM", 143)] {
        // How long a run takes to start reading, and to finish, depends
        // on the machine: a signal before the first article is tried again
        // later, a run that ends before it on a larger archive.
        let mut files = 8;
        let mut delay = Duration::from_millis(400);
        let (a, idx, out) = loop {
            let dir = tempfile::tempdir().unwrap().keep();
            let a = big_archive(&dir, files, per_file);
            let idx = dir.join("idx");
            match interrupt_run(&a, &idx, signal, delay) {
                Some(out) if documents(&idx) > 0 => break (a, idx, out),
                Some(_) => delay *= 2,
                None => files *= 2,
            }
            fs::remove_dir_all(&dir).unwrap();
            assert!(
                files < 128 && delay < Duration::from_secs(30),
                "no run could be interrupted while reading"
            );
        };
        let total = (files * per_file) as u64;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(status), "{signal}: {err}");
        let committed = documents(&idx);
        assert!(committed > 0 && committed < total, "{signal}: {committed}");
        assert!(
            err.contains(&format!(
                "interrupted: committed {committed} articles; run the same command again to finish"
            )),
            "{signal}: {err}"
        );
        assert!(!err.contains("error"), "{signal}: {err}");

        index_ok(&a, &idx, &[]);
        assert_eq!(documents(&idx), total, "{signal}");
        assert_eq!(search_ids(&idx, "رقم0x0"), ["f0-0"]);
        let err = index_ok(&a, &idx, &[]);
        assert!(err.contains("indexed 0 articles"), "{signal}: {err}");
        fs::remove_dir_all(a.parent().unwrap()).unwrap();
    }
}

#[test]
fn commits_happen_inside_a_large_file_and_a_kill_mid_file_loses_nothing() {
    // One file: whatever is committed before its end was committed
    // half-way through it.
    let mut per_file = 8000;
    let (a, idx) = loop {
        let dir = tempfile::tempdir().unwrap().keep();
        let a = big_archive(&dir, 1, per_file);
        let idx = dir.join("idx");
        if kill_after_first_commit(&a, &idx) && documents(&idx) < per_file as u64 {
            break (a, idx);
        }
        fs::remove_dir_all(&dir).unwrap();
        assert!(
            per_file < 64_000,
            "no commit came before the end of the file"
        );
        per_file *= 2;
    };
    let partial = documents(&idx);
    assert!(partial > 0, "a commit before the end holds articles");
    assert_eq!(search_ids(&idx, "رقم0x0"), ["f0-0"]);

    // The file was pending: its articles are replaced, not added again.
    index_ok(&a, &idx, &[]);
    assert_eq!(documents(&idx), per_file as u64);
    assert_eq!(search_ids(&idx, "رقم0x0"), ["f0-0"]);
    let last = format!("رقم0x{}", per_file - 1);
    assert_eq!(search_ids(&idx, &last), [format!("f0-{}", per_file - 1)]);
    let err = index_ok(&a, &idx, &[]);
    assert!(err.contains("indexed 0 articles"), "{err}");
    fs::remove_dir_all(a.parent().unwrap()).unwrap();
}

#[test]
fn a_legacy_page_after_a_long_ascii_script_is_decoded_and_the_guess_reported() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let script = "var x = [1, 2, 3].map(function (n) { return n * 2; });\n".repeat(1500);
    let page = format!(
        "<html><head><title>t</title><script>{script}</script></head><body><article><p>قال المتحدث باسم وزارة الخارجية إن المفاوضات مستمرة tokLate</p></article></body></html>"
    );
    write(
        &a.join("late.html"),
        encoding_rs::WINDOWS_1256.encode(&page).0,
    );
    let idx = dir.path().join("idx");
    let err = index_ok(&a, &idx, &[]);
    assert!(
        err.contains("decoded as windows-1256") && !err.contains("U+FFFD"),
        "{err}"
    );
    assert_eq!(search_ids(&idx, "المفاوضات").len(), 1);
}
