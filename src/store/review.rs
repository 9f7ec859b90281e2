//! What the review screen needs, read in one go, and the writes it makes: labeler roles,
//! notes, adjudications and truth corrections. Every label change is mirrored into the
//! append-only `label_events`.

use std::collections::{BTreeMap, HashMap};

use rusqlite::OptionalExtension;
use serde_json::json;

use super::merge_rows::{EventRow, event_from_row};
use super::{Labeler, Reveal, Tag};
use super::{LabelerId, ModelId, NOW, Origin, PairId, Result, StoreError, TagId, Tx};
use crate::domain::{Split, Truth};

/// One image as the review screen shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewImage {
    /// Where the file is on this machine.
    pub path: std::path::PathBuf,
    /// Relative to its root, as shown beneath the photo.
    pub name: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReviewPair {
    pub id: PairId,
    pub external_id: Option<String>,
    pub a: ReviewImage,
    pub b: ReviewImage,
    pub truth: Option<Truth>,
    pub split: Option<Split>,
}

/// An adjudicator's decision on a disputed pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Adjudication {
    pub by: LabelerId,
    pub verdict: Option<Truth>,
    /// Tag names.
    pub tags: Vec<String>,
    pub reason: String,
}

/// Scores of one model.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelScores {
    pub model: ModelId,
    pub name: String,
    pub scores: HashMap<PairId, f64>,
}

/// Everything labeling needs, read in one transaction. Small: a few rows per pair.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReviewData {
    /// In id order.
    pub pairs: Vec<ReviewPair>,
    /// In hotkey order (see [`Tx::tags`]).
    pub tags: Vec<Tag>,
    pub labelers: Vec<Labeler>,
    pub verdicts: HashMap<(PairId, LabelerId), Truth>,
    /// Per pair: (labeler, tag) applications.
    pub pair_tags: BTreeMap<PairId, Vec<(LabelerId, TagId)>>,
    pub notes: HashMap<(PairId, LabelerId), String>,
    pub adjudications: HashMap<PairId, Adjudication>,
    /// One entry per model that has scores, by model name.
    pub scores: Vec<ModelScores>,
    /// Who has seen the answer on which pair (blind review).
    pub reveals: HashMap<(PairId, LabelerId), Reveal>,
    /// The project's identity (seeds each labeler's queue order).
    pub project_uid: String,
    /// Pairs an adjudicator marked gold.
    pub gold: std::collections::BTreeSet<PairId>,
    /// Example pairs pinned to tags, by tag then pair.
    pub tag_examples: Vec<super::TagExample>,
    /// In a labeler's copy of a team hub: whose copy it is, and the pairs the hub assigned to
    /// them (as of the last take).
    pub hub_labeler: Option<String>,
    pub assigned: std::collections::BTreeSet<PairId>,
}

/// What an adjudicator decides on one pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision<'a> {
    pub verdict: Option<Truth>,
    pub tags: &'a [String],
    pub reason: &'a str,
    /// Some(new truth) to correct `pairs.truth` (None inside: unknown).
    pub correct_truth: Option<Option<Truth>>,
}

impl Tx<'_> {
    /// The audit log about one pair, oldest first.
    pub fn label_events(&self, pair: PairId) -> Result<Vec<EventRow>> {
        let columns = self.event_columns()?;
        let mut stmt =
            self.conn().prepare(&format!("SELECT {columns} FROM label_events WHERE pair_id = ?1 ORDER BY id"))?;
        let rows = stmt.query_map([pair], event_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn note(&self, pair: PairId, labeler: LabelerId) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT note FROM pair_notes WHERE pair_id = ?1 AND labeler_id = ?2",
                rusqlite::params![pair, labeler],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Sets a labeler's note on a pair (an empty note removes it), logging the change.
    pub fn set_note(&self, pair: PairId, labeler: LabelerId, note: &str, origin: Origin) -> Result<()> {
        let before = self.note(pair, labeler)?;
        let after = (!note.trim().is_empty()).then(|| note.to_owned());
        if before == after {
            return Ok(());
        }
        self.put_note_with_copied_history(pair, labeler, after.as_deref())?;
        self.log_event(Some(labeler), Some(pair), "note", json!(before), json!(after), origin, None)
    }

    /// Records (or replaces) an adjudicator's decision on a pair, and corrects the truth if asked.
    pub fn adjudicate(&self, pair: PairId, adjudicator: LabelerId, decision: &Decision, origin: Origin) -> Result<()> {
        let reason = decision.reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Invalid("an adjudication needs a reason".into()));
        }
        self.require_adjudicator(adjudicator, "settle a disagreement")?;
        let before: Option<(Option<Truth>, String, String)> = self
            .conn()
            .query_row("SELECT verdict, tags, reason FROM adjudications WHERE pair_id = ?1", [pair], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let tags = serde_json::to_string(decision.tags).expect("strings serialise");
        self.conn().execute(
            &format!(
                "INSERT INTO adjudications (pair_id, labeler_id, verdict, tags, reason, decided_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, {NOW})
                 ON CONFLICT (pair_id) DO UPDATE SET labeler_id = excluded.labeler_id, verdict = excluded.verdict,
                 tags = excluded.tags, reason = excluded.reason, decided_at = excluded.decided_at"
            ),
            rusqlite::params![pair, adjudicator, decision.verdict, tags, reason],
        )?;
        let before = before.map(|(v, t, r)| {
            json!({ "verdict": v.map(Truth::as_str), "tags": serde_json::from_str::<serde_json::Value>(&t).ok(), "reason": r })
        });
        let after = json!({ "verdict": decision.verdict.map(Truth::as_str), "tags": decision.tags });
        self.log_event(Some(adjudicator), Some(pair), "adjudication", json!(before), after, origin, Some(reason))?;
        if let Some(truth) = decision.correct_truth {
            self.correct_truth(pair, adjudicator, truth, reason, origin)?;
        }
        Ok(())
    }

    /// Changes a pair's ground truth, with the reason in the audit log.
    pub fn correct_truth(
        &self,
        pair: PairId,
        by: LabelerId,
        truth: Option<Truth>,
        reason: &str,
        origin: Origin,
    ) -> Result<()> {
        let before: Option<Truth> =
            self.conn().query_row("SELECT truth FROM pairs WHERE id = ?1", [pair], |r| r.get(0))?;
        if before == truth {
            return Ok(());
        }
        self.conn().execute("UPDATE pairs SET truth = ?1 WHERE id = ?2", rusqlite::params![truth, pair])?;
        self.log_event(
            Some(by),
            Some(pair),
            "truth",
            json!(before.map(Truth::as_str)),
            json!(truth.map(Truth::as_str)),
            origin,
            Some(reason),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_util::temp_store;
    use crate::store::{NewImage, NewPair, Role, Store};

    fn one_pair(store: &mut Store) -> PairId {
        store
            .write(|tx| {
                let root = tx.image_root("/data")?;
                let img = |p| NewImage { root, path: p, sha256: p, bytes: 1, dimensions: Some((10, 20)) };
                let (a, _) = tx.upsert_image(&img("x/a.jpg"))?;
                let (b, _) = tx.upsert_image(&img("y/b.jpg"))?;
                tx.insert_pair(&NewPair {
                    external_id: Some("p1"),
                    image_a: a,
                    image_b: b,
                    truth: Some(Truth::Same),
                    split: Some(Split::Dev),
                    source: "test",
                    metadata: &json!({}),
                })
            })
            .unwrap()
    }

    #[test]
    fn review_data_holds_pairs_with_their_images_and_labels() {
        let (_d, mut store) = temp_store();
        let pair = one_pair(&mut store);
        let alice = store.write(|tx| tx.labeler_or_create("alice")).unwrap().0.id;
        let dark = store.read(|tx| tx.find_tag("dark")).unwrap().unwrap().id;
        store
            .write(|tx| {
                tx.set_verdict(pair, alice, Some(Truth::Different), Origin::Gui)?;
                tx.set_pair_tag(pair, alice, dark, true, Origin::Gui)?;
                tx.set_note(pair, alice, "left photo is a poster", Origin::Gui)
            })
            .unwrap();
        let data = store.read(|tx| tx.review_data()).unwrap();
        assert_eq!(data.pairs.len(), 1);
        let p = &data.pairs[0];
        assert_eq!((p.a.name.as_str(), p.a.width, p.a.height), ("x/a.jpg", Some(10), Some(20)));
        assert_eq!(p.b.path, std::path::Path::new("/data/y/b.jpg"));
        assert_eq!(data.verdicts[&(pair, alice)], Truth::Different);
        assert_eq!(data.pair_tags[&pair], vec![(alice, dark)]);
        assert_eq!(data.notes[&(pair, alice)], "left photo is a poster");
        assert!(data.scores.is_empty());
    }

    #[test]
    fn notes_are_logged_and_an_empty_note_removes_it() {
        let (_d, mut store) = temp_store();
        let pair = one_pair(&mut store);
        let alice = store.write(|tx| tx.labeler_or_create("alice")).unwrap().0.id;
        store.write(|tx| tx.set_note(pair, alice, "odd", Origin::Gui)).unwrap();
        store.write(|tx| tx.set_note(pair, alice, "odd", Origin::Gui)).unwrap();
        store.write(|tx| tx.set_note(pair, alice, "  ", Origin::Gui)).unwrap();
        assert_eq!(store.read(|tx| tx.note(pair, alice)).unwrap(), None);
        assert_eq!(store.read(|tx| tx.event_count()).unwrap(), 2);
    }

    #[test]
    fn only_adjudicators_adjudicate_and_truth_corrections_are_logged_with_the_reason() {
        let (_d, mut store) = temp_store();
        let pair = one_pair(&mut store);
        let judge = store.write(|tx| tx.labeler_or_create("judge")).unwrap().0.id;
        let decision = Decision {
            verdict: Some(Truth::Different),
            tags: &["dark".to_owned()],
            reason: "twins",
            correct_truth: Some(Some(Truth::Different)),
        };
        let err = store.write(|tx| tx.adjudicate(pair, judge, &decision, Origin::Gui)).unwrap_err();
        assert!(err.to_string().contains("adjudicator"), "{err}");
        store.write(|tx| tx.set_labeler_role(judge, Role::Adjudicator, Origin::Cli)).unwrap();
        store.write(|tx| tx.adjudicate(pair, judge, &decision, Origin::Gui)).unwrap();
        let data = store.read(|tx| tx.review_data()).unwrap();
        assert_eq!(data.pairs[0].truth, Some(Truth::Different));
        assert_eq!(data.adjudications[&pair].tags, vec!["dark".to_owned()]);
        let kinds: Vec<String> = store.read(|tx| tx.label_events(pair)).unwrap().into_iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["adjudication", "truth"]);
        let blank = Decision { reason: " ", ..decision };
        assert!(store.write(|tx| tx.adjudicate(pair, judge, &blank, Origin::Gui)).is_err());
    }
}
