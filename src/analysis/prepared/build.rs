//! The two independent sides of building a [`Prepared`](super::Prepared): the labels
//! (consensus, HLP, agreement sums, human counts per group) over a range of pairs, and the
//! scores (sort, candidates, AUC, sorted ranks per split and metadata value).

use std::ops::Range;

use super::tagset_ids::TagsetIds;
use crate::analysis::agreement;
use crate::analysis::hlp::{Hlp, HlpSummary};
use crate::analysis::label_index::LabelIndex;
use crate::analysis::pair_labels::PairLabels;
use crate::analysis::roc;
use crate::analysis::score_groups::ScoreGroups;
use crate::analysis::score_order::{Scored, order_key, radix_sort, score_of};
use crate::analysis::snapshot::{SPLITS, Snapshot, TagBits, Truth};
use crate::analysis::threshold::Candidates;

use super::PairCounts;

/// Snapshots this large (pairs + label rows) are prepared on two threads.
pub(super) const PARALLEL_FROM: usize = 50_000;
/// Tag-set id of a pair without consensus tags or not evaluable.
pub(super) const NO_TAGSET: u32 = u32::MAX;
/// Rank of a pair that is not evaluable.
pub(super) const NO_RANK: u32 = u32::MAX;
/// Split code of a pair without split, in the sort payload.
const NO_SPLIT: u32 = 0b111;

pub(super) fn is_evaluable(snapshot: &Snapshot, pair: usize) -> bool {
    snapshot.truth[pair].is_some() && !snapshot.score[pair].is_nan()
}

/// What comes from the labels of a range of pairs: consensus, HLP, agreement sums, and per
/// group the human verdict counts of its evaluable pairs (sums need no score order).
/// Parts over consecutive ranges merge, so the work can be split between two threads.
pub(super) struct LabelSide {
    /// Per pair of the range.
    pub(super) consensus: Vec<TagBits>,
    pub(super) hlp: HlpSummary,
    /// Per labeler: verdicts given.
    pub(super) verdicts_given: Vec<u64>,
    pub(super) agreement: agreement::Sums,
    /// Per pair of the range: the id of its consensus tag set among evaluable pairs, or
    /// `NO_TAGSET`.
    pub(super) tagset_of_pair: Vec<u32>,
    pub(super) tagset_ids: TagsetIds,
    pub(super) tagset_bits: Vec<TagBits>,
    pub(super) tagset_human: Vec<Hlp>,
    pub(super) split_human: Vec<Hlp>,
    pub(super) metadata_human: Vec<Vec<Hlp>>,
}

impl LabelSide {
    /// One pass over the labels of the pairs in `range`.
    pub(super) fn new(snapshot: &Snapshot, index: &LabelIndex, range: Range<usize>) -> Self {
        let labels = &snapshot.labels;
        let mut side = LabelSide {
            consensus: Vec::with_capacity(range.len()),
            hlp: HlpSummary::new(snapshot.labeler_names.len()),
            verdicts_given: vec![0; snapshot.labeler_names.len()],
            agreement: agreement::Sums::new(snapshot),
            tagset_of_pair: Vec::with_capacity(range.len()),
            tagset_ids: TagsetIds::new(snapshot.tag_names.len()),
            tagset_bits: Vec::new(),
            tagset_human: Vec::new(),
            split_human: vec![Hlp::default(); SPLITS.len()],
            metadata_human: snapshot.metadata.iter().map(|m| vec![Hlp::default(); m.values.len()]).collect(),
        };
        let mut pair = PairLabels::default();
        for p in range {
            // Rows grouped by pair (the usual case) are sliced directly.
            match index.contiguous(p) {
                Some(rows) => pair.collect(labels, rows),
                None => pair.collect(labels, index.rows(p)),
            }
            let human = side.hlp.tally(&pair.verdicts, snapshot.truth[p]);
            for &(labeler, _) in &pair.verdicts {
                side.verdicts_given[labeler as usize] += 1;
            }
            side.agreement.add(p, &pair);
            let bits = snapshot.consensus_override[p].unwrap_or_else(|| pair.consensus());
            side.consensus.push(bits);
            let evaluable = is_evaluable(snapshot, p);
            let tagset = if evaluable && bits != 0 { side.tagset_id(bits, human) } else { NO_TAGSET };
            side.tagset_of_pair.push(tagset);
            if !evaluable {
                continue;
            }
            if let Some(split) = snapshot.split[p] {
                side.split_human[split.index()] += human;
            }
            for (groups, column) in side.metadata_human.iter_mut().zip(&snapshot.metadata) {
                if let Some(code) = column.codes[p] {
                    groups[code as usize] += human;
                }
            }
        }
        side
    }

    /// The id of tag set `bits`, adding `human` to its counts.
    fn tagset_id(&mut self, bits: TagBits, human: Hlp) -> u32 {
        let (tagset_bits, tagset_human) = (&mut self.tagset_bits, &mut self.tagset_human);
        let id = self.tagset_ids.get_or_insert(bits, || {
            tagset_bits.push(bits);
            tagset_human.push(Hlp::default());
            tagset_bits.len() as u32 - 1
        });
        tagset_human[id as usize] += human;
        id
    }

    /// Appends the part for the pairs right after ours; its tag-set ids are renumbered.
    pub(super) fn merge(&mut self, later: LabelSide) {
        self.consensus.extend(later.consensus);
        self.hlp.merge(&later.hlp);
        for (mine, theirs) in self.verdicts_given.iter_mut().zip(&later.verdicts_given) {
            *mine += theirs;
        }
        self.agreement.merge(later.agreement);
        let renumber: Vec<u32> = later
            .tagset_bits
            .iter()
            .zip(later.tagset_human)
            .map(|(&bits, human)| self.tagset_id(bits, human))
            .collect();
        self.tagset_of_pair
            .extend(later.tagset_of_pair.iter().map(|&id| if id == NO_TAGSET { id } else { renumber[id as usize] }));
        for (mine, theirs) in self.split_human.iter_mut().zip(later.split_human) {
            *mine += theirs;
        }
        for (mine, theirs) in self.metadata_human.iter_mut().zip(later.metadata_human) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }
}

/// What comes from the scores: evaluable pairs in score order, candidate thresholds, AUC,
/// and the sorted scores of each split and metadata value.
pub(super) struct ScoreSide {
    pub(super) counts: PairCounts,
    pub(super) ascending_pairs: Vec<u32>,
    pub(super) ascending_scores: Vec<f64>,
    pub(super) ascending_positive: Vec<bool>,
    pub(super) candidates: Candidates,
    pub(super) auc: Option<f64>,
    pub(super) splits: ScoreGroups,
    pub(super) metadata: Vec<ScoreGroups>,
}

impl ScoreSide {
    pub(super) fn new(snapshot: &Snapshot) -> Self {
        let n = snapshot.pair_count();
        // The sort carries truth and split along, so grouping by split reads in order.
        let records: Vec<Scored> = (0..n)
            .filter(|&p| is_evaluable(snapshot, p))
            .map(|p| {
                let positive = snapshot.truth[p] == Some(Truth::Same);
                let split = snapshot.split[p].map_or(NO_SPLIT, |s| s.index() as u32);
                Scored { key: order_key(snapshot.score[p]), pair: p as u32, payload: u32::from(positive) << 31 | split }
            })
            .collect();
        // Stable, on records in pair order: ties stay in pair order, deterministically.
        let sorted = radix_sort(records);
        let mut ascending_pairs = Vec::with_capacity(sorted.len());
        let mut ascending_scores = Vec::with_capacity(sorted.len());
        let mut ascending_positive = Vec::with_capacity(sorted.len());
        for r in &sorted {
            ascending_pairs.push(r.pair);
            ascending_scores.push(score_of(r.key));
            ascending_positive.push(r.payload >> 31 == 1);
        }
        let counts = PairCounts {
            total: n as u64,
            with_truth: snapshot.truth.iter().filter(|t| t.is_some()).count() as u64,
            scored: snapshot.score.iter().filter(|s| !s.is_nan()).count() as u64,
            evaluable: sorted.len() as u64,
        };
        let candidates =
            Candidates::from_descending(ascending_scores.iter().copied().zip(ascending_positive.iter().copied()).rev());
        let auc = roc::auc(&ascending_scores, &ascending_positive);
        let splits = ScoreGroups::build(SPLITS.len(), &ascending_positive, |i| {
            let split = sorted[i].payload & NO_SPLIT;
            (split != NO_SPLIT).then_some(split)
        });
        let metadata = snapshot
            .metadata
            .iter()
            .map(|column| {
                // Gathered once (missing as u32::MAX): the build reads codes twice, in rank order.
                let codes: Vec<u32> =
                    ascending_pairs.iter().map(|&p| column.codes[p as usize].unwrap_or(u32::MAX)).collect();
                ScoreGroups::build(column.values.len(), &ascending_positive, |i| {
                    (codes[i] != u32::MAX).then_some(codes[i])
                })
            })
            .collect();
        ScoreSide { counts, ascending_pairs, ascending_scores, ascending_positive, candidates, auc, splits, metadata }
    }
}
