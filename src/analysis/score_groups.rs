//! Each group's positives and negatives as sorted score ranks.
//!
//! Built once per data change, so that the confusion counts of any group at any threshold
//! are two binary searches: this is what makes the per-threshold tables instant. Groups
//! store ranks (positions in the ascending score order, 4 bytes) rather than scores; a
//! threshold becomes a [`Cut`] once per query.

use super::confusion::Confusion;

/// A threshold as a position in the ascending order of evaluable scores: the number of
/// evaluable pairs scoring below it (predicted `different`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cut(pub(crate) u32);

impl Cut {
    /// The cut of `threshold` in `ascending` scores; NaN behaves as +∞.
    pub(crate) fn new(ascending: &[f64], threshold: f64) -> Cut {
        let below = if threshold.is_nan() { ascending.len() } else { ascending.partition_point(|&s| s < threshold) };
        Cut(below as u32)
    }
}

/// Groups of evaluable pairs (a pair is in at most one group) with, per group, the ranks of
/// its positives and of its negatives in ascending order (compressed sparse rows).
#[derive(Clone, Debug, Default)]
pub(crate) struct ScoreGroups {
    pos: Vec<u32>,
    pos_offsets: Vec<u32>,
    neg: Vec<u32>,
    neg_offsets: Vec<u32>,
}

impl ScoreGroups {
    /// Groups the evaluable pairs, given by their truth (`positive`) in ascending score
    /// order, by `group_of(rank)`; `None` leaves a pair out. Linear: a counting sort by group
    /// visiting ranks in order keeps every group's ranks sorted.
    pub(crate) fn build(groups: usize, positive: &[bool], group_of: impl Fn(usize) -> Option<u32>) -> Self {
        let mut pos_offsets = vec![0u32; groups + 1];
        let mut neg_offsets = vec![0u32; groups + 1];
        for (rank, &p) in positive.iter().enumerate() {
            if let Some(g) = group_of(rank) {
                let offsets = if p { &mut pos_offsets } else { &mut neg_offsets };
                offsets[g as usize + 1] += 1;
            }
        }
        for g in 0..groups {
            pos_offsets[g + 1] += pos_offsets[g];
            neg_offsets[g + 1] += neg_offsets[g];
        }
        let mut pos = vec![0u32; pos_offsets[groups] as usize];
        let mut neg = vec![0u32; neg_offsets[groups] as usize];
        let mut pos_next = pos_offsets.clone();
        let mut neg_next = neg_offsets.clone();
        for (rank, &p) in positive.iter().enumerate() {
            if let Some(g) = group_of(rank) {
                let (ranks, next) = if p { (&mut pos, &mut pos_next) } else { (&mut neg, &mut neg_next) };
                ranks[next[g as usize] as usize] = rank as u32;
                next[g as usize] += 1;
            }
        }
        ScoreGroups { pos, pos_offsets, neg, neg_offsets }
    }

    /// Pairs in group `g`.
    pub(crate) fn len(&self, g: usize) -> usize {
        (self.pos_offsets[g + 1] - self.pos_offsets[g] + self.neg_offsets[g + 1] - self.neg_offsets[g]) as usize
    }

    /// Group `g`'s positives' and negatives' ranks, each ascending.
    pub(crate) fn ranks(&self, g: usize) -> (&[u32], &[u32]) {
        (
            &self.pos[self.pos_offsets[g] as usize..self.pos_offsets[g + 1] as usize],
            &self.neg[self.neg_offsets[g] as usize..self.neg_offsets[g + 1] as usize],
        )
    }

    /// Confusion counts of group `g` at a threshold (predicted same ⇔ score ≥ threshold).
    pub(crate) fn confusion(&self, g: usize, cut: Cut) -> Confusion {
        let pos = &self.pos[self.pos_offsets[g] as usize..self.pos_offsets[g + 1] as usize];
        let neg = &self.neg[self.neg_offsets[g] as usize..self.neg_offsets[g + 1] as usize];
        let fn_ = pos.partition_point(|&r| r < cut.0) as u64;
        let tn = neg.partition_point(|&r| r < cut.0) as u64;
        Confusion { tp: pos.len() as u64 - fn_, fp: neg.len() as u64 - tn, tn, fn_ }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_group_at_a_threshold() {
        // Ascending by score.
        let scores = [0.1, 0.2, 0.3, 0.5, 0.5, 0.9];
        let positive = [true, false, false, false, true, true];
        let group = [Some(0), Some(1), None, Some(0), Some(0), Some(1)];
        let groups = ScoreGroups::build(3, &positive, |i| group[i]);
        let at = |g: usize, t: f64| groups.confusion(g, Cut::new(&scores, t));
        assert_eq!(at(0, 0.0).total(), 3);
        let c = at(0, 0.5);
        assert_eq!((c.tp, c.fp, c.tn, c.fn_), (1, 1, 0, 1));
        let c = at(1, 0.5);
        assert_eq!((c.tp, c.fp, c.tn, c.fn_), (1, 0, 1, 0));
        let c = at(0, f64::INFINITY);
        assert_eq!((c.tp, c.fp, c.tn, c.fn_), (0, 0, 1, 2));
        assert_eq!(at(0, f64::NAN), at(0, f64::INFINITY), "NaN behaves as +∞");
        let c = at(0, f64::NEG_INFINITY);
        assert_eq!((c.tp, c.fp, c.tn, c.fn_), (2, 1, 0, 0));
        assert_eq!(at(2, 0.0), Confusion::default());
    }

    #[test]
    fn cuts_count_scores_below() {
        let scores = [0.1, 0.5, 0.5, 0.9];
        assert_eq!(Cut::new(&scores, 0.5), Cut(1));
        assert_eq!(Cut::new(&scores, 0.6), Cut(3));
        assert_eq!(Cut::new(&scores, f64::NAN), Cut(4));
        assert_eq!(Cut::new(&[], 0.0), Cut(0));
    }
}
