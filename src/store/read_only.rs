//! Reading a project without writing to it: `info`, `report`, and the GUI on a project that
//! cannot be written (a read-only file, folder or mount).
//!
//! A project is in WAL mode, and SQLite reads a WAL-mode file through two files beside it
//! (`-wal`, `-shm`). How a reader gets them depends on what the disk allows:
//! - file and folder writable: a read-write connection with `PRAGMA query_only`, so SQLite
//!   can fold and delete its `-wal` and `-shm` on close as it always does, and no statement
//!   can write;
//! - file or folder read-only, with a `-wal` or `-shm` beside it (another pairscope has it
//!   open): a read-only connection that uses them;
//! - file or folder read-only without them (a read-only mount after a clean close):
//!   `immutable=1`, SQLite's documented way to read a WAL-mode file on read-only media,
//!   which makes no `-wal` or `-shm` (a plain read-only connection would leave both behind).
//!
//! A project of an older schema is not migrated (that would write): it is copied into memory
//! and the copy is migrated, so the reader sees today's schema. Reading never creates a file:
//! an empty or missing file is refused.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::migrate::{self, SCHEMA_VERSION};
use super::{Result, StoreError, WriteRefused};

/// A connection that reads `path` and cannot write it.
pub(super) fn connection(path: &Path) -> Result<Connection> {
    let metadata = std::fs::metadata(path).ok().filter(|m| m.is_file());
    let Some(metadata) = metadata else { return Err(StoreError::NotFound(path.to_owned())) };
    let not_a_project = |why: &str| StoreError::NotAProject { path: path.to_owned(), why: why.into() };
    if metadata.len() == 0 {
        return Err(not_a_project("empty file"));
    }
    let at = |e| StoreError::at(path, e);
    let conn = open(path).map_err(at)?;
    conn.busy_timeout(super::write_lock::STATEMENT_TIMEOUT).map_err(at)?;
    migrate::check(&conn, path)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(at)?;
    if version < 1 {
        return Err(not_a_project("it has no pairscope schema"));
    }
    let conn = if version < SCHEMA_VERSION { migrated_copy(&conn, path)? } else { conn };
    conn.pragma_update(None, "query_only", true).map_err(at)?;
    conn.pragma_update(None, "foreign_keys", "ON").map_err(at)?;
    Ok(conn)
}

fn open(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let folder_writable = migrate::folder_takes_new_files(path);
    if folder_writable && file_writable(path) {
        return Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_READ_WRITE);
    }
    // Without a -wal and -shm beside it, nobody has the file open, and nobody can write it
    // (it or its folder is read-only): reading it as immutable makes no -wal or -shm either.
    let beside = |end: &str| PathBuf::from(format!("{}-{end}", path.display()));
    let immutable = !beside("shm").exists() && !beside("wal").exists();
    let query = if immutable { "?immutable=1" } else { "?mode=ro" };
    Connection::open_with_flags(format!("{}{query}", uri(path)), flags | OpenFlags::SQLITE_OPEN_READ_ONLY)
}

/// `file:` URI of a path: the characters a URI gives meaning to, and every non-ASCII byte
/// (so a non-UTF-8 name survives), are escaped; SQLite decodes them.
fn uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for &byte in path.as_os_str().as_encoded_bytes() {
        match byte {
            b'%' | b'?' | b'#' => uri.push_str(&format!("%{byte:02X}")),
            _ if byte.is_ascii() => uri.push(byte as char),
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

/// Whether the file itself takes writes (tried, as permissions do not tell for root, an
/// immutable file or a read-only mount; opening for writing writes nothing).
pub(super) fn file_writable(path: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// A project of an older schema, copied into memory and migrated there.
fn migrated_copy(conn: &Connection, path: &Path) -> Result<Connection> {
    let at = |e| StoreError::at(path, e);
    let mut copy = Connection::open_in_memory().map_err(at)?;
    rusqlite::backup::Backup::new(conn, &mut copy)
        .and_then(|b| b.run_to_completion(1024, std::time::Duration::ZERO, None))
        .map_err(at)?;
    copy.pragma_update(None, "foreign_keys", "ON").map_err(at)?;
    migrate::apply(&copy, path)?;
    Ok(copy)
}

/// Why `conn` cannot write `path`, if it cannot.
pub(super) fn refusal(conn: &Connection, path: &Path) -> Option<WriteRefused> {
    let query_only = conn.query_row("PRAGMA query_only", [], |r| r.get::<_, bool>(0)).unwrap_or(false);
    if !query_only && !conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
        return None;
    }
    Some(if !file_writable(path) {
        WriteRefused::ReadOnlyFile
    } else if !migrate::folder_takes_new_files(path) {
        WriteRefused::ReadOnlyFolder
    } else {
        WriteRefused::OpenedToRead
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_is_refused_and_stays_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.pairscope");
        std::fs::write(&path, b"").unwrap();
        let err = crate::store::Store::open_to_read(&path).err().unwrap().to_string();
        assert!(err.contains("not a pairscope project (empty file)"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"");
    }

    #[test]
    fn a_project_opened_to_read_refuses_writes_and_leaves_nothing_beside_it() {
        let (dir, store) = crate::store::test_util::temp_store();
        let path = store.path().to_owned();
        drop(store);
        let mut store = crate::store::Store::open_to_read(&path).unwrap();
        assert_eq!(store.read_only(), Some(WriteRefused::OpenedToRead));
        let err = store.write(|tx| tx.labeler_or_create("ana")).unwrap_err().to_string();
        assert_eq!(err, format!("cannot write to {}: it was opened to read only", path.display()));
        drop(store);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, ["t.pairscope"]);
    }

    #[test]
    fn uri_escapes_what_a_uri_means() {
        assert_eq!(uri(Path::new("/a b/c?d#e%f.pairscope")), "file:/a b/c%3Fd%23e%25f.pairscope");
        assert_eq!(uri(Path::new("/é")), "file:/%C3%A9");
    }
}
