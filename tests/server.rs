//! `akhbar serve` end to end: the real binary on an ephemeral loopback port,
//! every endpoint and error path over plain HTTP/1.1, a live index, and the
//! search page in headless Chromium.

mod common;

use common::{akhbar, hit_ids, run_ok, sample_dir, HIT_KEYS};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const SEED_ID: &str = "seed/000_fecd01c37f338b77.txt";

/// Indexes `dirs` into `index` with the binary, returning its stderr.
fn index_dirs(dirs: &[&Path], index: &Path) -> String {
    let out = akhbar()
        .arg("index")
        .args(dirs)
        .arg("--index")
        .arg(index)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "index failed: {stderr}");
    stderr
}

/// One index of the bundled sample, shared by the tests of this file, and
/// the number of articles it holds.
fn sample_index() -> &'static (tempfile::TempDir, u64) {
    static INDEX: OnceLock<(tempfile::TempDir, u64)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let log = index_dirs(&[&sample_dir()], &dir.path().join("idx"));
        let holds = log.split("holds ").nth(1).expect("a summary line");
        let count = holds.split(' ').next().unwrap().parse().unwrap();
        (dir, count)
    })
}

fn sample_index_path() -> PathBuf {
    sample_index().0.path().join("idx")
}

/// A running `akhbar serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(index: &Path, extra: &[&str]) -> Server {
        let mut child = akhbar()
            .arg("serve")
            .arg("--index")
            .arg(index)
            .args(["--addr", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(at) = line.find("on http://") {
                    let addr = line[at + "on http://".len()..].trim_end_matches('/');
                    let _ = tx.send(addr.to_string());
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                panic!("the server did not start: {}", log.lock().unwrap());
            }
        };
        Server { child, addr, log }
    }

    fn sample() -> Server {
        Server::start(&sample_index_path(), &[])
    }

    fn send(&self, raw: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream.write_all(raw).unwrap();
        read_reply(&mut stream)
    }

    fn request(&self, method: &str, path: &str, body: &[u8]) -> Reply {
        let mut raw = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        )
        .into_bytes();
        raw.extend_from_slice(body);
        self.send(&raw)
    }

    fn get(&self, path: &str) -> Reply {
        self.request("GET", path, b"")
    }

    fn post(&self, path: &str, body: &Value) -> Reply {
        self.request("POST", path, body.to_string().as_bytes())
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Whether the server's stderr shows `needle` within a few seconds (it
    /// is read by another thread, so it may lag behind the responses).
    fn logged(&self, needle: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.log().contains(needle) {
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{}",
            self.text()
        );
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// Asserts an error status with the `{"error": {"code", "message"}}` body.
    fn expect_error(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status, status, "{}", self.text());
        let body = self.json();
        assert_eq!(body["error"]["code"], code, "{body}");
        let message = body["error"]["message"].as_str().unwrap().to_string();
        assert!(!message.is_empty());
        message
    }
}

fn read_reply(stream: &mut TcpStream) -> Reply {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..eol]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 4 + size..];
    }
}

/// Percent-encodes a query-string value.
fn enc(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn cli_search(args: &[&str]) -> Value {
    let out = run_ok(
        akhbar()
            .arg("search")
            .args(args)
            .arg("--json")
            .arg("--index")
            .arg(sample_index_path()),
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn health_and_stats() {
    let server = Server::sample();
    let health = server.get("/health");
    assert_eq!(health.status, 200);
    assert_eq!(health.json(), json!({"status": "ok"}));

    let stats = server.get("/stats").json();
    assert_eq!(
        stats["documents"].as_u64(),
        Some(sample_index().1),
        "{stats}"
    );
    assert!(stats["segments"].as_u64().unwrap() >= 1, "{stats}");
    assert!(stats["size_bytes"].as_u64().unwrap() > 100_000, "{stats}");
    assert_eq!(
        stats["schema_version"],
        akhbar::index::NewsSchema::builtin().unwrap().version
    );
    assert!(stats["schema_hash"].as_str().is_some_and(|h| h.len() == 16));
    assert!(stats["analyzer_version"].as_u64().is_some());
    assert!(
        stats["last_commit"].as_str().unwrap().ends_with('Z'),
        "{stats}"
    );
    // What the README lists, and what `stats --json` says beside it.
    assert_eq!(
        stats["path"].as_str(),
        sample_index_path().to_str(),
        "{stats}"
    );
    assert!(
        stats["created_by"]
            .as_str()
            .is_some_and(|c| c.starts_with("akhbar ")),
        "{stats}"
    );
    assert!(stats["date_min"].is_string(), "{stats}");
    assert!(server.logged("GET /stats 200"), "{}", server.log());
}

#[test]
fn search_answers_what_the_cli_answers() {
    let server = Server::sample();
    let reply = server.get(&format!(
        "/search?q={}&facet=country&facet=source&limit=20",
        enc("بيرقدار")
    ));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let api = reply.json();
    let cli = cli_search(&[
        "بيرقدار",
        "--facet",
        "country",
        "--facet",
        "source",
        "--limit",
        "20",
    ]);
    assert_eq!(api["total"], cli["total"]);
    assert!(api["total"].as_u64().unwrap() >= 2, "{api}");
    assert_eq!(hit_ids(&api), hit_ids(&cli));
    assert_eq!(api["facets"], cli["facets"]);
    assert_eq!(api["query"], "بيرقدار");
    assert!(api["took_ms"].as_f64().unwrap() >= 0.0);
    let seed = api["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == SEED_ID)
        .expect("the seed article is found");
    for key in HIT_KEYS {
        assert!(seed.get(key).is_some(), "hit has no `{key}`: {seed}");
    }
    // Highlights are character ranges of the snippet that hold the word.
    let snippet: Vec<char> = seed["snippet"].as_str().unwrap().chars().collect();
    let [start, end] = [0, 1].map(|i| seed["highlights"][0][i].as_u64().unwrap() as usize);
    assert_eq!(snippet[start..end].iter().collect::<String>(), "بيرقدار");
    let turkey = api["facets"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "TR")
        .expect("Turkey among the countries");
    assert_eq!(turkey["label"], "تركيا");
}

#[test]
fn filters_dates_sorting_and_paging() {
    let server = Server::sample();
    let q = enc("بيرقدار");
    let all = server.get(&format!("/search?q={q}&facet=country")).json();
    let tr_count = all["facets"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "TR")
        .unwrap()["count"]
        .clone();
    // Both separators, and any name form of the country.
    for filter in ["country:TR", "country=TR", "country:تركيا"] {
        let r = server
            .get(&format!("/search?q={q}&filter={}", enc(filter)))
            .json();
        assert_eq!(r["total"], tr_count, "{filter}");
        for hit in r["hits"].as_array().unwrap() {
            assert!(
                hit["countries"].as_array().unwrap().contains(&json!("TR")),
                "{filter}: {hit}"
            );
        }
    }

    let word = enc("روسيا");
    let dated = server
        .get(&format!(
            "/search?q={word}&from=2018-06-01&to=2018-06-30&limit=100"
        ))
        .json();
    assert!(dated["total"].as_u64().unwrap() > 0, "{dated}");
    for hit in dated["hits"].as_array().unwrap() {
        let date = hit["date"].as_str().unwrap();
        assert!(("2018-06-01".."2018-07-01").contains(&date), "{date}");
    }

    let newest = server
        .get(&format!("/search?q={word}&sort=date&limit=30"))
        .json();
    let dates: Vec<&str> = newest["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["date"].as_str())
        .collect();
    assert!(dates.len() > 5);
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert!(newest["hits"][0]["score"].is_null());

    let ten = hit_ids(&server.get(&format!("/search?q={word}&limit=10")).json());
    let first = hit_ids(&server.get(&format!("/search?q={word}&limit=5")).json());
    let second = hit_ids(
        &server
            .get(&format!("/search?q={word}&limit=5&offset=5"))
            .json(),
    );
    assert_eq!(ten.len(), 10);
    assert_eq!([first, second].concat(), ten);

    // Browsing by filter alone, with the date facets.
    let browse = server
        .get("/search?filter=source:BBC&facet=month&facet=year&limit=0")
        .json();
    assert!(browse["total"].as_u64().unwrap() > 0);
    assert!(browse["hits"].as_array().unwrap().is_empty());
    let months: Vec<&str> = browse["facets"]["month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert!(months.iter().all(|m| m.starts_with("2018-")), "{months:?}");
}

#[test]
fn post_takes_the_same_parameters_as_json() {
    let server = Server::sample();
    let get = server
        .get(&format!(
            "/search?q={}&facet=country&filter=country:AZ&from=2018-01-01&to=2022-12-31&sort=relevance&limit=3&offset=0",
            enc("بيرقدار")
        ))
        .json();
    let post = server.post(
        "/search",
        &json!({"q": "بيرقدار", "facets": ["country"], "filter": ["country:AZ"], "from": "2018-01-01",
                "to": "2022-12-31", "sort": "relevance", "limit": 3, "offset": 0}),
    );
    assert_eq!(post.status, 200, "{}", post.text());
    let post = post.json();
    assert_eq!(post["total"], get["total"]);
    assert_eq!(hit_ids(&post), hit_ids(&get));
    assert_eq!(post["facets"], get["facets"]);
    // A single string is taken for a one-element list.
    let single = server
        .post("/search", &json!({"q": "بيرقدار", "filter": "country:AZ"}))
        .json();
    assert_eq!(single["total"], get["total"]);
    // Facets as one comma-separated string, as in the URL.
    let listed = server.get(&format!(
        "/search?q={}&facet=country,source&limit=0",
        enc("بيرقدار")
    ));
    let listed = listed.json();
    let reply = server.post(
        "/search",
        &json!({"q": "بيرقدار", "facets": "country,source", "limit": 0}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let posted = reply.json();
    assert_eq!(posted["facets"], listed["facets"]);
    assert!(posted["facets"]["source"].is_array(), "{posted}");
}

#[test]
fn bad_requests_get_400_with_a_json_error() {
    let server = Server::sample();
    let q = enc("بيرقدار");
    let cases = [
        (
            format!("/search?q={}", enc("\"قره باغ")),
            "bad_query",
            "quote",
        ),
        (
            format!("/search?q={}", enc("colour:red")),
            "bad_query",
            "colour",
        ),
        (
            format!("/search?q={q}&from=2018-13-45"),
            "bad_query",
            "bad date in from: `2018-13-45`; use YYYY",
        ),
        (format!("/search?q={q}&to=2018-13"), "bad_query", "in to:"),
        (
            format!("/search?q={q}&filter={}", enc("date:yesterday")),
            "bad_query",
            "yesterday",
        ),
        (
            format!("/search?q={q}&filter={}", enc("colour:red")),
            "bad_query",
            "colour",
        ),
        (
            format!("/search?q={q}&filter=country"),
            "bad_query",
            "FIELD=VALUE",
        ),
        (
            format!("/search?q={q}&facet=colour"),
            "unknown_facet",
            "colour",
        ),
        (
            format!("/search?q={q}&limit=1000"),
            "bad_request",
            "maximum",
        ),
        (
            format!("/search?q={q}&offset=99999999"),
            "bad_request",
            "maximum",
        ),
        (
            format!("/search?q={q}&limit=-1"),
            "bad_request",
            "whole number",
        ),
        (
            format!("/search?q={q}&limit=99999999999999999999999"),
            "bad_request",
            "whole number",
        ),
        (format!("/search?q={q}&sort=random"), "bad_request", "sort"),
        (
            format!("/search?q={q}&explain=maybe"),
            "bad_request",
            "explain",
        ),
        (format!("/search?q={q}&colour=red"), "bad_request", "colour"),
        ("/search".to_string(), "bad_request", "nothing to search"),
        (
            "/search?q=%FF%FE".to_string(),
            "bad_request",
            "invalid UTF-8 in q",
        ),
        (format!("/search?q={}", enc("-روسيا")), "bad_query", ""),
        (
            "/facets/actor?limit=lots".to_string(),
            "bad_request",
            "limit",
        ),
        (
            "/facets/actor?colour=red".to_string(),
            "bad_request",
            "colour",
        ),
    ];
    for (path, code, needle) in cases {
        let message = server.get(&path).expect_error(400, code);
        assert!(message.contains(needle), "{path}: {message}");
    }
    let bodies: [&[u8]; 5] = [
        b"{\"q\": ",
        b"[1, 2]",
        b"{\"q\": \"x\", \"limit\": \"ten\"}",
        b"{\"q\": \"x\", \"colour\": 1}",
        b"\xff\xfe",
    ];
    for body in bodies {
        let message = server
            .request("POST", "/search", body)
            .expect_error(400, "bad_request");
        assert!(message.starts_with("invalid JSON body"), "{message}");
    }
    let message = server
        .post("/search", &json!({"q": "x", "limit": 500}))
        .expect_error(400, "bad_request");
    assert!(message.contains("maximum"), "{message}");
    // A query of thousands of words is refused before it is run.
    let words: Vec<String> = (0..1500).map(|i| format!("w{i}")).collect();
    let message = server
        .post("/search", &json!({"q": words.join(" ")}))
        .expect_error(400, "bad_query");
    assert!(
        message.contains("1500 words; the limit is 1024"),
        "{message}"
    );
    let message = server
        .post("/search", &json!({"q": "ب".repeat(20_000)}))
        .expect_error(400, "bad_query");
    assert!(message.contains("the limit is 16384 bytes"), "{message}");
    // The server survived all of it.
    assert_eq!(server.get("/health").status, 200);
    assert!(server.logged("GET /health 200"), "{}", server.log());
    assert!(!server.log().contains(" 500 "), "{}", server.log());
}

#[test]
fn documents_by_id() {
    let server = Server::sample();
    let reply = server.get(&format!("/documents/{SEED_ID}"));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let doc = reply.json();
    assert_eq!(doc["id"], SEED_ID);
    assert!(doc["body"].as_str().unwrap().contains("بيرقدار"));
    assert!(doc["date"].as_str().unwrap().starts_with("2022-09-13"));
    let countries = doc["countries"].as_array().unwrap();
    assert!(
        countries.contains(&json!({"code": "AZ", "name": "أذربيجان"})),
        "{countries:?}"
    );
    assert!(doc["actors"]
        .as_array()
        .unwrap()
        .contains(&json!("فلاديمير بوتين")));
    for key in ["title", "source", "category", "url", "author", "places"] {
        assert!(doc.get(key).is_some(), "no `{key}`");
    }
    // An ANT article, id percent-encoded or not.
    let ant = server.get("/search?filter=source:CNN&limit=1").json();
    let id = ant["hits"][0]["id"].as_str().unwrap().to_string();
    let doc = server.get(&format!("/documents/{}", enc(&id))).json();
    assert_eq!(doc["id"], id.as_str());
    assert_eq!(doc["source"], "CNN");
    assert!(doc["title"].is_string() && doc["url"].is_string());

    server
        .get("/documents/no-such-article")
        .expect_error(404, "unknown_document");
    server
        .get(&format!("/documents/{}", enc("../../etc/passwd")))
        .expect_error(404, "unknown_document");
}

#[test]
fn facet_values_for_autocomplete() {
    let server = Server::sample();
    let actors = server
        .get(&format!("/facets/actor?prefix={}", enc("بوت")))
        .json();
    assert_eq!(actors["field"], "actor");
    let values = actors["values"].as_array().unwrap();
    assert!(
        values.iter().any(|v| v["value"] == "فلاديمير بوتين"),
        "{values:?}"
    );
    // The count is the number of articles naming him.
    let putin = values
        .iter()
        .find(|v| v["value"] == "فلاديمير بوتين")
        .unwrap();
    let filtered = server
        .get(&format!(
            "/search?filter={}&limit=0",
            enc("actor:فلاديمير بوتين")
        ))
        .json();
    assert_eq!(putin["count"], filtered["total"]);

    // Normalized prefixes: أ/ا, and country names as well as codes.
    let places = server
        .get(&format!("/facets/place?prefix={}", enc("انقر")))
        .json();
    assert!(places["values"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["value"] == "أنقرة"));
    let countries = server
        .get(&format!("/facets/country?prefix={}", enc("ترك")))
        .json();
    assert_eq!(countries["values"][0]["value"], "TR");
    assert_eq!(countries["values"][0]["label"], "تركيا");

    let all = server.get("/facets/source?limit=3").json();
    let counts: Vec<u64> = all["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts.len(), 3);
    assert!(counts.windows(2).all(|w| w[0] >= w[1]));
    let months = server.get("/facets/month").json();
    assert!(
        months["values"][0]["value"].as_str().unwrap()
            < months["values"][1]["value"].as_str().unwrap()
    );

    // Dates: the latest months, in date order, as a search's facets.
    let latest = server.get("/facets/month?limit=3").json();
    let all: Vec<Value> = months["values"].as_array().unwrap().clone();
    assert!(all.len() > 3, "{months}");
    assert_eq!(
        latest["values"].as_array().unwrap()[..],
        all[all.len() - 3..]
    );
    let searched = server
        .get("/search?from=1900&facet=month&facet_size=3&limit=0")
        .json();
    assert_eq!(searched["facets"]["month"], latest["values"]);

    server
        .get("/facets/colour")
        .expect_error(404, "unknown_facet");
}

/// Seconds until the server closes `stream` (at most 20).
fn closed_after(mut stream: TcpStream) -> f64 {
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut sink = Vec::new();
    // EOF, or a reset: either way the server let go.
    let _ = stream.read_to_end(&mut sink);
    started.elapsed().as_secs_f64()
}

#[test]
fn connections_that_never_finish_their_headers_are_closed() {
    let server = Server::start(&sample_index_path(), &["--header-timeout-ms", "500"]);
    // Headers started and never ended.
    let mut partial = TcpStream::connect(&server.addr).unwrap();
    partial
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    let waited = closed_after(partial);
    assert!((0.3..10.0).contains(&waited), "closed after {waited} s");
    // Nothing sent at all.
    let silent = TcpStream::connect(&server.addr).unwrap();
    let waited = closed_after(silent);
    assert!((0.3..10.0).contains(&waited), "closed after {waited} s");
    // A request sent in time is answered, and the server goes on.
    assert_eq!(server.get("/health").status, 200);
}

#[test]
fn page_assets_and_unknown_paths() {
    let server = Server::sample();
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.text().contains("dir=\"rtl\""));
    assert!(page.header("content-security-policy").is_some());
    for (path, kind) in [("/app.js", "text/javascript"), ("/style.css", "text/css")] {
        let asset = server.get(path);
        assert_eq!(asset.status, 200);
        assert!(asset.header("content-type").unwrap().starts_with(kind));
        assert!(asset.body.len() > 1000);
    }
    for path in [
        "/nothing-here",
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/app.js/../../Cargo.toml",
        "/static/..%2f..%2fCargo.toml",
    ] {
        let reply = server.get(path);
        assert!(!reply.text().contains("root:") && !reply.text().contains("[package]"));
        reply.expect_error(404, "not_found");
    }
    server
        .request("DELETE", "/search", b"")
        .expect_error(405, "method_not_allowed");
    server
        .request("POST", "/health", b"")
        .expect_error(405, "method_not_allowed");
}

#[test]
fn request_body_and_time_limits() {
    let server = Server::start(&sample_index_path(), &["--timeout-ms", "500"]);
    let big = json!({"q": "x".repeat(100_000)});
    server
        .post("/search", &big)
        .expect_error(413, "payload_too_large");
    // A client that sends half a body and stalls is cut off at the limit.
    let started = Instant::now();
    let stalled = server.send(
        format!(
            "POST /search HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"q\": ",
            server.addr
        )
        .as_bytes(),
    );
    stalled.expect_error(503, "timeout");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(server.get("/health").status, 200);
    assert!(server.logged("POST /search 503"), "{}", server.log());
}

#[cfg(unix)]
#[test]
fn stops_gracefully_on_sigterm() {
    let mut server = Server::sample();
    assert_eq!(server.get("/health").status, 200);
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(server.logged("shutting down"), "{}", server.log());
}

#[test]
fn searches_see_a_concurrent_indexing_run() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    let second = dir.path().join("second");
    std::fs::create_dir_all(&first).unwrap();
    std::fs::create_dir_all(&second).unwrap();
    let article = |id: &str, body: &str| {
        json!({"id": id, "title": "خبر", "body": body, "date": "2024-01-02", "source": "test"})
            .to_string()
    };
    std::fs::write(
        first.join("a.jsonl"),
        article("one", "وصلت شحنة من الزعفران إلى الميناء."),
    )
    .unwrap();
    let lines = [
        article("two", "الزعفران والزنجبيل في السوق."),
        article("three", "ارتفع سعر الزعفران."),
    ];
    std::fs::write(second.join("b.jsonl"), lines.join("\n")).unwrap();
    let index = dir.path().join("idx");
    index_dirs(&[&first], &index);

    let server = Server::start(&index, &[]);
    let search = || {
        server.get(&format!("/search?q={}", enc("الزعفران"))).json()["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(search(), 1);
    index_dirs(&[&second], &index);
    let deadline = Instant::now() + Duration::from_secs(20);
    while search() != 3 {
        assert!(
            Instant::now() < deadline,
            "the server never saw the new commit"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(server.get("/stats").json()["documents"], 3);
}

/// The page in headless Chromium (`tests/browser/search.mjs`). Skipped when
/// node, Chromium or playwright-core are missing — except in CI (`CI=true`),
/// where that is a failure.
#[test]
fn search_page_in_a_browser() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing = if !node_ok {
        Some("node is not installed".to_string())
    } else if !Path::new(&chromium).exists() {
        Some(format!(
            "no Chromium at {chromium} (apt-get install chromium)"
        ))
    } else if !dir.join("node_modules/playwright-core").is_dir() {
        Some("playwright-core is not installed (cd tests/browser && npm ci)".to_string())
    } else {
        None
    };
    if let Some(why) = missing {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("the browser test cannot run in CI: {why}");
        }
        eprintln!("SKIPPED search_page_in_a_browser: {why}");
        return;
    }
    let server = Server::sample();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&shots).unwrap();
    let mut child = Command::new("node")
        .arg(dir.join("search.mjs"))
        .arg(format!("http://{}/", server.addr))
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(180);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}");
    assert!(
        out.status.success(),
        "browser test failed ({}):\n{stdout}\n{stderr}\nserver log:\n{}",
        out.status,
        server.log()
    );
    assert!(shots.join("search.png").exists());
}

#[test]
fn refuses_to_start_without_an_index_or_an_address() {
    let dir = tempfile::tempdir().unwrap();
    let out = akhbar()
        .args(["serve", "--addr", "127.0.0.1:0", "--index"])
        .arg(dir.path().join("nothing"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no index at"), "{stderr}");

    let out = akhbar()
        .args(["serve", "--addr", "not-an-address"])
        .arg("--index")
        .arg(sample_index_path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot listen on not-an-address"),
        "{stderr}"
    );
}
