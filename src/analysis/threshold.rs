//! Candidate thresholds and the rules that choose one.
//!
//! Candidates are the distinct scores of evaluable pairs plus +∞ (predict nothing `same`).
//! A rate whose denominator is 0 (FPR without negatives, FNR without positives) counts as 0
//! when choosing: no error of that kind is possible.

use std::fmt;

use serde::Serialize;

use super::confusion::{Confusion, Rates};
use super::intervals;

/// How the operating threshold is chosen.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ThresholdRule {
    /// This threshold.
    Fixed(f64),
    /// The smallest candidate with FPR ≤ F (so the best recall under that FPR).
    MaxFpr(f64),
    /// The candidate with the highest accuracy; ties go to the larger threshold.
    #[default]
    MaxAccuracy,
    /// The candidate where FPR and FNR cross: the smallest |FPR − FNR|, ties to the larger
    /// threshold.
    Eer,
    /// FPR ≤ F demonstrated at 95 %: the smallest candidate whose one-sided 95 %
    /// Clopper–Pearson upper bound on the FPR is ≤ F. When the data cannot demonstrate F
    /// (fewer different-person pairs than ⌈ln 0.05 / ln(1 − F)⌉), nothing is accepted
    /// (threshold +∞): a bound the data cannot back must not open the door.
    MaxFprDemonstrated(f64),
}

impl ThresholdRule {
    /// Rejects a NaN fixed threshold and an FPR bound outside [0, 1].
    pub fn validate(&self) -> Result<(), RuleError> {
        match *self {
            ThresholdRule::Fixed(t) if t.is_nan() => Err(RuleError::NanThreshold),
            ThresholdRule::MaxFpr(f) if !(0.0..=1.0).contains(&f) => Err(RuleError::FprOutOfRange(f)),
            ThresholdRule::MaxFprDemonstrated(f) if !(f > 0.0 && f <= 1.0) => Err(RuleError::CannotDemonstrate(f)),
            _ => Ok(()),
        }
    }
}

impl ThresholdRule {
    /// The FPR bound of a `max-fpr` rule, demonstrated or not.
    pub fn fpr_bound(&self) -> Option<f64> {
        match *self {
            ThresholdRule::MaxFpr(f) | ThresholdRule::MaxFprDemonstrated(f) => Some(f),
            _ => None,
        }
    }
}

/// As in the report: `fixed 0.5`, `max-fpr 0.0001`, `max-fpr 0.0001 demonstrated`,
/// `max-accuracy`, `eer`.
impl fmt::Display for ThresholdRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThresholdRule::Fixed(t) => write!(f, "fixed {t}"),
            ThresholdRule::MaxFpr(x) => write!(f, "max-fpr {x}"),
            ThresholdRule::MaxFprDemonstrated(x) => write!(f, "max-fpr {x} demonstrated"),
            ThresholdRule::MaxAccuracy => f.write_str("max-accuracy"),
            ThresholdRule::Eer => f.write_str("eer"),
        }
    }
}

impl Serialize for ThresholdRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A threshold rule that cannot be applied.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RuleError {
    NanThreshold,
    FprOutOfRange(f64),
    /// A demonstrated bound must be in (0, 1]: no finite number of pairs demonstrates FPR 0.
    CannotDemonstrate(f64),
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::NanThreshold => f.write_str("the threshold is not a number"),
            RuleError::FprOutOfRange(x) => {
                write!(f, "the maximum FPR {x} is not between 0 and 1")
            }
            RuleError::CannotDemonstrate(x) => write!(
                f,
                "the maximum FPR {x} cannot be demonstrated: give a bound above 0 and at most 1 \
                 (no finite number of pairs demonstrates an FPR of 0)"
            ),
        }
    }
}

impl std::error::Error for RuleError {}

/// The outcome at one threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OperatingPoint {
    pub rule: ThresholdRule,
    /// `+∞` when nothing is predicted `same` (serialized as null).
    pub threshold: f64,
    pub confusion: Confusion,
    pub rates: Rates,
}

impl OperatingPoint {
    /// The threshold, or `None` when it is +∞.
    pub fn finite_threshold(&self) -> Option<f64> {
        self.threshold.is_finite().then_some(self.threshold)
    }
}

/// Candidate thresholds with cumulative counts, built once per data change.
#[derive(Clone, Debug)]
pub(crate) struct Candidates {
    /// Descending: `+∞` first, then the distinct evaluable scores.
    thresholds: Vec<f64>,
    /// Positives / negatives with score ≥ `thresholds[i]`.
    tp: Vec<u64>,
    fp: Vec<u64>,
    positives: u64,
    negatives: u64,
    max_accuracy: usize,
    eer: usize,
}

impl Candidates {
    /// `descending`: the evaluable pairs as `(score, positive)` in descending score order.
    pub(crate) fn from_descending(descending: impl Iterator<Item = (f64, bool)>) -> Self {
        let (lower, _) = descending.size_hint();
        let mut thresholds = Vec::with_capacity(lower + 1);
        let mut tp = Vec::with_capacity(lower + 1);
        let mut fp = Vec::with_capacity(lower + 1);
        thresholds.push(f64::INFINITY);
        tp.push(0);
        fp.push(0);
        let (mut p, mut n) = (0u64, 0u64);
        for (score, positive) in descending {
            if score != *thresholds.last().unwrap_or(&f64::INFINITY) {
                thresholds.push(score);
                tp.push(p);
                fp.push(n);
            }
            if positive {
                p += 1;
            } else {
                n += 1;
            }
            let last = tp.len() - 1;
            tp[last] = p;
            fp[last] = n;
        }
        let mut c = Candidates { thresholds, tp, fp, positives: p, negatives: n, max_accuracy: 0, eer: 0 };
        c.max_accuracy = c.argmin_by(|c, i| std::cmp::Reverse(c.tp[i] + c.negatives - c.fp[i]));
        c.eer = c.argmin_by(|c, i| c.eer_gap(i));
        c
    }

    /// First index minimizing `key`: candidates run from the largest threshold down, so
    /// ties go to the larger threshold.
    fn argmin_by<K: Ord>(&self, key: impl Fn(&Self, usize) -> K) -> usize {
        (0..self.len()).min_by_key(|&i| key(self, i)).unwrap_or_default()
    }

    /// |FPR − FNR| scaled by P·N (exact in integers), with an undefined rate counted as 0.
    fn eer_gap(&self, i: usize) -> u128 {
        let (p, n) = (self.positives as u128, self.negatives as u128);
        let fp = self.fp[i] as u128;
        let fn_ = p - self.tp[i] as u128;
        match (p > 0, n > 0) {
            (true, true) => (fp * p).abs_diff(fn_ * n),
            (true, false) => fn_,
            (false, true) => fp,
            (false, false) => 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.thresholds.len()
    }

    pub(crate) fn positives(&self) -> u64 {
        self.positives
    }

    pub(crate) fn negatives(&self) -> u64 {
        self.negatives
    }

    pub(crate) fn threshold(&self, i: usize) -> f64 {
        self.thresholds[i]
    }

    /// Confusion counts at candidate `i`.
    pub(crate) fn confusion(&self, i: usize) -> Confusion {
        Confusion { tp: self.tp[i], fp: self.fp[i], tn: self.negatives - self.fp[i], fn_: self.positives - self.tp[i] }
    }

    /// Confusion counts at any threshold (NaN behaves as +∞).
    pub(crate) fn confusion_at(&self, threshold: f64) -> Confusion {
        let at_least = self.thresholds.partition_point(|&c| c >= threshold);
        self.confusion(at_least.saturating_sub(1))
    }

    /// The smallest candidate whose FPR is ≤ `max_fpr`.
    pub(crate) fn max_fpr(&self, max_fpr: f64) -> usize {
        let n = self.negatives;
        let within = |fp: &u64| n == 0 || (*fp as f64 / n as f64) <= max_fpr;
        self.fp.partition_point(within).saturating_sub(1)
    }

    /// The smallest candidate whose one-sided 95 % upper bound on the FPR is ≤ `max_fpr`, or
    /// `None` when no candidate has one (fewer negatives than the target needs). The bound
    /// grows with the false accepts, which grow as the threshold falls, so it is the last
    /// candidate with at most `max_failures_demonstrating` false accepts.
    pub(crate) fn demonstrated(&self, max_fpr: f64) -> Option<usize> {
        let allowed = intervals::max_failures_demonstrating(self.negatives, max_fpr)?;
        // fp[0] = 0 ≤ allowed, so at least the +∞ candidate qualifies.
        Some(self.fp.partition_point(|&fp| fp <= allowed) - 1)
    }

    /// The candidate index a rule picks, or `None` for a fixed threshold.
    pub(crate) fn index_for(&self, rule: ThresholdRule) -> Option<usize> {
        match rule {
            ThresholdRule::Fixed(_) => None,
            ThresholdRule::MaxFpr(f) => Some(self.max_fpr(f)),
            // Not demonstrable: +∞, nothing accepted.
            ThresholdRule::MaxFprDemonstrated(f) => Some(self.demonstrated(f).unwrap_or(0)),
            ThresholdRule::MaxAccuracy => Some(self.max_accuracy),
            ThresholdRule::Eer => Some(self.eer),
        }
    }

    /// The operating point a rule picks.
    pub(crate) fn operating_point(&self, rule: ThresholdRule) -> Result<OperatingPoint, RuleError> {
        rule.validate()?;
        let (threshold, confusion) = match (rule, self.index_for(rule)) {
            (ThresholdRule::Fixed(t), _) => (t, self.confusion_at(t)),
            (_, Some(i)) => (self.threshold(i), self.confusion(i)),
            (_, None) => unreachable!("every rule but fixed picks a candidate"),
        };
        Ok(OperatingPoint { rule, threshold, confusion, rates: confusion.rates() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores with truths: (0.9 S) (0.8 D) (0.8 S) (0.6 S) (0.4 D) (0.3 D) (0.1 S).
    fn example() -> Candidates {
        let items = [(0.9, true), (0.8, false), (0.8, true), (0.6, true), (0.4, false), (0.3, false), (0.1, true)];
        Candidates::from_descending(items.into_iter())
    }

    #[test]
    fn candidates_are_distinct_scores_plus_infinity() {
        let c = example();
        assert_eq!(c.thresholds, vec![f64::INFINITY, 0.9, 0.8, 0.6, 0.4, 0.3, 0.1]);
        assert_eq!(c.tp, vec![0, 1, 2, 3, 3, 3, 4]);
        assert_eq!(c.fp, vec![0, 0, 1, 1, 2, 3, 3]);
        assert_eq!((c.positives(), c.negatives()), (4, 3));
    }

    #[test]
    fn fixed_threshold_between_and_on_scores() {
        let c = example();
        let at = |t| {
            let x = c.confusion_at(t);
            (x.tp, x.fp, x.tn, x.fn_)
        };
        assert_eq!(at(0.8), (2, 1, 2, 2));
        assert_eq!(at(0.7), (2, 1, 2, 2));
        assert_eq!(at(0.95), (0, 0, 3, 4));
        assert_eq!(at(f64::NEG_INFINITY), (4, 3, 0, 0));
        assert_eq!(at(f64::INFINITY), (0, 0, 3, 4));
        assert_eq!(at(f64::NAN), (0, 0, 3, 4));
    }

    #[test]
    fn max_fpr_takes_the_smallest_qualifying_candidate() {
        let c = example();
        // FPR per candidate: 0, 0, 1/3, 1/3, 2/3, 1, 1.
        assert_eq!(c.threshold(c.max_fpr(0.0)), 0.9);
        assert_eq!(c.threshold(c.max_fpr(0.34)), 0.6);
        assert_eq!(c.threshold(c.max_fpr(1.0)), 0.1);
        // Only +∞ qualifies when the top score is a negative.
        let c = Candidates::from_descending([(0.9, false), (0.1, true)].into_iter());
        assert_eq!(c.threshold(c.max_fpr(0.0)), f64::INFINITY);
        // No negatives: every candidate qualifies.
        let c = Candidates::from_descending([(0.9, true), (0.1, true)].into_iter());
        assert_eq!(c.threshold(c.max_fpr(0.0)), 0.1);
    }

    #[test]
    fn max_accuracy_ties_go_to_the_larger_threshold() {
        let c = example();
        // Correct per candidate: 3, 4, 4, 5, 4, 3, 4 → 0.6.
        assert_eq!(c.threshold(c.max_accuracy), 0.6);
        // Correct: 1 at +∞, 1 at 0.5 (tp=1, tn=0): tie → +∞.
        let c = Candidates::from_descending([(0.5, true), (0.5, false)].into_iter());
        assert_eq!(c.threshold(c.max_accuracy), f64::INFINITY);
    }

    #[test]
    fn eer_is_where_fpr_and_fnr_cross() {
        let c = example();
        // FPR: 0, 0, 1/3, 1/3, 2/3, 1, 1; FNR: 1, 3/4, 1/2, 1/4, 1/4, 1/4, 0.
        // |FPR − FNR|·12: 12, 9, 2, 1, 5, 9, 12 → candidate 0.6.
        assert_eq!(c.threshold(c.eer), 0.6);
        let op = c.operating_point(ThresholdRule::Eer).unwrap();
        assert_eq!(op.rates.fpr, Some(1.0 / 3.0));
        assert_eq!(op.rates.fnr, Some(0.25));
    }

    #[test]
    fn single_class_rules() {
        // No negatives: EER minimizes FNR → smallest threshold.
        let c = Candidates::from_descending([(0.9, true), (0.1, true)].into_iter());
        assert_eq!(c.threshold(c.eer), 0.1);
        // No positives: EER minimizes FPR → +∞; max accuracy → +∞.
        let c = Candidates::from_descending([(0.9, false), (0.1, false)].into_iter());
        assert_eq!(c.threshold(c.eer), f64::INFINITY);
        assert_eq!(c.threshold(c.max_accuracy), f64::INFINITY);
        // Nothing evaluable.
        let c = Candidates::from_descending(std::iter::empty());
        let op = c.operating_point(ThresholdRule::MaxAccuracy).unwrap();
        assert_eq!(op.threshold, f64::INFINITY);
        assert_eq!(op.finite_threshold(), None);
        assert_eq!(op.rates.accuracy, None);
    }

    #[test]
    fn rule_names_and_validation() {
        assert_eq!(ThresholdRule::Fixed(0.5).to_string(), "fixed 0.5");
        assert_eq!(ThresholdRule::MaxFpr(0.0001).to_string(), "max-fpr 0.0001");
        assert_eq!(ThresholdRule::MaxAccuracy.to_string(), "max-accuracy");
        assert_eq!(ThresholdRule::Eer.to_string(), "eer");
        assert_eq!(serde_json::to_string(&ThresholdRule::MaxAccuracy).unwrap(), "\"max-accuracy\"");
        assert!(ThresholdRule::Fixed(f64::NAN).validate().is_err());
        assert!(ThresholdRule::MaxFpr(1.5).validate().is_err());
        assert!(ThresholdRule::MaxFpr(f64::NAN).validate().is_err());
        assert!(ThresholdRule::MaxFpr(0.0).validate().is_ok());
        let c = example();
        assert_eq!(c.operating_point(ThresholdRule::Fixed(f64::NAN)), Err(RuleError::NanThreshold));
        assert_eq!(ThresholdRule::MaxFprDemonstrated(0.0001).to_string(), "max-fpr 0.0001 demonstrated");
        assert_eq!(
            serde_json::to_string(&ThresholdRule::MaxFprDemonstrated(0.01)).unwrap(),
            "\"max-fpr 0.01 demonstrated\""
        );
        assert_eq!(ThresholdRule::MaxFprDemonstrated(0.0).validate(), Err(RuleError::CannotDemonstrate(0.0)));
        assert!(ThresholdRule::MaxFprDemonstrated(1.5).validate().is_err());
        assert!(ThresholdRule::MaxFprDemonstrated(f64::NAN).validate().is_err());
        assert!(ThresholdRule::MaxFprDemonstrated(1e-6).validate().is_ok());
    }

    /// `n` negatives and `n / 2` positives on a coarse score grid (many ties), from a seed.
    fn scored(seed: u64, negatives: u64) -> Candidates {
        let mut rng = crate::rng::SeededRng::new(seed);
        let mut items: Vec<(f64, bool)> = (0..negatives).map(|_| (rng.below(60) as f64 / 100.0, false)).collect();
        items.extend((0..negatives / 2).map(|_| (0.3 + rng.below(70) as f64 / 100.0, true)));
        items.sort_by(|a, b| b.0.total_cmp(&a.0));
        Candidates::from_descending(items.into_iter())
    }

    /// The demonstrated candidate by brute force: the last (smallest-threshold) candidate whose
    /// one-sided 95 % upper bound on the FPR is ≤ f.
    fn demonstrated_by_brute_force(c: &Candidates, f: f64) -> Option<usize> {
        (0..c.len()).rfind(|&i| intervals::upper_bound(c.fp[i], c.negatives, 0.95).is_some_and(|u| u <= f))
    }

    #[test]
    fn demonstrated_exists_exactly_from_the_needed_negatives_and_is_the_smallest_such_threshold() {
        // f = 0.1 needs ⌈ln 0.05 / ln 0.9⌉ = 29 negatives; f = 0.05 needs 59.
        assert_eq!(intervals::trials_needed(0.1), Some(29));
        for f in [0.1, 0.05, 0.2] {
            let needed = intervals::trials_needed(f).unwrap();
            for negatives in [0, 1, needed - 1, needed, needed + 1, 3 * needed, 200] {
                for seed in 0..5 {
                    let c = scored(seed, negatives);
                    let found = c.demonstrated(f);
                    assert_eq!(found.is_some(), negatives >= needed, "f {f}, {negatives} negatives");
                    assert_eq!(found, demonstrated_by_brute_force(&c, f), "f {f}, {negatives} negatives, seed {seed}");
                    if let Some(i) = found {
                        let upper = intervals::upper_bound(c.fp[i], negatives, 0.95).unwrap();
                        assert!(upper <= f, "upper bound {upper} above {f}");
                        let op = c.operating_point(ThresholdRule::MaxFprDemonstrated(f)).unwrap();
                        assert_eq!(op.threshold, c.threshold(i));
                        // Never below the observed point: demonstrating is stricter.
                        assert!(c.threshold(i) >= c.threshold(c.max_fpr(f)));
                    }
                }
            }
        }
    }

    #[test]
    fn an_undemonstrable_target_accepts_nothing() {
        let c = scored(1, 20);
        assert_eq!(c.demonstrated(0.1), None);
        let op = c.operating_point(ThresholdRule::MaxFprDemonstrated(0.1)).unwrap();
        assert_eq!(op.threshold, f64::INFINITY);
        assert_eq!((op.confusion.tp, op.confusion.fp), (0, 0));
    }
}
