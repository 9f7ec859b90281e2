//! Everything derived from a snapshot once per data change, and the cheap per-threshold
//! queries the GUI runs on every threshold change.
//!
//! Evaluable pairs are sorted by score once; every grouping (distinct consensus tag sets,
//! splits, metadata values) keeps its positives' and negatives' scores sorted, so the
//! confusion counts of any slice at any threshold are two binary searches. A threshold
//! change costs O(groups × log n), independent of the number of pairs; per-tag and
//! two-tag rows are sums over the tag sets that contain them.
//!
//! Building it is linear apart from one radix sort, and on large snapshots runs on two
//! threads: one validates the labels and walks the labels of the first 2/3 of the pairs
//! (consensus, HLP, agreement, per-group human counts); the other sorts the scores, then
//! walks the labels of the remaining pairs. The two label parts merge exactly (integer
//! sums; tag-set ids renumbered), so the result is the same on one thread or two.
//!
//! Files: `build.rs` the two sides of the build, `tables.rs` the per-threshold tables and
//! curves, `tagsets.rs` the pairs grouped by consensus tag set, `update.rs` one label edit
//! applied in place (see [`Prepared::set_label`]).

mod build;
mod split_rule;
mod tables;
mod tagset_ids;
mod tagsets;
#[cfg(test)]
mod tests;
mod update;

use std::sync::OnceLock;

use serde::Serialize;

use self::build::{LabelSide, NO_RANK, PARALLEL_FROM, ScoreSide};
use self::tagsets::Tagsets;
use super::agreement::{self, Agreement};
use super::hlp::{Hlp, HlpSummary};
use super::label_index::LabelIndex;
use super::score_groups::ScoreGroups;
use super::slices::SliceRow;
use super::snapshot::{Snapshot, SnapshotError, TagBits};
use super::splits::SplitTable;
use super::threshold::{Candidates, OperatingPoint};

pub use self::update::LabelEditError;

/// How many pairs there are, and how many can be evaluated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PairCounts {
    pub total: u64,
    pub with_truth: u64,
    pub scored: u64,
    /// With a truth and a score.
    pub evaluable: u64,
}

/// The tables that change with the threshold: what the GUI recomputes on every change.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveTables {
    pub operating_point: OperatingPoint,
    /// Per-tag table sorted by priority.
    pub tags: Vec<SliceRow>,
    pub splits: SplitTable,
}

/// A metadata column's names, kept for its table.
#[derive(Clone, Debug)]
struct MetadataGroups {
    name: String,
    values: Vec<String>,
    groups: ScoreGroups,
    human: Vec<Hlp>,
}

/// The analysis of one snapshot, computed once per data change.
#[derive(Clone, Debug)]
pub struct Prepared {
    tag_names: Vec<String>,
    labeler_names: Vec<String>,
    counts: PairCounts,
    consensus: Vec<TagBits>,
    hlp: HlpSummary,
    /// Verdicts per labeler, so that `hlp.gave_verdicts` stays exact when a verdict goes.
    verdicts_given: Vec<u64>,
    agreement: Agreement,
    /// The sums `agreement` is computed from, kept for label edits.
    agreement_sums: agreement::Sums,
    candidates: Candidates,
    auc: Option<f64>,
    /// Evaluable pairs in ascending score order, with their scores and truths.
    ascending_pairs: Vec<u32>,
    ascending_scores: Vec<f64>,
    ascending_positive: Vec<bool>,
    /// Per pair: its position in the ascending order, or `NO_RANK` when not evaluable.
    rank_of_pair: Vec<u32>,
    /// Evaluable pairs grouped by their (non-empty) consensus tag set.
    tagsets: Tagsets,
    splits: ScoreGroups,
    split_human: Vec<Hlp>,
    metadata: Vec<MetadataGroups>,
}

impl Prepared {
    /// Validates the snapshot and derives everything that does not depend on the
    /// threshold, including agreement and the ROC area.
    ///
    /// The label side (consensus, HLP, agreement) and the score side (sorting, curves,
    /// per-group sorted scores) are independent, so on large snapshots they run on two
    /// threads. About 0.1 s for a million pairs: call it off the GUI thread, then use the
    /// per-threshold methods on every frame.
    pub fn new(snapshot: &Snapshot) -> Result<Prepared, SnapshotError> {
        let parallel = snapshot.pair_count() + snapshot.labels.len() >= PARALLEL_FROM;
        Prepared::new_on_threads(snapshot, parallel)
    }

    /// [`Prepared::new`] on two threads or one; the results are identical.
    pub(crate) fn new_on_threads(snapshot: &Snapshot, parallel: bool) -> Result<Prepared, SnapshotError> {
        snapshot.validate_pairs()?;
        let n = snapshot.pair_count();
        let (labels, scores) = if parallel {
            // Two threads of about equal work (measured with perf on the benchmark): label
            // validation and the labels of the first 2/3 of the pairs; the scores, then the
            // labels of the rest once the label index is ready.
            let split_at = n * 2 / 3;
            let index: OnceLock<Result<LabelIndex, SnapshotError>> = OnceLock::new();
            std::thread::scope(|scope| {
                let other = scope.spawn(|| {
                    let scores = ScoreSide::new(snapshot);
                    let labels = index.wait().as_ref().ok().map(|index| LabelSide::new(snapshot, index, split_at..n));
                    (scores, labels)
                });
                let index = index.get_or_init(|| snapshot.validate_labels()).as_ref().map_err(Clone::clone)?;
                let mut labels = LabelSide::new(snapshot, index, 0..split_at);
                let (scores, later) = other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                labels.merge(later.expect("the label index is valid on both threads"));
                Ok::<_, SnapshotError>((labels, scores))
            })?
        } else {
            let index = snapshot.validate_labels()?;
            (LabelSide::new(snapshot, &index, 0..n), ScoreSide::new(snapshot))
        };
        let mut agreement_sums = labels.agreement;
        let agreement = agreement_sums.finish(&labels.hlp.gave_verdicts);
        let tagset_of_item: Vec<u32> =
            scores.ascending_pairs.iter().map(|&p| labels.tagset_of_pair[p as usize]).collect();
        let groups = ScoreGroups::build(labels.tagset_bits.len(), &scores.ascending_positive, |i| {
            let id = tagset_of_item[i];
            (id != build::NO_TAGSET).then_some(id)
        });
        let tagsets = Tagsets::new(groups, labels.tagset_ids, labels.tagset_bits, labels.tagset_human);
        let mut rank_of_pair = vec![NO_RANK; n];
        for (rank, &pair) in scores.ascending_pairs.iter().enumerate() {
            rank_of_pair[pair as usize] = rank as u32;
        }
        let metadata = snapshot
            .metadata
            .iter()
            .zip(scores.metadata)
            .zip(labels.metadata_human)
            .map(|((column, groups), human)| MetadataGroups {
                name: column.name.clone(),
                values: column.values.clone(),
                groups,
                human,
            })
            .collect();
        Ok(Prepared {
            tag_names: snapshot.tag_names.clone(),
            labeler_names: snapshot.labeler_names.clone(),
            counts: scores.counts,
            consensus: labels.consensus,
            hlp: labels.hlp,
            verdicts_given: labels.verdicts_given,
            agreement,
            agreement_sums,
            candidates: scores.candidates,
            auc: scores.auc,
            ascending_pairs: scores.ascending_pairs,
            ascending_scores: scores.ascending_scores,
            ascending_positive: scores.ascending_positive,
            rank_of_pair,
            tagsets,
            splits: scores.splits,
            split_human: labels.split_human,
            metadata,
        })
    }

    pub fn tag_names(&self) -> &[String] {
        &self.tag_names
    }

    pub fn labeler_names(&self) -> &[String] {
        &self.labeler_names
    }

    /// Names of the metadata columns, in snapshot order.
    pub fn metadata_names(&self) -> impl Iterator<Item = &str> {
        self.metadata.iter().map(|m| m.name.as_str())
    }

    pub fn pair_counts(&self) -> PairCounts {
        self.counts
    }

    /// Consensus tags per pair (overrides applied).
    pub fn consensus(&self) -> &[TagBits] {
        &self.consensus
    }

    pub fn hlp(&self) -> &HlpSummary {
        &self.hlp
    }

    pub fn agreement(&self) -> &Agreement {
        &self.agreement
    }

    /// Evaluable pairs with truth `same` / `different`.
    pub fn positives(&self) -> u64 {
        self.candidates.positives()
    }

    pub fn negatives(&self) -> u64 {
        self.candidates.negatives()
    }

    /// The candidate thresholds with their counts (for the FPR targets and the EER).
    pub(crate) fn candidates(&self) -> &Candidates {
        &self.candidates
    }
}
