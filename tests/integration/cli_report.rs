//! `pairscope report` and `pairscope eval-lfw` on real, scored projects.

use crate::common;

use std::path::Path;

use common::{datasets, ok, pairscope, stderr};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A small LFW protocol file from the real one: the first `n` same and `n` different pairs of
/// the first `folds` folds, keeping the original lines (CI cannot embed all 7,437 images).
fn small_lfw(dir: &Path, folds: usize, n: usize) -> std::path::PathBuf {
    let text = std::fs::read_to_string(datasets().join("lfw/pairs.txt")).unwrap();
    let lines: Vec<&str> = text.lines().skip(1).collect();
    let mut out = format!("{folds}\t{n}\n");
    for fold in 0..folds {
        let block = &lines[fold * 600..(fold + 1) * 600];
        for line in block[..300].iter().take(n).chain(block[300..].iter().take(n)) {
            out += line;
            out += "\n";
        }
    }
    let path = dir.join("pairs-small.txt");
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn report_json_follows_the_contract_and_rules_change_the_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.pairscope");
    ok(["import-folders", arg(&project), "--images", arg(&datasets().join("sitcom"))]);
    let labels = dir.path().join("labels.csv");
    std::fs::write(
        &labels,
        "pair_id,labeler,verdict,tags\namy/amy1.png|amy/amy2.png,ann,same,dark\n\
         amy/amy1.png|amy/amy2.png,bob,different,\namy/amy1.png|amy/amy3.png,ann,same,\n\
         amy/amy1.png|amy/amy3.png,<script>x</script>,same,\n",
    )
    .unwrap();
    ok(["import-labels", arg(&project), "--csv", arg(&labels)]);

    // Before any scores: the report still works, with nulls where nothing can be computed.
    let unscored: serde_json::Value = serde_json::from_str(&ok(["report", arg(&project), "--json"])).unwrap();
    assert_eq!(unscored["pairs"]["scored"], 0);
    assert!(unscored["operating_point"]["accuracy"].is_null());

    ok(["embed", arg(&project), "--quiet"]);
    let report: serde_json::Value = serde_json::from_str(&ok(["report", arg(&project), "--json"])).unwrap();
    for key in ["pairs", "operating_point", "roc", "hlp", "agreement", "tags", "splits"] {
        assert!(report.get(key).is_some(), "missing {key}: {report}");
    }
    assert_eq!(report["pairs"]["evaluable"], 160);
    assert_eq!(report["operating_point"]["rule"], "max-accuracy");
    let auc = report["roc"]["auc"].as_f64().unwrap();
    assert!(auc >= 0.99, "sitcom is easy for the built-in model: AUC {auc}");
    assert_eq!(report["hlp"]["labelers"]["ann"], 1.0);
    assert_eq!(report["hlp"]["labelers"]["bob"], 0.0);
    assert!(report["agreement"]["cohen_kappa"].is_array());

    let strict: serde_json::Value =
        serde_json::from_str(&ok(["report", arg(&project), "--json", "--max-fpr", "0"])).unwrap();
    assert_eq!(strict["operating_point"]["fp"], 0, "FPR <= 0 admits no false positive");
    let fixed: serde_json::Value =
        serde_json::from_str(&ok(["report", arg(&project), "--json", "--threshold", "0.5"])).unwrap();
    assert_eq!(fixed["operating_point"]["threshold"], 0.5);
    assert!(!ok(["report", arg(&project)]).contains("NaN"));

    let html = dir.path().join("report.html");
    let tables = dir.path().join("tables");
    ok(["report", arg(&project), "--html", arg(&html), "--csv", arg(&tables)]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(page.matches("<svg").count(), 3, "histogram, ROC and the EDC are inline");
    assert!(page.contains("aria-label=\"EDC"), "the third plot is the EDC");
    assert!(!page.contains("src=\"http") && !page.contains("href=\"http"), "self-contained");
    assert!(page.contains("&lt;script&gt;") && !page.contains("<script>"), "user names are escaped");
    let tags = std::fs::read_to_string(tables.join("tags.csv")).unwrap();
    assert!(tags.starts_with("tag,pairs,share_of_data"), "{tags}");
    assert!(tables.join("cohen_kappa.csv").is_file());

    let err = stderr(&pairscope(["report", arg(&project), "--model", "nope"]));
    assert!(err.contains("no model named \"nope\""), "{err}");
    let err = stderr(&pairscope(["report", arg(&project), "--threshold", "0.5", "--eer"]));
    assert!(err.contains("cannot be used with"), "one rule at a time: {err}");
}

#[test]
fn eval_lfw_gives_k_fold_accuracy_on_real_lfw_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("lfw.pairscope");
    let pairs = small_lfw(dir.path(), 2, 10);
    let images = datasets().join("lfw/images");
    let out = ok(["import-lfw", arg(&project), "--pairs", arg(&pairs), "--images", arg(&images), "--skip-bad"]);
    assert!(out.contains("imported"), "{out}");
    let err = stderr(&pairscope(["eval-lfw", arg(&project)]));
    assert!(err.contains("run `pairscope embed` first"), "{err}");

    ok(["embed", arg(&project), "--quiet"]);
    let out = ok(["eval-lfw", arg(&project)]);
    assert!(out.contains("2-fold accuracy"), "{out}");
    let accuracy: f64 = out
        .lines()
        .find(|l| l.starts_with("2-fold accuracy"))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|a| a.trim_end_matches('%').parse().ok())
        .unwrap();
    assert!(accuracy >= 90.0, "the built-in model is ~98.7% on LFW; got {accuracy}%\n{out}");
    assert!(out.contains("fold  1:") && out.contains("fold  2:"), "{out}");
    // Every rate with its count and exact interval: the pooled count is the sum of the folds'.
    let counts = |line: &str| -> (u64, u64) {
        let inside = line.split('(').nth(1).and_then(|r| r.split(';').next()).unwrap();
        let (k, n) = inside.split_once('/').unwrap();
        (k.replace(',', "").parse().unwrap(), n.replace(',', "").parse().unwrap())
    };
    let pooled = out.lines().find(|l| l.starts_with("pooled accuracy")).unwrap_or_else(|| panic!("{out}"));
    assert!(pooled.contains("95% CI"), "{pooled}");
    let folds: Vec<(u64, u64)> = out.lines().filter(|l| l.trim_start().starts_with("fold ")).map(counts).collect();
    assert_eq!(folds.len(), 2, "{out}");
    assert_eq!(counts(pooled), (folds[0].0 + folds[1].0, folds[0].1 + folds[1].1), "{out}");
    assert!(out.contains("skipped"), "unscored pairs are reported: {out}");
}
