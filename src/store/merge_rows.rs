//! What merging labels from another project needs: opening a project without changing it,
//! its audit log as stored, and writes that keep another project's history instead of
//! logging the change as new.

use rusqlite::{Connection, OpenFlags};

use super::{LabelerId, NOW_MS, PairId, Result, Role, Store, StoreError, TagId, Tx};
use crate::domain::Truth;

/// One audit-log event as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    pub id: i64,
    pub at: String,
    pub labeler: Option<LabelerId>,
    pub pair: Option<PairId>,
    pub kind: String,
    /// JSON text, None for JSON null.
    pub before: Option<String>,
    pub after: Option<String>,
    pub origin: String,
    pub reason: Option<String>,
    /// On verdict and tag events: whether the label was given blind (None: not a label, or
    /// logged before pairscope recorded it).
    pub blind: Option<bool>,
}

/// The columns `event_from_row` reads, in its order.
pub(super) const EVENT_COLUMNS: &str = "id, at, labeler_id, pair_id, kind, before, after, origin, reason, blind";

/// [`EVENT_COLUMNS`] of a project older than the `blind` column (read, never migrated, by a
/// merge).
const EVENT_COLUMNS_BEFORE_BLIND: &str = "id, at, labeler_id, pair_id, kind, before, after, origin, reason, NULL";

impl Tx<'_> {
    /// The audit-log columns `event_from_row` reads, as this project's schema has them.
    pub(super) fn event_columns(&self) -> Result<&'static str> {
        Ok(if self.has_blind_marks()? { EVENT_COLUMNS } else { EVENT_COLUMNS_BEFORE_BLIND })
    }
}

/// One audit-log row, selected with [`EVENT_COLUMNS`].
pub(super) fn event_from_row(r: &rusqlite::Row) -> rusqlite::Result<EventRow> {
    Ok(EventRow {
        id: r.get(0)?,
        at: r.get(1)?,
        labeler: r.get(2)?,
        pair: r.get(3)?,
        kind: r.get(4)?,
        before: r.get(5)?,
        after: r.get(6)?,
        origin: r.get(7)?,
        reason: r.get(8)?,
        blind: r.get(9)?,
    })
}

/// A pair with the content hashes of its images.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairHashes {
    pub id: PairId,
    pub external_id: Option<String>,
    pub sha256_a: String,
    pub sha256_b: String,
}

impl Store {
    /// Opens a project only to read it: nothing is migrated or written. A project from a newer
    /// pairscope, or a file that is not a project, is refused.
    pub fn open_read_only(path: &std::path::Path) -> Result<Self> {
        if !path.is_file() {
            return Err(StoreError::NotFound(path.to_owned()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::at(path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(|e| StoreError::at(path, e))?;
        super::migrate::check(&conn, path)?;
        let version: i64 =
            conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| StoreError::at(path, e))?;
        if version < 1 {
            return Err(StoreError::NotAProject { path: path.to_owned(), why: "it has no pairscope schema".into() });
        }
        Ok(Store { conn, path: path.to_owned(), wait_notice: None })
    }
}

impl Tx<'_> {
    /// Every event of these kinds, oldest first.
    pub fn label_events_of(&self, kinds: &[&str]) -> Result<Vec<EventRow>> {
        let columns = self.event_columns()?;
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {columns} FROM label_events WHERE kind IN (SELECT value FROM json_each(?1)) ORDER BY id"
        ))?;
        let kinds = serde_json::to_string(kinds).expect("strings serialise");
        let rows = stmt.query_map([kinds], event_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Appends an event with its own time (an event that happened in another project). The id
    /// of `event` is ignored.
    pub fn append_event(&self, event: &EventRow) -> Result<()> {
        self.insert_event(&super::labels::NewEvent {
            at: Some(&event.at),
            labeler: event.labeler,
            pair: event.pair,
            kind: &event.kind,
            before: event.before.clone(),
            after: event.after.clone(),
            origin: &event.origin,
            reason: event.reason.as_deref(),
            blind: event.blind,
        })
    }

    /// Sets a verdict WITHOUT logging it. Outside this module only for a merge that appends the
    /// other project's events for the change (see `curate::merge`); `set_verdict` logs, then
    /// writes through here. `blind`: whether the labeler gave it blind.
    pub fn put_verdict_with_copied_history(
        &self,
        pair: PairId,
        labeler: LabelerId,
        verdict: Option<Truth>,
        blind: bool,
    ) -> Result<()> {
        match verdict {
            Some(v) => self
                .conn()
                .prepare_cached(&format!(
                    "INSERT INTO verdicts (pair_id, labeler_id, verdict, updated_at, blind)
                     VALUES (?1, ?2, ?3, {NOW_MS}, ?4)
                     ON CONFLICT (pair_id, labeler_id) DO UPDATE SET verdict = excluded.verdict,
                     updated_at = excluded.updated_at, blind = excluded.blind"
                ))?
                .execute(rusqlite::params![pair, labeler, v, blind])?,
            None => self
                .conn()
                .prepare_cached("DELETE FROM verdicts WHERE pair_id = ?1 AND labeler_id = ?2")?
                .execute(rusqlite::params![pair, labeler])?,
        };
        Ok(())
    }

    /// Applies or removes a tag WITHOUT logging it: for a merge that appends the other
    /// project's events for the change, and for `set_pair_tag`, which logs. `blind`: whether
    /// the labeler applied it blind.
    pub fn put_pair_tag_with_copied_history(
        &self,
        pair: PairId,
        labeler: LabelerId,
        tag: TagId,
        applied: bool,
        blind: bool,
    ) -> Result<()> {
        if applied {
            self.conn()
                .prepare_cached(&format!(
                    "INSERT INTO pair_tags (pair_id, labeler_id, tag_id, applied_at, blind)
                     VALUES (?1, ?2, ?3, {NOW_MS}, ?4)
                     ON CONFLICT DO NOTHING"
                ))?
                .execute(rusqlite::params![pair, labeler, tag, blind])?;
        } else {
            self.conn()
                .prepare_cached("DELETE FROM pair_tags WHERE pair_id = ?1 AND labeler_id = ?2 AND tag_id = ?3")?
                .execute(rusqlite::params![pair, labeler, tag])?;
        }
        Ok(())
    }

    /// The labeler of this name, created with this role and simulated flag if new.
    pub fn labeler_like(&self, name: &str, role: Role, simulated: bool) -> Result<(super::Labeler, bool)> {
        if let Some(found) = self.find_labeler(name.trim())? {
            return Ok((found, false));
        }
        let (created, _) = self.labeler_or_create(name)?;
        self.conn().execute(
            "UPDATE labelers SET role = ?2, simulated = ?3 WHERE id = ?1",
            rusqlite::params![created.id, role, simulated],
        )?;
        Ok((super::Labeler { role, simulated, ..created }, true))
    }

    /// Every pair with its images' sha256, in id order.
    pub fn pair_hashes(&self) -> Result<Vec<PairHashes>> {
        let mut stmt = self.conn().prepare(
            "SELECT p.id, p.external_id, a.sha256, b.sha256 FROM pairs p
             JOIN images a ON a.id = p.image_a JOIN images b ON b.id = p.image_b ORDER BY p.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PairHashes { id: r.get(0)?, external_id: r.get(1)?, sha256_a: r.get(2)?, sha256_b: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
