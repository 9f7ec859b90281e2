//! Per-pair image statistics (from scoring) for the suggested `dark` / `blurry` tags.

use std::collections::HashMap;

use super::{PairId, Result, Tx};

impl Tx<'_> {
    /// For each pair whose two photos both have statistics: the lower brightness and the
    /// lower sharpness of the two (the darker or blurrier photo is what makes a pair hard).
    pub fn pair_image_stats(&self) -> Result<HashMap<PairId, (f64, f64)>> {
        let mut stmt = self.conn().prepare(
            "SELECT p.id, min(a.brightness, b.brightness), min(a.sharpness, b.sharpness)
             FROM pairs p JOIN images a ON a.id = p.image_a JOIN images b ON b.id = p.image_b
             WHERE a.brightness IS NOT NULL AND b.brightness IS NOT NULL
               AND a.sharpness IS NOT NULL AND b.sharpness IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, PairId>(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
