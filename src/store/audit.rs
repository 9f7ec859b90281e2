//! Writing the audit log compactly (migration 0006): each distinct text (kind, origin, the
//! before and after JSON) is stored once in `audit_texts` and events refer to it by id; the
//! time is milliseconds since 1970 when it is in our own format. The `label_events` view reads
//! every event back with its texts, exactly as they were written.

use rusqlite::OptionalExtension;

use super::labels::NewEvent;
use super::{NOW_MS, Result, Tx};

/// The event's time as stored: "now", or a given text kept as milliseconds when it reads back
/// as exactly that text (see the view in migration 0006), else as the text.
const AT: &str = "CASE WHEN ?1 IS NULL THEN {NOW_MS}
      WHEN strftime('%Y-%m-%dT%H:%M:%S', ms / 1000, 'unixepoch') || printf('.%03dZ', ms % 1000) = ?1 THEN ms
      ELSE ?1 END";

impl Tx<'_> {
    /// The one INSERT into the audit log: events made now, and events copied from another
    /// project with their own time.
    pub(super) fn insert_event(&self, e: &NewEvent) -> Result<()> {
        let kind = self.audit_text(e.kind)?;
        let origin = self.audit_text(e.origin)?;
        let before = e.before.as_deref().map(|t| self.audit_text(t)).transpose()?;
        let after = e.after.as_deref().map(|t| self.audit_text(t)).transpose()?;
        self.conn()
            .prepare_cached(&format!(
                "INSERT INTO audit_events (at, labeler_id, pair_id, kind, before, after, origin, reason, blind)
                 SELECT {at}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9
                 FROM (SELECT CAST(strftime('%s', substr(?1, 1, 19)) AS INTEGER) * 1000
                              + CAST(substr(?1, 21, 3) AS INTEGER) AS ms)",
                at = AT.replace("{NOW_MS}", NOW_MS)
            ))?
            .execute(rusqlite::params![e.at, e.labeler, e.pair, kind, before, after, origin, e.reason, e.blind])?;
        Ok(())
    }

    /// The id of a text in `audit_texts`, added if new. Remembered for the transaction: an
    /// import logs the same few texts millions of times.
    fn audit_text(&self, text: &str) -> Result<i64> {
        if let Some(&id) = self.audit_texts.borrow().get(text) {
            return Ok(id);
        }
        let found: Option<i64> = self
            .conn()
            .prepare_cached("SELECT id FROM audit_texts WHERE text = ?1")?
            .query_row([text], |r| r.get(0))
            .optional()?;
        let id = match found {
            Some(id) => id,
            None => {
                self.conn().prepare_cached("INSERT INTO audit_texts (text) VALUES (?1)")?.execute([text])?;
                self.conn().last_insert_rowid()
            }
        };
        self.audit_texts.borrow_mut().insert(text.to_owned(), id);
        Ok(id)
    }

    /// How many events the audit log holds.
    pub fn event_count(&self) -> Result<u64> {
        // The table, not the view: counting through the view's joins reads every text too.
        let table = if self.has_compact_audit()? { "audit_events" } else { "label_events" };
        Ok(self.conn().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Whether the log is stored compactly (migration 0006); a project opened read-only for a
    /// merge may be older, with the `label_events` table of migration 0001.
    pub(super) fn has_compact_audit(&self) -> Result<bool> {
        let found: i64 = self.conn().query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'audit_events'",
            [],
            |r| r.get(0),
        )?;
        Ok(found > 0)
    }
}
