//! Model error per split next to human error, and the bias / variance diagnosis.

use serde::Serialize;

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
    /// The largest positive term; `None` when no term is positive.
    pub largest: Option<Component>,
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
}

/// The split table: rows for the splits with evaluable pairs, in the order train,
/// train-dev, dev, test.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SplitTable {
    pub rows: Vec<SplitRow>,
    /// 1 − HLP over all verdicts on pairs with a truth.
    pub human_error: Option<f64>,
    pub diagnosis: Diagnosis,
}

impl SplitTable {
    /// Builds the diagnosis from the rows and the human error.
    pub(crate) fn new(rows: Vec<SplitRow>, human_error: Option<f64>) -> Self {
        let error = |split: Split| rows.iter().find(|r| r.split == split).map(|r| r.error_rate);
        let diff = |a: Option<f64>, b: Option<f64>| Some(a? - b?);
        let (train, train_dev, dev, test) =
            (error(Split::Train), error(Split::TrainDev), error(Split::Dev), error(Split::Test));
        let mut diagnosis = Diagnosis {
            avoidable_bias: diff(train, human_error),
            variance: diff(train_dev, train),
            data_mismatch: diff(dev, train_dev),
            overfitting_to_dev: diff(test, dev),
            largest: None,
        };
        let mut best = 0.0;
        for (component, value) in diagnosis.terms() {
            if let Some(v) = value
                && v > best
            {
                best = v;
                diagnosis.largest = Some(component);
            }
        }
        SplitTable { rows, human_error, diagnosis }
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
        SplitRow { split, pairs, errors, error_rate: errors as f64 / pairs as f64, human_error: None }
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
            Some(0.01),
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
        let t = SplitTable::new(vec![row(Split::Train, 20, 100), row(Split::Dev, 21, 100)], Some(0.05));
        let d = t.diagnosis;
        assert!((d.avoidable_bias.unwrap() - 0.15).abs() < 1e-15);
        assert_eq!((d.variance, d.data_mismatch, d.overfitting_to_dev), (None, None, None));
        assert_eq!(d.largest, Some(Component::AvoidableBias));
        assert!(t.row(Split::Test).is_none());
    }

    #[test]
    fn nothing_named_when_no_term_is_positive() {
        let t = SplitTable::new(vec![row(Split::Train, 1, 100)], Some(0.05));
        assert_eq!(t.diagnosis.largest, None);
        assert_eq!(SplitTable::new(vec![], None).diagnosis, Diagnosis::default());
    }
}
