//! LFW-style k-fold accuracy: for each fold, the max-accuracy threshold is chosen on the
//! other k − 1 folds and the accuracy measured on the held-out fold.

use std::fmt;

use serde::Serialize;

use super::intervals::Proportion;
use super::snapshot::Truth;
use super::threshold::{Candidates, ThresholdRule};

/// One held-out fold.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct FoldResult {
    pub fold: usize,
    /// Chosen on the other folds; `None` when it is +∞ (nothing predicted `same`).
    pub threshold: Option<f64>,
    /// Scored pairs in the fold.
    pub pairs: u64,
    /// Of those, predicted right at the threshold.
    pub correct: u64,
    /// `None` for a fold without scored pairs.
    pub accuracy: Option<f64>,
}

/// The k-fold result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KFold {
    /// Mean of the folds' accuracies (folds without scored pairs left out).
    pub mean: Option<f64>,
    /// Population standard deviation (ddof = 0, as NumPy's `std`) of the same.
    pub std: Option<f64>,
    pub folds: Vec<FoldResult>,
    /// Right predictions over all held-out folds, each at its own fold's threshold: the
    /// count behind the accuracy, and what its interval is computed from.
    pub pooled: Proportion,
    /// Pairs left out for lack of a score (NaN).
    pub unscored: u64,
}

/// Why k-fold accuracy cannot be computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KFoldError {
    LengthMismatch { scores: usize, truths: usize, folds: usize },
    TooFewFolds(usize),
    FoldOutOfRange { pair: usize, fold: usize, k: usize },
}

impl fmt::Display for KFoldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KFoldError::LengthMismatch { scores, truths, folds } => {
                write!(f, "{scores} scores, {truths} truths and {folds} fold numbers: expected one of each per pair")
            }
            KFoldError::TooFewFolds(k) => write!(f, "k-fold needs at least 2 folds, got {k}"),
            KFoldError::FoldOutOfRange { pair, fold, k } => {
                write!(f, "pair {pair} is in fold {fold}, but there are only {k} folds")
            }
        }
    }
}

impl std::error::Error for KFoldError {}

/// Fold numbers for `n` pairs in `k` consecutive blocks, as LFW's pairs.txt lists them
/// (10 sets of 600): pair `i` is in fold `i·k/n`.
pub fn contiguous_folds(n: usize, k: usize) -> Vec<usize> {
    (0..n).map(|i| i * k / n.max(1)).collect()
}

/// k-fold accuracy over pairs with a score, a truth and a fold number in `0..k`.
pub fn kfold_accuracy(score: &[f64], truth: &[Truth], fold: &[usize], k: usize) -> Result<KFold, KFoldError> {
    if score.len() != truth.len() || score.len() != fold.len() {
        return Err(KFoldError::LengthMismatch { scores: score.len(), truths: truth.len(), folds: fold.len() });
    }
    if k < 2 {
        return Err(KFoldError::TooFewFolds(k));
    }
    if let Some(pair) = fold.iter().position(|&f| f >= k) {
        return Err(KFoldError::FoldOutOfRange { pair, fold: fold[pair], k });
    }
    let mut order: Vec<usize> = (0..score.len()).filter(|&i| !score[i].is_nan()).collect();
    let unscored = (score.len() - order.len()) as u64;
    order.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));

    let folds: Vec<FoldResult> = (0..k)
        .map(|held_out| {
            let train =
                order.iter().filter(|&&i| fold[i] != held_out).map(|&i| (score[i] + 0.0, truth[i] == Truth::Same));
            let candidates = Candidates::from_descending(train);
            let threshold =
                candidates.operating_point(ThresholdRule::MaxAccuracy).map(|op| op.threshold).unwrap_or(f64::INFINITY);
            let (mut pairs, mut correct) = (0u64, 0u64);
            for &i in order.iter().filter(|&&i| fold[i] == held_out) {
                pairs += 1;
                correct += u64::from(super::predicted(score[i], threshold) == truth[i]);
            }
            FoldResult {
                fold: held_out,
                threshold: threshold.is_finite().then_some(threshold),
                pairs,
                correct,
                accuracy: (pairs > 0).then(|| correct as f64 / pairs as f64),
            }
        })
        .collect();

    let accuracies: Vec<f64> = folds.iter().filter_map(|f| f.accuracy).collect();
    let count = accuracies.len() as f64;
    let mean = (!accuracies.is_empty()).then(|| accuracies.iter().sum::<f64>() / count);
    let std = mean.map(|m| (accuracies.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / count).sqrt());
    let pooled = Proportion::new(folds.iter().map(|f| f.correct).sum(), folds.iter().map(|f| f.pairs).sum());
    Ok(KFold { mean, std, folds, pooled, unscored })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::snapshot::Truth::{Different as D, Same as S};

    #[test]
    fn contiguous_blocks() {
        assert_eq!(contiguous_folds(6, 3), vec![0, 0, 1, 1, 2, 2]);
        assert_eq!(contiguous_folds(5, 2), vec![0, 0, 0, 1, 1]);
        assert!(contiguous_folds(0, 10).is_empty());
    }

    #[test]
    fn two_folds_by_hand() {
        // Fold 0: (0.9 S) (0.6 D) (0.3 D); fold 1: (0.8 S) (0.5 S) (0.2 D).
        let score = [0.9, 0.6, 0.3, 0.8, 0.5, 0.2];
        let truth = [S, D, D, S, S, D];
        let fold = [0, 0, 0, 1, 1, 1];
        let r = kfold_accuracy(&score, &truth, &fold, 2).unwrap();
        // Held out 0: trained on fold 1, where thresholds 0.5 (3 right) wins → on fold 0,
        // 0.9 S right, 0.6 D wrong, 0.3 D right → 2/3.
        assert_eq!(r.folds[0].threshold, Some(0.5));
        assert_eq!(r.folds[0].accuracy, Some(2.0 / 3.0));
        // Held out 1: trained on fold 0: candidates +∞ (2), 0.9 (3), 0.6 (2), 0.3 (1)
        // → 0.9; on fold 1 only 0.2 D is right → 1/3.
        assert_eq!(r.folds[1].threshold, Some(0.9));
        assert_eq!(r.folds[1].accuracy, Some(1.0 / 3.0));
        assert!((r.mean.unwrap() - 0.5).abs() < 1e-15);
        assert!((r.std.unwrap() - 1.0 / 6.0).abs() < 1e-15);
        assert_eq!(r.unscored, 0);
        assert_eq!((r.folds[0].correct, r.folds[1].correct), (2, 1));
        assert_eq!(r.pooled, Proportion::new(3, 6));
    }

    #[test]
    fn unscored_pairs_are_left_out_and_bad_input_is_an_error() {
        let r = kfold_accuracy(&[0.9, f64::NAN, 0.1, 0.2], &[S, S, D, D], &[0, 0, 1, 1], 2).unwrap();
        assert_eq!(r.unscored, 1);
        assert_eq!(r.folds[0].pairs, 1);
        assert!(kfold_accuracy(&[0.1], &[S, D], &[0], 2).is_err());
        assert_eq!(kfold_accuracy(&[0.1], &[S], &[0], 1), Err(KFoldError::TooFewFolds(1)));
        let err = kfold_accuracy(&[0.1], &[S], &[3], 2).unwrap_err();
        assert!(err.to_string().contains("pair 0"));
    }
}
