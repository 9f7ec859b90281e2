//! The label-quality queues of the review screen (issue 15): "Likely wrong truth" and "Needs
//! another label" from the last label-quality computation, the calibrated P(same) shown on the
//! reveal, and gold pairs mixed unannounced into a blind labeler's queue.

use std::collections::{HashMap, HashSet};

use crate::curate::quality::ProjectQuality;
use crate::store::PairId;

/// In blind mode, one pair in this many of the queues a labeler labels from is a gold pair
/// (5 %), while gold pairs they have not labeled last.
pub const GOLD_EVERY: usize = 20;

/// What review takes from a label-quality computation.
#[derive(Clone, Debug, Default)]
pub struct ReviewQuality {
    /// Likeliest wrong truth first.
    pub likely_wrong_truth: Vec<PairId>,
    likely_wrong_set: HashSet<PairId>,
    /// The pair another label is worth most on first.
    pub needs_another_label: Vec<PairId>,
    needs_set: HashSet<PairId>,
    /// Calibrated, out-of-fold P(same).
    pub probability: HashMap<PairId, f64>,
}

impl ReviewQuality {
    pub fn new(q: &ProjectQuality) -> Self {
        let ids = |list: &[u32]| -> Vec<PairId> { list.iter().map(|&i| q.pair_ids[i as usize]).collect() };
        let likely_wrong_truth = ids(&q.quality.likely_wrong_truth);
        let needs_another_label = ids(&q.quality.needs_another_label);
        ReviewQuality {
            likely_wrong_set: likely_wrong_truth.iter().copied().collect(),
            needs_set: needs_another_label.iter().copied().collect(),
            likely_wrong_truth,
            needs_another_label,
            probability: q
                .quality
                .pairs
                .iter()
                .zip(&q.pair_ids)
                .filter_map(|(p, &id)| Some((id, p.model_probability?)))
                .collect(),
        }
    }

    pub fn likely_wrong(&self, pair: PairId) -> bool {
        self.likely_wrong_set.contains(&pair)
    }

    pub fn needs_label(&self, pair: PairId) -> bool {
        self.needs_set.contains(&pair)
    }
}

/// Spreads `gold` (the gold pairs the labeler has not labeled, in their shuffled order)
/// through `queue`: after every `GOLD_EVERY - 1` other pairs comes one gold pair, so gold is
/// one pair in [`GOLD_EVERY`]. Gold pairs already in the queue are taken out first and placed
/// the same way; with `members` (a queue that holds every such pair anyway, like "Unlabeled by
/// me") the gold pairs left over go at the end, else they stay out.
pub fn mix_gold(queue: Vec<PairId>, gold: &[PairId], members: bool) -> Vec<PairId> {
    if gold.is_empty() {
        return queue;
    }
    let gold_set: HashSet<PairId> = gold.iter().copied().collect();
    let mut next_gold = gold.iter().copied();
    let mut out = Vec::with_capacity(queue.len() + gold.len());
    let mut since_gold = 0;
    for pair in queue.into_iter().filter(|p| !gold_set.contains(p)) {
        out.push(pair);
        since_gold += 1;
        if since_gold == GOLD_EVERY - 1
            && let Some(g) = next_gold.next()
        {
            out.push(g);
            since_gold = 0;
        }
    }
    if members {
        out.extend(next_gold);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(range: std::ops::Range<i64>) -> Vec<PairId> {
        range.map(PairId).collect()
    }

    #[test]
    fn gold_is_one_pair_in_twenty_and_leftovers_stay_only_in_queues_that_hold_them() {
        let gold = ids(1000..1010);
        let mixed = mix_gold(ids(0..57), &gold, false);
        // 57 others: gold after the 19th, 38th and 57th.
        assert_eq!(mixed.len(), 60);
        let at: Vec<usize> = mixed.iter().enumerate().filter(|(_, p)| p.0 >= 1000).map(|(i, _)| i).collect();
        assert_eq!(at, vec![19, 39, 59]);
        assert_eq!(&mixed[..3], &ids(0..3)[..]);
        // A queue that holds the gold pairs already: they are spread, and none is lost.
        let mut all = ids(0..40);
        all.extend(&gold);
        let mixed = mix_gold(all, &gold, true);
        assert_eq!(mixed.len(), 50);
        assert_eq!(mixed[19], PairId(1000));
        assert_eq!(mixed[39], PairId(1001));
        assert_eq!(&mixed[42..], &ids(1002..1010)[..]);
        assert_eq!(mix_gold(ids(0..5), &[], false), ids(0..5));
    }
}
