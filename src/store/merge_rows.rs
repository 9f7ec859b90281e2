//! What merging labels from another project needs: opening a project without changing it,
//! its audit log as stored, its labels a page of pairs at a time (or row by row, never all at
//! once), and writes that keep another project's history instead of logging the change as
//! new.

use rusqlite::{Connection, OpenFlags};

use super::{
    LabelerId, NOW_MS, NotBlindLabel, NoteRow, PairId, Result, Reveal, RevealHow, Role, Store, StoreError, TagId,
    TagRow, Tx, VerdictRow,
};
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
                     updated_at = excluded.updated_at, blind = excluded.blind,
                     elapsed_ms = NULL"
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

// ---------------------------------------------------------------------------------------------
// A streamed merge's reads: a page of pairs at a time, or row by row.

/// The ids as a JSON list, for `json_each`.
fn id_list(pairs: &[PairId]) -> String {
    serde_json::to_string(pairs).expect("ids serialise")
}

const IN_PAIRS: &str = "pair_id IN (SELECT value FROM json_each(?1))";

impl Tx<'_> {
    /// The current verdicts on these pairs.
    pub fn verdicts_of_pairs(&self, pairs: &[PairId]) -> Result<Vec<VerdictRow>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT pair_id, labeler_id, verdict FROM verdicts WHERE {IN_PAIRS} ORDER BY pair_id, labeler_id"
        ))?;
        let rows = stmt.query_map([id_list(pairs)], |r| {
            Ok(VerdictRow { pair: r.get(0)?, labeler: r.get(1)?, verdict: r.get(2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The tags applied to these pairs, by name.
    pub fn pair_tags_of_pairs(&self, pairs: &[PairId]) -> Result<Vec<TagRow>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT pt.pair_id, pt.labeler_id, t.name FROM pair_tags pt JOIN tags t ON t.id = pt.tag_id
             WHERE pt.{IN_PAIRS} ORDER BY pt.pair_id, pt.labeler_id, t.name COLLATE NOCASE"
        ))?;
        let rows =
            stmt.query_map([id_list(pairs)], |r| Ok(TagRow { pair: r.get(0)?, labeler: r.get(1)?, tag: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The current labels on these pairs given with the answer in view (none in a project
    /// older than migration 0005).
    pub fn not_blind_labels_of_pairs(&self, pairs: &[PairId]) -> Result<Vec<NotBlindLabel>> {
        if !self.has_blind_marks()? {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT pair_id, labeler_id, NULL FROM verdicts WHERE blind = 0 AND {IN_PAIRS}
             UNION ALL
             SELECT pt.pair_id, pt.labeler_id, t.name FROM pair_tags pt JOIN tags t ON t.id = pt.tag_id
             WHERE pt.blind = 0 AND pt.{IN_PAIRS}"
        ))?;
        let rows = stmt.query_map([id_list(pairs)], |r| {
            Ok(NotBlindLabel { pair: r.get(0)?, labeler: r.get(1)?, tag: r.get(2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The notes on these pairs.
    pub fn notes_of_pairs(&self, pairs: &[PairId]) -> Result<Vec<NoteRow>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT pair_id, labeler_id, note FROM pair_notes WHERE {IN_PAIRS} ORDER BY pair_id"
        ))?;
        let rows =
            stmt.query_map([id_list(pairs)], |r| Ok(NoteRow { pair: r.get(0)?, labeler: r.get(1)?, note: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The events of these kinds on these pairs, oldest first.
    pub fn label_events_of_pairs(&self, kinds: &[&str], pairs: &[PairId]) -> Result<Vec<EventRow>> {
        let columns = self.event_columns()?;
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {columns} FROM label_events WHERE {IN_PAIRS} AND kind IN (SELECT value FROM json_each(?2))
             ORDER BY id"
        ))?;
        let kinds = serde_json::to_string(kinds).expect("strings serialise");
        let rows = stmt.query_map([id_list(pairs), kinds], event_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every event of these kinds, oldest first, passed to `each` one at a time.
    pub fn each_label_event(&self, kinds: &[&str], mut each: impl FnMut(EventRow)) -> Result<()> {
        let columns = self.event_columns()?;
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {columns} FROM label_events WHERE kind IN (SELECT value FROM json_each(?1)) ORDER BY id"
        ))?;
        let kinds = serde_json::to_string(kinds).expect("strings serialise");
        for row in stmt.query_map([kinds], event_from_row)? {
            each(row?);
        }
        Ok(())
    }

    /// Every pair with a current verdict, tag or note, in id order, passed to `each`.
    pub fn each_pair_with_labels(&self, mut each: impl FnMut(PairId)) -> Result<()> {
        let mut stmt = self.conn().prepare(
            "SELECT pair_id FROM verdicts
             UNION SELECT pt.pair_id FROM pair_tags pt JOIN tags t ON t.id = pt.tag_id
             UNION SELECT pair_id FROM pair_notes ORDER BY 1",
        )?;
        for pair in stmt.query_map([], |r| r.get::<_, PairId>(0))? {
            each(pair?);
        }
        Ok(())
    }

    /// Every pair with its images' sha256, in id order, passed to `each`.
    pub fn each_pair_hashes(&self, mut each: impl FnMut(PairHashes)) -> Result<()> {
        let mut stmt = self.conn().prepare(
            "SELECT p.id, p.external_id, a.sha256, b.sha256 FROM pairs p
             JOIN images a ON a.id = p.image_a JOIN images b ON b.id = p.image_b ORDER BY p.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PairHashes { id: r.get(0)?, external_id: r.get(1)?, sha256_a: r.get(2)?, sha256_b: r.get(3)? })
        })?;
        for row in rows {
            each(row?);
        }
        Ok(())
    }

    /// The reveals on these pairs, by pair and labeler.
    pub fn reveals_of_pairs(&self, pairs: &[PairId]) -> Result<Vec<((PairId, LabelerId), Reveal)>> {
        if !self.has_blind_marks()? {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT pair_id, labeler_id, at, how, before_tagging FROM reveals WHERE {IN_PAIRS}"
        ))?;
        let rows = stmt.query_map([id_list(pairs)], |r| {
            Ok((r.get::<_, PairId>(0)?, r.get::<_, LabelerId>(1)?, r.get(2)?, r.get::<_, String>(3)?, r.get(4)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (pair, labeler, at, how, before_tagging) = row?;
            let how = RevealHow::parse(&how)
                .ok_or_else(|| StoreError::Invalid(format!("pair {pair}: unknown reveal {how:?}")))?;
            out.push(((pair, labeler), Reveal { at, how, before_tagging }));
        }
        Ok(out)
    }
}
