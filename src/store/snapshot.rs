//! Reads a project into the columnar [`Snapshot`] that `analysis` computes on.

use std::collections::HashMap;

use super::{LabelerId, ModelId, PairId, Result, StoreError, TagId, Tx};
use crate::analysis::snapshot::{Labels, MetadataColumn, Snapshot, TagBits};
use crate::domain::Truth;

/// The snapshot, plus the row ids behind its dense indices.
pub struct ProjectSnapshot {
    pub snapshot: Snapshot,
    /// `pair_ids[i]` is the pair at index i of every per-pair column.
    pub pair_ids: Vec<PairId>,
    pub tag_ids: Vec<TagId>,
    pub labeler_ids: Vec<LabelerId>,
    /// Per label row of `snapshot.labels`: whether its verdict, and which of its tags, were
    /// given with the answer in view (not blind).
    pub not_blind: Vec<(bool, TagBits)>,
}

impl ProjectSnapshot {
    /// How many labels (verdicts and tag applications) are not blind.
    pub fn not_blind_count(&self) -> u64 {
        self.not_blind.iter().map(|&(verdict, tags)| u64::from(verdict) + u64::from(tags.count_ones())).sum()
    }

    /// The snapshot with only the labels given blind: a label row keeps its blind verdict and
    /// tags, and goes when nothing of it is left. Pairs, scores and truth stay as they are.
    pub fn blind_labels_only(&self) -> Snapshot {
        let mut snapshot = Snapshot { labels: Labels::default(), ..self.snapshot.clone() };
        let labels = &self.snapshot.labels;
        for (row, &(verdict_seen, tags_seen)) in self.not_blind.iter().enumerate() {
            let verdict = if verdict_seen { None } else { labels.verdict[row] };
            let tags = labels.tags[row] & !tags_seen;
            if verdict.is_some() || tags != 0 {
                snapshot.labels.push(labels.pair[row], labels.labeler[row], verdict, tags);
            }
        }
        snapshot
    }
}

/// Metadata keys whose values are per-pair identities, not categories worth a table.
/// Keys that name one pair or one run, not a category pairs share.
const NOT_CATEGORIES: [&str; 4] = ["identity_a", "identity_b", "augment.from_pair", "augment.manifest_sha256"];

impl Tx<'_> {
    /// Everything analysis needs, with scores of `model` (None: no scores).
    pub fn snapshot(&self, model: Option<ModelId>) -> Result<ProjectSnapshot> {
        let c = self.conn();
        let tags: Vec<(TagId, String)> = c
            .prepare("SELECT id, name FROM tags ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if tags.len() > TagBits::BITS as usize {
            return Err(StoreError::Invalid(format!(
                "the project has {} tags; analysis handles at most {} (merge some in the tag editor)",
                tags.len(),
                TagBits::BITS
            )));
        }
        let tag_bit: HashMap<TagId, u32> = tags.iter().enumerate().map(|(i, (id, _))| (*id, i as u32)).collect();
        let tag_by_name: HashMap<String, u32> =
            tags.iter().enumerate().map(|(i, (_, name))| (name.to_lowercase(), i as u32)).collect();
        let labelers: Vec<(LabelerId, String)> = c
            .prepare("SELECT id, name FROM labelers ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let labeler_index: HashMap<LabelerId, u32> =
            labelers.iter().enumerate().map(|(i, (id, _))| (*id, i as u32)).collect();

        let pairs: i64 = c.query_row("SELECT count(*) FROM pairs", [], |r| r.get(0))?;
        let mut pair_ids = Vec::with_capacity(pairs as usize);
        let mut truth = Vec::with_capacity(pairs as usize);
        let mut split = Vec::with_capacity(pairs as usize);
        let mut score = Vec::with_capacity(pairs as usize);
        let mut metadata_raw: Vec<serde_json::Map<String, serde_json::Value>> = Vec::with_capacity(pairs as usize);
        let mut stmt = c.prepare(
            "SELECT p.id, p.truth, p.split, s.score, p.metadata FROM pairs p
             LEFT JOIN scores s ON s.pair_id = p.id AND s.model_id = ?1 ORDER BY p.id",
        )?;
        let mut rows = stmt.query([model])?;
        while let Some(r) = rows.next()? {
            pair_ids.push(r.get::<_, PairId>(0)?);
            truth.push(r.get::<_, Option<Truth>>(1)?);
            split.push(r.get(2)?);
            score.push(r.get::<_, Option<f64>>(3)?.unwrap_or(f64::NAN));
            let meta = r.get_ref(4)?.as_str().map_err(rusqlite::Error::from)?;
            metadata_raw.push(match meta {
                "{}" => serde_json::Map::new(),
                _ => match serde_json::from_str(meta) {
                    Ok(serde_json::Value::Object(map)) => map,
                    _ => serde_json::Map::new(),
                },
            });
        }
        // Pair ids come in increasing order, so a pair's index is found by bisection.
        let index_of = |pair: PairId| -> Result<u32> {
            pair_ids
                .binary_search(&pair)
                .map(|i| i as u32)
                .map_err(|_| StoreError::Invalid(format!("a label names pair {pair}, which is not in the project")))
        };
        let labeler_of = |labeler: LabelerId| -> Result<u32> {
            labeler_index.get(&labeler).copied().ok_or_else(|| {
                StoreError::Invalid(format!("a label names labeler {labeler}, who is not in the project"))
            })
        };

        // One label row per (pair, labeler) who gave a verdict or applied a tag, with the
        // verdict and tags that were not given blind. Both tables are read in their key order
        // (pair, then labeler), which is the order of the rows, and merged.
        type Row = ((u32, u32), Option<Truth>, TagBits, bool, TagBits);
        let blind = if self.has_blind_marks()? { "blind" } else { "1" };
        let mut verdict_rows: Vec<Row> = Vec::new();
        let mut stmt = c.prepare(&format!("SELECT pair_id, labeler_id, verdict, {blind} FROM verdicts"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let key = (index_of(r.get(0)?)?, labeler_of(r.get(1)?)?);
            verdict_rows.push((key, Some(r.get(2)?), 0, !r.get::<_, bool>(3)?, 0));
        }
        let mut tag_rows: Vec<Row> = Vec::new();
        let mut stmt = c.prepare(&format!("SELECT pair_id, labeler_id, tag_id, {blind} FROM pair_tags"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let key = (index_of(r.get(0)?)?, labeler_of(r.get(1)?)?);
            let bit: TagBits = 1 << tag_bit[&r.get::<_, TagId>(2)?];
            let seen = if r.get::<_, bool>(3)? { 0 } else { bit };
            match tag_rows.last_mut() {
                Some(last) if last.0 == key => {
                    last.2 |= bit;
                    last.4 |= seen;
                }
                _ => tag_rows.push((key, None, bit, false, seen)),
            }
        }
        // Labeler ids and indexes share their order, so both lists are sorted by key; a sort
        // that finds them sorted costs one pass.
        verdict_rows.sort_by_key(|r| r.0);
        tag_rows.sort_by_key(|r| r.0);
        let total = verdict_rows.len() + tag_rows.len();
        let mut columns = Labels {
            pair: Vec::with_capacity(total),
            labeler: Vec::with_capacity(total),
            verdict: Vec::with_capacity(total),
            tags: Vec::with_capacity(total),
        };
        let mut not_blind = Vec::with_capacity(total);
        let mut push = |row: Row| {
            columns.pair.push(row.0.0);
            columns.labeler.push(row.0.1);
            columns.verdict.push(row.1);
            columns.tags.push(row.2);
            not_blind.push((row.3, row.4));
        };
        let (mut v, mut t) = (verdict_rows.into_iter().peekable(), tag_rows.into_iter().peekable());
        loop {
            match (v.peek(), t.peek()) {
                (Some(a), Some(b)) if a.0 == b.0 => {
                    let (a, b) = (v.next().expect("peeked"), t.next().expect("peeked"));
                    push((a.0, a.1, b.2, a.3, b.4));
                }
                (Some(a), Some(b)) if a.0 < b.0 => push(v.next().expect("peeked")),
                (Some(_), Some(_)) | (None, Some(_)) => push(t.next().expect("peeked")),
                (Some(_), None) => push(v.next().expect("peeked")),
                (None, None) => break,
            }
        }
        let pair_index = |pair: PairId| index_of(pair).ok();

        let mut consensus_override = vec![None; pair_ids.len()];
        let mut stmt = c.prepare("SELECT pair_id, tags FROM adjudications")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let names: Vec<String> = serde_json::from_str(&r.get::<_, String>(1)?).unwrap_or_default();
            let bits = names.iter().filter_map(|n| tag_by_name.get(&n.to_lowercase())).fold(0, |acc, b| acc | (1 << b));
            if let Some(i) = pair_index(r.get(0)?) {
                consensus_override[i as usize] = Some(bits);
            }
        }

        let snapshot = Snapshot {
            tag_names: tags.iter().map(|(_, n)| n.clone()).collect(),
            labeler_names: labelers.iter().map(|(_, n)| n.clone()).collect(),
            score,
            truth,
            split,
            consensus_override,
            metadata: metadata_columns(&metadata_raw),
            labels: columns,
        };
        Ok(ProjectSnapshot {
            snapshot,
            pair_ids,
            tag_ids: tags.into_iter().map(|(id, _)| id).collect(),
            labeler_ids: labelers.into_iter().map(|(id, _)| id).collect(),
            not_blind,
        })
    }
}

/// One level of objects as dotted keys (`augment: {recipe: …}` is `augment.recipe`), so the
/// lineage `pairscope augment` writes can be sliced by recipe.
fn flatten(row: &serde_json::Map<String, serde_json::Value>) -> serde_json::Map<String, serde_json::Value> {
    let mut flat = serde_json::Map::new();
    for (key, value) in row {
        match value {
            serde_json::Value::Object(inner) => {
                for (sub, v) in inner {
                    flat.insert(format!("{key}.{sub}"), v.clone());
                }
            }
            other => {
                flat.insert(key.clone(), other.clone());
            }
        }
    }
    flat
}

/// One categorical column per metadata key with a scalar value in some pair (numbers and
/// booleans by their text; objects one level deep as dotted keys).
fn metadata_columns(rows: &[serde_json::Map<String, serde_json::Value>]) -> Vec<MetadataColumn> {
    let flat: Vec<_> = rows.iter().map(flatten).collect();
    let rows = &flat;
    let mut keys: Vec<&String> = rows.iter().flat_map(|m| m.keys()).collect();
    // The import's own columns first (the first is the one shown), then nested ones.
    keys.sort_by_key(|k| (k.contains('.'), k.to_string()));
    keys.dedup();
    keys.retain(|k| !NOT_CATEGORIES.contains(&k.as_str()));
    keys.into_iter()
        .map(|key| {
            let mut values: Vec<String> = Vec::new();
            let mut index: HashMap<String, u32> = HashMap::new();
            let codes = rows
                .iter()
                .map(|m| {
                    let text = match m.get(key)? {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Null | serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                            return None;
                        }
                        other => other.to_string(),
                    };
                    Some(*index.entry(text.clone()).or_insert_with(|| {
                        values.push(text);
                        values.len() as u32 - 1
                    }))
                })
                .collect();
            MetadataColumn { name: key.clone(), values, codes }
        })
        // A key whose every value is a list or null is no category.
        .filter(|column| !column.values.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_lineage_is_sliced_by_dotted_keys_and_keys_without_a_scalar_are_left_out() {
        let rows: Vec<serde_json::Map<String, serde_json::Value>> = [
            serde_json::json!({"changes": "darken", "tags": ["a"]}),
            serde_json::json!({"augment": {"recipe": "darken=0.4, copies=1", "copy": 1, "from_pair": "p1",
                "applied_a": [{"kind": "flip"}]}}),
            serde_json::json!({"augment": {"recipe": "darken=0.4, copies=1", "copy": 1, "from_pair": "p2"}}),
        ]
        .into_iter()
        .map(|v| v.as_object().unwrap().clone())
        .collect();
        let columns = metadata_columns(&rows);
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["changes", "augment.copy", "augment.recipe"]);
        let recipe = &columns[2];
        assert_eq!(recipe.values, ["darken=0.4, copies=1"]);
        assert_eq!(recipe.codes, [None, Some(0), Some(0)]);
    }
}
