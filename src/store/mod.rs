//! The project file. This module is the only code that touches SQLite.
//!
//! A project is one SQLite file in WAL mode with foreign keys on. Every write that a user
//! action causes goes through [`Store::write`], which runs it in one transaction, so a crash
//! loses at most the action in flight.

mod all_vs_all;
mod audit;
mod blind;
mod changes;
mod curation;
mod domain_sql;
mod embeddings;
mod error;
mod hub_assignments;
mod hub_conflicts;
mod hub_link;
mod identities;
mod ids;
mod image_stats;
mod images;
mod info;
mod label_quality;
mod labelers;
mod labels;
mod merge_decisions;
mod merge_rows;
mod migrate;
mod models;
mod orphaned_projects;
mod pairs;
mod read_only;
mod review;
mod review_read;
mod runs;
mod snapshot;
mod suggestions;
mod tag_edit;
mod tags;
mod write_lock;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use all_vs_all::IdentityImage;
pub use blind::{NotBlindLabel, Reveal, RevealHow};
pub use changes::LabelChanges;
pub use curation::{AdjudicationRow, ExportRecord, ModelRecord, NewExport, SplitRunRecord, TagRow, VerdictRow};
pub use embeddings::{CachedEmbedding, ImageEmbedding, ImageToEmbed};
pub use error::{StoreError, WriteRefused};
pub use hub_link::{ClonedImage, ClonedPair, ClonedTag, HubLink, SharedImage, SharedLabel};
pub use identities::IdentityChange;
pub use ids::{ImageId, LabelerId, ModelId, PairId, RootId, TagId};
pub use image_stats::{MonitoredPhoto, PhotoStats, PhotoStatsByPair};
pub use images::{ImageRecord, NewImage};
pub use info::{LabelerInfo, ModelInfo, ProjectInfo, TagInfo};
pub use label_quality::{QualityFacts, TagExample};
pub use labelers::{Labeler, Role, validate_labeler_name};
pub use labels::{LabelChange, Origin};
pub use merge_decisions::NoteRow;
pub use merge_rows::{EventRow, PairHashes};
pub use migrate::SCHEMA_VERSION;
pub use models::{ModelKind, ScoreChange, ScoredModel};
pub use pairs::{NewPair, PairRecord};
pub use review::{Adjudication, Decision, ModelScores, ReviewData, ReviewImage, ReviewPair};
pub use runs::RunRecord;
pub use snapshot::ProjectSnapshot;
pub use tag_edit::TagEdit;
pub use tags::{NewTag, Tag, validate_tag_name};
pub use write_lock::{WAITING_MESSAGE, WaitNotice, Waiting};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// "PSCP": marks an SQLite file as a pairscope project, so we never migrate a stranger's file.
const APPLICATION_ID: i32 = 0x5053_4350;

/// An open project file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Told when a write waits for another writer (see [`Store::on_wait`]).
    wait_notice: Option<WaitNotice>,
}

/// A transaction. All typed writes live on this type; a write commits only through
/// [`Store::write`], so an error anywhere rolls the whole action back.
pub struct Tx<'a> {
    conn: &'a Connection,
    /// Ids of audit-log texts used in this transaction (see `audit.rs`).
    audit_texts: std::cell::RefCell<std::collections::HashMap<String, i64>>,
}

impl Store {
    /// Creates a new, empty project file. Refuses to touch an existing file.
    pub fn create(path: &Path) -> Result<Self> {
        Self::create_with(path, |_| Ok::<_, StoreError>(()))?;
        Self::open(path)
    }

    /// Creates a project at `path` and fills it with `fill`, leaving no file at all unless
    /// `fill` succeeds: the project is made under a hidden name beside `path` and moved into
    /// place only at the end (a failed import leaves no empty project behind). Refuses to
    /// touch an existing file. Messages name `path`.
    pub fn create_with<T, E>(
        path: &Path,
        fill: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        if path.exists() {
            return Err(StoreError::AlreadyExists(path.to_owned()).into());
        }
        let name = path.file_name().map_or_else(|| "project".into(), |n| n.to_string_lossy().into_owned());
        orphaned_projects::remove(path, &name);
        let unfinished = path.with_file_name(format!(".{name}.new-{}", std::process::id()));
        let built = Self::build(&unfinished, path, fill);
        for end in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{end}", unfinished.display()));
        }
        built
    }

    /// [`create_with`](Self::create_with)'s work: the project made in `unfinished`, filled,
    /// closed and linked to `path`.
    fn build<T, E>(
        unfinished: &Path,
        path: &Path,
        fill: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(unfinished, flags).map_err(|e| StoreError::at(path, e))?;
        let mut store = Self::init(conn, path)?;
        let value = fill(&mut store)?;
        // Closed before the move, so its -wal is folded into the file and gone.
        store.conn.close().map_err(|(_, e)| StoreError::at(path, e))?;
        // A link, unlike a rename, never replaces a file made meanwhile under `path`.
        std::fs::hard_link(unfinished, path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => StoreError::AlreadyExists(path.to_owned()),
            _ => StoreError::CannotWrite { path: path.to_owned(), why: WriteRefused::Disk(e.to_string()) },
        })?;
        Ok(value)
    }

    /// Opens an existing project file, applying any pending migrations. A file the disk will
    /// not let us write is opened to read only (see [`Store::read_only`]), so that nothing is
    /// left beside it either.
    pub fn open(path: &Path) -> Result<Self> {
        if !path.is_file() {
            return Err(StoreError::NotFound(path.to_owned()));
        }
        if !read_only::file_writable(path) {
            return Self::open_to_read(path);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::at(path, e))?;
        Self::init(conn, path)
    }

    /// Opens a project to read it only (`info`, `report`): nothing is written to the file,
    /// not even a migration, so it works on a read-only file, folder or mount. See
    /// `read_only.rs` for how.
    pub fn open_to_read(path: &Path) -> Result<Self> {
        let conn = read_only::connection(path)?;
        Ok(Store { conn, path: path.to_owned(), wait_notice: None })
    }

    /// Opens the project for editing if it can be written, and for reading only otherwise
    /// (the GUI, which then says so: see [`Store::read_only`]).
    pub fn open_to_edit_or_read(path: &Path) -> Result<Self> {
        match Self::open(path) {
            Err(StoreError::CannotWrite { why: WriteRefused::ReadOnlyFile | WriteRefused::ReadOnlyFolder, .. }) => {
                Self::open_to_read(path)
            }
            other => other,
        }
    }

    /// Why this project cannot be written, if it cannot: opened to read only, or a file SQLite
    /// opened read-only because the disk would not let it write.
    pub fn read_only(&self) -> Option<WriteRefused> {
        read_only::refusal(&self.conn, &self.path)
    }

    fn init(conn: Connection, path: &Path) -> Result<Self> {
        let at = |e| StoreError::at(path, e);
        conn.busy_timeout(write_lock::STATEMENT_TIMEOUT).map_err(at)?;
        // Everything before migrate::check only reads: a file we refuse stays byte-identical.
        migrate::check(&conn, path)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(at)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(at)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(at)?;
        // Room for every statement a bulk write repeats (the default 16 thrash), and a page
        // cache that holds the hot ends of a million-pair project's indexes.
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "cache_size", -65536).map_err(at)?;
        let store = Store { conn, path: path.to_owned(), wait_notice: None };
        migrate::apply(&store.conn, path)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Tells `notice` when a write has to wait because another pairscope (or another
    /// connection) is writing the file, and when the wait is over. Writes wait as long as it
    /// takes; without a notice they wait silently.
    pub fn on_wait(&mut self, notice: impl Fn(Waiting) + Send + Sync + 'static) {
        self.wait_notice = Some(std::sync::Arc::new(notice));
    }

    /// Runs `f` in one transaction; commits if it returns Ok, rolls back otherwise (a panic
    /// in `f` rolls back too). Waits while another writer holds the file.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Tx) -> std::result::Result<T, E>) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        self.transaction(f, true)
    }

    /// Runs `f` as `write` does, then rolls everything back: what a write would do, without
    /// doing it (previews).
    pub fn dry_run<T, E>(&mut self, f: impl FnOnce(&Tx) -> std::result::Result<T, E>) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        self.transaction(f, false)
    }

    fn transaction<T, E>(
        &mut self,
        f: impl FnOnce(&Tx) -> std::result::Result<T, E>,
        commit: bool,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        write_lock::in_transaction(&self.conn, &self.path, self.wait_notice.as_ref(), commit, |conn| f(&Tx::new(conn)))
    }

    /// Runs `f` against a read snapshot (a deferred transaction that is never committed).
    pub fn read<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction().map_err(|e| StoreError::at(&self.path, e))?;
        f(&Tx::new(&tx))
    }

    /// A number that changes whenever another connection (another process, or a worker
    /// thread's own connection) commits to the file; this connection's commits leave it as is.
    pub fn data_version(&self) -> Result<i64> {
        self.conn.query_row("PRAGMA data_version", [], |r| r.get(0)).map_err(|e| StoreError::at(&self.path, e))
    }

    /// `PRAGMA integrity_check`; Ok(()) when the file is sound.
    pub fn integrity_check(&self) -> Result<()> {
        let verdict: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| StoreError::at(&self.path, e))?;
        if verdict == "ok" { Ok(()) } else { Err(StoreError::Corrupt { path: self.path.clone(), detail: verdict }) }
    }

    /// A value from the project's key/value metadata.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row("SELECT value FROM project_meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(StoreError::from)
    }
}

impl<'a> Tx<'a> {
    fn new(conn: &'a Connection) -> Self {
        Tx { conn, audit_texts: Default::default() }
    }
}

impl Tx<'_> {
    fn conn(&self) -> &Connection {
        self.conn
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO project_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

/// The SQL expression for "now" that every timestamp column uses (UTC, milliseconds).
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// "Now" as milliseconds since 1970 (UTC): the same instant as [`NOW`], in 6 bytes instead of
/// 24, for the columns a million-pair project holds millions of (migration 0006). SQLite reads
/// the clock once per statement, so both parts agree.
const NOW_MS: &str =
    "(CAST(strftime('%s', 'now') AS INTEGER) * 1000 + CAST(substr(strftime('%f', 'now'), 4, 3) AS INTEGER))";

#[cfg(test)]
pub(crate) mod test_util {
    use super::*;
    use crate::domain::Truth;

    /// A fresh project in a temporary directory; the directory lives as long as the guard.
    pub fn temp_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::create(&dir.path().join("t.pairscope")).expect("create store");
        (dir, store)
    }

    /// A pair between two images under `/data`, each added if new (its path doubles as its
    /// content hash).
    pub fn test_pair(tx: &Tx, external_id: &str, a: &str, b: &str, truth: Option<Truth>) -> Result<PairId> {
        let root = tx.image_root("/data")?;
        let image = |p| tx.upsert_image(&NewImage { root, path: p, sha256: p, bytes: 1, dimensions: None });
        let (a, _) = image(a)?;
        let (b, _) = image(b)?;
        tx.insert_pair(&NewPair {
            external_id: Some(external_id),
            image_a: a,
            image_b: b,
            truth,
            split: None,
            source: "test",
            metadata: &serde_json::json!({}),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_version_moves_on_commits_by_other_connections_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.pairscope");
        let mut mine = super::Store::create(&path).unwrap();
        let mut other = super::Store::open(&path).unwrap();
        let v0 = mine.data_version().unwrap();
        mine.write(|tx| tx.labeler_or_create("ana").map(|_| ())).unwrap();
        assert_eq!(mine.data_version().unwrap(), v0, "my own commit");
        other.write(|tx| tx.labeler_or_create("ben").map(|_| ())).unwrap();
        assert_ne!(mine.data_version().unwrap(), v0, "another connection's commit");
    }
}
