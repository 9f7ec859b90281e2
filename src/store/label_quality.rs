//! What label quality (issue 15) keeps in the project: how long each verdict took, gold pairs,
//! tag example pairs; and what it reads: each pair's identity group, each labeler's verdicts
//! in the order given, when each tag's definition last changed.

use std::collections::HashMap;

use rusqlite::OptionalExtension;
use serde_json::json;

use super::{LabelerId, Origin, PairId, Result, Role, StoreError, TagId, Tx};
use crate::analysis::components::component_of;

/// A pair pinned as an example of a tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TagExample {
    pub tag: TagId,
    pub pair: PairId,
    /// The tag applies (a positive example) or it does not (a negative one).
    pub positive: bool,
}

/// The per-pair and per-labeler facts label quality reads beside the snapshot, indexed like
/// the snapshot's pairs and labelers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QualityFacts {
    pub groups: Vec<u32>,
    pub gold: Vec<bool>,
    /// Per labeler: their blind verdicts, oldest first, as (pair index, ms shown → verdict).
    pub history: Vec<Vec<(u32, Option<u64>)>>,
}

impl Tx<'_> {
    /// Refuses unless `labeler` is an adjudicator; `what` completes "only an adjudicator can …".
    pub(super) fn require_adjudicator(&self, labeler: LabelerId, what: &str) -> Result<()> {
        let role: Option<Role> =
            self.conn().query_row("SELECT role FROM labelers WHERE id = ?1", [labeler], |r| r.get(0)).optional()?;
        if role != Some(Role::Adjudicator) {
            return Err(StoreError::Invalid(format!("only an adjudicator can {what}")));
        }
        Ok(())
    }

    /// Records how long the labeler looked at the pair before their (current) verdict.
    pub fn set_verdict_elapsed(&self, pair: PairId, labeler: LabelerId, ms: u64) -> Result<()> {
        self.conn()
            .prepare_cached("UPDATE verdicts SET elapsed_ms = ?3 WHERE pair_id = ?1 AND labeler_id = ?2")?
            .execute(rusqlite::params![pair, labeler, ms.min(i64::MAX as u64) as i64])?;
        Ok(())
    }

    /// Marks (or unmarks) a pair as gold. Adjudicators only; logged as a `gold` event.
    pub fn set_gold(&self, pair: PairId, adjudicator: LabelerId, gold: bool, origin: Origin) -> Result<bool> {
        self.require_adjudicator(adjudicator, "mark gold pairs")?;
        let changed = if gold {
            self.conn().execute(
                &format!(
                    "INSERT OR IGNORE INTO gold_pairs (pair_id, marked_by, marked_at) VALUES (?1, ?2, {})",
                    super::NOW_MS
                ),
                rusqlite::params![pair, adjudicator],
            )?
        } else {
            self.conn().execute("DELETE FROM gold_pairs WHERE pair_id = ?1", [pair])?
        };
        if changed > 0 {
            self.log_event(Some(adjudicator), Some(pair), "gold", json!(!gold), json!(gold), origin, None)?;
        }
        Ok(changed > 0)
    }

    /// The gold pairs, in id order.
    pub fn gold_pairs(&self) -> Result<Vec<PairId>> {
        let mut stmt = self.conn().prepare("SELECT pair_id FROM gold_pairs ORDER BY pair_id")?;
        Ok(stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
    }

    /// Pins a pair as a positive or negative example of a tag (None unpins it). Adjudicators
    /// only; logged as a `tag-example` event.
    pub fn pin_tag_example(
        &self,
        tag: TagId,
        pair: PairId,
        positive: Option<bool>,
        adjudicator: LabelerId,
        origin: Origin,
    ) -> Result<()> {
        self.require_adjudicator(adjudicator, "pin tag examples")?;
        let before: Option<bool> = self
            .conn()
            .query_row(
                "SELECT positive FROM tag_examples WHERE tag_id = ?1 AND pair_id = ?2",
                rusqlite::params![tag, pair],
                |r| r.get(0),
            )
            .optional()?;
        if before == positive {
            return Ok(());
        }
        match positive {
            Some(positive) => self.conn().execute(
                &format!(
                    "INSERT INTO tag_examples (tag_id, pair_id, positive, pinned_by, pinned_at)
                     VALUES (?1, ?2, ?3, ?4, {})
                     ON CONFLICT (tag_id, pair_id) DO UPDATE SET positive = excluded.positive,
                     pinned_by = excluded.pinned_by, pinned_at = excluded.pinned_at",
                    super::NOW_MS
                ),
                rusqlite::params![tag, pair, positive, adjudicator],
            )?,
            None => self
                .conn()
                .execute("DELETE FROM tag_examples WHERE tag_id = ?1 AND pair_id = ?2", rusqlite::params![tag, pair])?,
        };
        let side = |p: Option<bool>| json!(p.map(|p| if p { "positive" } else { "negative" }));
        let after = json!({ "tag_id": tag, "example": side(positive) });
        self.log_event(
            Some(adjudicator),
            Some(pair),
            "tag-example",
            json!({ "tag_id": tag, "example": side(before) }),
            after,
            origin,
            None,
        )
    }

    /// Every pinned example, by tag then pair.
    pub fn tag_examples(&self) -> Result<Vec<TagExample>> {
        let mut stmt =
            self.conn().prepare("SELECT tag_id, pair_id, positive FROM tag_examples ORDER BY tag_id, pair_id")?;
        let rows = stmt.query_map([], |r| Ok(TagExample { tag: r.get(0)?, pair: r.get(1)?, positive: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// When each tag's definition (its description) last changed, in ms since 1970, from the
    /// `tag-def` events of the audit log. Tags never redefined are absent.
    pub fn tag_definition_changes(&self) -> Result<HashMap<TagId, i64>> {
        let mut stmt = self.conn().prepare(
            "SELECT json_extract(after, '$.tag_id'),
                    max(CASE WHEN typeof(at) = 'integer' THEN at
                        ELSE CAST(strftime('%s', substr(at, 1, 19)) AS INTEGER) * 1000
                             + CAST(substr(at, 21, 3) AS INTEGER) END)
             FROM label_events
             WHERE kind = 'tag-def' AND json_valid(before) AND json_valid(after)
               AND json_extract(after, '$.description') IS NOT NULL
               AND json_extract(before, '$.description') IS NOT json_extract(after, '$.description')
             GROUP BY 1",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, TagId>(0)?, r.get::<_, rusqlite::types::Value>(1)?)))?;
        let mut changes = HashMap::new();
        for row in rows {
            let (tag, at) = row?;
            if let rusqlite::types::Value::Integer(ms) = at {
                changes.insert(tag, ms);
            }
        }
        Ok(changes)
    }

    /// Per (pair, labeler) label: the time of its latest verdict or tag, in ms since 1970
    /// (labels from before times were kept in ms are absent).
    pub fn label_times(&self) -> Result<HashMap<(PairId, LabelerId), i64>> {
        let mut stmt = self.conn().prepare(
            "SELECT pair_id, labeler_id, max(t) FROM (
                 SELECT pair_id, labeler_id, updated_at AS t FROM verdicts WHERE typeof(updated_at) = 'integer'
                 UNION ALL
                 SELECT pair_id, labeler_id, applied_at FROM pair_tags WHERE typeof(applied_at) = 'integer')
             GROUP BY pair_id, labeler_id",
        )?;
        let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The facts beside the snapshot whose pairs are `pair_ids` and labelers `labeler_ids`.
    pub fn quality_facts(&self, pair_ids: &[PairId], labeler_ids: &[LabelerId]) -> Result<QualityFacts> {
        let index: HashMap<PairId, u32> = pair_ids.iter().enumerate().map(|(i, &p)| (p, i as u32)).collect();
        let labeler_index: HashMap<LabelerId, usize> = labeler_ids.iter().enumerate().map(|(i, &l)| (l, i)).collect();

        // Groups: pairs sharing an image, or an image identity, are one group.
        let mut keys: Vec<Vec<String>> = vec![Vec::new(); pair_ids.len()];
        let mut stmt = self.conn().prepare(
            "SELECT p.id, p.image_a, p.image_b, ia.identity, ib.identity FROM pairs p
             JOIN images ia ON ia.id = p.image_a JOIN images ib ON ib.id = p.image_b",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(&i) = index.get(&r.get::<_, PairId>(0)?) else { continue };
            let pair_keys = &mut keys[i as usize];
            pair_keys.push(format!("image:{}", r.get::<_, i64>(1)?));
            pair_keys.push(format!("image:{}", r.get::<_, i64>(2)?));
            for column in [3, 4] {
                if let Some(identity) = r.get::<_, Option<String>>(column)? {
                    pair_keys.push(format!("identity:{}", identity.to_lowercase()));
                }
            }
        }
        let groups = component_of(keys.iter().map(Vec::as_slice));

        let mut gold = vec![false; pair_ids.len()];
        for pair in self.gold_pairs()? {
            if let Some(&i) = index.get(&pair) {
                gold[i as usize] = true;
            }
        }

        let mut history = vec![Vec::new(); labeler_ids.len()];
        let blind = if self.has_blind_marks()? { "blind = 1" } else { "1" };
        let mut stmt = self.conn().prepare(&format!(
            "SELECT labeler_id, pair_id, elapsed_ms FROM verdicts WHERE {blind} ORDER BY labeler_id, updated_at, pair_id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (Some(&l), Some(&p)) =
                (labeler_index.get(&r.get::<_, LabelerId>(0)?), index.get(&r.get::<_, PairId>(1)?))
            else {
                continue;
            };
            let ms: Option<i64> = r.get(2)?;
            history[l].push((p, ms.map(|ms| ms.max(0) as u64)));
        }
        Ok(QualityFacts { groups, gold, history })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Truth;
    use crate::store::Store;
    use crate::store::test_util::{temp_store, test_pair};

    /// Two pairs sharing image a.jpg (so one group), a labeler and an adjudicator.
    fn two_pairs_project() -> (tempfile::TempDir, Store, [PairId; 2], LabelerId, LabelerId) {
        let (dir, mut store) = temp_store();
        let (pairs, labeler, judge) = store
            .write(|tx| {
                let pairs = [
                    test_pair(tx, "p1", "a.jpg", "b.jpg", Some(Truth::Same))?,
                    test_pair(tx, "p2", "a.jpg", "c.jpg", Some(Truth::Different))?,
                ];
                let labeler = tx.labeler_or_create("ana")?.0.id;
                let judge = tx.labeler_or_create("judge")?.0.id;
                tx.set_labeler_role(judge, Role::Adjudicator, Origin::Cli)?;
                Ok::<_, StoreError>((pairs, labeler, judge))
            })
            .unwrap();
        (dir, store, pairs, labeler, judge)
    }

    #[test]
    fn gold_marks_and_tag_examples_are_adjudicators_own_and_logged() {
        let (dir, mut store, pairs, labeler, judge) = two_pairs_project();
        let err = store.write(|tx| tx.set_gold(pairs[0], labeler, true, Origin::Cli)).unwrap_err();
        assert!(err.to_string().contains("only an adjudicator can mark gold pairs"), "{err}");
        assert!(store.write(|tx| tx.set_gold(pairs[0], judge, true, Origin::Cli)).unwrap());
        assert!(!store.write(|tx| tx.set_gold(pairs[0], judge, true, Origin::Cli)).unwrap(), "already gold");
        assert_eq!(store.read(|tx| tx.gold_pairs()).unwrap(), vec![pairs[0]]);
        let tag = store.read(|tx| tx.find_tag("dark")).unwrap().expect("a default tag").id;
        store.write(|tx| tx.pin_tag_example(tag, pairs[1], Some(false), judge, Origin::Cli)).unwrap();
        assert_eq!(
            store.read(|tx| tx.tag_examples()).unwrap(),
            vec![TagExample { tag, pair: pairs[1], positive: false }]
        );
        // Merging the tag into another carries its examples along.
        let blurry = store.read(|tx| tx.find_tag("blurry")).unwrap().expect("a default tag").id;
        store.write(|tx| tx.merge_tags(tag, blurry, Origin::Cli)).unwrap();
        assert_eq!(
            store.read(|tx| tx.tag_examples()).unwrap(),
            vec![TagExample { tag: blurry, pair: pairs[1], positive: false }]
        );
        store.write(|tx| tx.pin_tag_example(blurry, pairs[1], None, judge, Origin::Cli)).unwrap();
        assert!(store.read(|tx| tx.tag_examples()).unwrap().is_empty());
        let kinds: Vec<String> = store
            .read(|tx| Ok((tx.label_events(pairs[0])?, tx.label_events(pairs[1])?)))
            .map(|(a, b)| a.into_iter().chain(b).map(|e| e.kind).collect())
            .unwrap();
        assert_eq!(kinds, ["gold", "tag-example", "tag-example"]);
        drop(store);
        Store::open(&dir.path().join("t.pairscope")).unwrap().integrity_check().unwrap();
    }

    #[test]
    fn facts_hold_groups_by_shared_image_and_each_labelers_timed_verdicts_in_order() {
        let (_dir, mut store, pairs, labeler, _) = two_pairs_project();
        store
            .write(|tx| {
                tx.set_verdict(pairs[1], labeler, Some(Truth::Same), Origin::Gui)?;
                tx.set_verdict_elapsed(pairs[1], labeler, 4_200)
            })
            .unwrap();
        // Verdicts are ordered by their time, kept in ms.
        std::thread::sleep(std::time::Duration::from_millis(5));
        store.write(|tx| tx.set_verdict(pairs[0], labeler, Some(Truth::Different), Origin::Gui)).unwrap();
        let snapshot = store.read(|tx| tx.snapshot(None)).unwrap();
        let facts = store.read(|tx| tx.quality_facts(&snapshot.pair_ids, &snapshot.labeler_ids)).unwrap();
        let me = snapshot.labeler_ids.iter().position(|&l| l == labeler).unwrap();
        assert_eq!(facts.history[me], vec![(1, Some(4_200)), (0, None)]);
        assert_eq!(facts.groups, vec![0, 0], "the two pairs share an image");
        assert_eq!(facts.gold, vec![false, false]);
    }
}
