//! What has been ingested: the files behind the index, so that indexing the
//! same directories again reads only new and changed files.
//!
//! The manifest lives in the index directory as `ingest-<generation>.manifest`
//! and is tied to tantivy's commits: each commit's payload names the
//! generation written just before it. A run killed between writing a
//! manifest and committing leaves the previous commit pointing at the
//! previous manifest, so the two always agree. Files whose documents may be
//! partly in a commit are listed as pending, and are deleted and read again
//! by the next run.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 8] = b"AKHBARMF";
/// 2: body hashes from `CharHasher` (build.rs).
const FORMAT_VERSION: u32 = 2;
const PREFIX: &str = "ingest-";
const SUFFIX: &str = ".manifest";

/// A file that has been read in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileState {
    /// Byte offset of the path relative to its root within the key.
    pub rel_start: u32,
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime: i64,
    /// Whether the whole file was skipped (unsupported, binary, …): it is
    /// read again only when it changes or akhbar's version does.
    pub failed: bool,
    /// Articles of the file not indexed because they duplicate others.
    pub duplicates: u32,
    /// Fingerprint of the read options (`--format`, `--encoding`,
    /// `--field`) the file was read with: other options read it again.
    pub options: u32,
    /// (id hash, body hash) of each article indexed from the file; a body
    /// hash of 0 means the body was too short to compare.
    pub keys: Box<[[u64; 2]]>,
}

impl FileState {
    /// Counts the articles with these keys as duplicates instead of
    /// indexed: an earlier copy superseded them.
    pub fn superseded(&mut self, gone: &[[u64; 2]]) {
        if gone.is_empty() {
            return;
        }
        let mut keys = std::mem::take(&mut self.keys).into_vec();
        keys.retain(|k| !gone.contains(k));
        self.keys = keys.into_boxed_slice();
        self.duplicates += gone.len() as u32;
    }
}

/// What the commit payload records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CommitInfo {
    /// Generation of the manifest that describes this commit.
    pub manifest: u64,
    /// When the commit was made (RFC 3339, UTC).
    pub committed_at: String,
}

impl CommitInfo {
    pub fn parse(payload: Option<&str>) -> Option<CommitInfo> {
        serde_json::from_str(payload?).ok()
    }
}

/// The ingestion state of an index.
#[derive(Debug, Default)]
pub struct Manifest {
    pub generation: u64,
    /// The akhbar version that wrote it: files that failed are tried again
    /// by another version, which may read them.
    pub written_by: String,
    /// Files read in full, by absolute path.
    pub files: HashMap<Box<str>, FileState>,
    /// Files whose documents may be partly indexed: (absolute path, path
    /// as stored in the index).
    pub pending: Vec<(Box<str>, Box<str>)>,
}

/// The relative path stored in a manifest key.
pub fn rel_of<'k>(key: &'k str, state: &FileState) -> &'k str {
    key.get(state.rel_start as usize..).unwrap_or(key)
}

fn manifest_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("{PREFIX}{generation}{SUFFIX}"))
}

impl Manifest {
    /// Loads generation `generation` from the index directory.
    pub fn load(dir: &Path, generation: u64) -> Result<Manifest> {
        let path = manifest_path(dir, generation);
        let file = File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut r = Hashing {
            inner: BufReader::new(file),
            hash: Fnv::default(),
        };
        let mut magic = [0u8; 8];
        r.read_exact(&mut magic)?;
        if &magic != MAGIC {
            bail!("{} is not an akhbar manifest", path.display());
        }
        let version = read_u32(&mut r)?;
        if version != FORMAT_VERSION {
            bail!(
                "{} has manifest format {version}, expected {FORMAT_VERSION}",
                path.display()
            );
        }
        let stored_generation = read_u64(&mut r)?;
        let written_by = read_str(&mut r)?;
        let count = read_u64(&mut r)?;
        let mut files = HashMap::with_capacity(count as usize);
        for _ in 0..count {
            let key = read_str(&mut r)?;
            let rel_start = read_u32(&mut r)?;
            let size = read_u64(&mut r)?;
            let mtime = read_u64(&mut r)? as i64;
            let failed = read_u32(&mut r)? != 0;
            let duplicates = read_u32(&mut r)?;
            let options = read_u32(&mut r)?;
            let n = read_u32(&mut r)? as usize;
            let mut keys = Vec::with_capacity(n);
            for _ in 0..n {
                keys.push([read_u64(&mut r)?, read_u64(&mut r)?]);
            }
            files.insert(
                key.into_boxed_str(),
                FileState {
                    rel_start,
                    size,
                    mtime,
                    failed,
                    duplicates,
                    options,
                    keys: keys.into_boxed_slice(),
                },
            );
        }
        let pending_count = read_u64(&mut r)?;
        let mut pending = Vec::with_capacity(pending_count as usize);
        for _ in 0..pending_count {
            let key = read_str(&mut r)?;
            let rel = read_str(&mut r)?;
            pending.push((key.into_boxed_str(), rel.into_boxed_str()));
        }
        let expected = r.hash.finish();
        if read_u64(&mut r)? != expected || stored_generation != generation {
            bail!("{} is damaged (checksum mismatch)", path.display());
        }
        Ok(Manifest {
            generation,
            written_by,
            files,
            pending,
        })
    }

    /// Writes this manifest as generation `generation`, durably (written to
    /// a temporary file, synced, renamed), ready to be named by a commit.
    pub fn write(
        dir: &Path,
        generation: u64,
        files: &HashMap<Box<str>, FileState>,
        pending: &[(Box<str>, Box<str>)],
    ) -> Result<()> {
        let path = manifest_path(dir, generation);
        let tmp = dir.join(format!("{PREFIX}{generation}{SUFFIX}.tmp"));
        let result = (|| -> io::Result<()> {
            let file = File::create(&tmp)?;
            let mut w = Hashing {
                inner: BufWriter::with_capacity(1 << 20, file),
                hash: Fnv::default(),
            };
            w.write_all(MAGIC)?;
            w.write_all(&FORMAT_VERSION.to_le_bytes())?;
            w.write_all(&generation.to_le_bytes())?;
            write_str(&mut w, concat!("akhbar ", env!("CARGO_PKG_VERSION")))?;
            w.write_all(&(files.len() as u64).to_le_bytes())?;
            for (key, state) in files {
                write_str(&mut w, key)?;
                w.write_all(&state.rel_start.to_le_bytes())?;
                w.write_all(&state.size.to_le_bytes())?;
                w.write_all(&(state.mtime as u64).to_le_bytes())?;
                w.write_all(&u32::from(state.failed).to_le_bytes())?;
                w.write_all(&state.duplicates.to_le_bytes())?;
                w.write_all(&state.options.to_le_bytes())?;
                w.write_all(&(state.keys.len() as u32).to_le_bytes())?;
                for [a, b] in state.keys.iter() {
                    w.write_all(&a.to_le_bytes())?;
                    w.write_all(&b.to_le_bytes())?;
                }
            }
            w.write_all(&(pending.len() as u64).to_le_bytes())?;
            for (key, rel) in pending {
                write_str(&mut w, key)?;
                write_str(&mut w, rel)?;
            }
            let checksum = w.hash.finish();
            w.write_all(&checksum.to_le_bytes())?;
            let file = w.inner.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            fs::rename(&tmp, &path)?;
            // Make the rename itself durable.
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
            Ok(())
        })();
        result.with_context(|| format!("cannot write the ingestion manifest {}", path.display()))
    }

    /// Removes manifests other than `keep` (and temporary files) left by
    /// earlier commits or killed runs.
    pub fn remove_others(dir: &Path, keep: Option<u64>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let Some(rest) = name.strip_prefix(PREFIX) else {
                continue;
            };
            let generation = rest
                .strip_suffix(SUFFIX)
                .and_then(|g| g.parse::<u64>().ok());
            let is_ours = generation.is_some() || rest.ends_with(".tmp");
            if is_ours && (generation.is_none() || generation != keep) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Hashes every byte read or written through it.
struct Hashing<T> {
    inner: T,
    hash: Fnv,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.write(&buf[..n]);
        Ok(n)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.write(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn read_u32(r: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn read_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn read_str(r: &mut impl Read) -> io::Result<String> {
    let len = read_u32(r)? as usize;
    if len > 1 << 20 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "string too long",
        ));
    }
    let mut b = vec![0u8; len];
    r.read_exact(&mut b)?;
    String::from_utf8(b).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

fn write_str(w: &mut impl Write, s: &str) -> io::Result<()> {
    w.write_all(&(s.len() as u32).to_le_bytes())?;
    w.write_all(s.as_bytes())
}

/// 64-bit FNV-1a: stable across releases and platforms, unlike std's hasher.
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub fn finish(self) -> u64 {
        self.0
    }

    pub fn hash(bytes: &[u8]) -> u64 {
        let mut h = Fnv::default();
        h.write(bytes);
        h.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage_detection() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = HashMap::new();
        files.insert(
            "/a/b/c.txt".into(),
            FileState {
                rel_start: 5,
                size: 10,
                mtime: -3,
                failed: false,
                duplicates: 1,
                options: 9,
                keys: vec![[1, 2], [3, 0]].into_boxed_slice(),
            },
        );
        let pending = vec![("/a/b/d.txt".into(), "d.txt".into())];
        Manifest::write(dir.path(), 7, &files, &pending).unwrap();
        let m = Manifest::load(dir.path(), 7).unwrap();
        assert_eq!(m.files, files);
        assert_eq!(m.pending, pending);
        let key: &str = "/a/b/c.txt";
        assert_eq!(rel_of(key, &m.files[key]), "c.txt");

        let path = manifest_path(dir.path(), 7);
        let mut bytes = fs::read(&path).unwrap();
        let n = bytes.len();
        bytes[n - 12] ^= 1;
        fs::write(&path, bytes).unwrap();
        assert!(Manifest::load(dir.path(), 7).is_err());

        Manifest::write(dir.path(), 8, &files, &pending).unwrap();
        fs::write(dir.path().join("ingest-9.manifest.tmp"), "x").unwrap();
        Manifest::remove_others(dir.path(), Some(8));
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(left, ["ingest-8.manifest"]);
    }
}
