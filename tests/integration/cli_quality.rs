//! `pairscope quality` on the sitcom photos scored by the built-in model: flipped truths lead
//! "Likely wrong truth" with the model alone and with simulated labelers, the JSON contract,
//! the CSV tables, and clear refusals.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{ok, pairscope, sitcom_project, stderr};
use pairscope::domain::Truth;
use pairscope::store::{Origin, Role, Store};
use serde_json::Value;

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The sitcom project, scored, with the truth of every 40th pair turned over by an
/// adjudicator (4 of 160, 2.5 %). Returns the project and the names of the flipped pairs.
fn scored_with_flips(dir: &Path) -> (std::path::PathBuf, BTreeSet<String>) {
    let project = sitcom_project(dir);
    ok(["embed", arg(&project), "--quiet"]);
    let mut store = Store::open(&project).unwrap();
    let flipped = store
        .write(|tx| {
            let judge = tx.labeler_or_create("judge")?.0.id;
            tx.set_labeler_role(judge, Role::Adjudicator, Origin::Cli)?;
            let mut flipped = BTreeSet::new();
            for pair in tx.pairs()?.into_iter().step_by(40) {
                let turned = match pair.truth.unwrap() {
                    Truth::Same => Truth::Different,
                    Truth::Different => Truth::Same,
                };
                tx.correct_truth(pair.id, judge, Some(turned), "test: a flipped truth", Origin::Cli)?;
                flipped.insert(pair.external_id.unwrap());
            }
            Ok::<_, pairscope::store::StoreError>(flipped)
        })
        .unwrap();
    (project, flipped)
}

fn quality(project: &Path) -> Value {
    serde_json::from_str(&ok(["quality", arg(project), "--json"])).expect("quality --json is JSON")
}

/// How many of `flipped` are among the first `2 × flipped` of "Likely wrong truth".
fn found_in_top(json: &Value, flipped: &BTreeSet<String>) -> usize {
    let top = 2 * flipped.len() as u64;
    json["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["truth_issue_rank"].as_u64().is_some_and(|r| r <= top))
        .filter(|p| flipped.contains(p["pair_id"].as_str().unwrap()))
        .count()
}

#[test]
fn flipped_truths_lead_likely_wrong_truth_with_the_model_alone_and_with_labelers() {
    let dir = tempfile::tempdir().unwrap();
    let (project, flipped) = scored_with_flips(dir.path());
    let alone = quality(&project);
    assert_eq!(found_in_top(&alone, &flipped), flipped.len(), "model alone: {alone:#}");
    let pairs = alone["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 160);
    assert!(pairs.iter().all(|p| p["num_annotations"] == 0 && p["labels"] == serde_json::json!({})));
    assert!(pairs.iter().all(|p| p["model_probability"].as_f64().is_some_and(|v| (0.0..=1.0).contains(&v))));

    // Three simulated labelers, each right about the photos on 9 pairs of 10 (a different
    // tenth each), blind.
    let truth_now: BTreeMap<String, String> = pairs
        .iter()
        .map(|p| (p["pair_id"].as_str().unwrap().to_owned(), p["truth"].as_str().unwrap().to_owned()))
        .collect();
    let mut csv = String::from("pair_id,labeler,verdict,tags,blind\n");
    for (i, (pair, truth)) in truth_now.iter().enumerate() {
        let real = if flipped.contains(pair) { opposite(truth) } else { truth.as_str() };
        for (l, name) in ["sim-a", "sim-b", "sim-c"].iter().enumerate() {
            let verdict = if (i + 3 * l) % 10 == 0 { opposite(real) } else { real };
            csv.push_str(&format!("{pair},{name},{verdict},,true\n"));
        }
    }
    let labels = dir.path().join("labels.csv");
    std::fs::write(&labels, csv).unwrap();
    ok(["import-labels", arg(&project), "--csv", arg(&labels)]);
    let crowd = quality(&project);
    assert_eq!(found_in_top(&crowd, &flipped), flipped.len(), "with labelers: {crowd:#}");
    // Each pair has at most one labeler wrong (their wrong tenths differ), so the consensus
    // is right everywhere: the queue holds the flipped pairs and nothing else.
    assert_eq!(crowd["likely_wrong_truth"], flipped.len(), "{crowd:#}");
    assert!(alone["likely_wrong_truth"].as_u64().unwrap() >= flipped.len() as u64);
    let first = &crowd["pairs"].as_array().unwrap()[0];
    assert_eq!(first["num_annotations"], 3);
    assert_eq!(first["consensus_source"], "crowdlab");
    assert_eq!(first["labels"].as_object().unwrap().len(), 3);

    let labelers = crowd["labelers"].as_array().unwrap();
    let sim: Vec<&Value> = labelers.iter().filter(|l| l["labeler"].as_str().unwrap().starts_with("sim-")).collect();
    assert_eq!(sim.len(), 3);
    for l in sim {
        for key in ["annotator_quality", "agreement_with_consensus", "accuracy"] {
            let v = l[key].as_f64().unwrap_or_else(|| panic!("{key} of {l}"));
            assert!((0.8..=1.0).contains(&v), "{key} {v} of {l}");
        }
        assert_eq!(l["num_examples_labeled"], 160);
        assert_eq!(l["verdicts_with_truth"], 160);
        let ci = l["accuracy_ci95"].as_array().unwrap();
        assert!(ci[0].as_f64().unwrap() < l["accuracy"].as_f64().unwrap());
        assert!(l["gold_accuracy"].is_null() && l["median_seconds"].is_null(), "no gold, no timing: {l}");
    }
}

fn opposite(verdict: &str) -> &'static str {
    if verdict == "same" { "different" } else { "same" }
}

#[test]
fn csv_tables_hold_every_pair_and_labeler_and_the_summary_names_the_queues() {
    let dir = tempfile::tempdir().unwrap();
    let (project, flipped) = scored_with_flips(dir.path());
    let out = dir.path().join("tables");
    let text = ok(["quality", arg(&project), "--csv", arg(&out), "--head", "3"]);
    assert!(text.contains("Likely wrong truth: "), "{text}");
    assert!(text.contains("Needs another label: 160 pairs"), "{text}");
    assert!(text.contains("model alone"), "{text}");
    let first_listed = text.lines().find(|l| l.trim_start().starts_with("1. ")).unwrap();
    assert!(flipped.iter().any(|f| first_listed.contains(f.as_str())), "{first_listed}");
    let pairs = std::fs::read_to_string(out.join("quality_pairs.csv")).unwrap();
    assert_eq!(pairs.lines().count(), 161);
    assert!(pairs.starts_with("pair_id,truth,model_probability,consensus_label,"));
    let labelers = std::fs::read_to_string(out.join("quality_labelers.csv")).unwrap();
    assert!(labelers.lines().nth(1).unwrap().starts_with("judge,0,"), "{labelers}");
}

#[test]
fn an_unscored_project_says_why_and_a_non_project_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let json = quality(&project);
    assert_eq!(json["notes"][0], "no pair has a model score: score the project first");
    assert_eq!(json["likely_wrong_truth"], 0);
    let junk = dir.path().join("junk.pairscope");
    std::fs::write(&junk, "not sqlite").unwrap();
    let out = pairscope(["quality", arg(&junk)]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("junk.pairscope"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&junk).unwrap(), b"not sqlite", "nothing written");
}

#[test]
fn alpha_of_a_tag_is_shown_before_and_after_its_definition_changed() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let names: Vec<String> = {
        let mut store = Store::open(&project).unwrap();
        store.read(|tx| tx.pairs()).unwrap().into_iter().map(|p| p.external_id.unwrap()).collect()
    };
    // Before: ana and ben disagree on "dark" on every other pair of the first 40.
    let labels = |range: std::ops::Range<usize>, ben_agrees: bool| -> String {
        let mut csv = String::from("pair_id,labeler,verdict,tags,blind\n");
        for (i, name) in names[range].iter().enumerate() {
            let ben = if ben_agrees || i % 2 == 0 { "dark" } else { "" };
            csv.push_str(&format!("{name},ana,same,dark,true\n{name},ben,same,{ben},true\n"));
        }
        csv
    };
    let csv = dir.path().join("before.csv");
    std::fs::write(&csv, labels(0..40, false)).unwrap();
    ok(["import-labels", arg(&project), "--csv", arg(&csv)]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut store = Store::open(&project).unwrap();
    store
        .write(|tx| {
            let dark = tx.find_tag("dark")?.unwrap();
            let edit = pairscope::store::TagEdit {
                name: "dark",
                description: "the face is hard to see for lack of light",
                colour: &dark.colour,
                hotkey: dark.hotkey,
            };
            tx.edit_tag(dark.id, &edit, Origin::Cli).map(|_| ())
        })
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    // After: the next 40 pairs, where they agree but on one pair in ten.
    let csv = dir.path().join("after.csv");
    let mut after = labels(40..80, true);
    after = after.replacen(",ben,same,dark,", ",ben,same,,", 4);
    std::fs::write(&csv, after).unwrap();
    ok(["import-labels", arg(&project), "--csv", arg(&csv)]);
    let json = quality(&project);
    let changes = json["definition_changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{json:#}");
    let change = &changes[0];
    assert_eq!(change["tag"], "dark");
    assert_eq!((change["pairs_before"].as_u64(), change["pairs_after"].as_u64()), (Some(40), Some(40)));
    let (before, after) = (change["alpha_before"].as_f64().unwrap(), change["alpha_after"].as_f64().unwrap());
    assert!(after > before, "the new wording helped: {before} -> {after}");
}

#[test]
fn an_unknown_model_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let out = pairscope(["quality", arg(&project), "--model", "nope"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("nope"), "{}", stderr(&out));
}
