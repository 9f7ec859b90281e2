//! The analysis screens driven through egui_kittest on the real demo project (real SQLite,
//! real photos, real model scores): the threshold slider, the error browser, saved runs.

use crate::common;

use std::path::Path;

use common::gui::{H, open, project, settle_analysis, start_labeling_as, step_until, text_of};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pairscope::analysis::{Prepared, ThresholdRule};
use pairscope::store::Store;
use pairscope::ui::{PairscopeApp, Screen, State};

fn app<'a>(project: &Path, dark: bool) -> H<'a> {
    let project = project.to_owned();
    let theme = if dark { egui::Theme::Dark } else { egui::Theme::Light };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_theme(theme)
        .build_eframe(move |cc| PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(project.clone())));
    step_until(&mut harness, "the project to load", |h| h.query_by_label("Error analysis").is_some());
    harness
}

/// The analysis, computed here independently of the app.
fn prepared(project: &Path) -> (Prepared, Vec<pairscope::store::PairId>) {
    let mut store = Store::open(project).unwrap();
    let snap = store
        .read(|tx| {
            let model = tx.choose_model(None)?;
            tx.snapshot(model.map(|m| m.id))
        })
        .unwrap();
    (Prepared::new(&snap.snapshot).unwrap(), snap.pair_ids)
}

fn summary(harness: &H<'_>) -> String {
    text_of(&harness.get_by_label_contains("At this threshold the model makes")).unwrap_or_default()
}

#[test]
fn dragging_the_threshold_recomputes_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project, true);
    open(&mut harness, "Error analysis");
    assert_eq!(harness.state().screen(), Screen::ErrorAnalysis);
    harness.get_by_label("Max accuracy").click();
    harness.run();
    let (prepared, _) = prepared(&project);
    let t0 = harness.state().state.selection.threshold;
    let best = prepared.operating_point(ThresholdRule::MaxAccuracy).unwrap();
    assert_eq!(Some(t0), best.finite_threshold());
    let before = summary(&harness);

    // Drag the slider's handle to the left: a lower threshold.
    let slider = harness.get_by_role(Role::Slider).rect();
    let from = slider.center();
    let to = egui::pos2(slider.left() + slider.width() * 0.15, from.y);
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    for i in 1..=10 {
        harness.hover_at(from + (to - from) * (i as f32 / 10.0));
        harness.run();
    }
    harness.drop_at(to);
    harness.run();

    let t1 = harness.state().state.selection.threshold;
    assert!(t1 < t0, "the threshold went down: {t0} → {t1}");
    let after = summary(&harness);
    assert_ne!(before, after, "the summary follows the threshold");
    let c = prepared.confusion_at(t1);
    assert!(after.contains(&format!("({} FP, {} FN)", c.fp, c.fn_)), "{after}");
    // The per-tag table shows the rows at the new threshold.
    let rows = prepared.tag_table(t1);
    assert_ne!(rows, prepared.tag_table(t0), "the demo's tag table depends on the threshold");
    for row in &rows {
        assert!(harness.query_all_by_label(&row.name).next().is_some(), "{} is listed", row.name);
        assert!(
            harness.query_all_by_label(&format!("{:.1} %", row.error_rate * 100.0)).next().is_some(),
            "error rate of {} at the new threshold is shown",
            row.name
        );
    }
}

#[test]
fn clicking_a_tag_opens_exactly_its_errors_most_wrong_first() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project, true);
    open(&mut harness, "Error analysis");
    harness.get_by_label("EER").click();
    harness.run();
    let t = harness.state().state.selection.threshold;
    let (prepared, pair_ids) = prepared(&project);
    let tag = prepared.tag_names().iter().position(|n| n == "dark").expect("the demo has a dark tag");

    harness.get_by_label("dark").click();
    // One frame handles the click, the next draws the browser and asks for its thumbnails.
    harness.run_steps(2);
    settle_analysis(&mut harness);
    let shown = harness.state().error_browser_pairs().expect("the error browser is open");
    let mut expected: Vec<_> = prepared
        .error_pairs(t)
        .into_iter()
        .filter(|&i| prepared.consensus()[i as usize] & (1 << tag) != 0)
        .map(|i| pair_ids[i as usize])
        .collect();
    assert!(!expected.is_empty(), "the model gets some dark pairs wrong at the EER");
    let mut sorted = shown.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected, "exactly the dark pairs the model gets wrong");
    harness.get_by_label_contains("Errors in dark");
    harness.get_by_label(&format!("{} errors: ", expected.len()));

    harness.remove_cursor();
    harness.run();
    harness.snapshot("error_browser");
    harness.get_by_label("Back to the tables").click();
    // The tables come back with the suggestions' thumbnails loading: step, not run to rest.
    harness.run_steps(2);
    assert!(harness.state().error_browser_pairs().is_none());
}

#[test]
fn saves_two_runs_and_compares_them_per_tag() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project, true);
    open(&mut harness, "Model");
    harness.get_by_label("Max accuracy").click();
    harness.run_steps(2);
    harness.get_by_label("Save run").click();
    harness.run_steps(2);
    step_until(&mut harness, "the first run", |h| h.state().run_names() == ["run 1"]);
    // Saving reloads the analysis on the I/O thread; the screen's buttons return when it is done.
    settle_analysis(&mut harness);
    harness.get_by_label("FPR ≤ 1e-3").click();
    harness.run();
    harness.get_by_label("Save run").click();
    // The runs grid sizes its columns to the new rows over a few frames.
    harness.run_steps(8);
    step_until(&mut harness, "the second run", |h| h.state().run_names() == ["run 1", "run 2"]);
    settle_analysis(&mut harness);

    // Newest first: run 2's radio buttons come before run 1's.
    let a_buttons: Vec<_> = harness.query_all_by_label("A").collect();
    assert_eq!(a_buttons.len(), 2);
    a_buttons[1].click();
    harness.run_steps(8);
    harness.query_all_by_label("B").next().unwrap().click();
    harness.run_steps(8);
    harness.get_by_label_contains("run 1 (A) vs run 2 (B)");
    harness.get_by_label("Error rate A");
    for tag in ["dark", "blurry", "sunset"] {
        harness.get_by_label(tag);
    }
    // Every rate with its count and interval: each run's accuracy, in the list and in the
    // comparison's heading; each change with its interval, and a word only chance can't explain.
    harness.get_by_label("95 % CI of change");
    let runs = Store::open(&project).unwrap().read(|tx| tx.runs()).unwrap();
    assert_eq!(runs.len(), 2);
    for run in &runs {
        let op = &run.metrics["operating_point"];
        let n = |key: &str| op[key].as_u64().unwrap();
        let (right, all) = (n("tp") + n("tn"), n("tp") + n("fp") + n("tn") + n("fn"));
        let cell = format!("({right}/{all}; 95 % CI");
        let shown = harness.query_all_by_label_contains(&cell).count();
        assert!(shown >= 2, "{}'s accuracy {cell}…) in its row and in the heading: {shown}", run.name);
    }
    let words = ["better", "worse", "no clear change"];
    let judged: usize = words.iter().map(|w| harness.query_all_by_label(w).count()).sum();
    let tags =
        |i: usize| runs[i].metrics["tags"].as_array().unwrap().iter().map(|t| t["tag"].clone()).collect::<Vec<_>>();
    let mut all_tags = [tags(0), tags(1)].concat();
    all_tags.sort_by_key(|t| t.to_string());
    all_tags.dedup();
    assert_eq!(judged, all_tags.len(), "one judgement per tag");
    assert!(runs[0].metrics["tags"].as_array().is_some_and(|t| !t.is_empty()), "the run holds every metric");
    assert_eq!(runs[0].rule, "max-accuracy");
    assert_eq!(runs[1].rule, "max-fpr 0.001");
}

fn snapshots_in_theme(dark: bool) {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project, dark);
    let theme = if dark { "dark" } else { "light" };
    open(&mut harness, "Error analysis");
    harness.get_by_label("Max accuracy").click();
    harness.run();
    harness.remove_cursor();
    harness.run();
    harness.snapshot(format!("error_analysis_{theme}"));
    open(&mut harness, "Agreement");
    harness.remove_cursor();
    harness.run();
    harness.snapshot(format!("agreement_{theme}"));
    open(&mut harness, "Model");
    harness.get_by_label("Max accuracy").click();
    harness.run();
    harness.remove_cursor();
    harness.run();
    harness.snapshot(format!("model_{theme}"));
}

#[test]
fn snapshots_of_the_analysis_screens_dark() {
    snapshots_in_theme(true);
}

#[test]
fn snapshots_of_the_analysis_screens_light() {
    snapshots_in_theme(false);
}

#[test]
fn score_project_runs_on_a_worker_and_reports_back() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project, true);
    open(&mut harness, "Model");
    harness.get_by_label("Score project").click();
    harness.step();
    // The frames keep coming while the model works (the demo's embeddings are cached).
    step_until(&mut harness, "scoring to finish", |h| h.state().scoring_outcome().is_some());
    let outcome = harness.state().scoring_outcome().unwrap().to_owned();
    assert!(outcome.starts_with("Scored "), "{outcome}");
    settle_analysis(&mut harness);
    harness.get_by_label(&outcome);
}

#[test]
fn a_disagreement_opens_in_review() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project, true);
    start_labeling_as(&mut harness, "eve", "Engineer");
    open(&mut harness, "Agreement");
    let (prepared, pair_ids) = prepared(&project);
    let first = prepared.agreement().disagreements.first().expect("the simulated labelers disagree somewhere");
    // A verdict disagreement says who said what.
    let said = harness
        .query_all_by_label_contains(": same")
        .filter_map(|node| text_of(&node))
        .find(|line| line.contains("sim-") && line.contains(": different"));
    assert!(said.is_some(), "no row names each labeler's verdict");
    harness.query_all_by_label("Open").next().expect("the list has Open buttons").click();
    harness.step();
    settle_analysis(&mut harness);
    assert_eq!(harness.state().screen(), Screen::Review);
    assert_eq!(harness.state().current_pair(), Some(pair_ids[first.pair as usize]));
}

#[test]
fn a_project_opens_at_the_max_accuracy_threshold_not_one_carried_over() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    // State::default() carries a threshold of 0.5 from "another project".
    let mut harness = app(&project, true);
    open(&mut harness, "Error analysis");
    let (prepared, _) = prepared(&project);
    let best = prepared.operating_point(ThresholdRule::MaxAccuracy).unwrap().finite_threshold();
    assert_ne!(best, Some(0.5), "the test needs a max-accuracy threshold other than the carried-over one");
    assert_eq!(Some(harness.state().state.selection.threshold), best);
}

#[test]
fn keys_switch_screens_and_nudge_the_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project, true);
    settle_analysis(&mut harness);
    for (key, screen) in [
        (egui::Key::Num4, Screen::ErrorAnalysis),
        (egui::Key::Num2, Screen::Model),
        (egui::Key::Num5, Screen::Curate),
        (egui::Key::Num3, Screen::Agreement),
        (egui::Key::Num4, Screen::ErrorAnalysis),
    ] {
        harness.key_press_modifiers(egui::Modifiers::COMMAND, key);
        harness.step();
        assert_eq!(harness.state().screen(), screen, "Ctrl+{key:?}");
    }
    settle_analysis(&mut harness);
    harness.get_by_label("Max accuracy").click();
    harness.step();
    let t0 = harness.state().state.selection.threshold;
    // The slider spans the scores of pairs with a truth; a step is a thousandth of that.
    let (lo, hi) = Store::open(&project)
        .unwrap()
        .read(|tx| {
            let model = tx.choose_model(None)?.expect("the demo has scores");
            let scores = tx.scores_of(model.id)?;
            let known =
                tx.pairs()?.into_iter().filter(|p| p.truth.is_some()).filter_map(|p| scores.get(&p.id).copied());
            Ok(known.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), s| (a.min(s), b.max(s))))
        })
        .unwrap();
    let step = (hi - lo) / 1000.0;
    harness.key_press(egui::Key::ArrowRight);
    harness.step();
    let t1 = harness.state().state.selection.threshold;
    assert!((t1 - (t0 + step)).abs() < 1e-6 * step, "one step up: {t0} → {t1}");
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowLeft);
    harness.step();
    let t2 = harness.state().state.selection.threshold;
    assert!((t2 - (t1 - 10.0 * step)).abs() < 1e-6 * step, "ten steps down: {t1} → {t2}");
    // Three presses that arrive in one (slow) frame are three steps, not one.
    let right = |pressed| egui::Event::Key {
        key: egui::Key::ArrowRight,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    };
    for _ in 0..3 {
        harness.input_mut().events.extend([right(true), right(false)]);
    }
    harness.step();
    let t3 = harness.state().state.selection.threshold;
    assert!((t3 - (t2 + 3.0 * step)).abs() < 1e-6 * step, "three steps up in one frame: {t2} → {t3}");
}

/// With one labeler nothing is compared: the Agreement screen must not say they all agree.
#[test]
fn with_one_labeler_agreement_claims_nothing_about_disagreements() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    Store::open(&project)
        .unwrap()
        .write(|tx| {
            let bob = tx.labeler_or_create("bob")?.0.id;
            for p in &tx.pairs()?[..3] {
                tx.set_verdict(p.id, bob, Some(pairscope::domain::Truth::Same), pairscope::store::Origin::Cli)?;
            }
            Ok::<_, pairscope::store::StoreError>(())
        })
        .unwrap();
    let mut harness = common::gui::at_labeler_picker(&project);
    start_labeling_as(&mut harness, "eng", "Engineer");
    open(&mut harness, "Agreement");
    step_until(&mut harness, "the agreement screen", |h| h.query_by_label_contains("Disagreements (").is_some());
    harness.get_by_label("No pair has verdicts from two labelers yet, so there is nothing to compare.");
    assert!(harness.query_by_label("The labelers agree on every pair.").is_none());
}
