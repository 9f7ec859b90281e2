//! The report's `all_vs_all` object (issue 13's JSON contract): counts, exact intervals and
//! demonstrated points at FMR 1e-1 … 1e-6, from a stored [`AllVsAllRecord`].

use serde::Serialize;

use super::{AllVsAllRecord, Eer, ThresholdCounts};
use crate::analysis::Named;
use crate::analysis::intervals::{Proportion, trials_needed};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AllVsAllReport {
    pub model: String,
    pub images: u64,
    pub identities: u64,
    pub genuine: u64,
    pub impostors: u64,
    pub eer: Option<Eer>,
    pub points: Named<AllVsAllPoint>,
    /// Highest score first, at most 200.
    pub hardest_impostors: Vec<HardestImpostor>,
}

/// One FMR target: the observed point (the smallest threshold with FMR ≤ f) and the
/// demonstrated one (the smallest threshold whose one-sided 95 % upper bound is ≤ f).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AllVsAllPoint {
    /// None (null): only +∞ qualifies.
    pub threshold: Option<f64>,
    pub fmr: Option<f64>,
    pub false_accepts: u64,
    pub impostors: u64,
    pub tmr: Option<f64>,
    pub false_rejects: u64,
    pub genuine: u64,
    pub fmr_ci95: Option<[f64; 2]>,
    pub fnmr_ci95: Option<[f64; 2]>,
    pub fmr_upper95: Option<f64>,
    pub demonstrated: bool,
    pub demonstrated_threshold: Option<f64>,
    pub demonstrated_tmr: Option<f64>,
    /// Impostor comparisons needed to demonstrate f at all.
    pub impostors_needed: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HardestImpostor {
    pub image_a: String,
    pub image_b: String,
    pub identity_a: String,
    pub identity_b: String,
    pub score: f64,
}

impl AllVsAllReport {
    pub fn new(r: &AllVsAllRecord) -> Self {
        let tmr = |c: &ThresholdCounts| Proportion::new(c.true_accepts, r.genuine).rate();
        let points = r
            .points
            .iter()
            .map(|p| {
                let o = &p.observed;
                let fmr = Proportion::new(o.false_accepts, r.impostors);
                let false_rejects = r.genuine - o.true_accepts;
                let point = AllVsAllPoint {
                    threshold: o.threshold.map(f64::from),
                    fmr: fmr.rate(),
                    false_accepts: o.false_accepts,
                    impostors: r.impostors,
                    tmr: tmr(o),
                    false_rejects,
                    genuine: r.genuine,
                    fmr_ci95: fmr.ci95(),
                    fnmr_ci95: Proportion::new(false_rejects, r.genuine).ci95(),
                    fmr_upper95: fmr.upper95(),
                    demonstrated: p.demonstrated.is_some(),
                    demonstrated_threshold: p.demonstrated.as_ref().and_then(|d| d.threshold.map(f64::from)),
                    demonstrated_tmr: p.demonstrated.as_ref().and_then(tmr),
                    impostors_needed: trials_needed(p.fmr),
                };
                (p.key.clone(), point)
            })
            .collect();
        AllVsAllReport {
            model: r.model.clone(),
            images: r.images,
            identities: r.identities,
            genuine: r.genuine,
            impostors: r.impostors,
            eer: r.eer,
            points: Named(points),
            hardest_impostors: r
                .hardest_impostors
                .iter()
                .map(|c| HardestImpostor {
                    image_a: c.image_a.clone(),
                    image_b: c.image_b.clone(),
                    identity_a: c.identity_a.clone(),
                    identity_b: c.identity_b.clone(),
                    score: c.score as f64,
                })
                .collect(),
        }
    }
}
