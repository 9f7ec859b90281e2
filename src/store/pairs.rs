use rusqlite::OptionalExtension;

use super::{ImageId, NOW, PairId, Result, Tx};
use crate::domain::{Split, Truth};

#[derive(Clone, Debug)]
pub struct NewPair<'a> {
    pub external_id: Option<&'a str>,
    pub image_a: ImageId,
    pub image_b: ImageId,
    pub truth: Option<Truth>,
    pub split: Option<Split>,
    pub source: &'a str,
    /// A JSON object.
    pub metadata: &'a serde_json::Value,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PairRecord {
    pub id: PairId,
    pub external_id: Option<String>,
    pub image_a: ImageId,
    pub image_b: ImageId,
    pub truth: Option<Truth>,
    pub split: Option<Split>,
    pub source: String,
    pub metadata: serde_json::Value,
}

const PAIR_COLUMNS: &str = "id, external_id, image_a, image_b, truth, split, source, metadata";

fn pair_from_row(r: &rusqlite::Row) -> rusqlite::Result<PairRecord> {
    let metadata: String = r.get(7)?;
    Ok(PairRecord {
        id: r.get(0)?,
        external_id: r.get(1)?,
        image_a: r.get(2)?,
        image_b: r.get(3)?,
        truth: r.get(4)?,
        split: r.get(5)?,
        source: r.get(6)?,
        metadata: serde_json::from_str(&metadata).unwrap_or(serde_json::Value::Null),
    })
}

impl Tx<'_> {
    pub fn insert_pair(&self, pair: &NewPair) -> Result<PairId> {
        self.conn()
            .prepare_cached(&format!(
                "INSERT INTO pairs (external_id, image_a, image_b, truth, split, source, metadata, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {NOW})"
            ))?
            .execute(rusqlite::params![
                pair.external_id,
                pair.image_a,
                pair.image_b,
                pair.truth,
                pair.split,
                pair.source,
                pair.metadata.to_string()
            ])?;
        Ok(PairId(self.conn().last_insert_rowid()))
    }

    /// The pair of these two images, in either order.
    pub fn find_pair_by_images(&self, a: ImageId, b: ImageId) -> Result<Option<PairRecord>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {PAIR_COLUMNS} FROM pairs
                 WHERE min(image_a, image_b) = min(?1, ?2) AND max(image_a, image_b) = max(?1, ?2)"
            ))?
            .query_row(rusqlite::params![a, b], pair_from_row)
            .optional()?)
    }

    pub fn find_pair_by_external_id(&self, external_id: &str) -> Result<Option<PairRecord>> {
        Ok(self
            .conn()
            .prepare_cached(&format!("SELECT {PAIR_COLUMNS} FROM pairs WHERE external_id = ?1"))?
            .query_row([external_id], pair_from_row)
            .optional()?)
    }

    pub fn pair(&self, id: PairId) -> Result<PairRecord> {
        Ok(self.conn().query_row(&format!("SELECT {PAIR_COLUMNS} FROM pairs WHERE id = ?1"), [id], pair_from_row)?)
    }

    /// Every pair, in id order.
    pub fn pairs(&self) -> Result<Vec<PairRecord>> {
        let mut stmt = self.conn().prepare(&format!("SELECT {PAIR_COLUMNS} FROM pairs ORDER BY id"))?;
        let rows = stmt.query_map([], pair_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every pair that has an id of the user's own, by that id (what importers look pairs up by).
    pub fn pair_ids_by_external_id(&self) -> Result<std::collections::HashMap<String, PairId>> {
        let count: i64 = self.conn().query_row("SELECT count(*) FROM pairs", [], |r| r.get(0))?;
        let mut ids = std::collections::HashMap::with_capacity(count as usize);
        let mut stmt = self.conn().prepare("SELECT external_id, id FROM pairs WHERE external_id IS NOT NULL")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            ids.insert(row.get(0)?, row.get(1)?);
        }
        Ok(ids)
    }
}
