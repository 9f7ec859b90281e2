//! Counts for `pairscope info` and the GUI's overview.

use serde::Serialize;

use super::{Result, SCHEMA_VERSION, Tx};

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ProjectInfo {
    pub schema_version: i64,
    pub image_roots: Vec<String>,
    pub images: u64,
    pub pairs: u64,
    pub truth_same: u64,
    pub truth_different: u64,
    pub truth_unknown: u64,
    /// (split name or "none", pairs)
    pub splits: Vec<(String, u64)>,
    pub labelers: Vec<LabelerInfo>,
    pub tags: Vec<TagInfo>,
    pub models: Vec<ModelInfo>,
    pub label_events: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LabelerInfo {
    pub name: String,
    pub role: String,
    pub simulated: bool,
    pub verdicts: u64,
    pub tags_applied: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TagInfo {
    pub name: String,
    pub hotkey: Option<u8>,
    pub description: String,
    /// Pairs that at least one labeler tagged with it.
    pub pairs: u64,
    /// Applications by all labelers together.
    pub applications: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ModelInfo {
    pub name: String,
    pub kind: String,
    pub scores: u64,
}

impl Tx<'_> {
    pub fn info(&self) -> Result<ProjectInfo> {
        let c = self.conn();
        let count = |sql: &str| -> Result<u64> { Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
        let mut roots = c.prepare("SELECT path FROM image_roots ORDER BY id")?;
        let image_roots = roots.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut splits = c.prepare(
            "SELECT coalesce(split, 'none'), count(*) FROM pairs GROUP BY split
             ORDER BY CASE split WHEN 'train' THEN 0 WHEN 'train-dev' THEN 1 WHEN 'dev' THEN 2
                                 WHEN 'test' THEN 3 ELSE 4 END",
        )?;
        let splits =
            splits.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?.collect::<rusqlite::Result<_>>()?;
        let mut labelers = c.prepare(
            "SELECT l.name, l.role, l.simulated,
                    (SELECT count(*) FROM verdicts v WHERE v.labeler_id = l.id),
                    (SELECT count(*) FROM pair_tags t WHERE t.labeler_id = l.id)
             FROM labelers l ORDER BY l.name",
        )?;
        let labelers = labelers
            .query_map([], |r| {
                Ok(LabelerInfo {
                    name: r.get(0)?,
                    role: r.get(1)?,
                    simulated: r.get(2)?,
                    verdicts: r.get::<_, i64>(3)? as u64,
                    tags_applied: r.get::<_, i64>(4)? as u64,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut tags = c.prepare(
            "SELECT t.name, t.hotkey, t.description,
                    (SELECT count(DISTINCT pair_id) FROM pair_tags p WHERE p.tag_id = t.id),
                    (SELECT count(*) FROM pair_tags p WHERE p.tag_id = t.id)
             FROM tags t ORDER BY t.hotkey IS NULL, t.hotkey, t.name COLLATE NOCASE",
        )?;
        let tags = tags
            .query_map([], |r| {
                Ok(TagInfo {
                    name: r.get(0)?,
                    hotkey: r.get(1)?,
                    description: r.get(2)?,
                    pairs: r.get::<_, i64>(3)? as u64,
                    applications: r.get::<_, i64>(4)? as u64,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut models = c.prepare(
            "SELECT m.name, m.kind, (SELECT count(*) FROM scores s WHERE s.model_id = m.id) FROM models m ORDER BY m.id",
        )?;
        let models = models
            .query_map([], |r| Ok(ModelInfo { name: r.get(0)?, kind: r.get(1)?, scores: r.get::<_, i64>(2)? as u64 }))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ProjectInfo {
            schema_version: SCHEMA_VERSION,
            image_roots,
            images: count("SELECT count(*) FROM images")?,
            pairs: count("SELECT count(*) FROM pairs")?,
            truth_same: count("SELECT count(*) FROM pairs WHERE truth = 'same'")?,
            truth_different: count("SELECT count(*) FROM pairs WHERE truth = 'different'")?,
            truth_unknown: count("SELECT count(*) FROM pairs WHERE truth IS NULL")?,
            splits,
            labelers,
            tags,
            models,
            label_events: count("SELECT count(*) FROM label_events")?,
        })
    }
}
