//! What the labels of one pair say: how many labelers labeled it, their verdicts, and per
//! tag how many applied it. Consensus, HLP and agreement are all read from this summary,
//! so the label columns are walked once per data change.

use super::agreement::Disagreement;
use super::snapshot::{Labels, MAX_TAGS, TagBits, Truth, tag_indices};

/// The labels of one pair, gathered by [`PairLabels::collect`] (reused from pair to pair).
#[derive(Clone, Debug)]
pub(crate) struct PairLabels {
    /// Labelers who labeled the pair (with or without a verdict).
    pub(crate) labelers: u64,
    /// Tags applied by at least one of them / by all of them.
    pub(crate) union: TagBits,
    pub(crate) common: TagBits,
    /// Per tag in `union`: how many labelers applied it (other entries are stale).
    applied: [u64; MAX_TAGS],
    /// (labeler, verdict) of those who gave a verdict, in label row order.
    pub(crate) verdicts: Vec<(u32, Truth)>,
}

impl Default for PairLabels {
    fn default() -> Self {
        PairLabels { labelers: 0, union: 0, common: 0, applied: [0; MAX_TAGS], verdicts: Vec::new() }
    }
}

impl PairLabels {
    /// Gathers the label `rows` of one pair.
    pub(crate) fn collect(&mut self, labels: &Labels, rows: impl Iterator<Item = usize> + Clone) {
        self.verdicts.clear();
        let (mut union, mut common, mut m) = (0, TagBits::MAX, 0);
        for row in rows.clone() {
            let tags = labels.tags[row];
            union |= tags;
            common &= tags;
            m += 1;
            if let Some(v) = labels.verdict[row] {
                self.verdicts.push((labels.labeler[row], v));
            }
        }
        for tag in tag_indices(union) {
            self.applied[tag] = rows.clone().filter(|&row| labels.tags[row] >> tag & 1 == 1).count() as u64;
        }
        self.labelers = m;
        self.union = union;
        self.common = if m == 0 { 0 } else { common };
    }

    /// Tags in `union` with their counts.
    pub(crate) fn tag_counts(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        tag_indices(self.union).map(|tag| (tag, self.applied[tag]))
    }

    /// How the labelers disagree, if they do (two labelers at least): on the verdict, on tags.
    pub(crate) fn disagreement(&self, pair: usize) -> Option<Disagreement> {
        if self.labelers < 2 {
            return None;
        }
        let same = self.verdicts.iter().filter(|(_, v)| *v == Truth::Same).count();
        let verdict = same > 0 && same < self.verdicts.len();
        let tags = self.union & !self.common;
        (verdict || tags != 0).then_some(Disagreement { pair: pair as u32, verdict, tags })
    }

    /// The consensus tags: applied by at least half of the pair's labelers (see
    /// [`super::consensus_of`], the same rule on a list of tag sets).
    pub(crate) fn consensus(&self) -> TagBits {
        self.tag_counts().filter(|&(_, applied)| 2 * applied >= self.labelers).fold(0, |bits, (tag, _)| bits | 1 << tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::consensus_of;
    use crate::analysis::snapshot::Truth::{Different, Same};

    #[test]
    fn summarizes_one_pair() {
        let mut labels = Labels::default();
        labels.push(7, 2, Some(Same), 0b011);
        labels.push(7, 0, None, 0b010);
        labels.push(7, 1, Some(Different), 0b110);
        let mut pair = PairLabels::default();
        pair.collect(&labels, 0..3);
        assert_eq!((pair.labelers, pair.union, pair.common), (3, 0b111, 0b010));
        assert_eq!(pair.tag_counts().collect::<Vec<_>>(), vec![(0, 1), (1, 3), (2, 1)]);
        assert_eq!(pair.verdicts, vec![(2, Same), (1, Different)]);
        assert_eq!(pair.consensus(), 0b010);
        assert_eq!(pair.consensus(), consensus_of(&labels.tags));
        // Reused for a pair without labels.
        pair.collect(&labels, 0..0);
        assert_eq!((pair.labelers, pair.union, pair.common, pair.consensus()), (0, 0, 0, 0));
        assert!(pair.verdicts.is_empty());
    }
}
