//! A verdict or tag given in this window shows in the analysis at once: the edit updates the
//! pair's columns of the prepared snapshot in place ([`Prepared::set_label`]), so every table
//! is right in the next frame without reading the project again. Both analyses follow: all
//! labels, and (for the Agreement screen) only the labels given blind, with the count of
//! labels that were not.

use std::sync::Arc;

use crate::analysis::{LabelBook, LabelRow, Prepared, Truth};
use crate::store::{LabelerId, PairId, TagId};
use crate::ui::analysis::data::AnalysisData;

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
        self.generation += 1;
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
