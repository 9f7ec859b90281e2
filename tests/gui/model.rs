//! Scoring with another model from the Model screen, through egui_kittest on the real demo
//! project: the file dialog or the path field, the spec dialog and its check (real ONNX
//! Runtime), bad files, and a real scoring run whose model then shows in the "Scores of" combo.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::gui::{H, open, project, settle_analysis, step_until, step_until_within, text_with};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use pairscope::analysis::ThresholdRule;
use pairscope::analysis::intervals::Proportion;
use pairscope::curate::ProjectReport;
use pairscope::store::{ModelKind, Store};
use pairscope::ui::{FileDialogs, PairscopeApp, PathRequest, State};

/// Answers every file dialog with one path, and keeps what was asked.
struct Answer {
    path: PathBuf,
    asked: Mutex<Vec<PathRequest>>,
}

impl FileDialogs for Answer {
    fn ask(&self, request: &PathRequest) -> Option<PathBuf> {
        self.asked.lock().unwrap().push(request.clone());
        Some(self.path.clone())
    }
}

fn app<'a>(project: &Path, dialogs: Arc<Answer>) -> H<'a> {
    let project = project.to_owned();
    let mut harness = Harness::builder().with_size(egui::vec2(1400.0, 900.0)).build_eframe(move |cc| {
        PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(project.clone()))
            .with_file_dialogs(dialogs.clone())
    });
    step_until(&mut harness, "the project to load", |h| h.query_by_label("Error analysis").is_some());
    open(&mut harness, "Model");
    harness
}

fn answering(path: &Path) -> Arc<Answer> {
    Arc::new(Answer { path: path.to_owned(), asked: Mutex::new(Vec::new()) })
}

fn check(harness: &mut H<'_>) {
    harness.get_by_label("Check").click();
    harness.run_steps(2);
    step_until(harness, "the check", |h| text_with(h, "Checking the model").is_none());
    harness.run_steps(2);
}

#[test]
fn another_onnx_is_checked_against_its_spec_then_scores_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    // The built-in embedder as a file of the user's: a real ONNX embedder to check and run.
    let model = dir.path().join("my_arcface.onnx");
    std::fs::write(&model, pairscope::face::assets::FR_FEATURE_ONNX).unwrap();
    let dialogs = answering(&model);
    let mut harness = app(&project, dialogs.clone());

    harness.get_by_label("Open another .onnx…").click();
    harness.run_steps(3);
    step_until(&mut harness, "the spec dialog", |h| h.query_by_label("Check").is_some());
    assert_eq!(
        dialogs.asked.lock().unwrap().as_slice(),
        [PathRequest::open("Score with another model", "ONNX model", &["onnx"])]
    );
    harness.get_by_label_contains("my_arcface.onnx");
    assert!(
        harness.query_by_label("Score project with this model").unwrap().accesskit_node().is_disabled(),
        "scoring waits for a passed check"
    );

    // A layout that does not fit: the exact mismatch, and still no scoring.
    harness.get_by_label("NHWC").click();
    harness.run_steps(3);
    check(&mut harness);
    let error = text_with(&harness, "does not fit its spec").expect("the mismatch is shown");
    assert!(error.contains("input 'input' is [1,3,112,112] (NCHW) but the spec says NHWC"), "{error}");
    assert!(error.contains("my_arcface.onnx"), "the error names the file: {error}");
    assert!(harness.query_by_label("Score project with this model").unwrap().accesskit_node().is_disabled());

    // The right layout; another mean makes it a model of its own (no cached embeddings).
    harness.get_by_label("NCHW").click();
    harness.get_by_label("Mean").focus();
    harness.run_steps(3);
    harness.get_by_label("Mean").type_text(".5");
    harness.run_steps(3);
    check(&mut harness);
    let fits = text_with(&harness, "The model fits:").expect("the shapes are shown");
    assert!(fits.contains("input 'input' [1,3,112,112]") && fits.contains("512-d embeddings"), "{fits}");

    harness.get_by_label("Score project with this model").click();
    harness.step();
    harness.step();
    assert!(harness.query_by_label("Check").is_none(), "the dialog closed");
    // Real inference on every photo of the project: longer than the other waits.
    let scoring = Duration::from_secs(120);
    step_until_within(&mut harness, "scoring to finish", scoring, |h| h.state().scoring_outcome().is_some());
    let outcome = harness.state().scoring_outcome().unwrap().to_owned();
    assert!(outcome.starts_with("Scored ") && outcome.contains(" 0 from the cache"), "real inference: {outcome}");
    settle_analysis(&mut harness);

    let mut store = Store::open(&project).unwrap();
    let models = store.read(|tx| tx.models()).unwrap();
    let mine = models.iter().find(|m| m.name == "my_arcface").expect("the model is stored under its name");
    assert_eq!(mine.kind, ModelKind::Onnx);
    let pairs = store.read(|tx| tx.info()).unwrap().pairs;
    assert!(mine.scores > 0 && mine.scores <= pairs, "{} scores of {pairs} pairs", mine.scores);
    assert!(outcome.contains(&format!("Scored {} pairs", mine.scores)), "{outcome}");

    // It is selected, and the combo lists it.
    harness.get_by_label("Model: my_arcface");
    harness.get_by_label("Scores of").click();
    harness.run_steps(3);
    harness.get_by_label(&format!("my_arcface ({} scores)", mine.scores));
    harness.get_by_label_contains("builtin (");
}

#[test]
fn a_bad_onnx_file_gives_an_error_naming_it_and_the_app_keeps_running() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let notes = dir.path().join("notes.onnx");
    std::fs::write(&notes, "these are my notes, not a model\n").unwrap();
    let mut harness = app(&project, answering(&notes));

    for (file, expected) in [(notes.clone(), "cannot open the model"), (dir.path().join("absent.onnx"), "cannot read")]
    {
        // The path field, for desktops without a file dialog.
        harness.get_by_label("or path").focus();
        harness.run_steps(3);
        harness.get_by_label("or path").type_text(&file.display().to_string());
        harness.run_steps(3);
        harness.get_by_label("Use this file…").click();
        harness.run_steps(3);
        check(&mut harness);
        let error = text_with(&harness, expected).expect("the error is shown");
        assert!(error.contains(&file.display().to_string()), "the error names the file: {error}");
        assert!(harness.query_by_label("Score project with this model").unwrap().accesskit_node().is_disabled());
        harness.get_by_label("Cancel").click();
        harness.run_steps(3);
        assert!(harness.query_by_label("Check").is_none(), "the dialog closed");
        // Clear the field for the next file.
        harness.get_by_label("or path").focus();
        harness.run_steps(3);
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.key_press(egui::Key::Backspace);
        harness.run_steps(3);
    }
    // Still alive and usable.
    harness.get_by_label("Score project");
    assert!(harness.state().scoring_outcome().is_none());
}

/// The `k / n` and 95 % interval cells the Model screen shows for `k` of `n`.
fn cells(k: u64, n: u64) -> (String, String) {
    let p = Proportion::new(k, n);
    let [lo, hi] = p.ci95().unwrap();
    (format!("{k} / {n}"), format!("{:.1}–{:.1} %", 100.0 * lo, 100.0 * hi))
}

#[test]
fn the_model_screen_leads_with_the_door_lock_claim_and_shows_counts_and_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project, answering(&dir.path().join("unused.onnx")));
    settle_analysis(&mut harness);

    let mut store = Store::open(&project).unwrap();
    let loaded = ProjectReport::load(&mut store, None, ThresholdRule::MaxAccuracy).unwrap();
    let negatives = loaded.prepared.negatives();
    assert!(negatives < 29_956, "the demo cannot demonstrate 1e-4");
    // The sentence, for the door lock's 0.01 % while no FPR rule is chosen.
    let claim = text_with(&harness, "FPR ≤ 0.01 % is not demonstrated").expect("the claim is shown");
    assert!(
        claim.starts_with(&format!("FPR ≤ 0.01 % is not demonstrated: {negatives} different-person pairs")),
        "{claim}"
    );
    assert!(claim.ends_with("it needs ≥ 29 956.") || claim.ends_with("it needs ≥ 29,956."), "{claim}");
    // The targets table says what each undemonstrated target needs.
    harness.get_by_label("needs ≥ 29 956 pairs");

    // The rates at the rule's threshold, with counts and intervals; they follow a new threshold.
    let at = |harness: &H<'_>| {
        let c = loaded.prepared.confusion_at(harness.state().state.selection.threshold);
        (cells(c.correct(), c.total()), cells(c.fp, c.negatives()))
    };
    let ((accuracy, accuracy_ci), _) = at(&harness);
    harness.get_by_label(&accuracy);
    harness.get_by_label(&accuracy_ci);
    harness.get_by_label("FPR ≤ 1e-3").click();
    harness.run_steps(3);
    settle_analysis(&mut harness);
    assert_eq!(harness.state().state.selection.rule, Some(ThresholdRule::MaxFpr(1e-3)));
    let ((strict_accuracy, strict_ci), (fpr, fpr_ci)) = at(&harness);
    assert_ne!(strict_accuracy, accuracy, "the stricter threshold moves the counts");
    harness.get_by_label(&strict_accuracy);
    harness.get_by_label(&strict_ci);
    assert!(harness.query_by_label(&accuracy).is_none(), "the old count is gone");
    assert!(harness.query_all_by_label(&fpr).count() >= 1, "{fpr}");
    assert!(harness.query_all_by_label(&fpr_ci).count() >= 1, "{fpr_ci}");
    // The claim follows the rule's target: FPR ≤ 0.1 %.
    assert!(text_with(&harness, "FPR ≤ 0.1 % is not demonstrated").is_some());
    let eer = loaded.prepared.eer();
    harness.get_by_label_contains(&format!("at threshold {:.4}", eer.threshold.unwrap()));

    // The demonstrated rule: nothing demonstrable here, so the claim stays negative.
    harness.get_by_label("FPR ≤ 1e-4 demonstrated").click();
    harness.run_steps(3);
    assert_eq!(harness.state().state.selection.rule, Some(ThresholdRule::MaxFprDemonstrated(1e-4)));
    assert!(text_with(&harness, "FPR ≤ 0.01 % is not demonstrated").is_some());
}

/// The all-vs-all result shows beside the labeled pairs once computed, with its comparisons
/// counted, and says how to get it before.
#[test]
fn the_model_screen_shows_all_vs_all_beside_the_labeled_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let harness = app(&project, answering(dir.path()));
    assert!(text_with(&harness, "Not computed for these images and identities").is_some());
    assert!(text_with(&harness, "All-vs-all (model").is_none());
    drop(harness);

    // The demo's photos carry identities (its pairs.csv names them); the model's embeddings
    // are cached, so this only compares.
    common::ok(["all-vs-all", project.to_str().unwrap(), "--quiet"]);
    let report = ProjectReport::load(&mut Store::open(&project).unwrap(), None, ThresholdRule::MaxAccuracy).unwrap();
    let all = report.report.all_vs_all.expect("computed");
    let harness = app(&project, answering(dir.path()));
    let title = text_with(&harness, "All-vs-all (model").expect("the all-vs-all section");
    let comparisons =
        format!("{} comparisons: {} genuine, {} impostor", all.genuine + all.impostors, all.genuine, all.impostors);
    assert!(title.contains(&comparisons), "{title} / {comparisons}");
    assert!(text_with(&harness, "Not computed for these images").is_none());
}

#[test]
fn a_det_plot_with_nothing_to_draw_says_why_and_one_with_a_curve_does_not() {
    let no_dialogs = || Arc::new(Answer { path: PathBuf::new(), asked: Mutex::default() });
    let dir = tempfile::tempdir().unwrap();
    // The celebrity pairs, scored by the built-in model: at every threshold the FPR or the FNR
    // is 0, so probit axes have no point to draw.
    let celeb = common::datasets().join("celebrity-pairs");
    let project = dir.path().join("celeb.pairscope");
    let (csv, images) = (celeb.join("pairs.csv"), celeb.clone());
    common::ok([
        "import-pairs",
        project.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
        "--images",
        images.to_str().unwrap(),
    ]);
    common::ok(["embed", project.to_str().unwrap(), "--quiet"]);
    let mut harness = app(&project, no_dialogs());
    settle_analysis(&mut harness);
    assert!(harness.query_by_label_contains("No curve: at every threshold the FPR or the FNR is 0").is_some());

    let mut harness = app(&common::gui::project(dir.path()), no_dialogs());
    settle_analysis(&mut harness);
    assert!(harness.query_by_label_contains("No curve:").is_none(), "the demo's DET has a curve");
}
