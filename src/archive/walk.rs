//! Finding the files of an archive.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

/// A file found under an archive root.
#[derive(Debug, Clone)]
pub struct FoundFile {
    /// Absolute path (under the canonical form of the root given).
    pub path: PathBuf,
    /// Path relative to the root given by the user, `/`-separated; for a
    /// root that is itself a file, its file name; with several roots, with
    /// the root's name in front (see [`walk`]).
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
/// so the same files have the same paths whatever directory akhbar runs in;
/// a file under two roots (or a root given twice) is listed once.
///
/// akhbar's indexes, which may sit inside an archive, are passed over with
/// all they hold.
///
/// Relative paths (and so the ids of articles without their own) are
/// taken from the root: with several roots, from above it, so that they
/// start with as many of the root's last path components as tell the
/// roots apart (`A/x.txt`, `B/x.txt` for roots `…/A` and `…/B`).
pub fn walk(roots: &[PathBuf]) -> (Vec<FoundFile>, Vec<WalkError>) {
    walk_except(roots, &[])
}

/// Like [`walk`], passing over the files and directories `except` too
/// (canonical paths).
pub fn walk_except(roots: &[PathBuf], except: &[PathBuf]) -> (Vec<FoundFile>, Vec<WalkError>) {
    let skip = |entry: &walkdir::DirEntry| {
        except.iter().any(|e| e == entry.path())
            || (entry.file_type().is_dir() && crate::index::NewsIndex::is_index(entry.path()))
    };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut canonical: Vec<PathBuf> = Vec::with_capacity(roots.len());
    for root in roots {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        if !canonical.contains(&root) {
            canonical.push(root);
        }
    }
    let bases = bases(&canonical);
    let mut listed: HashSet<PathBuf> = HashSet::new();
    for (root, base) in canonical.into_iter().zip(bases) {
        let walker = WalkDir::new(&root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| (e.depth() == 0 || !is_hidden(e.file_name())) && !skip(e));
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    let path = entry.path().to_path_buf();
                    if !listed.insert(path.clone()) {
                        continue;
                    }
                    let rel_path = relative(&base, &path);
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
                Err(e) => {
                    let path = e.path().unwrap_or(&root).to_path_buf();
                    let reason = match (e.io_error(), std::fs::read_link(&path)) {
                        // Followed, a link to nothing fails as if the link
                        // itself were missing.
                        (Some(io), Ok(target)) if io.kind() == std::io::ErrorKind::NotFound => {
                            format!(
                                "broken symbolic link: its target {} does not exist",
                                target.display()
                            )
                        }
                        (Some(io), _) => io.to_string(),
                        (None, _) => e.to_string(),
                    };
                    errors.push(WalkError { path, reason });
                }
            }
        }
    }
    (files, errors)
}

/// The directory each root's relative paths are taken from: the root
/// itself when it is the only one (its parent for a file), else the
/// directory above as many of its last components as make the roots'
/// labels differ.
fn bases(roots: &[PathBuf]) -> Vec<PathBuf> {
    let names: Vec<Vec<&std::ffi::OsStr>> = roots
        .iter()
        .map(|r| {
            r.components()
                .filter_map(|c| match c {
                    Component::Normal(name) => Some(name),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let mut depths: Vec<usize> = roots
        .iter()
        .map(|r| usize::from(roots.len() > 1 || r.is_file()))
        .collect();
    loop {
        let labels: Vec<&[&std::ffi::OsStr]> = names
            .iter()
            .zip(&depths)
            .map(|(n, &d)| &n[n.len() - d.min(n.len())..])
            .collect();
        let grow: Vec<usize> = (0..roots.len())
            .filter(|&i| {
                depths[i] < names[i].len()
                    && (0..roots.len()).any(|j| j != i && labels[j] == labels[i])
            })
            .collect();
        if grow.is_empty() {
            break;
        }
        for i in grow {
            depths[i] += 1;
        }
    }
    roots
        .iter()
        .zip(depths)
        .map(|(root, depth)| {
            root.ancestors()
                .nth(depth)
                .map_or_else(|| root.clone(), Path::to_path_buf)
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_broken_link_is_reported_as_such() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "نص").unwrap();
        std::os::unix::fs::symlink("/nonexistent/b.txt", dir.path().join("b.txt")).unwrap();
        let (files, errors) = walk(&[dir.path().to_path_buf()]);
        assert_eq!(files.len(), 1);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].path.ends_with("b.txt"));
        assert_eq!(
            errors[0].reason,
            "broken symbolic link: its target /nonexistent/b.txt does not exist"
        );
    }

    fn rel_paths(roots: &[PathBuf]) -> Vec<String> {
        let (files, errors) = walk(roots);
        assert!(errors.is_empty(), "{errors:?}");
        files.into_iter().map(|f| f.rel_path).collect()
    }

    #[test]
    fn several_roots_give_distinct_relative_paths() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for file in ["two/A/x.txt", "two/B/x.txt", "p/data/x.txt", "q/data/x.txt"] {
            std::fs::create_dir_all(d.join(file).parent().unwrap()).unwrap();
            std::fs::write(d.join(file), "نص").unwrap();
        }
        // One root: paths relative to it, as they always were.
        assert_eq!(rel_paths(&[d.join("two/A")]), ["x.txt"]);
        assert_eq!(rel_paths(&[d.join("two/A/x.txt")]), ["x.txt"]);
        assert_eq!(rel_paths(&[d.join("two")]), ["A/x.txt", "B/x.txt"]);
        // The same root twice is one root.
        assert_eq!(rel_paths(&[d.join("two/A"), d.join("two/A/")]), ["x.txt"]);
        assert_eq!(
            rel_paths(&[d.join("two/A"), d.join("two/B")]),
            ["A/x.txt", "B/x.txt"]
        );
        assert_eq!(
            rel_paths(&[d.join("p/data"), d.join("q/data")]),
            ["p/data/x.txt", "q/data/x.txt"]
        );
        assert_eq!(
            rel_paths(&[d.join("two/A/x.txt"), d.join("two/B/x.txt")]),
            ["A/x.txt", "B/x.txt"]
        );
        // A file under two roots is listed once.
        assert_eq!(
            rel_paths(&[d.join("two"), d.join("two/B")]),
            ["two/A/x.txt", "two/B/x.txt"]
        );
    }
}
