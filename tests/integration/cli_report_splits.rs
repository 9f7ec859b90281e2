//! `pairscope report --threshold-from SPLIT` and `--min-support` on a real project with dev
//! and test splits (sitcom photos, imported scores and labels).

use crate::common;

use std::fmt::Write;
use std::path::{Path, PathBuf};

use common::{datasets, ok, pairscope, stderr};
use serde_json::Value;

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// 40 pairs of sitcom photos: dev separates at 0.60 (same 0.60–0.69, different 0.40–0.49);
/// test's same pairs score 0.55–0.64 (five below 0.60), its different ones 0.45–0.54. Over all
/// pairs max accuracy is perfect at 0.55, so a threshold set on dev costs test five misses.
/// Tags: "rare" on two of test's misses (2 pairs), "common" on 24 pairs with one miss.
fn project(dir: &Path, trained_on_train: bool) -> PathBuf {
    let sitcom = datasets().join("sitcom");
    let mut people: Vec<Vec<String>> = std::fs::read_dir(&sitcom)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let mut photos: Vec<String> = std::fs::read_dir(&p)
                .unwrap()
                .map(|e| format!("{name}/{}", e.unwrap().file_name().to_string_lossy()))
                .collect();
            photos.sort();
            photos
        })
        .collect();
    people.sort();
    let (mut pairs, mut scores, mut labels) = (
        String::from("pair_id,image_a,image_b,truth,split\n"),
        String::from("pair_id,score\n"),
        String::from("pair_id,labeler,verdict,tags\n"),
    );
    let mut n = 0;
    for (split, same_from, different_from) in [("dev", 0.60, 0.40), ("test", 0.55, 0.45)] {
        for i in 0..10 {
            for same in [true, false] {
                // Each (person, round) once: no image pair twice.
                let (person, round) = (n % people.len(), n / people.len());
                let (a, b) = if same {
                    (people[person][round].clone(), people[person][(round + 1) % people[person].len()].clone())
                } else {
                    (people[person][round].clone(), people[(person + 1) % people.len()][round].clone())
                };
                let id = format!("p{n}");
                let score = if same { same_from } else { different_from } + i as f64 / 100.0;
                let truth = if same { "same" } else { "different" };
                let missed = split == "test" && same && i < 5;
                let tag = match (missed, i) {
                    (true, 0 | 1) => "rare",
                    (true, 2) => "common",
                    (true, _) => "",
                    (false, _) if n < 23 => "common",
                    _ => "",
                };
                writeln!(pairs, "{id},{a},{b},{truth},{split}").unwrap();
                writeln!(scores, "{id},{score:.2}").unwrap();
                writeln!(labels, "{id},ann,{truth},{tag}").unwrap();
                n += 1;
            }
        }
    }
    let project = dir.join("p.pairscope");
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    ok(["import-pairs", arg(&project), "--csv", arg(&write("pairs.csv", &pairs)), "--images", arg(&sitcom)]);
    let scores = write("scores.csv", &scores);
    let mut import = vec!["import-scores", arg(&project), "--csv", arg(&scores), "--model", "outside"];
    if trained_on_train {
        import.push("--trained-on-train");
    }
    ok(import);
    ok(["import-labels", arg(&project), "--csv", arg(&write("labels.csv", &labels))]);
    project
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).unwrap()
}

#[test]
fn a_threshold_set_on_dev_is_reported_on_every_split_with_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let made = project(dir.path(), false);
    let p = arg(&made);

    let all = json(&["report", p, "--json"]);
    assert_eq!(all["operating_point"]["threshold"], 0.55, "all pairs separate at 0.55");
    assert!(all["threshold_from"].is_null());

    let from_dev = json(&["report", p, "--json", "--threshold-from", "dev"]);
    let from = &from_dev["threshold_from"];
    assert_eq!(from["split"], "dev");
    assert_eq!(from["rule"], "max-accuracy");
    assert_eq!(from["threshold"], 0.6);
    assert_eq!(from_dev["operating_point"]["threshold"], 0.6, "the whole report is at dev's threshold");
    let test = &from["splits"]["test"];
    assert_eq!((test["tp"].as_u64(), test["fn"].as_u64(), test["fp"].as_u64()), (Some(5), Some(5), Some(0)));
    assert_eq!(test["fnr"], 0.5);
    let ci = test["fnr_ci95"].as_array().unwrap();
    assert!(ci[0].as_f64().unwrap() < 0.5 && ci[1].as_f64().unwrap() > 0.5, "{ci:?}");
    assert_eq!(from["splits"]["dev"]["errors"], 0);
    assert_eq!(from_dev["splits"]["test"]["errors"], 5);
    assert!(from_dev["splits"]["test"]["error_rate_ci95"].is_array());

    // Any rule: on dev, FPR ≤ 0 is met from 0.50 up; the smallest such candidate is dev's 0.60.
    let fpr = json(&["report", p, "--json", "--threshold-from", "dev", "--max-fpr", "0"]);
    assert_eq!(fpr["threshold_from"]["threshold"], 0.6);
    assert_eq!(fpr["threshold_from"]["rule"], "max-fpr 0");

    let text = ok(["report", p, "--threshold-from", "dev"]);
    assert!(text.contains("Threshold 0.6000 set by max-accuracy on the dev split's pairs only"), "{text}");
    assert!(text.contains("-- too few pairs to rank --"), "{text}");

    // A split without evaluable pairs is named.
    let out = pairscope(["report", p, "--threshold-from", "train"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("the train split has no pair with a truth and a score"), "{}", stderr(&out));
    let out = pairscope(["report", p, "--threshold-from", "holdout"]);
    assert!(!out.status.success() && stderr(&out).contains("holdout"), "{}", stderr(&out));

    // HTML and CSV carry the same tables.
    let html = dir.path().join("r.html");
    let csv = dir.path().join("csv");
    ok(["report", p, "--threshold-from", "dev", "--html", arg(&html), "--csv", arg(&csv)]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("Threshold set on one split") && page.contains("Too few pairs to rank"), "{page}");
    let rows = std::fs::read_to_string(csv.join("threshold_from.csv")).unwrap();
    assert!(rows.lines().any(|l| l.starts_with("test,dev,max-accuracy,0.6,20,5,0,10,5,")), "{rows}");
    assert!(std::fs::read_to_string(csv.join("diagnosis.csv")).unwrap().starts_with("term,value,ci95_lo"));
}

#[test]
fn small_slices_rank_below_and_the_model_note_follows_the_import_flag() {
    let dir = tempfile::tempdir().unwrap();
    let made = project(dir.path(), false);
    let p = arg(&made);
    let tags = |report: &Value| -> Vec<(String, bool)> {
        report["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["tag"].as_str().unwrap().to_string(), t["ranked"].as_bool().unwrap()))
            .collect()
    };
    let at_dev = json(&["report", p, "--json", "--threshold-from", "dev"]);
    // "rare" (2 pairs, both missed) has the higher priority but too few pairs.
    let rare = at_dev["tags"].as_array().unwrap().iter().find(|t| t["tag"] == "rare").unwrap().clone();
    let common = at_dev["tags"].as_array().unwrap().iter().find(|t| t["tag"] == "common").unwrap().clone();
    assert!(rare["priority"].as_f64() > common["priority"].as_f64(), "{rare} {common}");
    assert_eq!(tags(&at_dev), [("common".to_string(), true), ("rare".to_string(), false)]);
    assert_eq!(rare["pairs"], 2);
    assert_eq!(rare["error_rate_ci95"][1], 1.0);
    let ranked_all = json(&["report", p, "--json", "--threshold-from", "dev", "--min-support", "2"]);
    assert_eq!(tags(&ranked_all), [("rare".to_string(), true), ("common".to_string(), true)]);

    // Imported scores without the flag: bias and variance describe the data.
    assert!(at_dev["splits"]["note"].as_str().unwrap().contains("not trained on this project's train split"));
    assert!(at_dev["splits"]["diagnosis"]["intervals"]["overfitting_to_dev"].is_array());

    let dir = tempfile::tempdir().unwrap();
    let trained = project(dir.path(), true);
    let report = json(&["report", arg(&trained), "--json"]);
    assert!(report["splits"]["note"].is_null(), "{}", report["splits"]);
}
