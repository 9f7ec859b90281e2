//! The report's counts and exact intervals for the operating point, the FPR targets, the EER
//! and HLP (issue 13). Flattened into the report's objects, so they only add keys.

use serde::Serialize;

use super::confusion::Confusion;
use super::fpr_target::{Eer, FprTarget};
use super::hlp::{Hlp, HlpSummary};
use super::intervals::Proportion;
use super::prepared::Prepared;
use super::report::Named;
use super::roc::TPR_AT_FPR;

/// Added to `operating_point`: the denominators and the 95 % intervals of its rates.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct OperatingPointIntervals {
    /// Same-person pairs (the TPR's and FNR's n).
    pub positives: u64,
    /// Different-person pairs (the FPR's n).
    pub negatives: u64,
    pub fpr_ci95: Option<[f64; 2]>,
    pub fnr_ci95: Option<[f64; 2]>,
    pub tpr_ci95: Option<[f64; 2]>,
    pub accuracy_ci95: Option<[f64; 2]>,
    /// One-sided 95 % upper bound on the FPR.
    pub fpr_upper95: Option<f64>,
}

impl OperatingPointIntervals {
    pub fn new(c: &Confusion) -> Self {
        let fpr = Proportion::new(c.fp, c.negatives());
        OperatingPointIntervals {
            positives: c.positives(),
            negatives: c.negatives(),
            fpr_ci95: fpr.ci95(),
            fnr_ci95: Proportion::new(c.fn_, c.positives()).ci95(),
            tpr_ci95: Proportion::new(c.tp, c.positives()).ci95(),
            accuracy_ci95: Proportion::new(c.correct(), c.total()).ci95(),
            fpr_upper95: fpr.upper95(),
        }
    }
}

/// One entry of `roc.points`: the observed point of a target and whether it is demonstrated.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct FprPointReport {
    /// The smallest threshold with FPR ≤ f; null when it is +∞.
    pub threshold: Option<f64>,
    pub tpr: Option<f64>,
    pub fpr: Option<f64>,
    pub false_accepts: u64,
    pub negatives: u64,
    pub tpr_ci95: Option<[f64; 2]>,
    pub fpr_ci95: Option<[f64; 2]>,
    pub fpr_upper95: Option<f64>,
    /// A threshold whose one-sided 95 % upper bound on the FPR is ≤ f exists.
    pub demonstrated: bool,
    /// The smallest such threshold (null when none, or when it is +∞).
    pub demonstrated_threshold: Option<f64>,
    pub demonstrated_tpr: Option<f64>,
    /// ⌈ln 0.05 / ln(1 − f)⌉.
    pub negatives_needed: u64,
}

impl FprPointReport {
    pub fn new(t: &FprTarget) -> Self {
        let (tpr, fpr) = (t.observed.tpr(), t.observed.fpr());
        FprPointReport {
            threshold: t.observed.finite_threshold(),
            tpr: tpr.rate(),
            fpr: fpr.rate(),
            false_accepts: fpr.k,
            negatives: fpr.n,
            tpr_ci95: tpr.ci95(),
            fpr_ci95: fpr.ci95(),
            fpr_upper95: fpr.upper95(),
            demonstrated: t.demonstrated.is_some(),
            demonstrated_threshold: t.demonstrated.and_then(|d| d.finite_threshold()),
            demonstrated_tpr: t.demonstrated.and_then(|d| d.tpr().rate()),
            negatives_needed: t.negatives_needed.unwrap_or(u64::MAX),
        }
    }
}

/// Added to `roc`: the EER and the observed and demonstrated point of every target.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RocTargets {
    pub eer: Eer,
    /// Keyed "1e-1" … "1e-6".
    pub points: Named<FprPointReport>,
}

impl RocTargets {
    pub fn new(prepared: &Prepared) -> Self {
        RocTargets {
            eer: prepared.eer(),
            points: Named(
                TPR_AT_FPR
                    .iter()
                    .map(|&(key, f)| (key.to_string(), FprPointReport::new(&prepared.fpr_target(f))))
                    .collect(),
            ),
        }
    }
}

/// One labeler's HLP with its count and interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LabelerHlp {
    /// Verdicts on pairs with a truth.
    pub verdicts: u64,
    pub accuracy: Option<f64>,
    pub accuracy_ci95: Option<[f64; 2]>,
}

impl LabelerHlp {
    pub fn new(h: &Hlp) -> Self {
        let p = Proportion::new(h.correct, h.total);
        LabelerHlp { verdicts: h.total, accuracy: p.rate(), accuracy_ci95: p.ci95() }
    }
}

/// Added to `hlp`: the pooled count and interval, and each labeler's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HlpIntervals {
    pub verdicts: u64,
    pub accuracy_ci95: Option<[f64; 2]>,
    pub labelers_detail: Named<LabelerHlp>,
}

impl HlpIntervals {
    /// `names` indexed like the summary's labelers; only labelers who gave a verdict.
    pub fn new(hlp: &HlpSummary, names: &[String]) -> Self {
        HlpIntervals {
            verdicts: hlp.overall.total,
            accuracy_ci95: Proportion::new(hlp.overall.correct, hlp.overall.total).ci95(),
            labelers_detail: Named(
                names
                    .iter()
                    .enumerate()
                    .filter(|&(l, _)| hlp.gave_verdicts[l])
                    .map(|(l, name)| (name.clone(), LabelerHlp::new(&hlp.labelers[l])))
                    .collect(),
            ),
        }
    }
}

/// Fleiss' κ is shown grey, and Krippendorff's α leads, when Fleiss' pairs (those every
/// labeler labeled) are fewer than half of the pairs with two verdicts or more.
pub fn fleiss_is_partial(fleiss_pairs: u64, pairs_with_two_verdicts: u64) -> bool {
    2 * fleiss_pairs < pairs_with_two_verdicts
}
