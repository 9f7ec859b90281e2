//! A verdict or tag given in this window shows in the analysis at once: the edit updates the
//! pair's columns of the prepared snapshot in place ([`Prepared::set_label`]), so every table
//! is right in the next frame without reading the project again. Both analyses follow: all
//! labels, and (for the Agreement screen) only the labels given blind, with the count of
//! labels that were not.

use std::sync::Arc;

use crate::analysis::{LabelBook, LabelRow, Prepared, Truth};
use crate::store::{LabelerId, PairId, TagId};
use crate::ui::analysis::data::{AnalysisData, next_generation};

/// What one edit sets on one labeler's label of one pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelChange {
    /// The verdict (`None`: taken back).
    Verdict(Option<Truth>),
    Tag {
        tag: TagId,
        applied: bool,
    },
}

/// Why an edit could not be applied in place: the analysis must be read again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeedsReload(pub String);

impl AnalysisData {
    /// Applies one labeler's edit of one pair, made `blind` or not (as it is saved). The
    /// pair, labeler and tag must be in the analysed snapshot (a labeler or tag added since
    /// is not: then the analysis has to be read again). O(labels of the pair + tags).
    pub fn apply_label(
        &mut self,
        pair: PairId,
        labeler: LabelerId,
        change: LabelChange,
        blind: bool,
    ) -> Result<(), NeedsReload> {
        let missing = |what: String| NeedsReload(format!("{what} is not in the analysis yet"));
        let p = self.pair_ids.binary_search(&pair).map_err(|_| missing(format!("pair {}", pair.0)))?;
        let l = self.labeler_ids.iter().position(|&id| id == labeler).ok_or_else(|| missing("the labeler".into()))?;
        let bit = match change {
            LabelChange::Tag { tag, .. } => {
                let t = self.tag_ids.iter().position(|&id| id == tag).ok_or_else(|| missing("the tag".into()))?;
                1 << t
            }
            LabelChange::Verdict(_) => 0,
        };
        let all_before = label_of(&self.labels, p, l);
        let all_after = match change {
            LabelChange::Verdict(v) => (v, all_before.1),
            LabelChange::Tag { applied: true, .. } => (all_before.0, all_before.1 | bit),
            LabelChange::Tag { applied: false, .. } => (all_before.0, all_before.1 & !bit),
        };
        // As the store marks them: a verdict or tag given blind is in the blind-only analysis,
        // one given in view is not.
        let blind_before = match &self.blind_labels {
            Some(book) => label_of(book, p, l),
            None => all_before,
        };
        let blind_after = match change {
            LabelChange::Verdict(v) => (v.filter(|_| blind), blind_before.1),
            LabelChange::Tag { applied, .. } if applied && blind => (blind_before.0, blind_before.1 | bit),
            LabelChange::Tag { .. } => (blind_before.0, blind_before.1 & !bit),
        };
        if self.blind_only.is_none() && blind_after != all_after {
            // Every label was blind so far; from now on the two analyses differ.
            self.blind_only = Some(Arc::new((*self.prepared).clone()));
            self.blind_labels = Some(self.labels.clone());
        }
        let reload = |e: crate::analysis::LabelEditError| NeedsReload(e.to_string());
        set(&mut self.prepared, &self.snapshot, &mut self.labels, p, l, all_after).map_err(reload)?;
        if let (Some(prepared), Some(book)) = (&mut self.blind_only, &mut self.blind_labels) {
            set(prepared, &self.snapshot, book, p, l, blind_after).map_err(reload)?;
        }
        self.not_blind_labels = self.not_blind_labels + seen(all_after, blind_after) - seen(all_before, blind_before);
        self.generation = next_generation();
        Ok(())
    }
}

type Label = (Option<Truth>, u64);

fn label_of(book: &LabelBook, pair: usize, labeler: usize) -> Label {
    book.label(pair, labeler as u32).map_or((None, 0), |LabelRow { verdict, tags, .. }| (verdict, tags))
}

fn set(
    prepared: &mut Arc<Prepared>,
    snapshot: &crate::analysis::Snapshot,
    book: &mut LabelBook,
    pair: usize,
    labeler: usize,
    (verdict, tags): Label,
) -> Result<bool, crate::analysis::LabelEditError> {
    // In place unless a job still holds this analysis (saving a run): then on a copy.
    Arc::make_mut(prepared).set_label(snapshot, book, pair, labeler, verdict, tags)
}

/// Labels (a verdict, each tag) of `all` that are not in `blind`: given in view.
fn seen(all: Label, blind: Label) -> u64 {
    u64::from(all.0.is_some() && blind.0.is_none()) + u64::from((all.1 & !blind.1).count_ones())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_util::{temp_store, test_pair};
    use crate::store::{ModelKind, Origin, Store, StoreError};

    /// Everything the analysis screens read of an analysis (f64 printed exactly).
    fn tables(p: &Prepared) -> String {
        let at = |t: f64| (p.tag_table(t), p.tag_pair_table(t, 1), p.split_table(t));
        format!("{:?}", (p.consensus(), p.hlp(), p.agreement(), at(0.25), at(0.5), at(0.75)))
    }

    /// The analysis as this window shows it equals the one read from the project file.
    fn assert_same(shown: &AnalysisData, store: &mut Store) {
        let read = AnalysisData::load(store, None).unwrap();
        assert_eq!(tables(&shown.prepared), tables(&read.prepared), "all labels");
        assert_eq!(shown.not_blind_labels, read.not_blind_labels, "labels given in view");
        let blind = |d: &AnalysisData| d.blind_only.as_deref().map(tables);
        if read.blind_only.is_some() {
            assert_eq!(blind(shown), blind(&read), "blind labels only");
        }
    }

    #[test]
    fn edits_in_place_equal_the_project_read_again_blind_or_not() {
        let (_dir, mut store) = temp_store();
        let (pairs, alice, bob, tags) = store
            .write(|tx| {
                let (model, _) = tx.model_or_create("m", ModelKind::Imported, None)?;
                let mut pairs = Vec::new();
                for i in 0..8 {
                    let truth = if i % 3 == 0 { Truth::Different } else { Truth::Same };
                    let pair = test_pair(tx, &format!("p{i}"), &format!("a{i}"), &format!("b{i}"), Some(truth))?;
                    tx.set_score(pair, model, f64::from(i) / 8.0)?;
                    pairs.push(pair);
                }
                let (alice, _) = tx.labeler_or_create("alice")?;
                let (bob, _) = tx.labeler_or_create("bob")?;
                for &pair in &pairs[..5] {
                    tx.set_verdict(pair, bob.id, Some(Truth::Same), Origin::Gui)?;
                }
                let tags = [tx.find_tag("dark")?.unwrap().id, tx.find_tag("blurry")?.unwrap().id];
                tx.set_pair_tag(pairs[1], bob.id, tags[0], true, Origin::Gui)?;
                Ok::<_, StoreError>((pairs, alice.id, bob.id, tags))
            })
            .unwrap();
        let mut shown = AnalysisData::load(&mut store, None).unwrap();
        assert!(shown.blind_only.is_none(), "every label is blind so far");
        // (pair, labeler, change, blind), each also saved as the save queue saves it.
        let edits = [
            (0, alice, LabelChange::Verdict(Some(Truth::Different)), true),
            (1, alice, LabelChange::Tag { tag: tags[0], applied: true }, true),
            (1, alice, LabelChange::Verdict(Some(Truth::Same)), false),
            (2, alice, LabelChange::Tag { tag: tags[1], applied: true }, false),
            (2, bob, LabelChange::Tag { tag: tags[1], applied: true }, true),
            (1, bob, LabelChange::Tag { tag: tags[0], applied: false }, true),
            (0, bob, LabelChange::Verdict(None), true),
            (1, alice, LabelChange::Verdict(Some(Truth::Different)), true),
            (2, alice, LabelChange::Tag { tag: tags[1], applied: false }, true),
            (7, alice, LabelChange::Verdict(Some(Truth::Same)), false),
        ];
        for (i, &(pair, labeler, change, blind)) in edits.iter().enumerate() {
            let generation = shown.generation;
            shown.apply_label(pairs[pair], labeler, change, blind).unwrap();
            assert_ne!(shown.generation, generation, "tables derived from it are computed again");
            store
                .write(|tx| match change {
                    LabelChange::Verdict(v) => tx.set_verdict_marked(pairs[pair], labeler, v, blind, Origin::Gui),
                    LabelChange::Tag { tag, applied } => {
                        tx.set_pair_tag_marked(pairs[pair], labeler, tag, applied, blind, Origin::Gui)
                    }
                })
                .unwrap();
            assert_same(&shown, &mut store);
            if i >= 2 {
                assert!(shown.blind_only.is_some(), "a verdict given in view");
            }
        }
        // Not in the analysis: read it again.
        let carol = store.write(|tx| tx.labeler_or_create("carol")).unwrap().0.id;
        assert!(shown.apply_label(pairs[0], carol, LabelChange::Verdict(Some(Truth::Same)), true).is_err());
    }
}
