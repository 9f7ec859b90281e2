//! Model error per split next to human error, and the bias / variance diagnosis.

use serde::Serialize;

use super::hlp::Hlp;
use super::intervals::{Proportion, newcombe_difference};
use super::snapshot::Split;

/// One split's model error.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SplitRow {
    pub split: Split,
    /// Evaluable pairs in the split (at least one: empty splits have no row).
    pub pairs: u64,
    pub errors: u64,
    pub error_rate: f64,
    /// 1 − HLP over the verdicts on the split's evaluable pairs.
    pub human_error: Option<f64>,
    /// Two-sided 95 % Clopper–Pearson interval of `error_rate`.
    pub error_rate_ci95: Option<[f64; 2]>,
}

impl SplitRow {
    /// The row of a split with `errors` of `pairs` evaluable pairs wrong.
    pub fn new(split: Split, pairs: u64, errors: u64, human_error: Option<f64>) -> SplitRow {
        let error = Proportion::new(errors, pairs);
        SplitRow {
            split,
            pairs,
            errors,
            error_rate: error.rate().unwrap_or(0.0),
            human_error,
            error_rate_ci95: error.ci95(),
        }
    }
}

/// A term of the diagnosis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    AvoidableBias,
    Variance,
    DataMismatch,
    OverfittingToDev,
}

impl Component {
    pub fn name(self) -> &'static str {
        match self {
            Component::AvoidableBias => "avoidable_bias",
            Component::Variance => "variance",
            Component::DataMismatch => "data_mismatch",
            Component::OverfittingToDev => "overfitting_to_dev",
        }
    }

    /// What to do about it, for people reading the plain-text report.
    pub fn advice(self) -> &'static str {
        match self {
            Component::AvoidableBias => "fit the training set better (bigger model, train longer)",
            Component::Variance => "generalize better (more training data, regularization)",
            Component::DataMismatch => "make training data more like dev/test data",
            Component::OverfittingToDev => "get a bigger dev set",
        }
    }
}

/// The differences between consecutive error levels; `None` when one side is missing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Diagnosis {
    /// train − human.
    pub avoidable_bias: Option<f64>,
    /// train-dev − train.
    pub variance: Option<f64>,
    /// dev − train-dev.
    pub data_mismatch: Option<f64>,
    /// test − dev.
    pub overfitting_to_dev: Option<f64>,
    /// The largest term whose 95 % interval lies above 0; `None` when no interval does (the
    /// splits are too small to tell, or no term is positive).
    pub largest: Option<Component>,
    /// Each term's 95 % interval (Newcombe's hybrid score interval of a difference of two
    /// independent proportions); null where the term is.
    pub intervals: DiagnosisIntervals,
}

/// The 95 % intervals of the diagnosis terms, serialized as `{term: [lo, hi]}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct DiagnosisIntervals {
    pub avoidable_bias: Option<[f64; 2]>,
    pub variance: Option<[f64; 2]>,
    pub data_mismatch: Option<[f64; 2]>,
    pub overfitting_to_dev: Option<[f64; 2]>,
}

impl Diagnosis {
    /// The terms in order with their names.
    pub fn terms(&self) -> [(Component, Option<f64>); 4] {
        [
            (Component::AvoidableBias, self.avoidable_bias),
            (Component::Variance, self.variance),
            (Component::DataMismatch, self.data_mismatch),
            (Component::OverfittingToDev, self.overfitting_to_dev),
        ]
    }

    /// The 95 % interval of a term.
    pub fn interval(&self, term: Component) -> Option<[f64; 2]> {
        let i = &self.intervals;
        match term {
            Component::AvoidableBias => i.avoidable_bias,
            Component::Variance => i.variance,
            Component::DataMismatch => i.data_mismatch,
            Component::OverfittingToDev => i.overfitting_to_dev,
        }
    }

    /// No term is named although one is positive: its interval still holds 0, so the splits
    /// are too small to tell whether it is a gap at all.
    pub fn too_small_to_tell(&self) -> bool {
        self.largest.is_none()
            && self.terms().iter().any(|&(c, v)| v.is_some_and(|v| v > 0.0) && self.interval(c).is_some())
    }
}

/// What the diagnosis means when the model was not trained on this project's train split
/// (the built-in model; imported scores unless marked as trained on it).
pub const NOT_TRAINED_HERE: &str = "This model was not trained on this project's train split: bias and variance \
    then describe the data (how hard each split is), not the model's training.";

/// The split table: rows for the splits with evaluable pairs, in the order train,
/// train-dev, dev, test.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SplitTable {
    pub rows: Vec<SplitRow>,
    /// 1 − HLP over all verdicts on pairs with a truth.
    pub human_error: Option<f64>,
    /// The verdicts `human_error` counts (wrong of all).
    pub human: Hlp,
    pub diagnosis: Diagnosis,
}

impl SplitTable {
    /// Builds the diagnosis from the rows and the verdicts on pairs with a truth.
    pub(crate) fn new(rows: Vec<SplitRow>, human: Hlp) -> Self {
        let errors = |split: Split| rows.iter().find(|r| r.split == split).map(|r| Proportion::new(r.errors, r.pairs));
        // Human error enters avoidable bias as a proportion of its own: wrong verdicts of all
        // verdicts on pairs with a truth, taken as independent of the train split's pairs. Both
        // are approximations (a pair's verdicts are not independent of each other, and the
        // verdicts cover train pairs too), so the interval is indicative for that term; the
        // other three compare disjoint splits and are exactly what Newcombe's method assumes.
        let human_errors = (human.total > 0).then(|| Proportion::new(human.total - human.correct, human.total));
        let (train, train_dev, dev, test) =
            (errors(Split::Train), errors(Split::TrainDev), errors(Split::Dev), errors(Split::Test));
        let diff = |a: Option<Proportion>, b: Option<Proportion>| Some(a?.rate()? - b?.rate()?);
        let interval = |a: Option<Proportion>, b: Option<Proportion>| {
            let (a, b) = (a?, b?);
            newcombe_difference(a.k, a.n, b.k, b.n)
        };
        let mut diagnosis = Diagnosis {
            avoidable_bias: diff(train, human_errors),
            variance: diff(train_dev, train),
            data_mismatch: diff(dev, train_dev),
            overfitting_to_dev: diff(test, dev),
            largest: None,
            intervals: DiagnosisIntervals {
                avoidable_bias: interval(train, human_errors),
                variance: interval(train_dev, train),
                data_mismatch: interval(dev, train_dev),
                overfitting_to_dev: interval(test, dev),
            },
        };
        let mut best = 0.0;
        for (component, value) in diagnosis.terms() {
            let clear = diagnosis.interval(component).is_some_and(|[lo, _]| lo > 0.0);
            if let Some(v) = value
                && clear
                && v > best
            {
                best = v;
                diagnosis.largest = Some(component);
            }
        }
        SplitTable { rows, human_error: human.error(), human, diagnosis }
    }

    /// The row of a split, if it has evaluable pairs.
    pub fn row(&self, split: Split) -> Option<&SplitRow> {
        self.rows.iter().find(|r| r.split == split)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(split: Split, errors: u64, pairs: u64) -> SplitRow {
        SplitRow::new(split, pairs, errors, None)
    }

    fn human(wrong: u64, total: u64) -> Hlp {
        Hlp { correct: total - wrong, total }
    }

    #[test]
    fn diagnosis_by_hand() {
        // Human 1 %, train 2 %, train-dev 10 %, dev 12 %, test 12.5 %.
        let t = SplitTable::new(
            vec![
                row(Split::Train, 2, 100),
                row(Split::TrainDev, 10, 100),
                row(Split::Dev, 12, 100),
                row(Split::Test, 25, 200),
            ],
            human(1, 100),
        );
        let d = t.diagnosis;
        assert!((d.avoidable_bias.unwrap() - 0.01).abs() < 1e-15);
        assert!((d.variance.unwrap() - 0.08).abs() < 1e-15);
        assert!((d.data_mismatch.unwrap() - 0.02).abs() < 1e-15);
        assert!((d.overfitting_to_dev.unwrap() - 0.005).abs() < 1e-15);
        assert_eq!(d.largest, Some(Component::Variance));
        assert_eq!(t.row(Split::Dev).unwrap().errors, 12);
    }

    #[test]
    fn missing_splits_leave_terms_out() {
        let t = SplitTable::new(vec![row(Split::Train, 20, 100), row(Split::Dev, 21, 100)], human(5, 100));
        let d = t.diagnosis;
        assert!((d.avoidable_bias.unwrap() - 0.15).abs() < 1e-15);
        assert_eq!((d.variance, d.data_mismatch, d.overfitting_to_dev), (None, None, None));
        assert_eq!(d.largest, Some(Component::AvoidableBias));
        assert!(t.row(Split::Test).is_none());
    }

    #[test]
    fn nothing_named_when_no_term_is_positive() {
        let t = SplitTable::new(vec![row(Split::Train, 1, 100)], human(5, 100));
        assert_eq!(t.diagnosis.largest, None);
        assert!(!t.diagnosis.too_small_to_tell(), "no term is positive");
        assert_eq!(SplitTable::new(vec![], Hlp::default()).diagnosis, Diagnosis::default());
    }

    #[test]
    fn a_positive_term_whose_interval_holds_zero_is_not_named() {
        // The example: "overfitting to dev" from 1 error against 1 error (+10 pp).
        let t = SplitTable::new(vec![row(Split::Dev, 1, 20), row(Split::Test, 1, 10)], Hlp::default());
        let d = t.diagnosis;
        assert!((d.overfitting_to_dev.unwrap() - 0.05).abs() < 1e-15);
        let [lo, hi] = d.intervals.overfitting_to_dev.unwrap();
        assert!(lo < 0.0 && 0.05 < hi, "{lo} {hi}");
        assert_eq!(d.largest, None);
        assert!(d.too_small_to_tell());
        assert_eq!(d.intervals.avoidable_bias, None, "no verdicts: no human error, no interval");
        // The same rates on 100 times the pairs are clear.
        let t = SplitTable::new(vec![row(Split::Dev, 100, 2000), row(Split::Test, 100, 1000)], Hlp::default());
        assert_eq!(t.diagnosis.largest, Some(Component::OverfittingToDev));
        assert!(!t.diagnosis.too_small_to_tell());
    }

    #[test]
    fn the_largest_named_term_is_the_largest_clear_one() {
        // Variance (+5 pp, train on 40 pairs) is larger but unclear; data mismatch (+4 pp on
        // 40,000 pairs each) is clear.
        let t = SplitTable::new(
            vec![row(Split::Train, 2, 40), row(Split::TrainDev, 4000, 40000), row(Split::Dev, 5600, 40000)],
            Hlp::default(),
        );
        let d = t.diagnosis;
        assert_eq!(d.variance.map(|v| v > d.data_mismatch.unwrap()), Some(true));
        assert_eq!(d.largest, Some(Component::DataMismatch));
        let [lo, hi] = d.intervals.variance.unwrap();
        assert!(lo < d.variance.unwrap() && d.variance.unwrap() < hi);
    }
}
