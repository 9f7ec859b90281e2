//! Human-level performance: the fraction of verdicts on pairs with a truth that equal it.

use serde::Serialize;

use super::confusion::ratio;
use super::snapshot::Truth;

/// Verdicts compared with the truth.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Hlp {
    /// Verdicts equal to the truth.
    pub correct: u64,
    /// Verdicts on pairs with a truth.
    pub total: u64,
}

impl Hlp {
    /// HLP, or `None` without verdicts on pairs with a truth.
    pub fn accuracy(&self) -> Option<f64> {
        ratio(self.correct, self.total)
    }

    /// Human error = 1 − HLP.
    pub fn error(&self) -> Option<f64> {
        ratio(self.total - self.correct, self.total)
    }

    pub(crate) fn add(&mut self, correct: u64, total: u64) {
        self.correct += correct;
        self.total += total;
    }
}

/// HLP overall and per labeler (indexed like `labeler_names`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HlpSummary {
    pub overall: Hlp,
    pub labelers: Vec<Hlp>,
    /// Per labeler: gave at least one verdict (on any pair).
    pub gave_verdicts: Vec<bool>,
}

impl HlpSummary {
    /// No verdicts yet, for `labelers` labelers.
    pub(crate) fn new(labelers: usize) -> Self {
        HlpSummary {
            overall: Hlp::default(),
            labelers: vec![Hlp::default(); labelers],
            gave_verdicts: vec![false; labelers],
        }
    }

    /// Counts one pair's `verdicts` (labeler, verdict) against its truth, overall and per
    /// labeler; returns the pair's own counts (zero without truth).
    pub(crate) fn tally(&mut self, verdicts: &[(u32, Truth)], truth: Option<Truth>) -> Hlp {
        let mut pair = Hlp::default();
        for &(labeler, verdict) in verdicts {
            let labeler = labeler as usize;
            self.gave_verdicts[labeler] = true;
            if let Some(truth) = truth {
                let right = u64::from(verdict == truth);
                pair.add(right, 1);
                self.labelers[labeler].add(right, 1);
            }
        }
        self.overall += pair;
        pair
    }
}

impl HlpSummary {
    /// Adds the verdicts counted in `other` (over other pairs).
    pub(crate) fn merge(&mut self, other: &HlpSummary) {
        self.overall += other.overall;
        for (mine, theirs) in self.labelers.iter_mut().zip(&other.labelers) {
            *mine += *theirs;
        }
        for (mine, theirs) in self.gave_verdicts.iter_mut().zip(&other.gave_verdicts) {
            *mine |= theirs;
        }
    }
}

impl std::ops::AddAssign for Hlp {
    fn add_assign(&mut self, o: Hlp) {
        self.correct += o.correct;
        self.total += o.total;
    }
}

/// Takes back counts added before (a label edit).
impl std::ops::SubAssign for Hlp {
    fn sub_assign(&mut self, o: Hlp) {
        self.correct -= o.correct;
        self.total -= o.total;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::snapshot::Truth::{Different, Same};

    #[test]
    fn hlp_by_hand() {
        let mut summary = HlpSummary::new(3);
        // Pair 0 (same): labeler 0 right, labeler 1 wrong. Pair 1 (different): labeler 0
        // right. Pair 2 has no truth: labeler 1's verdict counts as given, not as HLP.
        let pair0 = summary.tally(&[(0, Same), (1, Different)], Some(Same));
        let pair1 = summary.tally(&[(0, Different)], Some(Different));
        let pair2 = summary.tally(&[(1, Same)], None);
        assert_eq!(pair0, Hlp { correct: 1, total: 2 });
        assert_eq!(pair1, Hlp { correct: 1, total: 1 });
        assert_eq!(pair2, Hlp::default());
        assert_eq!(summary.overall, Hlp { correct: 2, total: 3 });
        assert_eq!(summary.overall.accuracy(), Some(2.0 / 3.0));
        assert_eq!(summary.overall.error(), Some(1.0 / 3.0));
        assert_eq!(summary.labelers[0].accuracy(), Some(1.0));
        assert_eq!(summary.labelers[1].accuracy(), Some(0.0));
        assert_eq!(summary.labelers[2].accuracy(), None);
        assert_eq!(summary.gave_verdicts, vec![true, true, false]);
    }
}
