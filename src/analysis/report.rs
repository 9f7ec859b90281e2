//! The report: the JSON contract that scripts and our own tests rely on
//! (`pairscope report --json`). Every undefined number is JSON null, never NaN.

use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::agreement::TagAgreement;
use super::fpr_target::FprTarget;
use super::hlp::Hlp;
use super::prepared::{PairCounts, Prepared};
use super::report_intervals::{HlpIntervals, OperatingPointIntervals, RocTargets};
use super::roc::TPR_AT_FPR;
use super::slices::SliceStats;
use super::snapshot::{Snapshot, SnapshotError};
use super::splits::{Diagnosis, SplitTable};
use super::threshold::{RuleError, ThresholdRule};
use super::threshold_from::ThresholdFrom;

/// Ordered `name → value` pairs, serialized as a JSON object in this order.
#[derive(Clone, Debug, PartialEq)]
pub struct Named<T>(pub Vec<(String, T)>);

impl<T: Serialize> Serialize for Named<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<T> Named<T> {
    /// The value under `name`.
    pub fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct OperatingPointReport {
    /// `max-accuracy`, `eer`, `fixed T` or `max-fpr F`.
    pub rule: ThresholdRule,
    /// `None` (null) when the threshold is +∞: nothing is predicted `same`.
    pub threshold: Option<f64>,
    pub tp: u64,
    pub fp: u64,
    pub tn: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
    pub accuracy: Option<f64>,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub fpr: Option<f64>,
    /// Counts and 95 % intervals (issue 13).
    #[serde(flatten)]
    pub intervals: OperatingPointIntervals,
    /// Under a `max-fpr` rule, its target observed and demonstrated (the readable reports'
    /// sentence; the JSON has it in `roc.points` for the standard targets).
    #[serde(skip)]
    pub fpr_target: Option<FprTarget>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RocReport {
    pub auc: Option<f64>,
    /// Keyed "1e-1" … "1e-6".
    pub tpr_at_fpr: Named<Option<f64>>,
    /// The EER and each target's observed and demonstrated point (issue 13).
    #[serde(flatten)]
    pub targets: RocTargets,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct HlpReport {
    pub accuracy: Option<f64>,
    /// Every labeler who gave at least one verdict; null without verdicts on pairs with a
    /// truth.
    pub labelers: Named<Option<f64>>,
    /// Counts and 95 % intervals, pooled and per labeler (issue 13).
    #[serde(flatten)]
    pub intervals: HlpIntervals,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CohenReport {
    pub a: String,
    pub b: String,
    pub n: u64,
    pub kappa: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AgreementReport {
    pub percent_agreement: Option<f64>,
    pub fleiss_kappa: Option<f64>,
    /// The pairs Fleiss' κ covers: those every labeler gave a verdict on.
    pub fleiss_pairs: u64,
    /// Pairs with two verdicts or more (not in the JSON: the readable reports compare it
    /// with `fleiss_pairs`).
    #[serde(skip)]
    pub pairs_with_two_verdicts: u64,
    pub krippendorff_alpha: Option<f64>,
    pub cohen_kappa: Vec<CohenReport>,
    pub tags: Named<TagAgreement>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TagReport {
    pub tag: String,
    #[serde(flatten)]
    pub stats: SliceStats,
}

impl std::ops::Deref for TagReport {
    type Target = SliceStats;

    fn deref(&self) -> &SliceStats {
        &self.stats
    }
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct SplitReport {
    pub pairs: u64,
    pub error_rate: f64,
    pub errors: u64,
    pub error_rate_ci95: Option<[f64; 2]>,
}

/// `{"train": {…}, …, "human_error": …, "diagnosis": {…}}`: one entry per split with
/// evaluable pairs, then the human error and the diagnosis.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitsReport {
    pub splits: Named<SplitReport>,
    pub human_error: Option<f64>,
    pub diagnosis: Diagnosis,
    /// Why the diagnosis may not describe the model's training (see `splits::NOT_TRAINED_HERE`).
    pub note: Option<String>,
    /// The verdicts behind `human_error` (not in the JSON: `hlp` counts them).
    pub human: Hlp,
}

impl Serialize for SplitsReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.splits.0.len() + 3))?;
        for (k, v) in &self.splits.0 {
            map.serialize_entry(k, v)?;
        }
        map.serialize_entry("human_error", &self.human_error)?;
        map.serialize_entry("diagnosis", &self.diagnosis)?;
        map.serialize_entry("note", &self.note)?;
        map.end()
    }
}

/// Everything `pairscope report` prints.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Report {
    pub pairs: PairCounts,
    pub operating_point: OperatingPointReport,
    pub roc: RocReport,
    pub hlp: HlpReport,
    pub agreement: AgreementReport,
    /// Sorted by priority.
    pub tags: Vec<TagReport>,
    pub splits: SplitsReport,
    /// Quality against error; null when the report was made without image statistics.
    pub edc: Option<super::edc_report::EdcReport>,
    /// Every image against every other one (issue 13); null when not computed. Filled by
    /// whoever reads the project (`curate::ProjectReport`).
    pub all_vs_all: Option<super::all_vs_all::AllVsAllReport>,
    /// The rule applied to one split's pairs, measured on every split (`--threshold-from`).
    pub threshold_from: Option<ThresholdFrom>,
}

/// Why a report cannot be made.
#[derive(Clone, Debug, PartialEq)]
pub enum ReportError {
    Snapshot(SnapshotError),
    Rule(RuleError),
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::Snapshot(e) => write!(f, "invalid project data: {e}"),
            ReportError::Rule(e) => write!(f, "invalid threshold rule: {e}"),
        }
    }
}

impl std::error::Error for ReportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReportError::Snapshot(e) => Some(e),
            ReportError::Rule(e) => Some(e),
        }
    }
}

impl From<SnapshotError> for ReportError {
    fn from(e: SnapshotError) -> Self {
        ReportError::Snapshot(e)
    }
}

impl From<RuleError> for ReportError {
    fn from(e: RuleError) -> Self {
        ReportError::Rule(e)
    }
}

impl Report {
    /// Validates and prepares the snapshot, then reports at the threshold `rule` picks.
    pub fn from_snapshot(snapshot: &Snapshot, rule: ThresholdRule) -> Result<Report, ReportError> {
        let prepared = Prepared::new(snapshot)?;
        Ok(Report::new(&prepared, rule)?)
    }

    /// The report at the threshold `rule` picks.
    pub fn new(prepared: &Prepared, rule: ThresholdRule) -> Result<Report, RuleError> {
        let op = prepared.operating_point(rule)?;
        let t = op.threshold;
        let c = op.confusion;
        let operating_point = OperatingPointReport {
            rule,
            threshold: op.finite_threshold(),
            tp: c.tp,
            fp: c.fp,
            tn: c.tn,
            fn_: c.fn_,
            accuracy: op.rates.accuracy,
            precision: op.rates.precision,
            recall: op.rates.recall,
            f1: op.rates.f1,
            fpr: op.rates.fpr,
            intervals: OperatingPointIntervals::new(&c),
            fpr_target: rule.fpr_bound().map(|f| prepared.fpr_target(f)),
        };
        let roc = RocReport {
            auc: prepared.auc(),
            tpr_at_fpr: Named(
                TPR_AT_FPR.iter().map(|&(key, fpr)| (key.to_string(), prepared.tpr_at_fpr(fpr))).collect(),
            ),
            targets: RocTargets::new(prepared),
        };
        let names = prepared.labeler_names();
        let hlp = prepared.hlp();
        let hlp = HlpReport {
            accuracy: hlp.overall.accuracy(),
            labelers: Named(
                names
                    .iter()
                    .enumerate()
                    .filter(|&(l, _)| hlp.gave_verdicts[l])
                    .map(|(l, name)| (name.clone(), hlp.labelers[l].accuracy()))
                    .collect(),
            ),
            intervals: HlpIntervals::new(hlp, names),
        };
        let a = prepared.agreement();
        let agreement = AgreementReport {
            percent_agreement: a.percent_agreement,
            fleiss_kappa: a.fleiss_kappa,
            fleiss_pairs: a.fleiss_pairs,
            pairs_with_two_verdicts: a.pairs_with_two_verdicts,
            krippendorff_alpha: a.krippendorff_alpha,
            cohen_kappa: a
                .cohen_kappa
                .iter()
                .map(|k| CohenReport { a: names[k.a].clone(), b: names[k.b].clone(), n: k.n, kappa: k.kappa })
                .collect(),
            tags: Named(prepared.tag_names().iter().cloned().zip(a.tags.iter().copied()).collect()),
        };
        let tags = prepared.tag_table(t).into_iter().map(|r| TagReport { tag: r.name, stats: r.stats }).collect();
        Ok(Report {
            pairs: prepared.pair_counts(),
            operating_point,
            roc,
            hlp,
            agreement,
            tags,
            splits: splits_report(prepared.split_table(t)),
            edc: None,
            all_vs_all: None,
            threshold_from: None,
        })
    }

    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report always serializes")
    }
}

fn splits_report(table: SplitTable) -> SplitsReport {
    SplitsReport {
        splits: Named(
            table
                .rows
                .iter()
                .map(|r| {
                    let row = SplitReport {
                        pairs: r.pairs,
                        error_rate: r.error_rate,
                        errors: r.errors,
                        error_rate_ci95: r.error_rate_ci95,
                    };
                    (r.split.name().to_string(), row)
                })
                .collect(),
        ),
        human_error: table.human_error,
        diagnosis: table.diagnosis,
        note: None,
        human: table.human,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::snapshot::Split;
    use crate::analysis::snapshot::Truth::{Different, Same};
    use serde_json::{Value, json};

    fn example() -> Snapshot {
        let mut s = Snapshot::with_pairs(4, vec!["dark".into()], vec!["ann".into(), "bob".into()]);
        s.score = vec![0.9, 0.8, 0.4, 0.2];
        s.truth = vec![Some(Same), Some(Different), Some(Same), Some(Different)];
        s.split = vec![Some(Split::Train), Some(Split::Train), Some(Split::Dev), None];
        s.labels.push(0, 0, Some(Same), 1);
        s.labels.push(0, 1, Some(Same), 1);
        s.labels.push(1, 0, Some(Different), 0);
        s.labels.push(1, 1, Some(Same), 1);
        s
    }

    #[test]
    fn json_has_exactly_the_contract_keys() {
        let report = Report::from_snapshot(&example(), ThresholdRule::Fixed(0.5)).unwrap();
        let v: Value = serde_json::from_str(&report.to_json()).unwrap();
        // Key sets, compared sorted: `Value` may or may not keep the written order.
        let keys = |v: &Value| -> Vec<String> {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        let sorted = |k: &[&str]| -> Vec<String> {
            let mut k: Vec<String> = k.iter().map(|s| s.to_string()).collect();
            k.sort();
            k
        };
        assert_eq!(
            keys(&v),
            sorted(&[
                "agreement",
                "all_vs_all",
                "edc",
                "hlp",
                "operating_point",
                "pairs",
                "roc",
                "splits",
                "tags",
                "threshold_from"
            ])
        );
        assert_eq!(v["all_vs_all"], Value::Null, "null until all-vs-all is computed");
        assert_eq!(keys(&v["pairs"]), sorted(&["total", "with_truth", "scored", "evaluable"]));
        assert_eq!(
            keys(&v["operating_point"]),
            sorted(&[
                "rule",
                "threshold",
                "tp",
                "fp",
                "tn",
                "fn",
                "accuracy",
                "precision",
                "recall",
                "f1",
                "fpr",
                "positives",
                "negatives",
                "fpr_ci95",
                "fnr_ci95",
                "tpr_ci95",
                "accuracy_ci95",
                "fpr_upper95"
            ])
        );
        assert_eq!(keys(&v["roc"]), sorted(&["auc", "tpr_at_fpr", "eer", "points"]));
        let targets = sorted(&["1e-1", "1e-2", "1e-3", "1e-4", "1e-5", "1e-6"]);
        assert_eq!(keys(&v["roc"]["tpr_at_fpr"]), targets);
        assert_eq!(keys(&v["roc"]["eer"]), sorted(&["rate", "threshold"]));
        assert_eq!(keys(&v["roc"]["points"]), targets);
        assert_eq!(
            keys(&v["roc"]["points"]["1e-4"]),
            sorted(&[
                "threshold",
                "tpr",
                "fpr",
                "false_accepts",
                "negatives",
                "tpr_ci95",
                "fpr_ci95",
                "fpr_upper95",
                "demonstrated",
                "demonstrated_threshold",
                "demonstrated_tpr",
                "negatives_needed"
            ])
        );
        assert_eq!(keys(&v["hlp"]), sorted(&["accuracy", "labelers", "verdicts", "accuracy_ci95", "labelers_detail"]));
        assert_eq!(keys(&v["hlp"]["labelers_detail"]), sorted(&["ann", "bob"]));
        assert_eq!(keys(&v["hlp"]["labelers_detail"]["ann"]), sorted(&["verdicts", "accuracy", "accuracy_ci95"]));
        assert_eq!(
            keys(&v["agreement"]),
            sorted(&["percent_agreement", "fleiss_kappa", "fleiss_pairs", "krippendorff_alpha", "cohen_kappa", "tags"])
        );
        assert_eq!(keys(&v["agreement"]["cohen_kappa"][0]), sorted(&["a", "b", "n", "kappa"]));
        assert_eq!(keys(&v["agreement"]["tags"]["dark"]), sorted(&["krippendorff_alpha", "percent_agreement"]));
        assert_eq!(
            keys(&v["tags"][0]),
            sorted(&[
                "tag",
                "pairs",
                "share_of_data",
                "errors",
                "share_of_errors",
                "error_rate",
                "accuracy",
                "hlp",
                "gap_to_hlp",
                "priority",
                "fp",
                "fn",
                "error_rate_ci95",
                "ranked"
            ])
        );
        assert_eq!(keys(&v["splits"]), sorted(&["train", "dev", "human_error", "diagnosis", "note"]));
        assert_eq!(keys(&v["splits"]["train"]), sorted(&["pairs", "error_rate", "errors", "error_rate_ci95"]));
        assert_eq!(
            keys(&v["splits"]["diagnosis"]),
            sorted(&["avoidable_bias", "variance", "data_mismatch", "overfitting_to_dev", "largest", "intervals"])
        );
        assert_eq!(
            keys(&v["splits"]["diagnosis"]["intervals"]),
            sorted(&["avoidable_bias", "variance", "data_mismatch", "overfitting_to_dev"])
        );
        assert_eq!(v["threshold_from"], Value::Null);
    }

    #[test]
    fn maps_keep_their_order() {
        let text = Report::from_snapshot(&example(), ThresholdRule::Fixed(0.5)).unwrap().to_json();
        let at = |needle: &str| text.find(needle).unwrap();
        assert!(at("\"1e-1\"") < at("\"1e-2\"") && at("\"1e-5\"") < at("\"1e-6\""));
        assert!(at("\"train\":") < at("\"dev\":") && at("\"dev\":") < at("\"human_error\""));
        assert!(at("\"ann\": 1.0") < at("\"bob\": 0.5"));
    }

    #[test]
    fn values_by_hand() {
        let report = Report::from_snapshot(&example(), ThresholdRule::Fixed(0.5)).unwrap();
        let v: Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(v["operating_point"]["rule"], json!("fixed 0.5"));
        assert_eq!(v["operating_point"]["threshold"], json!(0.5));
        // 0.9 S tp, 0.8 D fp, 0.4 S fn, 0.2 D tn.
        assert_eq!(
            [
                &v["operating_point"]["tp"],
                &v["operating_point"]["fp"],
                &v["operating_point"]["tn"],
                &v["operating_point"]["fn"]
            ],
            [&json!(1), &json!(1), &json!(1), &json!(1)]
        );
        assert_eq!(v["roc"]["auc"], json!(0.75));
        // Humans: 3 of 4 verdicts right; ann 2/2, bob 1/2.
        assert_eq!(v["hlp"]["accuracy"], json!(0.75));
        assert_eq!(v["hlp"]["labelers"], json!({"ann": 1.0, "bob": 0.5}));
        assert_eq!(v["hlp"]["verdicts"], json!(4));
        assert_eq!(v["hlp"]["labelers_detail"]["bob"]["verdicts"], json!(2));
        assert_eq!(v["hlp"]["labelers_detail"]["bob"]["accuracy"], json!(0.5));
        // Clopper–Pearson for 2 of 2: [0.025^(1/2), 1]; for 1 of 2 symmetric about ½.
        let ann = v["hlp"]["labelers_detail"]["ann"]["accuracy_ci95"].as_array().unwrap();
        assert!((ann[0].as_f64().unwrap() - 0.025f64.sqrt()).abs() < 1e-9 && ann[1] == json!(1.0), "{ann:?}");
        let bob = v["hlp"]["labelers_detail"]["bob"]["accuracy_ci95"].as_array().unwrap();
        assert!((bob[0].as_f64().unwrap() + bob[1].as_f64().unwrap() - 1.0).abs() < 1e-9, "{bob:?}");
        // Operating point: 1 of 2 negatives accepted, 1 of 2 positives found.
        let op = &v["operating_point"];
        assert_eq!((&op["positives"], &op["negatives"]), (&json!(2), &json!(2)));
        assert_eq!(op["fpr_ci95"], op["tpr_ci95"], "both 1 of 2");
        assert_eq!(op["fpr_ci95"], op["fnr_ci95"], "both 1 of 2");
        // One-sided 95 % bound of 1 of 2: P(X ≤ 1) = 1 − p² = 0.05 → p = √0.95.
        assert!((op["fpr_upper95"].as_f64().unwrap() - 0.95f64.sqrt()).abs() < 1e-9, "{op}");
        // Two negatives demonstrate no target of 1e-1 or below (1e-1 needs 29).
        let p = &v["roc"]["points"]["1e-1"];
        assert_eq!(p["demonstrated"], json!(false));
        assert_eq!(p["demonstrated_threshold"], Value::Null);
        assert_eq!(p["negatives_needed"], json!(29));
        assert_eq!(v["roc"]["points"]["1e-4"]["negatives_needed"], json!(29956));
        // Observed at 1e-1: FPR 0 needs the top negative (0.8) rejected: threshold 0.9, TPR ½.
        assert_eq!(
            (&p["threshold"], &p["tpr"], &p["false_accepts"], &p["negatives"]),
            (&json!(0.9), &json!(0.5), &json!(0), &json!(2))
        );
        // EER: at 0.8 FPR ½ and FNR ½ cross.
        assert_eq!(v["roc"]["eer"], json!({"rate": 0.5, "threshold": 0.8}));
        assert_eq!(v["agreement"]["fleiss_pairs"], json!(2));
        assert_eq!(v["agreement"]["cohen_kappa"][0]["a"], json!("ann"));
        assert_eq!(v["agreement"]["cohen_kappa"][0]["n"], json!(2));
        // dark: pairs 0 and 1 → 1 error of 2 overall.
        assert_eq!(v["tags"][0]["tag"], json!("dark"));
        assert_eq!(v["tags"][0]["share_of_errors"], json!(0.5));
        assert_eq!(v["splits"]["train"]["pairs"], json!(2));
        assert_eq!(v["splits"]["train"]["error_rate"], json!(0.5));
        assert_eq!(v["splits"]["train"]["errors"], json!(1));
        assert_eq!(v["splits"]["human_error"], json!(0.25));
        // Train 1 of 2 wrong against humans 1 of 4: +25 pp, but far too few to tell.
        assert_eq!(v["splits"]["diagnosis"]["avoidable_bias"], json!(0.25));
        let ci = v["splits"]["diagnosis"]["intervals"]["avoidable_bias"].as_array().unwrap();
        assert!(ci[0].as_f64().unwrap() < 0.0 && ci[1].as_f64().unwrap() > 0.25, "{ci:?}");
        assert_eq!(v["splits"]["diagnosis"]["largest"], Value::Null);
        assert_eq!(v["tags"][0]["ranked"], json!(false), "2 pairs are below the default minimum support");
    }

    #[test]
    fn undefined_numbers_are_null_never_nan() {
        // Nothing evaluable, no labels: almost everything is undefined.
        let mut s = Snapshot::with_pairs(3, vec!["dark".into()], vec!["ann".into()]);
        s.score = vec![f64::NAN, 0.3, f64::NAN];
        let report = Report::from_snapshot(&s, ThresholdRule::MaxAccuracy).unwrap();
        let text = report.to_json();
        assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["operating_point"]["threshold"], Value::Null);
        assert_eq!(v["operating_point"]["accuracy"], Value::Null);
        assert_eq!(v["operating_point"]["fpr"], Value::Null);
        assert_eq!(v["roc"]["auc"], Value::Null);
        assert_eq!(v["roc"]["tpr_at_fpr"]["1e-3"], Value::Null);
        assert_eq!(v["operating_point"]["fpr_ci95"], Value::Null);
        assert_eq!(v["operating_point"]["fpr_upper95"], Value::Null);
        assert_eq!(v["roc"]["eer"], json!({"rate": null, "threshold": null}));
        assert_eq!(v["roc"]["points"]["1e-3"]["tpr_ci95"], Value::Null);
        assert_eq!(v["roc"]["points"]["1e-3"]["demonstrated"], json!(false));
        assert_eq!(v["hlp"]["accuracy_ci95"], Value::Null);
        assert_eq!(v["hlp"]["verdicts"], json!(0));
        assert_eq!(v["hlp"]["accuracy"], Value::Null);
        assert_eq!(v["agreement"]["fleiss_kappa"], Value::Null);
        assert_eq!(v["agreement"]["tags"]["dark"]["krippendorff_alpha"], Value::Null);
        assert_eq!(v["splits"]["human_error"], Value::Null);
        assert_eq!(v["splits"]["diagnosis"]["largest"], Value::Null);
        assert_eq!(v["tags"], json!([]));
    }

    #[test]
    fn errors_name_their_cause() {
        let mut s = example();
        s.score.push(0.1);
        let err = Report::from_snapshot(&s, ThresholdRule::Eer).unwrap_err();
        assert!(err.to_string().contains("truth"), "{err}");
        let err = Report::from_snapshot(&example(), ThresholdRule::MaxFpr(2.0)).unwrap_err();
        assert!(err.to_string().contains("maximum FPR 2"), "{err}");
        let err = Report::from_snapshot(&example(), ThresholdRule::MaxFprDemonstrated(0.0)).unwrap_err();
        assert!(err.to_string().contains("cannot be demonstrated"), "{err}");
    }
}
