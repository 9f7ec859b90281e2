//! What a project keeps of one all-vs-all run: exact counts at the FMR targets, the EER, the
//! histogram and the extreme comparisons, with the images named. Plain data (serde), so the
//! store keeps it as JSON and the report reads it back.

use serde::{Deserialize, Serialize};

use super::{Eer, HistogramBin, ThresholdCounts};

/// Two images compared, named as exports name them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedComparison {
    pub image_a: String,
    pub image_b: String,
    pub identity_a: String,
    pub identity_b: String,
    pub score: f32,
    /// Image ids in the project.
    pub image_a_id: i64,
    pub image_b_id: i64,
}

/// The exact counts for one FMR target: the observed point (the smallest threshold with
/// FMR ≤ f, as `--max-fpr`) and the demonstrated one (the smallest threshold whose one-sided
/// 95 % upper bound is ≤ f), None when the impostors are too few to demonstrate f.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FmrPoint {
    pub key: String,
    pub fmr: f64,
    pub observed: ThresholdCounts,
    pub demonstrated: Option<ThresholdCounts>,
}

/// What the project keeps of one all-vs-all run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllVsAllRecord {
    pub model: String,
    /// Images compared (with an identity and an embedding).
    pub images: u64,
    pub identities: u64,
    /// Images with an identity but no embedding (no face, unreadable…), left out.
    pub left_out: u64,
    pub genuine: u64,
    pub impostors: u64,
    pub eer: Option<Eer>,
    pub points: Vec<FmrPoint>,
    pub histogram: Vec<HistogramBin>,
    pub hardest_impostors: Vec<NamedComparison>,
    pub weakest_genuine: Vec<NamedComparison>,
    pub seconds: f64,
}
