//! A threshold rule applied to one split's pairs only (`--threshold-from SPLIT`): the split's
//! candidates are built from its ranks, in one merge over the split, O(its pairs).

use super::Prepared;
use crate::analysis::confusion::Confusion;
use crate::analysis::score_groups::Cut;
use crate::analysis::snapshot::Split;
use crate::analysis::threshold::{Candidates, OperatingPoint, RuleError, ThresholdRule};

impl Prepared {
    /// The operating point `rule` picks on `split`'s evaluable pairs alone; `Ok(None)` when
    /// the split has none.
    pub fn split_operating_point(
        &self,
        split: Split,
        rule: ThresholdRule,
    ) -> Result<Option<OperatingPoint>, RuleError> {
        rule.validate()?;
        let (pos, neg) = self.splits.ranks(split.index());
        if pos.is_empty() && neg.is_empty() {
            return Ok(None);
        }
        // Both lists ascend by rank (= by score); walk them from the top down.
        let (mut i, mut j) = (pos.len(), neg.len());
        let descending = std::iter::from_fn(|| {
            let take_pos = match (i.checked_sub(1), j.checked_sub(1)) {
                (Some(a), Some(b)) => pos[a] > neg[b],
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => return None,
            };
            let rank = if take_pos {
                i -= 1;
                pos[i]
            } else {
                j -= 1;
                neg[j]
            };
            Some((self.ascending_scores[rank as usize], take_pos))
        });
        let candidates = Candidates::from_descending(descending);
        candidates.operating_point(rule).map(Some)
    }

    /// Confusion counts of `split`'s evaluable pairs at `threshold` (NaN behaves as +∞).
    pub fn split_confusion(&self, split: Split, threshold: f64) -> Confusion {
        self.splits.confusion(split.index(), Cut::new(&self.ascending_scores, threshold))
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::snapshot::Truth::{Different, Same};
    use crate::analysis::snapshot::{Snapshot, Split};
    use crate::analysis::threshold::ThresholdRule;
    use crate::analysis::{Prepared, predicted};

    /// Dev and test with different best thresholds; pairs without split in between.
    fn example() -> Snapshot {
        let mut s = Snapshot::with_pairs(8, vec![], vec![]);
        s.score = vec![0.9, 0.7, 0.6, 0.3, 0.8, 0.5, 0.4, 0.2];
        s.truth = vec![
            Some(Same),
            Some(Same),
            Some(Different),
            Some(Different),
            Some(Same),
            Some(Same),
            Some(Different),
            Some(Different),
        ];
        s.split = vec![
            Some(Split::Dev),
            Some(Split::Dev),
            Some(Split::Dev),
            Some(Split::Dev),
            Some(Split::Test),
            Some(Split::Test),
            Some(Split::Test),
            None,
        ];
        s
    }

    /// The rule on a snapshot of the split's pairs alone, the slow way.
    fn on_split_alone(s: &Snapshot, split: Split, rule: ThresholdRule) -> f64 {
        let keep: Vec<usize> = (0..s.pair_count()).filter(|&p| s.split[p] == Some(split)).collect();
        let mut alone = Snapshot::with_pairs(keep.len(), vec![], vec![]);
        alone.score = keep.iter().map(|&p| s.score[p]).collect();
        alone.truth = keep.iter().map(|&p| s.truth[p]).collect();
        Prepared::new(&alone).unwrap().operating_point(rule).unwrap().threshold
    }

    #[test]
    fn a_rule_on_a_split_equals_the_rule_on_its_pairs_alone() {
        let s = example();
        let p = Prepared::new(&s).unwrap();
        for rule in
            [ThresholdRule::MaxAccuracy, ThresholdRule::Eer, ThresholdRule::MaxFpr(0.0), ThresholdRule::MaxFpr(0.5)]
        {
            for split in [Split::Dev, Split::Test] {
                let op = p.split_operating_point(split, rule).unwrap().unwrap();
                assert_eq!(op.threshold, on_split_alone(&s, split, rule), "{rule} on {split:?}");
            }
        }
        // Max accuracy: dev separates at 0.7, test at 0.5.
        let at = |split| p.split_operating_point(split, ThresholdRule::MaxAccuracy).unwrap().unwrap();
        assert_eq!((at(Split::Dev).threshold, at(Split::Test).threshold), (0.7, 0.5));
        assert_eq!(at(Split::Test).confusion.errors(), 0);
        // The split's confusion at a threshold counts its pairs only.
        let c = p.split_confusion(Split::Test, 0.7);
        let by_hand = (4..7).filter(|&i| predicted(s.score[i], 0.7) != s.truth[i].unwrap()).count() as u64;
        assert_eq!((c.total(), c.errors()), (3, by_hand));
    }

    #[test]
    fn a_split_without_pairs_has_no_operating_point() {
        let p = Prepared::new(&example()).unwrap();
        assert_eq!(p.split_operating_point(Split::Train, ThresholdRule::Eer), Ok(None));
        assert!(p.split_operating_point(Split::Dev, ThresholdRule::MaxFpr(2.0)).is_err());
    }
}
