//! Finding the files of an archive.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

/// A file found under an archive root.
#[derive(Debug, Clone)]
pub struct FoundFile {
    /// Absolute path (under the canonical form of the root given).
    pub path: PathBuf,
    /// Path relative to the root given by the user, `/`-separated; for a
    /// root that is itself a file, its file name.
    pub rel_path: String,
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch (0 if unknown).
    pub mtime: i64,
}

/// A path that could not be walked, and why.
#[derive(Debug, Clone)]
pub struct WalkError {
    pub path: PathBuf,
    pub reason: String,
}

/// Lists the files under each root (recursively, sorted, hidden files and
/// directories skipped, symbolic links followed). Roots are made absolute,
/// so the same files have the same paths whatever directory akhbar runs in.
pub fn walk(roots: &[PathBuf]) -> (Vec<FoundFile>, Vec<WalkError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in roots {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        let walker = WalkDir::new(&root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    let path = entry.path().to_path_buf();
                    let rel_path = relative(&root, &path);
                    let (size, mtime) = entry
                        .metadata()
                        .map(|m| {
                            let mtime = m
                                .modified()
                                .ok()
                                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                                .map_or(0, |d| d.as_nanos() as i64);
                            (m.len(), mtime)
                        })
                        .unwrap_or((0, 0));
                    files.push(FoundFile {
                        path,
                        rel_path,
                        size,
                        mtime,
                    });
                }
                Ok(_) => {}
                Err(e) => errors.push(WalkError {
                    path: e.path().unwrap_or(&root).to_path_buf(),
                    reason: match e.io_error() {
                        Some(io) => io.to_string(),
                        None => e.to_string(),
                    },
                }),
            }
        }
    }
    (files, errors)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = match path.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel,
        _ => Path::new(path.file_name().unwrap_or(path.as_os_str())),
    };
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
