//! `--threshold-from SPLIT`: a rule applied to one split's pairs only (how a deployment
//! threshold is really set: on dev), then the operating point at that threshold on every split,
//! each rate with its count and 95 % interval.

use std::fmt;

use serde::Serialize;

use super::confusion::Confusion;
use super::intervals::Proportion;
use super::prepared::Prepared;
use super::report::Named;
use super::snapshot::{SPLITS, Split};
use super::threshold::{RuleError, ThresholdRule};

/// One split at the threshold chosen on another (or on itself).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SplitPoint {
    /// Evaluable pairs in the split.
    pub pairs: u64,
    pub tp: u64,
    pub fp: u64,
    pub tn: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// Same-person / different-person pairs (the denominators of FNR and FPR).
    pub positives: u64,
    pub negatives: u64,
    pub errors: u64,
    pub error_rate: Option<f64>,
    pub error_rate_ci95: Option<[f64; 2]>,
    pub accuracy: Option<f64>,
    pub accuracy_ci95: Option<[f64; 2]>,
    pub fpr: Option<f64>,
    pub fpr_ci95: Option<[f64; 2]>,
    pub fnr: Option<f64>,
    pub fnr_ci95: Option<[f64; 2]>,
}

impl SplitPoint {
    pub fn new(c: Confusion) -> SplitPoint {
        let error = Proportion::new(c.errors(), c.total());
        let accuracy = Proportion::new(c.correct(), c.total());
        let fpr = Proportion::new(c.fp, c.negatives());
        let fnr = Proportion::new(c.fn_, c.positives());
        SplitPoint {
            pairs: c.total(),
            tp: c.tp,
            fp: c.fp,
            tn: c.tn,
            fn_: c.fn_,
            positives: c.positives(),
            negatives: c.negatives(),
            errors: c.errors(),
            error_rate: error.rate(),
            error_rate_ci95: error.ci95(),
            accuracy: accuracy.rate(),
            accuracy_ci95: accuracy.ci95(),
            fpr: fpr.rate(),
            fpr_ci95: fpr.ci95(),
            fnr: fnr.rate(),
            fnr_ci95: fnr.ci95(),
        }
    }
}

/// The report's `threshold_from`: the split the rule ran on, the rule, the threshold it
/// picked there (null: +∞, nothing predicted same) and every split with evaluable pairs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThresholdFrom {
    #[serde(serialize_with = "split_name")]
    pub split: Split,
    pub rule: ThresholdRule,
    pub threshold: Option<f64>,
    pub splits: Named<SplitPoint>,
}

fn split_name<S: serde::Serializer>(split: &Split, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(split.name())
}

/// Why a threshold cannot be set on a split.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ThresholdFromError {
    Rule(RuleError),
    /// The split has no pair with both a truth and a score.
    NoPairs(Split),
}

impl fmt::Display for ThresholdFromError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThresholdFromError::Rule(e) => write!(f, "invalid threshold rule: {e}"),
            ThresholdFromError::NoPairs(split) => write!(
                f,
                "the {} split has no pair with a truth and a score, so no threshold can be set on it",
                split.name()
            ),
        }
    }
}

impl std::error::Error for ThresholdFromError {}

impl From<RuleError> for ThresholdFromError {
    fn from(e: RuleError) -> Self {
        ThresholdFromError::Rule(e)
    }
}

impl ThresholdFrom {
    /// Applies `rule` to `split`'s pairs, then measures every split at that threshold.
    pub fn new(prepared: &Prepared, split: Split, rule: ThresholdRule) -> Result<ThresholdFrom, ThresholdFromError> {
        let op = prepared.split_operating_point(split, rule)?.ok_or(ThresholdFromError::NoPairs(split))?;
        Ok(ThresholdFrom::at(prepared, split, rule, op.threshold))
    }

    /// Every split at `threshold` (set by `rule` on `split`).
    pub fn at(prepared: &Prepared, split: Split, rule: ThresholdRule, threshold: f64) -> ThresholdFrom {
        let splits = split_points(prepared, threshold).into_iter().map(|(s, p)| (s.name().to_string(), p)).collect();
        ThresholdFrom { split, rule, threshold: threshold.is_finite().then_some(threshold), splits: Named(splits) }
    }

    /// The threshold to analyse at (+∞ when the rule predicts nothing same).
    pub fn threshold_or_infinity(&self) -> f64 {
        self.threshold.unwrap_or(f64::INFINITY)
    }
}

/// Every split with evaluable pairs at `threshold`, in the order train, train-dev, dev, test.
pub fn split_points(prepared: &Prepared, threshold: f64) -> Vec<(Split, SplitPoint)> {
    SPLITS
        .iter()
        .map(|&s| (s, prepared.split_confusion(s, threshold)))
        .filter(|(_, c)| c.total() > 0)
        .map(|(s, c)| (s, SplitPoint::new(c)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::snapshot::Snapshot;
    use crate::analysis::snapshot::Truth::{Different, Same};
    use serde_json::{Value, json};

    fn example() -> Snapshot {
        let mut s = Snapshot::with_pairs(6, vec![], vec![]);
        s.score = vec![0.9, 0.7, 0.6, 0.3, 0.8, 0.4];
        s.truth = vec![Some(Same), Some(Same), Some(Different), Some(Different), Some(Same), Some(Different)];
        s.split = vec![
            Some(Split::Dev),
            Some(Split::Dev),
            Some(Split::Dev),
            Some(Split::Dev),
            Some(Split::Test),
            Some(Split::Test),
        ];
        s
    }

    #[test]
    fn the_threshold_set_on_dev_is_measured_on_every_split() {
        let p = Prepared::new(&example()).unwrap();
        let t = ThresholdFrom::new(&p, Split::Dev, ThresholdRule::MaxAccuracy).unwrap();
        assert_eq!(t.threshold, Some(0.7));
        let v: Value = serde_json::to_value(&t).unwrap();
        assert_eq!(v["split"], json!("dev"));
        assert_eq!(v["rule"], json!("max-accuracy"));
        let test = &v["splits"]["test"];
        assert_eq!([&test["tp"], &test["fp"], &test["tn"], &test["fn"]], [&json!(1), &json!(0), &json!(1), &json!(0)]);
        assert_eq!((&test["positives"], &test["negatives"], &test["pairs"]), (&json!(1), &json!(1), &json!(2)));
        let [lo, hi] = t.splits.get("test").unwrap().fpr_ci95.unwrap();
        assert!(lo == 0.0 && hi > 0.5, "0 of 1 negatives: a wide interval, {lo} {hi}");
        assert!(v["splits"].get("train").is_none(), "splits without pairs have no entry");
    }

    #[test]
    fn a_split_without_pairs_is_named_in_the_error() {
        let p = Prepared::new(&example()).unwrap();
        let err = ThresholdFrom::new(&p, Split::Train, ThresholdRule::Eer).unwrap_err();
        assert_eq!(err, ThresholdFromError::NoPairs(Split::Train));
        assert!(err.to_string().contains("the train split has no pair"), "{err}");
    }
}
