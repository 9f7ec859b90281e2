//! A copy's adjudications and truths in conflict with its team hub's (issue 16): see
//! `hub::decisions`. The copy keeps its own until a decision made here again is taken.

use super::{PairId, Result, Tx};

impl Tx<'_> {
    /// Marks (or clears) a pair's adjudication or truth as in conflict with the hub's.
    pub fn set_hub_conflict(&self, pair: PairId, kind: &str, on: bool) -> Result<()> {
        if on {
            self.conn().execute(
                "INSERT INTO hub_conflicts (pair_id, kind) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                rusqlite::params![pair.0, kind],
            )?;
        } else {
            self.conn().execute(
                "DELETE FROM hub_conflicts WHERE pair_id = ?1 AND kind = ?2",
                rusqlite::params![pair.0, kind],
            )?;
        }
        Ok(())
    }

    pub fn in_hub_conflict(&self, pair: PairId, kind: &str) -> Result<bool> {
        let mut stmt = self.conn().prepare_cached("SELECT 1 FROM hub_conflicts WHERE pair_id = ?1 AND kind = ?2")?;
        Ok(stmt.exists(rusqlite::params![pair.0, kind])?)
    }
}
