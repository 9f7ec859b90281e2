use std::cell::RefCell;
use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

/// Everything that can go wrong with a project file, phrased for the person who owns it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}: no such project file")]
    NotFound(PathBuf),
    #[error("{0}: already exists; refusing to overwrite it")]
    AlreadyExists(PathBuf),
    #[error(
        "{path}: written by a newer pairscope (schema version {found}; this build knows up to \
         {known}). Upgrade pairscope to open it; the file was not modified"
    )]
    TooNew { path: PathBuf, found: i64, known: i64 },
    #[error("{path}: not a pairscope project ({why}); the file was not modified")]
    NotAProject { path: PathBuf, why: String },
    #[error("{path}: integrity check failed: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    /// The disk refuses the write: nothing of it was saved.
    #[error("cannot write to {}: {why}", path.display())]
    CannotWrite { path: PathBuf, why: WriteRefused },
    #[error("{path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("{0}")]
    Sql(rusqlite::Error),
    #[error("{0}")]
    Invalid(String),
}

/// Why the disk refuses a write, in the owner's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteRefused {
    #[error("the file is read-only")]
    ReadOnlyFile,
    #[error(
        "its folder is read-only (while a project is open, pairscope keeps two files beside it, \
         ending in -wal and -shm)"
    )]
    ReadOnlyFolder,
    /// Opened to read only, although the disk would take writes (`info`, `report`).
    #[error("it was opened to read only")]
    OpenedToRead,
    #[error("the disk is full")]
    DiskFull,
    #[error("the disk reported an error ({0})")]
    Disk(String),
}

impl WriteRefused {
    /// The refusal behind an SQLite error, if it is one.
    fn of(error: &rusqlite::Error) -> Option<WriteRefused> {
        let failure = error.sqlite_error()?;
        match failure.code {
            ErrorCode::ReadOnly if failure.extended_code == rusqlite::ffi::SQLITE_READONLY_DIRECTORY => {
                Some(WriteRefused::ReadOnlyFolder)
            }
            ErrorCode::ReadOnly => Some(WriteRefused::ReadOnlyFile),
            ErrorCode::DiskFull => Some(WriteRefused::DiskFull),
            ErrorCode::SystemIoFailure => Some(WriteRefused::Disk(error.to_string())),
            _ => None,
        }
    }
}

thread_local! {
    /// The file a transaction on this thread is writing, so that a refusal deep inside a typed
    /// query (which only has `?` to report it) still names the file.
    static WRITING: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

/// Marks this thread as writing `path` until dropped (nested writes restore the outer file).
pub(super) struct WritingTo {
    outer: Option<PathBuf>,
}

impl WritingTo {
    pub(super) fn enter(path: &Path) -> WritingTo {
        WritingTo { outer: WRITING.with(|w| w.replace(Some(path.to_owned()))) }
    }
}

impl Drop for WritingTo {
    fn drop(&mut self) {
        let outer = self.outer.take();
        WRITING.with(|w| *w.borrow_mut() = outer);
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        // Only refusals gain the file's name here; other errors read as they always did.
        match (WriteRefused::of(&error), WRITING.with(|w| w.borrow().clone())) {
            (Some(why), Some(path)) => StoreError::CannotWrite { path, why },
            _ => StoreError::Sql(error),
        }
    }
}

impl StoreError {
    pub(crate) fn at(path: &Path, source: rusqlite::Error) -> Self {
        match WriteRefused::of(&source) {
            Some(why) => StoreError::CannotWrite { path: path.to_owned(), why },
            None => StoreError::Sqlite { path: path.to_owned(), source },
        }
    }

    /// Another connection holds the write lock (what retrying can cure).
    pub(super) fn is_busy(error: &rusqlite::Error) -> bool {
        error.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;

    use super::*;
    use crate::store::Store;

    /// Takes write permission away from a file or folder for as long as it lives. Root ignores
    /// permissions, so as root the file is also made immutable (`chattr +i`).
    struct Frozen(PathBuf);

    impl Frozen {
        fn new(path: &Path) -> Frozen {
            let mode = if path.is_dir() { 0o555 } else { 0o444 };
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
            // SAFETY: geteuid has no preconditions.
            if unsafe { libc::geteuid() } == 0 {
                let status = Command::new("chattr").arg("+i").arg(path).status().expect("running chattr");
                assert!(status.success(), "chattr +i {} (needed to take writing away from root)", path.display());
            }
            Frozen(path.to_owned())
        }
    }

    impl Drop for Frozen {
        fn drop(&mut self) {
            // SAFETY: geteuid has no preconditions.
            if unsafe { libc::geteuid() } == 0 {
                let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
            }
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        }
    }

    fn closed_project(dir: &Path) -> PathBuf {
        let path = dir.join("p.pairscope");
        Store::create(&path).unwrap();
        path
    }

    #[test]
    fn a_read_only_file_is_named_and_still_readable() {
        let dir = tempfile::tempdir().unwrap();
        let path = closed_project(dir.path());
        let _frozen = Frozen::new(&path);
        let mut store = Store::open(&path).expect("a read-only project still opens for reading");
        assert!(store.read(|tx| tx.labelers()).unwrap().is_empty());
        let err = store.write(|tx| tx.labeler_or_create("ana").map(|_| ())).unwrap_err();
        assert_eq!(err.to_string(), format!("cannot write to {}: the file is read-only", path.display()));
    }

    #[test]
    fn a_read_only_folder_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("shared");
        std::fs::create_dir(&folder).unwrap();
        let path = closed_project(&folder);
        let _frozen = Frozen::new(&folder);
        let err = Store::open(&path).err().expect("no -wal and -shm can be made beside it");
        let text = err.to_string();
        assert!(text.starts_with(&format!("cannot write to {}: its folder is read-only", path.display())), "{text}");
    }

    #[test]
    fn a_full_disk_inside_a_write_is_named_and_nothing_of_it_stays() {
        let (_dir, mut store) = crate::store::test_util::temp_store();
        // The file may not grow: to SQLite exactly what a full disk is (SQLITE_FULL).
        let pages: i64 = store.conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
        store.conn.pragma_update(None, "max_page_count", pages).unwrap();
        let err = store
            .write(|tx| (0..10_000).try_for_each(|i| tx.labeler_or_create(&format!("labeler {i}")).map(|_| ())))
            .unwrap_err();
        assert_eq!(err.to_string(), format!("cannot write to {}: the disk is full", store.path().display()));
        assert!(store.read(|tx| tx.labelers()).unwrap().is_empty());
    }
}
