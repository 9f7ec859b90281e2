//! One write transaction at a time per file: how a writer takes its turn.
//!
//! SQLite (WAL) lets one connection write while others read. A writer that finds the file
//! busy waits for its turn, however long another pairscope writes, instead of failing after a
//! fixed timeout, and tells its owner that it waits (the CLI prints it, the GUI shows it).
//!
//! What is retried is only ever a step that leaves the transaction whole: `BEGIN IMMEDIATE`
//! (nothing of the transaction has run yet) and `COMMIT` (SQLite keeps the transaction open
//! when COMMIT is busy, so trying again commits all of it). The work inside a transaction
//! never meets a busy file: `BEGIN IMMEDIATE` already holds the write lock.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::Connection;

use super::StoreError;
use super::error::WritingTo;

/// What a writer reports while it waits for another writer to finish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waiting {
    /// The file is busy; the writer waits for its turn (reported once per wait).
    Started,
    /// The wait is over (the writer has its turn, or gave up with an error).
    Over,
}

/// The words for [`Waiting::Started`], shared by the CLI and the GUI.
pub const WAITING_MESSAGE: &str = "waiting for another pairscope to finish writing…";

/// Called from the writing thread on every change of [`Waiting`].
pub type WaitNotice = Arc<dyn Fn(Waiting) + Send + Sync>;

/// How long one attempt lets SQLite's own busy handler retry before we report a wait.
const ATTEMPT: Duration = Duration::from_millis(200);
/// The busy timeout everywhere else (reads; statements inside a transaction never need it).
pub(super) const STATEMENT_TIMEOUT: Duration = Duration::from_secs(5);

/// Tracks one wait, so its notice fires once when it starts and once when it ends.
struct Wait<'a> {
    notice: Option<&'a WaitNotice>,
    waiting: bool,
}

impl<'a> Wait<'a> {
    fn new(notice: Option<&'a WaitNotice>) -> Self {
        Wait { notice, waiting: false }
    }

    fn busy(&mut self) {
        if !self.waiting {
            self.waiting = true;
            tracing::info!("the project file is busy; waiting for the other writer");
            if let Some(notice) = self.notice {
                notice(Waiting::Started);
            }
        }
    }
}

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        if self.waiting
            && let Some(notice) = self.notice
        {
            notice(Waiting::Over);
        }
    }
}

/// Rolls the transaction back unless it was committed, whatever way the writer leaves
/// (an error, or a panic in the middle of it): a half-done write never stays open.
struct Open<'a> {
    conn: &'a Connection,
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// Runs `f` in one write transaction on `conn`, waiting for the file as long as another
/// writer holds it. Commits if `commit` and `f` returned Ok; rolls back otherwise.
pub(super) fn in_transaction<T, E>(
    conn: &Connection,
    path: &Path,
    notice: Option<&WaitNotice>,
    commit: bool,
    f: impl FnOnce(&Connection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StoreError>,
{
    let _naming = WritingTo::enter(path);
    // SQLite opens a file it may not write read-only without a word; say so before any work.
    if let Some(why) = super::read_only::refusal(conn, path) {
        return Err(StoreError::CannotWrite { path: path.to_owned(), why }.into());
    }
    let mut wait = Wait::new(notice);
    retry_while_busy(conn, path, &mut wait, "BEGIN IMMEDIATE")?;
    let open = Open { conn };
    let value = f(conn)?;
    if commit {
        retry_while_busy(conn, path, &mut wait, "COMMIT")?;
    }
    drop(open);
    Ok(value)
}

/// Runs a statement that takes or gives up the write lock, retrying it for as long as the
/// file is busy.
fn retry_while_busy(conn: &Connection, path: &Path, wait: &mut Wait<'_>, sql: &str) -> Result<(), StoreError> {
    let at = |e| StoreError::at(path, e);
    conn.busy_timeout(ATTEMPT).map_err(at)?;
    let result = loop {
        match conn.execute_batch(sql) {
            Err(e) if StoreError::is_busy(&e) => wait.busy(),
            other => break other,
        }
    };
    conn.busy_timeout(STATEMENT_TIMEOUT).map_err(at)?;
    result.map_err(at)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::mpsc::channel;

    use super::*;
    use crate::store::Store;

    /// Longer than the 5 s that made writers fail before.
    const HOLD: Duration = Duration::from_secs(6);

    #[test]
    fn a_writer_waits_for_a_long_write_lock_and_then_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.pairscope");
        let mut store = Store::create(&path).unwrap();
        let events = Arc::new(Mutex::new(Vec::new()));
        let seen = events.clone();
        store.on_wait(move |w| seen.lock().unwrap().push(w));

        // Another connection takes the write lock and keeps it past the old timeout.
        let (locked_tx, locked) = channel();
        let holder = std::thread::spawn({
            let path = path.clone();
            move || {
                let other = Connection::open(&path).unwrap();
                other
                    .execute_batch("BEGIN IMMEDIATE; INSERT INTO labelers (name, created_at) VALUES ('holder', 'now')")
                    .unwrap();
                locked_tx.send(()).unwrap();
                std::thread::sleep(HOLD);
                other.execute_batch("COMMIT").unwrap();
            }
        });
        locked.recv().unwrap();
        store.write(|tx| tx.labeler_or_create("ana").map(|_| ())).expect("the write waits, then succeeds");
        holder.join().unwrap();

        assert_eq!(*events.lock().unwrap(), [Waiting::Started, Waiting::Over], "told once that it waits");
        let names: Vec<String> = store.read(|tx| tx.labelers()).unwrap().into_iter().map(|l| l.name).collect();
        assert!(names.contains(&"ana".to_owned()) && names.contains(&"holder".to_owned()), "{names:?}");
    }

    #[test]
    fn an_uncontended_write_reports_no_wait() {
        let (_dir, mut store) = crate::store::test_util::temp_store();
        let events = Arc::new(Mutex::new(Vec::new()));
        let seen = events.clone();
        store.on_wait(move |w| seen.lock().unwrap().push(w));
        store.write(|tx| tx.labeler_or_create("ana").map(|_| ())).unwrap();
        assert!(events.lock().unwrap().is_empty());
    }

    #[test]
    fn a_panic_inside_a_write_rolls_it_back_and_the_store_writes_on() {
        let (_dir, mut store) = crate::store::test_util::temp_store();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store
                .write(|tx| {
                    tx.labeler_or_create("half")?;
                    panic!("in the middle of a write");
                    #[allow(unreachable_code)]
                    Ok::<_, StoreError>(())
                })
                .unwrap();
        }));
        assert!(panicked.is_err());
        store.write(|tx| tx.labeler_or_create("whole").map(|_| ())).unwrap();
        let names: Vec<String> = store.read(|tx| tx.labelers()).unwrap().into_iter().map(|l| l.name).collect();
        assert_eq!(names, ["whole"]);
    }
}
