//! From a score to a probability: P(same | score) by Platt scaling, fitted on the pairs with a
//! truth, and how well such probabilities are calibrated (Brier score, reliability bins).
//!
//! Platt scaling is a logistic regression on the one score, `P = 1 / (1 + exp(a·score + b))`,
//! fitted as Platt (1999) proposed and Lin, Lin & Weng (2007) made robust: the 0/1 targets are
//! smoothed to `(N₊ + 1) / (N₊ + 2)` and `1 / (N₋ + 2)`, so a set the score separates perfectly
//! still has a finite fit (plain maximum likelihood would send `a` to infinity), and Newton's
//! method with a backtracking line search minimises the cross-entropy.

use serde::Serialize;

/// A fitted Platt scaling.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Platt {
    pub a: f64,
    pub b: f64,
}

/// Why no fit could be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlattError {
    /// Both classes are needed: `same` pairs and `different` pairs.
    OneClassOnly,
    /// A score that is NaN or infinite.
    NotFinite,
}

impl std::fmt::Display for PlattError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PlattError::OneClassOnly => "calibration needs scored pairs of both truths, same and different",
            PlattError::NotFinite => "a score is not a finite number",
        })
    }
}

impl Platt {
    /// P(same | score).
    pub fn probability(&self, score: f64) -> f64 {
        let z = self.a * score + self.b;
        // The two forms are the same function; each is the one that cannot overflow for its z.
        if z >= 0.0 { (-z).exp() / (1.0 + (-z).exp()) } else { 1.0 / (1.0 + z.exp()) }
    }

    /// Fits `a` and `b` to the scores of pairs whose truth is known (`same[i]`: pair `i` shows
    /// one person).
    pub fn fit(scores: &[f64], same: &[bool]) -> Result<Platt, PlattError> {
        assert_eq!(scores.len(), same.len(), "one truth per score");
        if scores.iter().any(|s| !s.is_finite()) {
            return Err(PlattError::NotFinite);
        }
        let positives = same.iter().filter(|&&s| s).count() as f64;
        let negatives = same.len() as f64 - positives;
        if positives == 0.0 || negatives == 0.0 {
            return Err(PlattError::OneClassOnly);
        }
        let (high, low) = ((positives + 1.0) / (positives + 2.0), 1.0 / (negatives + 2.0));
        let targets: Vec<f64> = same.iter().map(|&s| if s { high } else { low }).collect();
        let objective = |a: f64, b: f64| -> f64 {
            scores
                .iter()
                .zip(&targets)
                .map(|(&f, &t)| {
                    let z = f * a + b;
                    if z >= 0.0 { t * z + (-z).exp().ln_1p() } else { (t - 1.0) * z + z.exp().ln_1p() }
                })
                .sum()
        };
        const MAX_ITERATIONS: usize = 100;
        const MIN_STEP: f64 = 1e-10;
        // Added to the Hessian's diagonal so that it stays positive definite.
        const SIGMA: f64 = 1e-12;
        // The gradient is a sum over pairs: its tolerance grows with them.
        let tolerance = 1e-10 * (scores.len() as f64).max(1.0);
        let (mut a, mut b) = (0.0, ((negatives + 1.0) / (positives + 1.0)).ln());
        let mut value = objective(a, b);
        for _ in 0..MAX_ITERATIONS {
            let (mut h11, mut h22, mut h21, mut g1, mut g2) = (SIGMA, SIGMA, 0.0, 0.0, 0.0);
            for (&f, &t) in scores.iter().zip(&targets) {
                let z = f * a + b;
                // p = P(same) at this pair, q = 1 − p, each computed without overflow.
                let (p, q) = if z >= 0.0 {
                    let e = (-z).exp();
                    (e / (1.0 + e), 1.0 / (1.0 + e))
                } else {
                    let e = z.exp();
                    (1.0 / (1.0 + e), e / (1.0 + e))
                };
                let d2 = p * q;
                h11 += f * f * d2;
                h22 += d2;
                h21 += f * d2;
                let d1 = t - p;
                g1 += f * d1;
                g2 += d1;
            }
            if g1.abs() < tolerance && g2.abs() < tolerance {
                break;
            }
            let det = h11 * h22 - h21 * h21;
            let da = -(h22 * g1 - h21 * g2) / det;
            let db = -(-h21 * g1 + h11 * g2) / det;
            let slope = g1 * da + g2 * db;
            let mut step = 1.0;
            while step >= MIN_STEP {
                let (na, nb) = (a + step * da, b + step * db);
                let next = objective(na, nb);
                if next < value + 1e-4 * step * slope {
                    (a, b, value) = (na, nb, next);
                    break;
                }
                step /= 2.0;
            }
            if step < MIN_STEP {
                break; // no descent left: as good as the arithmetic allows
            }
        }
        Ok(Platt { a, b })
    }
}

/// P(same) for every pair, out of fold: the pairs are dealt into `k` folds by `groups` (pairs
/// of one group, e.g. one connected set of identities, share a fold), and each fold's pairs
/// get the fit made on the other folds' pairs with a truth, so that no pair's own truth shapes
/// its probability. Pairs without a truth (`None`) get one too. Groups are dealt largest first,
/// each to the fold with the fewest pairs so far (ties to the lower fold, then the lower group),
/// so the deal is the same on every run. A fold whose other folds hold one class only (tiny
/// data) gets the fit on all pairs instead.
pub fn out_of_fold(scores: &[f64], truth: &[Option<bool>], groups: &[u32], k: usize) -> Result<Vec<f64>, PlattError> {
    assert!(scores.len() == truth.len() && truth.len() == groups.len(), "one truth and group per score");
    assert!(k >= 2, "at least two folds");
    let fold_of = deal(groups, k);
    let known = |keep: &dyn Fn(usize) -> bool| -> (Vec<f64>, Vec<bool>) {
        (0..scores.len()).filter(|&i| keep(i)).filter_map(|i| truth[i].map(|t| (scores[i], t))).unzip()
    };
    let (all_scores, all_same) = known(&|_| true);
    let everything = Platt::fit(&all_scores, &all_same)?;
    let fits: Vec<Platt> = (0..k)
        .map(|fold| {
            let (s, t) = known(&|i| fold_of[i] != fold);
            match Platt::fit(&s, &t) {
                Err(PlattError::OneClassOnly) => Ok(everything),
                other => other,
            }
        })
        .collect::<Result<_, _>>()?;
    Ok(scores.iter().zip(&fold_of).map(|(&score, &fold)| fits[fold].probability(score)).collect())
}

/// The fold of each pair (see [`out_of_fold`]).
fn deal(groups: &[u32], k: usize) -> Vec<usize> {
    let mut sizes: std::collections::BTreeMap<u32, usize> = std::collections::BTreeMap::new();
    for &g in groups {
        *sizes.entry(g).or_default() += 1;
    }
    let mut order: Vec<(u32, usize)> = sizes.into_iter().collect();
    order.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    let mut load = vec![0usize; k];
    let mut fold_of_group = std::collections::HashMap::with_capacity(order.len());
    for (group, size) in order {
        let fold = (0..k).min_by_key(|&f| (load[f], f)).expect("k >= 2");
        load[fold] += size;
        fold_of_group.insert(group, fold);
    }
    groups.iter().map(|g| fold_of_group[g]).collect()
}

/// The Brier score: the mean squared difference between P(same) and the truth (0 is perfect;
/// always saying 0.5 scores 0.25). `None` without pairs.
pub fn brier(probabilities: &[f64], same: &[bool]) -> Option<f64> {
    assert_eq!(probabilities.len(), same.len(), "one truth per probability");
    if probabilities.is_empty() {
        return None;
    }
    let sum: f64 = probabilities.iter().zip(same).map(|(&p, &s)| (p - if s { 1.0 } else { 0.0 }).powi(2)).sum();
    Some(sum / probabilities.len() as f64)
}

/// One bin of a reliability plot: the pairs whose P(same) fell in `[low, high)` (the last bin
/// includes 1), their mean P(same) and the share that truly are the same person.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ReliabilityBin {
    pub low: f64,
    pub high: f64,
    pub pairs: u64,
    pub same: u64,
    pub mean_probability: f64,
}

impl ReliabilityBin {
    /// The share of `same` pairs, `None` for an empty bin.
    pub fn observed(&self) -> Option<f64> {
        (self.pairs > 0).then(|| self.same as f64 / self.pairs as f64)
    }
}

/// `bins` equal-width bins over [0, 1].
pub fn reliability(probabilities: &[f64], same: &[bool], bins: usize) -> Vec<ReliabilityBin> {
    assert_eq!(probabilities.len(), same.len(), "one truth per probability");
    assert!(bins > 0, "at least one bin");
    let mut sums = vec![(0u64, 0u64, 0.0f64); bins];
    for (&p, &s) in probabilities.iter().zip(same) {
        let at = ((p * bins as f64).floor() as usize).min(bins - 1);
        let bin = &mut sums[at];
        bin.0 += 1;
        bin.1 += u64::from(s);
        bin.2 += p;
    }
    sums.into_iter()
        .enumerate()
        .map(|(i, (pairs, same, sum))| ReliabilityBin {
            low: i as f64 / bins as f64,
            high: (i + 1) as f64 / bins as f64,
            pairs,
            same,
            mean_probability: if pairs > 0 { sum / pairs as f64 } else { f64::NAN },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The objective's gradient at the fit, by central differences, must vanish.
    fn gradient_at(fit: Platt, scores: &[f64], same: &[bool]) -> (f64, f64) {
        let positives = same.iter().filter(|&&s| s).count() as f64;
        let negatives = same.len() as f64 - positives;
        let (high, low) = ((positives + 1.0) / (positives + 2.0), 1.0 / (negatives + 2.0));
        let loss = |a: f64, b: f64| -> f64 {
            scores
                .iter()
                .zip(same)
                .map(|(&f, &s)| {
                    let t = if s { high } else { low };
                    let p = Platt { a, b }.probability(f);
                    -(t * p.ln() + (1.0 - t) * (1.0 - p).ln())
                })
                .sum()
        };
        let h = 1e-6;
        (
            (loss(fit.a + h, fit.b) - loss(fit.a - h, fit.b)) / (2.0 * h),
            (loss(fit.a, fit.b + h) - loss(fit.a, fit.b - h)) / (2.0 * h),
        )
    }

    #[test]
    fn the_fit_is_a_minimum_and_higher_scores_mean_same() {
        let scores = [0.9, 0.8, 0.75, 0.4, 0.62, 0.3, 0.2, 0.55, 0.1, 0.7];
        let same = [true, true, true, false, true, false, false, false, false, true];
        let fit = Platt::fit(&scores, &same).unwrap();
        let (ga, gb) = gradient_at(fit, &scores, &same);
        assert!(ga.abs() < 1e-6 && gb.abs() < 1e-6, "gradient ({ga}, {gb}) at {fit:?}");
        assert!(fit.a < 0.0, "P(same) rises with the score: {fit:?}");
        // scipy.optimize.minimize (BFGS, gtol 1e-12) on the same smoothed cross-entropy.
        assert!((fit.a - -6.572018931090299).abs() < 1e-6 && (fit.b - 3.582411484268785).abs() < 1e-6, "{fit:?}");
        assert!(fit.probability(0.95) > 0.5 && fit.probability(0.05) < 0.5);
    }

    #[test]
    fn a_separable_set_still_has_a_finite_fit() {
        let scores = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9];
        let same = [false, false, false, true, true, true];
        let fit = Platt::fit(&scores, &same).unwrap();
        assert!(fit.a.is_finite() && fit.b.is_finite(), "{fit:?}");
        // The smoothed targets (4/5 and 1/5) bound how sure it gets.
        assert!(fit.probability(0.9) < 0.99 && fit.probability(0.1) > 0.01, "{fit:?}");
    }

    #[test]
    fn one_class_or_a_nan_is_refused() {
        assert_eq!(Platt::fit(&[0.1, 0.2], &[true, true]), Err(PlattError::OneClassOnly));
        assert_eq!(Platt::fit(&[0.1, f64::NAN], &[true, false]), Err(PlattError::NotFinite));
    }

    #[test]
    fn probabilities_never_overflow() {
        let fit = Platt { a: -1e3, b: 0.0 };
        assert_eq!(fit.probability(1e6), 1.0);
        assert_eq!(fit.probability(-1e6), 0.0);
    }

    #[test]
    fn brier_and_reliability() {
        assert_eq!(brier(&[], &[]), None);
        assert_eq!(brier(&[1.0, 0.0], &[true, false]), Some(0.0));
        assert_eq!(brier(&[0.5, 0.5], &[true, false]), Some(0.25));
        let bins = reliability(&[0.05, 0.15, 0.95, 1.0], &[false, true, true, true], 10);
        assert_eq!(bins.len(), 10);
        assert_eq!((bins[0].pairs, bins[0].same), (1, 0));
        assert_eq!((bins[1].pairs, bins[1].same), (1, 1));
        assert_eq!((bins[9].pairs, bins[9].same), (2, 2), "1.0 falls in the last bin");
        assert!((bins[9].mean_probability - 0.975).abs() < 1e-12);
        assert_eq!(bins[5].observed(), None);
    }

    #[test]
    fn out_of_fold_probabilities_keep_groups_together_and_ignore_a_pairs_own_truth() {
        // 40 pairs in 20 groups of two; scores rise with `same`, with some overlap.
        let scores: Vec<f64> = (0..40).map(|i| (i % 20) as f64 / 20.0 + if i % 3 == 0 { 0.3 } else { 0.0 }).collect();
        let truth: Vec<Option<bool>> = (0..40).map(|i| Some(i % 20 >= 10)).collect();
        let groups: Vec<u32> = (0..40).map(|i| i / 2).collect();
        let folds = deal(&groups, 10);
        for pair in (0..40).step_by(2) {
            assert_eq!(folds[pair], folds[pair + 1], "a group shares a fold");
        }
        let mut per_fold = [0; 10];
        folds.iter().for_each(|&f| per_fold[f] += 1);
        assert_eq!(per_fold, [4; 10]);

        let p = out_of_fold(&scores, &truth, &groups, 10).unwrap();
        // Flipping pair 0's truth changes only the fits that see it: its own probability stays.
        let mut flipped = truth.clone();
        flipped[0] = Some(!flipped[0].unwrap());
        let q = out_of_fold(&scores, &flipped, &groups, 10).unwrap();
        assert_eq!(p[0], q[0], "a pair's own truth never shapes its probability");
        assert_eq!(p[1], q[1], "nor that of its group");
        assert!(p.iter().zip(&q).skip(2).any(|(a, b)| a != b), "the other folds' fits saw the flip");
        // A pair without a truth gets a probability all the same.
        let mut unknown = truth.clone();
        unknown[5] = None;
        assert!(out_of_fold(&scores, &unknown, &groups, 10).unwrap()[5].is_finite());
    }
}
