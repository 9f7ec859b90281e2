//! The analysis engine against reference values from scikit-learn, statsmodels and the
//! `krippendorff` package (tests/fixtures/analysis/*.json, made by
//! tools/make_analysis_fixtures.py).

use std::fs;
use std::path::{Path, PathBuf};

use pairscope::analysis::{
    Labels, Prepared, Report, SPLITS, SliceRow, Snapshot, Split, ThresholdRule, Truth, contiguous_folds, kfold_accuracy,
};
use serde_json::Value;

const TOLERANCE: f64 = 1e-9;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/analysis");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 7, "expected the reference designs in {}", dir.display());
    paths
}

fn truth(v: &Value) -> Option<Truth> {
    match v.as_str() {
        Some("same") => Some(Truth::Same),
        Some("different") => Some(Truth::Different),
        None => None,
        Some(other) => panic!("unknown truth {other}"),
    }
}

fn split(v: &Value) -> Option<Split> {
    v.as_str().map(|s| *SPLITS.iter().find(|x| x.name() == s).unwrap())
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

fn snapshot(input: &Value) -> Snapshot {
    let mut labels = Labels::default();
    for row in input["labels"].as_array().unwrap() {
        labels.push(
            row[0].as_u64().unwrap() as u32,
            row[1].as_u64().unwrap() as u32,
            truth(&row[2]),
            row[3].as_u64().unwrap(),
        );
    }
    let list = |key: &str| input[key].as_array().unwrap().iter();
    Snapshot {
        tag_names: strings(&input["tag_names"]),
        labeler_names: strings(&input["labeler_names"]),
        score: list("score").map(|s| s.as_f64().unwrap_or(f64::NAN)).collect(),
        truth: list("truth").map(truth).collect(),
        split: list("split").map(split).collect(),
        consensus_override: list("consensus_override").map(|o| o.as_u64()).collect(),
        metadata: Vec::new(),
        labels,
    }
}

fn rule(name: &str) -> ThresholdRule {
    match name.split_once(' ') {
        None if name == "max-accuracy" => ThresholdRule::MaxAccuracy,
        None if name == "eer" => ThresholdRule::Eer,
        Some(("fixed", t)) => ThresholdRule::Fixed(t.parse().unwrap()),
        Some(("max-fpr", f)) => ThresholdRule::MaxFpr(f.parse().unwrap()),
        _ => panic!("unknown rule {name}"),
    }
}

/// Checks an optional number against a reference value (null ⇔ None).
#[track_caller]
fn close(what: &str, actual: Option<f64>, expected: &Value) {
    match (actual, expected.as_f64()) {
        (None, None) => {}
        (Some(a), Some(e)) => assert!((a - e).abs() <= TOLERANCE, "{what}: {a} differs from reference {e}"),
        (a, _) => panic!("{what}: {a:?} but reference is {expected}"),
    }
}

#[track_caller]
fn count(what: &str, actual: u64, expected: &Value) {
    assert_eq!(Some(actual), expected.as_u64(), "{what}");
}

/// A threshold as the reference writes it: null for +∞.
fn threshold(t: f64) -> Option<f64> {
    t.is_finite().then_some(t)
}

fn check_rows(what: &str, rows: &[SliceRow], expected: &Value) {
    let expected = expected.as_array().unwrap();
    assert_eq!(rows.len(), expected.len(), "{what}: number of rows");
    for e in expected {
        let name = e["name"].as_str().unwrap();
        let row = rows.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("{what}: no row {name}"));
        let w = |field: &str| format!("{what} {name} {field}");
        count(&w("pairs"), row.pairs, &e["pairs"]);
        count(&w("errors"), row.errors, &e["errors"]);
        count(&w("fp"), row.fp, &e["fp"]);
        count(&w("fn"), row.fn_, &e["fn"]);
        close(&w("share_of_data"), Some(row.share_of_data), &e["share_of_data"]);
        close(&w("share_of_errors"), row.share_of_errors, &e["share_of_errors"]);
        close(&w("error_rate"), Some(row.error_rate), &e["error_rate"]);
        close(&w("accuracy"), Some(row.accuracy), &e["accuracy"]);
        close(&w("hlp"), row.hlp, &e["hlp"]);
        close(&w("gap_to_hlp"), row.gap_to_hlp, &e["gap_to_hlp"]);
        close(&w("priority"), row.priority, &e["priority"]);
    }
}

fn check_design(path: &Path) {
    let fixture: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let name = fixture["name"].as_str().unwrap().to_string();
    let expected = &fixture["expected"];
    let snap = snapshot(&fixture["input"]);
    let prepared = Prepared::new(&snap).unwrap_or_else(|e| panic!("{name}: {e}"));

    // Operating points under every rule (scikit-learn's confusion matrix and scores).
    for (rule_name, e) in expected["operating_points"].as_object().unwrap() {
        let op = prepared.operating_point(rule(rule_name)).unwrap();
        let w = |f: &str| format!("{name} {rule_name} {f}");
        close(&w("threshold"), threshold(op.threshold), &e["threshold"]);
        count(&w("tp"), op.confusion.tp, &e["tp"]);
        count(&w("fp"), op.confusion.fp, &e["fp"]);
        count(&w("tn"), op.confusion.tn, &e["tn"]);
        count(&w("fn"), op.confusion.fn_, &e["fn"]);
        close(&w("accuracy"), op.rates.accuracy, &e["accuracy"]);
        close(&w("precision"), op.rates.precision, &e["precision"]);
        close(&w("recall"), op.rates.recall, &e["recall"]);
        close(&w("f1"), op.rates.f1, &e["f1"]);
        close(&w("fpr"), op.rates.fpr, &e["fpr"]);
    }

    // ROC curves (roc_curve, with and without drop_intermediate), AUC, TPR at FPR.
    for (key, drop) in [("roc", false), ("roc_dropped", true)] {
        let curve = prepared.roc_curve(drop);
        let e = &expected[key];
        match curve {
            None => assert!(e.is_null(), "{name} {key}: no curve but reference has one"),
            Some(points) => {
                let fpr = e["fpr"].as_array().unwrap();
                assert_eq!(points.len(), fpr.len(), "{name} {key}: number of points");
                for (i, p) in points.iter().enumerate() {
                    close(&format!("{name} {key} fpr[{i}]"), Some(p.fpr), &e["fpr"][i]);
                    close(&format!("{name} {key} tpr[{i}]"), Some(p.tpr), &e["tpr"][i]);
                    let t = &e["thresholds"][i];
                    close(&format!("{name} {key} threshold[{i}]"), threshold(p.threshold), t);
                }
            }
        }
    }
    close(&format!("{name} auc"), prepared.auc(), &expected["auc"]);
    for (key, e) in expected["tpr_at_fpr"].as_object().unwrap() {
        let fpr: f64 = key.parse().unwrap();
        close(&format!("{name} tpr at fpr {key}"), prepared.tpr_at_fpr(fpr), e);
    }

    check_ops_intervals(&name, &prepared, &expected["ops_intervals"]);

    // Consensus tags and HLP.
    let consensus: Vec<u64> = expected["consensus"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    assert_eq!(prepared.consensus(), &consensus[..], "{name} consensus");
    let hlp = prepared.hlp();
    close(&format!("{name} hlp"), hlp.overall.accuracy(), &expected["hlp"]["accuracy"]);
    for (l, e) in expected["hlp"]["labelers"].as_array().unwrap().iter().enumerate() {
        close(&format!("{name} hlp labeler {l}"), hlp.labelers[l].accuracy(), e);
    }

    // Agreement (cohen_kappa_score, fleiss_kappa, krippendorff.alpha).
    let a = prepared.agreement();
    let e = &expected["agreement"];
    close(&format!("{name} percent agreement"), a.percent_agreement, &e["percent_agreement"]);
    close(&format!("{name} fleiss"), a.fleiss_kappa, &e["fleiss_kappa"]);
    count(&format!("{name} fleiss pairs"), a.fleiss_pairs, &e["fleiss_pairs"]);
    close(&format!("{name} krippendorff"), a.krippendorff_alpha, &e["krippendorff_alpha"]);
    let cohen = e["cohen_kappa"].as_array().unwrap();
    assert_eq!(a.cohen_kappa.len(), cohen.len(), "{name} cohen pairs");
    for (k, e) in a.cohen_kappa.iter().zip(cohen) {
        let w = format!("{name} cohen {}-{}", k.a, k.b);
        count(&w, k.a as u64, &e["a"]);
        count(&w, k.b as u64, &e["b"]);
        count(&w, k.n, &e["n"]);
        close(&w, k.kappa, &e["kappa"]);
    }
    for (t, e) in e["tags"].as_array().unwrap().iter().enumerate() {
        let tag = &a.tags[t];
        close(&format!("{name} tag {t} alpha"), tag.krippendorff_alpha, &e["krippendorff_alpha"]);
        close(&format!("{name} tag {t} percent agreement"), tag.percent_agreement, &e["percent_agreement"]);
    }
    let disagreements: Vec<(u64, bool, u64)> = expected["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d[0].as_u64().unwrap(), d[1].as_bool().unwrap(), d[2].as_u64().unwrap()))
        .collect();
    let actual: Vec<(u64, bool, u64)> =
        a.disagreements.iter().map(|d| (u64::from(d.pair), d.verdict, d.tags)).collect();
    assert_eq!(actual, disagreements, "{name} disagreements");

    // Tables at the max-accuracy threshold.
    let t = prepared.operating_point(ThresholdRule::MaxAccuracy).unwrap().threshold;
    check_rows(&format!("{name} tags"), &prepared.tag_table(t), &expected["tag_table"]);
    check_rows(&format!("{name} tag pairs"), &prepared.tag_pair_table(t, 1), &expected["tag_pair_table"]);
    let splits = prepared.split_table(t);
    let e_splits = expected["splits"].as_array().unwrap();
    assert_eq!(splits.rows.len(), e_splits.len(), "{name} split rows");
    for (row, e) in splits.rows.iter().zip(e_splits) {
        assert_eq!(row.split.name(), e["split"].as_str().unwrap(), "{name} split order");
        count(&format!("{name} split pairs"), row.pairs, &e["pairs"]);
        count(&format!("{name} split errors"), row.errors, &e["errors"]);
        close(&format!("{name} split error"), Some(row.error_rate), &e["error_rate"]);
        close(&format!("{name} split human error"), row.human_error, &e["human_error"]);
    }

    // The report carries the same numbers.
    let report: Value =
        serde_json::from_str(&Report::new(&prepared, ThresholdRule::MaxAccuracy).unwrap().to_json()).unwrap();
    let e = &expected["operating_points"]["max-accuracy"];
    for key in ["threshold", "accuracy", "precision", "recall", "f1", "fpr"] {
        close(&format!("{name} report {key}"), report["operating_point"][key].as_f64(), &e[key]);
    }
    close(&format!("{name} report auc"), report["roc"]["auc"].as_f64(), &expected["auc"]);
    close(
        &format!("{name} report fleiss"),
        report["agreement"]["fleiss_kappa"].as_f64(),
        &expected["agreement"]["fleiss_kappa"],
    );

    // LFW-style k-fold accuracy over the evaluable pairs, in pair order.
    if let Some(e) = expected.get("kfold") {
        let pairs: Vec<usize> = e["pairs"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap() as usize).collect();
        let k = e["k"].as_u64().unwrap() as usize;
        let score: Vec<f64> = pairs.iter().map(|&p| snap.score[p]).collect();
        let truths: Vec<Truth> = pairs.iter().map(|&p| snap.truth[p].unwrap()).collect();
        let r = kfold_accuracy(&score, &truths, &contiguous_folds(pairs.len(), k), k).unwrap();
        close(&format!("{name} kfold mean"), r.mean, &e["mean"]);
        close(&format!("{name} kfold std"), r.std, &e["std"]);
        for (f, ef) in r.folds.iter().zip(e["folds"].as_array().unwrap()) {
            close(&format!("{name} kfold threshold"), f.threshold, &ef["threshold"]);
            close(&format!("{name} kfold accuracy"), f.accuracy, &ef["accuracy"]);
        }
    }
}

#[test]
fn matches_reference_libraries_on_every_design() {
    for path in fixtures() {
        check_design(&path);
    }
}

#[test]
fn designs_cover_the_edge_cases() {
    // Guard against a regenerated fixture silently losing what it is there to test.
    let load = |name: &str| -> Value {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/analysis").join(format!("{name}.json"));
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
    };
    let e = load("no_errors");
    assert_eq!(e["expected"]["operating_points"]["max-accuracy"]["fp"], 0);
    assert_eq!(e["expected"]["operating_points"]["max-accuracy"]["fn"], 0);
    let e = load("no_positives");
    assert!(e["expected"]["auc"].is_null());
    let e = load("single_labeler");
    assert!(e["expected"]["agreement"]["krippendorff_alpha"].is_null());
    let e = load("ties");
    let scores = e["input"]["score"].as_array().unwrap();
    let mut distinct: Vec<f64> = scores.iter().filter_map(Value::as_f64).collect();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    assert!(distinct.len() * 5 < scores.len(), "ties design has heavy ties");
    let e = load("missing");
    let labels = e["input"]["labels"].as_array().unwrap();
    assert!(labels.iter().any(|l| l[2].is_null()), "tag-only labels");
    assert!(e["input"]["score"].as_array().unwrap().iter().any(Value::is_null));
}

// ---- issue 13: slice and split intervals (tests/fixtures/slices_intervals.json) ----------

fn slices_fixture() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/slices_intervals.json");
    serde_json::from_str(&fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

/// An interval against statsmodels (null ⇔ None), to 1e-9 absolute.
#[track_caller]
fn close_interval(what: &str, actual: Option<[f64; 2]>, expected: &Value) {
    match (actual, expected.as_array()) {
        (None, None) => {}
        (Some([lo, hi]), Some(e)) => {
            close(&format!("{what} lower"), Some(lo), &e[0]);
            close(&format!("{what} upper"), Some(hi), &e[1]);
        }
        (a, _) => panic!("{what}: {a:?} but reference is {expected}"),
    }
}

#[track_caller]
fn check_diagnosis(what: &str, report: &Value, expected: &Value) {
    let d = &report["splits"]["diagnosis"];
    for term in ["avoidable_bias", "variance", "data_mismatch", "overfitting_to_dev"] {
        close(&format!("{what} {term}"), d[term].as_f64(), &expected["values"][term]);
        let actual = d["intervals"][term].as_array().map(|c| [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()]);
        close_interval(&format!("{what} {term} interval"), actual, &expected["intervals"][term]);
    }
    assert_eq!(d["largest"], expected["largest"], "{what}: largest");
}

/// Every design's per-tag and per-split error-rate intervals (statsmodels'
/// proportion_confint, method "beta") and diagnosis intervals (confint_proportions_2indep,
/// method "newcomb"), at the max-accuracy threshold.
#[test]
fn slice_and_split_intervals_match_statsmodels() {
    let reference = slices_fixture();
    for path in fixtures() {
        let fixture: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let name = fixture["name"].as_str().unwrap();
        let expected = &reference["designs"][name];
        let report = Report::from_snapshot(&snapshot(&fixture["input"]), ThresholdRule::MaxAccuracy).unwrap();
        let tags = expected["tags"].as_object().unwrap();
        assert_eq!(report.tags.len(), tags.len(), "{name}: tag rows");
        for row in &report.tags {
            close_interval(&format!("{name} tag {}", row.tag), row.error_rate_ci95, &tags[&row.tag]);
        }
        let splits = expected["splits"].as_object().unwrap();
        assert_eq!(report.splits.splits.0.len(), splits.len(), "{name}: split rows");
        for (split, row) in &report.splits.splits.0 {
            close_interval(&format!("{name} split {split}"), row.error_rate_ci95, &splits[split]);
        }
        let json: Value = serde_json::from_str(&report.to_json()).unwrap();
        check_diagnosis(name, &json, &expected["diagnosis"]);
    }
}

/// A project made to have these split error counts (errors of pairs, at threshold 0.5) and
/// these human counts (wrong verdicts of verdicts).
fn split_counts_snapshot(splits: &serde_json::Map<String, Value>, human: &Value) -> Snapshot {
    let mut rows: Vec<(Split, bool)> = Vec::new();
    for (name, c) in splits {
        let (errors, pairs) = (c[0].as_u64().unwrap(), c[1].as_u64().unwrap());
        let s = split(&Value::from(name.as_str())).unwrap();
        rows.extend((0..pairs).map(|i| (s, i < errors)));
    }
    let mut s = Snapshot::with_pairs(rows.len(), vec![], vec!["ann".into()]);
    for (p, &(split, wrong)) in rows.iter().enumerate() {
        s.truth[p] = Some(Truth::Same);
        s.score[p] = if wrong { 0.2 } else { 0.8 };
        s.split[p] = Some(split);
    }
    let (wrong, verdicts) = (human[0].as_u64().unwrap(), human[1].as_u64().unwrap());
    assert!(verdicts as usize <= rows.len(), "one verdict per pair");
    for p in 0..verdicts {
        let verdict = if p < wrong { Truth::Different } else { Truth::Same };
        s.labels.push(p as u32, 0, Some(verdict), 0);
    }
    s
}

/// The diagnosis of hand-made split counts, among them the issue's "1 error against 1
/// error", against statsmodels' Newcombe intervals.
#[test]
fn diagnosis_intervals_match_statsmodels_newcombe() {
    let reference = slices_fixture();
    for case in reference["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let s = split_counts_snapshot(case["splits"].as_object().unwrap(), &case["human"]);
        let report = Report::from_snapshot(&s, ThresholdRule::Fixed(0.5)).unwrap();
        let json: Value = serde_json::from_str(&report.to_json()).unwrap();
        for (split, expected) in case["error_rate_ci95"].as_object().unwrap() {
            let actual = report.splits.splits.get(split).unwrap().error_rate_ci95;
            close_interval(&format!("{name} {split}"), actual, expected);
        }
        check_diagnosis(name, &json, &case["diagnosis"]);
    }
}

/// Issue 13 ("ops"): Clopper–Pearson intervals and one-sided bounds (statsmodels, scipy) of
/// the operating point, the FPR targets observed and demonstrated (brute force), and HLP.
fn check_ops_intervals(name: &str, prepared: &Prepared, e: &Value) {
    for (rule_name, e) in e["operating_points"].as_object().unwrap() {
        let r = Report::new(prepared, rule(rule_name)).unwrap();
        let i = &r.operating_point.intervals;
        let w = |f: &str| format!("{name} {rule_name} {f}");
        close_interval(&w("tpr_ci95"), i.tpr_ci95, &e["tpr_ci95"]);
        close_interval(&w("fnr_ci95"), i.fnr_ci95, &e["fnr_ci95"]);
        close_interval(&w("fpr_ci95"), i.fpr_ci95, &e["fpr_ci95"]);
        close_interval(&w("accuracy_ci95"), i.accuracy_ci95, &e["accuracy_ci95"]);
        close(&w("fpr_upper95"), i.fpr_upper95, &e["fpr_upper95"]);
    }
    let r = Report::new(prepared, ThresholdRule::MaxAccuracy).unwrap();
    for (key, p) in &r.roc.targets.points.0 {
        let e = &e["points"][key];
        let w = |f: &str| format!("{name} point {key} {f}");
        close_interval(&w("tpr_ci95"), p.tpr_ci95, &e["tpr_ci95"]);
        close_interval(&w("fpr_ci95"), p.fpr_ci95, &e["fpr_ci95"]);
        close(&w("fpr_upper95"), p.fpr_upper95, &e["fpr_upper95"]);
        assert_eq!(Some(p.demonstrated), e["demonstrated"].as_bool(), "{}", w("demonstrated"));
        close(&w("demonstrated_threshold"), p.demonstrated_threshold, &e["demonstrated_threshold"]);
        close(&w("demonstrated_tpr"), p.demonstrated_tpr, &e["demonstrated_tpr"]);
        count(&w("negatives_needed"), p.negatives_needed, &e["negatives_needed"]);
    }
    close_interval(&format!("{name} hlp_ci95"), r.hlp.intervals.accuracy_ci95, &e["hlp_ci95"]);
}
