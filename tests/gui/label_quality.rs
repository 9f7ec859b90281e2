//! Label quality in the app (issue 15), through egui_kittest on the sitcom photos scored by the
//! built-in model: the "Likely wrong truth" queue finds a flipped truth, an adjudicator marks
//! gold with G, a blind labeler meets the gold pair unannounced as the 20th pair and is timed,
//! tag definitions with their examples show in the `?` sheet, and the Agreement and Model
//! screens show labeler quality, the disagreements on one tag, and the calibration.

use crate::common;

use std::path::{Path, PathBuf};

use common::gui::{H, at_labeler_picker, open, settle, start_labeling_as, step_until, text_with};
use common::{ok, sitcom_project};
use egui::Key;
use egui_kittest::kittest::Queryable;
use pairscope::domain::Truth;
use pairscope::store::{Origin, PairId, Role, Store};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The sitcom project, scored, with three simulated labelers who label every pair as the
/// photos are (all right, but sim-c says "dark" on every third pair and the others never), and
/// the truth of the first pair turned over by an adjudicator. Returns the project and that pair.
fn labeled_with_a_flip(dir: &Path) -> (PathBuf, PairId) {
    let project = sitcom_project(dir);
    ok(["embed", arg(&project), "--quiet"]);
    let mut store = Store::open(&project).unwrap();
    let pairs = store.read(|tx| tx.pairs()).unwrap();
    let mut csv = String::from("pair_id,labeler,verdict,tags,blind\n");
    for (i, p) in pairs.iter().enumerate() {
        let truth = p.truth.unwrap().as_str();
        for name in ["sim-a", "sim-b", "sim-c"] {
            let tags = if name == "sim-c" && i % 3 == 0 { "dark" } else { "" };
            csv.push_str(&format!("{},{name},{truth},{tags},true\n", p.external_id.as_deref().unwrap()));
        }
    }
    let labels = dir.join("labels.csv");
    std::fs::write(&labels, csv).unwrap();
    ok(["import-labels", arg(&project), "--csv", arg(&labels)]);
    let flipped = pairs[0].id;
    store
        .write(|tx| {
            let judge = tx.labeler_or_create("judge")?.0.id;
            tx.set_labeler_role(judge, Role::Adjudicator, Origin::Cli)?;
            let turned = if pairs[0].truth == Some(Truth::Same) { Truth::Different } else { Truth::Same };
            tx.correct_truth(flipped, judge, Some(turned), "test: a flipped truth", Origin::Cli)
        })
        .unwrap();
    (project, flipped)
}

fn wait_for_label(harness: &mut H<'_>, label: &str) {
    step_until(harness, label, |h| h.query_by_label(label).is_some());
}

fn press(harness: &mut H<'_>, key: Key) {
    harness.key_press(key);
    harness.step();
}

#[test]
fn an_adjudicator_finds_the_flipped_truth_marks_gold_and_reads_tag_examples() {
    let dir = tempfile::tempdir().unwrap();
    let (project, flipped) = labeled_with_a_flip(dir.path());
    let mut store = Store::open(&project).unwrap();
    let dark = store.read(|tx| tx.find_tag("dark")).unwrap().unwrap().id;
    let judge = common::gui::labeler(&mut store, "judge");
    store.write(|tx| tx.pin_tag_example(dark, PairId(2), Some(false), judge, Origin::Cli)).unwrap();
    let example = store.read(|tx| tx.pairs()).unwrap()[1].external_id.clone().unwrap();

    let mut harness = at_labeler_picker(&project);
    common::gui::start_labeling(&mut harness, "judge");
    wait_for_label(&mut harness, "Likely wrong truth (1)");
    harness.get_by_label("Likely wrong truth (1)").click();
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(harness.state().current_pair(), Some(flipped));
    assert!(harness.query_by_label_contains("Pair 1 of 1 in Likely wrong truth").is_some());
    let warning = text_with(&harness, "Likely wrong truth (#1 of 1)").expect("the reveal says why");
    assert!(warning.contains("labelers and model agree against the truth"), "{warning}");
    assert!(text_with(&harness, "P(same) ").is_some(), "the calibrated probability on the reveal");

    press(&mut harness, Key::G);
    settle(&mut harness);
    assert_eq!(store.read(|tx| tx.gold_pairs()).unwrap(), vec![flipped]);
    wait_for_label(&mut harness, "Gold check (1)");
    assert!(harness.query_by_label("Unmark gold (G)").is_some());
    assert!(harness.query_by_label("Gold pair").is_some(), "the adjudicator sees the mark");

    // Right-click on a tag pins the pair as an example of it.
    harness.get_by_label("1 dark").click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Pin as an example of dark").click();
    harness.run_steps(2);
    settle(&mut harness);
    let examples = store.read(|tx| tx.tag_examples()).unwrap();
    assert!(examples.iter().any(|e| e.tag == dark && e.pair == flipped && e.positive), "{examples:?}");

    // The `?` sheet: each tag's definition and the examples pinned to it.
    harness.key_press_modifiers(egui::Modifiers::SHIFT, Key::Slash);
    harness.run_steps(2);
    let line = text_with(&harness, "Is not dark: ").expect("the negative example of dark");
    assert!(line.contains(&example), "{line}");
}

#[test]
fn a_blind_labeler_meets_the_gold_pair_as_the_twentieth_and_is_measured_and_timed_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let (project, _) = labeled_with_a_flip(dir.path());
    let mut store = Store::open(&project).unwrap();
    let judge = common::gui::labeler(&mut store, "judge");
    let gold = PairId(40);
    store.write(|tx| tx.set_gold(gold, judge, true, Origin::Cli)).unwrap();

    let mut harness = at_labeler_picker(&project);
    start_labeling_as(&mut harness, "ana", "Labeler");
    settle(&mut harness);
    wait_for_label(&mut harness, "Needs another label (160)");
    // Nothing says which pairs are gold, or which truths are doubted.
    assert!(harness.query_by_label_contains("Gold check").is_none());
    assert!(harness.query_by_label_contains("Likely wrong truth").is_none());
    for n in 0..20 {
        if n < 19 {
            assert_ne!(harness.state().current_pair(), Some(gold), "gold comes 20th, not before");
        }
        press(&mut harness, Key::S);
        press(&mut harness, Key::ArrowRight);
        settle(&mut harness);
    }
    // Back on the gold pair, its answer shown: nothing says it was gold.
    press(&mut harness, Key::ArrowLeft);
    settle(&mut harness);
    assert_eq!(harness.state().current_pair(), Some(gold));
    assert!(harness.query_by_label("Gold pair").is_none(), "a labeler never learns which pairs are gold");
    let ana = common::gui::labeler(&mut store, "ana");
    assert_eq!(store.read(|tx| tx.verdict(gold, ana)).unwrap(), Some(Truth::Same), "the 20th pair was gold");
    let quality: serde_json::Value = serde_json::from_str(&ok(["quality", arg(&project), "--json"])).unwrap();
    let row = quality["labelers"].as_array().unwrap().iter().find(|l| l["labeler"] == "ana").unwrap().clone();
    assert_eq!(row["verdicts"], 20);
    assert_eq!(row["gold_verdicts"], 1);
    assert!(row["timed_verdicts"].as_u64().unwrap() >= 19, "each verdict after its photos were drawn is timed: {row}");
    assert!(row["median_seconds"].as_f64().is_some_and(|s| (0.0..120.0).contains(&s)), "{row}");
}

#[test]
fn agreement_shows_labeler_quality_and_one_tags_disagreements_and_model_shows_calibration() {
    let dir = tempfile::tempdir().unwrap();
    let (project, _) = labeled_with_a_flip(dir.path());
    let mut harness = at_labeler_picker(&project);
    common::gui::start_labeling(&mut harness, "judge");
    open(&mut harness, "Agreement");
    step_until(&mut harness, "the labeler quality table", |h| h.query_by_label("Agreement with consensus").is_some());
    assert!(harness.query_by_label("Labeler quality").is_some());
    // Each simulated labeler: right on every pair but the flipped one.
    assert_eq!(harness.query_all_by_label("99.4 % (160)").count(), 3, "each accuracy with its count");
    harness.get_by_label("dark").click();
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Disagreements on dark (54)").is_some());
    let who = text_with(&harness, "with dark: sim-c").expect("who said what");
    assert!(who.contains("without: sim-a, sim-b"), "{who}");

    open(&mut harness, "Model");
    step_until(&mut harness, "the calibration", |h| text_with(h, "Brier score").is_some());
}
