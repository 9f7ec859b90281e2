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
    /// Built by `pairscope demo` (it records its recipe's version).
    pub demo: bool,
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
        // One pass over the pairs for the truth and split counts (each used to be a pass).
        let mut truth_counts = [0u64; 3];
        let mut split_counts: Vec<(Option<String>, u64)> = Vec::new();
        let mut stmt = c.prepare("SELECT truth, split, count(*) FROM pairs GROUP BY truth, split")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (truth, split, n): (Option<String>, Option<String>, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            truth_counts[match truth.as_deref() {
                Some("same") => 0,
                Some("different") => 1,
                _ => 2,
            }] += n as u64;
            match split_counts.iter_mut().find(|(s, _)| *s == split) {
                Some((_, total)) => *total += n as u64,
                None => split_counts.push((split, n as u64)),
            }
        }
        let order = |s: &Option<String>| match s.as_deref() {
            Some("train") => 0,
            Some("train-dev") => 1,
            Some("dev") => 2,
            Some("test") => 3,
            _ => 4,
        };
        split_counts.sort_by_key(|(s, _)| order(s));
        let splits: Vec<(String, u64)> =
            split_counts.into_iter().map(|(s, n)| (s.unwrap_or_else(|| "none".into()), n)).collect();
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
        // Per tag, from one pass over the tag index (a subquery per tag read it twice each).
        let mut per_tag: std::collections::HashMap<i64, (u64, u64)> = std::collections::HashMap::new();
        let mut stmt = c.prepare("SELECT tag_id, count(DISTINCT pair_id), count(*) FROM pair_tags GROUP BY tag_id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            per_tag.insert(r.get(0)?, (r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64));
        }
        let mut tags = c.prepare(
            "SELECT t.id, t.name, t.hotkey, t.description
             FROM tags t ORDER BY t.hotkey IS NULL, t.hotkey, t.name COLLATE NOCASE",
        )?;
        let tags = tags
            .query_map([], |r| {
                let (pairs, applications) = per_tag.get(&r.get::<_, i64>(0)?).copied().unwrap_or((0, 0));
                Ok(TagInfo { name: r.get(1)?, hotkey: r.get(2)?, description: r.get(3)?, pairs, applications })
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
            pairs: truth_counts.iter().sum(),
            truth_same: truth_counts[0],
            truth_different: truth_counts[1],
            truth_unknown: truth_counts[2],
            splits,
            labelers,
            tags,
            models,
            label_events: self.event_count()?,
            demo: count("SELECT count(*) FROM project_meta WHERE key = 'demo_recipe_version'")? > 0,
        })
    }
}
