//! `pairscope report --max-fpr F [--demonstrated]` on the real demo project (scored by the
//! built-in model, 31 different-person pairs): counts, exact intervals, the observed and the
//! demonstrated point of every FPR target, and the exit status of an undemonstrable rule.

use crate::common;

use std::path::{Path, PathBuf};

use common::{ok, pairscope, stderr, stdout};
use serde_json::Value;

fn demo(dir: &Path) -> PathBuf {
    let path = dir.join("demo.pairscope");
    pairscope::demo::create_demo(&path, false, |_| {}).expect("building the demo project");
    path
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn max_fpr_reports_counts_and_whether_each_target_is_demonstrated() {
    let dir = tempfile::tempdir().unwrap();
    let project = demo(dir.path());

    let v: Value = serde_json::from_str(&ok(["report", arg(&project), "--max-fpr", "0.0001", "--json"])).unwrap();
    let op = &v["operating_point"];
    let negatives = op["negatives"].as_u64().unwrap();
    assert_eq!(negatives, op["fp"].as_u64().unwrap() + op["tn"].as_u64().unwrap());
    assert_eq!(op["positives"].as_u64().unwrap(), op["tp"].as_u64().unwrap() + op["fn"].as_u64().unwrap());
    assert!(negatives > 0 && negatives < 2995, "the demo is small: {negatives} different-person pairs");
    // The observed point: FPR 0 here, but its interval and bound are far from 0.
    assert_eq!(op["fp"], 0);
    let upper = op["fpr_upper95"].as_f64().unwrap();
    assert!((upper - (1.0 - 0.05f64.powf(1.0 / negatives as f64))).abs() < 1e-9, "{upper}");
    let ci = op["fpr_ci95"].as_array().unwrap();
    assert_eq!(ci[0], 0.0);
    assert!(ci[1].as_f64().unwrap() > upper, "the two-sided bound is wider than the one-sided");
    let p = &v["roc"]["points"]["1e-4"];
    assert_eq!(p["demonstrated"], false);
    assert_eq!(p["demonstrated_threshold"], Value::Null);
    assert_eq!(p["negatives_needed"], 29956);
    assert_eq!(p["negatives"], negatives);
    assert_eq!(p["threshold"], op["threshold"], "the observed point is the max-fpr rule's");
    // 1e-1 needs 29 different-person pairs: the demo has enough.
    let p = &v["roc"]["points"]["1e-1"];
    assert_eq!(p["negatives_needed"], 29);
    assert_eq!(p["demonstrated"], negatives >= 29);

    // The text says the same in words.
    let text = ok(["report", arg(&project), "--max-fpr", "0.0001"]);
    let sentence =
        format!("FPR ≤ 0.01 % is not demonstrated: {negatives} different-person pairs, 0 false accepts, upper bound");
    assert!(text.contains(&sentence), "{text}");
    assert!(text.contains("it needs ≥ 29,956."), "{text}");
    assert!(text.contains("needs >= 29,956 different-person pairs"), "{text}");
    assert!(text.contains(&format!("0/{negatives}")), "{text}");

    // Demonstrated at 1e-4: the report is written, accepting nothing, then exit status 1.
    let out = pairscope(["report", arg(&project), "--max-fpr", "0.0001", "--demonstrated", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("it needs ≥ 29,956"), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["operating_point"]["rule"], "max-fpr 0.0001 demonstrated");
    assert_eq!(v["operating_point"]["threshold"], Value::Null);
    assert_eq!(v["operating_point"]["tp"], 0);

    // Demonstrated at 1e-1: the smallest threshold whose upper bound is ≤ 10 %, exit 0.
    let v: Value =
        serde_json::from_str(&ok(["report", arg(&project), "--max-fpr", "0.1", "--demonstrated", "--json"])).unwrap();
    let op = &v["operating_point"];
    assert_eq!(op["rule"], "max-fpr 0.1 demonstrated");
    assert!(op["fpr_upper95"].as_f64().unwrap() <= 0.1, "{op}");
    assert_eq!(op["threshold"], v["roc"]["points"]["1e-1"]["demonstrated_threshold"]);
    assert_eq!(op["recall"], v["roc"]["points"]["1e-1"]["demonstrated_tpr"]);

    // HTML and CSV carry the same counts and points.
    let html = dir.path().join("report.html");
    let csv = dir.path().join("tables");
    ok(["report", arg(&project), "--max-fpr", "0.0001", "--html", arg(&html), "--csv", arg(&csv)]);
    let page = std::fs::read_to_string(&html).unwrap();
    for needle in
        ["FPR ≤ 0.01 % is not demonstrated", "needs ≥ 29,956 different-person pairs", "Fleiss&#39; κ (", "95% interval"]
    {
        assert!(page.contains(needle) || page.contains(&needle.replace("&#39;", "'")), "missing {needle}");
    }
    let targets = std::fs::read_to_string(csv.join("tpr_at_fpr.csv")).unwrap();
    let row = targets.lines().find(|l| l.starts_with("1e-4,")).unwrap();
    assert!(row.ends_with(",false,,,29956"), "{row}");
    assert!(row.contains(&format!(",0,{negatives},")), "{row}");
    let op = std::fs::read_to_string(csv.join("operating_point.csv")).unwrap();
    assert!(op.lines().next().unwrap().ends_with("accuracy_ci95_hi,fpr_upper95"), "{op}");
    let agreement = std::fs::read_to_string(csv.join("agreement.csv")).unwrap();
    assert!(agreement.starts_with("percent_agreement,fleiss_kappa,fleiss_pairs,"), "{agreement}");

    // --demonstrated needs --max-fpr; 0 cannot be demonstrated.
    let out = pairscope(["report", arg(&project), "--demonstrated"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = pairscope(["report", arg(&project), "--max-fpr", "0", "--demonstrated"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("cannot be demonstrated"), "{}", stderr(&out));
}
