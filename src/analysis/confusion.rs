//! Confusion counts at one threshold and the rates derived from them.

use serde::Serialize;

use super::snapshot::Truth;

/// What the model says of a pair scoring `score` at `threshold`: `same` when score ≥
/// threshold. The one definition; the sorted sweeps of the analysis count by the same rule.
pub fn predicted(score: f64, threshold: f64) -> Truth {
    if score >= threshold { Truth::Same } else { Truth::Different }
}

/// Counts of evaluable pairs at one threshold. "Positive" is `same`; a pair is predicted
/// `same` when its score is ≥ the threshold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    pub tp: u64,
    pub fp: u64,
    pub tn: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
}

/// Rates at one threshold; `None` where the denominator is 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Rates {
    pub accuracy: Option<f64>,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub fpr: Option<f64>,
    /// False non-match rate, 1 − recall: the other half of the equal error rate.
    pub fnr: Option<f64>,
}

/// `num / den`, or `None` when `den` is 0.
pub fn ratio(num: u64, den: u64) -> Option<f64> {
    (den != 0).then(|| num as f64 / den as f64)
}

impl Confusion {
    /// Evaluable pairs counted.
    pub fn total(&self) -> u64 {
        self.tp + self.fp + self.tn + self.fn_
    }

    /// Pairs whose truth is `same`.
    pub fn positives(&self) -> u64 {
        self.tp + self.fn_
    }

    /// Pairs whose truth is `different`.
    pub fn negatives(&self) -> u64 {
        self.fp + self.tn
    }

    /// Wrong predictions (false positives plus false negatives).
    pub fn errors(&self) -> u64 {
        self.fp + self.fn_
    }

    /// Right predictions.
    pub fn correct(&self) -> u64 {
        self.tp + self.tn
    }

    /// Accuracy, precision, recall, F1 (= 2tp / (2tp + fp + fn)), FPR and FNR.
    pub fn rates(&self) -> Rates {
        Rates {
            accuracy: ratio(self.correct(), self.total()),
            precision: ratio(self.tp, self.tp + self.fp),
            recall: ratio(self.tp, self.positives()),
            f1: ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_),
            fpr: ratio(self.fp, self.negatives()),
            fnr: ratio(self.fn_, self.positives()),
        }
    }
}

impl std::ops::AddAssign for Confusion {
    fn add_assign(&mut self, o: Confusion) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.tn += o.tn;
        self.fn_ += o.fn_;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_score_at_the_threshold_is_predicted_same() {
        assert_eq!(predicted(0.5, 0.5), Truth::Same);
        assert_eq!(predicted(0.49, 0.5), Truth::Different);
        assert_eq!(predicted(f64::NAN, 0.5), Truth::Different, "an unscored pair is never predicted same");
    }

    #[test]
    fn rates_by_hand() {
        let c = Confusion { tp: 6, fp: 2, tn: 10, fn_: 2 };
        let r = c.rates();
        assert_eq!(r.accuracy, Some(16.0 / 20.0));
        assert_eq!(r.precision, Some(6.0 / 8.0));
        assert_eq!(r.recall, Some(6.0 / 8.0));
        assert_eq!(r.f1, Some(12.0 / 16.0));
        assert_eq!(r.fpr, Some(2.0 / 12.0));
        assert_eq!(r.fnr, Some(2.0 / 8.0));
        assert_eq!(c.errors(), 4);
    }

    #[test]
    fn undefined_rates_are_none() {
        let r = Confusion::default().rates();
        assert_eq!(r, Rates::default());
        // No positives predicted and none present: precision, recall and F1 undefined.
        let r = Confusion { tn: 3, ..Default::default() }.rates();
        assert_eq!((r.precision, r.recall, r.f1), (None, None, None));
        assert_eq!((r.accuracy, r.fpr), (Some(1.0), Some(0.0)));
        // Precision undefined but F1 defined (0) when positives exist and none is found.
        let r = Confusion { fn_: 2, ..Default::default() }.rates();
        assert_eq!((r.precision, r.recall, r.f1), (None, Some(0.0), Some(0.0)));
    }

    #[test]
    fn serializes_fn_under_its_name() {
        let json = serde_json::to_string(&Confusion::default()).unwrap();
        assert_eq!(json, r#"{"tp":0,"fp":0,"tn":0,"fn":0}"#);
    }
}
