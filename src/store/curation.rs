//! Queries for curation (splits, export, lineage): whole-project label snapshots, scores of
//! one model, and the lineage tables of migration 0003.

use std::collections::HashMap;

use rusqlite::OptionalExtension;

use super::{ImageId, ImageRecord, LabelerId, ModelId, ModelKind, NOW, PairId, Result, Tx};
use crate::domain::{Split, Truth};

/// One labeler's current verdict on one pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerdictRow {
    pub pair: PairId,
    pub labeler: LabelerId,
    pub verdict: Truth,
}

/// One tag applied to one pair by one labeler, by the tag's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagRow {
    pub pair: PairId,
    pub labeler: LabelerId,
    pub tag: String,
}

/// An adjudicator's decision on a pair: the consensus verdict and tag names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdjudicationRow {
    pub pair: PairId,
    pub adjudicator: LabelerId,
    pub verdict: Option<Truth>,
    pub tags: Vec<String>,
    pub reason: String,
    pub decided_at: String,
}

impl AdjudicationRow {
    /// The same decision, whoever made it and whenever (tag names compared case-blind)?
    pub fn same_decision(&self, other: &AdjudicationRow) -> bool {
        let tags = |t: &[String]| {
            let mut names: Vec<String> = t.iter().map(|n| n.to_lowercase()).collect();
            names.sort();
            names
        };
        self.verdict == other.verdict
            && self.reason.trim() == other.reason.trim()
            && tags(&self.tags) == tags(&other.tags)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ModelRecord {
    pub id: ModelId,
    pub name: String,
    pub sha256: Option<String>,
    pub kind: ModelKind,
}

/// What an export wrote, for the lineage table.
#[derive(Clone, Debug)]
pub struct NewExport<'a> {
    pub target: &'a str,
    pub selection: &'a serde_json::Value,
    pub manifest_sha256: &'a str,
    pub pairs: u64,
    pub images: u64,
    pub origin: &'a str,
}

/// A recorded export.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ExportRecord {
    pub id: i64,
    pub at: String,
    pub target: String,
    pub selection: serde_json::Value,
    pub manifest_sha256: String,
    pub pairs: u64,
    pub images: u64,
    pub origin: String,
}

/// A recorded split run.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SplitRunRecord {
    pub id: i64,
    pub at: String,
    pub params: serde_json::Value,
    pub preview: serde_json::Value,
    pub changed: u64,
    pub origin: String,
}

fn json_column(text: String) -> serde_json::Value {
    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
}

/// The columns `adjudication_from_row` reads, in its order.
const ADJUDICATION_COLUMNS: &str = "pair_id, labeler_id, verdict, tags, reason, decided_at";

fn adjudication_from_row(r: &rusqlite::Row) -> rusqlite::Result<AdjudicationRow> {
    let tags: String = r.get(3)?;
    Ok(AdjudicationRow {
        pair: r.get(0)?,
        adjudicator: r.get(1)?,
        verdict: r.get(2)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        reason: r.get(4)?,
        decided_at: r.get(5)?,
    })
}

impl Tx<'_> {
    /// Every current verdict, ordered by pair then labeler.
    pub fn all_verdicts(&self) -> Result<Vec<VerdictRow>> {
        let mut stmt =
            self.conn().prepare("SELECT pair_id, labeler_id, verdict FROM verdicts ORDER BY pair_id, labeler_id")?;
        let rows =
            stmt.query_map([], |r| Ok(VerdictRow { pair: r.get(0)?, labeler: r.get(1)?, verdict: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every tag application, ordered by pair, labeler, then tag name.
    pub fn all_pair_tags(&self) -> Result<Vec<TagRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT pt.pair_id, pt.labeler_id, t.name FROM pair_tags pt JOIN tags t ON t.id = pt.tag_id
             ORDER BY pt.pair_id, pt.labeler_id, t.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| Ok(TagRow { pair: r.get(0)?, labeler: r.get(1)?, tag: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every adjudication, by pair. Tags that are not a JSON list of names count as none.
    pub fn all_adjudications(&self) -> Result<Vec<AdjudicationRow>> {
        let mut stmt =
            self.conn().prepare(&format!("SELECT {ADJUDICATION_COLUMNS} FROM adjudications ORDER BY pair_id"))?;
        let rows = stmt.query_map([], adjudication_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The pair's adjudication, if it has one.
    pub fn adjudication_of(&self, pair: PairId) -> Result<Option<AdjudicationRow>> {
        let sql = format!("SELECT {ADJUDICATION_COLUMNS} FROM adjudications WHERE pair_id = ?1");
        Ok(self.conn().query_row(&sql, [pair], adjudication_from_row).optional()?)
    }

    /// Every image, by id.
    pub fn all_images(&self) -> Result<HashMap<ImageId, ImageRecord>> {
        let mut stmt = self.conn().prepare(
            "SELECT i.id, r.path, i.path, i.sha256, i.width, i.height
             FROM images i JOIN image_roots r ON r.id = i.root_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ImageRecord {
                id: r.get(0)?,
                root: r.get(1)?,
                path: r.get(2)?,
                sha256: r.get(3)?,
                width: r.get(4)?,
                height: r.get(5)?,
            })
        })?;
        Ok(rows.map(|r| r.map(|img| (img.id, img))).collect::<rusqlite::Result<_>>()?)
    }

    /// Moves a pair to a split (None: no split). Returns whether anything changed.
    pub fn set_split(&self, pair: PairId, split: Option<Split>) -> Result<bool> {
        let changed = self
            .conn()
            .prepare_cached("UPDATE pairs SET split = ?2 WHERE id = ?1 AND split IS NOT ?2")?
            .execute(rusqlite::params![pair, split])?;
        Ok(changed > 0)
    }

    pub fn find_model(&self, name: &str) -> Result<Option<ModelRecord>> {
        Ok(self
            .conn()
            .query_row("SELECT id, name, sha256, kind FROM models WHERE name = ?1", [name.trim()], |r| {
                Ok(ModelRecord { id: r.get(0)?, name: r.get(1)?, sha256: r.get(2)?, kind: r.get(3)? })
            })
            .optional()?)
    }

    /// Every score of one model, by pair.
    pub fn scores_of(&self, model: ModelId) -> Result<HashMap<PairId, f64>> {
        let mut stmt = self.conn().prepare("SELECT pair_id, score FROM scores WHERE model_id = ?1")?;
        let rows = stmt.query_map([model], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn record_split_run(
        &self,
        params: &serde_json::Value,
        preview: &serde_json::Value,
        changed: u64,
        origin: &str,
    ) -> Result<i64> {
        self.conn().execute(
            &format!("INSERT INTO split_runs (at, params, preview, changed, origin) VALUES ({NOW}, ?1, ?2, ?3, ?4)"),
            rusqlite::params![params.to_string(), preview.to_string(), changed as i64, origin],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    pub fn split_runs(&self) -> Result<Vec<SplitRunRecord>> {
        let mut stmt =
            self.conn().prepare("SELECT id, at, params, preview, changed, origin FROM split_runs ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(SplitRunRecord {
                id: r.get(0)?,
                at: r.get(1)?,
                params: json_column(r.get(2)?),
                preview: json_column(r.get(3)?),
                changed: r.get::<_, i64>(4)? as u64,
                origin: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn record_export(&self, export: &NewExport) -> Result<i64> {
        self.conn().execute(
            &format!(
                "INSERT INTO exports (at, target, selection, manifest_sha256, pairs, images, origin)
                 VALUES ({NOW}, ?1, ?2, ?3, ?4, ?5, ?6)"
            ),
            rusqlite::params![
                export.target,
                export.selection.to_string(),
                export.manifest_sha256,
                export.pairs as i64,
                export.images as i64,
                export.origin
            ],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    pub fn exports(&self) -> Result<Vec<ExportRecord>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, at, target, selection, manifest_sha256, pairs, images, origin FROM exports ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ExportRecord {
                id: r.get(0)?,
                at: r.get(1)?,
                target: r.get(2)?,
                selection: json_column(r.get(3)?),
                manifest_sha256: r.get(4)?,
                pairs: r.get::<_, i64>(5)? as u64,
                images: r.get::<_, i64>(6)? as u64,
                origin: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tx<'_> {
    /// The current time as every timestamp column spells it (UTC, milliseconds).
    pub fn now(&self) -> Result<String> {
        Ok(self.conn().query_row(&format!("SELECT {NOW}"), [], |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_util::{temp_store, test_pair};
    use crate::store::{Origin, StoreError};

    #[test]
    fn an_adjudication_is_the_consensus_of_its_pair() {
        let (_d, mut store) = temp_store();
        let (pair, other) = store
            .write(|tx| {
                let pair = test_pair(tx, "p1", "a.jpg", "b.jpg", None)?;
                let other = test_pair(tx, "p2", "a.jpg", "c.jpg", None)?;
                let (ana, _) = tx.labeler_or_create("ana")?;
                let (ben, _) = tx.labeler_or_create("ben")?;
                let dark = tx.find_tag("dark")?.unwrap().id;
                for p in [pair, other] {
                    tx.set_verdict(p, ana.id, Some(Truth::Same), Origin::Cli)?;
                    tx.set_verdict(p, ben.id, Some(Truth::Different), Origin::Cli)?;
                    tx.set_pair_tag(p, ana.id, dark, true, Origin::Cli)?;
                }
                Ok::<_, StoreError>((pair, other))
            })
            .unwrap();
        store
            .conn
            .execute(
                "INSERT INTO adjudications (pair_id, labeler_id, verdict, tags, reason, decided_at)
                 VALUES (?1, 1, 'different', '[\"Blurry\"]', 'looked closely', 'now')",
                [pair],
            )
            .unwrap();
        let snapshot = crate::curate::Snapshot::load(&mut store).unwrap();
        let adjudicated = snapshot.pairs.iter().find(|p| p.id == pair).unwrap();
        assert_eq!(
            adjudicated.consensus_tags,
            ["blurry"],
            "the adjudicator's tags replace the half rule, spelled as the project spells them"
        );
        assert_eq!(adjudicated.consensus_verdict(), Some(Truth::Different), "and settle the tie");
        let plain = snapshot.pairs.iter().find(|p| p.id == other).unwrap();
        assert_eq!(plain.consensus_tags, ["dark"], "1 of 2 labelers is half");
        assert_eq!(plain.consensus_verdict(), None, "a tie has no consensus");
        assert_eq!(store.read(|tx| tx.all_adjudications()).unwrap().len(), 1);
    }
}
