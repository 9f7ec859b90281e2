//! Reading everything the review screen needs in one go, lean enough for a million pairs: one
//! query per table in its own key order (no sorting in SQL), each image's path built once,
//! collections sized before they fill.

use std::collections::{BTreeMap, HashMap};

use super::review::{Adjudication, ModelScores, ReviewData, ReviewImage, ReviewPair};
use super::{ImageId, LabelerId, ModelId, PairId, Result, TagId, Tx};

impl Tx<'_> {
    pub fn review_data(&self) -> Result<ReviewData> {
        let c = self.conn();
        let count = |table: &str| -> Result<usize> {
            Ok(c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0))? as usize)
        };

        // Each image once; a pair copies its two.
        let mut images: HashMap<ImageId, ReviewImage> = HashMap::with_capacity(count("images")?);
        let mut stmt = c.prepare(
            "SELECT i.id, r.path, i.path, i.width, i.height FROM images i JOIN image_roots r ON r.id = i.root_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let root: String = r.get(1)?;
            let name: String = r.get(2)?;
            let image = ReviewImage {
                path: std::path::Path::new(&root).join(&name),
                name,
                width: r.get(3)?,
                height: r.get(4)?,
            };
            images.insert(r.get(0)?, image);
        }
        let image = |id: ImageId| {
            images
                .get(&id)
                .cloned()
                .ok_or_else(|| super::StoreError::Invalid(format!("image {id} is not in the project")))
        };
        let mut pairs = Vec::with_capacity(count("pairs")?);
        let mut stmt = c.prepare("SELECT id, external_id, truth, split, image_a, image_b FROM pairs ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            pairs.push(ReviewPair {
                id: r.get(0)?,
                external_id: r.get(1)?,
                truth: r.get(2)?,
                split: r.get(3)?,
                a: image(r.get(4)?)?,
                b: image(r.get(5)?)?,
            });
        }
        drop(images);

        let mut verdicts = HashMap::with_capacity(count("verdicts")?);
        let mut stmt = c.prepare("SELECT pair_id, labeler_id, verdict FROM verdicts")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            verdicts.insert((r.get(0)?, r.get(1)?), r.get(2)?);
        }
        // In the table's key order (pair, labeler, tag); each pair's list then by tag.
        let mut pair_tags: BTreeMap<PairId, Vec<(LabelerId, TagId)>> = BTreeMap::new();
        let mut stmt = c.prepare("SELECT pair_id, labeler_id, tag_id FROM pair_tags")?;
        let mut rows = stmt.query([])?;
        let mut current: Option<(PairId, Vec<(LabelerId, TagId)>)> = None;
        while let Some(r) = rows.next()? {
            let (pair, labeler, tag): (PairId, LabelerId, TagId) = (r.get(0)?, r.get(1)?, r.get(2)?);
            match &mut current {
                Some((p, list)) if *p == pair => list.push((labeler, tag)),
                _ => {
                    if let Some((p, mut list)) = current.replace((pair, vec![(labeler, tag)])) {
                        list.sort_by_key(|&(_, tag)| tag);
                        pair_tags.entry(p).or_default().extend(list);
                    }
                }
            }
        }
        if let Some((p, mut list)) = current {
            list.sort_by_key(|&(_, tag)| tag);
            pair_tags.entry(p).or_default().extend(list);
        }
        let mut notes = HashMap::new();
        let mut stmt = c.prepare("SELECT pair_id, labeler_id, note FROM pair_notes")?;
        for row in stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))? {
            let (key, note) = row?;
            notes.insert(key, note);
        }
        let mut adjudications = HashMap::new();
        let mut stmt = c.prepare("SELECT pair_id, labeler_id, verdict, tags, reason FROM adjudications")?;
        for row in stmt.query_map([], |r| {
            let tags: String = r.get(3)?;
            Ok((
                r.get(0)?,
                Adjudication {
                    by: r.get(1)?,
                    verdict: r.get(2)?,
                    tags: serde_json::from_str(&tags).unwrap_or_default(),
                    reason: r.get(4)?,
                },
            ))
        })? {
            let (pair, adjudication) = row?;
            adjudications.insert(pair, adjudication);
        }
        Ok(ReviewData {
            pairs,
            tags: self.tags()?,
            labelers: self.labelers()?,
            verdicts,
            pair_tags,
            notes,
            adjudications,
            scores: self.scores_by_model()?,
            reveals: self.reveals()?,
            project_uid: self.project_uid()?,
            gold: self.gold_pairs()?.into_iter().collect(),
            tag_examples: self.tag_examples()?,
            hub_labeler: self.hub_link()?.and_then(|link| link.labeler),
            assigned: self.hub_assigned_pairs()?.into_iter().collect(),
        })
    }

    /// One entry per model that has scores, by model name: the scores table read once, in its
    /// key order.
    fn scores_by_model(&self) -> Result<Vec<ModelScores>> {
        let c = self.conn();
        let mut stmt = c.prepare(
            "SELECT m.id, m.name, (SELECT count(*) FROM scores s WHERE s.model_id = m.id) FROM models m ORDER BY m.name",
        )?;
        let mut models: Vec<ModelScores> = stmt
            .query_map([], |r| {
                Ok(ModelScores {
                    model: r.get(0)?,
                    name: r.get(1)?,
                    scores: HashMap::with_capacity(r.get::<_, i64>(2)? as usize),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let at: HashMap<ModelId, usize> = models.iter().enumerate().map(|(i, m)| (m.model, i)).collect();
        let mut stmt = c.prepare("SELECT pair_id, model_id, score FROM scores")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(&i) = at.get(&r.get::<_, ModelId>(1)?) {
                models[i].scores.insert(r.get(0)?, r.get(2)?);
            }
        }
        models.retain(|m| !m.scores.is_empty());
        Ok(models)
    }
}
