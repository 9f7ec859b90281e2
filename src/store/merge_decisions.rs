//! What merging needs of notes and adjudications: every note as stored, and writes that keep
//! another project's history (its events are appended by the merge) instead of logging anew.

use super::{AdjudicationRow, LabelerId, NOW, PairId, Result, Tx};
use crate::domain::Truth;

/// One labeler's note on one pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteRow {
    pub pair: PairId,
    pub labeler: LabelerId,
    pub note: String,
}

impl Tx<'_> {
    pub fn all_notes(&self) -> Result<Vec<NoteRow>> {
        let mut stmt = self.conn().prepare("SELECT pair_id, labeler_id, note FROM pair_notes ORDER BY pair_id")?;
        let rows = stmt.query_map([], |r| Ok(NoteRow { pair: r.get(0)?, labeler: r.get(1)?, note: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets or removes a note WITHOUT logging it: for a merge that appends the other project's
    /// events for the change, and for `set_note`, which logs.
    pub fn put_note_with_copied_history(&self, pair: PairId, labeler: LabelerId, note: Option<&str>) -> Result<()> {
        match note {
            Some(text) => self.conn().execute(
                &format!(
                    "INSERT INTO pair_notes (pair_id, labeler_id, note, updated_at) VALUES (?1, ?2, ?3, {NOW})
                     ON CONFLICT (pair_id, labeler_id) DO UPDATE SET note = excluded.note,
                     updated_at = excluded.updated_at"
                ),
                rusqlite::params![pair, labeler, text],
            )?,
            None => self.conn().execute(
                "DELETE FROM pair_notes WHERE pair_id = ?1 AND labeler_id = ?2",
                rusqlite::params![pair, labeler],
            )?,
        };
        Ok(())
    }

    /// Sets a pair's truth WITHOUT logging it: for a change whose event came from a team hub
    /// and is appended as it was.
    pub fn put_truth_with_copied_history(&self, pair: PairId, truth: Option<Truth>) -> Result<()> {
        self.conn().execute("UPDATE pairs SET truth = ?1 WHERE id = ?2", rusqlite::params![truth, pair])?;
        Ok(())
    }

    /// Stores an adjudication as decided in another project (its time kept) WITHOUT logging
    /// it: only for a merge that appends that project's events for it. `row.pair` and
    /// `row.adjudicator` must be this project's ids.
    pub fn put_adjudication_with_copied_history(&self, row: &AdjudicationRow) -> Result<()> {
        self.conn().execute(
            "INSERT INTO adjudications (pair_id, labeler_id, verdict, tags, reason, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (pair_id) DO UPDATE SET labeler_id = excluded.labeler_id, verdict = excluded.verdict,
             tags = excluded.tags, reason = excluded.reason, decided_at = excluded.decided_at",
            rusqlite::params![
                row.pair,
                row.adjudicator,
                row.verdict,
                serde_json::to_string(&row.tags).expect("strings serialise"),
                row.reason,
                row.decided_at
            ],
        )?;
        Ok(())
    }

    /// Every pair's ground truth, by pair id.
    pub fn truths(&self) -> Result<Vec<(PairId, Option<Truth>)>> {
        let mut stmt = self.conn().prepare("SELECT id, truth FROM pairs ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
