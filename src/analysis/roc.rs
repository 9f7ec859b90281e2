//! ROC and DET curves and the area under the ROC curve.

use serde::Serialize;

use super::threshold::Candidates;

/// One point of the ROC curve: predicted `same` when score ≥ `threshold`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RocPoint {
    /// +∞ for the first point (nothing predicted `same`).
    pub threshold: f64,
    pub fpr: f64,
    pub tpr: f64,
}

/// One point of the DET curve (false non-match rate against false match rate).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DetPoint {
    pub threshold: f64,
    pub fpr: f64,
    pub fnr: f64,
}

/// The FPRs at which the report gives the TPR, with their JSON keys.
pub const TPR_AT_FPR: [(&str, f64); 6] =
    [("1e-1", 1e-1), ("1e-2", 1e-2), ("1e-3", 1e-3), ("1e-4", 1e-4), ("1e-5", 1e-5), ("1e-6", 1e-6)];

/// AUC as the Mann–Whitney statistic: the probability that a random positive scores above
/// a random negative, ties counting one half. Equal to the trapezoidal area under the full
/// ROC curve, which is what scikit-learn's `roc_auc_score` computes. Exact in integers up
/// to the final division. `scores` ascending, `positive` alongside.
pub(crate) fn auc(scores: &[f64], positive: &[bool]) -> Option<f64> {
    let mut twice_u: u128 = 0;
    let mut negatives_below: u128 = 0;
    let (mut p_total, mut n_total) = (0u128, 0u128);
    let mut i = 0;
    while i < scores.len() {
        let (mut p, mut n) = (0u128, 0u128);
        let s = scores[i];
        while i < scores.len() && scores[i] == s {
            if positive[i] {
                p += 1;
            } else {
                n += 1;
            }
            i += 1;
        }
        twice_u += p * (2 * negatives_below + n);
        negatives_below += n;
        p_total += p;
        n_total += n;
    }
    let denominator = 2 * p_total * n_total;
    (denominator > 0).then(|| twice_u as f64 / denominator as f64)
}

/// The ROC curve over all candidates (+∞ first). With `drop_intermediate`, points inside
/// straight horizontal or vertical runs are dropped exactly as scikit-learn does.
pub(crate) fn roc_curve(c: &Candidates, drop_intermediate: bool) -> Option<Vec<RocPoint>> {
    let (p, n) = (c.positives(), c.negatives());
    if p == 0 || n == 0 {
        return None;
    }
    let point = |i: usize| {
        let x = c.confusion(i);
        RocPoint { threshold: c.threshold(i), fpr: x.fp as f64 / n as f64, tpr: x.tp as f64 / p as f64 }
    };
    let last = c.len() - 1;
    // scikit-learn drops on its arrays without the +∞ point, and only when they hold more
    // than two points: keep their first and last and every point where the second
    // difference of fp or tp is non-zero.
    let keep = |i: usize| {
        if !drop_intermediate || last <= 2 || i <= 1 || i == last {
            return true;
        }
        let (a, b, d) = (c.confusion(i - 1), c.confusion(i), c.confusion(i + 1));
        a.fp + d.fp != 2 * b.fp || a.tp + d.tp != 2 * b.tp
    };
    Some((0..c.len()).filter(|&i| keep(i)).map(point).collect())
}

/// FPR and FNR at every candidate (+∞ first).
pub(crate) fn det_curve(c: &Candidates) -> Option<Vec<DetPoint>> {
    let (p, n) = (c.positives(), c.negatives());
    if p == 0 || n == 0 {
        return None;
    }
    Some(
        (0..c.len())
            .map(|i| {
                let x = c.confusion(i);
                DetPoint { threshold: c.threshold(i), fpr: x.fp as f64 / n as f64, fnr: x.fn_ as f64 / p as f64 }
            })
            .collect(),
    )
}

/// The standard normal quantile, for drawing DET axes (Acklam's approximation, relative
/// error below 1.2e-9). `None` outside (0, 1).
pub fn probit(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    const LOW: f64 = 0.02425;
    Some(if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates(items: &[(f64, bool)]) -> Candidates {
        let mut sorted = items.to_vec();
        sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
        Candidates::from_descending(sorted.into_iter())
    }

    #[test]
    fn auc_by_hand_with_ties() {
        // Positives 0.9, 0.5; negatives 0.5, 0.1. Pairs (pos, neg): (0.9,0.5) 1,
        // (0.9,0.1) 1, (0.5,0.5) ½, (0.5,0.1) 1 → 3.5 / 4.
        let scores = [0.1, 0.5, 0.5, 0.9];
        let positive = [false, true, false, true];
        assert_eq!(auc(&scores, &positive), Some(0.875));
        assert_eq!(auc(&[0.1, 0.2], &[true, true]), None);
        assert_eq!(auc(&[], &[]), None);
        assert_eq!(auc(&[0.3, 0.3], &[true, false]), Some(0.5));
    }

    #[test]
    fn roc_curve_by_hand() {
        let c = candidates(&[(0.9, true), (0.5, true), (0.5, false), (0.1, false)]);
        let roc = roc_curve(&c, false).unwrap();
        let fpr: Vec<f64> = roc.iter().map(|p| p.fpr).collect();
        let tpr: Vec<f64> = roc.iter().map(|p| p.tpr).collect();
        assert_eq!(fpr, vec![0.0, 0.0, 0.5, 1.0]);
        assert_eq!(tpr, vec![0.0, 0.5, 1.0, 1.0]);
        assert_eq!(roc[0].threshold, f64::INFINITY);
        let det = det_curve(&c).unwrap();
        assert_eq!(det[1].fnr, 0.5);
        assert!(roc_curve(&candidates(&[(0.2, true)]), false).is_none());
    }

    #[test]
    fn drop_intermediate_removes_collinear_points() {
        // tp,fp along candidates after +∞: (1,0) (2,0) (3,0) (3,1) (3,2): the middle of
        // each straight run goes.
        let c = candidates(&[(0.9, true), (0.8, true), (0.7, true), (0.6, false), (0.5, false)]);
        let roc = roc_curve(&c, true).unwrap();
        let thresholds: Vec<f64> = roc.iter().map(|p| p.threshold).collect();
        assert_eq!(thresholds, vec![f64::INFINITY, 0.9, 0.7, 0.5]);
    }

    #[test]
    fn probit_known_values() {
        assert!(probit(0.5).unwrap().abs() < 1e-9);
        assert!((probit(0.975).unwrap() - 1.959_963_984_540_054).abs() < 1e-8);
        assert!((probit(1e-6).unwrap() + 4.753_424_308_822_899).abs() < 1e-7);
        assert_eq!(probit(0.0), None);
        assert_eq!(probit(1.0), None);
        assert_eq!(probit(f64::NAN), None);
    }
}
