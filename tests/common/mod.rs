//! Helpers shared by the end-to-end tests: the binary, its output, and the
//! bundled sample archive.

// Each test file uses some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The akhbar binary, with no index path from the environment.
pub fn akhbar() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_akhbar"));
    cmd.env_remove("AKHBAR_INDEX");
    cmd
}

/// Runs a command to its end.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("akhbar runs")
}

/// Runs a command that must succeed (its stderr shows if not).
pub fn run_ok(cmd: &mut Command) -> Output {
    let out = run(cmd);
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The bundled sample archive, `data/archive`.
pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/archive")
}

/// The keys every hit of the JSON output has (the documented contract;
/// written out here, not taken from the code under test).
pub const HIT_KEYS: [&str; 12] = [
    "id",
    "score",
    "title",
    "date",
    "source",
    "url",
    "snippet",
    "highlights",
    "partial",
    "countries",
    "places",
    "actors",
];

/// The ids of a JSON response's hits, sorted (for comparing hit sets).
pub fn sorted_ids(response: &serde_json::Value) -> Vec<String> {
    let mut ids = hit_ids(response);
    ids.sort();
    ids
}

/// The ids of a JSON response's hits, in rank order.
pub fn hit_ids(response: &serde_json::Value) -> Vec<String> {
    response["hits"]
        .as_array()
        .expect("hits is an array")
        .iter()
        .map(|h| h["id"].as_str().expect("hit id is a string").to_string())
        .collect()
}
