//! Opening an index that the user may read but not write: a shared index,
//! read-only media.
//!
//! tantivy's reader takes the index's meta lock while it opens segments, so
//! that a writer's garbage collection does not delete a file being opened;
//! taking it creates and writes a lock file. Where that file cannot be
//! written for lack of permission, [`LockFallback`] hands out a lock that
//! holds nothing instead. That user cannot run a writer, and tantivy writes
//! `meta.json` atomically, so the only race left is a reader opening a
//! segment that another user's writer is just merging away: that reload
//! fails, and the searcher keeps the segments it has until the next commit.

use std::io;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, FileSlice, Lock, WatchCallback, WatchHandle, WritePtr,
};

/// A directory whose locks fall back to no lock when the lock file cannot
/// be written: for searching, never for indexing.
#[derive(Debug, Clone)]
pub struct LockFallback<D>(pub D);

/// Whether a failed lock is for want of the right to write (not because
/// someone holds it, nor another I/O failure, which are reported).
fn not_writable(error: &LockError) -> bool {
    match error {
        LockError::IoError(e) => matches!(
            e.kind(),
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
        ),
        LockError::LockBusy => false,
    }
}

impl<D: Directory + Clone> Directory for LockFallback<D> {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn open_read(&self, path: &Path) -> Result<FileSlice, OpenReadError> {
        self.0.open_read(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.0.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(error) if not_writable(&error) => Ok(DirectoryLock::from(Box::new(()))),
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::directory::RamDirectory;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    use super::*;

    /// A directory where every lock file is refused, as on read-only media.
    #[derive(Debug, Clone)]
    struct Unlockable(RamDirectory, io::ErrorKind);

    impl Directory for Unlockable {
        fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
            self.0.get_file_handle(path)
        }
        fn delete(&self, path: &Path) -> Result<(), DeleteError> {
            self.0.delete(path)
        }
        fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
            self.0.exists(path)
        }
        fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
            self.0.open_write(path)
        }
        fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
            self.0.atomic_read(path)
        }
        fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
            self.0.atomic_write(path, data)
        }
        fn sync_directory(&self) -> io::Result<()> {
            self.0.sync_directory()
        }
        fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
            Err(LockError::wrap_io_error(io::Error::from(self.1)))
        }
        fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
            self.0.watch(watch_callback)
        }
    }

    fn committed() -> RamDirectory {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let ram = RamDirectory::create();
        let index = Index::create(ram.clone(), schema.build(), Default::default()).unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.add_document(doc!(body => "baku")).unwrap();
        writer.commit().unwrap();
        ram
    }

    #[test]
    fn an_unwritable_lock_file_does_not_stop_a_reader() {
        let ram = committed();
        for kind in [
            io::ErrorKind::PermissionDenied,
            io::ErrorKind::ReadOnlyFilesystem,
        ] {
            let bare = Index::open(Unlockable(ram.clone(), kind)).unwrap();
            assert!(bare.reader().is_err(), "tantivy alone needs the lock");
            let index = Index::open(LockFallback(Unlockable(ram.clone(), kind))).unwrap();
            assert_eq!(index.reader().unwrap().searcher().num_docs(), 1);
        }
        // Other failures are still failures.
        let index = Index::open(LockFallback(Unlockable(ram, io::ErrorKind::Other))).unwrap();
        assert!(index.reader().is_err());
    }
}
