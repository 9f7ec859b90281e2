//! FPR targets, observed and demonstrated (issue 13), the equal error rate, and the door-lock
//! claim as one sentence.
//!
//! For a target f, the *observed* point is the smallest threshold whose FPR is ≤ f (the
//! `max-fpr` rule); the *demonstrated* point is the smallest threshold whose one-sided 95 %
//! Clopper–Pearson upper bound on the FPR is ≤ f. A demonstrated point exists exactly when
//! there are at least ⌈ln 0.05 / ln(1 − f)⌉ different-person pairs: with fewer, even 0 false
//! accepts leave an upper bound above f.

use serde::Serialize;

use super::confusion::{Confusion, ratio};
use super::intervals::{self, Proportion};
use super::prepared::Prepared;
use super::text::grouped;
use super::threshold::{Candidates, ThresholdRule};

/// One threshold with its counts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThresholdPoint {
    /// +∞ when nothing is predicted `same`.
    pub threshold: f64,
    pub confusion: Confusion,
}

impl ThresholdPoint {
    fn at(c: &Candidates, i: usize) -> Self {
        ThresholdPoint { threshold: c.threshold(i), confusion: c.confusion(i) }
    }

    /// The threshold, or `None` when it is +∞.
    pub fn finite_threshold(&self) -> Option<f64> {
        self.threshold.is_finite().then_some(self.threshold)
    }

    /// True positives of the same-person pairs.
    pub fn tpr(&self) -> Proportion {
        Proportion::new(self.confusion.tp, self.confusion.positives())
    }

    /// False accepts of the different-person pairs.
    pub fn fpr(&self) -> Proportion {
        Proportion::new(self.confusion.fp, self.confusion.negatives())
    }
}

/// A target f with its observed and demonstrated points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FprTarget {
    pub target: f64,
    /// The smallest threshold with FPR ≤ f.
    pub observed: ThresholdPoint,
    /// The smallest threshold whose upper bound on the FPR is ≤ f; `None` when the data
    /// cannot demonstrate f.
    pub demonstrated: Option<ThresholdPoint>,
    /// ⌈ln 0.05 / ln(1 − f)⌉; `None` for f = 0, which no finite number demonstrates.
    pub negatives_needed: Option<u64>,
}

impl FprTarget {
    pub(crate) fn new(c: &Candidates, target: f64) -> Self {
        FprTarget {
            target,
            observed: ThresholdPoint::at(c, c.max_fpr(target)),
            demonstrated: c.demonstrated(target).map(|i| ThresholdPoint::at(c, i)),
            negatives_needed: intervals::trials_needed(target),
        }
    }

    /// Different-person pairs counted.
    pub fn negatives(&self) -> u64 {
        self.observed.confusion.negatives()
    }

    /// The door-lock claim as one sentence, for example "FPR ≤ 0.01 % is not demonstrated:
    /// 2,795 different-person pairs, 0 false accepts, upper bound 0.107 %; it needs ≥ 29,956."
    pub fn claim(&self) -> String {
        let target = target_percent(self.target);
        let negatives = grouped(self.negatives());
        let accepts = |p: &ThresholdPoint| {
            let fa = p.confusion.fp;
            let upper = p.fpr().upper95().map_or(String::new(), |u| format!(", upper bound {}", percent3(u)));
            format!("{} false accept{}{upper}", grouped(fa), if fa == 1 { "" } else { "s" })
        };
        match (&self.demonstrated, self.negatives_needed) {
            (Some(d), _) => {
                let tpr = d.tpr();
                let recall = format!(
                    "TPR {} ({} of {})",
                    tpr.rate().map_or("–".into(), percent3),
                    grouped(tpr.k),
                    grouped(tpr.n)
                );
                let at = match d.finite_threshold() {
                    Some(t) => format!("at threshold {t:.4}"),
                    None => "only by accepting no pair".into(),
                };
                format!(
                    "FPR ≤ {target} is demonstrated {at}: {negatives} different-person pairs, {}; {recall}.",
                    accepts(d)
                )
            }
            (None, Some(needed)) if self.negatives() == 0 => {
                format!(
                    "FPR ≤ {target} is not demonstrated: no different-person pairs; it needs ≥ {}.",
                    grouped(needed)
                )
            }
            (None, Some(needed)) => format!(
                "FPR ≤ {target} is not demonstrated: {negatives} different-person pairs, {}; it needs ≥ {}.",
                accepts(&self.observed),
                grouped(needed)
            ),
            (None, None) => {
                format!("FPR ≤ {target} can never be demonstrated: every finite count leaves a bound above it.")
            }
        }
    }
}

/// The equal error rate: at the EER candidate (where FPR and FNR cross), their mean.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Eer {
    /// (FPR + FNR) / 2 at the EER threshold; null without both positives and negatives.
    pub rate: Option<f64>,
    /// null when it is +∞.
    pub threshold: Option<f64>,
}

impl Prepared {
    /// The observed and demonstrated points of an FPR target f.
    pub fn fpr_target(&self, target: f64) -> FprTarget {
        FprTarget::new(self.candidates(), target)
    }

    /// The equal error rate and its threshold (the `eer` rule's).
    pub fn eer(&self) -> Eer {
        let c = self.candidates();
        let i = c.index_for(ThresholdRule::Eer).unwrap_or_default();
        let x = c.confusion(i);
        let rate = match (ratio(x.fp, x.negatives()), ratio(x.fn_, x.positives())) {
            (Some(fpr), Some(fnr)) => Some((fpr + fnr) / 2.0),
            _ => None,
        };
        let threshold = c.threshold(i);
        Eer { rate, threshold: threshold.is_finite().then_some(threshold) }
    }
}

/// A target as a percentage, as short as it is exact: 1e-4 → `0.01 %`.
pub fn target_percent(f: f64) -> String {
    let s = format!("{:.10}", f * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s} %")
}

/// A rate as a percentage with three significant digits: `0.107 %`, `96.9 %`, `0 %`.
pub fn percent3(x: f64) -> String {
    let p = x * 100.0;
    if p == 0.0 || !p.is_finite() {
        return format!("{p} %");
    }
    // Rounded to three significant digits first, so 0.009999 % reads 0.0100 %, not 0.01000 %.
    let rounded: f64 = format!("{p:.2e}").parse().unwrap_or(p);
    let decimals = (2 - rounded.abs().log10().floor() as i32).max(0) as usize;
    format!("{p:.decimals$} %")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates(negatives: u64, false_accepts_on_top: u64, positives: u64) -> Candidates {
        // Positives at 0.9, then `false_accepts_on_top` negatives at 0.8, the rest at 0.1.
        let items = (0..positives)
            .map(|_| (0.9, true))
            .chain((0..false_accepts_on_top).map(|_| (0.8, false)))
            .chain((false_accepts_on_top..negatives).map(|_| (0.1, false)));
        Candidates::from_descending(items)
    }

    #[test]
    fn the_issue_sentence_for_lfw_sized_data() {
        let t = FprTarget::new(&candidates(2795, 0, 3000), 1e-4);
        assert_eq!(t.demonstrated, None);
        assert_eq!(t.negatives_needed, Some(29_956));
        assert_eq!(
            t.claim(),
            "FPR ≤ 0.01 % is not demonstrated: 2,795 different-person pairs, 0 false accepts, upper bound 0.107 %; \
             it needs ≥ 29,956."
        );
    }

    #[test]
    fn the_positive_form_names_the_threshold_and_the_tpr() {
        // 29,956 negatives, none above the positives: 0 false accepts at 0.9 demonstrate 1e-4.
        let t = FprTarget::new(&candidates(29_956, 0, 40), 1e-4);
        let d = t.demonstrated.unwrap();
        assert_eq!(d.threshold, 0.9);
        assert_eq!(
            t.claim(),
            "FPR ≤ 0.01 % is demonstrated at threshold 0.9000: 29,956 different-person pairs, 0 false accepts, \
             upper bound 0.0100 %; TPR 100 % (40 of 40)."
        );
        // One negative above every positive: the bound of 1 in 29,956 is above 1e-4, so only +∞
        // demonstrates, while the observed point accepts it (an FPR of 1 in 29,956).
        let items =
            std::iter::once((0.95, false)).chain((0..40).map(|_| (0.9, true))).chain((1..29_956).map(|_| (0.1, false)));
        let t = FprTarget::new(&Candidates::from_descending(items), 1e-4);
        assert_eq!(t.observed.threshold, 0.9);
        assert_eq!(t.demonstrated.unwrap().threshold, f64::INFINITY);
        assert!(t.claim().starts_with("FPR ≤ 0.01 % is demonstrated only by accepting no pair"), "{}", t.claim());
    }

    #[test]
    fn eer_is_the_mean_of_the_two_rates_at_the_eer_threshold() {
        use crate::analysis::snapshot::{Snapshot, Truth};
        // (0.9 S) (0.8 D) (0.8 S) (0.6 S) (0.4 D) (0.3 D) (0.1 S): EER at 0.6, FPR 1/3, FNR 1/4.
        let mut s = Snapshot::with_pairs(7, vec![], vec![]);
        s.score = vec![0.9, 0.8, 0.8, 0.6, 0.4, 0.3, 0.1];
        let truth = [true, false, true, true, false, false, true];
        s.truth = truth.iter().map(|&t| Some(if t { Truth::Same } else { Truth::Different })).collect();
        let eer = Prepared::new(&s).unwrap().eer();
        assert_eq!(eer.threshold, Some(0.6));
        assert!((eer.rate.unwrap() - (1.0 / 3.0 + 0.25) / 2.0).abs() < 1e-15);
    }

    #[test]
    fn number_formats() {
        assert_eq!(target_percent(1e-4), "0.01 %");
        assert_eq!(target_percent(1e-6), "0.0001 %");
        assert_eq!(target_percent(0.1), "10 %");
        assert_eq!(percent3(0.001_071), "0.107 %");
        assert_eq!(percent3(0.9693), "96.9 %");
        assert_eq!(percent3(0.0), "0 %");
        assert_eq!(percent3(0.000_099_999), "0.0100 %");
    }
}
